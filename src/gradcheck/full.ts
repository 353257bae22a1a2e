/**
 * The full gradient check of the course (Course 2, "Gradient Checking"): every parameter perturbed by ±epsilon,
 * central differences, difference = ||g - g_num|| / (||g|| + ||g_num||) against a threshold (2e-7).
 *
 * Kinks: ReLU is not differentiable at 0, so a central difference across a kink measures neither one-sided
 * derivative. A coordinate whose perturbation changes the sign of any ReLU pre-activation (or meets an exact
 * zero) between -epsilon, 0 and +epsilon is reported as skipped and left out of the difference; this is what
 * removes the false alarms that PyTorch's gradcheck users meet at ReLU.
 */
import type { Grads, Parameters } from '../engine/reference/types.ts';
import {
  dictionaryToVector,
  gradientsToVector,
  layoutOf,
  locate,
  norm,
  vectorToDictionary,
  type Layout,
} from './vector.ts';
import { diagnoseKey, keySlices, summarise, type KeyDiagnosis } from './diagnose.ts';

export interface GradModel {
  /** the cost at these parameters and the ReLU layers' pre-activations Z (for kink detection) */
  forward(parameters: Parameters): Promise<{ cost: number; reluZ: Float64Array[] }>;
  gradients(parameters: Parameters): Promise<Grads>;
  /** examples in the batch, for "4/m" style diagnoses */
  m?: number;
}

export interface FullCheckOptions {
  epsilon?: number;
  /**
   * the pass threshold on the difference; default: the course's 2e-7, raised to 10x the float64 rounding floor of
   * the central differences where that floor reaches it (noiseAwareThreshold), so that a correct gradient passes
   */
  threshold?: number;
  /** detect kink crossings and skip those coordinates (default true) */
  kinks?: boolean;
  /**
   * 'float32': the perturbed coordinate is sent as fround(θ±ε), and the difference divides by the exact step
   * fround(θ+ε) - fround(θ-ε), which is what a float32 engine's parameter actually moved by (precision.ts)
   */
  precision?: 'float64' | 'float32';
}

export interface FullCheckResult {
  /** each coordinate's step (ε, or ε/4, ε/16 where a float32 check retried a kink); set by fullCheck */
  steps?: Float64Array;
  difference: number;
  threshold: number;
  passed: boolean;
  analytic: Float64Array;
  numeric: Float64Array;
  /** 1 where the coordinate crossed a ReLU kink and was left out */
  skipped: Uint8Array;
  skippedCount: number;
  layout: Layout;
  keys: KeyDiagnosis[];
  message: string;
}

function signsDiffer(a: Float64Array[], b: Float64Array[]): boolean {
  for (let l = 0; l < a.length; l++) {
    const x = a[l];
    const y = b[l];
    for (let i = 0; i < x.length; i++) {
      if (x[i] === 0 || y[i] === 0 || x[i] > 0 !== y[i] > 0) return true;
    }
  }
  return false;
}

