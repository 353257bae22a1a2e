/**
 * Differential testing: each notebook function of the engine under test against the reference engine, on
 * random inputs regenerated from the run's seed. Values are compared structurally (tuple lengths, dict keys,
 * shapes) and numerically, relative to each array's magnitude (rtol 1e-9: NumPy and the reference differ in
 * summation order only, ~1e-15, while real bugs show at 1e-3 and above), or within the run precision's rounding
 * bound for the computation where that is wider (float32: src/check/rounding.ts).
 */
import { NDArray } from '../tensor/ndarray.ts';
import { RandomState } from '../random/index.ts';
import { initializeParametersDeep } from '../engine/reference/initialize.ts';
import type { Value } from '../engine/engine.ts';
import type { Check, CheckContext, CheckResult, CheckSuite } from '../check/types.ts';
import { translateKey } from '../packs/suite.ts';
import { pythonReplay } from '../../properties/replay.ts';
import { seededReplay } from './seeded-replays.ts';
import { OutsideNotebook } from '../check/warnings.ts';
import { anArray, got } from '../engine/js-terms.ts';
import { toWire, type Evidence } from '../diagnose/evidence.ts';
import { beyondBound, type Precision } from '../check/precision.ts';
import { boundAt, roundingModel } from '../check/rounding.ts';

const RTOL = 1e-9;

type Gen = (rs: RandomState) => { args: Value[]; names: string[] };

const mat = (rs: RandomState, r: number, c: number, s = 1) =>
  new NDArray(
    rs.randn(r, c).data.map((x) => x * s),
    [r, c],
  );
const dims = (rs: RandomState) => {
  const depth = 1 + Number(rs.randint(0, 4));
  return [1 + Number(rs.randint(0, 8)), ...Array.from({ length: depth - 1 }, () => 1 + Number(rs.randint(0, 8))), 1];
};
const params = (rs: RandomState, d: number[]) => {
  const p: Record<string, NDArray> = {};
  for (let l = 1; l < d.length; l++) {
    p[`W${l}`] = mat(rs, d[l], d[l - 1], 1 / Math.sqrt(d[l - 1]));
    p[`b${l}`] = mat(rs, d[l], 1, 0.1);
  }
  return p;
};
const labels = (rs: RandomState, m: number) =>
  new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
    [1, m],
  );
const probs = (rs: RandomState, m: number) =>
  new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => 0.05 + 0.9 * u),
    [1, m],
  );
const size = (rs: RandomState) => ({
  n: 1 + Number(rs.randint(0, 6)),
  k: 1 + Number(rs.randint(0, 6)),
  m: 1 + Number(rs.randint(0, 8)),
});

/** Each generator's Python twin is in seeded-replays.ts (SEEDED): change both together. */
export const GENERATORS: Record<string, Gen> = {
  linear_forward: (rs) => {
    const { n, k, m } = size(rs);
    return { args: [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)], names: ['A', 'W', 'b'] };
  },
  'linear_activation_forward/sigmoid': (rs) => {
    const { n, k, m } = size(rs);
    return {
      args: [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1), 'sigmoid'],
      names: ['A_prev', 'W', 'b', 'activation'],
    };
  },
  'linear_activation_forward/relu': (rs) => {
    const { n, k, m } = size(rs);
    return { args: [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1), 'relu'], names: ['A_prev', 'W', 'b', 'activation'] };
  },
  L_model_forward: (rs) => {
    const d = dims(rs);
    const m = 1 + Number(rs.randint(0, 8));
    return { args: [mat(rs, d[0], m), params(rs, d)], names: ['X', 'parameters'] };
  },
  compute_cost: (rs) => {
    const m = 1 + Number(rs.randint(0, 16));
    return { args: [probs(rs, m), labels(rs, m)], names: ['AL', 'Y'] };
  },
  linear_backward: (rs) => {
    const { n, k, m } = size(rs);
    return { args: [mat(rs, n, m), [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)]], names: ['dZ', 'cache'] };
  },
  'linear_activation_backward/sigmoid': (rs) => {
    const { n, k, m } = size(rs);
    return {
      args: [mat(rs, n, m), [[mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)], mat(rs, n, m)], 'sigmoid'],
      names: ['dA', 'cache', 'activation'],
    };
  },
  'linear_activation_backward/relu': (rs) => {
    const { n, k, m } = size(rs);
    return {
      args: [mat(rs, n, m), [[mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)], mat(rs, n, m)], 'relu'],
      names: ['dA', 'cache', 'activation'],
    };
  },
  sigmoid: (rs) => {
    const { n, m } = size(rs);
    return { args: [mat(rs, n, m, 3)], names: ['Z'] };
  },
  relu: (rs) => {
    const { n, m } = size(rs);
    return { args: [mat(rs, n, m)], names: ['Z'] };
  },
  sigmoid_backward: (rs) => {
    const { n, m } = size(rs);
    return { args: [mat(rs, n, m), mat(rs, n, m, 3)], names: ['dA', 'cache'] };
  },
  relu_backward: (rs) => {
    const { n, m } = size(rs);
    return { args: [mat(rs, n, m), mat(rs, n, m)], names: ['dA', 'cache'] };
  },
  update_parameters: (rs) => {
    const d = dims(rs);
    const p = params(rs, d);
    const g = Object.fromEntries(Object.entries(p).map(([k, v]) => [`d${k}`, mat(rs, v.rows, v.cols)]));
    return { args: [p, g, 0.01 + rs.rand(1).data[0]], names: ['parameters', 'grads', 'learning_rate'] };
  },
  // n_y up to 3: an initialiser that hard-codes the output size 1 matches the notebook's own case (n_y = 1)
  initialize_parameters: (rs) => ({
    args: [1 + Number(rs.randint(0, 6)), 1 + Number(rs.randint(0, 6)), 1 + Number(rs.randint(0, 3))],
    names: ['n_x', 'n_h', 'n_y'],
  }),
  initialize_parameters_deep: (rs) => ({ args: [dims(rs)], names: ['layer_dims'] }),
};

