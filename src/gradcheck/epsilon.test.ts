/**
 * fullCheck and float64 rounding: a correct gradient must not fail because J(θ±ε) is rounded (the default
 * threshold is noise-aware), a failure of rounding size names epsilon, and a real bug still fails.
 * The model is J(θ) = 1e6 + Σ θ_i² / 2, whose gradient is θ: a cost of 1e6 makes each central difference carry a
 * rounding error of about 4u·1e6 / 2ε ≈ 2e-3 at ε = 1e-7, far above the course's 2e-7.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { fullCheck, type GradModel } from './full.ts';

const theta = { W1: NDArray.from([[0.5, -1.25, 2]]), b1: NDArray.from([[0.75]]) };

function model(scale = 1): GradModel {
  const values = (p: Record<string, NDArray>) => [...p.W1.data, ...p.b1.data];
  return {
    async forward(p) {
      return { cost: 1e6 + values(p).reduce((t, x) => t + (x * x) / 2, 0), reluZ: [] };
    },
    async gradients(p) {
      return {
        dW1: new NDArray(
          p.W1.data.map((x) => scale * x),
          [...p.W1.shape],
        ),
        db1: new NDArray(
          p.b1.data.map((x) => scale * x),
          [...p.b1.shape],
        ),
      };
    },
  };
}

describe('fullCheck and epsilon', () => {
  it('passes a correct gradient whose cost is large (the default threshold is above the rounding floor)', async () => {
    const r = await fullCheck(model(), theta);
    expect(r.difference).toBeGreaterThan(2e-7); // the course's threshold alone would reject it
    expect(r.passed).toBe(true);
  });
  it('names epsilon when a fixed threshold rejects a rounding-sized difference', async () => {
    const r = await fullCheck(model(), theta, { threshold: 2e-7 });
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/of the size of float64 rounding .*epsilon 1e-7.*a larger epsilon/);
  });
  it('still fails a wrong gradient (2x), without blaming rounding', async () => {
    const r = await fullCheck(model(2), theta);
    expect(r.passed).toBe(false);
    expect(r.message).not.toMatch(/rounding/);
  });
});
