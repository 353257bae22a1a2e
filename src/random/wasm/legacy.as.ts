/**
 * The hot paths of NumPy's legacy `np.random` in WebAssembly: the MT19937 twist and tempering, bulk uniform
 * doubles (random_sample) and bulk polar-method normals (legacy_gauss) with glibc's `__log_fma`, bit for bit.
 *
 * This module's memory is the only home of the generator's words: `mt` (the 624-word key) and `tempered` (the
 * outputs of the current block) are read and written by ../kernels.ts through views on it. The read position
 * `pos` stays in JavaScript and is passed in and returned, so nothing here can drift from the JS state.
 *
 * The log tables and coefficients are written into memory by ../kernels.ts from ../glibc-log-data.ts (one
 * source of the constants). The fully emulated log (../glibc-log.ts, glibcLogExact) is imported and called for
 * the rare inputs whose final rounding the fast evaluation cannot decide, and for special inputs.
 */

// ---- layout --------------------------------------------------------------------------------------------------

const N: i32 = 624;
const M: i32 = 397;
/** most pairs one gauss() call produces; even, so the vector loops never run past it */
const PAIRS: i32 = 1024;

const MT: usize = memory.data(N * 4, 16);
// four spare words in front of the tempered block: the words left over before a twist are copied there, so a
// draw that straddles two blocks reads contiguous memory (NumPy consumes the words in order across twists)
const TEMPER_AREA: usize = memory.data((N + 4) * 4, 16);
const TEMPERED: usize = TEMPER_AREA + 16;
const OUT: usize = memory.data(PAIRS * 16, 16);
const X1: usize = memory.data((PAIRS + 2) * 8, 16);
const X2: usize = memory.data((PAIRS + 2) * 8, 16);
const R2: usize = memory.data((PAIRS + 2) * 8, 16);
const LOGS: usize = memory.data((PAIRS + 2) * 8, 16);
/** 128 x [invc, logc], then 128 x [invc_hi, invc_lo] (invc split in 26-bit halves for an exact product) */
const TAB: usize = memory.data(128 * 16, 16);
const SPLIT: usize = memory.data(128 * 16, 16);
/** A0..A4, B0..B10, LN2HI, LN2LO */
const COEF: usize = memory.data(18 * 8, 16);

export function maxPairs(): i32 {
  return PAIRS;
}
export function mtAddress(): usize {
  return MT;
}
export function temperedAddress(): usize {
  return TEMPERED;
}
export function outAddress(): usize {
  return OUT;
}
export function r2Address(): usize {
  return R2;
}
export function tableAddress(): usize {
  return TAB;
}
export function splitAddress(): usize {
  return SPLIT;
}
export function coefAddress(): usize {
  return COEF;
}

const TWO26: f64 = 67108864;
const TWO_M53: f64 = 1.0 / 9007199254740992;
const TWO_M52: f64 = 1.0 / 4503599627370496;
const NEAR1_LO: f64 = 0.9375; // 1 - 2^-4
const NEAR1_HI: f64 = 1.064697265625; // 1 + 0x109 * 2^-12
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

// Vector constants are read from memory where they are used: V8 rebuilds a v128 immediate in every iteration of
// a loop (three instructions; a load is one). Binaryen would fold splats of immediates back into immediates, so
// they cannot simply be hoisted into locals. Indices into VI (integers) and VF (doubles):
const V_OFF = 0, V_ROW = 1, V_EXP = 2;
const V_SPLITTER = 0, V_ONE = 1, V_TWO = 2, V_2M49 = 3, V_NEAR1_LO = 4, V_NEAR1_HI = 5, V_MIN_NORMAL = 6, V_INF = 7,
  V_MINUS_TWO = 8, V_2P26 = 9, V_2M52 = 10, V_2M53 = 11;
