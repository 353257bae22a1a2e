/**
 * Gradient checks as a check suite for any engine: full per-parameter checks on small random architectures and
 * directional (fast-mode) checks on larger ones, all regenerated from the run's seed.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { RandomState } from '../random/index.ts';
import type { Parameters } from '../engine/reference/types.ts';
import type { Check, CheckContext, CheckResult, CheckSuite } from '../check/types.ts';
import { engineModel, forwardCulprit } from './engine-model.ts';
import { assess, fullCheck, noiseAwareThreshold } from './full.ts';
import { directionalCheck } from './directional.ts';
import { gradientsToVector } from './vector.ts';
import { incrementalNumericGradient } from './incremental.ts';
import { costNoise, float32Threshold, gradcheckSettings } from './precision.ts';
import type { Value } from '../engine/engine.ts';

export interface Problem {
  dims: number[];
  m: number;
  X: NDArray;
  Y: NDArray;
  parameters: Parameters;
}

/** Inputs kept away from saturation: W ~ N(0, 1/n_prev), b ~ N(0, 0.01), X ~ N(0, 1), labels 0/1. */
export function randomProblem(dims: number[], m: number, seed: number): Problem {
  const rs = new RandomState(seed);
  const parameters: Parameters = {};
  for (let l = 1; l < dims.length; l++) {
    const W = rs.randn(dims[l], dims[l - 1]);
    const s = 1 / Math.sqrt(dims[l - 1]);
    parameters[`W${l}`] = new NDArray(
      W.data.map((x) => x * s),
      W.shape,
    );
    const b = rs.randn(dims[l], 1);
    parameters[`b${l}`] = new NDArray(
      b.data.map((x) => x * 0.1),
      b.shape,
    );
  }
  const X = rs.randn(dims[0], m);
  const Y = new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
    [1, m],
  );
  return { dims, m, X, Y, parameters };
}

export const FULL_ARCHITECTURES: [number[], number][] = [
  [[3, 1], 4],
  [[2, 3, 1], 5],
  [[4, 3, 2, 1], 3],
  [[5, 4, 1], 7],
  [[3, 5, 4, 3, 1], 6],
  [[6, 2, 1], 1],
];
export const DIRECTIONAL_ARCHITECTURES: [number[], number][] = [
  [[30, 20, 10, 1], 16],
  [[64, 32, 1], 32],
  [[20, 16, 16, 16, 16, 1], 8],
];

/**
 * The course's threshold (2e-7), raised only where float64 rounding of J(θ±ε) alone could reach it (full.ts, which
 * fullCheck uses by default too).
 */
export { noiseAwareThreshold };

function replay(p: Problem, seed: number): string {
  return [
    'import numpy as np',
    `# dnn-verify gradcheck problem: dims ${JSON.stringify(p.dims)}, m = ${p.m}, regenerated from seed ${seed}`,
    `rs = np.random.RandomState(${seed}); dims = ${JSON.stringify(p.dims)}; params = {}`,
    'for l in range(1, len(dims)):',
    '    params["W%d" % l] = rs.randn(dims[l], dims[l-1]) * (1 / np.sqrt(dims[l-1]))',
    '    params["b%d" % l] = rs.randn(dims[l], 1) * 0.1',
    `X = rs.randn(dims[0], ${p.m}); Y = (rs.rand(${p.m}) < 0.5).astype(float).reshape(1, ${p.m})`,
    'AL, caches = L_model_forward(X, params); grads = L_model_backward(AL, Y, caches)',
  ].join('\n');
}

function fullGradCheck(dims: number[], m: number, index: number): Check {
  const id = `gradcheck/full/${JSON.stringify(dims)}/m=${m}`;
  return {
    id,
    function: 'L_model_backward',
    kind: 'gradcheck',
    async run(ctx: CheckContext): Promise<CheckResult> {
      const seed = (ctx.seed + 1000 * (index + 1)) >>> 0;
      const p = randomProblem(dims, m, seed);
      const precision = ctx.precision ?? 'float64';
      const culprit = await forwardCulprit(ctx.engine, ctx.reference, p.X, p.Y, p.parameters, precision);
      if (culprit) return { id, kind: 'gradcheck', status: 'fail', ...culprit };
      const model = engineModel(ctx.engine, p.X, p.Y);
      const { epsilon } = gradcheckSettings(precision);
      const raw = await fullCheck(model, p.parameters, { epsilon, threshold: Infinity, precision });
      // the course's threshold, raised only where float64 noise in J(θ±ε) alone could exceed it; at float32 the
      // float32 threshold (precision.ts)
      const J = Math.abs((await model.forward(p.parameters)).cost);
      const threshold =
        precision === 'float32'
          ? float32Threshold(
              raw.analytic,
              raw.numeric,
              await costNoise(ctx.reference, p.X, p.Y, p.parameters),
              raw.steps ?? epsilon,
            )
          : noiseAwareThreshold(raw.analytic, raw.numeric, J, epsilon);
      const r = assess(raw.layout, raw.analytic, raw.numeric, raw.skipped, threshold, m);
      return {
        id,
        function: 'L_model_backward',
        kind: 'gradcheck',
        status: r.passed ? 'pass' : 'fail',
        message: `${r.message} [${raw.layout.size} parameters, epsilon ${epsilon.toPrecision(3)}${precision === 'float32' ? `, float32's threshold for this network` : ''}]`,
        metrics: { gradDifference: r.difference },
        counterexample: r.passed
          ? undefined
          : {
              description: `layer_dims ${JSON.stringify(dims)}, m = ${m}, seed ${seed}`,
              replay: { python: replay(p, seed) },
            },
        details: {
          perKey: r.keys.map((k) => ({ key: k.key, difference: k.difference, pattern: k.pattern })),
          sample: Array.from(r.analytic.slice(0, 64), (a, i) => [a, r.numeric[i]]),
          skipped: r.skippedCount,
          threshold,
        },
      };
    },
  };
}

