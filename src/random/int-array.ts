/**
 * Integer arrays for what NumPy's random integers produce (randint's dtypes, permutation's int64), so that a
 * stream written to .npy keeps NumPy's dtype. Float math elsewhere in the project uses NDArray.
 */
import { shapeSize, type Shape } from '../tensor/ndarray.ts';

export type IntDType = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool';

type IntStorage =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

interface DTypeInfo {
  min: bigint;
  max: bigint;
  /** width of one legacy bounded draw: 1 (bool), 8, 16, 32 or 64 */
  bits: number;
  /** NumPy's dtype.str, for .npy headers */
  descr: string;
  make(n: number): IntStorage;
}

export const INT_DTYPES: Record<IntDType, DTypeInfo> = {
  bool: { min: 0n, max: 1n, bits: 1, descr: '|b1', make: (n) => new Uint8Array(n) },
  int8: { min: -128n, max: 127n, bits: 8, descr: '|i1', make: (n) => new Int8Array(n) },
  uint8: { min: 0n, max: 255n, bits: 8, descr: '|u1', make: (n) => new Uint8Array(n) },
  int16: { min: -32768n, max: 32767n, bits: 16, descr: '<i2', make: (n) => new Int16Array(n) },
  uint16: { min: 0n, max: 65535n, bits: 16, descr: '<u2', make: (n) => new Uint16Array(n) },
  int32: { min: -2147483648n, max: 2147483647n, bits: 32, descr: '<i4', make: (n) => new Int32Array(n) },
  uint32: { min: 0n, max: 4294967295n, bits: 32, descr: '<u4', make: (n) => new Uint32Array(n) },
  int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n, bits: 64, descr: '<i8', make: (n) => new BigInt64Array(n) },
  uint64: { min: 0n, max: 2n ** 64n - 1n, bits: 64, descr: '<u8', make: (n) => new BigUint64Array(n) },
};

export class IntNDArray {
  constructor(
    readonly dtype: IntDType,
    readonly shape: Shape,
    readonly data: IntStorage,
  ) {
    if (data.length !== shapeSize(shape))
      throw new RangeError(`${data.length} values do not fill shape [${shape.join(', ')}]`);
  }

  /** low + draws, wrapping like NumPy's unsigned offset arithmetic, stored in the dtype. */
  static fromOffsets(dtype: IntDType, shape: Shape, low: bigint, draws: readonly bigint[]): IntNDArray {
    const info = INT_DTYPES[dtype];
    const data = info.make(draws.length);
    const big = info.bits === 64;
    for (let i = 0; i < draws.length; i++) {
      const v = low + draws[i];
      (data as { [k: number]: number | bigint })[i] = big ? v : Number(v);
    }
    return new IntNDArray(dtype, shape, data);
  }

  static arange(n: number): IntNDArray {
    const data = new BigInt64Array(n);
    for (let i = 0; i < n; i++) data[i] = BigInt(i);
    return new IntNDArray('int64', [n], data);
  }

  get size(): number {
    return this.data.length;
  }

  /** One element as NumPy's scalar would print: bigint for 64-bit, boolean for bool, number otherwise. */
  item(i: number): number | bigint | boolean {
    const v = this.data[i];
    if (this.dtype === 'bool') return v !== 0;
    return v;
  }

  /** Elements as JS numbers (exact below 2**53). */
  toNumbers(): number[] {
    return Array.from(this.data as ArrayLike<number | bigint>, (v) => Number(v));
  }

  copy(): IntNDArray {
    return new IntNDArray(this.dtype, this.shape, this.data.slice());
  }
}
