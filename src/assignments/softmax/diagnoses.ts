/**
 * The common bugs of the softmax section, recognised from an engine's answer: each recomputes what the function
 * returns with the bug (on the seed's whole-array softmax) and the differential check names the one the answer
 * matches, in a sentence a student can act on.
 */
import { NDArray } from '../../tensor/ndarray.ts';
import type { Engine, Value } from '../../engine/engine.ts';
import { softmax } from '../../engine/reference/extras.ts';

const map = (a: NDArray, f: (x: number, k: number) => number) => new NDArray(a.data.map(f), a.shape);
const total = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);
const cols = (a: NDArray) => a.shape[1] as number;

/** Each row normalised (axis=1): for one column every entry is 1. */
function overRows(e: NDArray): NDArray {
  const m = cols(e);
  return map(e, (x, k) => x / total(e.data.subarray(k - (k % m), k - (k % m) + m)));
}

/** The label matrix of y (1, m): 1 at [y_i, i]. */
const onehot = (Z: NDArray, y: NDArray) => map(Z, (_, k) => (y.data[k % cols(Z)] === Math.floor(k / cols(Z)) ? 1 : 0));

/** -sum(f(a) * Y) / divisor, a = softmax(Z): the losses and their variants. */
const loss = (a: NDArray, Y: NDArray, f: (p: number) => number, divisor: number) =>
  total(a.data.map((p, k) => (Y.data[k] ? -f(p) * (Y.data[k] as number) : 0))) / divisor;

type Candidates = [sentence: string, value: (args: NDArray[]) => Value][];

const lossCandidates = (target: (Z: NDArray, t: NDArray) => NDArray): Candidates => [
  ['sums the log-likelihoods without dividing by m', ([Z, t]) => loss(softmax(Z!), target(Z!, t!), Math.log, 1)],
  [
    'has no minus sign: the log-likelihood, not its negative',
    ([Z, t]) => loss(softmax(Z!), target(Z!, t!), (p) => -Math.log(p), cols(t!)),
  ],
  ['takes the log of the logits Z, not of softmax(Z)', ([Z, t]) => loss(Z!, target(Z!, t!), Math.log, cols(t!))],
  [
    'divides by the number of classes (Z.shape[0]), not of examples (m = y.shape[1])',
    ([Z, t]) => loss(softmax(Z!), target(Z!, t!), Math.log, Z!.shape[0] as number),
  ],
  [
    "takes log(1 - a) (the binary cross-entropy's other term), not log(a)",
    ([Z, t]) => loss(softmax(Z!), target(Z!, t!), (p) => Math.log(1 - p), cols(t!)),
  ],
];

const deltaCandidates = (target: (Z: NDArray, t: NDArray) => NDArray): Candidates => [
  ['does not divide by m', ([Z, t]) => map(softmax(Z!), (p, k) => p - (target(Z!, t!).data[k] as number))],
  ['does not subtract the labels: softmax(Z) / m', ([Z, t]) => map(softmax(Z!), (p) => p / cols(t!))],
  [
    'has its sign swapped: (labels - softmax(Z)) / m',
    ([Z, t]) => map(softmax(Z!), (p, k) => ((target(Z!, t!).data[k] as number) - p) / cols(t!)),
  ],
  [
    'forgets softmax: (Z - labels) / m',
    ([Z, t]) => map(Z!, (z, k) => (z - (target(Z!, t!).data[k] as number)) / cols(t!)),
  ],
  [
    'subtracts the logits Z, not the labels: (softmax(Z) - Z) / m',
    ([Z, t]) => map(softmax(Z!), (p, k) => (p - (Z!.data[k] as number)) / cols(t!)),
  ],
  [
    'multiplies by softmax(Z) once more: softmax(Z) * (softmax(Z) - labels) / m',
    ([Z, t]) => map(softmax(Z!), (p, k) => (p * (p - (target(Z!, t!).data[k] as number))) / cols(t!)),
  ],
];

