/**
 * The contract of an assignment: one notebook of the course, declared as data. A run verifies an engine against
 * exactly one assignment; its functions, reference, checks, points and diagnoses all come from here, so that the
 * next assignment is a new folder under src/assignments/ (and its packs under fixtures/packs/<id>/).
 *
 * Functions are named per assignment: week 2's `sigmoid(z)` returns one array, week 4's returns [A, cache]; week
 * 3's `compute_cost(A2, Y)` is not week 4's `compute_cost(AL, Y)`. Nothing outside an assignment may assume that a
 * name means the same thing in two of them.
 */
import type { Engine } from '../engine/engine.ts';
import type { CheckSuite } from './types.ts';

/** The registered assignments' ids (src/assignments/index.ts lists them). */
export type AssignmentId = 'logistic' | 'planar' | 'step-by-step' | 'application' | 'softmax';

export interface AssignmentFunction {
  /** the notebook's name, e.g. "propagate" */
  readonly name: string;
  /** parameter names in notebook order, e.g. ["w", "b", "X", "Y"] */
  readonly params: readonly string[];
  /** what it returns, in notebook terms (a tuple is [..]), e.g. "[grads {dw, db}, cost]" */
  readonly returns: string;
  /** the course's points for its graded exercise; 0 for an ungraded helper (e.g. the course's own utilities) */
  readonly points: number;
  /** a submission of this assignment must define it (else the verdict is incomplete) */
  readonly required: boolean;
}

/** Why a file looks like this assignment: higher is stronger; 0 or undefined means "not this one". */
export interface DetectionEvidence {
  readonly score: number;
  /** one sentence, e.g. "defines initialize_with_zeros, propagate and optimize" */
  readonly why: string;
}

export interface Assignment {
  readonly id: AssignmentId;
  /** the notebook's title, e.g. "Logistic Regression with a Neural Network mindset" */
  readonly title: string;
  /** where it sits in the course, e.g. "Course 1, week 2 (W2A2)" */
  readonly course: string;
  /** every function it checks, in notebook order (reports list them in this order) */
  readonly functions: readonly AssignmentFunction[];
  /** which of its functions each one calls in the notebook's own code: a callee's bug shows in its callers */
  readonly calls: Readonly<Record<string, readonly string[]>>;
  /** names only this assignment defines: defining any of them points here (detection's first evidence) */
  readonly marks: readonly string[];
  /**
   * Evidence from how the engine behaves, for files whose names alone are ambiguous (e.g. a file that defines
   * only `sigmoid`): call it and look at the answer. Must not throw; undefined when it has nothing to say.
   */
  probe?(engine: Engine): Promise<DetectionEvidence | undefined>;
  /** the reference engine: the notebook's functions with NumPy semantics, in float64 */
  reference(): Engine;
  /** its check families, in run order */
  suites(): CheckSuite[];
}
