/** The activations and their backward steps (dnn_utils): forward returns (A, cache = Z), backward consumes Z. */
import { NDArray } from '../../tensor/ndarray.ts';
import { ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { NotebookError, type Activation } from './types.ts';

/** sigmoid(Z) = 1 / (1 + exp(-Z)) -> [A, Z] */
export function sigmoid(Z: NDArray): [NDArray, NDArray] {
  const z = Z.data;
  const a = new Float64Array(z.length);
  for (let i = 0; i < a.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]));
  return [new NDArray(a, Z.shape), Z];
}

/** relu(Z) = maximum(0, Z) -> [A, Z] (NaN propagates, as np.maximum) */
export function relu(Z: NDArray): [NDArray, NDArray] {
  const z = Z.data;
  const a = new Float64Array(z.length);
  for (let i = 0; i < a.length; i++) a[i] = z[i] !== z[i] ? NaN : z[i] > 0 ? z[i] : 0;
  return [new NDArray(a, Z.shape), Z];
}

function sameShapes(fn: string, dA: NDArray, Z: NDArray): void {
  if (dA.shape.length !== Z.shape.length || dA.shape.some((d, i) => d !== Z.shape[i])) {
    throw new ShapeError(`${fn}: dA ${shapeToString(dA.shape)} and cache Z ${shapeToString(Z.shape)} differ in shape`);
  }
}

/** dZ = dA * s * (1 - s), s = sigmoid(Z) */
export function sigmoidBackward(dA: NDArray, Z: NDArray): NDArray {
  sameShapes('sigmoid_backward', dA, Z);
  const out = new Float64Array(Z.size);
  const z = Z.data;
  const d = dA.data;
  for (let i = 0; i < out.length; i++) {
    const s = 1 / (1 + Math.exp(-z[i]));
    out[i] = d[i] * s * (1 - s);
  }
  return new NDArray(out, Z.shape);
}

/** dZ = dA where Z > 0, else 0 (dZ[Z <= 0] = 0) */
export function reluBackward(dA: NDArray, Z: NDArray): NDArray {
  sameShapes('relu_backward', dA, Z);
  const out = dA.data.slice();
  const z = Z.data;
  for (let i = 0; i < out.length; i++) if (z[i] <= 0) out[i] = 0;
  return new NDArray(out, Z.shape);
}

function unknown(activation: unknown): NotebookError {
  return new NotebookError(`activation must be "sigmoid" or "relu", got ${JSON.stringify(activation)}`);
}

/** The activation a notebook function names by its `activation` argument -> [A, cache = Z]. */
export function activate(Z: NDArray, activation: Activation): [NDArray, NDArray] {
  if (activation === 'sigmoid') return sigmoid(Z);
  if (activation === 'relu') return relu(Z);
  throw unknown(activation);
}

/** That activation's backward step: dZ from dA and the cache Z. */
export function activationBackward(dA: NDArray, Z: NDArray, activation: Activation): NDArray {
  if (activation === 'relu') return reluBackward(dA, Z);
  if (activation === 'sigmoid') return sigmoidBackward(dA, Z);
  throw unknown(activation);
}
