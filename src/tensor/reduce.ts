/** Reductions with NumPy's axis/keepdims semantics, and squeeze. */
import { NDArray, ShapeError } from './ndarray.ts';

export interface ReduceOptions {
  axis?: number;
  keepdims?: boolean;
}

function reduce(
  a: NDArray,
  init: number,
  f: (acc: number, x: number) => number,
  { axis, keepdims = false }: ReduceOptions,
): NDArray {
  const d = a.data;
  if (axis === undefined) {
    let acc = init;
    for (let i = 0; i < d.length; i++) acc = f(acc, d[i]);
    return new NDArray(Float64Array.of(acc), keepdims ? a.shape.map(() => 1) : []);
  }
  const ax = axis < 0 ? axis + a.ndim : axis;
  if (ax < 0 || ax >= a.ndim) throw new ShapeError(`axis ${axis} is out of bounds for array of dimension ${a.ndim}`);
  const outer = a.shape.slice(0, ax).reduce((x, y) => x * y, 1);
  const len = a.shape[ax];
  const inner = a.shape.slice(ax + 1).reduce((x, y) => x * y, 1);
  const out = new Float64Array(outer * inner).fill(init);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < len; i++) {
      const base = (o * len + i) * inner;
      const ob = o * inner;
      for (let j = 0; j < inner; j++) out[ob + j] = f(out[ob + j], d[base + j]);
    }
  }
  const shape = keepdims ? a.shape.map((s, i) => (i === ax ? 1 : s)) : a.shape.filter((_, i) => i !== ax);
  return new NDArray(out, shape);
}

/**
 * np.sum. Note: NumPy sums contiguous float64 runs pairwise (blocks of 8 lanes, 128-element leaves), so the
 * last bits can differ from a left-to-right loop; `sum` here uses the same pairwise scheme for whole-array and
 * last-axis sums so that results agree bit for bit in the common cases.
 */
export function sum(a: NDArray, options: ReduceOptions = {}): NDArray {
  const { axis, keepdims = false } = options;
  const ax = axis === undefined ? undefined : axis < 0 ? axis + a.ndim : axis;
  // the reduced axis is contiguous (the last one, or followed only by length-1 axes): NumPy sums pairwise
  const contiguous = ax !== undefined && ax >= 0 && ax < a.ndim && a.shape.slice(ax + 1).every((d) => d === 1);
  if (ax === undefined || contiguous) {
    const len = ax === undefined ? a.size : a.shape[ax];
    const rows =
      len !== 0 ? a.size / len : ax === undefined ? 1 : a.shape.reduce((x, y, i) => (i === ax ? x : x * y), 1);
    const out = new Float64Array(rows);
    for (let r = 0; r < rows; r++) out[r] = pairwiseSum(a.data, r * len, len);
    const shape =
      ax === undefined
        ? keepdims
          ? a.shape.map(() => 1)
          : []
        : keepdims
          ? a.shape.map((d, i) => (i === ax ? 1 : d))
          : a.shape.filter((_, i) => i !== ax);
    return new NDArray(out, shape);
  }
  return reduce(a, 0, (acc, x) => acc + x, options);
}

/** NumPy's pairwise_sum for float64 (numpy/_core/src/umath/loops_utils.h.src). */
export function pairwiseSum(d: Float64Array, start: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += d[start + i];
    return res;
  }
  if (n <= 128) {
    let r0 = d[start],
      r1 = d[start + 1],
      r2 = d[start + 2],
      r3 = d[start + 3];
    let r4 = d[start + 4],
      r5 = d[start + 5],
      r6 = d[start + 6],
      r7 = d[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      r0 += d[start + i];
      r1 += d[start + i + 1];
      r2 += d[start + i + 2];
      r3 += d[start + i + 3];
      r4 += d[start + i + 4];
      r5 += d[start + i + 5];
      r6 += d[start + i + 6];
      r7 += d[start + i + 7];
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += d[start + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(d, start, n2) + pairwiseSum(d, start + n2, n - n2);
}

export function max(a: NDArray, options: ReduceOptions = {}): NDArray {
  if (a.size === 0) throw new ShapeError('zero-size array to reduction operation maximum which has no identity');
  return reduce(a, -Infinity, (acc, x) => (x !== x || acc !== acc ? NaN : x > acc ? x : acc), options);
}

export function mean(a: NDArray, options: ReduceOptions = {}): NDArray {
  const s = sum(a, options);
  const count = options.axis === undefined ? a.size : a.shape[options.axis < 0 ? options.axis + a.ndim : options.axis];
  return new NDArray(
    s.data.map((x) => x / count),
    s.shape,
  );
}

/** np.squeeze: drop every length-1 axis, or only `axis` (which must have length 1, as NumPy insists). */
export function squeeze(a: NDArray, axis?: number): NDArray {
  if (axis === undefined)
    return new NDArray(
      a.data,
      a.shape.filter((d) => d !== 1),
    );
  const ax = axis < 0 ? axis + a.ndim : axis;
  if (ax < 0 || ax >= a.ndim) throw new ShapeError(`axis ${axis} is out of bounds for array of dimension ${a.ndim}`);
  if (a.shape[ax] !== 1) throw new ShapeError('cannot select an axis to squeeze out which has size not equal to one');
  return new NDArray(
    a.data,
    a.shape.filter((_, i) => i !== ax),
  );
}
