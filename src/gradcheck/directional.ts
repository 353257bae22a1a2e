/**
 * Fast mode: directional checks, as PyTorch's fast gradcheck and JAX's check_grads do. For random unit
 * directions v, the analytic directional derivative g·v is compared with (J(θ+εv) - J(θ-εv)) / 2ε: two forward
 * passes per direction, whatever the number of parameters.
 *
 * False negatives (derived in README.md beside this file): a bug of relative size r = |e|/|g| passes one direction
 * with probability about (2/π)·arctan(2τ/r) ≈ 1.3τ/r; with τ = 1e-5 and r = 1e-3, 1.3% per direction and about
 * 3e-8 for four independent directions. Directions come from seedrandom, so a run replays exactly from its seed.
 */
import seedrandom from 'seedrandom';
import type { Parameters } from '../engine/reference/types.ts';
import type { GradModel } from './full.ts';
import { dictionaryToVector, gradientsToVector, layoutOf, vectorToDictionary } from './vector.ts';

export interface DirectionalResult {
  passed: boolean;
  directions: { analytic: number; numeric: number; relError: number; skippedKink: boolean }[];
  worst: number;
  message: string;
}

/** A unit vector with normally distributed components (Box–Muller on seedrandom's stream). */
export function randomDirection(d: number, rng: () => number): Float64Array {
  const v = new Float64Array(d);
  for (let i = 0; i < d; i += 2) {
    const u1 = 1 - rng();
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    v[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < d) v[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

export async function directionalCheck(
  model: GradModel,
  parameters: Parameters,
  options: {
    directions?: number;
    epsilon?: number;
    tolerance?: number;
    seed?: string;
    precision?: 'float64' | 'float32';
    /** a bound on the rounding noise of J (float32: precision.ts costNoise): a direction's tolerance covers it */
    noise?: number;
  } = {},
): Promise<DirectionalResult> {
  const k = options.directions ?? 4;
  const epsilon = options.epsilon ?? 1e-6;
  const tolerance = options.tolerance ?? 1e-5;
  const rng = seedrandom(options.seed ?? 'dnn-verify');
  const layout = layoutOf(parameters);
  const theta = dictionaryToVector(parameters, layout);
  const g = gradientsToVector(await model.gradients(parameters), layout);
  const base = (await model.forward(parameters)).reluZ;
  const directions: DirectionalResult['directions'] = [];
  const along = async (v: Float64Array, epsilon: number) => {
    // float32: each coordinate is sent rounded to float32, and g·v is taken along the step it actually made
    const r = options.precision === 'float32' ? Math.fround : (x: number) => x;
    const plus = theta.map((x, i) => r(x + epsilon * v[i]));
    const minus = theta.map((x, i) => r(x - epsilon * v[i]));
    const jp = await model.forward(vectorToDictionary(plus, layout));
    const jm = await model.forward(vectorToDictionary(minus, layout));
    const numeric = (jp.cost - jm.cost) / (2 * epsilon);
    let analytic = 0;
    if (options.precision === 'float32')
      for (let i = 0; i < g.length; i++) analytic += (g[i] * (plus[i] - minus[i])) / (2 * epsilon);
    else for (let i = 0; i < g.length; i++) analytic += g[i] * v[i];
    const kink = [jp.reluZ, jm.reluZ].some((zs) =>
      zs.some((z, l) => z.some((x, i) => x === 0 || base[l][i] === 0 || x > 0 !== base[l][i] > 0)),
    );
    const scale = Math.max(Math.abs(analytic) + Math.abs(numeric), 1e-12);
    // the numeric side is off by up to 2 δJ / 2ε from rounding alone: twice that, relative, is tolerated too
    const noiseTol = options.noise ? (2 * options.noise) / epsilon / scale : 0;
    const relError = Math.abs(analytic - numeric) / scale / Math.max(1, noiseTol / tolerance);
    return { analytic, numeric, relError, skippedKink: kink };
  };
  for (let t = 0; t < k; t++) {
    const v = randomDirection(theta.length, rng);
    // float32's step is large (u^(1/3)): a direction that crosses a kink is retried at ε/4 and ε/16 before it is
    // skipped (the noise tolerance grows as the step shrinks)
    const steps = options.precision === 'float32' ? [epsilon, epsilon / 4, epsilon / 16] : [epsilon];
    let d: DirectionalResult['directions'][number] | undefined;
    for (const step of steps) {
      d = await along(v, step);
      if (!d.skippedKink) break;
    }
    directions.push(d!);
  }
  const checked = directions.filter((d) => !d.skippedKink);
  const worst = Math.max(0, ...checked.map((d) => d.relError));
  // at float32 a network whose every direction crosses a kink even at ε/16 has no evidence against it, not a failure
  const passed =
    (checked.length > 0 || options.precision === 'float32') &&
    worst <= tolerance &&
    checked.every((d) => Number.isFinite(d.relError));
  const skipped = directions.length - checked.length;
  const message =
    checked.length === 0
      ? `every one of ${k} directions crossed a ReLU kink; nothing was checked`
      : passed
        ? `${checked.length} random directions agree: worst relative error ${worst.toExponential(2)} <= ${tolerance}${skipped ? ` (${skipped} crossing a kink skipped)` : ''}`
        : `directional derivative disagrees: worst relative error ${worst.toExponential(2)} > ${tolerance} (analytic g·v vs finite difference along v)`;
  return { passed, directions, worst, message };
}
