/**
 * NumPy's legacy distributions (`numpy.random.RandomState`, the `np.random.*` functions of the notebooks) on the
 * MT19937 bit generator, with NumPy's names, draw order, argument checks and error messages.
 *
 * What "legacy" fixes, and we reproduce: `randn` is the polar (Marsaglia) method with a cached second value and
 * glibc's log; `randint` is masked rejection sampling (not Lemire), with 8/16-bit and bool draws sliced from
 * one 32-bit word, low bits first; `shuffle`/`permutation` draw `random_interval(i)` for i = n-1 .. 1.
 */
import { NDArray, shapeSize, type Shape } from '../tensor/ndarray.ts';
import * as kernels from './kernels.ts';
import {
  MT19937,
  STATE_LEN,
  fillDoubles,
  nextDouble,
  nextUint32,
  nextUint64,
  position,
  setPosition,
} from './mt19937.ts';
import { IntNDArray, INT_DTYPES, type IntDType } from './int-array.ts';

/** NumPy's ValueError, by name, so callers and messages match Python's. */
export class ValueError extends Error {
  override name = 'ValueError';
}

export type SeedLike =
  | number
  | bigint
  | boolean
  | readonly (number | bigint)[]
  | Uint32Array
  | NDArray
  | null
  | undefined;
export type Size = number | readonly number[] | undefined;
/** NumPy's legacy state tuple: ('MT19937', key, pos, has_gauss, cached_gaussian). */
export type LegacyState = [string, Uint32Array, number, number, number];

const UINT32_MAX = 0xffffffff;
// module-local aliases for the randn loop: V8 checks imported (live) bindings on every access
const MAX_PAIRS = kernels.MAX_PAIRS;
const kernelGauss = kernels.gauss;
const kernelOut = kernels.out;

function seedRangeError(): ValueError {
  return new ValueError('Seed must be between 0 and 2**32 - 1');
}

function castError(from: string): TypeError {
  return new TypeError(`Cannot cast array data from dtype('${from}') to dtype('int64') according to the rule 'safe'`);
}

function jsDtypeName(v: unknown): string {
  if (typeof v === 'string') return `<U${v.length}`;
  if (typeof v === 'number') return 'float64';
  return 'O';
}

/** A non-negative integer dimension, with NumPy's errors. */
function dimension(d: unknown): number {
  if (typeof d === 'bigint') d = Number(d);
  if (typeof d !== 'number' || !Number.isInteger(d)) {
    throw new TypeError(`'${typeof d === 'number' ? 'float' : typeof d}' object cannot be interpreted as an integer`);
  }
  if (d < 0) throw new ValueError('negative dimensions are not allowed');
  return d;
}

function toShape(size: Size): Shape | undefined {
  if (size === undefined) return undefined;
  if (typeof size === 'number' || typeof size === 'bigint') return [dimension(size)];
  if (!Array.isArray(size)) throw new TypeError(`'${typeof size}' object cannot be interpreted as an integer`);
  return size.map(dimension);
}

export class RandomState {
  private readonly bitgen = new MT19937();
  private hasGauss = 0;
  private gauss = 0;

  constructor(seed?: SeedLike) {
    this.seed(seed);
  }

  /** `np.random.seed`: an integer in [0, 2**32-1] (init_genrand) or a non-empty 1-d sequence (init_by_array). */
  seed(seed?: SeedLike): void {
    if (seed === undefined || seed === null) {
      const words = new Uint32Array(STATE_LEN);
      globalThis.crypto.getRandomValues(words);
      this.bitgen.seedArray(words);
    } else if (typeof seed === 'number' || typeof seed === 'bigint' || typeof seed === 'boolean') {
      this.bitgen.seedInt(checkSeedInt(seed));
    } else if (seed instanceof NDArray) {
      // a float64 array: NumPy refuses to cast it to int64 under the 'safe' rule
      throw castError('float64');
    } else if (Array.isArray(seed) || seed instanceof Uint32Array) {
      const items = Array.from(seed as ArrayLike<number | bigint>);
      if (items.length === 0) throw new ValueError('Seed must be non-empty');
      const key = new Uint32Array(items.length);
      items.forEach((v, i) => {
        if (Array.isArray(v)) throw new ValueError('Seed array must be 1-d');
        if (typeof v === 'number' && !Number.isInteger(v)) throw castError('float64');
        if (typeof v !== 'number' && typeof v !== 'bigint') throw castError(jsDtypeName(v));
        const n = typeof v === 'bigint' ? v : BigInt(v);
        if (n < 0n || n > BigInt(UINT32_MAX)) throw seedRangeError();
        key[i] = Number(n);
      });
      this.bitgen.seedArray(key);
    } else {
      throw castError(jsDtypeName(seed));
    }
    this.hasGauss = 0;
    this.gauss = 0;
  }

