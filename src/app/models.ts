/**
 * The Application notebook's training programs, two_layer_model and L_layer_model, on the reference engine's
 * functions: forward produces caches, backward consumes them, update returns new parameters.
 *
 * Two liberties are taken, neither of which changes a single bit of any cost or parameter:
 * - dA0, the gradient with respect to the input X, which the notebook computes and never uses (a third of the
 *   work at this size), is skipped;
 * - the first layer's weights W1 stay in the kernels' memory, and the two products with X that each iteration needs
 *   (dW1 = (1/m)·dZ1·Xᵀ, then the next iteration's W1·X) are made in one pass over X with the update of W1 between
 *   them (src/tensor/kernels/first-layer.ts): X is 20 MB and does not stay in cache, so this halves what each
 *   iteration reads from memory. Every element is computed as the separate steps compute it.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { withPinned } from '../tensor/linalg.ts';
import { add } from '../tensor/ops.ts';
import { FirstLayer } from '../tensor/kernels/first-layer.ts';
import {
  activate,
  activationBackward,
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  linearActivationForward,
  linearActivationBackward,
  biasGradient,
  costGradient,
  descendArray,
  predict,
  type Grads,
  type LayerCache,
  type Parameters,
} from '../engine/reference/index.ts';

export interface TrainOptions {
  learningRate?: number;
  iterations?: number;
  /** called every 100 iterations with the cost (the notebook prints it) */
  onCost?: (iteration: number, cost: number) => void;
  /** called after every iteration, for progress displays */
  onIteration?: (iteration: number) => void;
}

export interface TrainResult {
  parameters: Parameters;
  costs: { iteration: number; cost: number }[];
}

function train(X: NDArray, Y: NDArray, parameters: Parameters, options: TrainOptions): TrainResult {
  // every iteration multiplies by X twice: copy it into the kernels' memory once
  return withPinned(X, (Xp) => {
    const [h, n0] = parameters.W1.shape;
    const layer1 = new FirstLayer(Xp.data, n0, Xp.shape[1], parameters.W1.data, h);
    try {
      return descend(Y, parameters, layer1, options);
    } finally {
      layer1.dispose();
    }
  });
}

function descend(Y: NDArray, parameters: Parameters, layer1: FirstLayer, options: TrainOptions): TrainResult {
  const lr = options.learningRate ?? 0.0075;
  const iterations = options.iterations ?? 2500;
  const costs: TrainResult['costs'] = [];
  const L = Object.keys(parameters).length / 2;
  const activation = (l: number) => (l === L ? 'sigmoid' : 'relu');
  let params = { ...parameters }; // W1 is stale from here on: the current W1 is layer1's
  layer1.forward();
  for (let i = 0; i < iterations; i++) {
    // forward: layer 1's Z = W1·X + b1, with W1·X from layer1's last pass; then layers 2..L as L_model_forward
    const Z1 = add(new NDArray(layer1.product(), [layer1.h, layer1.m]), params.b1); // a new array: the view is not kept
    let [A, cache1] = activate(Z1, activation(1));
    const caches: LayerCache[] = [];
    for (let l = 2; l <= L; l++) {
      const [next, cache] = linearActivationForward(A, params[`W${l}`], params[`b${l}`], activation(l));
      caches[l - 1] = cache;
      A = next;
    }
    const cost = computeCost(A, Y);
    // backward: layers L..2 as L_model_backward, then layer 1's dZ1 and db1
    const grads: Grads = {};
    let dA = costGradient(A, Y);
    for (let l = L; l >= 2; l--)
      [dA, grads[`dW${l}`], grads[`db${l}`]] = linearActivationBackward(dA, caches[l - 1], activation(l));
    const dZ1 = activationBackward(dA, cache1, activation(1));
    grads.db1 = biasGradient(dZ1);
    // update_parameters: every b and W, W1 by layer1 (then, unless this was the last iteration, the next W1·X)
    const updated: Parameters = {};
    for (const key of Object.keys(params))
      if (key !== 'W1') updated[key] = descendArray(params[key], grads[`d${key}`], lr);
    params = updated;
    layer1.descend(dZ1.data, lr, i + 1 < iterations);
    if (i % 100 === 0) {
      costs.push({ iteration: i, cost });
      options.onCost?.(i, cost);
    }
    options.onIteration?.(i);
  }
  const W1 = new NDArray(layer1.weights(), [layer1.h, layer1.n0]);
  const out: Parameters = {};
  for (let l = 1; l <= L; l++) [out[`W${l}`], out[`b${l}`]] = [l === 1 ? W1 : params[`W${l}`], params[`b${l}`]];
  return { parameters: out, costs };
}

/** two_layer_model: LINEAR -> RELU -> LINEAR -> SIGMOID, initialize_parameters (seed 1, randn * 0.01). */
export function twoLayerModel(
  X: NDArray,
  Y: NDArray,
  dims: [number, number, number] = [12288, 7, 1],
  options: TrainOptions = {},
): TrainResult {
  const parameters = initializeParameters(dims[0], dims[1], dims[2], { seed: 1 });
  return train(X, Y, parameters, options);
}

/** L_layer_model: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, the Application's deep initialiser. */
export function lLayerModel(
  X: NDArray,
  Y: NDArray,
  dims: number[] = [12288, 20, 7, 5, 1],
  options: TrainOptions = {},
): TrainResult {
  const parameters = initializeParametersDeep(dims, 'application');
  return train(X, Y, parameters, options);
}

export function accuracy(X: NDArray, Y: NDArray, parameters: Parameters): number {
  return predict(X, Y, parameters).accuracy;
}

export { linearActivationForward };