const VI: usize = memory.data<u64>([
  0x3fe6000000000000, 0x3fe6000000000000, // OFF
  0x7f0, 0x7f0, // table row byte offset mask: ((tmp >> 45) % 128) * 16
  0xfff0000000000000, 0xfff0000000000000, // exponent field (of tmp)
], 16);
const VF: usize = memory.data<f64>([
  134217729, 134217729, // 2^27 + 1, Veltkamp's splitter
  1, 1,
  2, 2,
  1.7763568394002505e-15, 1.7763568394002505e-15, // 2^-49
  NEAR1_LO, NEAR1_LO,
  NEAR1_HI, NEAR1_HI,
  MIN_NORMAL, MIN_NORMAL,
  Infinity, Infinity,
  -2, -2,
  TWO26, TWO26,
  TWO_M52, TWO_M52,
  TWO_M53, TWO_M53,
], 16);
@inline function vi(i: usize): v128 {
  return v128.load(VI + (i << 4));
}
@inline function vf(i: usize): v128 {
  return v128.load(VF + (i << 4));
}
/** glibc's log with every fused multiply-add emulated exactly (../glibc-log.ts, glibcLogExact) */
@external("env", "logExact")
declare function logExact(x: f64): f64;

// ---- MT19937 ---------------------------------------------------------------------------------------------------

@inline function twistWord(cur: i32, next: i32, far: i32): i32 {
  const y = (cur & 0x80000000) | (next & 0x7fffffff);
  return far ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

@inline function temperWord(y: i32): i32 {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return y ^ (y >>> 18);
}

@inline function twistVec(cur: v128, next: v128, far: v128): v128 {
  const y = v128.or(v128.and(cur, i32x4.splat(0x80000000)), v128.and(next, i32x4.splat(0x7fffffff)));
  const odd = i32x4.shr_s(i32x4.shl(y, 31), 31); // all ones where y is odd
  return v128.xor(v128.xor(far, i32x4.shr_u(y, 1)), v128.and(odd, i32x4.splat(0x9908b0df)));
}

@inline function temperVec(y: v128): v128 {
  y = v128.xor(y, i32x4.shr_u(y, 11));
  y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
  y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(0xefc60000)));
  return v128.xor(y, i32x4.shr_u(y, 18));
}

/**
 * The next 624-word block, tempered as it is made. mt[i] depends on mt[i+1] (old) and mt[i+397] (old for
 * i < 227) or mt[i-227] (already new), never on a word within 3 places, so four words are computed at once:
 * i in [0, 224) and [227, 623) in vectors, 224..226 and the wrap-around word 623 (which reads the new mt[0])
 * one at a time.
 */
export function twist(): void {
  let i: i32 = 0;
  for (; i < 224; i += 4) {
    const p = MT + (<usize>i << 2);
    const v = twistVec(v128.load(p), v128.load(p, 4), v128.load(p, M * 4));
    v128.store(p, v);
    v128.store(TEMPERED + (<usize>i << 2), temperVec(v));
  }
  for (; i < N - M; i++) {
    const p = MT + (<usize>i << 2);
    const v = twistWord(load<i32>(p), load<i32>(p, 4), load<i32>(p, M * 4));
    store<i32>(p, v);
    store<i32>(TEMPERED + (<usize>i << 2), temperWord(v));
  }
  for (; i < N - 1; i += 4) {
    const p = MT + (<usize>i << 2);
    const v = twistVec(v128.load(p), v128.load(p, 4), v128.load(p - (N - M) * 4));
    v128.store(p, v);
    v128.store(TEMPERED + (<usize>i << 2), temperVec(v));
  }
  const last = twistWord(load<i32>(MT + (N - 1) * 4), load<i32>(MT), load<i32>(MT + (M - 1) * 4));
  store<i32>(MT + (N - 1) * 4, last);
  store<i32>(TEMPERED + (N - 1) * 4, temperWord(last));
}

/** tempered = temper(mt), for a key set from outside (seeding, set_state, switching generators). */
export function temperAll(): void {
  for (let i: usize = 0; i < <usize>N * 4; i += 16) v128.store(TEMPERED + i, temperVec(v128.load(MT + i)));
}

