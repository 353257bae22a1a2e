/**
 * Root causes on real runs: variants of the reference written here (their backward and forward chains call their
 * own linear_backward / linear_forward, as a student's notebook does) and mutants of fixtures/engines get the
 * sentence a student can act on, and a bug in linear_backward collapses to one headline with its callers grouped.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import { sum } from '../tensor/reduce.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { EngineFault, type Engine, type Value } from '../engine/engine.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import type { RunReport } from '../check/types.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderHtml } from '../report/html.ts';
import { pythonEngine } from '../adapters/index.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { classify } from './classify.ts';
import { rootCauses } from './root-cause.ts';
import { describeRootCauses } from './terminal.ts';
import { fromWire, toWire } from './evidence.ts';

type Impl = (args: Value[], engine: Engine) => Value | Promise<Value>;
const STEP_BY_STEP = [
  'initialize_parameters',
  'initialize_parameters_deep',
  'linear_forward',
  'sigmoid',
  'relu',
  'linear_activation_forward',
  'L_model_forward',
  'compute_cost',
  'linear_backward',
  'sigmoid_backward',
  'relu_backward',
  'linear_activation_backward',
  'L_model_backward',
  'update_parameters',
];

/** The notebook's composition: each step calls the engine's own helpers, so a helper's bug reaches its callers. */
const COMPOSED: Record<string, Impl> = {
  linear_activation_forward: async ([A, W, b, act], e) => {
    const [Z, lin] = (await e.call('linear_forward', [A, W, b])) as [NDArray, Value];
    const [out, Zc] = (await e.call(act as string, [Z])) as [NDArray, Value];
    return [out, [lin, Zc]];
  },
  L_model_forward: async ([X, P], e) => {
    const params = P as Record<string, NDArray>;
    const L = Object.keys(params).length / 2;
    const caches: Value[] = [];
    let A = X;
    for (let l = 1; l <= L; l++) {
      const act = l === L ? 'sigmoid' : 'relu';
      const [next, cache] = (await e.call('linear_activation_forward', [A, params[`W${l}`], params[`b${l}`], act])) as [
        NDArray,
        Value,
      ];
      caches.push(cache);
      A = next;
    }
    return [A, caches];
  },
  linear_activation_backward: async ([dA, cache, act], e) => {
    const [lin, Z] = cache as [Value, NDArray];
    const dZ = await e.call(act === 'relu' ? 'relu_backward' : 'sigmoid_backward', [dA, Z]);
    return e.call('linear_backward', [dZ, lin]);
  },
  L_model_backward: async ([AL, Y, caches], e) => {
    const cs = caches as Value[];
    const L = cs.length;
    const grads: Record<string, Value> = {};
    const a = (AL as NDArray).data;
    const y = (Y as NDArray).data;
    let dA: Value = new NDArray(
      a.map((v, i) => -(y[i] / v - (1 - y[i]) / (1 - v))),
      (AL as NDArray).shape,
    );
    for (let l = L; l >= 1; l--) {
      const [dA_prev, dW, db] = (await e.call('linear_activation_backward', [
        dA,
        cs[l - 1],
        l === L ? 'sigmoid' : 'relu',
      ])) as Value[];
      Object.assign(grads, { [`dA${l - 1}`]: dA_prev, [`dW${l}`]: dW, [`db${l}`]: db });
      dA = dA_prev;
    }
    return grads;
  },
};

function variant(name: string, overrides: Record<string, Impl>): Engine {
  const ref = new ReferenceEngine();
  const engine: Engine = {
    name,
    functions: async () => new Set(STEP_BY_STEP),
    async call(fn, args) {
      const impl = overrides[fn] ?? COMPOSED[fn];
      if (!impl) return ref.call(fn, args);
      try {
        return await impl([...args], engine);
      } catch (err) {
        // as in a Python engine, an exception inside a helper is raised by the function that was called
        const inner = err instanceof EngineFault ? err.message.replace(/^\w+: exception: /, '') : '';
        throw new EngineFault('exception', fn, inner || `${(err as Error).name}: ${(err as Error).message}`);
      }
    },
    close: async () => {},
  };
  return engine;
}

