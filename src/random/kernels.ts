/**
 * The WebAssembly half of the generator (./wasm/legacy.as.ts, compiled to ./wasm/legacy.wasm by
 * `npm run build:wasm`): one instance per process, whose memory is the only home of the MT19937 words. The
 * views exported here (`mt`, `tempered`, `out`, `r2`) are on that memory, which never grows (the module
 * allocates nothing), so they stay valid.
 */
import { wasmModule } from '../wasm/load.ts';
import { glibcLogExact } from './glibc-log.ts';
import { INVC, LN2HI, LN2LO, LOGC, POLY, POLY1 } from './glibc-log-data.ts';

interface Exports {
  memory: WebAssembly.Memory;
  maxPairs(): number;
  mtAddress(): number;
  temperedAddress(): number;
  outAddress(): number;
  r2Address(): number;
  tableAddress(): number;
  splitAddress(): number;
  coefAddress(): number;
  twist(): void;
  temperAll(): void;
  doubles(n: number, pos: number): number;
  gauss(pairs: number, pos: number): number;
  logs(n: number): void;
}

const instance = new WebAssembly.Instance(wasmModule(new URL('./wasm/legacy.wasm', import.meta.url)), {
  env: { logExact: glibcLogExact },
});
const ex = instance.exports as unknown as Exports;
const buffer = ex.memory.buffer as ArrayBuffer;

/** most pairs of normals one `gauss` call makes (and half the most doubles one `doubles` call makes) */
export const MAX_PAIRS = ex.maxPairs();
/** the 624-word MT19937 key */
export const mt = new Int32Array(buffer, ex.mtAddress(), 624);
/** tempered[i] is the output that mt[i] gives: refilled by every twist and by temperAll */
export const tempered = new Int32Array(buffer, ex.temperedAddress(), 624);
/** where `doubles`, `gauss` and `logs` write their results */
export const out = new Float64Array(buffer, ex.outAddress(), 2 * MAX_PAIRS);
/** the inputs of `logs` */
export const r2 = new Float64Array(buffer, ex.r2Address(), MAX_PAIRS);

// glibc's log table and coefficients, from the one transcription of them
{
  const SPLITTER = 134217729; // 2^27 + 1: Veltkamp's split of invc into two 26-bit halves
  const tab = new Float64Array(buffer, ex.tableAddress(), 256);
  const split = new Float64Array(buffer, ex.splitAddress(), 256);
  for (let i = 0; i < 128; i++) {
    tab[2 * i] = INVC[i];
    tab[2 * i + 1] = LOGC[i];
    const t = INVC[i] * SPLITTER;
    const hi = t - (t - INVC[i]);
    split[2 * i] = hi;
    split[2 * i + 1] = INVC[i] - hi;
  }
  // the order legacy.as.ts reads them in: A0..A4, B0..B10, ln2hi, ln2lo
  new Float64Array(buffer, ex.coefAddress(), 18).set([...POLY, ...POLY1, LN2HI, LN2LO]);
}

/** Replace the words by the next block (and its tempered outputs). */
export const twist = ex.twist;
/** tempered = temper(mt), after the key was written from outside. */
export const temperAll = ex.temperAll;
/** out[0..n) = random_sample draws from the words at pos (n <= 2 MAX_PAIRS, twisting as needed); returns the new pos. */
export const doubles = ex.doubles;
/** out[0..2 pairs) = legacy_gauss pairs (f*x2, f*x1) from the words at pos (pairs <= MAX_PAIRS); returns the new pos. */
export const gauss = ex.gauss;
/** out[0..n) = glibc log of r2[0..n), through gauss's log (n <= MAX_PAIRS). */
export const logs = ex.logs;
