/**
 * A float64 n-d array in C (row-major) order: the one data structure the whole suite exchanges.
 *
 * It is deliberately thin: storage, shape and element access. Arithmetic with NumPy semantics lives in
 * sibling modules (broadcast, ops, linalg, reduce, format) so that each stays small and testable.
 */
export type Shape = readonly number[];

/** Nested JS arrays as NumPy's `tolist()` would give them. */
export type Nested = number | Nested[];

export class ShapeError extends Error {
  override name = 'ShapeError';
}

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeToString(shape: Shape): string {
  // NumPy prints (3,) for 1-d and () for 0-d shapes.
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Shape as NumPy's C code prints it in error messages: (3,2), (4,), (). */
export function shapeToCompact(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',')})`;
}

export function assertValidShape(shape: Shape, what = 'shape'): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`${what} ${JSON.stringify(shape)}: dimensions must be non-negative integers`);
    }
  }
}

/**
 * What an array's values are. The data is float64 either way; 'float32' says every value is a float32 (an engine
 * computing in single precision), so the checks hold it to float32's rounding (src/check/precision.ts). 'int64' says
 * the values are integers (labels, indices: NumPy's default integer dtype), every one exact in float64 (a safe
 * integer, |x| <= 2^53 - 1); it is not a precision, and operations on it return float64 (as NumPy's true division
 * does). Boolean arrays of a Python engine arrive as float64 0/1.
 */
export type DType = 'float64' | 'float32' | 'int64';

/** Refuses what an int64 array cannot hold exactly: a value that is not an integer, or one beyond 2^53 - 1. */
function assertInt64(data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (!Number.isSafeInteger(v))
      throw new TypeError(
        Number.isInteger(v)
          ? `an int64 array cannot hold ${v} exactly (element ${i}): its values are float64, exact up to 2^53 - 1`
          : `an int64 array holds integers: element ${i} is ${v}`,
      );
  }
}

/**
 * The brand every NDArray carries, shared by every copy of this module: an engine's arrays come from its own
 * install of `dnn-verify/tensor` (or through tsx's loader, a second instance of this file), whose class is not this
 * one. `instanceof NDArray` is answered by the brand (and the fields it promises), not by class identity.
 */
const ORDINARY_INSTANCEOF = Function.prototype[Symbol.hasInstance];

export const NDARRAY_BRAND: unique symbol = Symbol.for('dnn-verify.ndarray') as never;

export class NDArray {
  readonly data: Float64Array;
  readonly shape: Shape;
  /** 'float32' when the values are single-precision results (given, or made from a Float32Array); 'int64' for integers */
  readonly dtype: DType;

  /** An NDArray of any copy of this module: branded, with float64 data and a shape array. */
  static [Symbol.hasInstance](v: unknown): boolean {
    if (typeof v !== 'object' || v === null) return false;
    if (ORDINARY_INSTANCEOF.call(NDArray, v)) return true; // this copy's own arrays: the prototype chain, fast
    const o = v as { [NDARRAY_BRAND]?: unknown; data?: unknown; shape?: unknown };
    return o[NDARRAY_BRAND] === true && o.data instanceof Float64Array && Array.isArray(o.shape);
  }

  get [NDARRAY_BRAND](): true {
    return true;
  }

  /**
   * A Float32Array's values are copied into float64 storage and the array is tagged 'float32' (a float32 engine's
   * `new NDArray(t.dataSync(), t.shape)`); `dtype` tags float64 storage that holds float32 results, or integers
   * ('int64': every value must be a safe integer, else a TypeError).
   */
  constructor(data: Float64Array | Float32Array, shape: Shape, dtype?: DType) {
    assertValidShape(shape);
    if (data.length !== shapeSize(shape)) {
      throw new ShapeError(`cannot make an array of shape ${shapeToString(shape)} from ${data.length} values`);
    }
    this.data = data instanceof Float32Array ? Float64Array.from(data) : data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype ?? (data instanceof Float32Array ? 'float32' : 'float64');
    if (this.dtype === 'int64') assertInt64(this.data);
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Row and column counts of a 2-d array (the notebooks' matrices). */
  get rows(): number {
    return this.shape[0];
  }

  get cols(): number {
    return this.shape[1];
  }

  static zeros(shape: Shape): NDArray {
    return new NDArray(new Float64Array(shapeSize(shape)), shape);
  }

  static full(shape: Shape, value: number): NDArray {
    return new NDArray(new Float64Array(shapeSize(shape)).fill(value), shape);
  }

  static scalar(value: number): NDArray {
    return new NDArray(Float64Array.of(value), []);
  }

  /** From nested lists, as `np.array(nested, dtype=float)` (or of `dtype`); ragged input is refused. */
  static from(nested: Nested, dtype?: DType): NDArray {
    const shape: number[] = [];
    let probe: Nested = nested;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      if (probe.length === 0) break;
      probe = probe[0];
    }
    const out = new Float64Array(shapeSize(shape));
    let k = 0;
    const walk = (v: Nested, depth: number): void => {
      if (depth === shape.length) {
        if (typeof v !== 'number') throw new ShapeError(`ragged nested list: expected a number at depth ${depth}`);
        out[k++] = v;
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new ShapeError(`ragged nested list: expected length ${shape[depth]} at depth ${depth}`);
      }
      for (const x of v) walk(x, depth + 1);
    };
    walk(nested, 0);
    return new NDArray(out, shape, dtype);
  }

  /** Nested lists, as NumPy's `tolist()`. */
  toNested(): Nested {
    if (this.shape.length === 0) return this.data[0];
    let k = 0;
    const build = (depth: number): Nested => {
      if (depth === this.shape.length) return this.data[k++];
      const row: Nested[] = [];
      for (let i = 0; i < this.shape[depth]; i++) row.push(build(depth + 1));
      return row;
    };
    return build(0);
  }

  /** Element at a full index (C order). */
  at(...index: number[]): number {
    if (index.length !== this.shape.length) {
      throw new ShapeError(`index of length ${index.length} for an array of shape ${shapeToString(this.shape)}`);
    }
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d] < 0 ? index[d] + this.shape[d] : index[d];
      if (i < 0 || i >= this.shape[d]) {
        throw new RangeError(`index ${index[d]} is out of bounds for axis ${d} with size ${this.shape[d]}`);
      }
      flat = flat * this.shape[d] + i;
    }
    return this.data[flat];
  }

  /** A deep copy (NumPy's `.copy()`). */
  copy(): NDArray {
    return new NDArray(this.data.slice(), this.shape, this.dtype);
  }

  /** Same data, new shape (NumPy's reshape of a contiguous array); -1 infers one dimension. */
  reshape(shape: Shape): NDArray {
    const known = shape.filter((d) => d !== -1);
    const unknown = shape.length - known.length;
    if (unknown > 1) throw new ShapeError('can only specify one unknown dimension');
    let target = [...shape];
    if (unknown === 1) {
      const rest = shapeSize(known);
      if (rest === 0 || this.size % rest !== 0) {
        throw new ShapeError(`cannot reshape array of size ${this.size} into shape ${shapeToString(shape)}`);
      }
      target = shape.map((d) => (d === -1 ? this.size / rest : d));
    }
    if (shapeSize(target) !== this.size) {
      throw new ShapeError(`cannot reshape array of size ${this.size} into shape ${shapeToString(target)}`);
    }
    return new NDArray(this.data, target, this.dtype);
  }
}

export function isNDArray(v: unknown): v is NDArray {
  return v instanceof NDArray;
}
