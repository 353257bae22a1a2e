/**
 * Exact fused multiply-add in plain double arithmetic: fma(a, b, c) = RN(a*b + c), one rounding.
 *
 * The product is split exactly (Veltkamp/Dekker: a*b = p + e), the addend added exactly (Knuth's TwoSum:
 * c + p = s + t), and the two small parts summed with rounding to odd before the final round-to-nearest, which
 * makes the double rounding innocuous (S. Boldo and G. Melquiond, "Emulation of FMA and correctly rounded sums:
 * proved algorithms using rounding to odd", IEEE Trans. Computers 57(4), 2008). Valid when nothing overflows
 * and the error terms do not underflow, which holds for every use in this project (glibc's log arguments).
 */
const SPLITTER = 134217729; // 2^27 + 1

const bits = new Float64Array(1);
const words = new BigInt64Array(bits.buffer);

/** Round-to-odd correction: v = RN(x), err = x - v exactly; returns RO(x). */
function toOdd(v: number, err: number): number {
  if (err === 0) return v;
  bits[0] = v;
  const w = words[0];
  if ((w & 1n) === 1n) return v; // already odd: RO(x) = RN(x) when RN(x) is odd
  // move one ulp towards x (towards err's sign); bit patterns are monotone in magnitude
  const towardLarger = err > 0 === v > 0;
  words[0] = towardLarger ? w + 1n : w - 1n;
  return bits[0];
}

export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  let t = a * SPLITTER;
  const ah = t - (t - a);
  const al = a - ah;
  t = b * SPLITTER;
  const bh = t - (t - b);
  const bl = b - bh;
  const e = ah * bh - p + ah * bl + al * bh + al * bl;
  if (!Number.isFinite(p)) return p + c;
  // s + u = c + p exactly
  const s = c + p;
  const bv = s - c;
  const u = c - (s - bv) + (p - bv);
  // v = RO(u + e)
  const v = u + e;
  const bw = v - u;
  const err = u - (v - bw) + (e - bw);
  return s + toOdd(v, err);
}