const ref = new ReferenceEngine();
const scaled = (a: NDArray, c: number) =>
  new NDArray(
    a.data.map((x) => c * x),
    a.shape,
  );
/** linear_backward of the reference with one of its results replaced */
const linearBackward =
  (change: (r: NDArray[], dZ: NDArray) => NDArray[]): Impl =>
  async ([dZ, cache]) =>
    change((await ref.call('linear_backward', [dZ, cache])) as NDArray[], dZ as NDArray);

async function run(engine: Engine): Promise<RunReport> {
  return runSuites(engine, ref, allSuites(), { seed: 0, runs: 10 });
}

describe('headlines: one sentence a student can act on', () => {
  it.each([
    [
      'db summed over axis 0',
      {
        linear_backward: linearBackward(([dA, dW], dZ) => [
          dA,
          dW,
          scaled(sum(dZ, { axis: 0, keepdims: true }), 1 / dZ.shape[1]),
        ]),
      },
      'linear_backward: db is summed over axis 0; the notebook sums over the examples (axis=1, keepdims=True)',
    ],
    [
      'dW without 1/m',
      { linear_backward: linearBackward(([dA, dW, db], dZ) => [dA, scaled(dW, dZ.shape[1]), db]) },
      /^linear_backward: dW is missing the 1\/m factor \(off by a factor of m = \d+\)$/,
    ],
    [
      'db = np.sum(dZ) / m, a scalar (seen in the corpus)',
      {
        linear_backward: linearBackward(([dA, dW], dZ) => [
          dA,
          dW,
          NDArray.scalar(dZ.data.reduce((t, x) => t + x, 0) / dZ.shape[1]),
        ]),
      },
      'linear_backward: db = np.sum(dZ) / m sums over every unit and example (a scalar); the notebook sums over the examples only (np.sum(dZ, axis=1, keepdims=True) / m)',
    ],
    [
      'Z cached as the linear cache (seen in the corpus)',
      {
        linear_activation_forward: async ([A, W, b, act]: Value[], e: Engine) => {
          const [Z] = (await e.call('linear_forward', [A, W, b])) as [NDArray];
          const [out] = (await e.call(act as string, [Z])) as [NDArray];
          return [out, [Z, Z]];
        },
      },
      /^linear_activation_forward: cache\[0\] is an array of shape \(\d+, \d+\) where the notebook has a tuple of 3, the linear cache \(A_prev, W, b\)$/,
    ],
    [
      'cost of shape (1, 1)',
      { compute_cost: async (args: Value[]) => NDArray.from([[(await ref.call('compute_cost', args)) as number]]) },
      'compute_cost returns shape (1, 1); the notebook expects a scalar (np.squeeze)',
    ],
    [
      'seed 1 in place of 3',
      {
        initialize_parameters_deep: async ([dims]: Value[]) => {
          const { initializeParametersDeep } = await import('../engine/reference/initialize.ts');
          const { RandomState } = await import('../random/index.ts');
          return initializeParametersDeep(dims as number[], 'step-by-step', { rng: new RandomState(0), seed: 1 });
        },
      },
      'initialize_parameters_deep: W1 is drawn after np.random.seed(1); the notebook seeds np.random.seed(3)',
    ],
    [
      'update with + learning_rate',
      {
        update_parameters: async ([P, G, lr]: Value[]) =>
          ref.call('update_parameters', [P, G, -(lr as number)]) as Promise<Value>,
      },
      'update_parameters: W1 is updated with + learning_rate * dW1; gradient descent subtracts it',
    ],
  ] as [string, Record<string, Impl>, string | RegExp][])(
    '%s',
    async (name, overrides, expected) => {
      const report = await run(variant(name, overrides));
      const causes = rootCauses(report);
      expect(causes.length, JSON.stringify(causes.map((c) => c.headline))).toBe(1);
      if (typeof expected === 'string') expect(causes[0].headline).toBe(expected);
      else expect(causes[0].headline).toMatch(expected);
      expect(causes[0].counterexample?.replay?.python).toMatch(/^import numpy as np/);
    },
    60_000,
  );
});