/** L_model_backward needs caches from a forward pass: the reference's, identical in value to any correct engine's. */
export async function lModelBackwardInputs(rs: RandomState, ctx: CheckContext) {
  const d = dims(rs);
  const m = 1 + Number(rs.randint(0, 8));
  const X = mat(rs, d[0], m);
  const [AL, caches] = (await ctx.reference.call('L_model_forward', [X, params(rs, d)])) as [NDArray, Value];
  return { args: [AL, labels(rs, m), caches] as Value[], names: ['AL', 'Y', 'caches'] };
}

/** Where two values first differ: the path and both values there (the diagnosis reads them). */
export interface DiffSite {
  path: string;
  ours: Value;
  ref: Value;
}

/** The comparison's running state: the worst relative error, 0-d arrays seen, where the values first differ. */
export interface CompareStats {
  maxRel: number;
  scalarArrays?: string[];
  at?: DiffSite;
  /** the precision's rounding bound on the array (or scalar) at a path: the tolerance when wider than rtol 1e-9 */
  bound?: (path: string, ref: NDArray | number) => number;
  /** the precision the bound is for, named in the message */
  precision?: Precision;
}

/** The tolerance at a path (absolute), and the message's wording when the difference is beyond it. */
function tolerance(stats: CompareStats, path: string, ref: NDArray | number, scale: number) {
  const bound = stats.bound?.(path, ref) ?? 0;
  const rtol = RTOL * scale;
  return { tol: Math.max(rtol, bound), byBound: bound > rtol };
}

/**
 * First difference between two values, or undefined; tracks the worst relative error, and records in
 * `stats.at` the innermost place where the values differ.
 */
export function compareValues(
  ours: Value,
  ref: Value,
  path: string,
  stats: CompareStats,
  keyMap: (k: string) => string = (k) => k,
): string | undefined {
  const d = compareHere(ours, ref, path, stats, keyMap);
  if (d && !stats.at) stats.at = { path, ours, ref };
  return d;
}

