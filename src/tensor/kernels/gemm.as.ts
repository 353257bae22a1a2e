// SIMD kernels for C = op(A)·op(B) on float64 (AssemblyScript, compiled to gemm.wasm by `npm run build:wasm`).
//
// Vectorised across output elements, never across a sum: every C[i, j] is accumulated exactly as the scalar
// kernel in gemm.ts does it, c = ((+0 + a0·b0) + a1·b1) + ... in p order, each product and sum rounded (no FMA).
// So the two kernels agree bit for bit, whatever the blocking, the path taken or the number of threads: blocking
// only changes when a partial sum is stored and reloaded, which is exact.
//
// All addresses are byte offsets into the (shared) memory; a kernel call computes the block of C with rows
// [i0, i1) and columns [j0, j1), so threads can split C without sharing an element.

// B's k-block: KB rows of B (KB·n doubles, 428 KB at the Application's n = 209) stay in L2 while every row block
// of A passes over them.
const KB: i32 = 256;

/** AXPY form, for op(B) = B (k×n, row-major, n columns): NN and TN.
 *  Element (i, p) of op(A) is at a + i·sI + p·sP (NN: sI = 8k, sP = 8; TN: sI = 8, sP = 8m). C is zero on entry. */
export function axpyForm(n: i32, k: i32, a: usize, sI: usize, sP: usize, b: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const ldb = <usize>n << 3;
  for (let p0 = 0; p0 < k; p0 += KB) {
    const cnt = min(KB, k - p0);
    const bBlock = b + <usize>p0 * ldb;
    let i = i0;
    for (; i + 3 < i1; i += 4) rowsAxpy4(a + <usize>i * sI + <usize>p0 * sP, sI, sP, bBlock, ldb, c + <usize>i * ldb, j0, j1, cnt);
    for (; i + 1 < i1; i += 2) rowsAxpy2(a + <usize>i * sI + <usize>p0 * sP, sI, sP, bBlock, ldb, c + <usize>i * ldb, j0, j1, cnt);
    if (i < i1) rowsAxpy1(a + <usize>i * sI + <usize>p0 * sP, sP, bBlock, ldb, c + <usize>i * ldb, j0, j1, cnt);
  }
}

// Four rows of C over columns [j0, j1): four columns at a time in registers, then one at a time.
function rowsAxpy4(ar: usize, sI: usize, sP: usize, b: usize, ldb: usize, c: usize, j0: i32, j1: i32, cnt: i32): void {
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const cp = c + (<usize>j << 3);
    let c00 = v128.load(cp), c01 = v128.load(cp, 16);
    let c10 = v128.load(cp + ldb), c11 = v128.load(cp + ldb, 16);
    let c20 = v128.load(cp + 2 * ldb), c21 = v128.load(cp + 2 * ldb, 16);
    let c30 = v128.load(cp + 3 * ldb), c31 = v128.load(cp + 3 * ldb, 16);
    let bp = b + (<usize>j << 3);
    let ap = ar;
    for (let p = 0; p < cnt; p++) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const x0 = v128.load64_splat(ap);
      c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
      const x1 = v128.load64_splat(ap + sI);
      c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
      const x2 = v128.load64_splat(ap + 2 * sI);
      c20 = f64x2.add(c20, f64x2.mul(x2, b0)); c21 = f64x2.add(c21, f64x2.mul(x2, b1));
      const x3 = v128.load64_splat(ap + 3 * sI);
      c30 = f64x2.add(c30, f64x2.mul(x3, b0)); c31 = f64x2.add(c31, f64x2.mul(x3, b1));
      bp += ldb;
      ap += sP;
    }
    v128.store(cp, c00); v128.store(cp, c01, 16);
    v128.store(cp + ldb, c10); v128.store(cp + ldb, c11, 16);
    v128.store(cp + 2 * ldb, c20); v128.store(cp + 2 * ldb, c21, 16);
    v128.store(cp + 3 * ldb, c30); v128.store(cp + 3 * ldb, c31, 16);
  }
  for (; j < j1; j++) {
    const cp = c + (<usize>j << 3);
    for (let r: usize = 0; r < 4; r++) columnAxpy(ar + r * sI, sP, b + (<usize>j << 3), ldb, cp + r * ldb, cnt);
  }
}

function rowsAxpy2(ar: usize, sI: usize, sP: usize, b: usize, ldb: usize, c: usize, j0: i32, j1: i32, cnt: i32): void {
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const cp = c + (<usize>j << 3);
    let c00 = v128.load(cp), c01 = v128.load(cp, 16);
    let c10 = v128.load(cp + ldb), c11 = v128.load(cp + ldb, 16);
    let bp = b + (<usize>j << 3);
    let ap = ar;
    for (let p = 0; p < cnt; p++) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const x0 = v128.load64_splat(ap);
      c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
      const x1 = v128.load64_splat(ap + sI);
      c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
      bp += ldb;
      ap += sP;
    }
    v128.store(cp, c00); v128.store(cp, c01, 16);
    v128.store(cp + ldb, c10); v128.store(cp + ldb, c11, 16);
  }
  for (; j < j1; j++) {
    const cp = c + (<usize>j << 3);
    columnAxpy(ar, sP, b + (<usize>j << 3), ldb, cp, cnt);
    columnAxpy(ar + sI, sP, b + (<usize>j << 3), ldb, cp + ldb, cnt);
  }
}

