/**
 * The kernels' memory: one shared WebAssembly memory that the main thread and every worker instantiate kernels.wasm
 * over, so operands are copied in once and any thread can read them. Blocks are handed out first-fit and given back
 * by the caller; growing a shared memory never detaches earlier views, so a view stays valid until its block is
 * released.
 */
const PAGE = 65536;
const ALIGN = 64; // a cache line: SIMD loads never straddle one at a block's start
/** Below this offset: the thread pool's control block (threads.ts); nothing else is placed there. */
export const RESERVED = 4096;

export const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });

interface Span {
  start: number;
  size: number;
}

const free: Span[] = [{ start: RESERVED, size: 64 * PAGE - RESERVED }];
const used = new Map<number, number>();

/** A block of at least `bytes` bytes (aligned), growing the memory when no free span is large enough. */
export function alloc(bytes: number): number {
  const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  let idx = free.findIndex((s) => s.size >= size);
  if (idx < 0) {
    const end = memory.buffer.byteLength;
    const last = free[free.length - 1];
    const tail = last && last.start + last.size === end ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE);
    try {
      memory.grow(pages);
    } catch {
      throw new RangeError(`kernel memory: cannot grow by ${pages} pages to hold ${bytes} bytes`);
    }
    if (tail > 0) last.size += pages * PAGE;
    else free.push({ start: end, size: pages * PAGE });
    idx = free.length - 1;
  }
  const span = free[idx];
  const start = span.start;
  span.start += size;
  span.size -= size;
  if (span.size === 0) free.splice(idx, 1);
  used.set(start, size);
  return start;
}

/** Gives a block back, merging it with free neighbours. */
export function release(start: number): void {
  const size = used.get(start);
  if (size === undefined) throw new Error(`kernel memory: ${start} is not an allocated block`);
  used.delete(start);
  let idx = free.findIndex((s) => s.start > start);
  if (idx < 0) idx = free.length;
  free.splice(idx, 0, { start, size });
  const next = free[idx + 1];
  if (next && start + size === next.start) {
    free[idx].size += next.size;
    free.splice(idx + 1, 1);
  }
  const prev = free[idx - 1];
  if (prev && prev.start + prev.size === start) {
    prev.size += free[idx].size;
    free.splice(idx, 1);
  }
}

/** A float64 view of `length` elements at byte offset `start`. */
export function f64View(start: number, length: number): Float64Array {
  return new Float64Array(memory.buffer, start, length);
}

/** Bytes currently handed out (for tests: every call gives back what it took). */
export function bytesInUse(): number {
  let n = 0;
  for (const size of used.values()) n += size;
  return n;
}

/** Blocks taken together and given back together: a call's scratch, or an object's buffers. */
export class BlockSet {
  private readonly starts: number[] = [];

  /** A block of at least `bytes` bytes, given back by `release`. */
  take(bytes: number): number {
    const at = alloc(bytes);
    this.starts.push(at);
    return at;
  }

  /** Gives back every block taken so far. */
  release(): void {
    for (const at of this.starts.splice(0)) release(at);
  }
}