function compareHere(
  ours: Value,
  ref: Value,
  path: string,
  stats: CompareStats,
  keyMap: (k: string) => string,
): string | undefined {
  if (ref instanceof NDArray) {
    if (!(ours instanceof NDArray))
      return `${path}: expected ${anArray()} of shape (${ref.shape.join(', ')}), got ${got(ours)}`;
    if (ours.shape.join() !== ref.shape.join())
      return `${path}: shape (${ours.shape.join(', ')}), expected (${ref.shape.join(', ')})`;
    const scale = Math.max(1e-300, ...Array.from(ref.data, Math.abs));
    const { tol, byBound } = tolerance(stats, path, ref, scale);
    for (let i = 0; i < ref.size; i++) {
      const a = ours.data[i];
      const b = ref.data[i];
      if (Number.isNaN(a) !== Number.isNaN(b)) return `${path}[${i}]: ${a} where the reference has ${b}`;
      const rel = Math.abs(a - b) / scale;
      if (!Number.isNaN(rel)) stats.maxRel = Math.max(stats.maxRel, rel);
      if (Math.abs(a - b) > tol)
        return byBound
          ? `${path}[${i}]: ${a}, reference ${b}: ${beyondBound(stats.precision ?? 'float64', Math.abs(a - b), tol)}`
          : `${path}[${i}]: ${a}, reference ${b} (relative error ${rel.toExponential(2)})${lowerPrecision(ours, stats.precision)}`;
    }
    return undefined;
  }
  if (typeof ref === 'number') {
    // a 0-d array is what the notebook's np.squeeze gives (noted: a scalar-type warning); any other array is not a
    // scalar (cost.shape == () fails), whatever its size
    if (ours instanceof NDArray && ours.ndim === 0) stats.scalarArrays?.push(path);
    const o = ours instanceof NDArray && ours.ndim === 0 ? ours.data[0] : ours;
    if (typeof o !== 'number')
      return ours instanceof NDArray
        ? `${path.replace(/\(\.\.\.\)$/, '')} returns shape (${ours.shape.join(', ')}${ours.ndim === 1 ? ',' : ''}); the notebook expects a scalar (np.squeeze)`
        : `${path}: expected a number, got ${got(ours)}`;
    const rel = Math.abs(o - ref) / Math.max(Math.abs(ref), 1e-300);
    stats.maxRel = Math.max(stats.maxRel, Number.isNaN(rel) ? 0 : rel);
    const { tol, byBound } = tolerance(stats, path, ref, Math.max(Math.abs(ref), 1e-300));
    if (Number.isNaN(o) !== Number.isNaN(ref)) return `${path}: ${o}, reference ${ref}`;
    if (!(Math.abs(o - ref) > tol)) return undefined;
    return byBound
      ? `${path}: ${o}, reference ${ref}: ${beyondBound(stats.precision ?? 'float64', Math.abs(o - ref), tol)}`
      : `${path}: ${o}, reference ${ref}`;
  }
  if (Array.isArray(ref)) {
    if (!Array.isArray(ours))
      return `${path}: expected a tuple of ${ref.length}, got ${ours instanceof NDArray ? 'an array' : typeof ours}`;
    if (ours.length !== ref.length) return `${path}: a tuple of ${ours.length}, expected ${ref.length}`;
    for (let i = 0; i < ref.length; i++) {
      const d = compareValues(ours[i], ref[i], `${path}[${i}]`, stats, keyMap);
      if (d) return d;
    }
    return undefined;
  }
  if (ref && typeof ref === 'object') {
    if (!ours || typeof ours !== 'object' || Array.isArray(ours) || ours instanceof NDArray)
      return `${path}: expected a dict`;
    const o = ours as Record<string, Value>;
    for (const k of Object.keys(ref)) {
      const key = keyMap(k);
      if (!(key in o)) return `${path}: no key "${key}" (keys: ${Object.keys(o).join(', ')})`;
      const d = compareValues(o[key], (ref as Record<string, Value>)[k], `${path}["${key}"]`, stats, keyMap);
      if (d) return d;
    }
    return undefined;
  }
  return ours === ref ? undefined : `${path}: ${JSON.stringify(ours)}, reference ${JSON.stringify(ref)}`;
}

/** A float32 array held to float64 (--precision float64) says so: its difference may be float32's own rounding. */
function lowerPrecision(ours: NDArray, precision: Precision | undefined): string {
  return ours.dtype === 'float32' && precision !== 'float32'
    ? '; the engine returned float32 values, held to float64 here (--precision float32 holds it to float32 rounding)'
    : '';
}

/** What the diagnosis needs (src/diagnose): the inputs, and both values where they first differ. */
/** `heldTo`: the run's precision; a float32 value held to float64 is marked so that the headline names the cause. */
function differentialEvidence(fn: string, args: Value[], names: string[], at?: DiffSite, heldTo = 'float64'): Evidence {
  return {
    path: at ? at.path.slice(`${fn}(...)`.length) : '',
    expected: at && toWire(at.ref),
    actual: at && toWire(at.ours),
    inputs: Object.fromEntries(names.map((n, i) => [n, toWire(args[i])])),
    source: 'reference',
    ...(at?.ours instanceof NDArray && at.ours.dtype === 'float32' && heldTo === 'float64'
      ? { dtype: 'float32' as const }
      : {}),
  };
}