function rowsAxpy1(ar: usize, sP: usize, b: usize, ldb: usize, c: usize, j0: i32, j1: i32, cnt: i32): void {
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const cp = c + (<usize>j << 3);
    let c00 = v128.load(cp), c01 = v128.load(cp, 16);
    let bp = b + (<usize>j << 3);
    let ap = ar;
    for (let p = 0; p < cnt; p++) {
      const x0 = v128.load64_splat(ap);
      c00 = f64x2.add(c00, f64x2.mul(x0, v128.load(bp)));
      c01 = f64x2.add(c01, f64x2.mul(x0, v128.load(bp, 16)));
      bp += ldb;
      ap += sP;
    }
    v128.store(cp, c00); v128.store(cp, c01, 16);
  }
  for (; j < j1; j++) columnAxpy(ar, sP, b + (<usize>j << 3), ldb, c + (<usize>j << 3), cnt);
}

// One element of C: c += Σ a(p)·b(p) over cnt steps, in order.
@inline function columnAxpy(ap: usize, sP: usize, bp: usize, ldb: usize, cp: usize, cnt: i32): void {
  let s = load<f64>(cp);
  for (let p = 0; p < cnt; p++) {
    s += load<f64>(ap) * load<f64>(bp);
    ap += sP;
    bp += ldb;
  }
  store<f64>(cp, s);
}

/** Dot form, for C = A·Bᵀ (NT): A m×k and B n×k row-major, C[i, j] = Σ_p A[i, p]·B[j, p].
 *  The two lanes of a vector are two adjacent columns j, j+1 of C, i.e. two rows of B. */
export function dotForm(n: i32, k: i32, a: usize, b: usize, c: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const lda = <usize>k << 3;
  const ldc = <usize>n << 3;
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const bj = b + <usize>j * lda;
    let i = i0;
    for (; i + 3 < i1; i += 4) dot4x4(a + <usize>i * lda, lda, bj, c + <usize>i * ldc + (<usize>j << 3), ldc, k);
    for (; i < i1; i++) dot1x4(a + <usize>i * lda, bj, lda, c + <usize>i * ldc + (<usize>j << 3), k);
  }
  for (; j < j1; j++) {
    for (let i = i0; i < i1; i++) {
      let s: f64 = 0;
      let ap = a + <usize>i * lda;
      let bp = b + <usize>j * lda;
      for (let p = 0; p < k; p++) {
        s += load<f64>(ap) * load<f64>(bp);
        ap += 8;
        bp += 8;
      }
      store<f64>(c + <usize>i * ldc + (<usize>j << 3), s);
    }
  }
}

// C[i..i+3, j..j+3]: lanes (B[j, p], B[j+1, p]) and (B[j+2, p], B[j+3, p]) against four splatted A[i+r, p].
function dot4x4(a: usize, lda: usize, b: usize, c: usize, ldc: usize, k: i32): void {
  let s00 = f64x2.splat(0), s01 = f64x2.splat(0);
  let s10 = f64x2.splat(0), s11 = f64x2.splat(0);
  let s20 = f64x2.splat(0), s21 = f64x2.splat(0);
  let s30 = f64x2.splat(0), s31 = f64x2.splat(0);
  let ap = a;
  let bp = b;
  for (let p = 0; p < k; p++) {
    const b0 = v128.load64_lane(bp + lda, v128.load64_splat(bp), 1);
    const b1 = v128.load64_lane(bp + 3 * lda, v128.load64_splat(bp + 2 * lda), 1);
    const x0 = v128.load64_splat(ap);
    s00 = f64x2.add(s00, f64x2.mul(x0, b0)); s01 = f64x2.add(s01, f64x2.mul(x0, b1));
    const x1 = v128.load64_splat(ap + lda);
    s10 = f64x2.add(s10, f64x2.mul(x1, b0)); s11 = f64x2.add(s11, f64x2.mul(x1, b1));
    const x2 = v128.load64_splat(ap + 2 * lda);
    s20 = f64x2.add(s20, f64x2.mul(x2, b0)); s21 = f64x2.add(s21, f64x2.mul(x2, b1));
    const x3 = v128.load64_splat(ap + 3 * lda);
    s30 = f64x2.add(s30, f64x2.mul(x3, b0)); s31 = f64x2.add(s31, f64x2.mul(x3, b1));
    ap += 8;
    bp += 8;
  }
  v128.store(c, s00); v128.store(c, s01, 16);
  v128.store(c + ldc, s10); v128.store(c + ldc, s11, 16);
  v128.store(c + 2 * ldc, s20); v128.store(c + 2 * ldc, s21, 16);
  v128.store(c + 3 * ldc, s30); v128.store(c + 3 * ldc, s31, 16);
}

function dot1x4(a: usize, b: usize, lda: usize, c: usize, k: i32): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let ap = a;
  let bp = b;
  for (let p = 0; p < k; p++) {
    const x0 = v128.load64_splat(ap);
    s0 = f64x2.add(s0, f64x2.mul(x0, v128.load64_lane(bp + lda, v128.load64_splat(bp), 1)));
    s1 = f64x2.add(s1, f64x2.mul(x0, v128.load64_lane(bp + 3 * lda, v128.load64_splat(bp + 2 * lda), 1)));
    ap += 8;
    bp += 8;
  }
  v128.store(c, s0); v128.store(c, s1, 16);
}