describe('a bug in linear_backward is one headline, with its callers grouped under it', () => {
  it('db summed over axis 0: one root cause in rootCauses, the terminal, summary.md and report.html', async () => {
    const report = await run(
      variant('db-axis-0', {
        linear_backward: linearBackward(([dA, dW], dZ) => [
          dA,
          dW,
          scaled(sum(dZ, { axis: 0, keepdims: true }), 1 / dZ.shape[1]),
        ]),
      }),
    );
    const failing = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    expect(new Set(failing.map((c) => c.function))).toEqual(
      new Set(['linear_backward', 'linear_activation_backward', 'L_model_backward']),
    );
    expect(failing.length).toBeGreaterThan(10);
    const [cause, ...others] = rootCauses(report);
    expect(others).toEqual([]);
    expect(cause.function).toBe('linear_backward');
    expect(cause.callers.map((c) => c.function)).toEqual(['linear_activation_backward', 'L_model_backward']);
    expect(cause.because).toMatch(/^linear_activation_backward and L_model_backward fail because of this/);
    // every failing check is in the group: nothing lost, nothing twice
    expect([...cause.checks, ...cause.callers.flatMap((c) => c.checks)].sort()).toEqual(
      failing.map((c) => c.id).sort(),
    );

    const md = renderMarkdown(report);
    expect(md).toContain('### 1 root cause\n');
    expect(md.match(/^\*\*\d+\. /gm)).toEqual(['**1. ']);
    expect(md).toContain(`**1. ${cause.headline}**`);
    expect(md).toContain('linear_activation_backward and L_model_backward fail because of this');
    expect(md.indexOf(cause.headline)).toBeLessThan(md.indexOf('```python'));

    const html = renderHtml(report);
    expect(html.match(/<section class="cause">/g)).toHaveLength(1);
    expect(html).toContain(`<h3>${cause.headline}</h3>`);

    const terminal = describeRootCauses(report);
    expect(terminal.match(/^ {2}\d+\. /gm)).toEqual(['  1. ']);
    expect(terminal).toContain(`1. ${cause.headline}\n     linear_activation_backward and L_model_backward fail`);
    expect(terminal).toMatch(/replay:\n {7}import numpy as np/);
  }, 60_000);
});

