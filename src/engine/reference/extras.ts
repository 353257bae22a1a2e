/**
 * The Chinese seed's (003) extras: logistic regression, the shallow tanh network, softmax and its
 * cross-entropy gradient, each as that notebook writes it (e.g. softmax normalises over the whole array).
 */
import { NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { dot } from '../../tensor/linalg.ts';
import { add, exp, sub } from '../../tensor/ops.ts';
import { max, pairwiseSum, sum } from '../../tensor/reduce.ts';
import { sigmoid } from './activations.ts';
import type { Parameters } from './types.ts';

const scale = (s: number, a: NDArray) =>
  new NDArray(
    a.data.map((x) => s * x),
    a.shape,
  );

// ---- logistic regression -----------------------------------------------------------------------------------

/** A = sigmoid(wᵀX + b); cost, dw = (1/m) X(A-Y)ᵀ, db = (1/m) sum(A - Y, axis=1) -> [{dw, db}, cost] */
export function propagate(
  w: NDArray,
  b: number | NDArray,
  X: NDArray,
  Y: NDArray,
): [{ dw: NDArray; db: NDArray }, number] {
  const m = X.shape[1];
  const [A] = sigmoid(add(dot(w, X, true), b));
  const terms = new Float64Array(A.size);
  for (let i = 0; i < terms.length; i++) {
    const y = Y.data[i];
    terms[i] = y * Math.log(A.data[i]) + (1 - y) * Math.log(1 - A.data[i]);
  }
  const cost = (-1 / m) * pairwiseSum(terms, 0, terms.length);
  const diff = sub(A, Y);
  const dw = scale(1 / m, dot(X, diff, false, true));
  const db = scale(1 / m, sum(diff, { axis: 1 }));
  return [{ dw, db }, cost];
}

/** Gradient descent for num_iterations; costs recorded every 100 iterations. */
export function optimize(
  w: NDArray,
  b: number | NDArray,
  X: NDArray,
  Y: NDArray,
  numIterations: number,
  learningRate: number,
) {
  let dw = NDArray.zeros(w.shape);
  let db: NDArray = NDArray.zeros([1]);
  const costs: number[] = [];
  for (let i = 0; i < numIterations; i++) {
    const [grads, cost] = propagate(w, b, X, Y);
    ({ dw, db } = grads);
    w = sub(w, scale(learningRate, dw));
    b = typeof b === 'number' ? b - learningRate * db.data[0] : sub(b, scale(learningRate, db));
    if (i % 100 === 0) costs.push(cost);
  }
  return { params: { w, b }, grads: { dw, db }, costs };
}

/** Y_prediction = 1 where sigmoid(wᵀX + b) > 0.5, shape (1, m). */
export function predictLogistic(w: NDArray, b: number | NDArray, X: NDArray): NDArray {
  const [A] = sigmoid(add(dot(w, X, true), b));
  return new NDArray(
    A.data.map((a) => (a > 0.5 ? 1 : 0)),
    [1, X.shape[1]],
  );
}

// ---- shallow network: LINEAR -> TANH -> LINEAR -> SIGMOID ----------------------------------------------------

export interface ShallowCache {
  Z1: NDArray;
  A1: NDArray;
  Z2: NDArray;
  A2: NDArray;
}

export function forwardPropagation(X: NDArray, parameters: Parameters): [NDArray, ShallowCache] {
  const Z1 = add(dot(parameters.W1, X), parameters.b1);
  const A1 = new NDArray(Z1.data.map(Math.tanh), Z1.shape);
  const Z2 = add(dot(parameters.W2, A1), parameters.b2);
  const [A2] = sigmoid(Z2);
  return [A2, { Z1, A1, Z2, A2 }];
}

/** cost = -sum(log(A2) Y + log(1 - A2)(1 - Y)) / m */
export function shallowCost(A2: NDArray, Y: NDArray): number {
  const m = Y.shape[1];
  const terms = new Float64Array(A2.size);
  for (let i = 0; i < terms.length; i++)
    terms[i] = Math.log(A2.data[i]) * Y.data[i] + Math.log(1 - A2.data[i]) * (1 - Y.data[i]);
  return -pairwiseSum(terms, 0, terms.length) / m;
}

export function backwardPropagation(
  parameters: Parameters,
  cache: ShallowCache,
  X: NDArray,
  Y: NDArray,
): Record<string, NDArray> {
  const m = X.shape[1];
  const { A1, A2 } = cache;
  const dZ2 = sub(A2, Y);
  const dW2 = scale(1 / m, dot(dZ2, A1, false, true));
  const db2 = scale(1 / m, sum(dZ2, { axis: 1, keepdims: true }));
  const back = dot(parameters.W2, dZ2, true);
  const dZ1 = new NDArray(
    back.data.map((v, i) => v * (1 - A1.data[i] ** 2)),
    back.shape,
  );
  const dW1 = scale(1 / m, dot(dZ1, X, false, true));
  const db1 = scale(1 / m, sum(dZ1, { axis: 1, keepdims: true }));
  return { dW1, db1, dW2, db2 };
}

// ---- softmax ---------------------------------------------------------------------------------------------------

/** exp(z) / sum(exp(z)) over the whole array, as the notebook writes it. */
export function softmax(z: NDArray): NDArray {
  const e = exp(z);
  const s = pairwiseSum(e.data, 0, e.size);
  return new NDArray(
    e.data.map((x) => x / s),
    z.shape,
  );
}

/** exp(z - max(z)) / sum(...): the same values without overflow. */
export function stableSoftmax(z: NDArray): NDArray {
  const shifted = sub(z, max(z).data[0]);
  return softmax(shifted);
}

function labels(y: NDArray, classes: number, fn: string): number[] {
  if (y.ndim !== 2 || y.shape[0] !== 1)
    throw new ShapeError(`${fn}: y must have shape (1, m), got ${shapeToString(y.shape)}`);
  return Array.from(y.data, (v, i) => {
    if (!Number.isInteger(v) || v < 0 || v >= classes)
      throw new ShapeError(`${fn}: label y[0, ${i}] = ${v} is not a class index below ${classes}`);
    return v;
  });
}

/** Z (classes, m), y (1, m) labels: -sum(log softmax(Z)[y_i, i]) / m */
export function crossEntropy(Z: NDArray, y: NDArray): number {
  const m = y.shape[1];
  const a = softmax(Z);
  const ys = labels(y, Z.shape[0], 'cross_entropy');
  const ll = new Float64Array(m);
  for (let i = 0; i < m; i++) ll[i] = -Math.log(a.data[ys[i] * Z.shape[1] + i]);
  return pairwiseSum(ll, 0, m) / m;
}

/** Z (classes, m), Y one-hot (classes, m): sum(-log(softmax(Z)) * Y) / m */
export function crossEntropyOneHot(Z: NDArray, Y: NDArray): number {
  const m = Y.shape[1];
  const a = softmax(Z);
  const ll = new Float64Array(a.size);
  for (let i = 0; i < ll.length; i++) ll[i] = -Math.log(a.data[i]) * Y.data[i];
  return pairwiseSum(ll, 0, ll.length) / m;
}

/** d cross_entropy / dZ = (softmax(Z) - onehot(y)) / m */
export function deltaCrossEntropy(Z: NDArray, y: NDArray): NDArray {
  const m = y.shape[1];
  const g = softmax(Z).data.slice();
  labels(y, Z.shape[0], 'delta_cross_entropy').forEach((c, i) => (g[c * Z.shape[1] + i] -= 1));
  return new NDArray(
    g.map((x) => x / m),
    Z.shape,
  );
}

/** (softmax(Z) - Y) / m */
export function deltaCrossEntropyOneHot(Z: NDArray, Y: NDArray): NDArray {
  const m = Y.shape[1];
  const g = sub(softmax(Z), Y);
  return new NDArray(
    g.data.map((x) => x / m),
    Z.shape,
  );
}

// ---- softmax per example ---------------------------------------------------------------------------------------
// The textbook softmax normalises each example (column): np.sum(exps, axis=0, keepdims=True). For one column it is the
// seed's; for m > 1 it is the one whose delta is the derivative of its cross-entropy. The softmax assignment accepts it
// with a warning (src/assignments/softmax/README.md), so the reference computes it column by column.

/** exp(z - max) / sum(...) of each column of a (classes, m) array; a vector or scalar is one column. */
export function softmaxPerExample(z: NDArray): NDArray {
  const [rows, m] = z.ndim === 2 ? [z.shape[0], z.shape[1]] : [z.size, 1];
  const out = new Float64Array(z.size);
  const col = new Float64Array(rows);
  for (let j = 0; j < m; j++) {
    let top = -Infinity;
    for (let i = 0; i < rows; i++) top = Math.max(top, z.data[i * m + j]);
    for (let i = 0; i < rows; i++) col[i] = Math.exp(z.data[i * m + j] - top);
    const s = pairwiseSum(col, 0, rows);
    for (let i = 0; i < rows; i++) out[i * m + j] = col[i] / s;
  }
  return new NDArray(out, z.shape);
}

/** -sum(log softmax_per_example(Z)[y_i, i]) / m */
export function crossEntropyPerExample(Z: NDArray, y: NDArray): number {
  const m = y.shape[1];
  const a = softmaxPerExample(Z);
  const ys = labels(y, Z.shape[0], 'cross_entropy');
  const ll = new Float64Array(m);
  for (let i = 0; i < m; i++) ll[i] = -Math.log(a.data[ys[i] * Z.shape[1] + i]);
  return pairwiseSum(ll, 0, m) / m;
}

/** sum(-log(softmax_per_example(Z)) * Y) / m */
export function crossEntropyOneHotPerExample(Z: NDArray, Y: NDArray): number {
  const a = softmaxPerExample(Z);
  const ll = new Float64Array(a.size);
  for (let i = 0; i < ll.length; i++) ll[i] = -Math.log(a.data[i]) * Y.data[i];
  return pairwiseSum(ll, 0, ll.length) / Y.shape[1];
}

/** (softmax_per_example(Z) - onehot(y)) / m: the derivative of crossEntropyPerExample for any m */
export function deltaCrossEntropyPerExample(Z: NDArray, y: NDArray): NDArray {
  const m = y.shape[1];
  const g = softmaxPerExample(Z).data.slice();
  labels(y, Z.shape[0], 'delta_cross_entropy').forEach((c, i) => (g[c * Z.shape[1] + i] -= 1));
  return new NDArray(
    g.map((x) => x / m),
    Z.shape,
  );
}

/** (softmax_per_example(Z) - Y) / m */
export function deltaCrossEntropyOneHotPerExample(Z: NDArray, Y: NDArray): NDArray {
  const m = Y.shape[1];
  const a = softmaxPerExample(Z);
  return new NDArray(
    a.data.map((x, i) => (x - Y.data[i]) / m),
    Z.shape,
  );
}
