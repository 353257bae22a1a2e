/**
 * The course's own gradient-checking model (Course 2, "Gradient Checking", 3-layer
 * LINEAR->RELU->LINEAR->RELU->LINEAR->SIGMOID), its test case and its backward pass with the two planted bugs
 * (dW2 doubled, db1 with 4/m), written from the course's description so that its published numbers can be
 * regenerated: difference 1.19e-07 when correct, 0.2850931567761623 with the bugs.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { dot } from '../tensor/linalg.ts';
import { add, sub } from '../tensor/ops.ts';
import { sum } from '../tensor/reduce.ts';
import { RandomState } from '../random/index.ts';
import type { Grads, Parameters } from '../engine/reference/types.ts';
import type { GradModel } from './full.ts';

/** gradient_check_n_test_case: seed 1; x (4,3), y = [1, 1, 0], W1 (5,4), b1 (5,1), W2 (3,5), b2 (3,1), W3 (1,3), b3 (1,1). */
export function courseCase(): { X: NDArray; Y: NDArray; parameters: Parameters } {
  const rs = new RandomState(1);
  const X = rs.randn(4, 3);
  const Y = NDArray.from([1, 1, 0]);
  const parameters: Parameters = {
    W1: rs.randn(5, 4),
    b1: rs.randn(5, 1),
    W2: rs.randn(3, 5),
    b2: rs.randn(3, 1),
    W3: rs.randn(1, 3),
    b3: rs.randn(1, 1),
  };
  return { X, Y, parameters };
}

const relu = (z: NDArray) =>
  new NDArray(
    z.data.map((v) => (v > 0 ? v : 0)),
    z.shape,
  );
const sigmoid = (z: NDArray) =>
  new NDArray(
    z.data.map((v) => 1 / (1 + Math.exp(-v))),
    z.shape,
  );
const scale = (s: number, a: NDArray) =>
  new NDArray(
    a.data.map((v) => s * v),
    a.shape,
  );

export function forwardPropagationN(X: NDArray, Y: NDArray, p: Parameters) {
  const m = X.shape[1];
  const Z1 = add(dot(p.W1, X), p.b1);
  const A1 = relu(Z1);
  const Z2 = add(dot(p.W2, A1), p.b2);
  const A2 = relu(Z2);
  const Z3 = add(dot(p.W3, A2), p.b3);
  const A3 = sigmoid(Z3);
  // logprobs = -log(A3) * Y + -log(1 - A3) * (1 - Y); cost = 1/m * sum(logprobs)
  let s = 0;
  const terms = A3.data.map((a, i) => -Math.log(a) * Y.data[i] + -Math.log(1 - a) * (1 - Y.data[i]));
  for (const t of terms) s += t;
  const cost = (1 / m) * s;
  return { cost, cache: { Z1, A1, Z2, A2, Z3, A3 } };
}

export function backwardPropagationN(
  X: NDArray,
  Y: NDArray,
  p: Parameters,
  cache: ReturnType<typeof forwardPropagationN>['cache'],
  plantedBugs: boolean,
): Grads {
  const m = X.shape[1];
  const { Z1, A1, Z2, A2, A3 } = cache;
  const dZ3 = sub(A3, Y);
  const dW3 = scale(1 / m, dot(dZ3, A2, false, true));
  const db3 = scale(1 / m, sum(dZ3, { axis: 1, keepdims: true }));
  const dA2 = dot(p.W3, dZ3, true);
  const dZ2 = new NDArray(
    dA2.data.map((v, i) => (A2.data[i] > 0 ? v : 0)),
    dA2.shape,
  );
  const dW2 = scale(plantedBugs ? 2 : 1, scale(1 / m, dot(dZ2, A1, false, true)));
  const db2 = scale(1 / m, sum(dZ2, { axis: 1, keepdims: true }));
  const dA1 = dot(p.W2, dZ2, true);
  const dZ1 = new NDArray(
    dA1.data.map((v, i) => (A1.data[i] > 0 ? v : 0)),
    dA1.shape,
  );
  const dW1 = scale(1 / m, dot(dZ1, X, false, true));
  const db1 = scale((plantedBugs ? 4 : 1) / m, sum(dZ1, { axis: 1, keepdims: true }));
  void Z1;
  void Z2;
  return { dW1, db1, dW2, db2, dW3, db3 };
}

export function courseModel(X: NDArray, Y: NDArray, plantedBugs: boolean): GradModel {
  return {
    m: X.shape[1],
    async forward(p) {
      const { cost, cache } = forwardPropagationN(X, Y, p);
      return { cost, reluZ: [cache.Z1.data, cache.Z2.data] };
    },
    async gradients(p) {
      const { cache } = forwardPropagationN(X, Y, p);
      return backwardPropagationN(X, Y, p, cache, plantedBugs);
    },
  };
}
