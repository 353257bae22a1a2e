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
import { fma } from './fma.ts';
import { INVC, LOGC, LN2HI, LN2LO, POLY as A, POLY1 as B } from './glibc-log-data.ts';

const [A0, A1, A2, A3, A4] = A;
const [B0, B1, B2, B3, B4, B5, B6, B7, B8, B9, B10] = B;
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
  if (x >= NEAR1_LO && x < NEAR1_HI) return near1(x, false);
  if (!(x >= MIN_NORMAL) || x === Infinity) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if (!(x > 0)) return NaN; // negative or NaN
    return mainPath(x * 2 ** 52, -52, false); // subnormal: normalise
  }
  return mainPath(x, 0, false);
}

/** The same, evaluated with every contraction emulated (no shortcut); for tests and the fallback. */
export function glibcLogExact(x: number): number {
  if (x >= NEAR1_LO && x < NEAR1_HI) return near1(x, true);
  if (!(x >= MIN_NORMAL) || x === Infinity) {
    if (x === 0) return -Infinity;
    if (x === Infinity) return x;
    if (!(x > 0)) return NaN;
    return mainPath(x * 2 ** 52, -52, true);
  }
  return mainPath(x, 0, true);
}

function near1(x: number, exact: boolean): number {
  if (x === 1) return 0;
  const r = x - 1; // exact in this range
  const r2 = r * r;
  const r3 = r * r2;
  let w = r * 2 ** 27;
  const rhi = r + w - w;
  const rlo = r - rhi;
  w = rhi * rhi * B0; // exact: rhi has 26 bits, B0 = -0.5
  const hi = r + w;
  const lo = r - hi + w;
  const mRlo = B0 * rlo; // exact
  const rr = rhi + r;
  if (!exact) {
    const p1 = B1 + r * B2 + r2 * B3 + r3 * (B4 + r * B5 + r2 * B6 + r3 * (B7 + r * B8 + r2 * B9 + r3 * B10));
    const corr = mRlo * rr;
    const lo2 = lo + corr;
    const head = r3 * p1;
    const t = head + lo2;
    const d = (Math.abs(head) + Math.abs(lo2) + Math.abs(corr)) * 2 ** -48;
    const ya = hi + (t - d);
    if (ya === hi + (t + d)) return ya;
  }
  const p3 = fma(r3, B10, fma(r2, B9, fma(r, B8, B7)));
  const p2 = fma(r3, p3, fma(r2, B6, fma(r, B5, B4)));
  const p1 = fma(r3, p2, fma(r2, B3, fma(r, B2, B1)));
  const lo2 = fma(mRlo, rr, lo);
  return fma(p1, r3, lo2) + hi;
}

function mainPath(x: number, kBias: number, exact: boolean): number {
  f64[0] = x;
  // tmp = ix - OFF (OFF = 0x3fe6000000000000): only the high word is affected
  const tmpHi = (u32[1] - 0x3fe60000) | 0;
  const i = (tmpHi >>> 13) & 127;
  const k = tmpHi >> 20; // arithmetic shift
  const z = x * POW2[POW2_BIAS - k]; // exact: z in [0x1.6p-1, 0x1.6p0)
  const kd = k + kBias;
  const invc = INVC[i];
  const logc = LOGC[i];
  // r = fma(z, invc, -1) exactly: z*invc = p + e (Dekker), p - 1 exact (Sterbenz), one rounding of the sum
  const p = z * invc;
  const t0 = z * SPLITTER;
  const zh = t0 - (t0 - z);
  const zl = z - zh;
  const ih = INVC_HI[i];
  const il = INVC_LO[i];
  const e = zh * ih - p + zh * il + zl * ih + zl * il;
  const r = p - 1 + e;
  const w = kd * LN2HI + logc; // exact product, so fused or not is the same
  const hi = w + r;
  const wr = w - hi + r;
  const r2 = r * r;
  if (!exact) {
    const kl = kd * LN2LO;
    const lo = wr + kl;
    const a0 = r2 * A0;
    const q = A1 + r * A2 + r2 * (A3 + r * A4);
    const head = r * r2 * q;
    const t = lo + a0 + head;
    const d = (Math.abs(kl) + Math.abs(lo) + Math.abs(a0) + 2 * Math.abs(head)) * 2 ** -49;
    const ya = hi + (t - d);
    if (ya === hi + (t + d)) return ya;
  }
  const lo = fma(kd, LN2LO, wr);
  const q = fma(r2, fma(r, A4, A3), fma(r, A2, A1));
  return fma(r * r2, q, fma(r2, A0, lo)) + hi;
}
