/**
 * The Application notebook's training programs, two_layer_model and L_layer_model, on the reference engine's
 * functions: forward produces caches, backward consumes them, update returns new parameters. The one liberty
 * taken is to skip dA0, the gradient with respect to the input X, which the notebook computes and never uses
 * (a third of the work at this size); every cost and parameter is unaffected.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { withPinned } from '../tensor/linalg.ts';
import {
  computeCost, initializeParameters, initializeParametersDeep, linearActivationForward, lModelForward,
  reluBackward, sigmoidBackward, linearBackward, linearBackwardParams, costGradient, updateParameters, predict,
  type Grads, type LayerCache, type Parameters,
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
  return withPinned(X, (Xp) => descend(Xp, Y, parameters, options));
}

function descend(X: NDArray, Y: NDArray, parameters: Parameters, options: TrainOptions): TrainResult {
  const lr = options.learningRate ?? 0.0075;
  const iterations = options.iterations ?? 2500;
  const costs: TrainResult['costs'] = [];
  const L = Object.keys(parameters).length / 2;
  for (let i = 0; i < iterations; i++) {
    const [AL, caches] = lModelForward(X, parameters);
    const cost = computeCost(AL, Y);
    const grads: Grads = {};
    let dA = costGradient(AL, Y);
    for (let l = L; l >= 1; l--) {
      const cache = caches[l - 1];
      const dZ = l === L ? sigmoidBackward(dA, cache[1]) : reluBackward(dA, cache[1]);
      if (l > 1) {
        const [dA_prev, dW, db] = linearBackward(dZ, cache[0]);
        grads[`dW${l}`] = dW;
        grads[`db${l}`] = db;
        dA = dA_prev;
      } else {
        [grads.dW1, grads.db1] = linearBackwardParams(dZ, cache[0]);
      }
    }
    parameters = updateParameters(parameters, grads, lr);
    if (i % 100 === 0) {
      costs.push({ iteration: i, cost });
      options.onCost?.(i, cost);
    }
    options.onIteration?.(i);
  }
  return { parameters, costs };
}

/** two_layer_model: LINEAR -> RELU -> LINEAR -> SIGMOID, initialize_parameters (seed 1, randn * 0.01). */
export function twoLayerModel(X: NDArray, Y: NDArray, dims: [number, number, number] = [12288, 7, 1], options: TrainOptions = {}): TrainResult {
  const parameters = initializeParameters(dims[0], dims[1], dims[2], { seed: 1 });
  return train(X, Y, parameters, options);
}

/** L_layer_model: [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID, the Application's deep initialiser. */
export function lLayerModel(X: NDArray, Y: NDArray, dims: number[] = [12288, 20, 7, 5, 1], options: TrainOptions = {}): TrainResult {
  const parameters = initializeParametersDeep(dims, 'application');
  return train(X, Y, parameters, options);
}

export function accuracy(X: NDArray, Y: NDArray, parameters: Parameters): number {
  return predict(X, Y, parameters).accuracy;
}

export { linearActivationForward };
