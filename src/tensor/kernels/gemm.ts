/**
 * General matrix multiply on row-major float64 storage: C = op(A) · op(B), where op(X) is X or Xᵀ; op(A) is m×k,
 * op(B) is k×n, C (m×n) is overwritten. Small products run on the scalar kernel, larger ones on the SIMD kernels
 * (threaded when large); both sum every element in the same order, so the choice never changes a bit.
 */
import { gemmScalar } from './gemm-scalar.ts';
import { gemmWasm } from './gemm-wasm.ts';

/** Below this many multiply-adds copying into the kernels' memory costs more than SIMD saves. */
const WASM_MIN_MADDS = 4096;

/** C = alpha·(op(A)·op(B)): alpha multiplies each finished element once, as `(1/m) * np.dot(...)` does. */
export function gemm(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  transB: boolean,
  c: Float64Array,
  alpha = 1,
): void {
  if (m * n * k >= WASM_MIN_MADDS) {
    gemmWasm(m, n, k, a, transA, b, transB, c, { alpha });
    return;
  }
  gemmScalar(m, n, k, a, transA, b, transB, c);
  if (alpha !== 1) for (let i = 0; i < m * n; i++) c[i] = alpha * c[i];
}