/** Expected and actual at the first element that differs (a whole array when the shapes or types differ). */
function shownDifference(at: DiffSite | undefined): { expected?: unknown; actual?: unknown } {
  if (!at) return {};
  const { ours, ref } = at;
  if (ours instanceof NDArray && ref instanceof NDArray && ours.size === ref.size) {
    const i = ref.data.findIndex((x, k) => !Object.is(x, ours.data[k]));
    if (i >= 0) return { expected: `${at.path}[${i}] = ${ref.data[i]}`, actual: `${at.path}[${i}] = ${ours.data[i]}` };
  }
  const brief = (v: Value) =>
    v instanceof NDArray
      ? `an array of shape (${v.shape.join(', ')})`
      : (JSON.stringify(toWire(v)) ?? String(v)).slice(0, 200);
  return { expected: `${at.path}: ${brief(ref)}`, actual: `${at.path}: ${brief(ours)}` };
}

function differentialCheck(label: string, index: number): Check {
  const fn = label.split('/')[0];
  const id = `differential/${label}`;
  return {
    id,
    function: fn,
    kind: 'differential',
    async run(ctx): Promise<CheckResult> {
      const base = { id, function: fn, kind: 'differential' as const };
      const cases = Math.max(3, Math.round(ctx.runs / 10));
      const precision = ctx.precision ?? 'float64';
      const stats: CompareStats & { scalarArrays: string[] } = { maxRel: 0, scalarArrays: [], precision };
      const keyMap = (k: string) => translateKey(k, 'dA{l-1}', ctx.gradsConvention);
      for (let t = 0; t < cases; t++) {
        const seed = (ctx.seed * 1000003 + index * 7919 + t) >>> 0;
        const rs = new RandomState(seed);
        const { args, names } = fn === 'L_model_backward' ? await lModelBackwardInputs(rs, ctx) : GENERATORS[label](rs);
        const ref =
          fn === 'initialize_parameters_deep' && ctx.initVariant === 'application'
            ? initializeParametersDeep(args[0] as number[], 'application', { rng: new RandomState(0) })
            : await ctx.reference.call(fn, args);
        let ours: Value;
        try {
          ours = await ctx.engine.call(fn, args);
        } catch (err) {
          if (err instanceof OutsideNotebook) continue; // a 1-layer network, never built by the notebook: warned
          return {
            ...base,
            status: 'fail',
            message: `raised on valid input: ${(err as Error).message}`,
            details: { evidence: differentialEvidence(fn, args, names) },
            counterexample: {
              description: `case ${t}, seed ${seed}`,
              replay: {
                python:
                  seededReplay(label, seed, `${fn}(${names.join(', ')})`) ??
                  pythonReplay(Object.fromEntries(names.map((n, i) => [n, args[i]])), `${fn}(${names.join(', ')})`),
              },
            },
          };
        }
        const model = precision === 'float32' ? await roundingModel(fn, args, ctx.reference) : undefined;
        // paths name the engine's keys; the bound is looked up in the reference's result (same keys but dA's)
        stats.bound = model && ((path, exact) => boundAt(model, precision, path.slice(`${fn}(...)`.length), exact));
        const diff = compareValues(ours, ref, `${fn}(...)`, stats, keyMap);
        if (stats.scalarArrays.length)
          ctx.warn?.({
            kind: 'scalar-type',
            function: fn,
            message: `${stats.scalarArrays[0].replace(/\(\.\.\.\)$/, '')} returns a 0-d array, not a float`,
          });
        if (diff) {
          return {
            ...base,
            status: 'fail',
            message: `differs from the reference: ${diff}`,
            metrics: { maxRelError: stats.maxRel },
            details: { evidence: differentialEvidence(fn, args, names, stats.at, ctx.precision) },
            counterexample: {
              description: `case ${t} of ${cases}, inputs from RandomState(${seed})`,
              ...shownDifference(stats.at),
              replay: {
                python:
                  seededReplay(label, seed, `result = ${fn}(${names.join(', ')})`) ??
                  pythonReplay(
                    Object.fromEntries(names.map((n, i) => [n, args[i]])),
                    `result = ${fn}(${names.join(', ')})`,
                  ),
              },
            },
          };
        }
      }
      return {
        ...base,
        status: 'pass',
        message: `agrees with the reference on ${cases} random cases (max relative error ${stats.maxRel.toExponential(2)})`,
        metrics: { maxRelError: stats.maxRel },
      };
    },
  };
}

export const differentialSuite: CheckSuite = {
  name: 'differential',
  checks(ctx) {
    const labels = [...Object.keys(GENERATORS), 'L_model_backward'];
    // the reference engine against itself would prove nothing
    if (ctx.engine === ctx.reference) return [];
    return labels.map((label, i) => differentialCheck(label, i)).filter((c) => ctx.functions.has(c.function));
  },
};
