/**
 * The Application's graded exercises, two_layer_model and L_layer_model, against the reference's training programs
 * (src/app/models.ts) on a small problem drawn from the run's seed: a few iterations of gradient descent from the
 * course's own initialisers (np.random.seed(1)), compared parameter by parameter. Older notebooks return the
 * parameters alone, newer ones (parameters, costs); costs are not compared (older ones record them only when
 * printing).
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import type { Value } from '../../engine/engine.ts';
import type { Check, CheckResult, CheckSuite } from '../../check/types.ts';
import { lLayerModel, twoLayerModel } from '../../app/models.ts';
import { compareValues } from '../../differential/differential.ts';
import { pythonReplay } from '../../../properties/replay.ts';
import { toWire } from '../../diagnose/evidence.ts';

const ITERATIONS = 3;
const LEARNING_RATE = 0.1;

/** X (n0, m) from the seed's stream, Y (1, m) of 0/1 labels. */
function problem(seed: number, n0: number, m: number) {
  const rs = new RandomState(seed);
  const X = rs.randn(n0, m);
  const Y = new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
    [1, m],
  );
  return { X, Y };
}

function modelCheck(fn: 'two_layer_model' | 'L_layer_model', dims: number[]): Check {
  const id = `models/${fn}/${dims.join('-')}`;
  return {
    id,
    function: fn,
    kind: 'differential',
    async run(ctx): Promise<CheckResult> {
      const base = { id, function: fn, kind: 'differential' as const, durationMs: 0 };
      if (!ctx.functions.has(fn)) return { ...base, status: 'skip', message: `${fn} is not defined` };
      const { X, Y } = problem(ctx.seed, dims[0], 6);
      const options = { learningRate: LEARNING_RATE, iterations: ITERATIONS };
      const expected =
        fn === 'two_layer_model'
          ? twoLayerModel(X, Y, dims as [number, number, number], options).parameters
          : lLayerModel(X, Y, dims, options).parameters;
      const out = await ctx.engine.call(fn, [X, Y, dims, LEARNING_RATE, ITERATIONS, false]);
      // (parameters, costs) in the newer notebooks, parameters alone in the older ones
      const parameters = Array.isArray(out) ? out[0] : out;
      const stats = { maxRel: 0 };
      const diff = compareValues(parameters as Value, expected as unknown as Value, 'parameters', stats);
      if (!diff)
        return {
          ...base,
          status: 'pass',
          message: `${ITERATIONS} iterations on layers ${dims.join(', ')} agree with the reference (max relative error ${stats.maxRel.toExponential(2)})`,
          metrics: { maxRelError: stats.maxRel },
        };
      return {
        ...base,
        status: 'fail',
        message: `${fn}: after ${ITERATIONS} iterations (learning rate ${LEARNING_RATE}, layers ${dims.join(', ')}), ${diff}`,
        metrics: { maxRelError: stats.maxRel },
        counterexample: {
          description: `X (${dims[0]}, 6) and Y from RandomState(${ctx.seed}); the course's initialiser (seed 1)`,
          inputs: { X: toWire(X), Y: toWire(Y) },
          replay: {
            python: pythonReplay(
              { X, Y },
              `result = ${fn}(X, Y, ${JSON.stringify(dims)}, ${LEARNING_RATE}, ${ITERATIONS}, False)`,
            ),
          },
        },
      };
    },
  };
}

export const modelSuite: CheckSuite = {
  name: 'models',
  checks(ctx) {
    if (ctx.engine === ctx.reference) return [];
    return [modelCheck('two_layer_model', [4, 3, 1]), modelCheck('L_layer_model', [4, 5, 3, 1])];
  },
};
