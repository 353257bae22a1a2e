// The first layer's pass over the training set X, for gradient descent (first-layer.ts runs it).
//
// Each iteration multiplies by X twice: dW1 = (1/m)·dZ1·Xᵀ at the end of one iteration, Z1 = W1·X + b1 at the start of
// the next, with W1 updated in between. X (12288 × 209 for the cat set, 20 MB) does not stay in cache, so two
// separate products stream it from memory twice. Here one pass over X's rows, a block at a time, does both while the
// block is in cache: (A) the block's columns of dZ1·Xᵀ, times 1/m, and update_parameters on those columns of W1;
// (B) the block's terms of the next W1·X, now that those columns of W1 are final. Every element is computed exactly
// as the separate products and the update compute it (gemm.as.ts's order; k-blocking only stores partial sums),
// so training gives the same bits either way.
//
// Threads split A by rows of X and B by columns of the product, so B of a block must wait until every thread has
// finished A of it: one barrier per block (a counter in the control block; a thread spins briefly, then sleeps).
import { blockForm } from './gemm.as';

/** Bits of `mode`. */
const BACKWARD = 1; // (A): dW1 from dZ1ᵀ, then W1 -= lr·dW1
const FORWARD = 2; // (B): P = W1·X

/** Barrier: spins before sleeping (a partner is normally microseconds away), sleeps in 1 ms slices, gives up after a
 *  minute (a thread that never arrives has died: fail rather than hang). */
const SPINS = 1 << 14;
const MAX_SLEEPS = 60_000;

/**
 * Part `part` of `parts` (one per thread, all running at once) of a pass over X (n0 × m, row-major at x).
 * W1 is h × n0 at w; dzT is dZ1ᵀ, m × hPad (hPad = h rounded up to 4, zero columns past h); dw is hPad × n0 scratch
 * (its rows past h are computed and unused); P is h × m. `sync` is a zeroed counter, `errors` the thread pool's error
 * count: non-zero means a thread failed, and the others stop at their next barrier.
 */
export function firstLayerPass(
  part: i32, parts: i32, sync: usize, errors: usize, x: usize, n0: i32, m: i32, h: i32, hPad: i32,
  w: usize, dzT: usize, dw: usize, p: usize, alpha: f64, lr: f64, blockRows: i32, mode: i32,
): void {
  const X_ROW = <usize>m << 3;
  const W_ROW = <usize>n0 << 3;
  const backward = (mode & BACKWARD) != 0;
  const forward = (mode & FORWARD) != 0;
  // B: this part's columns of P, in whole vectors
  const colShare = ((m + parts * 4 - 1) / (parts * 4)) * 4;
  const c0 = min(m, part * colShare), c1 = min(m, c0 + colShare);
  let block = 0;
  for (let r0 = 0; r0 < n0; r0 += blockRows) {
    const r1 = min(n0, r0 + blockRows);
    if (backward) {
      // A: this part's rows of the block, in whole tiles: dW1's columns r as rows of (dZ1·Xᵀ)ᵀ = X·dZ1ᵀ
      const share = ((r1 - r0 + parts * 4 - 1) / (parts * 4)) * 4;
      const a0 = min(r1, r0 + part * share), a1 = min(r1, a0 + share);
      if (a0 < a1) {
        blockForm(m, x, X_ROW, 8, dzT, <usize>hPad << 3, dw, 8, W_ROW, a0, a1, 0, hPad, true);
        descendColumns(dw, w, n0, h, a0, a1, alpha, lr);
      }
      block++;
      if (forward && parts > 1) arrive(sync, errors, parts * block);
    }
    if (forward && c0 < c1) blockForm(r1 - r0, w + (<usize>r0 << 3), W_ROW, 8, x + <usize>r0 * X_ROW, X_ROW, p, X_ROW, 8, 0, h, c0, c1, r0 == 0);
  }
}

/** W1[i, j] = W1[i, j] - lr·(alpha·C[i, j]) for i < h, j in [j0, j1): dW1 = 1/m·(dZ1·Xᵀ), then update_parameters'
 *  W - learning_rate·dW, each operation rounded once, as NumPy and the engine do them. */
function descendColumns(c: usize, w: usize, n0: i32, h: i32, j0: i32, j1: i32, alpha: f64, lr: f64): void {
  const va = f64x2.splat(alpha), vl = f64x2.splat(lr);
  for (let i = 0; i < h; i++) {
    const row = <usize>i * n0;
    let pc = c + ((row + j0) << 3);
    let pw = w + ((row + j0) << 3);
    const end = w + ((row + j1) << 3);
    for (; pw + 16 <= end; pw += 16, pc += 16) {
      v128.store(pw, f64x2.sub(v128.load(pw), f64x2.mul(vl, f64x2.mul(va, v128.load(pc)))));
    }
    if (pw < end) store<f64>(pw, load<f64>(pw) - lr * (alpha * load<f64>(pc)));
  }
}

/** Counts this thread in at the barrier and returns when `target` threads have arrived in all; traps when a thread
 *  has failed (the pool's error count is set) or none arrives within a minute. */
function arrive(sync: usize, errors: usize, target: i32): void {
  atomic.add<i32>(sync, 1);
  atomic.notify(sync);
  let spins = 0, sleeps = 0;
  for (;;) {
    const seen = atomic.load<i32>(sync);
    if (seen >= target) return;
    if (atomic.load<i32>(errors) != 0) unreachable();
    if (++spins < SPINS) continue;
    memory.atomic.wait32(sync, seen, 1_000_000);
    if (++sleeps > MAX_SLEEPS) {
      atomic.add<i32>(errors, 1);
      unreachable();
    }
  }
}
