/**
 * One plain sentence about a failing function, from what its failing checks recorded: the value expected and
 * the value returned where they first differ, and the call's inputs (evidence.ts). The common bugs of real
 * implementations are recognised by recomputing what the buggy line would have given (db summed over axis 0,
 * np.log(AL) in the (1 - Y) term, ReLU on the output layer, W updated with the wrong layer's gradient, ...) or
 * by the relation between the two values (a factor of m, -1 or 100, a transposition, a dropped keepdims);
 * otherwise the sentence says what was returned where the notebook expects what.
 */
import { NDArray, shapeToString } from '../tensor/ndarray.ts';
import { dot, transpose } from '../tensor/linalg.ts';
import { add } from '../tensor/ops.ts';
import { sum } from '../tensor/reduce.ts';
import { RandomState } from '../random/index.ts';
import { linearActivationBackward, costGradient } from '../engine/reference/backward.ts';
import { linearActivationForward } from '../engine/reference/forward.ts';
import type { Activation, LayerCache } from '../engine/reference/types.ts';
import type { Value } from '../engine/engine.ts';
import { type Evidence, fromWire } from './evidence.ts';
import { diagnoseReluBackward, reluDiagnosisInMessage } from './relu.ts';

export interface Diagnosis {
  /** one sentence a student can act on, starting with the function's name */
  sentence: string;
  /** which pattern was recognised: 'axis', 'keepdims', 'factor-m', 'sign', ...; 'differs', 'raises' when none was */
  cause: string;
}

/** Names of a function's tuple results, for paths such as [2] -> db. */
const RESULT_NAMES: Record<string, string[]> = {
  linear_forward: ['Z', 'cache'],
  linear_activation_forward: ['A', 'cache'],
  sigmoid: ['A', 'cache'],
  relu: ['A', 'cache'],
  L_model_forward: ['AL', 'caches'],
  linear_backward: ['dA_prev', 'dW', 'db'],
  linear_activation_backward: ['dA_prev', 'dW', 'db'],
};
const SINGLE_NAMES: Record<string, string> = {
  compute_cost: 'cost',
  sigmoid_backward: 'dZ',
  relu_backward: 'dZ',
  initialize_parameters: 'parameters',
  initialize_parameters_deep: 'parameters',
  update_parameters: 'parameters',
  L_model_backward: 'grads',
};

/** The notebook's name for the value at `path` of fn's result: '[2]' of linear_backward is db. */
export function valueName(fn: string, path: string): string {
  const parts = [...path.matchAll(/\[(\d+)\]|\["([^"]*)"\]/g)].map((m) => m[2] ?? Number(m[1]));
  if (parts.length === 0) return SINGLE_NAMES[fn] ?? 'the result';
  const last = parts.at(-1)!;
  if (typeof last === 'string') return last;
  if (parts.length === 1) return RESULT_NAMES[fn]?.[last] ?? `result${path}`;
  const head = typeof parts[0] === 'number' ? RESULT_NAMES[fn]?.[parts[0]] : parts[0];
  return `${head ?? 'result'}${path.slice(path.indexOf(']') + 1)}`;
}

const arr = (v: Value): NDArray | undefined => (v instanceof NDArray ? v : undefined);
const num = (v: Value): number | undefined =>
  typeof v === 'number' ? v : v instanceof NDArray && v.size === 1 ? v.data[0] : undefined;

/** Equal within the evidence's precision: float64 noise for the reference, the printed digits for a print. */
function close(a: NDArray, b: NDArray, source: Evidence['source']): boolean {
  if (a.size !== b.size) return false;
  let scale = 0;
  for (const x of b.data) scale = Math.max(scale, Math.abs(x));
  const tol = source === 'print' ? 1e-6 * scale + 1e-8 : 1e-9 * Math.max(scale, 1e-300);
  return a.data.every((x, i) => Math.abs(x - b.data[i]) <= tol);
}
const closeShaped = (a: NDArray, b: NDArray, source: Evidence['source']) =>
  a.shape.join() === b.shape.join() && close(a, b, source);
/** The engine returned what a buggy line gives (`alt`), and that differs from what the notebook expects. */
const isBug = (a: NDArray, e: NDArray, alt: NDArray | undefined, source: Evidence['source']) =>
  // zeros match too many bugs (a ReLU that is off everywhere) to name one
  alt?.data.some((x) => x !== 0) && closeShaped(a, alt, source) && !closeShaped(e, alt, source);

function describe(v: Value): string {
  if (v instanceof NDArray) return v.ndim === 0 ? `a 0-d array` : `an array of shape ${shapeToString(v.shape)}`;
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `a tuple of ${v.length}`;
  if (typeof v === 'object') return `a dict (keys ${Object.keys(v).join(', ')})`;
  return typeof v === 'string' ? 'a str' : typeof v === 'number' ? 'a number' : typeof v;
}

/** x printed with as many significant digits as it takes to tell it from y (6 at least, as `short`). */
const distinct = (x: number, y: number) => {
  for (let p = 6; p <= 17; p++) {
    const fx = Number.isInteger(x) ? String(x) : x.toPrecision(p).replace(/\.?0+(e|$)/, '$1');
    const fy = Number.isInteger(y) ? String(y) : y.toPrecision(p).replace(/\.?0+(e|$)/, '$1');
    if (fx !== fy || x === y) return fx;
  }
  return String(x);
};
const short = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(6).replace(/\.?0+(e|$)/, '$1'));

