/**
 * What a failing check records for the diagnosis (`CheckResult.details.evidence`): the value the check expected
 * and the one it got at the first place they differ, and the call's inputs, as plain JSON so that it survives
 * report.json, shards and merge (NaN and infinities are spelt 'nan', 'inf', '-inf').
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Value } from '../engine/engine.ts';

export type Wire = number | string | boolean | null | WireArray | WireDict | WireFloat | Wire[];
/** JSON has no NaN or infinities: they are spelt out */
type Special = 'nan' | 'inf' | '-inf';
export interface WireArray {
  shape: number[];
  data: (number | Special)[];
}
export interface WireFloat {
  float: Special;
}
export interface WireDict {
  dict: Record<string, Wire>;
}

export interface Evidence {
  /** where in the result the first difference is: '' for the result itself, '[2]', '["db1"]', '[1][0]' */
  path: string;
  /** the value the check expected there; absent when the engine raised */
  expected?: Wire;
  /** the value the engine returned there */
  actual?: Wire;
  /** the call's arguments, by the notebook's parameter names */
  inputs?: Record<string, Wire>;
  /** 'reference': exact float64 values of the reference engine; 'print': the notebook's print, rounded */
  source: 'reference' | 'print';
  /** 'float32' when the engine returned float32 values there (NDArray.dtype): the headline names the precision */
  dtype?: 'float32';
}

const isArr = (w: unknown): w is WireArray =>
  typeof w === 'object' && w !== null && !Array.isArray(w) && 'shape' in w && 'data' in w;
const isDict = (w: unknown): w is WireDict => typeof w === 'object' && w !== null && !Array.isArray(w) && 'dict' in w;

const special = (x: number): number | Special =>
  Number.isFinite(x) ? x : Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
const unspecial = (x: number | Special | null): number =>
  typeof x === 'number' ? x : x === 'inf' ? Infinity : x === '-inf' ? -Infinity : NaN;

export function toWire(v: Value | undefined): Wire {
  if (v instanceof NDArray) return { shape: [...v.shape], data: Array.from(v.data, special) };
  if (typeof v === 'number' && !Number.isFinite(v)) return { float: special(v) as Special };
  if (Array.isArray(v)) return v.map(toWire);
  if (v !== null && typeof v === 'object')
    return { dict: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toWire(x)])) };
  return v === undefined ? null : (v as Wire);
}

export function fromWire(w: Wire | undefined): Value {
  if (isArr(w)) return new NDArray(Float64Array.from(w.data, unspecial), w.shape);
  if (typeof w === 'object' && w !== null && 'float' in w) return unspecial(w.float);
  if (isDict(w)) return Object.fromEntries(Object.entries(w.dict).map(([k, x]) => [k, fromWire(x)]));
  if (Array.isArray(w)) return w.map(fromWire);
  return (w ?? null) as Value;
}

/** The evidence a check recorded, if any. */
export function evidenceOf(details: Record<string, unknown> | undefined): Evidence | undefined {
  const e = details?.evidence as Evidence | undefined;
  return e && typeof e === 'object' && typeof e.path === 'string' ? e : undefined;
}
