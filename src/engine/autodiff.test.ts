/**
 * autodiffEngine's wiring (the notebook's scaling, the caches used as given, the grads keys) on an "autodiff" that
 * shares nothing with the notebook's backward formulas: a vjp by central differences of the forward ops. Expected
 * values are the reference engine's analytic backward functions.
 */
import { describe, expect, it } from 'vitest';
import { add, div, dot, exp, log, maximum, mul, NDArray, neg, sub, sum } from '../tensor/index.ts';
import { RandomState } from '../random/index.ts';
import { ReferenceEngine } from './reference-engine.ts';
import { type AutodiffOps, autodiffEngine } from './autodiff.ts';
import type { LayerCache, Parameters } from './notebook-types.ts';

/** Σ dy ⊙ f(xs): the scalar whose gradient the vjp is */
const dotWith = (f: NDArray, dy: NDArray) => sum(mul(f, dy)).data[0];

/** the vjp by central differences, coordinate by coordinate (float64, h = 1e-6) */
function numericVjp(f: (...xs: NDArray[]) => NDArray, xs: NDArray[], dy: NDArray): NDArray[] {
  return xs.map((x, i) => {
    const g = new Float64Array(x.size);
    for (let k = 0; k < x.size; k++) {
      const at = (h: number) => {
        const moved = x.copy();
        moved.data[k] += h;
        return dotWith(f(...xs.map((y, j) => (j === i ? moved : y))), dy);
      };
      g[k] = (at(1e-6) - at(-1e-6)) / 2e-6;
    }
    return new NDArray(g, x.shape);
  });
}

function numericOps(overrides: Partial<AutodiffOps<NDArray>> = {}): AutodiffOps<NDArray> {
  return {
    tensor: (a) => a,
    array: (t) => t,
    linear: (A, W, b) => add(dot(W, A), b),
    relu: (Z) => maximum(Z, 0),
    sigmoid: (Z) => div(1, add(1, exp(neg(Z)))),
    cost: (AL, Y) =>
      NDArray.from([(-1 / AL.shape[1]) * sum(add(mul(Y, log(AL)), mul(sub(1, Y), log(sub(1, AL))))).data[0]]),
    scale: (t, k) => mul(t, k),
    vjp: numericVjp,
    ...overrides,
  };
}

const rs = new RandomState(7);
const ref = new ReferenceEngine();
const close = (a: NDArray, b: NDArray) => {
  expect(a.shape).toEqual(b.shape);
  a.data.forEach((v, i) => expect(Math.abs(v - b.data[i])).toBeLessThan(1e-6 * (1 + Math.abs(b.data[i]))));
};

describe('autodiffEngine', () => {
  const engine = autodiffEngine(numericOps());
  const A = rs.randn(4, 5);
  const W = rs.randn(3, 4);
  const b = rs.randn(3, 1);
  const dZ = rs.randn(3, 5);
  // a cache whose Z is not W·A + b: the notebook's backward takes Z from the cache, and so must the adapter
  const Z = rs.randn(3, 5);

  it('linear_backward scales dW and db by 1/m, not dA_prev', async () => {
    const expected = (await ref.call('linear_backward', [dZ, [A, W, b]])) as NDArray[];
    engine.linear_backward(dZ, [A, W, b]).forEach((g, i) => close(g, expected[i]));
  });

  it('linear_activation_backward differentiates the activation at the cached Z', async () => {
    for (const activation of ['relu', 'sigmoid'] as const) {
      const expected = (await ref.call('linear_activation_backward', [dZ, [[A, W, b], Z], activation])) as NDArray[];
      engine.linear_activation_backward(dZ, [[A, W, b], Z], activation).forEach((g, i) => close(g, expected[i]));
    }
  });

  it('relu_backward and sigmoid_backward are the vjp of relu and sigmoid', async () => {
    close(engine.relu_backward(dZ, Z), (await ref.call('relu_backward', [dZ, Z])) as NDArray);
    close(engine.sigmoid_backward(dZ, Z), (await ref.call('sigmoid_backward', [dZ, Z])) as NDArray);
  });

  it("L_model_backward gives the notebook's grads: dAL = m·∂J/∂AL, keys dA0..dA{L-1}", async () => {
    const parameters: Parameters = {};
    const dims = [4, 3, 2, 1];
    for (let l = 1; l < dims.length; l++) {
      parameters[`W${l}`] = rs.randn(dims[l], dims[l - 1]);
      parameters[`b${l}`] = rs.randn(dims[l], 1);
    }
    const X = rs.randn(4, 6);
    const Y = NDArray.from([[1, 0, 0, 1, 1, 0]]);
    const [AL, caches] = engine.L_model_forward(X, parameters);
    const [refAL] = (await ref.call('L_model_forward', [X, parameters])) as [NDArray, LayerCache[]];
    close(AL, refAL);
    expect(engine.compute_cost(AL, Y)).toBeCloseTo((await ref.call('compute_cost', [AL, Y])) as number, 12);
    const grads = engine.L_model_backward(AL, Y, caches);
    const expected = (await ref.call('L_model_backward', [AL, Y, caches])) as Record<string, NDArray>;
    expect(Object.keys(grads).sort()).toEqual(Object.keys(expected).sort());
    for (const k of Object.keys(expected)) close(grads[k], expected[k]);
  });

  it('a planted bug in the ops (the 1/m dropped) shows in dW and db, by the factor m', async () => {
    const bad = autodiffEngine(numericOps({ scale: (t, k) => (k < 1 ? t : mul(t, k)) }));
    const [dA, dW, db] = bad.linear_backward(dZ, [A, W, b]);
    const expected = (await ref.call('linear_backward', [dZ, [A, W, b]])) as NDArray[];
    close(dA, expected[0]);
    close(dW, mul(expected[1], 5));
    close(db, mul(expected[2], 5));
  });
});
