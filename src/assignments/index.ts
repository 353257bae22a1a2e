/**
 * The registry: every assignment a run can be checked against, one import line each. Detection considers them in
 * this order (it breaks ties), reports list them so.
 */
import type { Assignment, AssignmentId } from '../check/assignment.ts';
import { stepByStep } from './step-by-step/index.ts';
import { application } from './application/index.ts';

export const ASSIGNMENTS: readonly Assignment[] = [stepByStep, application];

/** The assignment of this id, or undefined. */
export function assignmentById(id: string): Assignment | undefined {
  return ASSIGNMENTS.find((a) => a.id === id);
}

export type { Assignment, AssignmentId };
