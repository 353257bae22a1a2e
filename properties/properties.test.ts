/**
 * The properties hold on the reference engine, and each can fail: small deliberately broken engines trip the
 * property that targets their bug, with a counterexample that replays from its fast-check seed and path.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../src/tensor/ndarray.ts';
import { ReferenceEngine } from '../src/engine/reference-engine.ts';
import type { Engine, Value } from '../src/engine/engine.ts';
import type { CheckContext, CheckWarning } from '../src/check/types.ts';
import { PROPERTIES, propertyId, runProperty } from './index.ts';

async function ctx(engine: Engine, runs = 100): Promise<CheckContext> {
  return {
    engine,
    reference: new ReferenceEngine(),
    seed: 7,
    runs,
    functions: await engine.functions(),
    log: () => {},
  };
}

function mutant(
  name: string,
  rewrite: (
    fn: string,
    args: readonly Value[],
    call: (f: string, a: readonly Value[]) => Promise<Value>,
  ) => Promise<Value | undefined>,
): Engine {
  const ref = new ReferenceEngine();
  return {
    name,
    functions: () => ref.functions(),
    call: async (fn, args) => (await rewrite(fn, args, (f, a) => ref.call(f, a))) ?? ref.call(fn, args),
    close: async () => {},
  };
}

const scale = (a: NDArray, s: number) =>
  new NDArray(
    a.data.map((x) => x * s),
    a.shape,
  );

describe('every property holds on the reference engine', () => {
  for (const p of PROPERTIES) {
    it(propertyId(p), async () => {
      const r = await runProperty(p, await ctx(new ReferenceEngine()));
      expect(r.message).toMatch(/held on/);
      expect(r.status).toBe('pass');
    });
  }
  it('the same seed gives the same verdicts and the same fast-check seeds', async () => {
    const a = await runProperty(PROPERTIES[0], await ctx(new ReferenceEngine(), 20));
    const b = await runProperty(PROPERTIES[0], await ctx(new ReferenceEngine(), 20));
    expect(a.message).toBe(b.message);
  });
});

const BROKEN: [string, string, Engine][] = [
  [
    'property/compute_cost/cost-is-a-mean',
    'a sum where the mean belongs (missing 1/m)',
    mutant('sum-cost', async (fn, args, call) =>
      fn === 'compute_cost' ? ((await call(fn, args)) as number) * (args[0] as NDArray).size : undefined,
    ),
  ],
  [
    'property/relu_backward/zero-exactly-where-Z-<=-0',
    'relu_backward returning the mask without dA',
    mutant('relu-mask', async (fn, args) =>
      fn === 'relu_backward'
        ? new NDArray(
            (args[1] as NDArray).data.map((z) => (z > 0 ? 1 : 0)),
            (args[0] as NDArray).shape,
          )
        : undefined,
    ),
  ],
  [
    'property/relu_backward/zero-exactly-where-Z-<=-0',
    "relu'(0) = 1 together with a real bug (dA halved where Z > 0): the warning never hides the failure",
    mutant('relu-lt-and-half', async (fn, args) =>
      fn === 'relu_backward'
        ? new NDArray(
            (args[0] as NDArray).data.map((d, i) => ((args[1] as NDArray).data[i] < 0 ? 0 : d / 2)),
            (args[0] as NDArray).shape,
          )
        : undefined,
    ),
  ],
  [
    'property/initialize_parameters_deep/consumes-the-stream-as-numpy',
    'a transposed draw (randn(n_prev, n).T)',
    mutant('transposed', async (fn, args) => {
      if (fn !== 'initialize_parameters_deep') return undefined;
      const dims = args[0] as number[];
      const { RandomState } = await import('../src/random/index.ts');
      const rs = new RandomState(3);
      const out: Record<string, NDArray> = {};
      for (let l = 1; l < dims.length; l++) {
        const W = rs.randn(dims[l - 1], dims[l]);
        const t = new Float64Array(W.size);
        for (let i = 0; i < dims[l - 1]; i++)
          for (let j = 0; j < dims[l]; j++) t[j * dims[l - 1] + i] = W.data[i * dims[l] + j] * 0.01;
        out[`W${l}`] = new NDArray(t, [dims[l], dims[l - 1]]);
        out[`b${l}`] = NDArray.zeros([dims[l], 1]);
      }
      return out;
    }),
  ],
  [
    'property/L_model_backward/backward-is-the-derivative-of-forward',
    'db1 with 4/m',
    mutant('db1x4', async (fn, args, call) => {
      if (fn !== 'L_model_backward') return undefined;
      const g = { ...((await call(fn, args)) as Record<string, NDArray>) };
      g.db1 = scale(g.db1, 4);
      return g;
    }),
  ],
  [
    'property/sigmoid_backward/is-the-symbolic-derivative',
    'sigmoid_backward using A (1 - A) with A = Z',
    mutant('sig', async (fn, args) =>
      fn === 'sigmoid_backward'
        ? new NDArray(
            (args[1] as NDArray).data.map((z, i) => (args[0] as NDArray).data[i] * z * (1 - z)),
            (args[1] as NDArray).shape,
          )
        : undefined,
    ),
  ],
  [
    'property/L_model_backward/grads-keys-and-shapes',
    'dA keys mixing both conventions',
    mutant('keys', async (fn, args, call) => {
      if (fn !== 'L_model_backward') return undefined;
      const g = { ...((await call(fn, args)) as Record<string, NDArray>) };
      const caches = args[2] as unknown[];
      g[`dA${caches.length}`] = g[`dA${caches.length - 1}`];
      delete g[`dA${caches.length - 1}`];
      return g;
    }),
  ],
  [
    'property/L_model_forward/columns-are-independent',
    'a forward pass that normalises across the batch',
    mutant('batchnorm', async (fn, args, call) => {
      if (fn !== 'L_model_forward') return undefined;
      const [AL, caches] = (await call(fn, args)) as [NDArray, Value];
      const mean = AL.data.reduce((a, b) => a + b, 0) / AL.size;
      return [
        new NDArray(
          AL.data.map((a) => a - mean + 0.5),
          AL.shape,
        ),
        caches,
      ];
    }),
  ],
];

/** Deviations the notebook's program tolerates: the property passes and records a warning of its kind. */
const TOLERATED: [string, string, string, Engine][] = [
  [
    'property/relu_backward/zero-exactly-where-Z-<=-0',
    'relu_backward zeroing only where Z < 0',
    'relu-subgradient-at-0',
    mutant('relu-lt', async (fn, args) =>
      fn === 'relu_backward'
        ? new NDArray(
            (args[0] as NDArray).data.map((d, i) => ((args[1] as NDArray).data[i] < 0 ? 0 : d)),
            (args[0] as NDArray).shape,
          )
        : undefined,
    ),
  ],
  [
    'property/update_parameters/inputs-untouched',
    'update_parameters updating in place (an engine in this process)',
    'mutates-input',
    mutant('in-place', async (fn, args) => {
      if (fn !== 'update_parameters') return undefined;
      const [p, g, lr] = args as [Record<string, NDArray>, Record<string, NDArray>, number];
      for (const k of Object.keys(p)) p[k].data.forEach((v, i) => (p[k].data[i] = v - lr * g[`d${k}`].data[i]));
      return p;
    }),
  ],
  [
    'property/compute_cost/cost-is-a-mean',
    'compute_cost returning a 0-d array (np.squeeze of np.dot)',
    'scalar-type',
    mutant('cost-0d', async (fn, args, call) =>
      fn === 'compute_cost' ? NDArray.scalar((await call(fn, args)) as number) : undefined,
    ),
  ],
];

