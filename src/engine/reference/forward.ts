/** Forward propagation: each step returns its output and the cache that backward propagation consumes. */
import { type NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { dot } from '../../tensor/linalg.ts';
import { add } from '../../tensor/ops.ts';
import { activate } from './activations.ts';
import { NotebookError, type Activation, type LayerCache, type LinearCache, type Parameters } from './types.ts';

/** Z = W·A + b -> [Z, (A, W, b)] */
export function linearForward(A: NDArray, W: NDArray, b: NDArray): [NDArray, LinearCache] {
  if (W.ndim !== 2 || A.ndim !== 2) {
    throw new ShapeError(`linear_forward: W ${shapeToString(W.shape)} and A ${shapeToString(A.shape)} must be 2-d`);
  }
  const Z = add(dot(W, A), b);
  return [Z, [A, W, b]];
}

/** A = g(W·A_prev + b) -> [A, ((A_prev, W, b), Z)] */
export function linearActivationForward(
  A_prev: NDArray,
  W: NDArray,
  b: NDArray,
  activation: Activation,
): [NDArray, LayerCache] {
  const [Z, linearCache] = linearForward(A_prev, W, b);
  const [A, activationCache] = activate(Z, activation);
  return [A, [linearCache, activationCache]];
}

/** Number of layers L in a parameters dict {W1, b1, ..., WL, bL}. */
export function layerCount(parameters: Parameters): number {
  const keys = Object.keys(parameters);
  let L = 0;
  while (keys.includes(`W${L + 1}`)) L++;
  if (L === 0 || keys.length !== 2 * L || !keys.every((k) => /^[Wb]\d+$/.test(k) && Number(k.slice(1)) <= L)) {
    throw new NotebookError(`parameters must be {W1, b1, ..., WL, bL}; got keys ${keys.join(', ')}`);
  }
  return L;
}

/** [LINEAR -> RELU] x (L-1) -> LINEAR -> SIGMOID -> [AL, caches] */
export function lModelForward(X: NDArray, parameters: Parameters): [NDArray, LayerCache[]] {
  const L = layerCount(parameters);
  const caches: LayerCache[] = [];
  let A = X;
  for (let l = 1; l < L; l++) {
    const [next, cache] = linearActivationForward(A, parameters[`W${l}`], parameters[`b${l}`], 'relu');
    caches.push(cache);
    A = next;
  }
  const [AL, cache] = linearActivationForward(A, parameters[`W${L}`], parameters[`b${L}`], 'sigmoid');
  caches.push(cache);
  if (AL.shape[0] !== 1 || AL.shape[1] !== X.shape[1]) {
    throw new ShapeError(`L_model_forward: AL has shape ${shapeToString(AL.shape)}, expected (1, ${X.shape[1]})`);
  }
  return [AL, caches];
}