  // ---- uniform doubles -------------------------------------------------------------------------------------

  /** `random_sample(size)`: doubles in [0, 1); a number when size is omitted. */
  random_sample(size?: Size): NDArray | number {
    const shape = toShape(size);
    this.bitgen.activate();
    if (shape === undefined) return nextDouble();
    const out = new Float64Array(shapeSize(shape));
    fillDoubles(out);
    return new NDArray(out, shape);
  }

  /** Fill `out` with random_sample draws: the values `random_sample(out.length)` would give. */
  fillRandomSample(out: Float64Array): void {
    this.bitgen.activate();
    fillDoubles(out);
  }

  /** `rand(d0, d1, ...)`: an array of the given shape (0-d with no arguments). */
  rand(...dims: number[]): NDArray {
    const shape = dims.map(dimension);
    this.bitgen.activate();
    const out = new Float64Array(shapeSize(shape));
    fillDoubles(out);
    return new NDArray(out, shape);
  }

  uniform(low = 0, high = 1, size?: Size): NDArray | number {
    const range = high - low;
    if (!Number.isFinite(range)) throw new RangeError('Range exceeds valid bounds'); // NumPy: OverflowError
    const shape = toShape(size);
    this.bitgen.activate();
    if (shape === undefined) return low + range * nextDouble();
    const out = new Float64Array(shapeSize(shape));
    fillDoubles(out);
    for (let i = 0; i < out.length; i++) out[i] = low + range * out[i];
    return new NDArray(out, shape);
  }

  // ---- normals ---------------------------------------------------------------------------------------------

  /** `randn(d0, d1, ...)`: standard normals of the given shape (0-d with no arguments). */
  randn(...dims: number[]): NDArray {
    const shape = dims.map(dimension);
    const out = new Float64Array(shapeSize(shape));
    this.fillStandardNormal(out);
    return new NDArray(out, shape);
  }

  /** `standard_normal(size)`: a number when size is omitted. */
  standard_normal(size?: Size): NDArray | number {
    const shape = toShape(size);
    if (shape === undefined) {
      const one = new Float64Array(1);
      this.fillStandardNormal(one);
      return one[0];
    }
    const out = new Float64Array(shapeSize(shape));
    this.fillStandardNormal(out);
    return new NDArray(out, shape);
  }

  /** `normal(loc, scale, size)` = loc + scale * gauss, unfused, as NumPy's legacy_normal. */
  normal(loc = 0, scale = 1, size?: Size): NDArray | number {
    if (!(scale >= 0)) throw new ValueError('scale < 0');
    const shape = toShape(size);
    const out = new Float64Array(shape === undefined ? 1 : shapeSize(shape));
    this.fillStandardNormal(out);
    for (let i = 0; i < out.length; i++) out[i] = loc + scale * out[i];
    return shape === undefined ? out[0] : new NDArray(out, shape);
  }

  /**
   * Fill `out` with legacy_gauss draws: the polar method, second value cached across calls. The kernel makes
   * whole pairs (f*x2, f*x1) in chunks; for an odd count the last pair's f*x1 becomes the cached value.
   */
  fillStandardNormal(out: Float64Array): void {
    const n = out.length;
    if (n === 0) return;
    this.bitgen.activate();
    let k = 0;
    if (this.hasGauss) {
      out[k++] = this.gauss;
      this.hasGauss = 0;
      this.gauss = 0;
    }
    while (k < n) {
      const pairs = Math.min(MAX_PAIRS, (n - k + 1) >> 1);
      setPosition(kernelGauss(pairs, position()));
      const made = 2 * pairs;
      if (k + made <= n) {
        out.set(made === kernelOut.length ? kernelOut : kernelOut.subarray(0, made), k);
        k += made;
      } else {
        out.set(kernelOut.subarray(0, made - 1), k);
        k = n;
        this.hasGauss = 1;
        this.gauss = kernelOut[made - 1];
      }
    }
  }

  // ---- integers --------------------------------------------------------------------------------------------

