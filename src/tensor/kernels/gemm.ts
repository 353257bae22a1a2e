/**
 * General matrix multiply on row-major float64 storage: C = op(A) · op(B), where op(X) is X or Xᵀ.
 * op(A) is m×k and op(B) is k×n; C (m×n) is overwritten. A stored transposed (transA) is k×m, and so on.
 *
 * This first version is a plain correct kernel; the speed work happens here, behind this signature.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  transB: boolean,
  c: Float64Array,
): void {
  c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const cRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * m + i] : a[i * k + p];
      if (transB) {
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[j * k + p];
      } else {
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j];
      }
    }
  }
}
