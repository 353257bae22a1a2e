/**
 * The Application's model checks (models.ts): an L_layer_model composed here from the reference's step functions
 * (the notebook's loop, not the fused training program the check compares with) passes, in the newer notebooks'
 * return shape and in the older one's; one that doubles its learning rate fails L_layer_model, naming the
 * parameter that differs.
 */
import { describe, expect, it } from 'vitest';
import type { Value } from '../../engine/engine.ts';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { initializeParametersDeep } from '../../engine/reference/initialize.ts';
import { inProcessEngine } from '../../adapters/in-process.ts';
import type { CheckContext } from '../../check/types.ts';
import { modelSuite } from './models.ts';

const ref = new ReferenceEngine();

/** The notebook's L_layer_model: seed 1's deep initialiser, then forward, cost, backward, update. */
function lLayerModel(options: { lrScale?: number; old?: boolean } = {}) {
  return async (X: Value, Y: Value, dims: number[], lr: number, iterations: number) => {
    let parameters: Value = initializeParametersDeep(dims, 'application') as unknown as Value;
    const costs: Value[] = [];
    for (let i = 0; i < iterations; i++) {
      const [AL, caches] = (await ref.call('L_model_forward', [X, parameters])) as Value[];
      const cost = await ref.call('compute_cost', [AL, Y]);
      const grads = await ref.call('L_model_backward', [AL, Y, caches]);
      parameters = await ref.call('update_parameters', [parameters, grads, lr * (options.lrScale ?? 1)]);
      if (i % 100 === 0) costs.push(cost);
    }
    return options.old ? parameters : [parameters, costs];
  };
}

async function run(model: ReturnType<typeof lLayerModel>) {
  const engine = inProcessEngine({ L_layer_model: model });
  const ctx = {
    engine,
    reference: ref,
    seed: 0,
    runs: 1,
    functions: await engine.functions(),
    log: () => {},
  } as CheckContext;
  const checks = modelSuite.checks(ctx);
  return Promise.all(checks.map((c) => c.run(ctx)));
}

describe('the Application model checks', () => {
  it('a correct L_layer_model passes, returning (parameters, costs) or, as older notebooks, parameters', async () => {
    for (const old of [false, true]) {
      const [two, deep] = await run(lLayerModel({ old }));
      expect(two.status).toBe('skip');
      expect(deep.status, deep.message).toBe('pass');
      expect(deep.metrics?.maxRelError).toBeLessThan(1e-12);
    }
  });

  it('one whose learning rate is doubled fails L_layer_model, naming the first parameter that differs', async () => {
    const [, deep] = await run(lLayerModel({ lrScale: 2 }));
    expect(deep.status).toBe('fail');
    expect(deep.function).toBe('L_layer_model');
    expect(deep.message).toMatch(
      /^L_layer_model: after 3 iterations \(learning rate 0\.1, layers 4, 5, 3, 1\), parameters\["W1"\]\[\d+\]: /,
    );
    expect(deep.counterexample?.replay?.python).toMatch(/result = L_layer_model\(X, Y, \[4,5,3,1\], 0\.1, 3, False\)$/);
  });
});
