/**
 * glibc's double-precision natural logarithm, bit for bit, as NumPy's legacy `randn` calls it on Linux x86_64
 * with FMA (`log@GLIBC_2.2.5` dispatches to `__log_fma` on CPUs with FMA and AVX2).
 *
 * The algorithm is Arm optimized-routines' log (Szabolcs Nagy), as compiled by GCC for FMA targets: the
 * compiler contracts `a*b + c` into fused multiply-adds, which changes last bits, so we reproduce those
 * contractions (FACTS.md section 1) with an exact FMA emulation (./fma.ts).
 *
 * Speed: the one contraction that matters for every input, r = fma(z, invc, -1), is computed exactly with a
 * pre-split invc (Dekker product); the rest is evaluated in plain arithmetic together with a bound on how far the
 * fused evaluation could differ. Only when that interval straddles a rounding boundary of the final addition
 * (about 0.1-0.3% of inputs) is the fully emulated evaluation run.
 */
import { fma as fmaImported } from './fma.ts';
import * as data from './glibc-log-data.ts';

// Imported bindings are live (checked on every access), which made this function 3x slower in V8: the hot path
// reads only module-local constants.
const fma = fmaImported;
const INVC = data.INVC;
const LOGC = data.LOGC;
const LN2HI = data.LN2HI;
const LN2LO = data.LN2LO;
const [A0, A1, A2, A3, A4] = data.POLY;
const [B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10] = data.POLY1;
const NEAR1_LO = 1 - 2 ** -4; // 0x1p0 - 0x1p-4
const NEAR1_HI = 1 + 0x109 * 2 ** -12; // 0x1.09p0 ... i.e. 1 + 0x1.09p-4
const MIN_NORMAL = 2 ** -1022;
const SPLITTER = 134217729;

// invc split into 26-bit halves once, for the exact product z*invc
const INVC_HI = new Float64Array(128);
const INVC_LO = new Float64Array(128);
for (let i = 0; i < 128; i++) {
  const t = INVC[i] * SPLITTER;
  INVC_HI[i] = t - (t - INVC[i]);
  INVC_LO[i] = INVC[i] - INVC_HI[i];
}