/** m, the number of examples, of a call whose inputs are known. */
function examples(fn: string, inputs: Record<string, Value>): number | undefined {
  const cols = (k: string) => arr(inputs[k])?.shape[1];
  if (fn === 'linear_backward') return cols('dZ');
  if (fn === 'linear_activation_backward') return cols('dA');
  if (fn === 'L_model_backward' || fn === 'compute_cost') return cols('AL') ?? cols('Y');
  return undefined;
}

/** c with actual ≈ c · expected, when one constant explains every element. */
function factor(a: NDArray, e: NDArray, source: Evidence['source']): number | undefined {
  let ae = 0;
  let ee = 0;
  for (let i = 0; i < e.size; i++) {
    ae += a.data[i] * e.data[i];
    ee += e.data[i] * e.data[i];
  }
  if (ee === 0) return undefined;
  const c = ae / ee;
  const scaled = new NDArray(
    e.data.map((x) => c * x),
    e.shape,
  );
  return close(a, scaled, source) ? c : undefined;
}

/** `size`: how many elements the factor was fitted on; one element fits any factor, so only known ones count. */
function factorSentence(c: number, name: string, m?: number, size = 2): [string, string] | undefined {
  const near = (x: number) => Math.abs(c - x) <= 1e-6 * Math.abs(x);
  if (near(1)) return undefined;
  if (Math.abs(c) < 1e-12) return [`${name} is all zeros where the notebook's is not`, 'zero'];
  if (near(-1)) return [`${name} has the wrong sign (it is -1 times the notebook's)`, 'sign'];
  if (m && m > 1) {
    if (near(m)) return [`${name} is missing the 1/m factor (off by a factor of m = ${m})`, 'factor-m'];
    if (near(1 / m)) return [`${name} is divided by m twice (off by a factor of 1/m, m = ${m})`, 'factor-1/m'];
    if (near(-m)) return [`${name} has the wrong sign and is missing the 1/m factor (m = ${m})`, 'sign'];
  }
  if (near(100)) return [`${name} is 100 times the notebook's: the * 0.01 scale is missing`, 'scale'];
  // other factors only when they are a whole number or its inverse: 4.00003 is a coincidence, not a bug
  const whole = [c, 1 / c].find((x) => Math.abs(x) <= 1000 && Math.abs(x - Math.round(x)) <= 1e-6 * Math.abs(x));
  if (size < 2 || whole === undefined) return undefined;
  return [`${name} is off by a factor of ${whole === c ? short(Math.round(c)) : `1/${Math.round(1 / c)}`}`, 'factor'];
}

/** The relation between two arrays of different shapes, in the notebook's terms. */
function shapeSentence(fn: string, name: string, a: NDArray, e: NDArray, m?: number): [string, string] {
  const [as, es] = [shapeToString(a.shape), shapeToString(e.shape)];
  if (e.ndim === 0 && a.size === 1)
    return [`${fn} returns shape ${as}; the notebook expects a scalar (np.squeeze)`, 'not-squeezed'];
  if (a.ndim === 0 && e.size === 1)
    return [
      `${fn}: ${name} is a scalar; the notebook keeps it as an array of shape ${es} (no np.squeeze or float() here)`,
      'squeezed',
    ];
  if (e.ndim === 2 && e.shape[1] === 1 && a.ndim === 1 && a.shape[0] === e.shape[0])
    return [
      `${fn}: ${name} has shape ${as}; the notebook keeps the summed axis (keepdims=True, shape ${es})`,
      'keepdims',
    ];
  if (e.ndim === 2 && e.shape[1] === 1 && a.ndim <= 2 && a.shape[0] === 1 && (m === undefined || a.size === m))
    return [
      `${fn}: ${name} is summed over axis 0; the notebook sums over the examples (axis=1, keepdims=True)`,
      'axis',
    ];
  if (a.ndim === 2 && e.ndim === 2 && a.shape[0] === e.shape[1] && a.shape[1] === e.shape[0])
    return [`${fn}: ${name} is transposed: shape ${as} where the notebook's is ${es}`, 'transposed'];
  return [`${fn}: ${name} has shape ${as} where the notebook expects ${es}`, 'shape'];
}

