/** The notebook's data, as the notebook shapes it: parameter dicts, caches as tuples, grads dicts. */
import type { NDArray } from '../../tensor/ndarray.ts';

/** {"W1": ..., "b1": ..., "W2": ...}: insertion order W1, b1, W2, b2, ... as the notebooks build them. */
export type Parameters = Record<string, NDArray>;
export type Grads = Record<string, NDArray>;
/** linear_forward's cache: (A_prev, W, b) */
export type LinearCache = [A: NDArray, W: NDArray, b: NDArray];
/** sigmoid's / relu's cache: Z */
export type ActivationCache = NDArray;
/** linear_activation_forward's cache: ((A_prev, W, b), Z) */
export type LayerCache = [LinearCache, ActivationCache];
export type Activation = 'sigmoid' | 'relu';
/**
 * Where L_model_backward stores the gradient flowing out of layer l's backward step: under dA{l} (old course
 * versions: "dA1" is the gradient w.r.t. the network input for L = 2... up to dA{L}) or dA{l-1} (new versions,
 * dnn_app_utils_v3: keys dA0 .. dA{L-1}).
 */
export type GradsConvention = 'dA{l}' | 'dA{l-1}';

export class NotebookError extends Error {
  override name = 'NotebookError';
}
