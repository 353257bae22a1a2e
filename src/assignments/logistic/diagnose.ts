/**
 * Week 2's common bugs, each named in one plain sentence: a wrong value is held against the reference computed
 * with that bug planted (missing 1/m, wrong sign, no transpose, not summed, swapped, every iteration...). The
 * hypotheses come from the corpus of real submissions (label and bug lists of /work/corpus/week2) and the issue.
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { sub } from '../../tensor/ops.ts';
import type { Value } from '../../engine/engine.ts';
import { isDict, same, sameNumbers, scalarOf, times } from './compare.ts';
import { activations, model, optimize, predict, propagate, sigmoid, type Bias } from './reference.ts';

const first = (hyps: [boolean | (() => boolean), string | (() => string)][]): string | undefined => {
  for (const [test, sentence] of hyps) {
    try {
      if (typeof test === 'function' ? test() : test) return typeof sentence === 'function' ? sentence() : sentence;
    } catch {
      /* a hypothesis that does not apply */
    }
  }
  return undefined;
};

export function diagnoseSigmoid(z: NDArray | number, actual: Value): string | undefined {
  const ref = sigmoid(z);
  return first([
    [
      Array.isArray(actual) && actual.length === 2,
      "sigmoid returns a tuple of 2 (week 4's [A, cache]); week 2's sigmoid returns one array",
    ],
    [() => sameNumbers(actual, times(-1, sigmoid(z))), 'sigmoid has the wrong sign'],
    [() => sameNumbers(actual, sigmoid(times(-1, z))), 'sigmoid computes 1 / (1 + exp(z)): the exponent needs -z'],
    [() => sameNumbers(actual, ref) && actual instanceof NDArray, 'sigmoid returns an array of another shape than z'],
  ]);
}

export function diagnoseInit(dim: number, actual: Value): string | undefined {
  const w = Array.isArray(actual) ? actual[0] : undefined;
  const b = Array.isArray(actual) ? actual[1] : undefined;
  return first([
    [!Array.isArray(actual) || actual.length !== 2, 'initialize_with_zeros must return the pair (w, b)'],
    [
      w instanceof NDArray && w.size === dim && w.data.some((x) => x !== 0),
      'w is not zeros: initialize_with_zeros must return np.zeros((dim, 1)), not random weights',
    ],
    [w instanceof NDArray && w.size === dim && w.ndim !== 2, `w has shape (${dim},); the notebook's is (dim, 1)`],
    [
      w instanceof NDArray && dim > 1 && w.ndim === 2 && w.shape[0] === 1,
      "w is a row (1, dim); the notebook's is a column (dim, 1)",
    ],
    [scalarOf(b) !== undefined && scalarOf(b) !== 0, 'b is not 0'],
  ]);
}

/** propagate computed with one bug planted, for the hypotheses below. */
function buggyPropagate(w: NDArray, b: Bias, X: NDArray, Y: NDArray) {
  const m = X.shape[1];
  const [g, cost] = propagate(w, b, X, Y);
  const A = activations(w, b, X);
  const diff = sub(A, Y);
  let onlyY = 0;
  for (let i = 0; i < A.size; i++) onlyY += Y.data[i] * Math.log(A.data[i]);
  return { g, cost, m, diff, A, onlyY: (-1 / m) * onlyY };
}

