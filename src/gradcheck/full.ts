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
  threshold?: number;
  /** detect kink crossings and skip those coordinates (default true) */
  kinks?: boolean;
}

export interface FullCheckResult {
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
  const threshold = options.threshold ?? 2e-7;
  const kinks = options.kinks ?? true;
  const layout = layoutOf(parameters);
  const theta = dictionaryToVector(parameters, layout);
  const analytic = gradientsToVector(await model.gradients(parameters), layout);
  const base = kinks ? (await model.forward(parameters)).reluZ : [];
  const numeric = new Float64Array(layout.size);
  const skipped = new Uint8Array(layout.size);
  for (let i = 0; i < layout.size; i++) {
    const plus = theta.slice();
    plus[i] += epsilon;
    const minus = theta.slice();
    minus[i] -= epsilon;
    const jp = await model.forward(vectorToDictionary(plus, layout));
    const jm = await model.forward(vectorToDictionary(minus, layout));
    numeric[i] = (jp.cost - jm.cost) / (2 * epsilon);
    if (kinks && (signsDiffer(base, jp.reluZ) || signsDiffer(base, jm.reluZ))) skipped[i] = 1;
  }
  return assess(layout, analytic, numeric, skipped, threshold, model.m);
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
