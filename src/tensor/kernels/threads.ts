/**
 * Kernel threads: workers that share the kernels' memory (heap.ts) and run kernels.wasm calls posted by the main
 * thread through a control block at the start of that memory. A call is a list of parts (disjoint blocks of C);
 * every thread, the main one included, takes the next part from a shared counter until none is left, so a core
 * slowed by other work simply takes fewer parts. The main thread then waits for the others: a kernel call stays
 * synchronous, as the engine's functions are.
 *
 * Threads never change a result: each element of C is computed by one thread, in the same order as on one
 * thread. `DNN_VERIFY_THREADS=1` turns the pool off.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { memory, RESERVED } from './heap.ts';
import { wasmModule } from '../../wasm/load.ts';

/** The exports a part may call, by index. */
export const KERNELS = ['axpyForm', 'scale', 'firstLayerPass'] as const;
export type KernelName = (typeof KERNELS)[number];

// Control block (int32 indices): generation, part count, next part, kernel, argument count, errors, then one
// done-generation per thread; the parts' float64 arguments from ARGS_BYTE on.
const MAX_THREADS = 32;
const LAYOUT = {
  gen: 0,
  parts: 1,
  next: 2,
  kernel: 3,
  nargs: 4,
  errors: 5,
  done: 8,
  ints: 8 + MAX_THREADS,
  argsByte: 256,
  maxArgs: 20,
  maxParts: 0,
};
LAYOUT.maxParts = Math.floor((RESERVED - LAYOUT.argsByte) / (8 * LAYOUT.maxArgs));
/** A call whose parts are not all done after this long means a dead thread: fail loudly rather than wait forever. */
const CALL_TIMEOUT_MS = 300_000;

const module = wasmModule(new URL('./kernels.wasm', import.meta.url));
const main = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<
  KernelName,
  (...a: number[]) => void
>;
const ctl = new Int32Array(memory.buffer, 0, LAYOUT.ints);
const args = new Float64Array(memory.buffer, LAYOUT.argsByte, LAYOUT.maxParts * LAYOUT.maxArgs);

let workerSlots: number[] | undefined;

/** Number of threads a kernel call may use (the main thread included). */
export function threadCount(): number {
  const env = Number(process.env.DNN_VERIFY_THREADS);
  const wanted = Number.isInteger(env) && env >= 1 ? env : availableParallelism();
  return Math.max(1, Math.min(wanted, MAX_THREADS));
}

/** Threads that can run parts at once, the main one included. */
export function liveThreads(): number {
  return workers().length + 1;
}

/** Byte offset of the error count, which kernels whose threads wait for each other read to stop waiting. */
export const ERRORS_BYTE = 4 * LAYOUT.errors;

/** Most parts one call may have. */
export const MAX_PARTS = LAYOUT.maxParts;

function workers(): number[] {
  if (workerSlots) return workerSlots;
  workerSlots = [];
  for (let slot = 1; slot < threadCount(); slot++) {
    Atomics.store(ctl, LAYOUT.done + slot, -1);
    const worker = new Worker(new URL('./kernel-worker.mjs', import.meta.url), {
      workerData: { wasm: module, memory, slot, names: KERNELS, layout: LAYOUT },
      execArgv: [], // plain JavaScript: no TypeScript loader (tsx's would try to transform it)
    });
    worker.unref(); // idle kernel threads never keep the process alive
    worker.on('error', () => undefined); // a thread that fails to start is detected below and left out
    // a thread that has not started within 10 s is left out; the others take its parts
    Atomics.wait(ctl, LAYOUT.done + slot, -1, 10_000);
    if (Atomics.load(ctl, LAYOUT.done + slot) !== Atomics.load(ctl, LAYOUT.gen)) {
      void worker.terminate();
      break;
    }
    workerSlots.push(slot);
  }
  return workerSlots;
}

/** Runs `kernel` once per argument list, spread over the threads; returns when every part is done. */
export function runParts(kernel: KernelName, parts: number[][]): void {
  if (parts.length > MAX_PARTS) throw new RangeError(`runParts: at most ${MAX_PARTS} parts, got ${parts.length}`);
  const fn = main[kernel];
  const slots = parts.length > 1 ? workers() : [];
  if (slots.length === 0) {
    for (const a of parts) fn(...a);
    return;
  }
  parts.forEach((a, p) => args.set(a, p * LAYOUT.maxArgs));
  ctl[LAYOUT.kernel] = KERNELS.indexOf(kernel);
  ctl[LAYOUT.nargs] = parts[0].length;
  ctl[LAYOUT.parts] = parts.length;
  ctl[LAYOUT.errors] = 0;
  Atomics.store(ctl, LAYOUT.next, 0);
  const gen = (Atomics.load(ctl, LAYOUT.gen) + 1) | 0;
  Atomics.store(ctl, LAYOUT.gen, gen);
  Atomics.notify(ctl, LAYOUT.gen);
  try {
    for (let p = Atomics.add(ctl, LAYOUT.next, 1); p < parts.length; p = Atomics.add(ctl, LAYOUT.next, 1))
      fn(...parts[p]);
  } catch (e) {
    Atomics.add(ctl, LAYOUT.errors, 1); // threads waiting for this one's work stop waiting
    throw e;
  } finally {
    // even when a part failed here, the other threads finish theirs before the caller frees the memory they write
    Atomics.store(ctl, LAYOUT.next, parts.length);
    const started = Date.now();
    for (const slot of slots) {
      for (
        let done = Atomics.load(ctl, LAYOUT.done + slot);
        done !== gen;
        done = Atomics.load(ctl, LAYOUT.done + slot)
      ) {
        // biome-ignore lint/correctness/noUnsafeFinally: a thread that never finishes outranks the part's own error
        if (Date.now() - started > CALL_TIMEOUT_MS) throw new Error(`kernel thread ${slot} did not finish its parts`);
        Atomics.wait(ctl, LAYOUT.done + slot, done, 1000);
      }
    }
  }
  if (ctl[LAYOUT.errors] !== 0) throw new Error(`${ctl[LAYOUT.errors]} part(s) of ${kernel} failed on a kernel thread`);
}