export function diagnosePropagate(args: Value[], actual: Value): string | undefined {
  const [w, b, X, Y] = args as [NDArray, Bias, NDArray, NDArray];
  const { g, cost, m, onlyY } = buggyPropagate(w, b, X, Y);
  if (!Array.isArray(actual) || actual.length !== 2 || !isDict(actual[0]))
    return 'propagate must return (grads, cost) with grads = {"dw": dw, "db": db}';
  const grads = actual[0] as Record<string, Value>;
  const [dw, db, c] = [grads.dw, grads.db, actual[1]];
  const [noB] = propagate(w, 0, X, Y);
  const okDw = same(dw, g.dw);
  const okDb = sameNumbers(db, g.db);
  const okCost = sameNumbers(c, cost);
  const swapped = first([
    [() => !okDw && !okDb && sameNumbers(db, g.dw), 'dw and db are swapped'],
    [() => !okDw && !okDb && same(dw, noB.dw) && sameNumbers(db, noB.db), 'propagate does not add b to np.dot(w.T, X)'],
  ]);
  if (swapped) return swapped;
  const sentences = [
    okDw
      ? undefined
      : first([
          [() => same(dw, times(m, g.dw)), 'dw is missing the 1/m factor'],
          [() => same(dw, times(-1, g.dw)), 'dw has the wrong sign: it is (1/m) X (A - Y)ᵀ, not (Y - A)'],
          [
            () => dw instanceof NDArray && dw.ndim === 2 && dw.shape[0] === 1 && sameNumbers(dw, g.dw),
            'dw is transposed: np.dot(X, (A - Y).T) has shape (n, 1)',
          ],
          [
            () => dw instanceof NDArray && dw.size === X.size,
            'dw is not summed over the examples: it is np.dot(X, (A - Y).T) / m, not X * (A - Y) / m',
          ],
        ]),
    okDb
      ? undefined
      : first([
          [
            () => db instanceof NDArray && db.size === m && m > 1,
            'db is not summed over the examples: np.sum(A - Y) / m',
          ],
          [() => sameNumbers(db, m * g.db), 'db is missing the 1/m factor'],
          [() => sameNumbers(db, -g.db), 'db has the wrong sign: it is (1/m) np.sum(A - Y), not (Y - A)'],
        ]),
    okCost
      ? undefined
      : first([
          [() => c instanceof NDArray && c.size === m && m > 1, 'the cost is not summed over the examples'],
          [
            () => sameNumbers(c, -cost),
            'the cost has the wrong sign: it is -1/m * np.sum(Y log(A) + (1 - Y) log(1 - A))',
          ],
          [() => sameNumbers(c, m * cost), 'the cost is missing the 1/m factor'],
          [() => sameNumbers(c, onlyY), 'the cost is missing the (1 - Y) * log(1 - A) term'],
          [c === null, 'the cost is never computed (propagate returns None for it)'],
        ]),
  ].filter((s): s is string => !!s);
  return sentences.length ? sentences.join('; ') : undefined;
}

/** w after optimize with w -= lr * db and b -= lr * dw. */
function swappedUpdate(w: NDArray, b: Bias, X: NDArray, Y: NDArray, n: number, lr: number): NDArray {
  let bb: Bias = b;
  for (let i = 0; i < n; i++) {
    const [g] = propagate(w, bb, X, Y);
    const nextW = sub(w, lr * g.db);
    bb = sub(typeof bb === 'number' ? new NDArray(Float64Array.of(bb), []) : bb, times(lr, g.dw) as NDArray);
    w = nextW;
  }
  return w;
}

const expectedCount = (iterations: number) => Math.ceil(iterations / 100);

export function diagnoseOptimize(args: Value[], actual: Value): string | undefined {
  const [w, b, X, Y, n, lr] = args as [NDArray, Bias, NDArray, NDArray, number, number];
  if (!Array.isArray(actual) || actual.length !== 3) return 'optimize must return (params, grads, costs)';
  const [params, grads, costs] = actual as [Record<string, Value>, Record<string, Value>, Value];
  const ref = optimize(w, b, X, Y, n, lr);
  return first([
    [
      isDict(grads) && isDict(params) && same(grads.dw, params.w as NDArray),
      'optimize returns w and b in the grads dict in place of dw and db',
    ],
    [
      Array.isArray(costs) && costs.length === n && n > 1,
      'the cost is recorded at every iteration, not every 100 (if i % 100 == 0)',
    ],
    [Array.isArray(costs) && costs.length === 0 && n > 0, 'optimize never records the cost (costs stays empty)'],
    [() => same(params.w, w) && !same(ref.params.w, w), 'optimize never updates w'],
    [
      () => sameNumbers(params.b, scalarOf(b as Value)!) && !sameNumbers(ref.params.b, scalarOf(b as Value)!),
      'optimize never updates b',
    ],
    [() => same(params.w, swappedUpdate(w, b, X, Y, n, lr)), 'optimize updates w with db and b with dw (swapped)'],
    [
      () => same(params.w, optimize(w, b, X, Y, n, -lr).params.w),
      'optimize adds the gradient (w + learning_rate * dw) instead of subtracting it',
    ],
    [
      () => same(params.w, optimize(w, b, X, Y, 2 * n, lr).params.w),
      'optimize runs num_iterations updates twice (a leftover loop)',
    ],
    [
      () =>
        Array.isArray(costs) &&
        costs.length === expectedCount(n) &&
        same(params.w, ref.params.w) &&
        !same(costs, ref.costs),
      'the recorded costs are not the cost at iterations 0, 100, 200, ...',
    ],
    [
      Array.isArray(costs) && costs.length !== expectedCount(n),
      `costs has ${Array.isArray(costs) ? costs.length : 0} entries where the notebook records one every 100 iterations (${expectedCount(n)})`,
    ],
  ]);
}

