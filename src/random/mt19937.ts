/**
 * The MT19937 bit generator as NumPy's legacy `RandomState` seeds and steps it (M. Matsumoto and T. Nishimura,
 * "Mersenne Twister: a 623-dimensionally equidistributed uniform pseudo-random number generator", 1998; NumPy's
 * randomkit seeding: init_genrand for an integer seed, init_by_array for a sequence).
 *
 * Speed: V8 optimises loads from module-level typed arrays much better than from typed arrays reached through
 * `this`, so the state being stepped lives in module-level `mt`/`pos`; each generator object keeps its own copy
 * and swaps it in when it is used (`activate`). Bulk operations activate once.
 */
export const STATE_LEN = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER = 0x80000000;
const LOWER = 0x7fffffff;

// Int32Array, not Uint32Array: V8 keeps int32 lanes in registers, while uint32 values above 2^31 become doubles
const mt = new Int32Array(STATE_LEN);
/** tempered[i] is the output that mt[i] gives: filled by every twist (and on activation) */
export const tempered = new Int32Array(STATE_LEN);
// `var`, not `let`: V8 checks a module-level `let` for the temporal dead zone on every access in hot loops
var pos = STATE_LEN; // eslint-disable-line no-var
let active: MT19937 | null = null;

function twist(): void {
  let i = 0;
  let y: number;
  for (; i < STATE_LEN - M; i++) {
    y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
    mt[i] = mt[i + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < STATE_LEN - 1; i++) {
    y = (mt[i] & UPPER) | (mt[i + 1] & LOWER);
    mt[i] = mt[i + (M - STATE_LEN)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  y = (mt[STATE_LEN - 1] & UPPER) | (mt[0] & LOWER);
  mt[STATE_LEN - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  temperAll();
  pos = 0;
}

/** Tempered outputs of the whole state at once: consuming them is then a single load. */
function temperAll(): void {
  for (let i = 0; i < STATE_LEN; i++) {
    let y = mt[i];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    tempered[i] = y;
  }
}

/** Next 32-bit output of the active generator, as an unsigned integer in a JS number. */
export function nextUint32(): number {
  if (pos >= STATE_LEN) twist();
  return tempered[pos++] >>> 0;
}

/** Position of the next output in `tempered` (for bulk consumers that read it directly). */
export function position(): number {
  return pos;
}

/** Advance past `count` outputs read directly from `tempered` (count <= STATE_LEN - position()). */
export function advance(count: number): void {
  pos += count;
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

/** Fill `out` with doubles in [0, 1) (bulk random_sample). */
export function fillDoubles(out: Float64Array, start = 0, end = out.length): void {
  for (let k = start; k < end; k++) out[k] = nextDouble();
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
