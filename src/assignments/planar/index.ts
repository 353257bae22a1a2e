/**
 * Course 1, week 3: "Planar data classification with one hidden layer" (W3A1 and the older v1-v6c notebooks),
 * declared as data (src/check/assignment.ts). Points: nbgrader metadata of the W3A1 notebooks in the corpus (26 notebooks: 10 per graded function).
 */
import type { Assignment, AssignmentFunction } from '../../check/assignment.ts';
import type { Engine } from '../../engine/engine.ts';
import { PlanarReference } from './reference.ts';
import { planarSuites } from './suites.ts';
import { detectVariant } from './variant.ts';
import { NDArray } from '../../tensor/ndarray.ts';

const PROBE = {
  X: NDArray.from([
    [1, -1, 0.5],
    [0.2, 0.3, -2],
  ]),
  parameters: {
    W1: NDArray.from([
      [0.1, -0.2],
      [0.3, 0.05],
    ]),
    b1: NDArray.zeros([2, 1]),
    W2: NDArray.from([[0.4, -0.3]]),
    b2: NDArray.zeros([1, 1]),
  },
};

const fn = (name: string, params: string[], returns: string, points: number): AssignmentFunction => ({
  name,
  params,
  returns,
  points,
  required: true,
});

export const assignment: Assignment = {
  id: 'planar',
  title: 'Planar data classification with one hidden layer',
  course: 'Course 1, week 3 (W3A1)',
  functions: [
    fn('layer_sizes', ['X', 'Y'], '(n_x, n_h, n_y)', 10),
    fn('initialize_parameters', ['n_x', 'n_h', 'n_y'], 'parameters {W1, b1, W2, b2}', 10),
    fn('forward_propagation', ['X', 'parameters'], '[A2, cache {Z1, A1, Z2, A2}]', 10),
    fn('compute_cost', ['A2', 'Y'], 'cost (float); older versions take (A2, Y, parameters)', 10),
    fn('backward_propagation', ['parameters', 'cache', 'X', 'Y'], 'grads {dW1, db1, dW2, db2}', 10),
    fn('update_parameters', ['parameters', 'grads', 'learning_rate=1.2'], 'parameters {W1, b1, W2, b2}', 10),
    fn('nn_model', ['X', 'Y', 'n_h', 'num_iterations=10000', 'print_cost=False'], 'parameters {W1, b1, W2, b2}', 10),
    fn('predict', ['parameters', 'X'], 'predictions (1, m): booleans (W3A1) or 0/1 floats (older)', 10),
  ],
  calls: {
    nn_model: [
      'layer_sizes',
      'initialize_parameters',
      'forward_propagation',
      'compute_cost',
      'backward_propagation',
      'update_parameters',
    ],
    predict: ['forward_propagation'],
  },
  marks: ['layer_sizes', 'forward_propagation', 'backward_propagation', 'nn_model'],
  /**
   * initialize_parameters(n_x, n_h, n_y), compute_cost and predict are week 4's names too: week 3's predict takes
   * (parameters, X) (week 4's (X, y, parameters)) and its older compute_cost takes (A2, Y, parameters).
   */
  async probe(engine: Engine) {
    try {
      const functions = await engine.functions();
      if (functions.has('predict')) {
        try {
          const out = await engine.call('predict', [PROBE.parameters, PROBE.X]);
          if (out instanceof NDArray && out.shape.join() === '1,3')
            return { score: 2, why: "predict takes (parameters, X), as the planar notebook's does" };
        } catch {
          // not week 3's predict
        }
      }
      if (functions.has('compute_cost') && (await detectVariant(engine, new Set(['compute_cost']))) === 'older')
        return { score: 1, why: 'compute_cost takes (A2, Y, parameters), as the v1-v6c planar notebooks do' };
      return undefined;
    } catch {
      return undefined;
    }
  },
  reference: () => new PlanarReference('W3A1'),
  suites: planarSuites,
};
