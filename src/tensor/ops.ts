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

const Op = { Add: 0, Sub: 1, Mul: 2, Div: 3 } as const;
type Op = (typeof Op)[keyof typeof Op];

/**
 * Closure-free loops for + - * / on the notebooks' hot shapes: equal shapes, a scalar on either side, and a
 * 2-d matrix with a column (r,1) or row (1,c) operand on either side (Z = W·A + b on 12288×209 data).
 * Returns null for any other pattern (the general broadcasting path then handles it).
 */
function arith(op: Op, a: Operand, b: Operand): NDArray | null {
  const A = asArray(a);
  const B = asArray(b);
  const ad = A.data;
  const bd = B.data;
  let shape: readonly number[];
  // index patterns: 0 = elementwise, 1 = scalar b, 2 = scalar a, 3 = column b, 4 = column a, 5 = row b, 6 = row a
  let pattern: number;
  let rows = 0;
  let cols = 0;
  if (sameShape(A, B)) {
    shape = A.shape;
    pattern = 0;
  } else if (B.size === 1 && B.ndim <= A.ndim) {
    shape = A.shape;
    pattern = 1;
  } else if (A.size === 1 && A.ndim <= B.ndim) {
    shape = B.shape;
    pattern = 2;
  } else if (A.ndim === 2 && B.ndim === 2) {
    const [ar, ac] = A.shape;
    const [br, bc] = B.shape;
    if (ar === br && bc === 1) [shape, pattern] = [A.shape, 3];
    else if (ar === br && ac === 1) [shape, pattern] = [B.shape, 4];
    else if (ac === bc && br === 1) [shape, pattern] = [A.shape, 5];
    else if (ac === bc && ar === 1) [shape, pattern] = [B.shape, 6];
    else return null;
    [rows, cols] = shape;
  } else return null;
  const n = shapeSize(shape);
  const o = new Float64Array(n);
  if (pattern === 0) {
    if (op === Op.Add) for (let i = 0; i < n; i++) o[i] = ad[i] + bd[i];
    else if (op === Op.Sub) for (let i = 0; i < n; i++) o[i] = ad[i] - bd[i];
    else if (op === Op.Mul) for (let i = 0; i < n; i++) o[i] = ad[i] * bd[i];
    else for (let i = 0; i < n; i++) o[i] = ad[i] / bd[i];
  } else if (pattern === 1 || pattern === 2) {
    const s = pattern === 1 ? bd[0] : ad[0];
    const v = pattern === 1 ? ad : bd;
    if (op === Op.Add) for (let i = 0; i < n; i++) o[i] = v[i] + s;
    else if (op === Op.Mul) for (let i = 0; i < n; i++) o[i] = v[i] * s;
    else if (pattern === 1 && op === Op.Sub) for (let i = 0; i < n; i++) o[i] = v[i] - s;
    else if (pattern === 1) for (let i = 0; i < n; i++) o[i] = v[i] / s;
    else if (op === Op.Sub) for (let i = 0; i < n; i++) o[i] = s - v[i];
    else for (let i = 0; i < n; i++) o[i] = s / v[i];
  } else if (pattern === 3 || pattern === 4) {
    // matrix (r,c) with a column (r,1): one value per row
    const m = pattern === 3 ? ad : bd;
    const c = pattern === 3 ? bd : ad;
    const mFirst = pattern === 3;
    for (let i = 0; i < rows; i++) {
      const s = c[i];
      const base = i * cols;
      const end = base + cols;
      if (op === Op.Add) for (let k = base; k < end; k++) o[k] = m[k] + s;
      else if (op === Op.Mul) for (let k = base; k < end; k++) o[k] = m[k] * s;
      else if (op === Op.Sub && mFirst) for (let k = base; k < end; k++) o[k] = m[k] - s;
      else if (op === Op.Sub) for (let k = base; k < end; k++) o[k] = s - m[k];
      else if (mFirst) for (let k = base; k < end; k++) o[k] = m[k] / s;
      else for (let k = base; k < end; k++) o[k] = s / m[k];
    }
  } else {
    // matrix (r,c) with a row (1,c): the same row for every row
    const m = pattern === 5 ? ad : bd;
    const r = pattern === 5 ? bd : ad;
    const mFirst = pattern === 5;
    for (let i = 0; i < rows; i++) {
      const base = i * cols;
      if (op === Op.Add) for (let j = 0; j < cols; j++) o[base + j] = m[base + j] + r[j];
      else if (op === Op.Mul) for (let j = 0; j < cols; j++) o[base + j] = m[base + j] * r[j];
      else if (op === Op.Sub && mFirst) for (let j = 0; j < cols; j++) o[base + j] = m[base + j] - r[j];
      else if (op === Op.Sub) for (let j = 0; j < cols; j++) o[base + j] = r[j] - m[base + j];
      else if (mFirst) for (let j = 0; j < cols; j++) o[base + j] = m[base + j] / r[j];
      else for (let j = 0; j < cols; j++) o[base + j] = r[j] / m[base + j];
    }
  }
  return new NDArray(o, shape);
}

export const add = (a: Operand, b: Operand): NDArray => arith(Op.Add, a, b) ?? binary(a, b, (x, y) => x + y);
export const sub = (a: Operand, b: Operand): NDArray => arith(Op.Sub, a, b) ?? binary(a, b, (x, y) => x - y);
export const mul = (a: Operand, b: Operand): NDArray => arith(Op.Mul, a, b) ?? binary(a, b, (x, y) => x * y);
export const div = (a: Operand, b: Operand): NDArray => arith(Op.Div, a, b) ?? binary(a, b, (x, y) => x / y);
export const maximum = (a: Operand, b: Operand) =>
  // np.maximum propagates NaN
  binary(a, b, (x, y) => (x !== x || y !== y ? NaN : x > y ? x : y));
export const power = (a: Operand, b: Operand) => binary(a, b, (x, y) => x ** y);
// comparisons give 0/1 floats (NumPy gives bools; `.astype(float)` of them)
export const greater = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x > y ? 1 : 0));
export const greaterEqual = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x >= y ? 1 : 0));
export const less = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x < y ? 1 : 0));
export const lessEqual = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x <= y ? 1 : 0));
export const equal = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x === y ? 1 : 0));
export const notEqual = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x !== y ? 1 : 0));

export const neg = (a: NDArray) => map(a, (x) => -x);
export const exp = (a: NDArray) => map(a, Math.exp);
export const log = (a: NDArray) => map(a, Math.log);
export const tanh = (a: NDArray) => map(a, Math.tanh);
export const abs = (a: NDArray) => map(a, Math.abs);