/** Recompute what a known buggy line gives, and compare with what the engine returned. */
type Recognizer = (x: {
  fn: string;
  name: string;
  path: string;
  a: NDArray;
  e: NDArray;
  inputs: Record<string, Value>;
  source: Evidence['source'];
}) => [string, string] | undefined;

const attempt = <T>(f: () => T): T | undefined => {
  try {
    return f();
  } catch {
    return undefined;
  }
};

const RECOGNIZERS: Record<string, Recognizer> = {
  compute_cost({ a, e, inputs, source }) {
    const AL = arr(inputs.AL);
    const Y = arr(inputs.Y);
    if (!AL || !Y || AL.size !== Y.size) return undefined;
    const m = Y.shape[1] ?? Y.size;
    let s = 0;
    for (let i = 0; i < Y.size; i++) s += Y.data[i] * Math.log(AL.data[i]) + (1 - Y.data[i]) * Math.log(AL.data[i]);
    const got = num(a);
    if (got !== undefined && isBug(NDArray.scalar(got), e, NDArray.scalar(-s / m), source))
      return [
        'compute_cost uses np.log(AL) in the (1 - Y) term; the notebook has np.multiply(1 - Y, np.log(1 - AL))',
        'log-AL',
      ];
    return undefined;
  },
  linear_backward({ fn, name, a, e, inputs, source }) {
    const dZ = arr(inputs.dZ);
    const W = Array.isArray(inputs.cache) ? arr(inputs.cache[1]) : undefined;
    if (!dZ) return undefined;
    if (name === 'db') {
      const m = dZ.shape[1];
      let all = 0;
      for (const x of dZ.data) all += x;
      if (a.size === 1 && e.size > 1 && isBug(a, e, NDArray.scalar(all / m), source))
        return [
          `${fn}: db = np.sum(dZ) / m sums over every unit and example (a scalar); the notebook sums over the examples only (np.sum(dZ, axis=1, keepdims=True) / m)`,
          'axis',
        ];
      const axis0 = sum(dZ, { axis: 0, keepdims: true });
      for (const c of [1 / m, 1])
        if (
          closeShaped(
            a.ndim === 1 ? new NDArray(a.data, [1, a.size]) : a,
            new NDArray(
              axis0.data.map((x) => c * x),
              axis0.shape,
            ),
            source,
          )
        )
          return [
            `${fn}: db is summed over axis 0; the notebook sums over the examples (axis=1, keepdims=True)`,
            'axis',
          ];
    }
    if (name === 'dA_prev' && W) {
      const noT = attempt(() => dot(W, dZ));
      if (noT && isBug(a, e, noT, source))
        return [`${fn}: dA_prev is np.dot(W, dZ); the notebook uses the transpose, np.dot(W.T, dZ)`, 'transposed'];
    }
    return undefined;
  },
  sigmoid_backward({ fn, a, e, inputs, source }) {
    const dA = arr(inputs.dA);
    const Z = arr(inputs.cache);
    if (!dA || !Z || dA.size !== Z.size) return undefined;
    const withZ = new NDArray(
      dA.data.map((d, i) => d * Z.data[i] * (1 - Z.data[i])),
      dA.shape,
    );
    if (isBug(a, e, withZ, source))
      return [`${fn} computes Z * (1 - Z); the notebook uses s * (1 - s) with s = sigmoid(Z)`, 'wrong-activation'];
    return undefined;
  },
  relu_backward({ fn, a, inputs }) {
    const Z = arr(inputs.cache);
    const dA = arr(inputs.dA);
    if (!Z || !dA || Z.size !== a.size || dA.size !== a.size) return undefined;
    const d = diagnoseReluBackward(dA.data, Z.data, a.data, fn);
    return d && [d.sentence, d.cause];
  },
  linear_activation_backward({ fn, path, a, e, inputs, source }) {
    const act = inputs.activation;
    const cache = inputs.cache as unknown as LayerCache;
    const dA = arr(inputs.dA);
    if ((act !== 'relu' && act !== 'sigmoid') || !dA || !Array.isArray(cache)) return undefined;
    const other: Activation = act === 'relu' ? 'sigmoid' : 'relu';
    const swapped = attempt(() => linearActivationBackward(dA, cache, other));
    const i = Number(/^\[(\d)\]/.exec(path)?.[1]);
    if (swapped && Number.isInteger(i) && isBug(a, e, swapped[i], source))
      return [
        `${fn} uses the ${other} derivative for activation="${act}" (the relu and sigmoid branches are swapped)`,
        'wrong-activation',
      ];
    return undefined;
  },
  L_model_forward({ fn, name, a, e, inputs, source }) {
    const X = arr(inputs.X);
    const P = inputs.parameters as Record<string, NDArray> | undefined;
    if (name !== 'AL' || !X || !P) return undefined;
    const L = Object.keys(P).filter((k) => /^W\d+$/.test(k)).length;
    const relu = attempt(() => {
      let A = X;
      for (let l = 1; l <= L; l++) A = linearActivationForward(A, P[`W${l}`], P[`b${l}`], 'relu')[0];
      return A;
    });
    if (relu && isBug(a, e, relu, source))
      return [`${fn} applies ReLU to the output layer; the notebook's layer L uses sigmoid`, 'wrong-activation'];
    return undefined;
  },
  L_model_backward({ fn, name, a, e, inputs, source }) {
    const AL = arr(inputs.AL);
    const Y = arr(inputs.Y);
    const caches = inputs.caches as unknown as LayerCache[];
    if (!AL || !Y || !Array.isArray(caches)) return undefined;
    const L = caches.length;
    // the output layer through the ReLU derivative instead of the sigmoid's
    const grads = attempt(() => {
      const g: Record<string, NDArray> = {};
      let dA = costGradient(AL, Y);
      for (let l = L; l >= 1; l--) {
        const [dA_prev, dW, db] = linearActivationBackward(dA, caches[l - 1], 'relu');
        g[`dW${l}`] = dW;
        g[`db${l}`] = db;
        // the engine's key for it is dA{l-1} or dA{l}, by its convention: both are tried
        g[`dA${l - 1}`] = dA_prev;
        g[`dA${l}'`] = dA_prev;
        dA = dA_prev;
      }
      return g;
    });
    const dAKey = /^dA(\d+)$/.exec(name);
    if (dAKey && a.shape.join() !== e.shape.join()) {
      // the input of layer j + 1 is caches[j][0][0]: which layer's input gradient did the engine store here?
      const inputs = caches.map((c) => arr((c as unknown as Value[][])[0]?.[0] as Value));
      const j = inputs.findIndex((A) => A && A.shape.join() === a.shape.join());
      const je = inputs.findIndex((A) => A && A.shape.join() === e.shape.join());
      if (j >= 0 && je >= 0)
        return [
          `${fn}: grads['${name}'] has the shape of A${j} ${shapeToString(a.shape)} where the notebook's ${name} has that of A${je} ${shapeToString(e.shape)}: a grads key is off by one (dA_prev of layer l is stored as 'dA' + str(l - 1) in the newer notebooks, 'dA' + str(l) in the older ones)`,
          'key',
        ];
    }
    if (grads && (isBug(a, e, grads[name], source) || isBug(a, e, grads[`${name}'`], source)))
      return [
        `${fn} uses the ReLU derivative for the output layer; the notebook's layer L is sigmoid (activation="sigmoid")`,
        'wrong-activation',
      ];
    return undefined;
  },
  linear_forward({ fn, path, a, e, inputs, source }) {
    const [A, W, b] = [arr(inputs.A), arr(inputs.W), arr(inputs.b)];
    if (!A || !W || !b) return undefined;
    const inCache = /^\[1\]\[(\d)\]$/.exec(path);
    if (inCache) {
      const held = (['A', 'W', 'b'] as const).find((k) => closeShaped(a, arr(inputs[k])!, source));
      if (held)
        return [
          `${fn}: cache[${inCache[1]}] is ${held}; the notebook's cache is (A, W, b), the order linear_backward unpacks`,
          'cache-order',
        ];
    }
    const bT = attempt(() => add(dot(W, A), transpose(b)));
    if (bT && isBug(a, e, bT, source))
      return [`${fn} adds b.T; the notebook adds b, of shape (n, 1), broadcast over the examples`, 'transposed'];
    return undefined;
  },
  update_parameters({ fn, name, a, e, inputs, source }) {
    const P = inputs.parameters as Record<string, NDArray> | undefined;
    const G = inputs.grads as Record<string, NDArray> | undefined;
    const lr = num(inputs.learning_rate);
    const m = /^([Wb])(\d+)$/.exec(name);
    if (!P || !G || lr === undefined || !m) return undefined;
    const [, kind, layer] = m;
    const before = P[name];
    const step = (g: NDArray | undefined, s: number) =>
      g && g.size === before.size
        ? new NDArray(
            before.data.map((x, i) => x - s * g.data[i]),
            before.shape,
          )
        : undefined;
    const is = (v: NDArray | undefined) => v !== undefined && isBug(a, e, v, source);
    if (is(before))
      return [`${fn}: ${name} is not updated (does the loop over the layers stop one layer short?)`, 'layer-index'];
    if (is(step(G[`d${name}`], -lr)))
      return [`${fn}: ${name} is updated with + learning_rate * d${name}; gradient descent subtracts it`, 'sign'];
    if (is(step(G[`d${name}`], 1)))
      return [
        `${fn}: ${name} is updated without the learning rate (- d${name} in place of - learning_rate * d${name})`,
        'factor',
      ];
    for (const other of Object.keys(G))
      if (other !== `d${name}` && /^d[Wb]\d+$/.test(other) && is(step(G[other], lr)))
        return [
          `${fn}: ${name} is updated with ${other}${other.slice(1, 2) === kind && other.slice(2) !== layer ? ' (layer index off by one)' : ''}`,
          'layer-index',
        ];
    return undefined;
  },
};

