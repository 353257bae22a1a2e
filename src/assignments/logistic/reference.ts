/**
 * Week 2's notebook ("Logistic Regression with a Neural Network mindset", W2A2 and v3-v6a) with NumPy's semantics.
 * Unlike the Chinese seed's extras (src/engine/reference/extras.ts, whose db is np.sum(..., axis=1), shape (1,)),
 * the course's propagate sums db over everything (a scalar) and its cost is a float; sigmoid returns one array.
 */
import { NDArray, ShapeError, shapeToString } from '../../tensor/ndarray.ts';
import { dot } from '../../tensor/linalg.ts';
import { add, sub } from '../../tensor/ops.ts';
import { pairwiseSum } from '../../tensor/reduce.ts';
import { EngineFault, type Dict, type Engine, type Value } from '../../engine/engine.ts';

/** b as the notebook holds it: a Python float, or (some students' variant) a one-element array. */
export type Bias = number | NDArray;

const scale = (s: number, a: NDArray) =>
  new NDArray(
    a.data.map((x) => s * x),
    a.shape,
  );
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** s = 1 / (1 + np.exp(-z)): one array (or a float for a float), never week 4's [A, cache]. */
export function sigmoid(z: number | NDArray): number | NDArray {
  return typeof z === 'number' ? sig(z) : new NDArray(z.data.map(sig), z.shape);
}

/** w = np.zeros((dim, 1)), b = 0. (a float: W2A2's test asserts type(b) == float) */
export function initializeWithZeros(dim: number): [NDArray, number] {
  return [NDArray.zeros([dim, 1]), 0];
}

/** A = sigmoid(np.dot(w.T, X) + b) */
export function activations(w: NDArray, b: Bias, X: NDArray): NDArray {
  if (w.ndim !== 2 || w.shape[1] !== 1 || w.shape[0] !== X.shape[0])
    throw new ShapeError(`w must have shape (${X.shape[0]}, 1), got ${shapeToString(w.shape)}`);
  return sigmoid(add(dot(w, X, true), b)) as NDArray;
}

/** The cost -1/m * np.sum(Y*np.log(A) + (1-Y)*np.log(1-A)), a float (np.squeeze). */
export function logisticCost(A: NDArray, Y: NDArray): number {
  const m = A.shape[1];
  const terms = new Float64Array(A.size);
  for (let i = 0; i < terms.length; i++)
    terms[i] = Y.data[i] * Math.log(A.data[i]) + (1 - Y.data[i]) * Math.log(1 - A.data[i]);
  return (-1 / m) * pairwiseSum(terms, 0, terms.length);
}

/** -> [{dw: (1/m) X (A-Y)ᵀ, db: (1/m) np.sum(A - Y)}, cost]; db and cost are floats. */
export function propagate(w: NDArray, b: Bias, X: NDArray, Y: NDArray): [{ dw: NDArray; db: number }, number] {
  const m = X.shape[1];
  const A = activations(w, b, X);
  const cost = logisticCost(A, Y);
  const diff = sub(A, Y);
  const dw = scale(1 / m, dot(X, diff, false, true));
  const db = (1 / m) * pairwiseSum(diff.data, 0, diff.size);
  return [{ dw, db }, cost];
}

export interface Optimized {
  params: { w: NDArray; b: Bias };
  grads: { dw: NDArray; db: number };
  costs: number[];
}

/** Gradient descent; the cost before the update of every 100th iteration (i % 100 == 0) is recorded. */
export function optimize(
  w: NDArray,
  b: Bias,
  X: NDArray,
  Y: NDArray,
  iterations: number,
  rate: number,
  /** called with each recorded cost (the notebook's print_cost line) */
  onCost?: (i: number, cost: number) => void,
): Optimized {
  const costs: number[] = [];
  let grads = { dw: NDArray.zeros(w.shape), db: 0 };
  for (let i = 0; i < iterations; i++) {
    const [g, cost] = propagate(w, b, X, Y);
    grads = g;
    w = sub(w, scale(rate, g.dw));
    b = typeof b === 'number' ? b - rate * g.db : sub(b, rate * g.db);
    if (i % 100 === 0) {
      costs.push(cost);
      onCost?.(i, cost);
    }
  }
  return { params: { w, b }, grads, costs };
}

/** Y_prediction[0, i] = 1 if A[0, i] > 0.5 else 0, shape (1, m) (w reshaped to (n, 1) first). */
export function predict(w: NDArray, b: Bias, X: NDArray): NDArray {
  const A = activations(w.reshape([X.shape[0], 1]), b, X);
  return new NDArray(
    A.data.map((a) => (a > 0.5 ? 1 : 0)),
    [1, X.shape[1]],
  );
}

export interface Model {
  costs: number[];
  Y_prediction_test: NDArray;
  Y_prediction_train: NDArray;
  w: NDArray;
  b: Bias;
  learning_rate: number;
  num_iterations: number;
}

