// A kernel thread (started by threads.ts): instantiates kernels.wasm over the shared memory, then, for every call the
// main thread posts, takes parts from the shared counter until none is left. The control block layout is threads.ts's.
import { workerData } from 'node:worker_threads';

const { wasm, memory, slot, names, layout } = workerData;
const kernels = new WebAssembly.Instance(wasm, { env: { memory } }).exports;
const fns = names.map((name) => kernels[name]);
const ctl = new Int32Array(memory.buffer, 0, layout.ints);
const args = new Float64Array(memory.buffer, layout.argsByte, layout.maxParts * layout.maxArgs);

Atomics.store(ctl, layout.done + slot, 0);
Atomics.notify(ctl, layout.done + slot);
let seen = 0;
// After a call, spin for up to SPIN_MS before sleeping: a training loop calls every few hundred microseconds, and
// waking a sleeping thread costs 10-50 us here (measured) before it can share the call's work. Idle longer than that,
// the thread sleeps and costs nothing.
const SPIN_MS = 0.5;
for (;;) {
  const until = performance.now() + SPIN_MS;
  while (Atomics.load(ctl, layout.gen) === seen && performance.now() < until);
  Atomics.wait(ctl, layout.gen, seen);
  seen = Atomics.load(ctl, layout.gen);
  const fn = fns[ctl[layout.kernel]];
  const count = ctl[layout.parts];
  const nargs = ctl[layout.nargs];
  for (let p = Atomics.add(ctl, layout.next, 1); p < count; p = Atomics.add(ctl, layout.next, 1)) {
    try {
      fn(...args.subarray(p * layout.maxArgs, p * layout.maxArgs + nargs));
    } catch {
      Atomics.add(ctl, layout.errors, 1);
    }
  }
  Atomics.store(ctl, layout.done + slot, seen);
  Atomics.notify(ctl, layout.done + slot);
}