  /**
   * `randint(low, high=None, size=None, dtype='int64')`: integers in [low, high) by masked rejection.
   * Returns a bigint for 64-bit dtypes, a number (or boolean) otherwise, when size is omitted.
   */
  randint(
    low: number | bigint,
    high?: number | bigint | null,
    size?: Size,
    dtype: IntDType | 'int' | 'bool_' = 'int64',
  ): IntNDArray | number | bigint | boolean {
    const dt: IntDType = dtype === 'int' ? 'int64' : dtype === 'bool_' ? 'bool' : dtype;
    const info = INT_DTYPES[dt];
    if (!info) throw new TypeError(`Unsupported dtype '${dtype}' for randint`);
    let lo = toBigInt(low, 'low');
    let hi: bigint;
    if (high === undefined || high === null) {
      hi = lo;
      lo = 0n;
    } else {
      hi = toBigInt(high, 'high');
    }
    hi -= 1n;
    if (lo < info.min) throw new ValueError(`low is out of bounds for ${dt}`);
    if (hi > info.max) throw new ValueError(`high is out of bounds for ${dt}`);
    if (lo > hi) throw new ValueError('low >= high');
    const shape = toShape(size);
    const count = shape === undefined ? 1 : shapeSize(shape);
    const rng = hi - lo;
    const values = new Array<bigint>(count);
    this.bitgen.activate();
    drawBounded(values, rng, info.bits);
    const result = IntNDArray.fromOffsets(dt, shape ?? [], lo, values);
    return shape === undefined ? result.item(0) : result;
  }

  // ---- permutations ----------------------------------------------------------------------------------------

  /** `shuffle(x)`: in place along the first axis (NDArray rows, IntNDArray rows, or a JS array). */
  shuffle<T>(x: NDArray | IntNDArray | T[]): void {
    const n = Array.isArray(x) ? x.length : x.shape.length === 0 ? -1 : x.shape[0];
    if (n < 0) throw new TypeError('object of type numpy.ndarray has no len()'); // NumPy: 0-d arrays have no len
    this.bitgen.activate();
    if (Array.isArray(x)) {
      for (let i = n - 1; i > 0; i--) {
        const j = randomInterval(i);
        const t = x[i];
        x[i] = x[j];
        x[j] = t;
      }
      return;
    }
    const row = n === 0 ? 0 : x.data.length / n;
    const data = x.data as unknown as { [i: number]: unknown; copyWithin(t: number, s: number, e: number): unknown };
    const buf = (x.data as Float64Array).slice(0, row);
    for (let i = n - 1; i > 0; i--) {
      const j = randomInterval(i);
      if (i === j) continue;
      if (row === 1) {
        const t = data[i];
        data[i] = data[j];
        data[j] = t;
      } else {
        buf.set((x.data as Float64Array).subarray(i * row, (i + 1) * row));
        data.copyWithin(i * row, j * row, (j + 1) * row);
        (x.data as Float64Array).set(buf, j * row);
      }
    }
  }

  /** `permutation(x)`: a shuffled arange(x) (int64) for an integer, a shuffled copy along axis 0 for an array. */
  permutation(x: number | NDArray | IntNDArray): IntNDArray | NDArray {
    if (typeof x === 'number') {
      const n = dimension(x);
      const out = IntNDArray.arange(n);
      this.shuffle(out);
      return out;
    }
    if (x.shape.length === 0) throw new RangeError('x must be an integer or at least 1-dimensional'); // NumPy: IndexError
    const copy = x.copy();
    this.shuffle(copy);
    return copy;
  }

  // ---- state -----------------------------------------------------------------------------------------------

  /** NumPy's legacy tuple: ['MT19937', key (624 uint32), pos, has_gauss, cached_gaussian]. */
  get_state(): LegacyState {
    const { key, pos } = this.bitgen.getKey();
    return ['MT19937', key, pos, this.hasGauss, this.gauss];
  }

