// A small deep-neural-network engine in plain JavaScript: the functions of "Building your Deep Neural Network:
// Step by Step", under their notebook names, written on dnn-verify's NumPy-like arrays (dnn-verify/tensor).
// Values are what the notebook's functions take and return: arrays are NDArray, tuples are JS arrays, dicts are
// plain objects.
import { add, div, dot, exp, log, maximum, mul, NDArray, neg, sub, sum, transpose } from 'dnn-verify/tensor';

export function sigmoid(Z) {
  return [div(1, add(1, exp(neg(Z)))), Z];
}

export function relu(Z) {
  return [maximum(0, Z), Z];
}

export function linear_forward(A, W, b) {
  return [add(dot(W, A), b), [A, W, b]];
}

export function linear_activation_forward(A_prev, W, b, activation) {
  const [Z, linearCache] = linear_forward(A_prev, W, b);
  const [A, activationCache] = activation === 'sigmoid' ? sigmoid(Z) : relu(Z);
  return [A, [linearCache, activationCache]];
}

export function L_model_forward(X, parameters) {
  const L = Object.keys(parameters).length / 2;
  const caches = [];
  let A = X;
  for (let l = 1; l < L; l++) {
    const [next, cache] = linear_activation_forward(A, parameters[`W${l}`], parameters[`b${l}`], 'relu');
    caches.push(cache);
    A = next;
  }
  const [AL, cache] = linear_activation_forward(A, parameters[`W${L}`], parameters[`b${L}`], 'sigmoid');
  caches.push(cache);
  return [AL, caches];
}

export function compute_cost(AL, Y) {
  const m = Y.shape[1];
  const logprobs = add(mul(Y, log(AL)), mul(sub(1, Y), log(sub(1, AL))));
  return (-1 / m) * sum(logprobs).data[0];
}

export function linear_backward(dZ, cache) {
  const [A_prev, W] = cache;
  const m = A_prev.shape[1];
  const dW = mul(1 / m, dot(dZ, transpose(A_prev)));
  const db = mul(1 / m, sum(dZ, { axis: 1, keepdims: true }));
  const dA_prev = dot(transpose(W), dZ);
  return [dA_prev, dW, db];
}

export function relu_backward(dA, Z) {
  const dZ = dA.copy();
  for (let i = 0; i < dZ.data.length; i++) if (Z.data[i] <= 0) dZ.data[i] = 0;
  return dZ;
}

export function sigmoid_backward(dA, Z) {
  const [s] = sigmoid(Z);
  return mul(mul(dA, s), sub(1, s));
}

export function linear_activation_backward(dA, cache, activation) {
  const [linearCache, Z] = cache;
  const dZ = activation === 'sigmoid' ? sigmoid_backward(dA, Z) : relu_backward(dA, Z);
  return linear_backward(dZ, linearCache);
}

export function L_model_backward(AL, Y, caches) {
  const grads = {};
  const L = caches.length;
  const y = new NDArray(Y.data, AL.shape);
  const dAL = neg(sub(div(y, AL), div(sub(1, y), sub(1, AL))));
  let [dA, dW, db] = linear_activation_backward(dAL, caches[L - 1], 'sigmoid');
  grads[`dA${L - 1}`] = dA;
  grads[`dW${L}`] = dW;
  grads[`db${L}`] = db;
  for (let l = L - 2; l >= 0; l--) {
    [dA, dW, db] = linear_activation_backward(grads[`dA${l + 1}`], caches[l], 'relu');
    grads[`dA${l}`] = dA;
    grads[`dW${l + 1}`] = dW;
    grads[`db${l + 1}`] = db;
  }
  return grads;
}

export function update_parameters(parameters, grads, learning_rate) {
  const updated = {};
  const L = Object.keys(parameters).length / 2;
  for (let l = 1; l <= L; l++) {
    updated[`W${l}`] = sub(parameters[`W${l}`], mul(learning_rate, grads[`dW${l}`]));
    updated[`b${l}`] = sub(parameters[`b${l}`], mul(learning_rate, grads[`db${l}`]));
  }
  return updated;
}
