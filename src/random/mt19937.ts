/**
 * The MT19937 bit generator as NumPy's legacy `RandomState` seeds and steps it (M. Matsumoto and T. Nishimura,
 * "Mersenne Twister: a 623-dimensionally equidistributed uniform pseudo-random number generator", 1998; NumPy's
 * randomkit seeding: init_genrand for an integer seed, init_by_array for a sequence).
 *
 * The state being stepped is module-level: the words in the WebAssembly kernel's memory (./kernels.ts, which
 * twists, tempers and makes bulk doubles and normals), the position `pos` here. Each generator object keeps its
 * own copy and swaps it in when it is used (`activate`). Bulk operations activate once.
 */
import * as kernels from './kernels.ts';

export const STATE_LEN = 624;

// The words live in the WebAssembly module's memory (./kernels.ts), which twists and tempers them; module-local
// aliases because V8 re-checks imported (live) bindings on every use in hot loops.
const mt = kernels.mt;
/** tempered[i] is the output that mt[i] gives: filled by every twist (and on activation) */
export const tempered = kernels.tempered;
const kernelTwist = kernels.twist;
const temperAll = kernels.temperAll;
const kernelDoubles = kernels.doubles;
const kernelOut = kernels.out;
const MAX_DOUBLES = 2 * kernels.MAX_PAIRS;
// `var`, not `let`: V8 checks a module-level `let` for the temporal dead zone on every access in hot loops
var pos = STATE_LEN; // eslint-disable-line no-var
let active: MT19937 | null = null;

function twist(): void {
  kernelTwist();
  pos = 0;
}

/** Next 32-bit output of the active generator, as an unsigned integer in a JS number. */
export function nextUint32(): number {
  if (pos >= STATE_LEN) twist();
  return tempered[pos++] >>> 0;
}

/** Position of the next output in `tempered` (for the kernels, which take it and return the new one). */
export function position(): number {
  return pos;
}

/** Continue from position `p` (0..624) of the current block, after a kernel consumed words up to there. */
export function setPosition(p: number): void {
  pos = p;
}

/** Next double in [0, 1) with 53 random bits: ((a >> 5) * 2^26 + (b >> 6)) / 2^53, NumPy's random_sample. */
export function nextDouble(): number {
  if (pos >= STATE_LEN - 1) {
    // rare: the pair straddles a twist
    const hi = nextUint32();
    const lo = nextUint32();
    return ((hi >>> 5) * 67108864 + (lo >>> 6)) / 9007199254740992;
  }
  const a = tempered[pos++];
  const b = tempered[pos++];
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

/** Next 64-bit output: (first << 32) | second, as NumPy's mt19937_next64. */
export function nextUint64(): bigint {
  const hi = nextUint32();
  const lo = nextUint32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Fill `out` with doubles in [0, 1) (bulk random_sample), made by the kernel in chunks and copied out. */
export function fillDoubles(out: Float64Array, start = 0, end = out.length): void {
  for (let k = start; k < end; ) {
    const n = Math.min(MAX_DOUBLES, end - k);
    pos = kernelDoubles(n, pos);
    if (n === MAX_DOUBLES) out.set(kernelOut, k);
    else out.set(kernelOut.subarray(0, n), k);
    k += n;
  }
}

export class MT19937 {
  private readonly key = new Int32Array(STATE_LEN);
  private savedPos = STATE_LEN;

  /** Make this generator's state the one the module-level functions step. */
  activate(): void {
    if (active === this) return;
    if (active) active.save();
    mt.set(this.key);
    pos = this.savedPos;
    temperAll();
    active = this;
  }

  private save(): void {
    this.key.set(mt);
    this.savedPos = pos;
  }

  /** init_genrand(s): the key from a 32-bit seed; pos = 624. */
  seedInt(s: number): void {
    this.activate();
    mt[0] = s | 0;
    for (let i = 1; i < STATE_LEN; i++) {
      const prev = mt[i - 1];
      mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
    pos = STATE_LEN;
    temperAll();
  }

  /** init_by_array(key): NumPy's seeding from a sequence of 32-bit words. */
  seedArray(key: ArrayLike<number>): void {
    this.seedInt(19650218);
    const n = key.length;
    let i = 1;
    let j = 0;
    for (let k = Math.max(STATE_LEN, n); k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j] + j;
      i++;
      j++;
      if (i >= STATE_LEN) {
        mt[0] = mt[STATE_LEN - 1];
        i = 1;
      }
      if (j >= n) j = 0;
    }
    for (let k = STATE_LEN - 1; k > 0; k--) {
      const prev = mt[i - 1];
      mt[i] = (mt[i] ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
      i++;
      if (i >= STATE_LEN) {
        mt[0] = mt[STATE_LEN - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    pos = STATE_LEN;
    temperAll();
  }

  getKey(): { key: Uint32Array; pos: number } {
    this.activate();
    return { key: new Uint32Array(mt.slice().buffer), pos };
  }

  setKey(key: ArrayLike<number>, position: number): void {
    this.activate();
    for (let i = 0; i < STATE_LEN; i++) mt[i] = key[i] | 0;
    pos = position;
    temperAll();
  }
}
