/**
 * An engine that differentiates automatically supplies its forward pieces and its cost; `autodiffEngine` builds
 * every notebook function from them, the backward ones from the engine's own vector-Jacobian product:
 *
 *   export const { linear_forward, L_model_forward, compute_cost, L_model_backward, ... } = autodiffEngine({
 *     tensor: (a) => tf.tensor(a.data, [...a.shape]), array: (t) => ..., scope: ...,
 *     linear: (A, W, b) => tf.add(tf.matMul(W, A), b), relu: tf.relu, sigmoid: tf.sigmoid,
 *     cost: (AL, Y) => ..., scale: (t, k) => tf.mul(t, k),
 *     vjp: (f, xs, dy) => tf.grads(f)(xs, dy),
 *   });
 *
 * The backward functions never see a formula: relu_backward is the vjp of the engine's relu at the cached Z,
 * linear_backward the vjp of its linear map, and L_model_backward chains them from the vjp of its cost at AL. So
 * the suite's gradient checks (finite differences of the same forward and cost) and its differential checks
 * (the notebook's analytic formulas, in the reference engine) judge the autodiff itself.
 *
 * The notebook's scaling, which autodiff alone does not give: the cost is a mean over the m examples, but the
 * notebook's dA and dZ are m times the cost's derivative (dAL = -(Y/AL - (1-Y)/(1-AL)), no 1/m); its 1/m sits in
 * linear_backward's dW and db. So dAL = m·∂J/∂AL, and dW, db are the vjp of the linear map scaled by 1/m
 * (m = A_prev's columns), while dA_prev is the vjp unscaled. Every cache is used as given (the notebook's
 * backward functions take Z from the cache; they do not recompute it).
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Activation, Grads, LayerCache, LinearCache, Parameters, StepByStepEngine } from './notebook-types.ts';

/** What an autodiff engine supplies, on its own tensor type T. */
export interface AutodiffOps<T> {
  /** an NDArray as the engine's tensor */
  tensor(a: NDArray): T;
  /** the engine's tensor as an NDArray (its data read back synchronously) */
  array(t: T): NDArray;
  /** Z = W·A + b (b broadcast over the columns) */
  linear(A: T, W: T, b: T): T;
  relu(Z: T): T;
  sigmoid(Z: T): T;
  /** the cross-entropy cost of AL against the labels Y, a one-element tensor: -(1/m) Σ (Y log AL + (1-Y) log(1-AL)) */
  cost(AL: T, Y: T): T;
  /** t·k for a number k */
  scale(t: T, k: number): T;
  /**
   * The vector-Jacobian product: the gradients of sum(f(...xs) ⊙ dy) with respect to each of xs, in order
   * (tf.grads(f)(xs, dy); torch.autograd.grad(f(*xs), xs, dy)). For a one-element f, dy is a one-element 1.
   */
  vjp(f: (...xs: T[]) => T, xs: T[], dy: T): T[];
  /** runs fn and frees the tensors it made (tf.tidy); default: just runs it */
  scope?<R>(fn: () => R): R;
}

/** The notebook functions an autodiff engine gets (its initialisers and update_parameters stay its own). */
export type AutodiffFunctions = Pick<
  StepByStepEngine,
  | 'linear_forward'
  | 'sigmoid'
  | 'relu'
  | 'linear_activation_forward'
  | 'L_model_forward'
  | 'compute_cost'
  | 'linear_backward'
  | 'sigmoid_backward'
  | 'relu_backward'
  | 'linear_activation_backward'
  | 'L_model_backward'
>;

/** The layer count of a parameters dict { W1, b1, ..., WL, bL }. */
function layers(parameters: Parameters): number {
  return Object.keys(parameters).filter((k) => /^W\d+$/.test(k)).length;
}

