/**
 * Week 3's network (LINEAR -> TANH -> LINEAR -> SIGMOID) as the course writes it, on top of the shallow network of
 * the Chinese seed's extras (src/engine/reference/extras.ts): sizes, seeding, the update step, the training loop
 * and the prediction. Two conventions, both correct for their notebook version:
 *   both: nn_model seeds 3 first (the notebooks' template does);
 *   W3A1 (2021-): initialize_parameters draws from the caller's generator (its test seeds 2 before the call);
 *   older (v1-v6c): initialize_parameters seeds 2 itself.
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { sub } from '../../tensor/ops.ts';
import type { RandomState } from '../../random/index.ts';
import { initializeParameters } from '../../engine/reference/initialize.ts';
import { backwardPropagation, forwardPropagation, shallowCost } from '../../engine/reference/extras.ts';
import type { Parameters } from '../../engine/reference/types.ts';

export type PlanarVariant = 'W3A1' | 'older';

export const LEARNING_RATE = 1.2;

/** (n_x, n_h, n_y): the input and output sizes of X and Y; the hidden layer is the course's fixed 4. */
export function layerSizes(X: NDArray, Y: NDArray): [number, number, number] {
  return [X.shape[0], 4, Y.shape[0]];
}

/** W1 (n_h, n_x), b1, W2 (n_y, n_h), b2: randn * 0.01, zeros; older versions seed 2 first. */
export function initPlanar(n_x: number, n_h: number, n_y: number, rng: RandomState, variant: PlanarVariant) {
  return initializeParameters(n_x, n_h, n_y, { rng, seed: variant === 'older' ? 2 : null });
}

const step = (p: NDArray, lr: number, g: NDArray) =>
  sub(
    p,
    new NDArray(
      g.data.map((x) => lr * x),
      g.shape,
    ),
  );

/** parameters - learning_rate * grads, key by key (W1, b1, W2, b2). */
export function updatePlanar(parameters: Parameters, grads: Parameters, learningRate = LEARNING_RATE): Parameters {
  const out: Parameters = {};
  for (const k of ['W1', 'b1', 'W2', 'b2']) {
    const g = grads[`d${k}`];
    if (!parameters[k] || !g) throw new TypeError(`update_parameters needs parameters["${k}"] and grads["d${k}"]`);
    out[k] = step(parameters[k], learningRate, g);
  }
  return out;
}

export interface TrainOptions {
  rng: RandomState;
  variant: PlanarVariant;
  learningRate?: number;
  /** called with the cost of iteration i before the update, every `every` iterations (the course prints every 1000) */
  onCost?: (i: number, cost: number) => void;
  every?: number;
  /** nn_model's np.random.seed(3) (default true); false: initialisation draws from the caller's generator */
  seedInside?: boolean;
}

/** nn_model: initialise, then num_iterations of forward, cost, backward and update. */
export function nnModel(X: NDArray, Y: NDArray, n_h: number, numIterations: number, o: TrainOptions): Parameters {
  if (o.seedInside !== false) o.rng.seed(3);
  const [n_x, , n_y] = layerSizes(X, Y);
  let parameters = initPlanar(n_x, n_h, n_y, o.rng, o.variant);
  const every = o.every ?? 1000;
  for (let i = 0; i < numIterations; i++) {
    const [A2, cache] = forwardPropagation(X, parameters);
    if (o.onCost && i % every === 0) o.onCost(i, shallowCost(A2, Y));
    const grads = backwardPropagation(parameters, cache, X, Y);
    parameters = updatePlanar(parameters, grads, o.learningRate ?? LEARNING_RATE);
  }
  return parameters;
}

/** 1 where A2 > 0.5 (W3A1 returns booleans, older versions 0./1. floats: the same values on the wire). */
export function predictPlanar(parameters: Parameters, X: NDArray): NDArray {
  const [A2] = forwardPropagation(X, parameters);
  return new NDArray(
    A2.data.map((a) => (a > 0.5 ? 1 : 0)),
    A2.shape,
  );
}
