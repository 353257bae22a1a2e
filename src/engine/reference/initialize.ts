/**
 * Parameter initialisers, consuming NumPy's legacy stream exactly as the notebooks do: the function seeds the
 * (global) generator itself, then draws W1, W2, ... in layer order; biases are zeros and draw nothing.
 *   step-by-step notebook: initialize_parameters seeds 1, initialize_parameters_deep seeds 3, both randn * 0.01
 *   Application notebook: initialize_parameters seeds 1 (randn * 0.01); initialize_parameters_deep seeds 1 and
 *   scales by 1/sqrt(n_{l-1})
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { globalRandom, type RandomState } from '../../random/index.ts';
import { NotebookError, type Parameters } from './types.ts';

export type InitVariant = 'step-by-step' | 'application';

export interface InitOptions {
  /** the generator to draw from (default: the np.random global state) */
  rng?: RandomState;
  /** the seed the function sets first; null leaves the generator as it is (default: the notebook's seed) */
  seed?: number | null;
}

function scaled(a: NDArray, f: (x: number) => number): NDArray {
  const d = a.data;
  for (let i = 0; i < d.length; i++) d[i] = f(d[i]);
  return a;
}

function checkDim(n: unknown, name: string): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
    throw new NotebookError(`${name} must be a non-negative integer, got ${String(n)}`);
  return n;
}

/** 2-layer parameters: W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1). */
export function initializeParameters(n_x: number, n_h: number, n_y: number, options: InitOptions = {}): Parameters {
  const rng = options.rng ?? globalRandom;
  const seed = options.seed === undefined ? 1 : options.seed;
  [n_x, n_h, n_y] = [checkDim(n_x, 'n_x'), checkDim(n_h, 'n_h'), checkDim(n_y, 'n_y')];
  if (seed !== null) rng.seed(seed);
  const W1 = scaled(rng.randn(n_h, n_x), (x) => x * 0.01);
  const b1 = NDArray.zeros([n_h, 1]);
  const W2 = scaled(rng.randn(n_y, n_h), (x) => x * 0.01);
  const b2 = NDArray.zeros([n_y, 1]);
  return { W1, b1, W2, b2 };
}

/** L-layer parameters for layer_dims [n0, n1, ..., nL]. */
export function initializeParametersDeep(
  layerDims: readonly number[],
  variant: InitVariant = 'step-by-step',
  options: InitOptions = {},
): Parameters {
  if (!Array.isArray(layerDims) || layerDims.length < 2)
    throw new NotebookError(`layer_dims must list at least 2 sizes, got ${JSON.stringify(layerDims)}`);
  layerDims.forEach((n, i) => checkDim(n, `layer_dims[${i}]`));
  const rng = options.rng ?? globalRandom;
  const seed = options.seed === undefined ? (variant === 'application' ? 1 : 3) : options.seed;
  if (seed !== null) rng.seed(seed);
  const parameters: Parameters = {};
  for (let l = 1; l < layerDims.length; l++) {
    const W = rng.randn(layerDims[l], layerDims[l - 1]);
    // / np.sqrt(n) and * 0.01 exactly as NumPy evaluates them elementwise
    const root = Math.sqrt(layerDims[l - 1]);
    parameters[`W${l}`] = variant === 'application' ? scaled(W, (x) => x / root) : scaled(W, (x) => x * 0.01);
    parameters[`b${l}`] = NDArray.zeros([layerDims[l], 1]);
  }
  return parameters;
}
