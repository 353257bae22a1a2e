/**
 * Gradient checks at the run's precision (docs/guide/precision.md derives each number). At float64 the course's
 * settings stand (epsilon 1e-7, threshold 2e-7 raised to 10x the rounding floor; directional epsilon 1e-6,
 * tolerance 1e-5). At float32 the engine's J(θ±ε) carries rounding noise of about N u32 |J| (N: the roundings of
 * forward + cost), so the central difference's error is N u |J| / ε + ε² |J'''| / 6: minimised near ε = u^(1/3),
 * where it is about u^(2/3) ≈ 1.6e-5 relative. The threshold is 10x the float32 noise floor, and at least
 * 10 u^(2/3) so the truncation term never trips it; the differences are taken by the suite in float64, over the
 * exact steps fround(θ+ε) - fround(θ-ε) that the engine's float32 parameters actually moved by.
 */
import { gamma, unitRoundoff, type Precision } from '../check/precision.ts';
import { norm } from './vector.ts';

export interface GradcheckSettings {
  precision: Precision;
  /** the full check's step */
  epsilon: number;
  /** the directional check's step and tolerance on its relative error */
  directionalEpsilon: number;
  directionalTolerance: number;
  /** the smallest threshold on the course's difference */
  minThreshold: number;
}

const U32 = unitRoundoff('float32');

export function gradcheckSettings(precision: Precision = 'float64'): GradcheckSettings {
  if (precision === 'float64')
    return { precision, epsilon: 1e-7, directionalEpsilon: 1e-6, directionalTolerance: 1e-5, minThreshold: 2e-7 };
  const e = Math.cbrt(U32); // 2.5e-3
  return {
    precision,
    epsilon: e,
    directionalEpsilon: e,
    directionalTolerance: 10 * U32 ** (2 / 3) * 10, // 1.6e-3: the directional sum has no sqrt(n) averaging
    minThreshold: 10 * U32 ** (2 / 3), // 1.6e-4
  };
}

/** Roundings of one forward pass + cost on these layer sizes and batch: sum (n_{l-1} + 9) + m + 6. */
export function forwardRoundings(dims: readonly number[], m: number): number {
  let n = m + 6;
  for (let l = 1; l < dims.length; l++) n += dims[l - 1] + 9;
  return n;
}

/**
 * The course's difference that float32 rounding of J(θ±ε) alone produces: each numeric coordinate is off by about
 * 2 gamma_N(u) max(|J|, 1) / (2ε); over n coordinates the difference has a floor of that times sqrt(n) / (||g|| +
 * ||g_num||). (The float64 floor is full.ts's roundingFloor, unchanged.)
 */
export function float32Floor(analytic: Float64Array, numeric: Float64Array, J: number, epsilon: number, N: number): number {
  return (
    (Math.sqrt(analytic.length) * 2 * gamma(N, 'float32') * Math.max(Math.abs(J), 1)) /
    (2 * epsilon) /
    Math.max(norm(analytic) + norm(numeric), 1e-300)
  );
}

/** The float32 threshold: 10x the noise floor, at least minThreshold. */
export function float32Threshold(
  analytic: Float64Array,
  numeric: Float64Array,
  J: number,
  epsilon: number,
  N: number,
): number {
  return Math.max(gradcheckSettings('float32').minThreshold, 10 * float32Floor(analytic, numeric, J, epsilon, N));
}