export function diagnosePredict(args: Value[], actual: Value): string | undefined {
  const [w, b, X] = args as [NDArray, Bias, NDArray];
  const ref = predict(w, b, X);
  const A = activations(w.reshape([X.shape[0], 1]), b, X);
  return first([
    [
      () => actual instanceof NDArray && actual.size === ref.size && actual.shape.join() !== ref.shape.join(),
      `predict returns shape (${(actual as NDArray).shape.join(', ')}); the notebook's Y_prediction has shape (1, m)`,
    ],
    [() => sameNumbers(actual, sub(1, ref)), 'predict inverts the labels: 1 where A > 0.5, else 0'],
    [() => sameNumbers(actual, A), 'predict returns the probabilities A, not 0/1 labels'],
    [() => sameNumbers(actual, predict(w, 0, X)), 'predict does not add b to np.dot(w.T, X)'],
    [
      () => actual instanceof NDArray && actual.data.every((x) => x === 0 || x === 1),
      "predict's threshold is not 0.5: 1 where A > 0.5, else 0",
    ],
  ]);
}

export function diagnoseModel(args: Value[], actual: Value): string | undefined {
  const [Xtr, Ytr, Xte, Yte, n, lr] = args as [NDArray, NDArray, NDArray, NDArray, number, number];
  if (!isDict(actual)) return 'model must return the dict d';
  const d = actual as Record<string, Value>;
  const missing = ['costs', 'Y_prediction_test', 'Y_prediction_train', 'w', 'b'].filter((k) => !(k in d));
  const ref = model(Xtr, Ytr, Xte, Yte, n, lr);
  return first([
    [missing.length > 0, `d has no ${missing.map((k) => `'${k}'`).join(', ')}`],
    [
      () => same(d.Y_prediction_test, ref.Y_prediction_train) && same(d.Y_prediction_train, ref.Y_prediction_test),
      'Y_prediction_train and Y_prediction_test are swapped',
    ],
    [() => !same(d.w, ref.w) && hardCoded(args, d.w) !== undefined, () => hardCodedSentence(args, d.w)],
  ]);
}

/** Which of num_iterations and learning_rate model ignores, with the values its w was trained with. */
function hardCodedSentence(args: Value[], w: Value | undefined): string {
  const [, , , , n, lr] = args as [NDArray, NDArray, NDArray, NDArray, number, number];
  const { n: n2, lr: lr2 } = hardCoded(args, w)!;
  const ignored = [n2 !== n && 'num_iterations', lr2 !== lr && 'learning_rate'].filter(Boolean);
  const used = [n2 !== n && `${n2} iterations`, lr2 !== lr && `a learning rate of ${lr2}`].filter(Boolean);
  return `model ignores its ${ignored.join(' and ')} argument${ignored.length > 1 ? 's' : ''}: its w is the one ${used.join(' at ')} give${used.length > 1 ? '' : 's'} (hard-coded where model calls optimize)`;
}

/** The values students hard-code in model's call of optimize (the notebook's defaults and its cells' values). */
const ITERATIONS = [100, 1000, 1500, 2000];
const RATES = [0.005, 0.009, 0.01, 0.1, 0.5];

/** The number of iterations and rate model's w was trained with, if hard-coded values (not its arguments) give it. */
function hardCoded(args: Value[], w: Value | undefined): { n: number; lr: number } | undefined {
  const [Xtr, Ytr, Xte, Yte, n, lr] = args as [NDArray, NDArray, NDArray, NDArray, number, number];
  for (const n2 of [n, ...ITERATIONS])
    for (const lr2 of [lr, ...RATES]) {
      if (n2 === n && lr2 === lr) continue;
      if (same(w, model(Xtr, Ytr, Xte, Yte, n2, lr2).w)) return { n: n2, lr: lr2 };
    }
  return undefined;
}

/** A sentence for an exception whose message shows the bug. */
export function diagnoseRaised(fn: string, raised: string): string | undefined {
  if (fn === 'model' && /12288/.test(raised))
    return "model hard-codes the cat images' 12288 features: initialize_with_zeros(X_train.shape[0])";
  const keyword = /unexpected keyword argument '(\w+)'/.exec(raised)?.[1];
  if (keyword)
    return `${fn} has no parameter named ${keyword}, which the notebook's own cells and tests pass by name (${fn}(..., ${keyword}=...)): keep the notebook's parameter names`;
  return undefined;
}
