/**
 * The random-stream contract: the initialisers consume NumPy's legacy stream exactly as the notebooks' code does
 * (its own seed, W1, W2, ... drawn in order with randn(n_l, n_{l-1}), biases drawing nothing), so one extra or
 * transposed draw is caught. Both the step-by-step (seed 3, * 0.01) and Application (seed 1, / sqrt(n_prev))
 * variants are accepted; which one the engine implements is reported.
 */
import fc from 'fast-check';
import { NDArray } from '../../src/tensor/ndarray.ts';
import { RandomState } from '../../src/random/index.ts';
import { fail, type Property } from './types.ts';
import { asArray, asDict } from './util.ts';

function expected(
  dims: number[],
  variant: 'step-by-step' | 'application',
  tweak?: 'transposed' | 'extra',
): Record<string, NDArray> {
  const rs = new RandomState(variant === 'application' ? 1 : 3);
  const out: Record<string, NDArray> = {};
  for (let l = 1; l < dims.length; l++) {
    if (tweak === 'extra') rs.randn(1);
    let W = tweak === 'transposed' ? rs.randn(dims[l - 1], dims[l]) : rs.randn(dims[l], dims[l - 1]);
    if (tweak === 'transposed') {
      const [r, c] = W.shape;
      const t = new Float64Array(W.size);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = W.data[i * c + j];
      W = new NDArray(t, [c, r]);
    }
    const s = Math.sqrt(dims[l - 1]);
    out[`W${l}`] = new NDArray(
      W.data.map((x) => (variant === 'application' ? x / s : x * 0.01)),
      W.shape,
    );
  }
  return out;
}

/** Bit for bit; a float32 array (NDArray.dtype) is the draw rounded to float32, bit for bit. */
const same = (a: NDArray, b: NDArray) =>
  a.size === b.size && a.data.every((v, i) => Object.is(v, a.dtype === 'float32' ? Math.fround(b.data[i]) : b.data[i]));

export const initialiserStream: Property<number[]> = {
  name: 'consumes-the-stream-as-numpy',
  function: 'initialize_parameters_deep',
  requires: ['initialize_parameters_deep'],
  arbitrary: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 5 }),
  async check(engine, dims) {
    const p = asDict(await engine.call('initialize_parameters_deep', [dims]), 'initialize_parameters_deep');
    const keys = Array.from({ length: dims.length - 1 }, (_, i) => `W${i + 1}`);
    const got = Object.fromEntries(keys.map((k) => [k, asArray(p[k], k)]));
    for (const variant of ['step-by-step', 'application'] as const) {
      const want = expected(dims, variant);
      if (keys.every((k) => same(got[k], want[k]))) return;
    }
    // not exactly either: say what it looks like
    for (const variant of ['step-by-step', 'application'] as const) {
      for (const tweak of ['transposed', 'extra'] as const) {
        const want = expected(dims, variant, tweak);
        if (keys.every((k) => same(got[k], want[k])))
          fail(
            `the weights are NumPy's ${variant} stream with ${tweak === 'transposed' ? 'each W drawn as randn(n_prev, n).T (a transposed draw)' : 'one extra draw before each W'}`,
          );
      }
    }
    const ref = expected(dims, 'step-by-step');
    const k = keys.find((key) => !same(got[key], ref[key])) ?? keys[0];
    fail(
      `${k} is not what np.random.seed(3); randn(...) * 0.01 (step-by-step) nor seed(1); randn(...) / sqrt(n_prev) (Application) draw: ${k}[0] = ${got[k].data[0]}, step-by-step expects ${ref[k].data[0]}`,
    );
  },
  replay: (dims) => ({
    inputs: { layer_dims: dims },
    call: 'p = initialize_parameters_deep(layer_dims)\nnp.random.seed(3); W1 = np.random.randn(layer_dims[1], layer_dims[0]) * 0.01  # compare with p["W1"]',
  }),
};
