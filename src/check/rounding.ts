/**
 * How far a correct engine computing at a given precision may stray from the exact (float64 reference) value of a
 * notebook function: gamma_N(u) times the magnitude of the computation, per returned array (normwise, like the
 * float64 rule it sits beside). docs/guide/precision.md derives each term.
 *
 * - N counts the roundings along the longest chain: a dot product of length k is k roundings (Higham's gamma_k bound
 *   on sum |a||b|), plus one for rounding each input to the engine's precision, one per bias add, and 6 for each
 *   exp/log/division of an activation or the cost (a float32 library's exp may be off by a few ulps).
 * - The magnitude is the larger of the value itself and its "absolute evaluation": the reference run on |inputs|,
 *   which for the multilinear parts (Z = WA + b, dW = dZ A^T / m, ...) is exactly sum |a||b|, and through relu is the
 *   magnitude of every path. Where the function is ill-conditioned in its input the magnitude is scaled by its
 *   condition number: 1 + |Z| for sigmoid (rounding Z moves sigmoid(Z) by s(1-s)|Z|u), 1/a + 1/(1-a) for the
 *   cost's logs (rounding AL moves log(1 - AL) by u AL / (1 - AL)).
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Engine, Value } from '../engine/engine.ts';
import { roundingBound, type Precision } from './precision.ts';

export interface RoundingModel {
  /** roundings along the longest chain */
  n: number;
  /** the condition factor the magnitude is scaled by */
  kappa: number;
  /** the reference on |inputs|, shaped like the result (absent when it could not be computed) */
  absolute?: Value;
}

const abs = (v: Value): Value => {
  if (v instanceof NDArray)
    return new NDArray(
      v.data.map((x) => Math.abs(x)),
      v.shape,
    );
  if (Array.isArray(v)) return v.map(abs);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, abs(x)]));
  return v;
};
const maxAbs = (v: Value | undefined): number => {
  if (v instanceof NDArray) return v.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  if (typeof v === 'number') return Math.abs(v);
  if (Array.isArray(v)) return v.reduce((m: number, x) => Math.max(m, maxAbs(x)), 0);
  if (v !== null && typeof v === 'object') return Object.values(v).reduce((m: number, x) => Math.max(m, maxAbs(x)), 0);
  return 0;
};
const cols = (v: Value | undefined) => (v instanceof NDArray && v.ndim === 2 ? v.shape[1] : 1);
const rows = (v: Value | undefined) => (v instanceof NDArray && v.ndim >= 1 ? v.shape[0] : 1);
/** the Z of every sigmoid the call evaluates: max |Z| drives sigmoid's condition number */
const zOf = (cache: Value | undefined) => (Array.isArray(cache) ? cache[1] : undefined);

/** N and the condition factor of one call of `fn` on `args`. */
function chain(fn: string, args: Value[], activation?: Value): { n: number; kappa: number } {
  const sigmoid = activation === 'sigmoid';
  switch (fn) {
    case 'linear_forward':
      return { n: cols(args[1]) + 3, kappa: 1 };
    case 'linear_activation_forward':
      return { n: cols(args[1]) + 9, kappa: 1 };
    case 'sigmoid':
      return { n: 6, kappa: 1 + maxAbs(args[0]) };
    case 'relu':
    case 'relu_backward':
      return { n: 1, kappa: 1 };
    case 'sigmoid_backward':
      return { n: 10, kappa: 1 + maxAbs(args[1]) };
    case 'linear_backward': {
      const cache = args[1] as Value[];
      return { n: Math.max(cols(args[0]), rows(args[0]), rows(cache?.[0])) + 3, kappa: 1 };
    }
    case 'linear_activation_backward': {
      const lin = (Array.isArray(args[1]) ? args[1][0] : []) as Value[];
      return {
        n: Math.max(cols(args[0]), rows(args[0]), rows(lin?.[0])) + 13,
        kappa: sigmoid ? 1 + maxAbs(zOf(args[1])) : 1,
      };
    }
    case 'L_model_forward': {
      const p = (args[1] ?? {}) as Record<string, Value>;
      const Ws = Object.keys(p).filter((k) => k.startsWith('W'));
      return { n: Ws.reduce((s, k) => s + cols(p[k]) + 9, 0), kappa: 1 };
    }
    case 'L_model_backward': {
      const caches = (Array.isArray(args[2]) ? args[2] : []) as Value[];
      const m = cols(args[0]);
      const n = caches.reduce((s: number, c) => {
        const lin = (Array.isArray(c) ? c[0] : []) as Value[];
        return s + Math.max(m, rows(lin?.[0]), rows(lin?.[1])) + 13;
      }, 6);
      return { n, kappa: 1 + maxAbs(zOf(caches.at(-1))) };
    }
    case 'compute_cost': {
      const AL = args[0] instanceof NDArray ? args[0].data : new Float64Array();
      let k = 0;
      for (const a of AL) k += 1 / Math.max(a, 1e-300) + 1 / Math.max(1 - a, 1e-300);
      return { n: AL.length + 6, kappa: 1 + k / Math.max(AL.length, 1) };
    }
    case 'update_parameters':
      return { n: 3, kappa: 1 };
    default:
      return { n: 6, kappa: 1 };
  }
}

/** The rounding model of one call: N, the condition factor and the reference's absolute evaluation. */
export async function roundingModel(fn: string, args: readonly Value[], reference: Engine): Promise<RoundingModel> {
  const activation = fn.startsWith('linear_activation') ? args.at(-1) : undefined;
  const { n, kappa } = chain(fn, [...args], activation);
  if (fn.startsWith('initialize_parameters')) return { n, kappa };
  // update: W - lr dW has magnitude |W| + lr |dW|: the learning rate's sign is flipped with the inputs' absolute values
  const absArgs = args.map((a, i) => (fn === 'update_parameters' && i === 2 ? -Math.abs(a as number) : abs(a)));
  try {
    return { n, kappa, absolute: await reference.call(fn, absArgs) };
  } catch {
    return { n, kappa };
  }
}

/** Walks a result path ("[0]", '["dW1"]') into a value; undefined when the value has nothing there. */
export function at(v: Value | undefined, path: string): Value | undefined {
  let cur = v;
  for (const m of path.matchAll(/\[(\d+)\]|\["([^"]*)"\]/g)) {
    if (cur === undefined || cur === null) return undefined;
    if (m[1] !== undefined) cur = Array.isArray(cur) ? cur[Number(m[1])] : undefined;
    else cur = typeof cur === 'object' && !Array.isArray(cur) ? (cur as Record<string, Value>)[m[2]] : undefined;
  }
  return cur;
}

/**
 * The absolute bound on any element of the array at `path` of the result (whose exact value is `exact`): gamma_N(u)
 * times max(|exact|, |absolute evaluation|) times the condition factor. `keyMap` maps the path's keys back to the
 * reference's (the grads convention).
 */
export function boundAt(model: RoundingModel, precision: Precision, path: string, exact: Value): number {
  const magnitude = Math.max(
    maxAbs(exact),
    maxAbs(model.absolute === undefined ? undefined : at(model.absolute, path)),
  );
  return roundingBound(precision, model.n, magnitude * model.kappa);
}
