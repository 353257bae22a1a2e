/**
 * Turn an analytic-vs-numeric mismatch into a sentence about the bug: per key relative differences, and the
 * simple patterns that implementation bugs leave (a constant factor such as 2 or 4, a flipped sign, a
 * transposition, a gradient that is zero).
 */
import type { Layout } from './vector.ts';

export interface KeyDiagnosis {
  key: string;
  /** ||g - g_num|| / (||g|| + ||g_num||) over this key's coordinates (kink-skipped ones excluded) */
  difference: number;
  /** what the analytic gradient looks like against the numeric one, when recognisable */
  pattern?: string;
  worst?: { row: number; col: number; analytic: number; numeric: number };
}

const FACTORS: [number, string][] = [
  [2, '2'],
  [0.5, '1/2'],
  [4, '4'],
  [0.25, '1/4'],
  [-1, '-1 (a sign flip)'],
  [3, '3'],
  [1 / 3, '1/3'],
  [-2, '-2'],
  [-0.5, '-1/2'],
];

export function diagnoseKey(
  key: string,
  analytic: Float64Array,
  numeric: Float64Array,
  shape: number[],
  skip: Uint8Array,
  m?: number,
): KeyDiagnosis {
  let num = 0;
  let da = 0;
  let dn = 0;
  let worst: KeyDiagnosis['worst'];
  let worstErr = -1;
  const cols = shape[1] ?? 1;
  for (let i = 0; i < analytic.length; i++) {
    if (skip[i]) continue;
    const e = analytic[i] - numeric[i];
    num += e * e;
    da += analytic[i] * analytic[i];
    dn += numeric[i] * numeric[i];
    if (Math.abs(e) > worstErr) {
      worstErr = Math.abs(e);
      worst = { row: Math.floor(i / cols), col: i % cols, analytic: analytic[i], numeric: numeric[i] };
    }
  }
  const denom = Math.sqrt(da) + Math.sqrt(dn);
  const difference = denom === 0 ? 0 : Math.sqrt(num) / denom;
  return { key, difference, pattern: pattern(analytic, numeric, shape, skip, m), worst };
}

function pattern(a: Float64Array, n: Float64Array, shape: number[], skip: Uint8Array, m?: number): string | undefined {
  const idx = [...a.keys()].filter((i) => !skip[i] && Math.abs(n[i]) > 1e-9);
  if (idx.length === 0) return undefined;
  if (idx.every((i) => a[i] === 0)) return 'the analytic gradient is zero where the numeric one is not';
  // least-squares factor c with a ~ c n
  let an = 0;
  let nn = 0;
  for (const i of idx) {
    an += a[i] * n[i];
    nn += n[i] * n[i];
  }
  const c = an / nn;
  let resid = 0;
  let size = 0;
  for (const i of idx) {
    resid += (a[i] - c * n[i]) ** 2;
    size += a[i] * a[i];
  }
  if (resid <= 1e-6 * size && Math.abs(c - 1) > 1e-3) {
    const known = FACTORS.find(([f]) => Math.abs(c - f) < 1e-3 * Math.abs(f));
    const label = known ? known[1] : c.toPrecision(4);
    const viaM = m && known && Math.abs(known[0]) !== 1 ? ` (e.g. ${label}/m where 1/m belongs, m = ${m})` : '';
    return `off by a factor of ${label}${viaM}`;
  }
  if (shape.length === 2 && shape[0] > 1 && shape[1] > 1) {
    const [r, cl] = shape;
    // the analytic values, read as the transpose of the numeric ones (same data, swapped axes)
    let tErr = 0;
    let tSize = 0;
    for (let i = 0; i < r; i++) {
      for (let j = 0; j < cl; j++) {
        const k = i * cl + j;
        const t = j * r + i;
        if (t < a.length) {
          tErr += (a[t] - n[k]) ** 2;
          tSize += n[k] * n[k];
        }
      }
    }
    if (tErr <= 1e-6 * tSize) return 'laid out transposed (rows and columns swapped)';
  }
  return undefined;
}

/**
 * Per-key differences carry finite-difference noise of order 1e-7 (a key with few, small entries can exceed the
 * whole-vector threshold by noise alone), so keys are named when they stand out: above KEY_NOISE, or, when none
 * does, the worst one.
 */
export const KEY_NOISE = 1e-5;

export function suspectKeys(keys: KeyDiagnosis[]): KeyDiagnosis[] {
  const loud = keys.filter((k) => k.difference > KEY_NOISE || !Number.isFinite(k.difference));
  if (loud.length) return loud;
  const worst = [...keys].sort((a, b) => b.difference - a.difference)[0];
  return worst ? [worst] : [];
}

export function summarise(keys: KeyDiagnosis[], threshold: number): string {
  const bad = suspectKeys(keys.filter((k) => k.difference > threshold || !Number.isFinite(k.difference)));
  if (bad.length === 0) return 'every key agrees';
  return bad
    .map((k) => {
      const where = k.worst
        ? `; worst at d${k.key}[${k.worst.row}, ${k.worst.col}]: analytic ${k.worst.analytic.toPrecision(6)} vs numeric ${k.worst.numeric.toPrecision(6)}`
        : '';
      return `d${k.key} ${k.pattern ?? `differs (relative difference ${k.difference.toExponential(2)})`}${where}`;
    })
    .join('; ');
}

export function keySlices(layout: Layout, v: Float64Array): Float64Array[] {
  return layout.keys.map((_, i) =>
    v.subarray(layout.offsets[i], i + 1 < layout.offsets.length ? layout.offsets[i + 1] : layout.size),
  );
}
