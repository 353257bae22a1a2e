/**
 * The scalar kernel against a plain triple loop on every transpose case and edge shapes (k = 0, single rows/columns,
 * remainder rows). Both sum each element in p order from +0, so they must agree exactly.
 */
import { describe, expect, it } from 'vitest';
import { gemmScalar as gemm } from './gemm-scalar.ts';
import { RandomState } from '../../random/index.ts';

function naive(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  tA: boolean,
  b: Float64Array,
  tB: boolean,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe('gemm', () => {
  const rs = new RandomState(123);
  const shapes = [
    [0, 3, 2],
    [3, 0, 2],
    [3, 2, 0],
    [1, 1, 1],
    [1, 9, 4],
    [9, 1, 4],
    [4, 4, 4],
    [5, 3, 7],
    [6, 5, 2],
    [7, 11, 13],
    [13, 8, 3],
  ];
  for (const [m, n, k] of shapes) {
    for (const tA of [false, true])
      for (const tB of [false, true]) {
        it(`${m}x${k} · ${k}x${n}, transA ${tA}, transB ${tB}`, () => {
          const a = rs.randn(m * k).data;
          const b = rs.randn(k * n).data;
          const c = new Float64Array(m * n).fill(NaN); // overwritten, never accumulated into
          gemm(m, n, k, a, tA, b, tB, c);
          const want = naive(m, n, k, a, tA, b, tB);
          expect(Array.from(c)).toEqual(Array.from(want));
        });
      }
  }
  it('adds every term, zero or not, so 0·inf is NaN as in NumPy (np.dot([[0., 1.]], [[inf], [1.]]) is nan)', () => {
    const c = new Float64Array(1);
    gemm(1, 1, 2, new Float64Array([0, 1]), false, new Float64Array([Infinity, 1]), false, c);
    expect(c[0]).toBeNaN();
  });
});
