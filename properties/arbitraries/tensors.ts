/**
 * Networks, parameters, inputs and labels for the notebook functions. Values are kept in ranges where the
 * sigmoid does not saturate (|Z| stays moderate: W ~ U(-1, 1)/sqrt(n_prev), X in [-2, 2]) and away from ReLU
 * kinks where a property needs smoothness (`awayFromZero`).
 */
import fc from 'fast-check';
import { NDArray } from '../../src/tensor/ndarray.ts';

export interface Architecture {
  /** layer_dims [n0, n1, ..., 1] */
  dims: number[];
  /** batch size m */
  m: number;
}

/** depth 1..6 (layers with parameters), widths 1..16, batch 1..32; the output layer has one unit. */
export function architectures({ maxDepth = 6, maxWidth = 16, maxBatch = 32 } = {}): fc.Arbitrary<Architecture> {
  return fc
    .record({
      input: fc.integer({ min: 1, max: maxWidth }),
      hidden: fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: 0, maxLength: maxDepth - 1 }),
      m: fc.integer({ min: 1, max: maxBatch }),
    })
    .map(({ input, hidden, m }) => ({ dims: [input, ...hidden, 1], m }));
}

/** A float64 matrix of the given shape with entries in [-scale, scale] (no NaN, no infinities). */
export function matrix(rows: number, cols: number, scale = 1): fc.Arbitrary<NDArray> {
  return fc
    .array(fc.double({ min: -scale, max: scale, noNaN: true, noDefaultInfinity: true }), {
      minLength: rows * cols,
      maxLength: rows * cols,
    })
    .map(
      (v) =>
        new NDArray(
          Float64Array.from(v, (x) => (Object.is(x, -0) ? 0 : x)),
          [rows, cols],
        ),
    );
}

/** Entries with |x| in [min, scale]: away from ReLU's kink at 0. */
export function awayFromZero(rows: number, cols: number, min = 1e-3, scale = 2): fc.Arbitrary<NDArray> {
  return fc
    .array(fc.tuple(fc.double({ min, max: scale, noNaN: true }), fc.boolean()), {
      minLength: rows * cols,
      maxLength: rows * cols,
    })
    .map(
      (v) =>
        new NDArray(
          Float64Array.from(v, ([x, neg]) => (neg ? -x : x)),
          [rows, cols],
        ),
    );
}

/** 0/1 labels, shape (1, m). */
export function labels(m: number): fc.Arbitrary<NDArray> {
  return fc
    .array(fc.constantFrom(0, 1), { minLength: m, maxLength: m })
    .map((v) => new NDArray(Float64Array.from(v), [1, m]));
}

/** Probabilities strictly inside (0, 1), shape (1, m): the sigmoid's outputs away from saturation. */
export function probabilities(m: number): fc.Arbitrary<NDArray> {
  return fc
    .array(fc.double({ min: 0.01, max: 0.99, noNaN: true }), { minLength: m, maxLength: m })
    .map((v) => new NDArray(Float64Array.from(v), [1, m]));
}

export interface Problem extends Architecture {
  parameters: Record<string, NDArray>;
  X: NDArray;
  Y: NDArray;
}

/** A whole problem: parameters (W ~ U(-1,1)/sqrt(n_prev), b ~ U(-0.1, 0.1)), inputs in [-2, 2], labels. */
export function problems(options: Parameters<typeof architectures>[0] = {}): fc.Arbitrary<Problem> {
  return architectures(options).chain(({ dims, m }) => {
    const params: Record<string, fc.Arbitrary<NDArray>> = {};
    for (let l = 1; l < dims.length; l++) {
      const s = 1 / Math.sqrt(dims[l - 1]);
      params[`W${l}`] = matrix(dims[l], dims[l - 1], s);
      params[`b${l}`] = matrix(dims[l], 1, 0.1);
    }
    return fc
      .record({ parameters: fc.record(params), X: matrix(dims[0], m, 2), Y: labels(m) })
      .map((r) => ({ dims, m, ...r }));
  });
}
