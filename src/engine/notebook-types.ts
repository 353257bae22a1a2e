/**
 * The engine contract in TypeScript: what each notebook function receives and returns, in JavaScript terms.
 * Arrays are NDArray (dnn-verify/tensor), a Python tuple is a JS array, a dict is a plain object, a float is a
 * number, None is null. A function may return its value or a Promise of it (an async function is awaited).
 *
 *   import type { StepByStepEngine } from 'dnn-verify';
 *   export const linear_forward: StepByStepEngine['linear_forward'] = (A, W, b) => ...;
 *   // or, for a whole module:  const engine = { ... } satisfies Partial<StepByStepEngine>;
 *
 * A misspelt function name in an object checked with `satisfies Partial<StepByStepEngine>`, or in the
 * `functions` option of describeEngine / verifyEngine, is a type error. docs/guide/engine-contract.md says more.
 */
import type { NDArray } from '../tensor/ndarray.ts';

/** A value or a Promise of it: engines may be synchronous or async. */
export type MaybePromise<T> = T | Promise<T>;

/** parameters: { W1, b1, W2, b2, ... } */
export type Parameters = Record<string, NDArray>;
/** grads: { dA0 (or dA1), dW1, db1, ... } */
export type Grads = Record<string, NDArray>;
/** linear_forward's cache: [A, W, b] */
export type LinearCache = [A: NDArray, W: NDArray, b: NDArray];
/** linear_activation_forward's cache: [[A_prev, W, b], Z] */
export type LayerCache = [linear: LinearCache, Z: NDArray];
export type Activation = 'relu' | 'sigmoid';

/** The functions of "Building your Deep Neural Network: Step by Step", under their notebook names. */
export interface StepByStepEngine {
  /** 2-layer initialiser: { W1 (n_h, n_x), b1 (n_h, 1), W2 (n_y, n_h), b2 (n_y, 1) } */
  initialize_parameters(n_x: number, n_h: number, n_y: number): MaybePromise<Parameters>;
  /** L-layer initialiser for layer_dims [n_0, ..., n_L]: { W1, b1, ..., WL, bL } */
  initialize_parameters_deep(layer_dims: number[]): MaybePromise<Parameters>;
  /** Z = W·A + b, with its cache [A, W, b] */
  linear_forward(A: NDArray, W: NDArray, b: NDArray): MaybePromise<[Z: NDArray, cache: LinearCache]>;
  /** [A, Z] with A = 1 / (1 + exp(-Z)) */
  sigmoid(Z: NDArray): MaybePromise<[A: NDArray, cache: NDArray]>;
  /** [A, Z] with A = max(0, Z) */
  relu(Z: NDArray): MaybePromise<[A: NDArray, cache: NDArray]>;
  linear_activation_forward(
    A_prev: NDArray,
    W: NDArray,
    b: NDArray,
    activation: Activation,
  ): MaybePromise<[A: NDArray, cache: LayerCache]>;
  /** [AL, caches], one [[A_prev, W, b], Z] per layer */
  L_model_forward(X: NDArray, parameters: Parameters): MaybePromise<[AL: NDArray, caches: LayerCache[]]>;
  /** the cross-entropy cost, a number (a 0-d NDArray is tolerated with a warning) */
  compute_cost(AL: NDArray, Y: NDArray): MaybePromise<number | NDArray>;
  /** [dA_prev, dW, db] */
  linear_backward(dZ: NDArray, cache: LinearCache): MaybePromise<[dA_prev: NDArray, dW: NDArray, db: NDArray]>;
  /** dZ, given dA and the cache Z */
  sigmoid_backward(dA: NDArray, cache: NDArray): MaybePromise<NDArray>;
  /** dZ: dA where Z > 0, 0 where Z <= 0 */
  relu_backward(dA: NDArray, cache: NDArray): MaybePromise<NDArray>;
  linear_activation_backward(
    dA: NDArray,
    cache: LayerCache,
    activation: Activation,
  ): MaybePromise<[dA_prev: NDArray, dW: NDArray, db: NDArray]>;
  /** grads { dA{l-1} (or dA{l}, the older notebook's keys), dW{l}, db{l} } */
  L_model_backward(AL: NDArray, Y: NDArray, caches: LayerCache[]): MaybePromise<Grads>;
  /** the updated parameters (new arrays: the caller's must not change) */
  update_parameters(parameters: Parameters, grads: Grads, learning_rate: number): MaybePromise<Parameters>;
}

/** The functions of the Application notebook ("Deep Neural Network for Image Classification"). */
export interface ApplicationEngine {
  predict(X: NDArray, y: NDArray, parameters: Parameters): MaybePromise<NDArray>;
  two_layer_model(
    X: NDArray,
    Y: NDArray,
    layers_dims: [number, number, number],
    learning_rate?: number,
    num_iterations?: number,
    print_cost?: boolean,
  ): MaybePromise<[parameters: Parameters, costs: number[]]>;
  L_layer_model(
    X: NDArray,
    Y: NDArray,
    layers_dims: number[],
    learning_rate?: number,
    num_iterations?: number,
    print_cost?: boolean,
  ): MaybePromise<[parameters: Parameters, costs: number[]]>;
}

/** Every notebook function name dnn-verify knows (src/engine/catalogue.ts): what `functions` options accept. */
export type NotebookFunctionName =
  | keyof StepByStepEngine
  | keyof ApplicationEngine
  | 'propagate'
  | 'optimize'
  | 'predict_logistic'
  | 'forward_propagation'
  | 'backward_propagation'
  | 'softmax'
  | 'stable_softmax'
  | 'cross_entropy'
  | 'cross_entropy_one_hot'
  | 'delta_cross_entropy'
  | 'delta_cross_entropy_one_hot';
