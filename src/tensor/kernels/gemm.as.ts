// SIMD kernels for C = op(A)·op(B) on float64 (AssemblyScript; part of kernels.wasm, see kernels.as.ts).
//
// Vectorised across output elements, never across a sum: every C[i, j] is accumulated exactly as the scalar
// kernel in gemm.ts does it, c = ((+0 + a0·b0) + a1·b1) + ... in p order, each product and sum rounded (no FMA).
// So the two kernels agree bit for bit, whatever the blocking, the path taken or the number of threads: blocking
// only changes when a partial sum is stored and reloaded, which is exact.
//
// One kernel serves every transpose case through strides (gemm-wasm.ts picks them): C[i, j] += Σ_p A(i, p)·B(p, j)
// with A(i, p) at a + i·aI + p·aP, B(p, j) at b + p·bP + 8j (contiguous in j: its vectors are loaded whole) and
// C(i, j) at c + i·cI + j·cJ. A product whose B is not contiguous in j is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ, which
// swaps the roles; C's vectors are then stored lane by lane. All addresses are byte offsets into the shared memory;
// a call computes rows [i0, i1) and columns [j0, j1) of C, so threads can split C without sharing an element.

/** C[i0..i1, j0..j1] = op(A)·op(B) over p in [0, k), in blocks of kb rows of B that stay in cache while every row
 *  block of A passes over them. The first block starts every sum from +0 (C's contents are never read), later ones
 *  continue from the partial sums stored by the previous block. */
export function axpyForm(k: i32, kb: i32, a: usize, aI: usize, aP: usize, b: usize, bP: usize, c: usize, cI: usize, cJ: usize, i0: i32, i1: i32, j0: i32, j1: i32): void {
  for (let p0 = 0; p0 < k; p0 += kb) {
    blockForm(min(kb, k - p0), a + <usize>p0 * aP, aI, aP, b + <usize>p0 * bP, bP, c, cI, cJ, i0, i1, j0, j1, p0 == 0);
  }
}

/** One k-block of axpyForm: C[i0..i1, j0..j1] (+)= Σ over cnt rows of B from a and b, every row block of A in turn;
 *  `fresh` starts the sums from +0, otherwise they continue from C. */
export function blockForm(cnt: i32, a: usize, aI: usize, aP: usize, b: usize, bP: usize, c: usize, cI: usize, cJ: usize, i0: i32, i1: i32, j0: i32, j1: i32, fresh: bool): void {
  let i = i0;
  for (; i + 3 < i1; i += 4) rows(4, a + <usize>i * aI, aI, aP, b, bP, c + <usize>i * cI, cI, cJ, j0, j1, cnt, fresh);
  const left = i1 - i; // 0 to 3 rows, in one pass over the B block
  if (left == 3) rows(3, a + <usize>i * aI, aI, aP, b, bP, c + <usize>i * cI, cI, cJ, j0, j1, cnt, fresh);
  else if (left == 2) rows(2, a + <usize>i * aI, aI, aP, b, bP, c + <usize>i * cI, cI, cJ, j0, j1, cnt, fresh);
  else if (left == 1) rows(1, a + <usize>i * aI, aI, aP, b, bP, c + <usize>i * cI, cI, cJ, j0, j1, cnt, fresh);
}

// C(i, j), C(i, j + 1) as one vector, whether adjacent in memory or cJ apart; +0 where a sum starts.
@inline function loadC(at: usize, cJ: usize, fresh: bool): v128 {
  if (fresh) return f64x2.splat(0);
  return cJ == 8 ? v128.load(at) : v128.load64_lane(at + cJ, v128.load64_zero(at), 1);
}
@inline function storeC(at: usize, cJ: usize, v: v128): void {
  if (cJ == 8) v128.store(at, v);
  else {
    v128.store64_lane(at, v, 0);
    v128.store64_lane(at + cJ, v, 1);
  }
}

