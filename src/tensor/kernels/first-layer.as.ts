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
// The work is a sequence of items, handed out in order from a shared counter to whichever thread asks (so a thread
// that is descheduled for a while only delays what depends on the item it holds): A of a block cut into aChunks
// row ranges, B of a block cut into bChunks column ranges. Round r holds A of block r and B of block r - 1, so A runs
// a block ahead and a B item rarely waits. B(b, q) waits until every A item of block b is done (it reads the
// block's columns of W1) and B(b - 1, q) is done (P's columns q are summed in block order). Every item depends only
// on earlier items, so whoever holds the earliest unfinished item can always proceed: no deadlock, for any number of
// threads, one included.
import { blockForm } from './gemm.as';

/** Bits of `mode`. */
const BACKWARD = 1; // (A): dW1 from dZ1ᵀ, then W1 -= lr·dW1
const FORWARD = 2; // (B): P = W1·X

/** Waiting: spins first (the item waited for is normally microseconds from done), then sleeps in 1 ms slices, and
 *  gives up after a minute (a thread that never finishes its item has died: fail rather than hang). */
const SPINS = 1 << 14;
const MAX_SLEEPS = 60_000;

/**
 * One thread's share of a pass over X (n0 × m, row-major at x): every thread of the call runs this with the same
 * arguments and takes items until none is left. W1 is h × n0 at w; dzT is dZ1ᵀ, m × hPad (hPad = h rounded up to 4,
 * zero columns past h); dw is hPad × n0 scratch (its rows past h are computed and unused); P is h × m. `sync` holds
 * zeroed i32 counters: the next item, then the A items done per block (one per block of blockRows rows), then the
 * blocks of B done per column range. `errors` is the thread pool's error count: non-zero means a thread failed, and
 * the others stop when they next wait.
 */
export function firstLayerPass(
  sync: usize, errors: usize, x: usize, n0: i32, m: i32, h: i32, hPad: i32, w: usize, dzT: usize, dw: usize, p: usize,
  alpha: f64, lr: f64, blockRows: i32, aChunks: i32, bChunks: i32, mode: i32,
): void {
  const X_ROW = <usize>m << 3;
  const W_ROW = <usize>n0 << 3;
  const backward = (mode & BACKWARD) != 0;
  const forward = (mode & FORWARD) != 0;
  const blocks = (n0 + blockRows - 1) / blockRows;
  const doneA = sync + 4;
  const doneB = doneA + (<usize>blocks << 2);
  const aPer = backward ? aChunks : 0;
  const perRound = aPer + (forward ? bChunks : 0);
  const rounds = backward && forward ? blocks + 1 : blocks;
  const items = rounds * perRound;
  for (let item = atomic.add<i32>(sync, 1); item < items; item = atomic.add<i32>(sync, 1)) {
    const round = item / perRound, slot = item % perRound;
    if (slot < aPer) {
      // A(round, slot): dW1's columns for these rows of X, as rows of (dZ1·Xᵀ)ᵀ = X·dZ1ᵀ; then W1's columns
      if (round >= blocks) continue; // the last round has B only
      const r0 = round * blockRows, r1 = min(n0, r0 + blockRows);
      const share = ((r1 - r0 + aChunks * 4 - 1) / (aChunks * 4)) * 4; // whole 4-row tiles
      const a0 = min(r1, r0 + slot * share), a1 = min(r1, a0 + share);
      if (a0 < a1) {
        blockForm(m, x, X_ROW, 8, dzT, <usize>hPad << 3, dw, 8, W_ROW, a0, a1, 0, hPad, true);
        descendColumns(dw, w, n0, h, a0, a1, alpha, lr);
      }
      signal(doneA + (<usize>round << 2), 1);
    } else {
      // B(block, q): this block's terms of P's columns q
      const block = backward ? round - 1 : round;
      if (block < 0) continue; // the first round has A only
      const q = slot - aPer;
      const r0 = block * blockRows, r1 = min(n0, r0 + blockRows);
      const share = ((m + bChunks * 4 - 1) / (bChunks * 4)) * 4; // whole 4-column tiles
      const c0 = min(m, q * share), c1 = min(m, c0 + share);
      if (backward) waitFor(doneA + (<usize>block << 2), aChunks, errors);
      const qDone = doneB + (<usize>q << 2);
      waitFor(qDone, block, errors);
      if (c0 < c1) blockForm(r1 - r0, w + (<usize>r0 << 3), W_ROW, 8, x + <usize>r0 * X_ROW, X_ROW, p, X_ROW, 8, 0, h, c0, c1, r0 == 0);
      signal(qDone, 1);
    }
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

/** Adds to a done-counter and wakes threads sleeping on it. */
function signal(counter: usize, n: i32): void {
  atomic.add<i32>(counter, n);
  atomic.notify(counter);
}

/** Returns once the counter has reached `target`; traps when a thread has failed (the pool's error count is set) or
 *  the counter has not moved for a minute. */
function waitFor(counter: usize, target: i32, errors: usize): void {
  let spins = 0, sleeps = 0;
  for (;;) {
    const seen = atomic.load<i32>(counter);
    if (seen >= target) return;
    if (atomic.load<i32>(errors) != 0) unreachable();
    if (++spins < SPINS) continue;
    memory.atomic.wait32(counter, seen, 1_000_000);
    if (++sleeps > MAX_SLEEPS) {
      atomic.add<i32>(errors, 1);
      unreachable();
    }
  }
}
