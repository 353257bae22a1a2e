/**
 * The assignment a run checks against: the one named (VerifySettings.assignment, --assignment), else the one the
 * engine's functions and behaviour point to (src/assignments/detect.ts).
 */
import type { Engine } from '../engine/engine.ts';
import { ASSIGNMENTS, assignmentById, type Assignment } from '../assignments/index.ts';
import { detectAssignment, type AssignmentScore } from '../assignments/detect.ts';

/** An assignment id that is not registered; the message lists the ids. */
export class UnknownAssignmentError extends Error {
  override name = 'UnknownAssignmentError';
  constructor(readonly id: string) {
    super(`unknown assignment '${id}': the assignments are ${ASSIGNMENTS.map((a) => a.id).join(', ')}`);
  }
}

/** The registered assignment of `id`; UnknownAssignmentError otherwise. */
export function namedAssignment(id: string): Assignment {
  const a = assignmentById(id);
  if (!a) throw new UnknownAssignmentError(id);
  return a;
}

/** The assignment and why; detection's NoAssignmentError when `id` is not given and nothing matches. */
export async function chooseAssignment(
  engine: Engine,
  id: string | undefined,
  assignments: readonly Assignment[] = ASSIGNMENTS,
): Promise<{ assignment: Assignment; why: string; scores?: AssignmentScore[] }> {
  if (id !== undefined) return { assignment: namedAssignment(id), why: `named with --assignment ${id}` };
  return detectAssignment(engine, assignments);
}
