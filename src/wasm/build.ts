/**
 * The WebAssembly kernels are written in AssemblyScript (`*.as.ts`, TypeScript syntax with wasm's SIMD types) and
 * compiled by `npm run build:wasm` into the `.wasm` files committed beside them, so that running the suite needs
 * no compiler. `npm run build:wasm -- --check` (and build.test.ts) recompiles every module and fails if a
 * committed `.wasm` is not exactly what its source compiles to.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WasmModuleSpec {
  /** AssemblyScript entry, relative to the project root */
  source: string;
  /** asc flags besides the entry and the output */
  flags: string[];
}

/** Flags every kernel shares: fully optimised, no runtime or GC (kernels work on raw memory), no bounds asserts. */
const COMMON = ['-O3', '--noAssert', '--runtime', 'stub', '--enable', 'simd'];

// asc's own typings declare AssemblyScript's globals (i32, console, ...) and would leak into the Node program,
// so the compiler is imported by a computed name and typed here with just what is used.
const ASC: string = 'assemblyscript/asc';
interface Asc {
  createMemoryStream(): { toString(): string };
  main(argv: string[], api: object): Promise<{ error: Error | null }>;
}

export const MODULES: WasmModuleSpec[] = [
  // threads share one memory, created by the host (src/tensor/kernels/heap.ts); 65536 pages = the 4 GiB wasm32 limit
  {
    source: 'src/tensor/kernels/kernels.as.ts',
    flags: [
      '--enable',
      'threads',
      '--importMemory',
      '--sharedMemory',
      '--initialMemory',
      '1',
      '--maximumMemory',
      '65536',
    ],
  },
  // NumPy's legacy MT19937 + random_sample + legacy_gauss; its only import is the exact log fallback
  { source: 'src/random/wasm/legacy.as.ts', flags: ['--use', 'abort='] },
];

export function outputOf(spec: WasmModuleSpec): string {
  return spec.source.replace(/\.as\.ts$/, '.wasm');
}

/** Compiles one module in memory and returns its bytes (asc's output is deterministic for a given version). */
export async function compile(spec: WasmModuleSpec): Promise<Uint8Array> {
  const asc = (await import(ASC)) as Asc;
  const out = 'out.wasm';
  let bytes: Uint8Array | undefined;
  const stderr = asc.createMemoryStream();
  const { error } = await asc.main([join(ROOT, spec.source), ...COMMON, ...spec.flags, '-o', out], {
    stderr,
    writeFile(name: string, contents: Uint8Array | string) {
      if (name.endsWith('.wasm')) bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
    },
  });
  if (error || !bytes)
    throw new Error(`asc failed on ${spec.source}: ${error?.message ?? 'no output'}\n${stderr.toString()}`);
  return bytes;
}

/** Modules whose committed .wasm differs from a fresh compile (or is missing). */
export async function stale(): Promise<string[]> {
  const bad: string[] = [];
  for (const spec of MODULES) {
    const fresh = await compile(spec);
    let committed: Buffer | undefined;
    try {
      committed = readFileSync(join(ROOT, outputOf(spec)));
    } catch {
      committed = undefined;
    }
    if (!committed || Buffer.compare(committed, Buffer.from(fresh)) !== 0) bad.push(outputOf(spec));
  }
  return bad;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const bad = await stale();
    if (bad.length > 0) {
      process.stderr.write(`stale wasm (run npm run build:wasm): ${bad.join(', ')}\n`);
      process.exit(1);
    }
    process.stdout.write(`${MODULES.length} wasm modules match their sources\n`);
  } else {
    for (const spec of MODULES) {
      const bytes = await compile(spec);
      writeFileSync(join(ROOT, outputOf(spec)), bytes);
      process.stdout.write(`${relative(ROOT, join(ROOT, outputOf(spec)))}: ${bytes.length} bytes\n`);
    }
  }
}
