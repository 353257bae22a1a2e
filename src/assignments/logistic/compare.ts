/**
 * Comparing an engine's week-2 values with the reference's: structure first (tuple lengths, dict keys, shapes),
 * then numbers relative to each value's magnitude. A Python float, a 0-d array and a one-element array are the same
 * scalar here (np.squeeze's cost, a (1, 1) b): the notebook's own code accepts each of them.
 */
import { NDArray, shapeToString } from '../../tensor/ndarray.ts';
import type { Value } from '../../engine/engine.ts';

/** NumPy and the reference differ in summation order only (~1e-15); real bugs show at 1e-3 and above. */
export const RTOL = 1e-9;

export const isDict = (v: unknown): v is Record<string, Value> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDArray);

/** A scalar as the notebook holds it: a number, or an array of one element (0-d, (1,), (1, 1)). */
export function scalarOf(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof NDArray && v.size === 1) return v.data[0];
  return undefined;
}

export function describe(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (v instanceof NDArray) return `an array of shape ${shapeToString(v.shape)}`;
  if (Array.isArray(v)) return `a tuple of ${v.length}`;
  if (isDict(v)) return `a dict with keys ${Object.keys(v).join(', ') || '(none)'}`;
  return `a ${typeof v} (${String(v)})`;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, rtol = RTOL): boolean {
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  const tol = rtol * Math.max(scale, 1e-300) + 1e-300;
  for (let i = 0; i < b.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return false;
    if (!(Math.abs(a[i] - b[i]) <= tol) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  }
  return true;
}

/** The first difference between `actual` and `expected` (the reference's), named by its path; undefined if none. */
export function difference(actual: Value | undefined, expected: Value, path: string, rtol = RTOL): string | undefined {
  if (typeof expected === 'number') {
    const a = scalarOf(actual);
    if (a === undefined) return `${path} is ${describe(actual)} where the notebook has a float`;
    return close([a], [expected], rtol) ? undefined : `${path} is ${a}, expected ${expected}`;
  }
  if (expected instanceof NDArray) {
    if (!(actual instanceof NDArray))
      return `${path} is ${describe(actual)} where the notebook has an array of shape ${shapeToString(expected.shape)}`;
    if (actual.shape.join() !== expected.shape.join())
      return `${path} has shape ${shapeToString(actual.shape)}, expected ${shapeToString(expected.shape)}`;
    if (close(actual.data, expected.data, rtol)) return undefined;
    let worst = 0;
    for (let i = 0; i < expected.size; i++)
      if (Math.abs(actual.data[i] - expected.data[i]) > Math.abs(actual.data[worst] - expected.data[worst])) worst = i;
    return `${path} differs: element ${worst} is ${actual.data[worst]}, expected ${expected.data[worst]}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path} is ${describe(actual)} where the notebook has ${describe(expected)}`;
    if (actual.length !== expected.length)
      return `${path} has ${actual.length} element(s), expected ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(actual[i], expected[i], `${path}[${i}]`, rtol);
      if (d) return d;
    }
    return undefined;
  }
  if (isDict(expected)) {
    if (!isDict(actual)) return `${path} is ${describe(actual)} where the notebook has ${describe(expected)}`;
    for (const k of Object.keys(expected)) {
      if (!(k in actual)) return `${path} has no key '${k}' (keys: ${Object.keys(actual).join(', ') || 'none'})`;
      const d = difference(actual[k], expected[k], `${path}['${k}']`, rtol);
      if (d) return d;
    }
    return undefined;
  }
  return actual === expected ? undefined : `${path} is ${describe(actual)}, expected ${String(expected)}`;
}

/** Does `actual` equal `expected` (structure and numbers)? */
export const same = (actual: Value | undefined, expected: Value, rtol = RTOL) =>
  difference(actual, expected, '', rtol) === undefined;

/** The same numbers, whatever the shape (a transposed or flattened array). */
export function sameNumbers(actual: Value | undefined, expected: NDArray | number, rtol = RTOL): boolean {
  const e = typeof expected === 'number' ? [expected] : expected.data;
  const a = typeof actual === 'number' ? [actual] : actual instanceof NDArray ? actual.data : undefined;
  return !!a && a.length === e.length && close(a, e, rtol);
}

export const times = (s: number, v: NDArray | number): NDArray | number =>
  typeof v === 'number'
    ? s * v
    : new NDArray(
        v.data.map((x) => s * x),
        v.shape,
      );