function directionalGradCheck(dims: number[], m: number, index: number): Check {
  const id = `gradcheck/directional/${JSON.stringify(dims)}/m=${m}`;
  return {
    id,
    function: 'L_model_backward',
    kind: 'gradcheck',
    async run(ctx: CheckContext): Promise<CheckResult> {
      const seed = (ctx.seed + 7919 * (index + 1)) >>> 0;
      const p = randomProblem(dims, m, seed);
      const precision = ctx.precision ?? 'float64';
      const culprit = await forwardCulprit(ctx.engine, ctx.reference, p.X, p.Y, p.parameters, precision);
      if (culprit) return { id, kind: 'gradcheck', status: 'fail', ...culprit };
      const s = gradcheckSettings(precision);
      const r = await directionalCheck(engineModel(ctx.engine, p.X, p.Y), p.parameters, {
        directions: 4,
        seed: `dnn-verify/${seed}`,
        ...(precision === 'float32'
          ? {
              precision,
              epsilon: s.directionalEpsilon,
              tolerance: s.directionalTolerance,
              noise: await costNoise(ctx.reference, p.X, p.Y, p.parameters),
            }
          : {}),
      });
      return {
        id,
        function: 'L_model_backward',
        kind: 'gradcheck',
        status: r.passed ? 'pass' : 'fail',
        message: r.message,
        metrics: { directionalRelError: r.worst },
        counterexample: r.passed
          ? undefined
          : {
              description: `layer_dims ${JSON.stringify(dims)}, m = ${m}, seed ${seed}, directions from seedrandom('dnn-verify/${seed}')`,
              replay: { python: replay(p, seed) },
            },
        details: { directions: r.directions },
      };
    },
  };
}

/** The Application's network at full size (random inputs of the cat data's shape), checked per parameter. */
export const REAL_SIZE: [number[], number] = [[12288, 20, 7, 5, 1], 209];

export function realSizeGradCheck(dims: number[], m: number, epsilon = 1e-6): Check {
  const id = `gradcheck/real-size/${JSON.stringify(dims)}/m=${m}`;
  return {
    id,
    function: 'L_model_backward',
    kind: 'gradcheck',
    async run(ctx: CheckContext): Promise<CheckResult> {
      const seed = (ctx.seed + 4242) >>> 0;
      const p = randomProblem(dims, m, seed);
      const base = { id, function: 'L_model_backward', kind: 'gradcheck' as const };
      if (ctx.precision === 'float32')
        return {
          ...base,
          status: 'skip',
          message:
            "the real-size check takes its central differences on the reference's float64 forward pass, which a float32 engine's forward is not; the float32 full and directional checks judge L_model_backward",
        };
      // the numeric side uses the reference math: first make sure the engine's forward pass is that function
      const ours = await ctx.engine.call('L_model_forward', [p.X, p.parameters]);
      const ref = await ctx.reference.call('L_model_forward', [p.X, p.parameters]);
      const AL = Array.isArray(ours) ? ours[0] : undefined;
      const refAL = (ref as [NDArray])[0];
      if (
        !(AL instanceof NDArray) ||
        AL.size !== refAL.size ||
        AL.data.some((v, i) => !(Math.abs(v - refAL.data[i]) <= 1e-9 * Math.max(1e-300, Math.abs(refAL.data[i]))))
      ) {
        return {
          ...base,
          function: 'L_model_forward',
          status: 'fail',
          message:
            'L_model_forward disagrees with the reference (rtol 1e-9), so the real-size gradient check cannot use the reference math',
        };
      }
      const grads = await ctx.engine.call('L_model_backward', [AL, p.Y, (ours as Value[])[1]]);
      const t0 = performance.now();
      const inc = incrementalNumericGradient(p.X, p.Y, p.parameters, epsilon);
      const seconds = (performance.now() - t0) / 1000;
      const g = gradientsToVector(grads as never, inc.layout);
      const threshold = noiseAwareThreshold(g, inc.numeric, inc.cost, epsilon);
      const r = assess(inc.layout, g, inc.numeric, inc.skipped, threshold, m);
      return {
        ...base,
        status: r.passed ? 'pass' : 'fail',
        message: `${r.message} [${inc.layout.size} parameters checked one by one in ${seconds.toFixed(1)} s (${Math.round(inc.layout.size / seconds)}/s), epsilon ${epsilon}, threshold ${threshold.toExponential(2)}]`,
        metrics: { gradDifference: r.difference },
        details: {
          perKey: r.keys.map((k) => ({ key: k.key, difference: k.difference, pattern: k.pattern })),
          paramsPerSecond: inc.layout.size / seconds,
        },
      };
    },
  };
}

export const gradcheckSuite: CheckSuite = {
  name: 'gradcheck',
  checks(ctx) {
    if (!['L_model_forward', 'compute_cost', 'L_model_backward'].every((f) => ctx.functions.has(f))) return [];
    return [
      ...FULL_ARCHITECTURES.map(([d, m], i) => fullGradCheck(d, m, i)),
      ...DIRECTIONAL_ARCHITECTURES.map(([d, m], i) => directionalGradCheck(d, m, i)),
      ...(ctx.options?.realSize ? [realSizeGradCheck(...REAL_SIZE)] : []),
    ];
  },
};
