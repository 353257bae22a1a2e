/**
 * C = op(A)·op(B) on gemm.wasm's SIMD kernels: operands are copied into the kernels' shared memory (unless they
 * already live there, see `pin`), C is split into disjoint column or row blocks, one per thread, and copied back.
 * Results are bit-identical to gemmScalar's for every shape, split and thread count (see gemm.as.ts).
 */
import { alloc, f64View, release } from './heap.ts';
import { MAX_PARTS, runParts, threadCount } from './threads.ts';

/** Below this many multiply-adds a second thread costs more to wake than it saves. */
const THREAD_MIN_MADDS = 1 << 20;
/** Parts per thread: small enough that a thread slowed by other work takes fewer, large enough to stream well. */
const PARTS_PER_THREAD = 4;

const pinned = new WeakMap<Float64Array, number>();

/** A copy of `data` that lives in the kernels' memory, so products with it skip the copy-in (the training set). */
export function pin(data: Float64Array): Float64Array {
  const start = alloc(data.length * 8);
  const view = f64View(start, data.length);
  view.set(data);
  pinned.set(view, start);
  pinRegistry.register(view, start);
  return view;
}
const pinRegistry = new FinalizationRegistry<number>((start) => release(start));

/**
 * AᵀBᵀ is not handled here (the caller uses the scalar kernel). `parts` overrides how many blocks C is cut into
 * (default: one per thread for large products, else one); tests use it to show that the cut never changes a bit.
 */
export function gemmWasm(
  m: number, n: number, k: number, a: Float64Array, transA: boolean, b: Float64Array, transB: boolean, c: Float64Array,
  parts?: number,
): void {
  if (transA && transB) throw new Error('gemmWasm: AᵀBᵀ is not supported');
  const scratch: number[] = [];
  const place = (x: Float64Array): number => {
    const at = pinned.get(x);
    if (at !== undefined) return at;
    const start = alloc(x.length * 8);
    scratch.push(start);
    f64View(start, x.length).set(x);
    return start;
  };
  try {
    const pa = place(a);
    const pb = place(b);
    const pc = alloc(m * n * 8);
    scratch.push(pc);
    const cv = f64View(pc, m * n);
    cv.fill(0);
    const count = parts ?? (m * n * k >= THREAD_MIN_MADDS && threadCount() > 1 ? threadCount() * PARTS_PER_THREAD : 1);
    if (transB) runParts('dotForm', split(m, n, count, (i0, i1, j0, j1) => [n, k, pa, pb, pc, i0, i1, j0, j1]));
    else {
      // element (i, p) of op(A): A[i, p] at 8(ik + p), or Aᵀ (A stored k×m) at 8(pm + i)
      const [sI, sP] = transA ? [8, 8 * m] : [8 * k, 8];
      runParts('axpyForm', split(m, n, count, (i0, i1, j0, j1) => [n, k, pa, sI, sP, pb, pc, i0, i1, j0, j1]));
    }
    c.set(cv);
  } finally {
    for (const s of scratch) release(s);
  }
}

/** C's larger dimension cut into `count` blocks of whole vectors (multiples of 4): each block's kernel arguments. */
function split(m: number, n: number, count: number, block: (i0: number, i1: number, j0: number, j1: number) => number[]): number[][] {
  const alongColumns = n >= m;
  const extent = alongColumns ? n : m;
  const step = Math.ceil(extent / Math.min(count, MAX_PARTS) / 4) * 4;
  const parts: number[][] = [];
  for (let lo = 0; lo < extent; lo += step) {
    const hi = Math.min(extent, lo + step);
    parts.push(alongColumns ? block(0, m, lo, hi) : block(lo, hi, 0, n));
  }
  return parts;
}
