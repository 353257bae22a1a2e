/**
 * Week 4's second notebook, "Deep Neural Network for Image Classification: Application" (W4A2), declared as data.
 * Its two graded exercises are two_layer_model and L_layer_model; every step-by-step function comes from the
 * course's dnn_app_utils_v3 (ungraded here: a file that redefines one is still checked on it), as does predict.
 * Points: the nbgrader metadata of 25 W4A2 notebooks gives each model's test cell `"points": 10` and grades nothing
 * else (docs/measurements/application-points.md); the older v3/v8 notebooks carry no points.
 */
import type { Assignment } from '../../check/assignment.ts';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { CALLS } from '../../engine/catalogue.ts';
import { fn, STEP_FUNCTIONS, week4Suites } from '../week4.ts';
import { modelSuite } from './models.ts';

const MODEL_PARAMS = ['X', 'Y', 'layers_dims', 'learning_rate', 'num_iterations', 'print_cost'];

export const application: Assignment = {
  id: 'application',
  title: 'Deep Neural Network for Image Classification: Application',
  course: 'Course 1, week 4 (W4A2)',
  functions: [
    ...STEP_FUNCTIONS.map((f) => ({ ...f, points: 0, required: false })),
    fn('two_layer_model', MODEL_PARAMS, '[parameters, costs]', 10, true),
    fn('L_layer_model', MODEL_PARAMS, '[parameters, costs]', 10, true),
    fn('predict', ['X', 'y', 'parameters'], 'p (1, m) of 0/1', 0, false),
  ],
  // the catalogue's call graph: the step-by-step functions' and the models' (src/engine/catalogue.ts)
  calls: CALLS,
  marks: ['two_layer_model', 'L_layer_model'],
  reference: () => new ReferenceEngine(),
  suites: () => [...week4Suites(), modelSuite],
};