describe('a tolerated deviation passes with a warning of its kind, never a failure', () => {
  for (const [id, what, kind, engine] of TOLERATED) {
    it(`${what} -> ${kind}`, async () => {
      const p = PROPERTIES.find((q) => propertyId(q) === id)!;
      const warnings: CheckWarning[] = [];
      const r = await runProperty(p, { ...(await ctx(engine)), warn: (w) => warnings.push(w) });
      expect(r.status).toBe('pass');
      expect(warnings.length).toBeGreaterThan(0);
      expect(new Set(warnings.map((w) => `${w.kind} ${w.function}`))).toEqual(new Set([`${kind} ${p.function}`]));
    });
  }
  it('a cost of shape (1, 1) or (1,) still fails, naming the shape and np.squeeze', async () => {
    const p = PROPERTIES.find((q) => propertyId(q) === 'property/compute_cost/cost-is-a-mean')!;
    for (const shape of [[1, 1], [1]]) {
      const engine = mutant('cost-11', async (fn, args, call) =>
        fn === 'compute_cost' ? new NDArray(Float64Array.of((await call(fn, args)) as number), shape) : undefined,
      );
      const r = await runProperty(p, await ctx(engine, 5));
      expect(r.status).toBe('fail');
      expect(r.message).toContain(
        `compute_cost returns shape (${shape.join(', ')}${shape.length === 1 ? ',' : ''}); the notebook expects a scalar (np.squeeze)`,
      );
    }
  });
});

describe('each property catches the bug it targets, with a replayable counterexample', () => {
  for (const [id, bug, engine] of BROKEN) {
    it(`${bug} -> ${id}`, async () => {
      const p = PROPERTIES.find((q) => propertyId(q) === id)!;
      const c = await ctx(engine);
      const r = await runProperty(p, c);
      expect(r.status).toBe('fail');
      expect(r.function).toBe(p.function);
      expect(r.counterexample?.replay?.python).toMatch(/^import numpy as np\n/);
      const fcReplay = r.counterexample!.replay!.fastCheck!;
      // replaying with the reported seed and path fails again, at once
      const again = await runProperty(p, c, fcReplay.path);
      expect(again.status).toBe('fail');
      // the same failure; numbers masked, since an in-place mutant alters the very values fast-check keeps
      const what = (m: string) => m.split(' (shrunk')[0].replace(/-?\d[\d.e+-]*/g, '#');
      expect(what(again.message)).toBe(what(r.message));
    });
  }
});