const INIT_SEEDS = 64;

/** Where `values` sit in seed s's randn stream (scaled by c): the offset, or -1. */
function streamOffset(values: Float64Array, seed: number, c: number, span: number): number {
  const rs = new RandomState(seed);
  const stream = rs.randn(span).data;
  const k = Math.min(values.length, 4);
  outer: for (let o = 0; o + k <= stream.length; o++) {
    for (let i = 0; i < k; i++)
      if (Math.abs(stream[o + i] * c - values[i]) > 1e-12 * Math.max(1, Math.abs(values[i]))) continue outer;
    return o;
  }
  return -1;
}

/** The shapes of the W's an initialiser draws, in order, from its inputs. */
function weightShapes(fn: string, inputs: Record<string, Value>): [string, number][] {
  const dims =
    fn === 'initialize_parameters'
      ? [num(inputs.n_x), num(inputs.n_h), num(inputs.n_y)]
      : Array.isArray(inputs.layer_dims)
        ? inputs.layer_dims.map(num)
        : arr(inputs.layer_dims)
          ? Array.from(arr(inputs.layer_dims)!.data)
          : [];
  if (dims.some((d) => d === undefined)) return [];
  return dims.slice(1).map((d, i) => [`W${i + 1}`, d! * dims[i]!]);
}