const softmaxCandidates: Candidates = [
  ['returns exp(z) without dividing by the sum', ([z]) => map(z!, Math.exp)],
  [
    'normalises each row (np.sum(exps, axis=1)): each class across the examples, not the whole array',
    ([z]) => overRows(map(z!, Math.exp)),
  ],
];

const CANDIDATES: Record<string, Candidates> = {
  softmax: softmaxCandidates,
  stable_softmax: [
    ...softmaxCandidates,
    [
      'subtracts the max after exponentiating (np.exp(z) - np.max(z)), not inside the exp (np.exp(z - np.max(z)))',
      ([z]) => {
        const top = Math.max(...z!.data);
        const e = map(z!, (x) => Math.exp(x) - top);
        return map(e, (x) => x / total(e.data));
      },
    ],
  ],
  cross_entropy: lossCandidates(onehot),
  cross_entropy_one_hot: lossCandidates((_, Y) => Y),
  delta_cross_entropy: [
    ...deltaCandidates(onehot),
    [
      "uses the first example's label (y[0, 0]) for every example",
      ([Z, y]) => map(softmax(Z!), (p, k) => (p - (Math.floor(k / cols(Z!)) === y!.data[0] ? 1 : 0)) / cols(y!)),
    ],
  ],
  delta_cross_entropy_one_hot: deltaCandidates((_, Y) => Y),
};

/** Equal within rtol 1e-9, NaN where the other is NaN (log of a negative logit). */
function same(got: Value, want: Value): boolean {
  const eq = (a: number, b: number) => Object.is(a, b) || a === b || Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b);
  if (typeof want === 'number') {
    const g = got instanceof NDArray && got.size === 1 ? got.data[0] : got;
    return typeof g === 'number' && eq(g, want);
  }
  if (!(want instanceof NDArray) || !(got instanceof NDArray) || got.shape.join() !== want.shape.join()) return false;
  return want.data.every((w, k) => eq(got.data[k] as number, w));
}

/**
 * A second input on which the candidates differ (a shrunk counterexample, z = 0 with one example, fits several: exp(0)
 * is 1 whether or not the rows are summed): 3 classes, 2 examples, a negative logit at each label.
 */
const PROBE_Z = NDArray.from([
  [0.5, -1.2],
  [1.5, 0.3],
  [-0.7, 2.1],
]);
const PROBE_Y = NDArray.from([[1, 0]], 'int64');
const probeArgs = (fn: string): NDArray[] =>
  fn.includes('softmax')
    ? [PROBE_Z]
    : fn.endsWith('one_hot')
      ? [PROBE_Z, onehot(PROBE_Z, PROBE_Y)]
      : [PROBE_Z, PROBE_Y];

const matches = (got: Value, value: (args: NDArray[]) => Value, args: NDArray[]) => {
  try {
    return same(got, value(args));
  } catch {
    return false; // a candidate that cannot be computed on these inputs is not the one
  }
};

/**
 * The bug the engine's answer matches, as a sentence that follows the function's name ("cross_entropy takes the log
 * of the logits Z, ..."), or undefined: the one candidate that gives the engine's answer both on the failing input
 * and on a probe input where the candidates differ.
 */
export async function diagnoseSoftmax(
  engine: Engine,
  fn: string,
  args: Value[],
  got: Value,
): Promise<string | undefined> {
  if (!args.every((a) => a instanceof NDArray)) return undefined;
  const here = (CANDIDATES[fn] ?? []).filter(([, value]) => matches(got, value, args as NDArray[]));
  if (!here.length) return undefined;
  const probe = probeArgs(fn);
  const there = await engine.call(fn, probe).catch(() => undefined);
  if (there === undefined) return undefined;
  const both = here.filter(([, value]) => matches(there, value, probe));
  return both.length === 1 ? both[0]![0] : undefined;
}
