/**
 * Integer arrays on the wire: an int64 NDArray is sent as little-endian int64 bytes (the expected base64 strings are
 * NumPy's: `base64.b64encode(np.array(..., dtype='<i8').tobytes())`), and int64/int32 come back as int64, booleans as
 * 0/1 float64. Float arrays keep their encoding (adapters.test.ts, precision.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { decodeValue, encodeValue, ProtocolError, type Wire } from './codec.ts';

// base64.b64encode(np.array([[0, 2, -1, 9007199254740991]], dtype='<i8').tobytes())
const INT64 = 'AAAAAAAAAAACAAAAAAAAAP//////////////////HwA=';
const LABELS = [0, 2, -1, 2 ** 53 - 1];

describe('protocol: integer arrays', () => {
  it("an int64 NDArray is sent as {dtype: 'int64'} with NumPy's little-endian int64 bytes", () => {
    expect(encodeValue(NDArray.from([LABELS], 'int64'))).toEqual({
      __ndarray__: { dtype: 'int64', shape: [1, 4], data: INT64 },
    });
    // the same values untagged are float64, as before
    expect((encodeValue(NDArray.from([LABELS])) as { __ndarray__: { dtype: string } }).__ndarray__.dtype).toBe(
      'float64',
    );
  });

  it('int64 and int32 decode to an int64 NDArray; bool to 0/1 float64', () => {
    const y = decodeValue({ __ndarray__: { dtype: 'int64', shape: [1, 4], data: INT64 } }) as NDArray;
    expect(y.dtype).toBe('int64');
    expect(y.toNested()).toEqual([LABELS]);
    // base64.b64encode(np.array([3, -4], dtype='<i4').tobytes())
    const i32 = decodeValue({ __ndarray__: { dtype: 'int32', shape: [2], data: 'AwAAAPz///8=' } }) as NDArray;
    expect([i32.dtype, Array.from(i32.data)]).toEqual(['int64', [3, -4]]);
    // base64.b64encode(np.array([True, False, True]).tobytes())
    const b = decodeValue({ __ndarray__: { dtype: 'bool', shape: [3], data: 'AQAB' } }) as NDArray;
    expect([b.dtype, Array.from(b.data)]).toEqual(['float64', [1, 0, 1]]);
  });

  it('round-trips an int64 array, 0-d and empty ones included, with its dtype', () => {
    for (const a of [
      NDArray.from([LABELS], 'int64'),
      new NDArray(Float64Array.of(-7), [], 'int64'),
      new NDArray(new Float64Array(0), [1, 0], 'int64'),
    ]) {
      const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(a))) as Wire) as NDArray;
      expect([back.dtype, [...back.shape], Array.from(back.data)]).toEqual([a.dtype, [...a.shape], Array.from(a.data)]);
    }
  });

  it('refuses an int64 beyond 2^53 - 1 with a message naming where (float64 storage cannot hold it exactly)', () => {
    // base64.b64encode(np.array([2**53], dtype='<i8').tobytes())
    const w = { __ndarray__: { dtype: 'int64', shape: [1], data: 'AAAAAAAAIAA=' } };
    expect(() => decodeValue(w, 'f(...) result')).toThrow(ProtocolError);
    expect(() => decodeValue(w, 'f(...) result')).toThrow(/f\(\.\.\.\) result: int64 value 9007199254740992 is beyond/);
  });

  it('an int64 array whose data was changed in place to non-integers is sent as the float64 it now holds', () => {
    const y = NDArray.from([[1, 2]], 'int64');
    y.data[0] = 0.5;
    const w = encodeValue(y) as { __ndarray__: { dtype: string } };
    expect(w.__ndarray__.dtype).toBe('float64');
    expect(Array.from((decodeValue(w as Wire) as NDArray).data)).toEqual([0.5, 2]);
  });
});
