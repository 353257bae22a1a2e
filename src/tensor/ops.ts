/**
 * Elementwise arithmetic with NumPy semantics (broadcasting, float64). Fast paths for the shapes the notebooks
 * use: equal shapes, scalar operands, and the column vector b of Z = W·A + b broadcast across a matrix.
 */
import { NDArray, shapeSize } from './ndarray.ts';
import { broadcastShapes, broadcastStrides } from './broadcast.ts';

export type Operand = NDArray | number;
type Binary = (a: number, b: number) => number;

function asArray(x: Operand): NDArray {
  return typeof x === 'number' ? NDArray.scalar(x) : x;
}

/** out = f(a, b) elementwise with broadcasting. */
export function binary(a: Operand, b: Operand, f: Binary): NDArray {
  const A = asArray(a);
  const B = asArray(b);
  const ad = A.data;
  const bd = B.data;
  if (A.size === B.size && sameShape(A, B)) {
    const out = new Float64Array(ad.length);
    for (let i = 0; i < out.length; i++) out[i] = f(ad[i], bd[i]);
    return new NDArray(out, A.shape);
  }
  const shape = broadcastShapes(A.shape, B.shape);
  const n = shapeSize(shape);
  const out = new Float64Array(n);
  if (B.size === 1 && shape.length === A.ndim) {
    const s = bd[0];
    for (let i = 0; i < n; i++) out[i] = f(ad[i], s);
    return new NDArray(out, shape);
  }
  if (A.size === 1 && shape.length === B.ndim) {
    const s = ad[0];
    for (let i = 0; i < n; i++) out[i] = f(s, bd[i]);
    return new NDArray(out, shape);
  }
  if (shape.length === 2) {
    // 2-d with broadcasting: row/column strides
    const [rows, cols] = shape;
    const [ar, ac] = broadcastStrides(A.shape, shape);
    const [br, bc] = broadcastStrides(B.shape, shape);
    let k = 0;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) out[k++] = f(ad[i * ar + j * ac], bd[i * br + j * bc]);
    }
    return new NDArray(out, shape);
  }
  const as = broadcastStrides(A.shape, shape);
  const bs = broadcastStrides(B.shape, shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let ai = 0;
    let bi = 0;
    for (let d = 0; d < shape.length; d++) {
      ai += idx[d] * as[d];
      bi += idx[d] * bs[d];
    }
    out[k] = f(ad[ai], bd[bi]);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return new NDArray(out, shape);
}

export function sameShape(a: NDArray, b: NDArray): boolean {
  if (a.ndim !== b.ndim) return false;
  for (let i = 0; i < a.ndim; i++) if (a.shape[i] !== b.shape[i]) return false;
  return true;
}

export function map(a: NDArray, f: (x: number) => number): NDArray {
  const out = new Float64Array(a.size);
  const d = a.data;
  for (let i = 0; i < out.length; i++) out[i] = f(d[i]);
  return new NDArray(out, a.shape);
}

export const add = (a: Operand, b: Operand) => binary(a, b, (x, y) => x + y);
export const sub = (a: Operand, b: Operand) => binary(a, b, (x, y) => x - y);
export const mul = (a: Operand, b: Operand) => binary(a, b, (x, y) => x * y);
export const div = (a: Operand, b: Operand) => binary(a, b, (x, y) => x / y);
export const maximum = (a: Operand, b: Operand) =>
  // np.maximum propagates NaN
  binary(a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y));
export const power = (a: Operand, b: Operand) => binary(a, b, (x, y) => x ** y);
export const greater = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x > y ? 1 : 0));

export const neg = (a: NDArray) => map(a, (x) => -x);
export const exp = (a: NDArray) => map(a, Math.exp);
export const log = (a: NDArray) => map(a, Math.log);
export const tanh = (a: NDArray) => map(a, Math.tanh);
export const abs = (a: NDArray) => map(a, Math.abs);