  set_state(state: readonly unknown[]): void {
    if (!Array.isArray(state)) throw new TypeError('state must be a dict or a tuple.');
    if (state[0] !== 'MT19937') throw new ValueError('set_state can only be used with legacy MT19937 state instances.');
    if (state.length !== 3 && state.length !== 5) throw new ValueError('state must be a 3- or 5-tuple');
    const key = state[1] as ArrayLike<number>;
    if (!key || typeof key.length !== 'number' || key.length !== STATE_LEN)
      throw new ValueError('state must be 624 elements');
    const words = new Uint32Array(STATE_LEN);
    for (let i = 0; i < STATE_LEN; i++) {
      const v = Number(key[i]);
      if (!Number.isInteger(v) || v < 0 || v > UINT32_MAX)
        throw new ValueError(`state key[${i}] = ${key[i]} is not a uint32`);
      words[i] = v;
    }
    const pos = Number(state[2]);
    if (!Number.isInteger(pos) || pos < 0 || pos > STATE_LEN)
      throw new ValueError(`state pos ${state[2]} is not in [0, 624]`);
    let hasGauss = 0;
    let gauss = 0;
    if (state.length === 5) {
      hasGauss = Number(state[3]) ? 1 : 0;
      gauss = Number(state[4]);
      if (Number.isNaN(gauss) && hasGauss) throw new ValueError('cached_gaussian must be a number');
    }
    this.bitgen.setKey(words, pos);
    this.hasGauss = hasGauss;
    this.gauss = gauss;
  }
}

function checkSeedInt(seed: number | bigint | boolean): number {
  if (typeof seed === 'boolean') return seed ? 1 : 0;
  if (typeof seed === 'number' && !Number.isInteger(seed)) throw castError('float64');
  const n = typeof seed === 'bigint' ? seed : BigInt(seed);
  if (n < 0n || n > BigInt(UINT32_MAX)) throw seedRangeError();
  return Number(n);
}

function toBigInt(v: number | bigint, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`${name} must be an integer, got ${String(v)}`);
  }
  return BigInt(v);
}

/** Smallest all-ones mask covering rng. */
function maskFor(rng: bigint): bigint {
  let m = rng;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) m |= m >> s;
  return m;
}

/** NumPy's random_interval(max): masked rejection with 32-bit draws when max fits. */
function randomInterval(max: number): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  if (max <= UINT32_MAX) {
    let v: number;
    do v = (nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }
  const bigMax = BigInt(max);
  const bigMask = maskFor(bigMax);
  let v: bigint;
  do v = nextUint64() & bigMask;
  while (v > bigMax);
  return Number(v);
}

/**
 * The legacy bounded draws of NumPy's random_bounded_uint{8,16,32,64}_fill and random_bounded_bool_fill
 * (use_masked = true): values[i] = draw in [0, rng], to be offset by low.
 */
function drawBounded(values: bigint[], rng: bigint, bits: number): void {
  const n = values.length;
  if (rng === 0n) {
    values.fill(0n);
    return;
  }
  if (bits === 1) {
    // bool: one bit at a time from a buffered 32-bit word, low bit first
    let buf = 0;
    let bcnt = 0;
    for (let i = 0; i < n; i++) {
      if (!bcnt) {
        buf = nextUint32();
        bcnt = 31;
      } else {
        buf >>>= 1;
        bcnt--;
      }
      values[i] = BigInt(buf & 1);
    }
    return;
  }
  if (bits === 8 || bits === 16) {
    const width = bits;
    const full = (1 << width) - 1;
    const perWord = 32 / width - 1;
    const r = Number(rng);
    const mask = r === full ? full : Number(maskFor(rng));
    let buf = 0;
    let bcnt = 0;
    const next = (): number => {
      if (!bcnt) {
        buf = nextUint32();
        bcnt = perWord;
      } else {
        buf >>>= width;
        bcnt--;
      }
      return buf & full;
    };
    for (let i = 0; i < n; i++) {
      if (r === full) {
        values[i] = BigInt(next());
      } else {
        let v: number;
        do v = next() & mask;
        while (v > r);
        values[i] = BigInt(v);
      }
    }
    return;
  }
  if (rng <= 0xffffffffn) {
    // 32-bit draws (also for 64-bit dtypes whose range fits in 32 bits)
    const r = Number(rng);
    if (r === UINT32_MAX) {
      for (let i = 0; i < n; i++) values[i] = BigInt(nextUint32());
      return;
    }
    const mask = Number(maskFor(rng));
    for (let i = 0; i < n; i++) {
      let v: number;
      do v = (nextUint32() & mask) >>> 0;
      while (v > r);
      values[i] = BigInt(v);
    }
    return;
  }
  if (rng === 0xffffffffffffffffn) {
    for (let i = 0; i < n; i++) values[i] = nextUint64();
    return;
  }
  const mask = maskFor(rng);
  for (let i = 0; i < n; i++) {
    let v: bigint;
    do v = nextUint64() & mask;
    while (v > rng);
    values[i] = v;
  }
}
