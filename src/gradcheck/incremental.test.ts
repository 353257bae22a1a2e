/** The incremental (real-size) check computes the same numeric gradient as full forward passes, and finds bugs. */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine, Value } from '../engine/engine.ts';
import { incrementalNumericGradient } from './incremental.ts';
import { fullCheck } from './full.ts';
import { engineModel } from './engine-model.ts';
import { randomProblem, realSizeGradCheck } from './suite.ts';

describe('incremental numeric gradient', () => {
  it.each([
    [[6, 4, 3, 1], 5],
    [[3, 1], 4],
    [[5, 8, 8, 8, 1], 3],
  ])('equals the full-forward one for %j, m = %i', async (dims, m) => {
    const p = randomProblem(dims as number[], m as number, 9);
    const inc = incrementalNumericGradient(p.X, p.Y, p.parameters);
    const full = await fullCheck(engineModel(new ReferenceEngine(), p.X, p.Y), p.parameters, { threshold: Infinity });
    // same function, different rounding in J(θ±ε): agreement to the finite-difference noise (~u|J|/ε)
    inc.numeric.forEach((v, i) => expect(Math.abs(v - full.numeric[i])).toBeLessThan(1e-8));
    expect(Array.from(inc.skipped)).toEqual(Array.from(full.skipped));
  });

  const ctxFor = async (engine: Engine) => ({
    engine,
    reference: new ReferenceEngine(),
    seed: 1,
    runs: 1,
    functions: await engine.functions(),
    log: () => {},
  });

  it('a wide network ([600, 20, 7, 5, 1], m = 40) passes on the reference and fails with dW1 transposed-in-place', async () => {
    const ref = new ReferenceEngine();
    const check = realSizeGradCheck([600, 20, 7, 5, 1], 40);
    const ok = await check.run(await ctxFor(ref));
    expect(ok.status, ok.message).toBe('pass');
    const bad: Engine = {
      name: 'bad',
      functions: () => ref.functions(),
      call: async (fn: string, args: readonly Value[]) => {
        const out = await ref.call(fn, args);
        if (fn !== 'L_model_backward') return out;
        const g = { ...(out as Record<string, NDArray>) };
        g.db2 = new NDArray(
          g.db2.data.map((v) => v * 2),
          g.db2.shape,
        );
        return g;
      },
      close: async () => {},
    };
    const r = await check.run(await ctxFor(bad));
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/db2 off by a factor of 2/);
  });
});