// R (1 to 4, a constant at every call, so each call inlines to its own kernel without the unused rows) rows of C
// over columns [j0, j1): four columns at a time in registers (2R vectors), then two (R vectors), then one.
@inline function rows(R: i32, a: usize, aI: usize, aP: usize, b: usize, bP: usize, c: usize, cI: usize, cJ: usize, j0: i32, j1: i32, cnt: i32, fresh: bool): void {
  const cJ2 = cJ << 1;
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const cp = c + <usize>j * cJ;
    let c00 = loadC(cp, cJ, fresh), c01 = loadC(cp + cJ2, cJ, fresh);
    let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
    if (R > 1) { c10 = loadC(cp + cI, cJ, fresh); c11 = loadC(cp + cI + cJ2, cJ, fresh); }
    if (R > 2) { c20 = loadC(cp + 2 * cI, cJ, fresh); c21 = loadC(cp + 2 * cI + cJ2, cJ, fresh); }
    if (R > 3) { c30 = loadC(cp + 3 * cI, cJ, fresh); c31 = loadC(cp + 3 * cI + cJ2, cJ, fresh); }
    let bp = b + (<usize>j << 3);
    let ap = a;
    for (let p = 0; p < cnt; p++) {
      const b0 = v128.load(bp), b1 = v128.load(bp, 16);
      const x0 = v128.load64_splat(ap);
      c00 = f64x2.add(c00, f64x2.mul(x0, b0)); c01 = f64x2.add(c01, f64x2.mul(x0, b1));
      if (R > 1) {
        const x1 = v128.load64_splat(ap + aI);
        c10 = f64x2.add(c10, f64x2.mul(x1, b0)); c11 = f64x2.add(c11, f64x2.mul(x1, b1));
      }
      if (R > 2) {
        const x2 = v128.load64_splat(ap + 2 * aI);
        c20 = f64x2.add(c20, f64x2.mul(x2, b0)); c21 = f64x2.add(c21, f64x2.mul(x2, b1));
      }
      if (R > 3) {
        const x3 = v128.load64_splat(ap + 3 * aI);
        c30 = f64x2.add(c30, f64x2.mul(x3, b0)); c31 = f64x2.add(c31, f64x2.mul(x3, b1));
      }
      bp += bP;
      ap += aP;
    }
    storeC(cp, cJ, c00); storeC(cp + cJ2, cJ, c01);
    if (R > 1) { storeC(cp + cI, cJ, c10); storeC(cp + cI + cJ2, cJ, c11); }
    if (R > 2) { storeC(cp + 2 * cI, cJ, c20); storeC(cp + 2 * cI + cJ2, cJ, c21); }
    if (R > 3) { storeC(cp + 3 * cI, cJ, c30); storeC(cp + 3 * cI + cJ2, cJ, c31); }
  }
  if (j + 1 < j1) {
    // two columns left: one vector per row (the two-layer model's 7 hidden units end here)
    const cp = c + <usize>j * cJ;
    let c0 = loadC(cp, cJ, fresh);
    let c1 = c0, c2 = c0, c3 = c0;
    if (R > 1) c1 = loadC(cp + cI, cJ, fresh);
    if (R > 2) c2 = loadC(cp + 2 * cI, cJ, fresh);
    if (R > 3) c3 = loadC(cp + 3 * cI, cJ, fresh);
    let bp = b + (<usize>j << 3);
    let ap = a;
    for (let p = 0; p < cnt; p++) {
      const b0 = v128.load(bp);
      c0 = f64x2.add(c0, f64x2.mul(v128.load64_splat(ap), b0));
      if (R > 1) c1 = f64x2.add(c1, f64x2.mul(v128.load64_splat(ap + aI), b0));
      if (R > 2) c2 = f64x2.add(c2, f64x2.mul(v128.load64_splat(ap + 2 * aI), b0));
      if (R > 3) c3 = f64x2.add(c3, f64x2.mul(v128.load64_splat(ap + 3 * aI), b0));
      bp += bP;
      ap += aP;
    }
    storeC(cp, cJ, c0);
    if (R > 1) storeC(cp + cI, cJ, c1);
    if (R > 2) storeC(cp + 2 * cI, cJ, c2);
    if (R > 3) storeC(cp + 3 * cI, cJ, c3);
    j += 2;
  }
  if (j < j1) {
    for (let r = 0; r < R; r++) element(a + <usize>r * aI, aP, b + (<usize>j << 3), bP, c + <usize>r * cI + <usize>j * cJ, cnt, fresh);
  }
}

// One element of C: c += Σ A(p)·B(p) over cnt steps, in order.
@inline function element(ap: usize, aP: usize, bp: usize, bP: usize, cp: usize, cnt: i32, fresh: bool): void {
  let s: f64 = fresh ? 0 : load<f64>(cp);
  for (let p = 0; p < cnt; p++) {
    s += load<f64>(ap) * load<f64>(bp);
    ap += aP;
    bp += bP;
  }
  store<f64>(cp, s);
}

/** c[0..count) = alpha·c, each element rounded once: gemm's alpha, applied to finished sums. */
export function scale(c: usize, count: i32, alpha: f64): void {
  const va = f64x2.splat(alpha);
  const end = c + (<usize>count << 3);
  let p = c;
  for (; p + 16 <= end; p += 16) v128.store(p, f64x2.mul(va, v128.load(p)));
  if (p < end) store<f64>(p, alpha * load<f64>(p));
}
