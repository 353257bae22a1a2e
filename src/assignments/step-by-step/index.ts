/** Week 4's first notebook, "Building your Deep Neural Network: Step by Step" (W4A1), declared as data. */
import type { Assignment } from '../../check/assignment.ts';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { STEP_CALLS, STEP_FUNCTIONS, sigmoidReturnsTuple, week4Suites } from '../week4.ts';

export const stepByStep: Assignment = {
  id: 'step-by-step',
  title: 'Building your Deep Neural Network: Step by Step',
  course: 'Course 1, week 4 (W4A1)',
  functions: STEP_FUNCTIONS,
  calls: STEP_CALLS,
  // names no other notebook of the course defines (initialize_parameters, compute_cost and update_parameters are
  // week 3's too, sigmoid week 2's)
  marks: [
    'initialize_parameters_deep',
    'linear_forward',
    'linear_activation_forward',
    'L_model_forward',
    'linear_backward',
    'linear_activation_backward',
    'L_model_backward',
    'sigmoid_backward',
    'relu_backward',
  ],
  probe: sigmoidReturnsTuple,
  reference: () => new ReferenceEngine(),
  suites: week4Suites,
};
