/**
 * Points per notebook function. The default is the course's, declared by each assignment (src/assignments: each
 * function's `points`): for "Building your Deep Neural Network: Step by Step" (W4A1) the nbgrader metadata
 * `"points": 10` on each of the ten exercises' test cells (initialize_parameters ... update_parameters), 100 in
 * all; the helpers (sigmoid, relu and their backwards) come from dnn_utils and are not graded. A submission is
 * scored with its own assignment's. `--points FILE` changes the weights it names ({ "function_name": points }) and keeps the others.
 */
import { readFileSync } from 'node:fs';
import { ASSIGNMENTS, assignmentById, type Assignment } from '../assignments/index.ts';
import { stepByStep } from '../assignments/step-by-step/index.ts';

export type Points = Record<string, number>;

/** Each assignment's points in a class: a row's assignment id in (undefined: none detected), its points out. */
export type ClassPoints = (assignment: string | undefined) => Points;

/** The course's points of an assignment: its graded functions (points > 0), in notebook order. */
export function assignmentPoints(a: Pick<Assignment, 'functions'>): Points {
  return Object.fromEntries(a.functions.filter((f) => f.points > 0).map((f) => [f.name, f.points]));
}

/** Week 4's step by step, which other code still names directly. */
export const COURSE_POINTS: Readonly<Points> = Object.freeze(assignmentPoints(stepByStep));

/**
 * The points a submission of `assignment` (an id; undefined: step by step) is scored with: the assignment's own,
 * with the weights `changes` (--points, a policy file) names for its functions replaced and the others kept; with
 * `functions` (--functions), only those.
 */
export function pointsFor(assignment: string | undefined, changes?: Points, functions?: readonly string[]): Points {
  const a = assignmentById(assignment ?? '') ?? stepByStep;
  const own = new Set(a.functions.map((f) => f.name));
  const base = {
    ...assignmentPoints(a),
    ...Object.fromEntries(Object.entries(changes ?? {}).filter(([f]) => own.has(f))),
  };
  return functions?.length ? Object.fromEntries(Object.entries(base).filter(([f]) => functions.includes(f))) : base;
}

export class PointsError extends Error {
  override name = 'PointsError';
}

/**
 * Reads and validates a points file: an object of function names to finite numbers >= 0, each name a function of
 * `assignment` (an id) or, without one, of some registered assignment.
 */
export function readPoints(path: string, assignment?: string): Points {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new PointsError(`cannot read the points file ${path}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new PointsError(`the points file ${path} is not JSON: ${(err as Error).message}`);
  }
  return parsePoints(value, path, assignment);
}

export function parsePoints(value: unknown, where = 'points', assignment?: string): Points {
  const scope = assignment ? ASSIGNMENTS.filter((a) => a.id === assignment) : ASSIGNMENTS;
  const known = new Set(scope.flatMap((a) => a.functions.map((f) => f.name)));
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PointsError(`${where} must be a JSON object of function name to points, e.g. {"linear_forward": 10}`);
  const out: Points = {};
  for (const [fn, p] of Object.entries(value)) {
    if (!known.has(fn))
      throw new PointsError(
        `${where}: '${fn}' is not a function of ${assignment ? `the ${assignment} assignment` : 'any assignment'} (${scope.map((a) => a.id).join(', ')}: see src/assignments/)`,
      );
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0)
      throw new PointsError(`${where}: the points of '${fn}' must be a number >= 0, got ${JSON.stringify(p)}`);
    out[fn] = p;
  }
  if (Object.keys(out).length === 0) throw new PointsError(`${where} names no function`);
  return out;
}