/**
 * Twist, keeping the unread words tempered[pos..624) readable just in front of the new block; returns the new
 * (negative or zero) position of the first of them.
 */
function refill(pos: i32): i32 {
  const left = N - pos;
  for (let k = 0; k < left; k++) {
    store<i32>(TEMPERED + (<usize>(k - left) << 2), load<i32>(TEMPERED + (<usize>(pos + k) << 2)));
  }
  twist();
  return -left;
}

// ---- uniform doubles -------------------------------------------------------------------------------------------

/**
 * out[0..n) = NumPy's random_sample from the words at pos: ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53 (n <= 2 PAIRS).
 * Both parts convert exactly and their sum is below 2^53, so it is exact, as is the scaling. Returns the new pos.
 */
export function doubles(n: i32, pos: i32): i32 {
  let k: i32 = 0;
  while (k < n) {
    if (pos > N - 2) pos = refill(pos);
    const end = min(n, k + ((N - pos) >> 1));
    // four doubles from eight words at a time
    for (; k + 4 <= end; k += 4) {
      const p = TEMPERED + (<usize>pos << 2);
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      const hi = i32x4.shr_u(i32x4.shuffle(v0, v1, 0, 2, 4, 6), 5);
      const lo = i32x4.shr_u(i32x4.shuffle(v0, v1, 1, 3, 5, 7), 6);
      // below 2^27, so the signed conversion (one instruction; the unsigned one is emulated) is exact
      const d0 = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(hi), vf(V_2P26)), f64x2.convert_low_i32x4_s(lo));
      const d1 = f64x2.add(
        f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 2, 3)), vf(V_2P26)),
        f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 2, 3)),
      );
      const q = OUT + (<usize>k << 3);
      v128.store(q, f64x2.mul(d0, vf(V_2M53)));
      v128.store(q, f64x2.mul(d1, vf(V_2M53)), 16);
      pos += 8;
    }
    for (; k < end; k++) {
      const p = TEMPERED + (<usize>pos << 2);
      const a = <f64>(load<u32>(p) >>> 5);
      const b = <f64>(load<u32>(p, 4) >>> 6);
      store<f64>(OUT + (<usize>k << 3), (a * TWO26 + b) * TWO_M53);
      pos += 2;
    }
  }
  return pos;
}

// ---- glibc log -------------------------------------------------------------------------------------------------

/**
 * Near 1 (x in [0x1.ep-1, 0x1.109p0)), as glibc: plain evaluation plus a bound d on how far the fused
 * evaluation can be from it; if both ends of the interval round alike, that is glibc's result (as
 * ../glibc-log.ts near1Fast, which documents it).
 */
function logNear1(x: f64): f64 {
  if (x == 1) return 0;
  const B0 = load<f64>(COEF, 5 * 8);
  const r = x - 1; // exact in this range
  const r2 = r * r;
  const r3 = r * r2;
  const w0 = r * 134217728; // 2^27
  const rhi = r + w0 - w0;
  const rlo = r - rhi;
  const w = rhi * rhi * B0; // exact: rhi has 26 bits, B0 = -0.5
  const hi = r + w;
  const lo = r - hi + w;
  const corr = B0 * rlo * (rhi + r);
  const p1 =
    load<f64>(COEF, 6 * 8) + r * load<f64>(COEF, 7 * 8) + r2 * load<f64>(COEF, 8 * 8) +
    r3 * (load<f64>(COEF, 9 * 8) + r * load<f64>(COEF, 10 * 8) + r2 * load<f64>(COEF, 11 * 8) +
      r3 * (load<f64>(COEF, 12 * 8) + r * load<f64>(COEF, 13 * 8) + r2 * load<f64>(COEF, 14 * 8) + r3 * load<f64>(COEF, 15 * 8)));
  const lo2 = lo + corr;
  const head = r3 * p1;
  const t = head + lo2;
  const d = (abs(head) + abs(lo2) + abs(corr)) * 3.552713678800501e-15; // 2^-48
  const ya = hi + (t - d);
  return ya == hi + (t + d) ? ya : logExact(x);
}

