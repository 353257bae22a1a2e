/** Helpers for properties: typed access to engine results and tolerant comparisons that say what differs. */
import { NDArray } from '../../src/tensor/ndarray.ts';
import type { Value } from '../../src/engine/engine.ts';
import { fail } from './types.ts';
import type { CheckContext } from '../../src/check/types.ts';
import { roundingBound } from '../../src/check/precision.ts';

/** The run holds the engine to float32 (ctx.precision): tolerances widen to float32's rounding bound. */
export const atFloat32 = (ctx: CheckContext | undefined) => ctx?.precision === 'float32';

/**
 * A property's tolerance at the run's precision: its own `base` (float64), or gamma_n(u32) times `magnitude` (plus
 * n underflow units) where that is wider (docs/guide/precision.md).
 */
export function tolerance(ctx: CheckContext | undefined, base: number, n: number, magnitude = 1): number {
  return atFloat32(ctx) ? Math.max(base, roundingBound('float32', n, magnitude)) : base;
}
import { anArray, describeJsValue, got, inJavaScript } from '../../src/engine/js-terms.ts';

export function asArray(v: Value | undefined, what: string): NDArray {
  if (v instanceof NDArray) return v;
  return fail(`${what} is not ${anArray()} (got ${got(v)})`, { expected: anArray(), actual: got(v) });
}

export function asTuple(v: Value, n: number, what: string): Value[] {
  if (!Array.isArray(v) || v.length !== n)
    fail(
      inJavaScript()
        ? `${what} should be a JS array of ${n} items, got ${describeJsValue(v)}`
        : `${what} should be a tuple of ${n}, got ${Array.isArray(v) ? `a tuple of ${v.length}` : typeof v}`,
    );
  return v;
}

export function asDict(v: Value, what: string): Record<string, Value> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof NDArray)
    fail(inJavaScript() ? `${what} should be a plain object, got ${describeJsValue(v)}` : `${what} should be a dict`);
  return v as Record<string, Value>;
}

export function asNumber(v: Value, what: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof NDArray && v.size === 1) return v.data[0];
  return fail(
    `${what} should be a number, got ${v instanceof NDArray ? `an array of shape (${v.shape.join(', ')})` : typeof v}`,
  );
}

export function expectShape(a: NDArray, shape: number[], what: string): void {
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i]))
    fail(`${what} has shape (${a.shape.join(', ')}), expected (${shape.join(', ')})`, {
      expected: `shape (${shape.join(', ')})`,
      actual: `shape (${a.shape.join(', ')})`,
    });
}

/** |a - b| <= atol + rtol * |b| elementwise; NaN only equals NaN. */
export function expectClose(a: NDArray, b: NDArray, rtol: number, atol: number, what: string): void {
  expectShape(a, [...b.shape], what);
  for (let i = 0; i < a.size; i++) {
    const x = a.data[i];
    const y = b.data[i];
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y)))
      fail(`${what}[${i}]: ${x} vs ${y} (rtol ${rtol}, atol ${atol})`, { expected: y, actual: x });
  }
}

export function expectIdentical(a: NDArray, b: NDArray, what: string): void {
  expectShape(a, [...b.shape], what);
  for (let i = 0; i < a.size; i++)
    if (!Object.is(a.data[i], b.data[i]))
      fail(`${what}[${i}]: ${a.data[i]} is not bit-identical to ${b.data[i]}`, {
        expected: b.data[i],
        actual: a.data[i],
      });
}

/** Columns [from, to) of a 2-d array. */
export function columns(a: NDArray, from: number, to: number): NDArray {
  const [r, c] = a.shape;
  const out = new Float64Array(r * (to - from));
  for (let i = 0; i < r; i++) out.set(a.data.subarray(i * c + from, i * c + to), i * (to - from));
  return new NDArray(out, [r, to - from]);
}

/** [a b]: columns side by side. */
export function hstack(a: NDArray, b: NDArray): NDArray {
  const [r, ca] = a.shape;
  const cb = b.shape[1];
  const out = new Float64Array(r * (ca + cb));
  for (let i = 0; i < r; i++) {
    out.set(a.data.subarray(i * ca, (i + 1) * ca), i * (ca + cb));
    out.set(b.data.subarray(i * cb, (i + 1) * cb), i * (ca + cb) + ca);
  }
  return new NDArray(out, [r, ca + cb]);
}

export function permuteColumns(a: NDArray, perm: number[]): NDArray {
  const [r, c] = a.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[i * c + j] = a.data[i * c + perm[j]];
  return new NDArray(out, [r, c]);
}

/** A deep copy of a call's arguments, to detect mutation. */
export function deepCopy(v: Value): Value {
  if (v instanceof NDArray) return v.copy();
  if (Array.isArray(v)) return v.map(deepCopy);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepCopy(x)]));
  return v;
}

/** Where two argument trees differ bitwise, or undefined. */
export function firstDifference(a: Value, b: Value, path = 'args'): string | undefined {
  if (a instanceof NDArray && b instanceof NDArray) {
    if (a.size !== b.size) return `${path} changed shape`;
    for (let i = 0; i < a.size; i++)
      if (!Object.is(a.data[i], b.data[i])) return `${path}[${i}] changed from ${b.data[i]} to ${a.data[i]}`;
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const k of Object.keys(b)) {
      const d = firstDifference((a as Record<string, Value>)[k], (b as Record<string, Value>)[k], `${path}.${k}`);
      if (d) return d;
    }
  }
  return undefined;
}