/** The notebook's draw of a weight matrix, or (swapped) the one with its sizes the other way round. */
function draw(fn: string, name: string, swapped: boolean): string {
  const two: Record<string, [string, string]> = { W1: ['n_h', 'n_x'], W2: ['n_y', 'n_h'] };
  const [rows, cols] = fn === 'initialize_parameters' && two[name] ? two[name] : ['layer_dims[l]', 'layer_dims[l-1]'];
  return swapped ? `np.random.randn(${cols}, ${rows})` : `np.random.randn(${rows}, ${cols})`;
}

/** Initialisers: seed, scale, order of the draws, rand for randn, extra draws, random biases. */
function initialisation(
  fn: string,
  name: string,
  a: NDArray,
  e: NDArray,
  inputs: Record<string, Value>,
  source: Evidence['source'],
): [string, string] | undefined {
  if (/^b\d+$/.test(name) && e.data.every((x) => x === 0))
    return [`${fn}: ${name} is not zeros; the notebook initialises biases with np.zeros((n, 1))`, 'init-bias'];
  // randn(n_x, n_h) for randn(n_h, n_x): the shape's two sizes swapped. With a size of 1 it looks like a sum over
  // the wrong axis, (1, n) for (n, 1), which is no sum here: an initialiser draws, it does not reduce
  if (
    /^W\d+$/.test(name) &&
    a.ndim === 2 &&
    e.ndim === 2 &&
    a.shape[0] !== a.shape[1] &&
    a.shape[0] === e.shape[1] &&
    a.shape[1] === e.shape[0]
  ) {
    // the notebook's draw with a .T after it: the values transposed too (a vector reads the same either way)
    if (a.shape[0] > 1 && a.shape[1] > 1 && close(transpose(a), e, source))
      return [
        `${fn}: ${name} is the notebook's draw transposed, shape ${shapeToString(a.shape)} where the notebook's is ${shapeToString(e.shape)}: ${draw(fn, name, false)} without .T`,
        'init-shape',
      ];
    return [
      `${fn}: ${name} has shape ${shapeToString(a.shape)}, its sizes swapped: it is drawn as ${draw(fn, name, true)}; the notebook draws ${draw(fn, name, false)}, shape ${shapeToString(e.shape)}`,
      'init-shape',
    ];
  }
  if (!/^W\d+$/.test(name) || a.shape.join() !== e.shape.join()) return undefined;
  const c = factor(a, e, source);
  if (c !== undefined) return factorSentence(c, `${fn}: ${name}`);
  if (e.data.some((x) => x < 0) && a.data.every((x) => x >= 0))
    return [
      `${fn}: ${name} is drawn with np.random.rand (uniform in [0, 1)); the notebook draws np.random.randn`,
      'init-rand',
    ];
  // a square W transposed is randn(n_prev, n).T or randn(n, n_prev).T alike: the advice that fits both
  if (a.ndim === 2 && a.shape[0] === a.shape[1] && a.shape[0] > 1 && close(transpose(a), e, source))
    return [
      `${fn}: ${name} holds the notebook's numbers transposed; the notebook draws ${draw(fn, name, false)}, with no .T and the sizes in that order`,
      'init-order',
    ];
  if (a.ndim === 2 && close(new NDArray(transpose(a).data, e.shape), e, source))
    return [
      `${fn}: ${name} is drawn as randn(n_prev, n).T; the notebook draws randn(n, n_prev) (the same numbers in another order)`,
      'init-order',
    ];
  if (source !== 'reference') return undefined;
  // the notebook's seed and scale, found from the expected W, then where in which stream the engine's W lies
  const Ws = weightShapes(fn, inputs);
  // wide enough to find a stream that earlier calls (the notebook's other initialiser, its tests) moved on
  const span = Ws.reduce((t, [, n]) => t + n, 0) + 1024;
  let offset = 0;
  for (const [k, n] of Ws) {
    if (k === name) break;
    offset += n;
  }
  for (const seed of [3, 1, ...Array.from({ length: INIT_SEEDS }, (_, i) => i)]) {
    const rs = new RandomState(seed);
    const stream = rs.randn(offset + 1).data;
    const scale = e.data[0] / stream[offset];
    if (streamOffset(e.data, seed, scale, offset + e.size) !== offset) continue;
    for (let s = 0; s < INIT_SEEDS; s++) {
      const o = streamOffset(a.data, s, scale, span);
      if (o < 0) continue;
      // not at the start of any seed's stream: the function draws on from wherever earlier code left the global
      // generator (seen in real notebooks: np.random.seed(1) left out of initialize_parameters)
      if (s !== seed && o !== offset)
        return [
          `${fn} does not call np.random.seed(${seed}) before drawing: ${name} goes on from where earlier code left the random stream (here ${o - offset} draws after np.random.seed(${s})), so its values depend on what ran before it; the notebook calls np.random.seed(${seed}) at the start of ${fn}`,
          'init-no-seed',
        ];
      if (s !== seed)
        return [
          `${fn}: ${name} is drawn after np.random.seed(${s}); the notebook seeds np.random.seed(${seed})`,
          'init-seed',
        ];
      if (o !== offset)
        return [
          `${fn}: ${name} starts ${Math.abs(o - offset)} draw(s) ${o > offset ? 'later' : 'earlier'} in the random stream than the notebook's (${o > offset ? 'an extra' : 'a missing'} np.random call before it)`,
          'init-extra-draw',
        ];
    }
    break;
  }
  return undefined;
}

