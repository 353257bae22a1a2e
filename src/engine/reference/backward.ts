/** Backward propagation: each step consumes the cache its forward step produced. */
import { NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { dot, scaledDot } from '../../tensor/linalg.ts';
import { sum } from '../../tensor/reduce.ts';
import { activationBackward } from './activations.ts';
import type { Activation, Grads, GradsConvention, LayerCache, LinearCache } from './types.ts';

function scale(s: number, a: NDArray): NDArray {
  const out = new Float64Array(a.size);
  const d = a.data;
  for (let i = 0; i < out.length; i++) out[i] = s * d[i];
  return new NDArray(out, a.shape);
}

/** dW = (1/m) dZ·A_prevᵀ, db = (1/m) sum(dZ, axis=1, keepdims), dA_prev = Wᵀ·dZ -> [dA_prev, dW, db] */
export function linearBackward(dZ: NDArray, cache: LinearCache): [NDArray, NDArray, NDArray] {
  const [A_prev, W] = cache;
  if (dZ.ndim !== 2 || dZ.shape[0] !== W.shape[0] || dZ.shape[1] !== A_prev.shape[1]) {
    throw new ShapeError(
      `linear_backward: dZ ${shapeToString(dZ.shape)} does not match W ${shapeToString(W.shape)} and A_prev ${shapeToString(A_prev.shape)}`,
    );
  }
  const m = A_prev.shape[1];
  // 1./m * np.dot(dZ, A_prev.T): the product's elements times 1/m, fused so that no second array is made
  const dW = scaledDot(1 / m, dZ, A_prev, false, true);
  const dA_prev = dot(W, dZ, true, false);
  return [dA_prev, dW, biasGradient(dZ)];
}

/** db = (1/m) np.sum(dZ, axis=1, keepdims=True), m = dZ's number of columns (examples). */
export function biasGradient(dZ: NDArray): NDArray {
  return scale(1 / dZ.shape[1], sum(dZ, { axis: 1, keepdims: true }));
}

/** dAL = -(Y / AL - (1 - Y) / (1 - AL)), the cost's gradient w.r.t. AL, with Y taken in AL's shape. */
export function costGradient(AL: NDArray, Y: NDArray): NDArray {
  if (Y.size !== AL.size)
    throw new ShapeError(
      `L_model_backward: Y ${shapeToString(Y.shape)} and AL ${shapeToString(AL.shape)} differ in size`,
    );
  const y = Y.data;
  const a = AL.data;
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = -(y[i] / a[i] - (1 - y[i]) / (1 - a[i]));
  return new NDArray(out, AL.shape);
}

export function linearActivationBackward(
  dA: NDArray,
  cache: LayerCache,
  activation: Activation,
): [NDArray, NDArray, NDArray] {
  const [linearCache, Z] = cache;
  return linearBackward(activationBackward(dA, Z, activation), linearCache);
}

/**
 * Gradients of the cost for [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID, keyed dA*, dW1, db1, ... in the order
 * the notebook inserts them (from layer L down to 1).
 */
export function lModelBackward(
  AL: NDArray,
  Y: NDArray,
  caches: LayerCache[],
  convention: GradsConvention = 'dA{l-1}',
): Grads {
  const grads: Grads = {};
  const L = caches.length;
  const shift = convention === 'dA{l}' ? 0 : 1; // key of the gradient flowing out of layer l: dA{l - shift}
  let dA = costGradient(AL, Y);
  for (let l = L; l >= 1; l--) {
    const [dA_prev, dW, db] = linearActivationBackward(dA, caches[l - 1], l === L ? 'sigmoid' : 'relu');
    grads[`dA${l - shift}`] = dA_prev;
    grads[`dW${l}`] = dW;
    grads[`db${l}`] = db;
    dA = dA_prev;
  }
  return grads;
}
