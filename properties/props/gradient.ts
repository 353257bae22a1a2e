/** The gradient check as a property: for any architecture, backward is the derivative of forward + cost. */
import { problems, type Problem } from '../arbitraries/index.ts';
import { engineModel, forwardCulprit } from '../../src/gradcheck/engine-model.ts';
import { assess, fullCheck } from '../../src/gradcheck/full.ts';
import { noiseAwareThreshold } from '../../src/gradcheck/suite.ts';
import { costNoise, float32Threshold, gradcheckSettings } from '../../src/gradcheck/precision.ts';
import { fail, type Property } from './types.ts';

export const backwardIsDerivative: Property<Problem> = {
  name: 'backward-is-the-derivative-of-forward',
  function: 'L_model_backward',
  requires: ['L_model_forward', 'compute_cost', 'L_model_backward'],
  arbitrary: problems({ maxDepth: 4, maxWidth: 6, maxBatch: 6 }),
  cost: 0.3,
  async check(engine, p, ctx) {
    // when forward or cost is wrong, the mismatch is theirs (their own properties and checks report it)
    const precision = ctx.precision ?? 'float64';
    if (await forwardCulprit(engine, ctx.reference, p.X, p.Y, p.parameters, precision)) return;
    const model = engineModel(engine, p.X, p.Y);
    const { epsilon } = gradcheckSettings(precision);
    const raw = await fullCheck(model, p.parameters, { threshold: Infinity, epsilon, precision });
    const J = (await model.forward(p.parameters)).cost;
    const r = assess(
      raw.layout,
      raw.analytic,
      raw.numeric,
      raw.skipped,
      precision === 'float32'
        ? float32Threshold(
            raw.analytic,
            raw.numeric,
            await costNoise(ctx.reference, p.X, p.Y, p.parameters),
            raw.steps ?? epsilon,
          )
        : noiseAwareThreshold(raw.analytic, raw.numeric, J, 1e-7),
      p.m,
    );
    if (!r.passed) fail(r.message);
  },
  replay: (p) => ({
    inputs: { X: p.X, Y: p.Y, parameters: p.parameters },
    call: 'AL, caches = L_model_forward(X, parameters)\ngrads = L_model_backward(AL, Y, caches)  # compare with central differences of compute_cost',
  }),
};
