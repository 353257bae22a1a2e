/**
 * Ready-to-run Python for a counterexample: every array spelt exactly (float.hex), so that NumPy sees the very
 * same float64 values the property saw.
 */
import { NDArray, type Nested } from '../src/tensor/ndarray.ts';

function hex(x: number): string {
  if (Number.isNaN(x)) return "float('nan')";
  if (!Number.isFinite(x)) return x > 0 ? "float('inf')" : "-float('inf')";
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // exact: mantissa and exponent of x as Python's float.fromhex reads them
  const sign = x < 0 ? '-' : '';
  let e = Math.floor(Math.log2(Math.abs(x)));
  if (2 ** e > Math.abs(x)) e--;
  if (2 ** (e + 1) <= Math.abs(x)) e++;
  const mant = Math.abs(x) / 2 ** e; // in [1, 2) for normals
  const frac = Math.round((mant - 1) * 2 ** 52);
  return `float.fromhex('${sign}0x1.${frac.toString(16).padStart(13, '0')}p${e}')`;
}

/** Nested lists of integers, as Python spells them: [[0, 2, 1]]. */
const intList = (n: Nested): string => (Array.isArray(n) ? `[${n.map(intList).join(', ')}]` : String(n));

export function pythonValue(v: unknown): string {
  // integers (labels) as NumPy builds them from integer literals: an int64 array, np.array([[0, 2, 1]])
  if (v instanceof NDArray && v.dtype === 'int64')
    return v.size
      ? `np.array(${intList(v.toNested())})`
      : `np.zeros((${v.shape.join(', ')}${v.shape.length === 1 ? ',' : ''}), dtype=np.int64)`;
  if (v instanceof NDArray) {
    return `np.array([${Array.from(v.data, hex).join(', ')}], dtype=float).reshape(${v.shape.length ? v.shape.join(', ') + (v.shape.length === 1 ? ',' : '') : '()'})`;
  }
  if (Array.isArray(v)) return `(${v.map(pythonValue).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pythonValue(x)}`)
      .join(', ')}}`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : hex(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return 'None';
}

/** A snippet that rebuilds the named inputs and shows the call to make. */
export function pythonReplay(inputs: Record<string, unknown>, call: string): string {
  return ['import numpy as np', ...Object.entries(inputs).map(([k, v]) => `${k} = ${pythonValue(v)}`), call].join('\n');
}