export async function fullCheck(
  model: GradModel,
  parameters: Parameters,
  options: FullCheckOptions = {},
): Promise<FullCheckResult> {
  const epsilon = options.epsilon ?? 1e-7;
  const kinks = options.kinks ?? true;
  const layout = layoutOf(parameters);
  const theta = dictionaryToVector(parameters, layout);
  const analytic = gradientsToVector(await model.gradients(parameters), layout);
  const at = await model.forward(parameters);
  const base = kinks ? at.reluZ : [];
  const numeric = new Float64Array(layout.size);
  const skipped = new Uint8Array(layout.size);
  const f32 = options.precision === 'float32';
  // float32's step is large (u^(1/3)): a coordinate that crosses a kink is retried at ε/4 and ε/16 before it is
  // skipped; `steps` keeps each coordinate's step for the noise floor (precision.ts)
  const steps = new Float64Array(layout.size).fill(epsilon);
  const tries = f32 ? [epsilon, epsilon / 4, epsilon / 16] : [epsilon];
  for (let i = 0; i < layout.size; i++) {
    for (const step of tries) {
      const plus = theta.slice();
      plus[i] = f32 ? Math.fround(theta[i] + step) : plus[i] + step;
      const minus = theta.slice();
      minus[i] = f32 ? Math.fround(theta[i] - step) : minus[i] - step;
      const jp = await model.forward(vectorToDictionary(plus, layout));
      const jm = await model.forward(vectorToDictionary(minus, layout));
      numeric[i] = (jp.cost - jm.cost) / (f32 ? plus[i] - minus[i] : 2 * step);
      steps[i] = step;
      skipped[i] = kinks && (signsDiffer(base, jp.reluZ) || signsDiffer(base, jm.reluZ)) ? 1 : 0;
      if (!skipped[i]) break;
    }
  }
  const floor = roundingFloor(analytic, numeric, at.cost, epsilon);
  const threshold = options.threshold ?? Math.max(2e-7, 10 * floor);
  const r = assess(layout, analytic, numeric, skipped, threshold, model.m);
  r.steps = steps;
  // a failure of the size of rounding says so: the cause is then epsilon (or the threshold), not the gradient
  if (!r.passed && Number.isFinite(r.difference) && r.difference <= 100 * floor)
    r.message += `; this difference is of the size of float64 rounding in the central differences (noise floor ${floor.toExponential(2)} for epsilon ${epsilon}): a larger epsilon (e.g. 1e-5) or the default, noise-aware threshold tells a real bug from rounding`;
  return r;
}

const U = 2 ** -53;

/**
 * The difference that float64 rounding of J(θ±ε) alone produces: each numeric coordinate carries an error of about
 * 4u·max(|J|, 1)/(2ε), so over n coordinates the difference has a floor of that times sqrt(n) / (||g|| + ||g_num||).
 */
export function roundingFloor(analytic: Float64Array, numeric: Float64Array, J: number, epsilon: number): number {
  return (
    (Math.sqrt(analytic.length) * 4 * U * Math.max(Math.abs(J), 1)) /
    (2 * epsilon) /
    Math.max(norm(analytic) + norm(numeric), 1e-300)
  );
}

/** The course's threshold (2e-7), raised to 10x the rounding floor where that floor reaches it. */
export function noiseAwareThreshold(analytic: Float64Array, numeric: Float64Array, J: number, epsilon: number): number {
  return Math.max(2e-7, 10 * roundingFloor(analytic, numeric, J, epsilon));
}

/** The course's difference over the coordinates not skipped, and the per-key diagnosis. */
export function assess(
  layout: Layout,
  analytic: Float64Array,
  numeric: Float64Array,
  skipped: Uint8Array,
  threshold: number,
  m?: number,
): FullCheckResult {
  const g = analytic.filter((_, i) => !skipped[i]);
  const n = numeric.filter((_, i) => !skipped[i]);
  const diff = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) diff[i] = g[i] - n[i];
  const denom = norm(g) + norm(n);
  const difference = denom === 0 ? 0 : norm(diff) / denom;
  const aSlices = keySlices(layout, analytic);
  const nSlices = keySlices(layout, numeric);
  const sSlices = layout.keys.map((_, i) => skipped.subarray(layout.offsets[i], layout.offsets[i] + aSlices[i].length));
  const keys = layout.keys.map((k, i) => diagnoseKey(k, aSlices[i], nSlices[i], layout.shapes[i], sSlices[i], m));
  const skippedCount = skipped.reduce((a, b) => a + b, 0);
  const passed = difference <= threshold && Number.isFinite(difference);
  const skippedNote = skippedCount
    ? ` (${skippedCount} coordinate${skippedCount > 1 ? 's' : ''} crossing a ReLU kink skipped)`
    : '';
  const message = passed
    ? `backward agrees with forward: difference ${difference.toExponential(3)} <= ${threshold}${skippedNote}`
    : `backward disagrees with forward: difference ${difference.toExponential(3)} > ${threshold}: ${summarise(keys, threshold)}${skippedNote}`;
  return { difference, threshold, passed, analytic, numeric, skipped, skippedCount, layout, keys, message };
}

export { locate };
