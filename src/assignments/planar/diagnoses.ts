/**
 * The common bugs of week 3, recognised from an engine's answer: each recomputes what the function would return
 * with the bug (a sentence a student can act on) and the differential check names the one the answer matches.
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { dot } from '../../tensor/linalg.ts';
import { add, sub } from '../../tensor/ops.ts';
import { sum } from '../../tensor/reduce.ts';
import type { Value } from '../../engine/engine.ts';
import type { Parameters } from '../../engine/reference/types.ts';
import { forwardPropagation, shallowCost } from '../../engine/reference/extras.ts';
import { updatePlanar } from './model.ts';

const map = (a: NDArray, f: (x: number, i: number) => number) => new NDArray(a.data.map(f), a.shape);
const sig = (a: NDArray) => map(a, (x) => 1 / (1 + Math.exp(-x)));
const scale = (s: number, a: NDArray) => map(a, (x) => s * x);

/** np.allclose with a tight tolerance, shapes equal. */
export function close(a: Value, b: Value, rtol = 1e-7, atol = 1e-12): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : a instanceof NDArray && a.size === 1 ? a.data[0] : NaN;
    const y = typeof b === 'number' ? b : b instanceof NDArray && b.size === 1 ? b.data[0] : NaN;
    return Math.abs(x - y) <= atol + rtol * Math.abs(y);
  }
  if (!(a instanceof NDArray) || !(b instanceof NDArray)) return false;
  if (a.shape.join() !== b.shape.join()) return false;
  return a.data.every((x, i) => Math.abs(x - b.data[i]) <= atol + rtol * Math.abs(b.data[i]));
}

/** A dict's arrays all close to another's (same keys). */
export function closeDict(a: Value, b: Record<string, NDArray>, keys = Object.keys(b)): boolean {
  if (!a || typeof a !== 'object' || Array.isArray(a) || a instanceof NDArray) return false;
  return keys.every((k) => close((a as Record<string, Value>)[k], b[k]));
}

interface Candidate<T> {
  sentence: string;
  value: () => T;
}

function first<T>(cands: Candidate<T>[], matches: (v: T) => boolean): string | undefined {
  for (const c of cands) {
    try {
      if (matches(c.value())) return c.sentence;
    } catch {
      // the buggy formula does not apply to these shapes
    }
  }
  return undefined;
}

export function diagnoseForward(X: NDArray, p: Parameters, actual: Value): string | undefined {
  const A2 = Array.isArray(actual) ? actual[0] : undefined;
  const variants = (act: (z: NDArray) => NDArray) => () => {
    const A1 = act(add(dot(p.W1, X), p.b1));
    return sig(add(dot(p.W2, A1), p.b2));
  };
  return first<NDArray>(
    [
      { sentence: 'A1 = sigmoid(Z1) where the hidden layer is tanh: A1 = np.tanh(Z1)', value: variants(sig) },
      {
        sentence: 'A1 = relu(Z1) where the hidden layer is tanh: A1 = np.tanh(Z1)',
        value: variants((z) => map(z, (x) => Math.max(0, x))),
      },
      {
        sentence: 'A2 = np.tanh(Z2) where the output is sigmoid(Z2)',
        value: () => map(add(dot(p.W2, map(add(dot(p.W1, X), p.b1), Math.tanh)), p.b2), Math.tanh),
      },
      {
        sentence: 'A2 = Z2: the sigmoid of the output layer is missing',
        value: () => add(dot(p.W2, map(add(dot(p.W1, X), p.b1), Math.tanh)), p.b2),
      },
      {
        sentence: 'Z2 = np.dot(W1, A1) + b2: W1 is used where W2 belongs',
        value: () => sig(add(dot(p.W1, map(add(dot(p.W1, X), p.b1), Math.tanh)), p.b2)),
      },
      {
        sentence: 'b1 and b2 are swapped',
        value: () => sig(add(dot(p.W2, map(add(dot(p.W1, X), p.b2), Math.tanh)), p.b1)),
      },
    ],
    (v) => close(A2 as Value, v),
  );
}

export function diagnoseCost(A2: NDArray, Y: NDArray, actual: Value): string | undefined {
  const m = Y.shape[1];
  const c = shallowCost(A2, Y);
  const logs = (f: (a: number, y: number) => number) => -A2.data.reduce((s, a, i) => s + f(a, Y.data[i]), 0) / m;
  return first<number>(
    [
      { sentence: 'the cost is not divided by m (a sum where the mean belongs)', value: () => c * m },
      { sentence: 'the cost has no minus sign', value: () => -c },
      { sentence: 'the cost drops the (1 - Y) * log(1 - A2) term', value: () => logs((a, y) => y * Math.log(a)) },
      { sentence: 'the cost drops the Y * log(A2) term', value: () => logs((a, y) => (1 - y) * Math.log(1 - a)) },
      {
        sentence: 'the cost uses log(A2) where log(1 - A2) belongs',
        value: () => logs((a, y) => y * Math.log(a) + (1 - y) * Math.log(a)),
      },
    ],
    (v) => close(actual, v),
  );
}