/** initialize_with_zeros(X_train.shape[0]), optimize, predict on both sets -> d */
export function model(
  Xtrain: NDArray,
  Ytrain: NDArray,
  Xtest: NDArray,
  _Ytest: NDArray,
  iterations = 2000,
  rate = 0.5,
): Model {
  const [w0, b0] = initializeWithZeros(Xtrain.shape[0]);
  const { params, costs } = optimize(w0, b0, Xtrain, Ytrain, iterations, rate);
  return {
    costs,
    Y_prediction_test: predict(params.w, params.b, Xtest),
    Y_prediction_train: predict(params.w, params.b, Xtrain),
    w: params.w,
    b: params.b,
    learning_rate: rate,
    num_iterations: iterations,
  };
}

/** The notebook's parameters in order, for keyword arguments. */
export const PARAMS: Record<string, readonly string[]> = {
  sigmoid: ['z'],
  initialize_with_zeros: ['dim'],
  propagate: ['w', 'b', 'X', 'Y'],
  optimize: ['w', 'b', 'X', 'Y', 'num_iterations', 'learning_rate', 'print_cost'],
  predict: ['w', 'b', 'X'],
  model: ['X_train', 'Y_train', 'X_test', 'Y_test', 'num_iterations', 'learning_rate', 'print_cost'],
};

function positional(fn: string, args: readonly Value[], kwargs: Readonly<Dict> = {}): Value[] {
  const names = PARAMS[fn];
  const out = [...args];
  for (const [k, v] of Object.entries(kwargs)) {
    const i = names.indexOf(k);
    if (i < 0) throw new EngineFault('exception', fn, `TypeError: ${fn}() got an unexpected keyword argument '${k}'`);
    out[i] = v;
  }
  return out;
}

const arr = (fn: string, v: Value, name: string): NDArray => {
  if (v instanceof NDArray) return v;
  if (typeof v === 'number') return new NDArray(Float64Array.of(v), []);
  if (Array.isArray(v)) return NDArray.from(v as never);
  throw new EngineFault('exception', fn, `TypeError: ${name} must be an array`);
};
const bias = (fn: string, v: Value): Bias => (typeof v === 'number' ? v : arr(fn, v, 'b'));
const int = (fn: string, v: Value | undefined, name: string, dflt?: number): number => {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number') throw new EngineFault('exception', fn, `TypeError: ${name} must be a number`);
  return v;
};

/** The reference as an Engine: the notebook's six functions, called by name with the protocol's values. */
export class LogisticReference implements Engine {
  readonly name = 'reference:logistic';
  async functions(): Promise<ReadonlySet<string>> {
    return new Set(Object.keys(PARAMS));
  }
  async call(fn: string, args: readonly Value[], kwargs?: Readonly<Dict>): Promise<Value> {
    if (!(fn in PARAMS)) throw new EngineFault('missing', fn, `${fn} is not a function of week 2's notebook`);
    const a = positional(fn, args, kwargs);
    try {
      switch (fn) {
        case 'sigmoid':
          return typeof a[0] === 'number' ? sigmoid(a[0]) : sigmoid(arr(fn, a[0], 'z'));
        case 'initialize_with_zeros':
          return initializeWithZeros(int(fn, a[0], 'dim'));
        case 'propagate': {
          const [g, cost] = propagate(arr(fn, a[0], 'w'), bias(fn, a[1]), arr(fn, a[2], 'X'), arr(fn, a[3], 'Y'));
          return [{ dw: g.dw, db: g.db }, cost];
        }
        case 'optimize': {
          const r = optimize(
            arr(fn, a[0], 'w'),
            bias(fn, a[1]),
            arr(fn, a[2], 'X'),
            arr(fn, a[3], 'Y'),
            int(fn, a[4], 'num_iterations', 100),
            int(fn, a[5], 'learning_rate', 0.009),
          );
          return [{ w: r.params.w, b: r.params.b }, { dw: r.grads.dw, db: r.grads.db }, r.costs];
        }
        case 'predict':
          return predict(arr(fn, a[0], 'w'), bias(fn, a[1]), arr(fn, a[2], 'X'));
        default: {
          const d = model(
            arr(fn, a[0], 'X_train'),
            arr(fn, a[1], 'Y_train'),
            arr(fn, a[2], 'X_test'),
            arr(fn, a[3], 'Y_test'),
            int(fn, a[4], 'num_iterations', 2000),
            int(fn, a[5], 'learning_rate', 0.5),
          );
          return { ...d };
        }
      }
    } catch (err) {
      if (err instanceof EngineFault) throw err;
      throw new EngineFault('exception', fn, `${(err as Error).name}: ${(err as Error).message}`);
    }
  }
  async close(): Promise<void> {}
}
