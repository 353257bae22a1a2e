/**
 * The precision an engine computes in, and the rounding bounds every check family derives its tolerance from
 * (docs/guide/precision.md has the derivation). A bound is gamma_n(u) = n u / (1 - n u) times the magnitude of the
 * computation (sum |a||b| for a dot product of length n): Higham's bound on a float computation of n roundings,
 * with u the precision's unit roundoff. At float64 every family keeps its own, much wider, historical tolerance
 * (the bound only ever widens it), so float64 verdicts do not change.
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Value } from '../engine/engine.ts';

/** The float dtypes (NDArray's 'int64' holds exact integers: no rounding, so no precision). */
export type Precision = 'float64' | 'float32';
export const PRECISIONS: readonly Precision[] = ['float64', 'float32'];

/** Unit roundoff: half the distance from 1 to the next float (2^-53, 2^-24). */
export function unitRoundoff(p: Precision): number {
  return p === 'float32' ? 2 ** -24 : 2 ** -53;
}

/** gamma_n = n u / (1 - n u): the relative error bound of n successive roundings (Infinity once n u >= 1). */
export function gamma(n: number, p: Precision): number {
  const nu = n * unitRoundoff(p);
  return nu < 1 ? nu / (1 - nu) : Infinity;
}

/** Half the smallest subnormal: the absolute error of a result that underflows (2^-150, 2^-1075). */
export function underflow(p: Precision): number {
  return p === 'float32' ? 2 ** -150 : 2 ** -1075;
}

/**
 * The rounding bound of a computation of `n` roundings whose terms have total magnitude `magnitude`: gamma_n(u)
 * times it, plus n times the underflow unit (Higham's model for results below the normal range).
 */
export function roundingBound(p: Precision, n: number, magnitude: number): number {
  return gamma(n, p) * magnitude + n * underflow(p);
}

/** The lower of two precisions (float32 < float64). */
export function lowest(a: Precision, b: Precision): Precision {
  return a === 'float32' || b === 'float32' ? 'float32' : 'float64';
}

/** The lowest precision of the float arrays in a value (tuples, dicts); undefined when it holds none (int64 arrays are skipped). */
export function precisionOf(v: Value): Precision | undefined {
  if (v instanceof NDArray) return v.dtype === 'int64' ? undefined : v.dtype;
  const parts = Array.isArray(v) ? v : v !== null && typeof v === 'object' ? Object.values(v) : [];
  let p: Precision | undefined;
  for (const x of parts) {
    const q = precisionOf(x as Value);
    if (q) p = p ? lowest(p, q) : q;
  }
  return p;
}

/** What the run knows about precision: the one its tolerances use, and what each function returned. */
export interface PrecisionInfo {
  /** the precision the checks hold the engine to */
  precision: Precision;
  /** 'given' (--precision, `precision:`) or 'detected' from the dtypes the engine returned */
  source: 'given' | 'detected';
  /** the dtype each probed function returned its arrays in */
  functions: Record<string, Precision>;
}

/** "linear_forward returns float32" lines: the functions below float64, or one line saying all are float64. */
export function describePrecision(info: PrecisionInfo): string {
  const low = Object.entries(info.functions).filter(([, p]) => p === 'float32');
  const all = Object.keys(info.functions).length;
  const what =
    low.length && low.length === all && all > 1
      ? 'every function returns float32'
      : low.length
        ? low.map(([f]) => f).join(', ') + (low.length === 1 ? ' returns float32' : ' return float32')
        : 'the engine returns float64';
  return `precision ${info.precision} (${info.source}; ${what})`;
}

/** "differs by 3.1e-5, beyond float32's bound 1.2e-6 for this computation" */
export function beyondBound(p: Precision, difference: number, bound: number): string {
  return `differs by ${difference.toExponential(1)}, beyond ${p}'s bound ${bound.toExponential(1)} for this computation`;
}