/** One lane the vector evaluation did not settle: near 1, special, or a final rounding in doubt. */
function logLane(x: f64): f64 {
  return x >= NEAR1_LO && x < NEAR1_HI ? logNear1(x) : logExact(x);
}

/** (index << 2 | lane mask) of the vectors logBlock left undecided */
const UNDECIDED: usize = memory.data((PAIRS / 2 + 1) * 4, 16);

/**
 * dst[0..n) = log(src[0..n)), two lanes at a time (n even). x = 2^k z, z in [0x1.6p-1, 0x1.6p0),
 * log(x) = k ln2 + log(c) + log1p(z/c - 1) with c from the 128-entry table. The contraction glibc has for every
 * input, r = fma(z, invc, -1), is computed exactly (Dekker product with the pre-split invc; p - 1 is exact by
 * Sterbenz); the rest is plain arithmetic with a bound d on how far glibc's fused evaluation can be (as
 * ../glibc-log.ts mainFast). Lanes near 1, special lanes and lanes whose bound straddles a rounding boundary are
 * listed and redone one at a time after the loop, which keeps calls (and their register spills) out of it.
 */
function logBlock(src: usize, dst: usize, n: i32): void {
  const a0 = f64x2.splat(load<f64>(COEF, 0));
  const a1 = f64x2.splat(load<f64>(COEF, 8));
  const a2 = f64x2.splat(load<f64>(COEF, 16));
  const a3 = f64x2.splat(load<f64>(COEF, 24));
  const a4 = f64x2.splat(load<f64>(COEF, 32));
  const ln2hi = f64x2.splat(load<f64>(COEF, 16 * 8));
  const ln2lo = f64x2.splat(load<f64>(COEF, 17 * 8));
  let undecided: usize = 0;
  for (let m: i32 = 0; m < n; m += 2) {
    const q = <usize>m << 3;
    const x = v128.load(src + q);
    const tmp = i64x2.sub(x, vi(V_OFF));
    const idx = v128.and(i64x2.shr_u(tmp, 45 - 4), vi(V_ROW));
    const i0 = <usize>i32x4.extract_lane(idx, 0);
    const i1 = <usize>i32x4.extract_lane(idx, 2);
    // k = tmp >> 52 (arithmetic) from the high words, as wasm has no cheap 64-bit arithmetic shift
    const khi = i32x4.shr_s(tmp, 20);
    const kd = f64x2.convert_low_i32x4_s(i32x4.shuffle(khi, khi, 1, 3, 1, 3));
    const z = i64x2.sub(x, v128.and(tmp, vi(V_EXP))); // x / 2^k, exactly
    const t0 = v128.load(TAB + i0);
    const t1 = v128.load(TAB + i1);
    const invc = f64x2.shuffle(t0, t1, 0, 2);
    const logc = f64x2.shuffle(t0, t1, 1, 3);
    const s0 = v128.load(SPLIT + i0);
    const s1 = v128.load(SPLIT + i1);
    const ih = f64x2.shuffle(s0, s1, 0, 2);
    const il = f64x2.shuffle(s0, s1, 1, 3);
    // r = RN(z * invc - 1): p = RN(z * invc) and its exact error e (Dekker), p - 1 exact
    const p = f64x2.mul(z, invc);
    const zs = f64x2.mul(z, vf(V_SPLITTER));
    const zh = f64x2.sub(zs, f64x2.sub(zs, z));
    const zl = f64x2.sub(z, zh);
    const e = f64x2.add(
      f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(zh, ih), p), f64x2.mul(zh, il)), f64x2.mul(zl, ih)),
      f64x2.mul(zl, il),
    );
    const r = f64x2.add(f64x2.sub(p, vf(V_ONE)), e);
    const w = f64x2.add(f64x2.mul(kd, ln2hi), logc); // exact product: fused or not is the same
    const hi = f64x2.add(w, r);
    const kl = f64x2.mul(kd, ln2lo);
    const lo = f64x2.add(f64x2.add(f64x2.sub(w, hi), r), kl);
    const rr = f64x2.mul(r, r);
    const ra0 = f64x2.mul(rr, a0);
    const poly = f64x2.add(f64x2.add(a1, f64x2.mul(r, a2)), f64x2.mul(rr, f64x2.add(a3, f64x2.mul(r, a4))));
    const head = f64x2.mul(f64x2.mul(r, rr), poly);
    const t = f64x2.add(f64x2.add(lo, ra0), head);
    const d = f64x2.mul(
      f64x2.add(f64x2.add(f64x2.add(f64x2.abs(kl), f64x2.abs(lo)), f64x2.abs(ra0)), f64x2.mul(f64x2.abs(head), vf(V_TWO))),
      vf(V_2M49),
    );
    const ya = f64x2.add(hi, f64x2.sub(t, d));
    const yb = f64x2.add(hi, f64x2.add(t, d));
    v128.store(dst + q, ya);
    // undecided: the bound straddles a rounding boundary, x is near 1, or x is not a positive normal finite
    const near1 = v128.and(f64x2.ge(x, vf(V_NEAR1_LO)), f64x2.lt(x, vf(V_NEAR1_HI)));
    const special = v128.or(v128.not(f64x2.ge(x, vf(V_MIN_NORMAL))), f64x2.eq(x, vf(V_INF)));
    const mask = i64x2.bitmask(v128.or(v128.or(f64x2.ne(ya, yb), near1), special));
    // listed without a branch: the entry is kept only if the mask is not 0
    store<i32>(UNDECIDED + (undecided << 2), (m << 2) | mask);
    undecided += <usize>(mask != 0);
  }
  for (let u: usize = 0; u < undecided; u++) {
    const entry = load<i32>(UNDECIDED + (u << 2));
    const q = <usize>(entry >> 2) << 3;
    if (entry & 1) store<f64>(dst + q, logLane(load<f64>(src + q)));
    if (entry & 2) store<f64>(dst + q, logLane(load<f64>(src + q, 8)), 8);
  }
}