/** Every notebook function from the engine's forward pieces, cost and vjp (see the module comment). */
export function autodiffEngine<T>(ops: AutodiffOps<T>): Synchronous<AutodiffFunctions> {
  const scope = <R>(fn: () => R): R => (ops.scope ? ops.scope(fn) : fn());
  const { tensor, array } = ops;
  const act = (activation: Activation) => (activation === 'sigmoid' ? ops.sigmoid : ops.relu);
  /** 1 in the shape of the cost (a vjp's cotangent has its function's shape): the cost's gradient */
  const costGradient = (AL: T, Y: T): T => {
    const shape = array(ops.cost(AL, Y)).shape;
    return ops.vjp((al) => ops.cost(al, Y), [AL], tensor(new NDArray(Float64Array.of(1), shape)))[0];
  };

  /** [dA_prev, dW, db] in T: the linear map's vjp at the cache, dW and db scaled by 1/m */
  const linearVjp = (dZ: T, [A, W, b]: [T, T, T], m: number): [T, T, T] => {
    const [dA, dW, db] = ops.vjp(ops.linear, [A, W, b], dZ);
    return [dA, ops.scale(dW, 1 / m), ops.scale(db, 1 / m)];
  };
  const linearCacheT = (c: LinearCache): [T, T, T] => [tensor(c[0]), tensor(c[1]), tensor(c[2])];
  const activationVjp = (dA: T, Z: T, activation: Activation): T => ops.vjp(act(activation), [Z], dA)[0];

  const forwardLayer = (A_prev: NDArray, W: NDArray, b: NDArray, activation: Activation): [NDArray, LayerCache] =>
    scope(() => {
      const Z = ops.linear(tensor(A_prev), tensor(W), tensor(b));
      return [array(act(activation)(Z)), [[A_prev, W, b], array(Z)]];
    });

  return {
    linear_forward: (A, W, b) => scope(() => [array(ops.linear(tensor(A), tensor(W), tensor(b))), [A, W, b]]),
    sigmoid: (Z) => scope(() => [array(ops.sigmoid(tensor(Z))), Z]),
    relu: (Z) => scope(() => [array(ops.relu(tensor(Z))), Z]),
    linear_activation_forward: forwardLayer,
    L_model_forward: (X, parameters) => {
      const L = layers(parameters);
      const caches: LayerCache[] = [];
      let A = X;
      for (let l = 1; l <= L; l++) {
        const [next, cache] = forwardLayer(A, parameters[`W${l}`], parameters[`b${l}`], l < L ? 'relu' : 'sigmoid');
        caches.push(cache);
        A = next;
      }
      return [A, caches];
    },
    compute_cost: (AL, Y) => scope(() => array(ops.cost(tensor(AL), tensor(Y))).data[0]),
    relu_backward: (dA, Z) => scope(() => array(activationVjp(tensor(dA), tensor(Z), 'relu'))),
    sigmoid_backward: (dA, Z) => scope(() => array(activationVjp(tensor(dA), tensor(Z), 'sigmoid'))),
    linear_backward: (dZ, cache) =>
      scope(
        () => linearVjp(tensor(dZ), linearCacheT(cache), cache[0].shape[1]).map(array) as [NDArray, NDArray, NDArray],
      ),
    linear_activation_backward: (dA, [linear, Z], activation) =>
      scope(() => {
        const dZ = activationVjp(tensor(dA), tensor(Z), activation);
        return linearVjp(dZ, linearCacheT(linear), linear[0].shape[1]).map(array) as [NDArray, NDArray, NDArray];
      }),
    L_model_backward: (AL, Y, caches) =>
      scope(() => {
        const m = AL.shape[1];
        const L = caches.length;
        const grads: Grads = {};
        // dAL = m·∂J/∂AL: the vjp of the cost, with the notebook's scaling
        let dA = ops.scale(costGradient(tensor(AL), tensor(Y)), m);
        for (let l = L; l >= 1; l--) {
          const [linear, Z] = caches[l - 1];
          const dZ = activationVjp(dA, tensor(Z), l === L ? 'sigmoid' : 'relu');
          const [dA_prev, dW, db] = linearVjp(dZ, linearCacheT(linear), linear[0].shape[1]);
          grads[`dA${l - 1}`] = array(dA_prev);
          grads[`dW${l}`] = array(dW);
          grads[`db${l}`] = array(db);
          dA = dA_prev;
        }
        return grads;
      }),
  };
}

/** The same functions, answering at once (an autodiff engine built here is synchronous). */
export type Synchronous<E> = {
  [K in keyof E]: E[K] extends (...args: infer A) => infer R ? (...args: A) => Awaited<R> : E[K];
};