// 2^j for j in [-1100, 1100], built by exact doubling/halving
const POW2_BIAS = 1100;
const POW2 = new Float64Array(2 * POW2_BIAS + 1);
POW2[POW2_BIAS] = 1;
for (let j = 1; j <= POW2_BIAS; j++) {
  POW2[POW2_BIAS + j] = POW2[POW2_BIAS + j - 1] * 2;
  POW2[POW2_BIAS - j] = POW2[POW2_BIAS - j + 1] / 2;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** log(x) exactly as glibc's __log_fma computes it. */
export function glibcLog(x: number): number {
  if (x >= NEAR1_LO && x < NEAR1_HI) return near1Fast(x);
  if (x >= MIN_NORMAL && x !== Infinity) return mainFast(x);
  return special(x, false);
}

/** The same, evaluated with every contraction emulated (no shortcut); for tests and the fallback. */
export function glibcLogExact(x: number): number {
  if (x >= NEAR1_LO && x < NEAR1_HI) return near1Exact(x);
  if (x >= MIN_NORMAL && x !== Infinity) return mainExact(x, 0);
  return special(x, true);
}

function special(x: number, exact: boolean): number {
  if (x === 0) return -Infinity;
  if (x === Infinity) return x;
  if (!(x > 0)) return NaN; // negative or NaN
  // subnormal: scale into the normal range and correct the exponent
  return exact ? mainExact(x * 2 ** 52, -52) : mainFastBiased(x * 2 ** 52, -52);
}

/**
 * Near 1 (x in [0x1.ep-1, 0x1.109p0)): plain evaluation, plus a bound d on how far the fused evaluation can be
 * from it; if both ends of that interval round to the same double, that double is glibc's result.
 */
function near1Fast(x: number): number {
  if (x === 1) return 0;
  const r = x - 1; // exact in this range
  const r2 = r * r;
  const r3 = r * r2;
  const w0 = r * 2 ** 27;
  const rhi = r + w0 - w0;
  const rlo = r - rhi;
  const w = rhi * rhi * B0; // exact: rhi has 26 bits, B0 = -0.5
  const hi = r + w;
  const lo = r - hi + w;
  const corr = B0 * rlo * (rhi + r);
  const p1 = B1 + r * B2 + r2 * B3 + r3 * (B4 + r * B5 + r2 * B6 + r3 * (B7 + r * B8 + r2 * B9 + r3 * B10));
  const lo2 = lo + corr;
  const head = r3 * p1;
  const t = head + lo2;
  const d = (Math.abs(head) + Math.abs(lo2) + Math.abs(corr)) * 2 ** -48;
  const ya = hi + (t - d);
  return ya === hi + (t + d) ? ya : near1Exact(x);
}

function near1Exact(x: number): number {
  if (x === 1) return 0;
  const r = x - 1;
  const r2 = r * r;
  const r3 = r * r2;
  const w0 = r * 2 ** 27;
  const rhi = r + w0 - w0;
  const rlo = r - rhi;
  const w = rhi * rhi * B0;
  const hi = r + w;
  const lo = r - hi + w;
  const p3 = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
  const p2 = fma(r3, p3, fma(r2, B6, fma(r, B5, B4)));
  const p1 = fma(r3, p2, fma(r2, B3, fma(r, B2, B1)));
  const lo2 = fma(B0 * rlo, rhi + r, lo);
  return fma(p1, r3, lo2) + hi;
}

function mainFast(x: number): number {
  return mainFastBiased(x, 0);
}

/**
 * x = 2^k z with z in [0x1.6p-1, 0x1.6p0); log(x) = k ln2 + log(c) + log1p(z/c - 1). The contraction
 * r = fma(z, invc, -1) is computed exactly (Dekker product with the pre-split invc; p - 1 is exact by Sterbenz),
 * the rest plainly with an error bound, falling back to the emulated evaluation when the bound straddles a
 * rounding boundary.
 */
function mainFastBiased(x: number, kBias: number): number {
  f64[0] = x;
  const tmpHi = (u32[1] - 0x3fe60000) | 0; // high word of ix - OFF, OFF = 0x3fe6000000000000
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20; // arithmetic shift
  const z = x * POW2[POW2_BIAS - k]; // exact
  const kd = k + kBias;
  const p = z * INVC[i];
  const t0 = z * SPLITTER;
  const zh = t0 - (t0 - z);
  const zl = z - zh;
  const ih = INVC_HI[i];
  const il = INVC_LO[i];
  const r = p - 1 + (zh * ih - p + zh * il + zl * ih + zl * il);
  const w = kd * LN2HI + LOGC[i]; // exact product: fused or not is the same
  const hi = w + r;
  const kl = kd * LN2LO;
  const lo = w - hi + r + kl;
  const r2 = r * r;
  const a0 = r2 * A0;
  const head = r * r2 * (A1 + r * A2 + r2 * (A3 + r * A4));
  const t = lo + a0 + head;
  const d = (Math.abs(kl) + Math.abs(lo) + Math.abs(a0) + 2 * Math.abs(head)) * 2 ** -49;
  const ya = hi + (t - d);
  return ya === hi + (t + d) ? ya : mainExact(x, kBias);
}

function mainExact(x: number, kBias: number): number {
  f64[0] = x;
  const tmpHi = (u32[1] - 0x3fe60000) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20;
  const z = x * POW2[POW2_BIAS - k];
  const kd = k + kBias;
  const r = fma(z, INVC[i], -1);
  const w = kd * LN2HI + LOGC[i];
  const hi = w + r;
  const lo = fma(kd, LN2LO, w - hi + r);
  const r2 = r * r;
  const q = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  return fma(r * r2, q, fma(r2, A0, lo)) + hi;
}