/** out[0..n) = log(r2[0..n)), through the same code as gauss() (for the tests against libm; n <= PAIRS). */
export function logs(n: i32): void {
  if (n & 1) store<f64>(R2 + (<usize>n << 3), 0.5);
  logBlock(R2, OUT, (n + 1) & ~1);
}

// ---- legacy_gauss ----------------------------------------------------------------------------------------------

/**
 * `pairs` accepted pairs of the polar method from the words at pos, as 2 * pairs normals in out, each pair
 * f*x2 then f*x1 (NumPy returns f*x2 and caches f*x1). Candidates (four words, x = 2u - 1 = v 2^-52 - 1 exactly)
 * are drawn two at a time and the accepted ones (0 < r2 < 1) packed, then the logs are taken in bulk. Returns
 * the new pos: exactly the words NumPy would have consumed (pairs <= PAIRS).
 */
export function gauss(pairs: i32, pos: i32): i32 {
  let j: i32 = 0;
  while (j < pairs) {
    if (pos > N - 4) pos = refill(pos);
    for (; pos <= N - 8 && j < pairs; pos += 8) {
      const p = TEMPERED + (<usize>pos << 2);
      const v0 = v128.load(p); // a b c d: candidate 1 (x1 from a, b; x2 from c, d)
      const v1 = v128.load(p, 16); // candidate 2
      // a1 c1 a2 c2 (one shufps), then a1 a2 c1 c2 (one pshufd); likewise b, d
      const hi = i32x4.shr_u(i32x4.shuffle(i32x4.shuffle(v0, v1, 0, 2, 4, 6), v0, 0, 2, 1, 3), 5);
      const lo = i32x4.shr_u(i32x4.shuffle(i32x4.shuffle(v0, v1, 1, 3, 5, 7), v0, 0, 2, 1, 3), 6);
      // below 2^27, so the signed conversion (one instruction; the unsigned one is emulated) is exact
      const u1 = f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(hi), vf(V_2P26)), f64x2.convert_low_i32x4_s(lo));
      const u2 = f64x2.add(
        f64x2.mul(f64x2.convert_low_i32x4_s(i32x4.shuffle(hi, hi, 2, 3, 2, 3)), vf(V_2P26)),
        f64x2.convert_low_i32x4_s(i32x4.shuffle(lo, lo, 2, 3, 2, 3)),
      );
      const x1 = f64x2.sub(f64x2.mul(u1, vf(V_2M52)), vf(V_ONE));
      const x2 = f64x2.sub(f64x2.mul(u2, vf(V_2M52)), vf(V_ONE));
      const r2 = f64x2.add(f64x2.mul(x1, x1), f64x2.mul(x2, x2)); // two roundings, as NumPy (no FMA)
      const ok = i64x2.bitmask(v128.and(f64x2.lt(r2, vf(V_ONE)), f64x2.ne(r2, f64x2.splat(0))));
      // pack without branches: write lane 0 at j and advance j if it is accepted, then lane 1
      const q0 = <usize>j << 3;
      v128.store64_lane(X1 + q0, x1, 0);
      v128.store64_lane(X2 + q0, x2, 0);
      v128.store64_lane(R2 + q0, r2, 0);
      j += ok & 1;
      if (j == pairs) {
        pos += 4; // the second candidate is not needed: leave its words unread
        break;
      }
      const q1 = <usize>j << 3;
      v128.store64_lane(X1 + q1, x1, 1);
      v128.store64_lane(X2 + q1, x2, 1);
      v128.store64_lane(R2 + q1, r2, 1);
      j += ok >> 1;
    }
    if (j < pairs && pos <= N - 4) {
      // one candidate left in the block
      const p = TEMPERED + (<usize>pos << 2);
      const x1 = (<f64>(load<u32>(p) >>> 5) * TWO26 + <f64>(load<u32>(p, 4) >>> 6)) * TWO_M52 - 1;
      const x2 = (<f64>(load<u32>(p, 8) >>> 5) * TWO26 + <f64>(load<u32>(p, 12) >>> 6)) * TWO_M52 - 1;
      const r2 = x1 * x1 + x2 * x2;
      pos += 4;
      if (r2 < 1 && r2 != 0) {
        const q = <usize>j << 3;
        store<f64>(X1 + q, x1);
        store<f64>(X2 + q, x2);
        store<f64>(R2 + q, r2);
        j++;
      }
    }
  }
  if (pairs & 1) {
    // a harmless extra lane for the vector loop below
    const q = <usize>pairs << 3;
    store<f64>(X1 + q, 0);
    store<f64>(X2 + q, 0);
    store<f64>(R2 + q, 0.5);
  }
  const even = (pairs + 1) & ~1;
  logBlock(R2, LOGS, even);
  for (let m: i32 = 0; m < even; m += 2) {
    const q = <usize>m << 3;
    const r2 = v128.load(R2 + q);
    const l = v128.load(LOGS + q);
    // f = sqrt(-2 log(r2) / r2): correctly rounded operations, the same in any order of lanes
    const f = f64x2.sqrt(f64x2.div(f64x2.mul(l, vf(V_MINUS_TWO)), r2));
    const g2 = f64x2.mul(f, v128.load(X2 + q));
    const g1 = f64x2.mul(f, v128.load(X1 + q));
    const o = OUT + (q << 1);
    v128.store(o, f64x2.shuffle(g2, g1, 0, 2));
    v128.store(o, f64x2.shuffle(g2, g1, 1, 3), 16);
  }
  return pos;
}
