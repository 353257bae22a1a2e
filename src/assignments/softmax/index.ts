/**
 * The Chinese seed's (003) softmax section as an assignment: softmax and its numerically stable form, the
 * cross-entropy of labels and of one-hot targets, and their derivatives. It is not a graded exercise of the course
 * (the seed writes it between the shallow network and the deep one, with no tests and no printed values), so every
 * function carries 0 points; a submission must still define all six (README.md).
 */
import type { Assignment, AssignmentFunction } from '../../check/assignment.ts';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { softmaxSuites } from './suites.ts';

const fn = (name: string, params: string[], returns: string): AssignmentFunction => ({
  name,
  params,
  returns,
  points: 0,
  required: true,
});

export const softmaxAssignment: Assignment = {
  id: 'softmax',
  title: 'SoftMax 多分类 (softmax, its cross-entropy and derivative)',
  course: 'the Chinese seed (003) of Course 1: an ungraded section, not an exercise of the course',
  functions: [
    fn('softmax', ['z'], 'exp(z) / sum(exp(z)), normalised over the whole array (per example: a warning)'),
    fn('stable_softmax', ['z'], 'exp(z - max(z)) / sum(...): the same values, no overflow'),
    fn('cross_entropy', ['Z', 'y'], 'loss (a float): Z (classes, m), y (1, m) integer labels'),
    fn('cross_entropy_one_hot', ['Z', 'Y'], 'loss (a float): Y one-hot (classes, m)'),
    fn('delta_cross_entropy', ['Z', 'y'], 'dZ (classes, m) = (softmax(Z) - onehot(y)) / m'),
    fn('delta_cross_entropy_one_hot', ['Z', 'Y'], 'dZ (classes, m) = (softmax(Z) - Y) / m'),
  ],
  calls: {
    cross_entropy: ['softmax'],
    cross_entropy_one_hot: ['softmax'],
    delta_cross_entropy: ['softmax'],
    delta_cross_entropy_one_hot: ['softmax'],
  },
  marks: [
    'stable_softmax',
    'cross_entropy',
    'cross_entropy_one_hot',
    'delta_cross_entropy',
    'delta_cross_entropy_one_hot',
  ],
  // the reference engine implements the seed's extras (src/engine/reference/extras.ts) under these names
  reference: () => new ReferenceEngine(),
  suites: () => softmaxSuites,
};
