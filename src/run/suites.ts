/** Week 4's check families, in run order (a run takes its assignment's: assignment.suites()). */
import type { CheckSuite } from '../check/types.ts';
import { stepByStep } from '../assignments/step-by-step/index.ts';

export function allSuites(): CheckSuite[] {
  return stepByStep.suites();
}
