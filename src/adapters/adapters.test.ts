/** Adapters and the protocol: exact values across processes, faults contained and named, sharding, the gate. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import type { EngineFault, Value } from '../engine/engine.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { decodeValue, encodeValue } from '../protocol/codec.ts';
import { commandEngine, moduleEngine, pythonEngine } from './index.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import { mergeReports } from '../report/merge-shards.ts';
import { gate } from '../report/gate.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const JS = join(ROOT, 'fixtures', 'engines', 'js');

function bits(v: number) {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(v);
  return b.readBigUInt64LE();
}

const SPECIAL = new Float64Array([0, -0, 5e-324, -2.2250738585072014e-308, Infinity, -Infinity, NaN, 1 / 3]);
new DataView(SPECIAL.buffer).setBigUint64(6 * 8, 0x7ff8dead0000beefn, true); // a NaN with a payload

describe('protocol codec', () => {
  it('round-trips arrays bit for bit (NaN payloads, -0, subnormals), 0-d and empty arrays, tuples, dicts, non-finite scalars', () => {
    const value: Value = [
      new NDArray(SPECIAL, [2, 4]),
      NDArray.scalar(-0),
      NDArray.zeros([0, 3]),
      { W1: NDArray.from([[1, 2]]), lr: -0 },
      [NaN, Infinity, 'relu', null, true],
      3,
    ];
    const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(value)))) as Value[];
    const arr = back[0] as NDArray;
    expect([...arr.shape]).toEqual([2, 4]);
    for (let i = 0; i < SPECIAL.length; i++) expect(bits(arr.data[i])).toBe(bits(SPECIAL[i]));
    expect([...(back[1] as NDArray).shape]).toEqual([]);
    expect(Object.is((back[1] as NDArray).data[0], -0)).toBe(true);
    expect([...(back[2] as NDArray).shape]).toEqual([0, 3]);
    expect(Object.is((back[3] as Record<string, Value>).lr, -0)).toBe(true);
    expect((back[4] as Value[]).slice(2)).toEqual(['relu', null, true]);
    expect(Number.isNaN((back[4] as number[])[0])).toBe(true);
  });
  it('refuses malformed values with a message naming where', () => {
    expect(() => decodeValue({ __ndarray__: { dtype: 'float64', shape: [3], data: 'AAAA' } })).toThrow(
      /value: 3 bytes for 3 float64 values/,
    );
    expect(() => decodeValue({ foo: 1 })).toThrow(/without a type tag/);
  });
});

describe.skipIf(!hasNumpy())(`Python adapter ${numpySkipReason()}`, () => {
  it('exchanges exact float64 bits with NumPy in both directions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-'));
    try {
      writeFileSync(
        join(dir, 'echo.py'),
        'import numpy as np\n\ndef echo(x):\n    return x\n\ndef negate(x):\n    return -x\n',
      );
      const e = pythonEngine(join(dir, 'echo.py'));
      const back = (await e.call('echo', [new NDArray(SPECIAL, [8])])) as NDArray;
      for (let i = 0; i < SPECIAL.length; i++) expect(bits(back.data[i])).toBe(bits(SPECIAL[i]));
      const neg = (await e.call('negate', [NDArray.from([0, 1.5])])) as NDArray;
      expect(Object.is(neg.data[0], -0)).toBe(true);
      expect([...(await e.functions())].sort()).toEqual(['echo', 'negate']);
      await e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('contains faults: exception, timeout (restart), crash (restart), missing function, renamed functions via --map', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-'));
    try {
      writeFileSync(
        join(dir, 'bad.py'),
        [
          'import os, sys, time',
          'import numpy as np',
          'def boom(x):',
          '    raise ValueError("no good")',
          'def sleepy(x):',
          '    time.sleep(30)',
          'def die(x):',
          '    print("last words"); sys.stdout.flush(); os._exit(7)',
          'def para_frente_linear(A, W, b):',
          '    print("stray print on stdout")',
          '    return np.dot(W, A) + b, (A, W, b)',
        ].join('\n'),
      );
      const e = pythonEngine(join(dir, 'bad.py'), { timeoutMs: 1500, map: { linear_forward: 'para_frente_linear' } });
      const fault = async (p: Promise<unknown>) =>
        p.then(
          () => undefined,
          (err) => err as EngineFault,
        );
      expect((await fault(e.call('boom', [1])))?.kind).toBe('exception');
      expect((await fault(e.call('boom', [1])))?.message).toMatch(/ValueError: no good/);
      const t = await fault(e.call('sleepy', [1]));
      expect(t?.kind).toBe('timeout');
      expect(t?.fn).toBe('sleepy');
      const c = await fault(e.call('die', [1]));
      expect(c?.kind).toBe('crash');
      expect(c?.message).toMatch(/exited with code 7/);
      expect((await fault(e.call('nothing_here', [1])))?.kind).toBe('missing');
      const [Z] = (await e.call('linear_forward', [
        NDArray.from([[1], [2]]),
        NDArray.from([[3, 4]]),
        NDArray.from([[0.5]]),
      ])) as [NDArray];
      expect(Array.from(Z.data)).toEqual([11.5]);
      expect((await e.functions()).has('linear_forward')).toBe(true);
      await e.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('any command speaking the protocol: the Python runner through --command', async () => {
    const e = commandEngine(
      `python3 ${join(ROOT, 'src', 'adapters', 'python', 'runner.py')} ${join(ROOT, 'fixtures', 'engines', 'correct.py')}`,
    );
    const report = await runSuites(e, new ReferenceEngine(), allSuites(), { seed: 1, runs: 10 });
    await e.close();
    expect(report.checks.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([]);
    expect(report.summary.pass).toBeGreaterThan(60);
  }, 60_000);

  it('--shard i/n: the merged shards are the unsharded run; the gate flags only regressions', async () => {
    const ref = new ReferenceEngine();
    const whole = await runSuites(ref, ref, allSuites(), { seed: 5, runs: 10 });
    const shards: (typeof whole)[] = [];
    for (let i = 0; i < 3; i++)
      shards.push(await runSuites(ref, ref, allSuites(), { seed: 5, runs: 10, shard: { index: i, count: 3 } }));
    const merged = mergeReports(shards);
    const strip = (r: typeof whole) => r.checks.map((c) => ({ ...c, durationMs: 0 }));
    expect(strip(merged)).toEqual(strip(whole));
    expect(merged.verdict).toBe(whole.verdict);
    expect(merged.summary).toEqual(whole.summary);
    expect(() => mergeReports(shards.slice(0, 2))).toThrow(/shards missing: 2\/3/);
    // gate: the same report is no regression; a check that passed and now fails is one; a grown metric is one
    expect(gate(whole, whole).passed).toBe(true);
    const worse = structuredClone(whole);
    worse.checks[0] = { ...worse.checks[0], status: 'fail', message: 'broke' };
    const grown = worse.checks.findIndex((c) => c.metrics?.gradDifference !== undefined);
    worse.checks[grown] = {
      ...worse.checks[grown],
      metrics: { gradDifference: (whole.checks[grown].metrics!.gradDifference + 1e-16) * 100 },
    };
    const g = gate(worse, whole);
    expect(g.passed).toBe(false);
    expect(g.regressions.map((r) => r.id)).toEqual([whole.checks[0].id, whole.checks[grown].id]);
    expect(gate(whole, worse).improvements).toEqual([whole.checks[0].id]);
  }, 60_000);
});

describe('JavaScript module adapter', () => {
  it('verifies a correct JS module and catches a JS mutant against compute_cost', async () => {
    const good = moduleEngine(join(JS, 'correct.ts'));
    const ok = await runSuites(good, new ReferenceEngine(), allSuites(), { seed: 2, runs: 10 });
    await good.close();
    expect(ok.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.message)).toEqual([]);
    const bad = moduleEngine(join(JS, 'sum-cost.ts'));
    const r = await runSuites(bad, new ReferenceEngine(), allSuites(), { seed: 2, runs: 10 });
    await bad.close();
    expect(r.checks.some((c) => c.status === 'fail' && c.function === 'compute_cost')).toBe(true);
  }, 60_000);

  it('stray prints never break the protocol; an exception and a hang are named against relu_backward, which then fails fast', async () => {
    const e = moduleEngine(join(JS, 'prints-and-hangs.ts'), { timeoutMs: 1500 });
    const [Z] = (await e.call('linear_forward', [
      NDArray.from([[1], [2]]),
      NDArray.from([[3, 4]]),
      NDArray.from([[0.5]]),
    ])) as [NDArray];
    expect(Array.from(Z.data)).toEqual([11.5]);
    const thrown = await e
      .call('relu_backward', [NDArray.zeros([1, 3]), NDArray.zeros([1, 3])])
      .catch((err) => err as EngineFault);
    expect(thrown).toMatchObject({ kind: 'exception', fn: 'relu_backward' });
    expect((thrown as EngineFault).message).toMatch(/RangeError: three columns/);
    const fine = (await e.call('relu_backward', [NDArray.from([[1, -1]]), NDArray.from([[2, -3]])])) as NDArray;
    expect(Array.from(fine.data)).toEqual([1, 0]);
    const hang = await e
      .call('relu_backward', [NDArray.zeros([1, 7]), NDArray.zeros([1, 7])])
      .catch((err) => err as EngineFault);
    expect(hang).toMatchObject({ kind: 'timeout', fn: 'relu_backward' });
    // once hung, the function is not called again in this run: the first timeout is the evidence
    const t0 = performance.now();
    const again = await e
      .call('relu_backward', [NDArray.from([[1, -1]]), NDArray.from([[2, -3]])])
      .catch((err) => err as EngineFault);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(again).toMatchObject({ kind: 'timeout', fn: 'relu_backward' });
    expect((again as EngineFault).message).toMatch(
      /not called again: it hung earlier in this run \(first timeout: .*no answer within 1500 ms/,
    );
    await e.close();
  }, 30_000);
});
