/** Loads a committed .wasm once per process (synchronously: kernels are small and needed at first use). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cache = new Map<string, WebAssembly.Module>();

export function wasmModule(url: URL): WebAssembly.Module {
  const path = fileURLToPath(url);
  let mod = cache.get(path);
  if (!mod) {
    mod = new WebAssembly.Module(readFileSync(path));
    cache.set(path, mod);
  }
  return mod;
}