export function diagnoseBackward(
  p: Parameters,
  cache: { A1: NDArray; A2: NDArray },
  X: NDArray,
  Y: NDArray,
  actual: Value,
): string | undefined {
  const m = X.shape[1];
  const { A1, A2 } = cache;
  const grads = (deriv: (a: number) => number, o: { m?: number; wrongW?: boolean } = {}) => {
    const k = o.m ?? m;
    const dZ2 = sub(A2, Y);
    const back = dot(o.wrongW ? p.W1 : p.W2, dZ2, true);
    const dZ1 = map(back, (v, i) => v * deriv(A1.data[i]));
    return {
      dW1: scale(1 / k, dot(dZ1, X, false, true)),
      db1: scale(1 / k, sum(dZ1, { axis: 1, keepdims: true })),
      dW2: scale(1 / k, dot(dZ2, A1, false, true)),
      db2: scale(1 / k, sum(dZ2, { axis: 1, keepdims: true })),
    };
  };
  const tanh = (a: number) => 1 - a * a;
  const g = grads(tanh);
  const a = actual as Record<string, Value>;
  if (!a || typeof a !== 'object') return undefined;
  const shape = (k: string) => (a[k] instanceof NDArray ? (a[k] as NDArray).shape.join(', ') : '');
  for (const k of ['db1', 'db2']) {
    const n = g[k as 'db1'].shape[0];
    if (shape(k) === `${n}, ${m}` && m !== 1)
      return `${k} is dZ itself, not summed over the examples: np.sum(dZ, axis=1, keepdims=True) / m`;
    if (n !== 1 && shape(k) === `1, ${m}`)
      return `${k} is summed over axis 0 (the units) where axis=1 (the examples) belongs`;
    if (shape(k) === `${n}` || (n !== 1 && shape(k) === `${m}`))
      return `${k} has shape (${(a[k] as NDArray).shape[0]},): keepdims=True is missing (or the wrong axis)`;
  }
  return first<Record<string, NDArray>>(
    [
      {
        sentence: "tanh's derivative is written 1 - A1 where it is 1 - A1**2 (np.power(A1, 2))",
        value: () => grads((x) => 1 - x),
      },
      {
        sentence: "the sigmoid's derivative A1 * (1 - A1) is used where tanh's, 1 - A1**2, belongs",
        value: () => grads((x) => x * (1 - x)),
      },
      {
        sentence: 'the gradients are not divided by m (the 1/m factor is missing)',
        value: () => grads(tanh, { m: 1 }),
      },
      { sentence: 'dZ1 uses W1 where W2 belongs: np.dot(W2.T, dZ2)', value: () => grads(tanh, { wrongW: true }) },
      { sentence: 'dW1 and dW2 lack 1/m', value: () => ({ ...g, dW1: scale(m, g.dW1), dW2: scale(m, g.dW2) }) },
      { sentence: 'db1 and db2 lack 1/m', value: () => ({ ...g, db1: scale(m, g.db1), db2: scale(m, g.db2) }) },
      ...(['dW1', 'db1', 'dW2', 'db2'] as const).map((k) => ({
        sentence: `${k} is not divided by m (the 1/m factor is missing)`,
        value: () => ({ ...g, [k]: scale(m, g[k]) }),
      })),
    ],
    (v) => closeDict(actual, v),
  );
}

export function diagnoseUpdate(p: Parameters, grads: Parameters, lr: number, actual: Value): string | undefined {
  return first<Parameters>(
    [
      {
        sentence: `the learning_rate argument is ignored: the step is 1.2 whatever is passed (here ${lr})`,
        value: () => updatePlanar(p, grads, 1.2),
      },
      {
        sentence: 'the step is added: parameters + learning_rate * grads (gradient ascent)',
        value: () => updatePlanar(p, grads, -lr),
      },
      { sentence: 'the learning rate is missing: parameters - grads', value: () => updatePlanar(p, grads, 1) },
    ],
    (v) => closeDict(actual, v),
  );
}

export function diagnosePredict(p: Parameters, X: NDArray, actual: Value): string | undefined {
  const [A2] = forwardPropagation(X, p);
  return first<NDArray>(
    [
      { sentence: 'predict returns the probabilities A2, not A2 > 0.5', value: () => A2 },
      { sentence: 'predict inverts the labels: A2 < 0.5', value: () => map(A2, (a) => (a < 0.5 ? 1 : 0)) },
    ],
    (v) => close(actual, v),
  );
}
