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
for (;;) {
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
