/** NDArray's dtypes: 'int64' holds exact integers (and refuses anything else); operations on it return float64. */
import { describe, expect, it } from 'vitest';
import { NDArray } from './ndarray.ts';
import { add, div } from './ops.ts';
import { sum } from './reduce.ts';

describe('NDArray int64', () => {
  it('holds integers, keeps its dtype through copy and reshape, and prints its values unchanged', () => {
    const y = NDArray.from([[0, 2, -1, 2 ** 53 - 1]], 'int64');
    expect(y.dtype).toBe('int64');
    expect(y.copy().dtype).toBe('int64');
    expect(y.reshape([4, 1]).dtype).toBe('int64');
    expect(y.toNested()).toEqual([[0, 2, -1, 2 ** 53 - 1]]);
  });

  it('refuses a non-integer, NaN, infinity and an integer beyond 2^53 - 1, naming the element', () => {
    expect(() => new NDArray(Float64Array.of(0, 1.5), [2], 'int64')).toThrow(/element 1 is 1.5/);
    expect(() => new NDArray(Float64Array.of(Number.NaN), [1], 'int64')).toThrow(/holds integers: element 0 is NaN/);
    expect(() => new NDArray(Float64Array.of(Infinity), [1], 'int64')).toThrow(/element 0 is Infinity/);
    expect(() => new NDArray(Float64Array.of(1, 2 ** 53), [2], 'int64')).toThrow(
      /cannot hold 9007199254740992 exactly \(element 1\)/,
    );
    expect(() => NDArray.from([[-(2 ** 53)]], 'int64')).toThrow(/cannot hold -9007199254740992/);
  });

  it('operations on it return float64 (true division of labels is a float, as in NumPy); float arrays are unchanged', () => {
    const y = NDArray.from([[1, 2]], 'int64');
    const half = div(y, 2);
    expect(half.dtype).toBe('float64');
    expect(Array.from(half.data)).toEqual([0.5, 1]);
    expect(add(y, y).dtype).toBe('float64');
    expect(sum(y).dtype).toBe('float64');
    expect(NDArray.from([[1, 2]]).dtype).toBe('float64');
    expect(new NDArray(Float32Array.of(1.5), [1]).dtype).toBe('float32');
  });
});