describe('classify, on evidence written by hand', () => {
  const W = NDArray.from([
    [1, 2],
    [3, 4],
  ]);
  const params = { W1: W, b1: NDArray.from([[0], [0]]), W2: scaled(W, 2), b2: NDArray.from([[0], [0]]) };
  const grads = {
    dW1: NDArray.from([
      [1, 0],
      [0, 1],
    ]),
    db1: NDArray.from([[1], [1]]),
    dW2: NDArray.from([
      [0, 1],
      [1, 0],
    ]),
    db2: NDArray.from([[1], [1]]),
  };
  const inputs = { parameters: toWire(params), grads: toWire(grads), learning_rate: 0.5 };
  it('update_parameters: W2 updated with dW1 is named a layer index off by one', () => {
    const expected = NDArray.from([
      [2, 3.5],
      [5.5, 8],
    ]);
    const actual = NDArray.from([
      [1.5, 4],
      [6, 7.5],
    ]);
    const d = classify(
      'update_parameters',
      {
        path: '["W2"]',
        expected: toWire(expected),
        actual: toWire(actual),
        inputs,
        source: 'reference',
      },
      'differs',
    );
    expect(d?.sentence).toBe('update_parameters: W2 is updated with dW1 (layer index off by one)');
  });
  it("a KeyError on 'dW0' is a layer index off by one", () => {
    const d = classify(
      'update_parameters',
      undefined,
      "raised on valid input: update_parameters: exception: KeyError: 'dW0'",
    );
    expect(d?.sentence).toBe(
      "update_parameters looks up 'dW0', which does not exist: a layer index off by one (layers are numbered 1..L)",
    );
  });
  it('a cost computed with np.log(AL) in the (1 - Y) term is named, when the inputs can tell', () => {
    const AL = NDArray.from([[0.8, 0.9, 0.4]]);
    const buggy = -(Math.log(0.8) + Math.log(0.9) + Math.log(0.4)) / 3;
    const evidence = (Y: number[][], expected: number, actual: Value = buggy) => ({
      path: '',
      expected,
      actual: toWire(actual),
      inputs: { AL: toWire(AL), Y: toWire(NDArray.from(Y)) },
      source: 'reference' as const,
    });
    expect(classify('compute_cost', evidence([[1, 1, 0]], 0.2797765635793422), 'x')?.cause).toBe('log-AL');
    // with Y = [[1, 1, 1]] the bug changes nothing (1 - Y = 0): a (1, 1) cost there is not blamed on the log
    expect(classify('compute_cost', evidence([[1, 1, 1]], buggy, NDArray.from([[buggy]])), 'x')?.sentence).toBe(
      'compute_cost returns shape (1, 1); the notebook expects a scalar (np.squeeze)',
    );
  });
  it('NaN and infinities survive the JSON of report.json', () => {
    const w = JSON.parse(JSON.stringify(toWire([NaN, NDArray.from([Infinity, -Infinity, 1])])));
    const [n, a] = fromWire(w) as [number, NDArray];
    expect(n).toBeNaN();
    expect(Array.from(a.data)).toEqual([Infinity, -Infinity, 1]);
  });
});

const MUTANTS = join(import.meta.dirname, '..', '..', 'fixtures', 'engines');
describe.skipIf(!hasNumpy())(`mutants of fixtures/engines/mutants.json ${numpySkipReason()}`, () => {
  const corpus = JSON.parse(readFileSync(join(MUTANTS, 'mutants.json'), 'utf8')) as {
    mutants: { id: string; replace: [string, string][] }[];
  };
  const base = readFileSync(join(MUTANTS, 'correct.py'), 'utf8');
  const expected: [string, string | RegExp][] = [
    [
      'db-wrong-axis',
      'linear_backward: db is summed over axis 0; the notebook sums over the examples (axis=1, keepdims=True)',
    ],
    ['cost-not-squeezed', 'compute_cost returns shape (1, 1); the notebook expects a scalar (np.squeeze)'],
    ['forward-relu-output', "L_model_forward applies ReLU to the output layer; the notebook's layer L uses sigmoid"],
    ['init-extra-draw', /^initialize_parameters_deep: W\d starts 1 draw\(s\) later in the random stream/],
    ['sigmoid-backward-uses-Z', /^sigmoid_backward computes Z \* \(1 - Z\)/],
  ];
  it.each(expected)(
    '%s',
    async (id, headline) => {
      const m = corpus.mutants.find((x) => x.id === id)!;
      let src = base;
      for (const [from, to] of m.replace) src = src.replace(from, to);
      const dir = mkdtempSync(join(tmpdir(), 'diagnose-'));
      const file = join(dir, 'mutant.py');
      writeFileSync(file, src);
      const engine = pythonEngine(file, { timeoutMs: 5000 });
      try {
        const report = await runSuites(engine, ref, allSuites(), { seed: 0, runs: 10 });
        const causes = rootCauses(report);
        expect(causes.length, causes.map((c) => c.headline).join(' | ')).toBe(1);
        if (typeof headline === 'string') expect(causes[0].headline).toBe(headline);
        else expect(causes[0].headline).toMatch(headline);
      } finally {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
