/**
 * Stand-ins for the assignments being declared on other branches (week 2's logistic regression, week 3's planar
 * network) and small engines shaped like the files students write for them, so that detection is proven before
 * the real declarations arrive. Written for these tests; no student's code.
 */
import type { Assignment, AssignmentFunction, DetectionEvidence } from '../../src/check/assignment.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { NDArray } from '../../src/tensor/ndarray.ts';
import { ReferenceEngine } from '../../src/engine/reference-engine.ts';

const f = (name: string, params: string[], points = 0, required = false): AssignmentFunction => ({
  name,
  params,
  returns: '',
  points,
  required,
});

const sig = (z: NDArray) =>
  new NDArray(
    Float64Array.from(z.data, (v) => 1 / (1 + Math.exp(-v))),
    z.shape,
  );

/** Week 2's sigmoid returns one array: a probe in the shape the real declaration is asked to give. */
async function sigmoidReturnsOneArray(engine: Engine): Promise<DetectionEvidence | undefined> {
  try {
    if (!(await engine.functions()).has('sigmoid')) return undefined;
    const out = await engine.call('sigmoid', [NDArray.from([[0, 2]])]);
    return out instanceof NDArray ? { score: 1, why: 'its sigmoid returns one array' } : undefined;
  } catch {
    return undefined;
  }
}

export const fakeLogistic: Assignment = {
  id: 'logistic',
  title: 'Logistic Regression with a Neural Network mindset',
  course: 'Course 1, week 2 (W2A2)',
  functions: [
    f('sigmoid', ['z'], 10, true),
    f('initialize_with_zeros', ['dim'], 10, true),
    f('propagate', ['w', 'b', 'X', 'Y'], 30, true),
    f('optimize', ['w', 'b', 'X', 'Y', 'num_iterations', 'learning_rate', 'print_cost'], 20, true),
    f('predict', ['w', 'b', 'X'], 20, true),
    f('model', ['X_train', 'Y_train', 'X_test', 'Y_test'], 10, true),
  ],
  calls: { optimize: ['propagate'], propagate: ['sigmoid'], predict: ['sigmoid'] },
  marks: ['initialize_with_zeros', 'propagate', 'optimize'],
  probe: sigmoidReturnsOneArray,
  reference: () => new ReferenceEngine(),
  suites: () => [],
};

export const fakePlanar: Assignment = {
  id: 'planar',
  title: 'Planar data classification with one hidden layer',
  course: 'Course 1, week 3 (W3A1)',
  functions: [
    f('layer_sizes', ['X', 'Y'], 10, true),
    f('initialize_parameters', ['n_x', 'n_h', 'n_y'], 10, true),
    f('forward_propagation', ['X', 'parameters'], 20, true),
    f('compute_cost', ['A2', 'Y'], 10, true),
    f('backward_propagation', ['parameters', 'cache', 'X', 'Y'], 20, true),
    f('update_parameters', ['parameters', 'grads', 'learning_rate'], 10, true),
    f('nn_model', ['X', 'Y', 'n_h', 'num_iterations', 'print_cost'], 10, true),
    f('predict', ['parameters', 'X'], 10, true),
  ],
  calls: { nn_model: ['initialize_parameters', 'forward_propagation', 'backward_propagation'] },
  marks: ['layer_sizes', 'forward_propagation', 'backward_propagation', 'nn_model'],
  reference: () => new ReferenceEngine(),
  suites: () => [],
};

const unused = () => {
  throw new Error('not called by detection');
};

/** A week-2 file: sigmoid returns one array. */
export const week2File = {
  sigmoid: sig,
  initialize_with_zeros: unused,
  propagate: unused,
  optimize: unused,
  predict: unused,
  model: unused,
};

/** A week-3 file: week 4's names initialize_parameters, compute_cost and update_parameters, and its own. */
export const week3File = {
  layer_sizes: unused,
  initialize_parameters: unused,
  forward_propagation: unused,
  compute_cost: unused,
  backward_propagation: unused,
  update_parameters: unused,
  nn_model: unused,
  predict: unused,
};

/** Files that define only sigmoid: week 2's returns A, week 4's returns (A, cache). */
export const sigmoidOnlyWeek2 = { sigmoid: sig };
export const sigmoidOnlyWeek4 = { sigmoid: (z: NDArray) => [sig(z), z] };

/** The Application notebook defines its two models (the rest comes from dnn_app_utils_v3). */
export const applicationFile = { two_layer_model: unused, L_layer_model: unused, predict: unused };

/** A file of the course's names in no assignment at all. */
export const unrelatedFile = { helper: unused, load_dataset: unused };