/** What the notebook computes where a product of two inputs' shapes is meant, for "not aligned" errors. */
const PRODUCTS: Record<string, [string, string, string][]> = {
  linear_forward: [['A', 'W', 'Z = np.dot(W, A) + b']],
  linear_backward: [
    ['W', 'dZ', 'dA_prev = np.dot(W.T, dZ)'],
    ['dZ', 'A_prev', 'dW = np.dot(dZ, A_prev.T) / m'],
  ],
};

/** The input shapes a "shapes (a,b) and (c,d) not aligned" error was about, named. */
function notAligned(fn: string, message: string, inputs: Record<string, Value>): string | undefined {
  const m = /shapes \((\d+),(\d+)\) and \((\d+),(\d+)\) not aligned/.exec(message);
  if (!m) return undefined;
  const [x, y] = [`${m[1]},${m[2]}`, `${m[3]},${m[4]}`];
  const named: Record<string, NDArray> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (v instanceof NDArray) named[k] = v;
    // a parameters dict: W1, b1, ...
    else if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [key, x] of Object.entries(v)) if (x instanceof NDArray) named[key] = x;
    // linear_backward's cache (A_prev, W, b)
    if (k === 'cache' && Array.isArray(v) && v.length === 3)
      ['A_prev', 'W', 'b'].forEach((n, i) => {
        if (v[i] instanceof NDArray) named[n] = v[i] as NDArray;
      });
  }
  const find = (s: string) => Object.keys(named).find((k) => named[k].shape.join() === s);
  const findT = (s: string) => Object.keys(named).find((k) => [...named[k].shape].reverse().join() === s);
  for (const [p, q, formula] of PRODUCTS[fn] ?? []) {
    const [P, Q] = [named[p], named[q]];
    if (!P || !Q) continue;
    if (P.shape.join() === x && Q.shape.join() === y)
      return `${fn} calls np.dot(${p}, ${q}) on shapes ${shapeToString(P.shape)} and ${shapeToString(Q.shape)}, which do not align: a transpose is missing (the notebook computes ${formula})`;
  }
  const a = find(x) ?? (findT(x) && `${findT(x)}.T`);
  const b = find(y) ?? (findT(y) && `${findT(y)}.T`);
  const shapes = Object.entries(named)
    .map(([k, v]) => `${k} ${shapeToString(v.shape)}`)
    .join(', ');
  return `${fn} multiplies arrays of shapes (${x.replace(',', ', ')}) and (${y.replace(',', ', ')})${a && b ? ` (${a} and ${b})` : ''}, which do not align${fn === 'L_model_forward' ? ': is a layer skipped or used twice (loop range off by one)?' : ''} [inputs: ${shapes}]`;
}

