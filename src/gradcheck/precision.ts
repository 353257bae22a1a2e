/**
 * Gradient checks at the run's precision (docs/guide/precision.md derives each number). At float64 the course's
 * settings stand (epsilon 1e-7, threshold 2e-7 raised to 10x the rounding floor; directional epsilon 1e-6,
 * tolerance 1e-5). At float32 the engine's J(θ±ε) carries rounding noise δJ (costNoise: a first-order bound from
 * the reference's forward and backward pass), so the central difference's error is δJ / ε + ε² |J'''| / 6:
 * minimised near ε = u^(1/3), where it is about u^(2/3) ≈ 1.6e-5 relative. The threshold is twice the noise
 * floor, and at least 10 u^(2/3) so the truncation term never trips it; the differences are taken by the suite in
 * float64, over the exact steps fround(θ+ε) - fround(θ-ε) that the engine's float32 parameters actually moved by.
 */
import { unitRoundoff, type Precision } from '../check/precision.ts';
import { norm } from './vector.ts';
import type { NDArray } from '../tensor/ndarray.ts';
import type { Engine, Value } from '../engine/engine.ts';
import type { Parameters } from '../engine/reference/types.ts';

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
 * A first-order, componentwise bound on the rounding error of J = compute_cost(L_model_forward(X, θ)) computed in
 * float32, from the reference's float64 forward and backward pass: every rounding of layer l moves Z_l by at most
 * (k_l + 2) u (|W_l||A_{l-1}| + |b_l|) (the dot product's gamma and the inputs' rounding), a sigmoid moves A_L by
 * 6 u |A_L|, and J moves by the sum of those times |dJ/dZ_l| = |dZ_l| / m (and |dJ/dA_L| for the sigmoid); the cost's
 * own mean of m logs adds (m + 6) u times the mean of its terms' magnitudes. Unlike gamma_N |J|, it weighs each
 * rounding by how much J depends on it: where the gradient vanishes, so does the noise it causes.
 */
export async function costNoise(reference: Engine, X: NDArray, Y: NDArray, parameters: Parameters): Promise<number> {
  const u = U32;
  const m = X.shape[1];
  const [AL, caches] = (await reference.call('L_model_forward', [X, parameters])) as [NDArray, Value[]];
  const grads = (await reference.call('L_model_backward', [AL, Y, caches])) as Record<string, NDArray>;
  const L = caches.length;
  let noise = 0;
  // the cost's own terms: |y log a| + |(1 - y) log(1 - a)|, and the rounding of AL into them (through dA_L below)
  let terms = 0;
  for (let j = 0; j < m; j++) {
    const a = AL.data[j];
    const y = Y.data[j];
    terms += (Math.abs(y * Math.log(a)) + Math.abs((1 - y) * Math.log(1 - a))) / m;
  }
  noise += (m + 6) * u * terms;
  for (let l = 1; l <= L; l++) {
    const [[A, W, b], Z] = caches[l - 1] as [[NDArray, NDArray, NDArray], NDArray];
    const [n, k] = W.shape;
    const sigmoidLayer = l === L;
    // dJ/dA_l: the reference's dA_l (keys dA{l-1}: dA_l is the gradient of layer l+1's input), or dAL's
    const dA = sigmoidLayer
      ? AL.data.map((a, j) => -(Y.data[j] / a - (1 - Y.data[j]) / (1 - a)))
      : grads[`dA${l}`].data;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const z = Z.data[i * m + j];
        const s = sigmoidLayer ? 1 / (1 + Math.exp(-z)) : 0;
        const dZ = sigmoidLayer ? dA[i * m + j] * s * (1 - s) : z > 0 ? dA[i * m + j] : 0;
        let mag = Math.abs(b.data[i]);
        for (let t = 0; t < k; t++) mag += Math.abs(W.data[i * k + t] * A.data[t * m + j]);
        noise += (Math.abs(dZ) / m) * (k + 2) * u * mag;
        if (sigmoidLayer) noise += (Math.abs(dA[i * m + j]) / m) * 6 * u * s;
      }
  }
  return noise;
}

/**
 * The float32 difference floor from a cost-noise bound δJ: numeric coordinate i is off by up to 2 δJ / 2ε_i, so the
 * course's difference has a floor of sqrt(Σ (δJ / ε_i)²) / (||g|| + ||g_num||) (sqrt(n) δJ / ε for one step).
 */
export function noiseFloor(
  analytic: Float64Array,
  numeric: Float64Array,
  noiseJ: number,
  steps: number | Float64Array,
): number {
  let s = 0;
  for (let i = 0; i < analytic.length; i++) s += (noiseJ / (typeof steps === 'number' ? steps : steps[i])) ** 2;
  return Math.sqrt(s) / Math.max(norm(analytic) + norm(numeric), 1e-300);
}

/**
 * The float32 threshold: twice the floor of the cost's rounding noise (a bound, not an estimate, so a small factor
 * does: the float64 threshold's 10x covers an estimate), and at least minThreshold (10 u^(2/3)), which covers the
 * truncation error ε² |J'''| / 6 of the step.
 */
export function float32Threshold(
  analytic: Float64Array,
  numeric: Float64Array,
  noiseJ: number,
  steps: number | Float64Array,
): number {
  return Math.max(gradcheckSettings('float32').minThreshold, 2 * noiseFloor(analytic, numeric, noiseJ, steps));
}
