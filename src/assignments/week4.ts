/**
 * What week 4's two notebooks share: the step-by-step functions (the Application imports the course's own
 * solutions of them from dnn_app_utils_v3), their call graph, the reference engine and the four check families.
 */
import type { AssignmentFunction, DetectionEvidence } from '../check/assignment.ts';
import type { CheckSuite } from '../check/types.ts';
import type { Engine } from '../engine/engine.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { CALLS } from '../engine/catalogue.ts';
import { fixtureSuite } from '../packs/suite.ts';
import { gradcheckSuite } from '../gradcheck/suite.ts';
import { propertySuite } from '../../properties/suite.ts';
import { differentialSuite } from '../differential/differential.ts';

export const fn = (
  name: string,
  params: string[],
  returns: string,
  points: number,
  required: boolean,
): AssignmentFunction => ({ name, params, returns, points, required });

/**
 * "Building your Deep Neural Network: Step by Step" (W4A1): the ten graded exercises carry nbgrader `"points": 10`
 * on their test cells (100 in all); sigmoid, relu and their backward steps come from dnn_utils, ungraded.
 */
export const STEP_FUNCTIONS: readonly AssignmentFunction[] = [
  fn('initialize_parameters', ['n_x', 'n_h', 'n_y'], 'parameters {W1, b1, W2, b2}', 10, true),
  fn('initialize_parameters_deep', ['layer_dims'], 'parameters {W1, b1, ..., WL, bL}', 10, true),
  fn('linear_forward', ['A', 'W', 'b'], '[Z, cache (A, W, b)]', 10, true),
  fn('sigmoid', ['Z'], '[A, cache Z]', 0, false),
  fn('relu', ['Z'], '[A, cache Z]', 0, false),
  fn('linear_activation_forward', ['A_prev', 'W', 'b', 'activation'], '[A, cache ((A_prev, W, b), Z)]', 10, true),
  fn('L_model_forward', ['X', 'parameters'], '[AL, caches]', 10, true),
  fn('compute_cost', ['AL', 'Y'], 'cost (a float)', 10, true),
  fn('linear_backward', ['dZ', 'cache'], '[dA_prev, dW, db]', 10, true),
  fn('sigmoid_backward', ['dA', 'cache'], 'dZ', 0, false),
  fn('relu_backward', ['dA', 'cache'], 'dZ', 0, false),
  fn('linear_activation_backward', ['dA', 'cache', 'activation'], '[dA_prev, dW, db]', 10, true),
  fn('L_model_backward', ['AL', 'Y', 'caches'], 'grads {dA.., dW1, db1, ...}', 10, true),
  fn('update_parameters', ['parameters', 'grads', 'learning_rate'], 'parameters', 10, true),
];

/** Which step-by-step functions each one calls in the notebook's own code (dnn_utils' helpers included). */
export const STEP_CALLS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(CALLS).filter(([f]) => STEP_FUNCTIONS.some((s) => s.name === f)),
);

/** The check families of week 4, in run order. */
export function week4Suites(): CheckSuite[] {
  return [fixtureSuite, gradcheckSuite, propertySuite, differentialSuite];
}

/**
 * Week 4's sigmoid returns the tuple (A, cache); week 2's returns A alone. Evidence for a file whose names alone
 * do not decide (one defining only sigmoid).
 */
export async function sigmoidReturnsTuple(engine: Engine): Promise<DetectionEvidence | undefined> {
  try {
    if (!(await engine.functions()).has('sigmoid')) return undefined;
    const out = await engine.call('sigmoid', [NDArray.from([[0, 2]])]);
    if (Array.isArray(out) && out.length === 2 && out[0] instanceof NDArray)
      return { score: 1, why: 'its sigmoid returns the tuple (A, cache)' };
    return undefined;
  } catch {
    return undefined;
  }
}