/** Sentences from a failure's text: KeyErrors on layer keys, misspelt names, crashes, hangs, exceptions. */
function fromMessage(fn: string, message: string, inputs: Record<string, Value>): Diagnosis | undefined {
  const text = message.replace(/ \(shrunk after .*$/s, '');
  const key = /KeyError: '(d?[WbA])(\d+)'/.exec(text);
  if (key)
    return key[2] === '0' && key[1] !== 'dA'
      ? {
          sentence: `${fn} looks up '${key[1]}${key[2]}', which does not exist: a layer index off by one (layers are numbered 1..L)`,
          cause: 'layer-index',
        }
      : {
          sentence: `${fn} looks up '${key[1]}${key[2]}', which does not exist (stored under another key, or a layer index off by one?)`,
          cause: 'key',
        };
  const nameErr = /NameError: name '(\w+)' is not defined/.exec(text);
  if (nameErr)
    return {
      sentence: `${fn} uses '${nameErr[1]}', which is not defined (a misspelt name, or a missing import?)`,
      cause: 'name',
    };
  // relu_backward's property names the bug region by region (src/diagnose/relu.ts) at the head of its message
  const relu = fn === 'relu_backward' ? reluDiagnosisInMessage(text) : undefined;
  if (relu) return relu;
  const mutated = /mutated its input: (.*?) (?:changed in place|was replaced or reshaped)/.exec(text);
  if (mutated)
    return {
      sentence: `${fn} changes the caller's ${mutated[1]} in place; the notebook computes new arrays (W = W - learning_rate * dW)`,
      cause: 'mutation',
    };
  const crash = /crash: (.*?)(?:; it will be restarted|$)/.exec(text);
  if (crash) return { sentence: `${fn} crashes the engine: ${crash[1]}`, cause: 'crash' };
  if (/timeout: no answer within/.test(text))
    return {
      sentence: `${fn} does not return within the time limit (an endless loop?): ${text.replace(/^.*timeout: /, '')}`,
      cause: 'timeout',
    };
  const aligned = notAligned(fn, text, inputs);
  if (aligned)
    return {
      sentence: aligned,
      cause: aligned.includes('a transpose is missing')
        ? 'transposed'
        : aligned.includes('loop range')
          ? 'layer-index'
          : 'raises',
    };
  const raised = /(?:exception|raised on valid input): (?:\w+: exception: )?(\w*(?:Error|Exception)\b.*)$/.exec(text);
  if (raised) return { sentence: `${fn} raises ${raised[1]} on valid input`, cause: 'raises' };
  return undefined;
}

/** The sentence for one failing check, from its evidence, or undefined when it recorded none that helps. */
export function classify(fn: string, evidence: Evidence | undefined, message: string): Diagnosis | undefined {
  const inputs = Object.fromEntries(Object.entries(evidence?.inputs ?? {}).map(([k, w]) => [k, fromWire(w)]));
  const byMessage = fromMessage(fn, message, inputs);
  if (byMessage) return byMessage;
  if (!evidence || evidence.actual === undefined || evidence.expected === undefined) return undefined;
  const actual = fromWire(evidence.actual);
  const expected = fromWire(evidence.expected);
  const name = valueName(fn, evidence.path);
  const m = examples(fn, inputs);
  const done = (r: [string, string] | undefined) => (r ? { sentence: r[0], cause: r[1] } : undefined);

  // a missing dict key (grads / parameters) or a tuple of the wrong length
  if (
    expected &&
    typeof expected === 'object' &&
    !Array.isArray(expected) &&
    !(expected instanceof NDArray) &&
    actual &&
    typeof actual === 'object' &&
    !Array.isArray(actual) &&
    !(actual instanceof NDArray)
  ) {
    const missing = Object.keys(expected).filter((k) => !(k in actual));
    const extra = Object.keys(actual).filter((k) => !(k in expected));
    return done([
      `${fn}: ${name} has no key ${missing.map((k) => `'${k}'`).join(', ')}${extra.length ? ` but has ${extra.map((k) => `'${k}'`).join(', ')}` : ''} (a key off by one? ${fn === 'L_model_backward' ? "the gradient of layer l's input is dA{l-1} in the newer notebooks, dA{l} in the older ones, never both" : 'layers are numbered 1..L'})`,
      'key',
    ]);
  }
  if (Array.isArray(expected) && Array.isArray(actual) && expected.length !== actual.length) {
    return done(
      fn === 'L_model_forward' && evidence.path === '[1]'
        ? [
            `${fn}: caches has ${actual.length} entries; the notebook keeps one per layer (${expected.length}): is a layer skipped (loop range off by one)?`,
            'layer-index',
          ]
        : [`${fn}: ${name} is a tuple of ${actual.length}; the notebook's has ${expected.length}`, 'shape'],
    );
  }

  if (Array.isArray(expected) && !Array.isArray(actual))
    return done([
      `${fn}: ${name} is ${describe(actual)} where the notebook has a tuple of ${expected.length}${fn === 'linear_activation_forward' && evidence.path === '[1][0]' ? ', the linear cache (A_prev, W, b)' : ''}`,
      'type',
    ]);
  const e =
    expected instanceof NDArray ? expected : typeof expected === 'number' ? NDArray.scalar(expected) : undefined;
  if (!e) return undefined;
  let a = actual instanceof NDArray ? actual : typeof actual === 'number' ? NDArray.scalar(actual) : undefined;
  if (!a)
    return done([
      `${fn} returns ${describe(actual)}${name !== SINGLE_NAMES[fn] ? ` for ${name}` : ''} where the notebook expects ${describe(expected)}`,
      'type',
    ]);
  // a 0-d array crosses the Python protocol as shape (1,): the same scalar
  if (e.ndim === 0 && a.ndim === 1 && a.size === 1) a = NDArray.scalar(a.data[0]);

  const specific = RECOGNIZERS[fn]?.({ fn, name, path: evidence.path, a, e, inputs, source: evidence.source });
  if (specific) return done(specific);
  if (fn === 'initialize_parameters' || fn === 'initialize_parameters_deep') {
    const init = initialisation(fn, name, a, e, inputs, evidence.source);
    if (init) return done(init);
  }
  if (a.shape.join() !== e.shape.join() || a.ndim !== e.ndim) return done(shapeSentence(fn, name, a, e, m));
  if (a.data.some(Number.isNaN) && !e.data.some(Number.isNaN))
    return done([
      `${fn}: ${name} ${a.size === 1 ? 'is' : 'contains'} nan (a log or a division outside its domain?)`,
      'nan',
    ]);
  const c = factor(a, e, evidence.source);
  if (c !== undefined) {
    const f = factorSentence(c, `${fn}: ${name}`, m, e.size);
    if (f && f[1] === 'sign' && fn === 'L_model_backward')
      f[0] += ' (is dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))?)';
    if (f) return done(f);
  }
  if (a.ndim === 2 && a.shape[0] === a.shape[1] && a.shape[0] > 1 && close(transpose(a), e, evidence.source))
    return done([`${fn}: ${name} is transposed`, 'transposed']);
  // the element that differs most
  let worst = 0;
  let at = 0;
  for (let i = 0; i < e.size; i++) {
    const d = Math.abs(a.data[i] - e.data[i]);
    if (!(d <= worst)) {
      worst = d;
      at = i;
      if (Number.isNaN(d)) break;
    }
  }
  const index = e.ndim === 2 ? `[${Math.floor(at / e.shape[1])}, ${at % e.shape[1]}]` : e.ndim === 1 ? `[${at}]` : '';
  return done([
    `${fn} returns ${name}${index} = ${distinct(a.data[at], e.data[at])} where the notebook expects ${distinct(e.data[at], a.data[at])}${
      evidence.dtype === 'float32'
        ? ` (a difference of ${Math.abs(a.data[at] - e.data[at]).toExponential(1)}: ${fn} returns float32 values, held to float64 here; --precision float32 holds it to float32 rounding)`
        : ''
    }`,
    'differs',
  ]);
}
