/**
 * C = op(A)·op(B) on the SIMD kernels of gemm.as.ts: operands are copied into the kernels' shared memory (unless they
 * already live there, see `pin`), C is split into disjoint column or row blocks, one per thread, and copied back.
 * Results are bit-identical to gemmScalar's for every shape, split and thread count (see gemm.as.ts).
 */
import { alloc, BlockSet, f64View, release } from './heap.ts';
import { MAX_PARTS, runParts, threadCount } from './threads.ts';

/** Below this many multiply-adds a second thread costs more to wake than it saves. */
export const THREAD_MIN_MADDS = 1 << 20;
/** Parts per thread: one, the widest, streams X in the longest runs (measured: 2 parts 15% faster than 4 on W1·X). */
const PARTS_PER_THREAD = 1;
/** Bytes of B per k-block: a block stays in L2 (1 MB per core here) while every row block of A passes over it. */
const B_BLOCK_BYTES = 256 * 1024;

const pinned = new WeakMap<Float64Array, number>();

/**
 * A copy of `data` that lives in the kernels' memory, so products with it skip the copy-in (the training set).
 * Its block is given back by `unpin`, or when the copy is garbage-collected (which cannot happen while a
 * synchronous loop runs: long computations unpin explicitly).
 */
export function pin(data: Float64Array): Float64Array {
  const start = alloc(data.length * 8);
  const view = f64View(start, data.length);
  view.set(data);
  pinned.set(view, start);
  pinRegistry.register(view, start, view);
  return view;
}
const pinRegistry = new FinalizationRegistry<number>((start) => release(start));

/** Byte offset in the kernels' memory of a pinned copy (see `pin`), or undefined for any other array. */
export function pinnedAddress(view: Float64Array): number | undefined {
  return pinned.get(view);
}

/** Gives a pinned copy's block back now; the copy must not be used afterwards (its bytes will be reused). */
export function unpin(view: Float64Array): void {
  const start = pinned.get(view);
  if (start === undefined) throw new Error('unpin: not a pinned array');
  pinned.delete(view);
  pinRegistry.unregister(view);
  release(start);
}

export interface GemmOptions {
  /** multiplies each finished element of C once, on the way out (default 1) */
  alpha?: number;
  /** how many blocks C is cut into (default: one per thread for large products, else one); tests and the bench use
   *  it to show that the cut never changes a bit and to time one thread */
  parts?: number;
}

/** C = alpha·(op(A)·op(B)) (op(A) m×k, op(B) k×n, C m×n overwritten). */
export function gemmWasm(
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  transA: boolean,
  b: Float64Array,
  transB: boolean,
  c: Float64Array,
  { alpha = 1, parts }: GemmOptions = {},
): void {
  const scratch = new BlockSet();
  const take = (bytes: number) => scratch.take(bytes);
  const place = (x: Float64Array): number => {
    const at = pinned.get(x);
    if (at !== undefined) return at;
    const start = take(x.length * 8);
    f64View(start, x.length).set(x);
    return start;
  };
  /** x (rows×cols, row-major) transposed into the kernels' memory, its rows padded with zeros to `width` */
  const placeTransposed = (x: Float64Array, rows: number, cols: number, width = rows): number => {
    const start = take(cols * width * 8);
    const t = f64View(start, cols * width);
    transposeInto(t, x, rows, cols, width);
    for (let q = 0; q < cols; q++) t.fill(0, q * width + rows, (q + 1) * width);
    return start;
  };
  // A·Bᵀ runs as Cᵀ with op(A)ᵀ transposed here: padded to whole 4-column tiles (m = 7: 8, not 4 + 2 + a scalar
  // column); the padded rows of the scratch C are computed and never copied out
  const asCt = transB && (transA || m <= n);
  const mPad = asCt && !transA ? Math.ceil(m / 4) * 4 : m;
  try {
    const pc = take(mPad * n * 8);
    const cv = f64View(pc, m * n);
    if (k === 0) cv.fill(0); // the kernel writes every element of C, except when there is nothing to sum
    // The kernel loads B(p, j) as whole vectors along j. When op(B) is stored with j along its columns (NN, TN) it
    // runs as is; otherwise (NT, TT) it computes Cᵀ = op(B)ᵀ·op(A)ᵀ, storing C's vectors lane by lane, and an op(A)
    // stored with i across its rows (NT) is transposed first: or, when A is the larger operand, B instead (NN).
    let job: { rows: number; cols: number; args: (r0: number, r1: number, c0: number, c1: number) => number[] };
    const C = { i: 8 * n, j: 8 };
    if (!asCt) {
      const pa = place(a);
      const [aI, aP] = transA ? [8, 8 * m] : [8 * k, 8];
      const pb = transB ? placeTransposed(b, n, k) : place(b);
      job = {
        rows: m,
        cols: n,
        args: (i0, i1, j0, j1) => [k, kBlock(k, j1 - j0), pa, aI, aP, pb, 8 * n, pc, C.i, C.j, i0, i1, j0, j1],
      };
    } else {
      const pb = place(b); // n×k: kernel rows are C's columns j
      const pa = transA ? place(a) : placeTransposed(a, m, k, mPad); // k×mPad: contiguous in i
      job = {
        rows: n,
        cols: mPad,
        args: (j0, j1, i0, i1) => [k, kBlock(k, i1 - i0), pb, 8 * k, 8, pa, 8 * mPad, pc, C.j, C.i, j0, j1, i0, i1],
      };
    }
    const count = parts ?? (m * n * k >= THREAD_MIN_MADDS && threadCount() > 1 ? threadCount() * PARTS_PER_THREAD : 1);
    runParts('axpyForm', split(job.rows, job.cols, count, job.args));
    if (alpha !== 1) runParts('scale', [[pc, m * n, alpha]]);
    c.set(cv);
  } finally {
    scratch.release();
  }
}

/** t[q·width + r] = x[r·cols + q]: x (rows × cols, row-major) transposed into t, whose rows are `width` long (the
 *  columns past `rows` are left as they are). */
export function transposeInto(t: Float64Array, x: Float64Array, rows: number, cols: number, width: number): void {
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) t[q * width + r] = x[r * cols + q];
}

/** Rows of B per k-block for a part `cols` columns wide: all of k when it fits, so C is written once. */
function kBlock(k: number, cols: number): number {
  return Math.max(16, Math.min(k, Math.floor(B_BLOCK_BYTES / (8 * cols))));
}

/** The larger of the kernel's two dimensions cut into `count` blocks of whole vectors (multiples of 4). */
function split(
  rows: number,
  cols: number,
  count: number,
  args: (r0: number, r1: number, c0: number, c1: number) => number[],
): number[][] {
  const alongCols = cols >= rows;
  const extent = alongCols ? cols : rows;
  const step = Math.ceil(extent / Math.min(count, MAX_PARTS) / 4) * 4;
  const parts: number[][] = [];
  for (let lo = 0; lo < extent; lo += step) {
    const hi = Math.min(extent, lo + step);
    parts.push(alongCols ? args(0, rows, lo, hi) : args(lo, hi, 0, cols));
  }
  return parts;
}
