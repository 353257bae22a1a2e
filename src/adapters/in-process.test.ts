/** The in-process adapter: copies in, copies out, faults named as a module engine's are. */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import type { EngineFault, Value } from '../engine/engine.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { inProcessEngine } from './in-process.ts';
import { verifyEngine, type NotebookFunctionName } from '../index.ts';

const ref = new ReferenceEngine();
const viaReference =
  (name: string) =>
  (...args: Value[]) =>
    ref.call(name, args);

async function fault(p: Promise<unknown>): Promise<EngineFault> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err) => err as EngineFault,
  );
}

describe('inProcessEngine', () => {
  it('lists the functions under notebook names (with map) and answers calls with copies', async () => {
    const W = NDArray.from([[3, 4]]);
    const e = inProcessEngine(
      { linearForward: viaReference('linear_forward'), notAFunction: 3 },
      { map: { linear_forward: 'linearForward' } },
    );
    expect([...(await e.functions())]).toEqual(['linear_forward']);
    const [Z, cache] = (await e.call('linear_forward', [NDArray.from([[1], [2]]), W, NDArray.from([[0.5]])])) as [
      NDArray,
      NDArray[],
    ];
    expect(Array.from(Z.data)).toEqual([11.5]);
    expect(cache[1]).not.toBe(W); // the engine got its own copy, the caller gets another
    expect(Array.from(cache[1].data)).toEqual([3, 4]);
  });

  it('an engine that changes an argument in place still answers, with a notice naming where', async () => {
    const e = inProcessEngine({
      update_parameters: (p: Record<string, NDArray>, g: Record<string, NDArray>, lr: number) => {
        for (let i = 0; i < p.W1.data.length; i++) p.W1.data[i] -= lr * g.dW1.data[i];
        return p;
      },
      L_model_backward: (_AL: NDArray, _Y: NDArray, caches: Value[]) => {
        caches.pop(); // the notebook bug of popping the caches list
        return {};
      },
    });
    const p = { W1: NDArray.from([[1, 2]]) };
    const out = (await e.call('update_parameters', [p, { dW1: NDArray.from([[1, 1]]) }, 0.5])) as Record<
      string,
      NDArray
    >;
    expect(Array.from(out.W1.data)).toEqual([0.5, 1.5]); // the value is returned and compared as usual
    expect(Array.from(p.W1.data)).toEqual([1, 2]); // the caller's own data is untouched
    expect(e.takeNotices?.()).toEqual([
      { kind: 'mutates-input', fn: 'update_parameters', paths: [expect.stringMatching(/args\[0\]\.W1\[0\] changed/)] },
    ]);
    await e.call('L_model_backward', [NDArray.zeros([1, 1]), NDArray.zeros([1, 1]), [1, 2, 3]]);
    expect(e.takeNotices?.()).toEqual([
      { kind: 'mutates-input', fn: 'L_model_backward', paths: [expect.stringMatching(/gained or lost items/)] },
    ]);
    expect(e.takeNotices?.()).toEqual([]);
  });

  it('a result that is not a notebook value is a protocol fault; a throw an exception; a missing function, missing', async () => {
    const e = inProcessEngine({
      sigmoid: () => ({ A: undefined }),
      relu: () => {
        throw new RangeError('no relu today');
      },
    });
    expect(await fault(e.call('sigmoid', [NDArray.zeros([1, 1])]))).toMatchObject({ kind: 'protocol', fn: 'sigmoid' });
    const thrown = await fault(e.call('relu', [NDArray.zeros([1, 1])]));
    expect(thrown).toMatchObject({ kind: 'exception', fn: 'relu' });
    expect(thrown.message).toMatch(/RangeError: no relu today/);
    expect(await fault(e.call('compute_cost', []))).toMatchObject({ kind: 'missing', fn: 'compute_cost' });
  });

  it('a promise that never settles is a timeout', async () => {
    const e = inProcessEngine({ relu: () => new Promise(() => {}) }, { timeoutMs: 50 });
    expect(await fault(e.call('relu', [NDArray.zeros([1, 1])]))).toMatchObject({ kind: 'timeout', fn: 'relu' });
  });

  it('verifyEngine: the reference through the adapter passes; a linear_forward without b fails against it', async () => {
    const names: NotebookFunctionName[] = ['linear_forward', 'compute_cost'];
    const good = Object.fromEntries(names.map((n) => [n, viaReference(n)]));
    const ok = await verifyEngine(good, { runs: 10, functions: names });
    expect(ok.summary.pass).toBeGreaterThan(5);
    expect(ok.verdict).toBe('pass');
    const bad = {
      ...good,
      linear_forward: async (A: NDArray, W: NDArray, b: NDArray) => {
        const [Z] = (await ref.call('linear_forward', [A, W, NDArray.zeros([...b.shape])])) as Value[];
        return [Z, [A, W, b]]; // forgets + b
      },
    };
    const report = await verifyEngine(bad, { runs: 10, functions: names });
    expect(report.verdict).toBe('fail');
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((c) => c.function))).toEqual(new Set(['linear_forward']));
  }, 60_000);
});
