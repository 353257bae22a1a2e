/**
 * General matrix multiply on row-major float64 storage: C = op(A) · op(B), where op(X) is X or Xᵀ.
 * op(A) is m×k and op(B) is k×n; C (m×n) is overwritten. A stored transposed (transA) is k×m, and so on.
 *
 * Each case keeps its innermost loop on contiguous memory and works on four rows of C at once, so that every
 * row of B read from memory feeds four multiply-adds (the Application's B is X, 12288×209 doubles = 20 MB,
 * which does not fit in cache):
 *   NN: C[i..i+3, :] += A[i..i+3, p] * B[p, :]        (axpy on rows)
 *   NT: C[i..i+3, j]  = A[i..i+3, :] · B[j, :]         (dot products of rows)
 *   TN: C[i..i+3, :] += A[p, i..i+3] * B[p, :]        (axpy on rows)
 * Every C[i, j] is summed in p order from +0, one rounding per product and per sum, and no term is skipped (a zero
 * times inf is NaN, as in NumPy). The SIMD kernel (gemm.as.ts) sums in exactly this order, so the two agree bit for
 * bit; the order differs from OpenBLAS's, so both differ from NumPy's in the last bits only.
 */
export function gemmScalar(
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
  if (m === 0 || n === 0 || k === 0) return;
  if (!transB) axpyRows(m, n, k, a, transA, b, c);
  else if (!transA) dotRows(m, n, k, a, b, c);
  else {
    // AᵀBᵀ = (BA)ᵀ: rare in the notebooks; transpose B into a scratch copy and use the NN/TN path
    const bt = new Float64Array(k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bt[p * n + j] = b[j * k + p];
    axpyRows(m, n, k, a, true, bt, c);
  }
}

/** C += op(A) B with B row-major k×n: four rows of C per pass over B. */
function axpyRows(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  c: Float64Array,
): void {
  // element (i, p) of op(A)
  const sI = transA ? 1 : k;
  const sP = transA ? m : 1;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    for (let p = 0; p < k; p++) {
      const base = i * sI + p * sP;
      const a0 = a[base];
      const a1 = a[base + sI];
      const a2 = a[base + 2 * sI];
      const a3 = a[base + 3 * sI];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] += a0 * bv;
        c[c1 + j] += a1 * bv;
        c[c2 + j] += a2 * bv;
        c[c3 + j] += a3 * bv;
      }
    }
  }
  // the last 1-3 rows: two at a time, then one (the two-layer model's 7 hidden units end here)
  for (; i + 1 < m; i += 2) {
    const c0 = i * n;
    const c1 = c0 + n;
    for (let p = 0; p < k; p++) {
      const base = i * sI + p * sP;
      const a0 = a[base];
      const a1 = a[base + sI];
      const bp = p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] += a0 * bv;
        c[c1 + j] += a1 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * sI + p * sP];
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
}

/** C = A Bᵀ with A m×k and B n×k row-major: dot products of rows, four rows of A per row of B. */
function dotRows(m: number, n: number, k: number, a: Float64Array, b: Float64Array, c: Float64Array): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const r0 = i * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let p = 0; p < k; p++) {
        const bv = b[bj + p];
        s0 += a[r0 + p] * bv;
        s1 += a[r1 + p] * bv;
        s2 += a[r2 + p] * bv;
        s3 += a[r3 + p] * bv;
      }
      c[i * n + j] = s0;
      c[(i + 1) * n + j] = s1;
      c[(i + 2) * n + j] = s2;
      c[(i + 3) * n + j] = s3;
    }
  }
  for (; i < m; i++) {
    const ri = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ri + p] * b[bj + p];
      c[i * n + j] = s;
    }
  }
}
