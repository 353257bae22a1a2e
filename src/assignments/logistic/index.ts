/**
 * Week 2's assignment, "Logistic Regression with a Neural Network mindset" (W2A2 from 2021; v3, v4, v5, v6, v6a
 * and the unnumbered 2017 notebook before it), declared as data (src/check/assignment.ts).
 */
import { join } from 'node:path';
import { NDArray } from '../../tensor/ndarray.ts';
import type { Assignment, AssignmentFunction } from '../../check/assignment.ts';
import { loadPacks, PACK_DIR, packSuite } from '../../packs/suite.ts';
import { LogisticReference } from './reference.ts';
import {
  contractSuite,
  differentialSuite,
  FUNCTIONS,
  gradcheckSuite,
  propertySuite,
  withNotebookScalars,
} from './suites.ts';

/** fixtures/packs/logistic/: the printed values of every course version found (packs carry "assignment": "logistic") */
export const PACKS = join(PACK_DIR, 'logistic');

/**
 * Points: W2A2's nbgrader metadata gives each graded test cell 10 points (exercises 3-8: sigmoid,
 * initialize_with_zeros, propagate, optimize, predict, model), e.g. cell-30ea3151cab9c491 (sigmoid).
 */
const FUNCTIONS_: AssignmentFunction[] = [
  { name: 'sigmoid', params: ['z'], returns: 's (one array, the shape of z)', points: 10, required: true },
  { name: 'initialize_with_zeros', params: ['dim'], returns: '[w (dim, 1) zeros, b 0.]', points: 10, required: true },
  { name: 'propagate', params: ['w', 'b', 'X', 'Y'], returns: '[grads {dw, db}, cost]', points: 10, required: true },
  {
    name: 'optimize',
    params: ['w', 'b', 'X', 'Y', 'num_iterations', 'learning_rate', 'print_cost'],
    returns: '[params {w, b}, grads {dw, db}, costs (one every 100 iterations)]',
    points: 10,
    required: true,
  },
  { name: 'predict', params: ['w', 'b', 'X'], returns: 'Y_prediction (1, m) of 0/1', points: 10, required: true },
  {
    name: 'model',
    params: ['X_train', 'Y_train', 'X_test', 'Y_test', 'num_iterations', 'learning_rate', 'print_cost'],
    returns: 'd {costs, Y_prediction_test, Y_prediction_train, w, b, learning_rate, num_iterations}',
    points: 10,
    required: true,
  },
];

export const assignment: Assignment = {
  id: 'logistic',
  title: 'Logistic Regression with a Neural Network mindset',
  course: 'Course 1, week 2 (W2A2; v3-v6a before 2021)',
  functions: FUNCTIONS_,
  calls: {
    sigmoid: [],
    initialize_with_zeros: [],
    propagate: ['sigmoid'],
    optimize: ['propagate'],
    predict: ['sigmoid'],
    model: ['initialize_with_zeros', 'optimize', 'predict'],
  },
  marks: ['initialize_with_zeros', 'propagate', 'optimize'],
  async probe(engine) {
    try {
      if (!(await engine.functions()).has('sigmoid')) return undefined;
      const s = await engine.call('sigmoid', [NDArray.from([0, 2])]);
      if (s instanceof NDArray && s.shape.join() === '2')
        return { score: 1, why: "sigmoid returns one array (week 2's), not week 4's [A, cache]" };
      return undefined;
    } catch {
      return undefined;
    }
  },
  reference: () => new LogisticReference(),
  suites: () => [
    withNotebookScalars(packSuite(() => loadPacks(PACKS, FUNCTIONS))),
    contractSuite,
    gradcheckSuite,
    propertySuite,
    differentialSuite,
  ],
};
