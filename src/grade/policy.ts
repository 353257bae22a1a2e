/**
 * The grading policy: how statuses become points. Three decisions, each with the default that `grade` has always
 * applied:
 *
 * - points: the assignment's (points.ts) with the TA's changes merged in: `--points FILE` or the policy's
 *   "points" change the weights they name and keep the others; a name the assignment does not have is an error.
 * - callers: a function that fails while a function it calls fails too (the root causes of src/diagnose) loses its
 *   points ("lose", the default: its own checks ran on the student's callee, so the bug costs every exercise it
 *   reaches) or keeps them ("keep": the bug costs its own exercise only).
 * - warnings: a function whose checks passed with a warning (status "warn": e.g. it mutates its input, or prints)
 *   earns full marks ("free", the default), or loses a share of its points ("cost" = all of them, or a number
 *   between 0 and 1).
 *
 * `--policy FILE` is JSON: {"points": {"linear_forward": 20}, "callers": "keep", "warnings": 0.5}; every key is
 * optional, and the options `--points`, `--callers`, `--warnings` override the file.
 */
import { readFileSync } from 'node:fs';
import { parsePoints, PointsError, type Points } from './points.ts';
import type { FunctionStatus } from './row.ts';

export interface GradingPolicy {
  callers: 'lose' | 'keep';
  /** share of a function's points lost when its status is "warn": 0 (full marks) to 1 */
  warningPenalty: number;
}

export const DEFAULT_POLICY: Readonly<GradingPolicy> = Object.freeze({ callers: 'lose', warningPenalty: 0 });

export class PolicyError extends Error {
  override name = 'PolicyError';
}

/**
 * The assignment's points with `changes` applied: the weights they name replaced, the others kept. `functions`
 * are the assignment's function names (graded or not: a helper may be given points); any other name is an error
 * naming it.
 */
export function mergePoints(
  defaults: Readonly<Points>,
  changes: Readonly<Points>,
  functions: readonly string[],
  where = '--points',
): Points {
  const unknown = Object.keys(changes).filter((f) => !functions.includes(f) && !(f in defaults));
  if (unknown.length)
    throw new PolicyError(
      `${where}: ${unknown.map((f) => `'${f}'`).join(', ')} ${unknown.length === 1 ? 'is not a function' : 'are not functions'} of the assignment (its functions: ${functions.join(', ')})`,
    );
  return { ...defaults, ...changes };
}

/** "free" | "cost" | a number in [0, 1] -> the share of a warned function's points that is lost. */
export function parseWarnings(value: unknown, where = '--warnings'): number {
  if (value === 'free') return 0;
  if (value === 'cost') return 1;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 1) return n;
  throw new PolicyError(`${where} must be free, cost or a share between 0 and 1, got ${JSON.stringify(value)}`);
}

export function parseCallers(value: unknown, where = '--callers'): GradingPolicy['callers'] {
  if (value === 'lose' || value === 'keep') return value;
  throw new PolicyError(`${where} must be lose or keep, got ${JSON.stringify(value)}`);
}

/** A policy file: its policy (defaults for what it leaves out) and its point changes, if it has any. */
export function readPolicy(path: string): { policy: GradingPolicy; points?: Points } {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new PolicyError(
      `the policy file ${path} ${(err as NodeJS.ErrnoException).code ? 'cannot be read' : `is not JSON: ${(err as Error).message}`}`,
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new PolicyError(
      `the policy file ${path} must be a JSON object, e.g. {"callers": "keep", "warnings": "free"}`,
    );
  const o = value as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => !['points', 'callers', 'warnings'].includes(k));
  if (extra.length)
    throw new PolicyError(
      `the policy file ${path}: unknown key ${extra.join(', ')} (known: points, callers, warnings)`,
    );
  let points: Points | undefined;
  try {
    points = o.points === undefined ? undefined : parsePoints(o.points, `${path}: points`);
  } catch (err) {
    if (err instanceof PointsError) throw new PolicyError(err.message);
    throw err;
  }
  return {
    policy: {
      callers: o.callers === undefined ? DEFAULT_POLICY.callers : parseCallers(o.callers, `${path}: callers`),
      warningPenalty:
        o.warnings === undefined ? DEFAULT_POLICY.warningPenalty : parseWarnings(o.warnings, `${path}: warnings`),
    },
    points,
  };
}

/**
 * The points a function earns: all of them for "pass"; for "warn" all but the warning penalty; for a failure that
 * the root causes put on a failing callee (`blamedOn`), all of them under callers "keep"; nothing otherwise.
 */
export function earnedPoints(
  status: FunctionStatus | undefined,
  points: number,
  policy: GradingPolicy = DEFAULT_POLICY,
  blamedOn?: string,
): number {
  if (status === 'pass') return points;
  if (status === 'warn') return points * (1 - policy.warningPenalty);
  if ((status === 'fail' || status === 'error') && blamedOn && policy.callers === 'keep') return points;
  return 0;
}

/** What the class page says about the policy in force. */
export function describePolicy(policy: GradingPolicy): string[] {
  return [
    policy.warningPenalty === 0
      ? '"warn" means the checks passed with a warning: full marks (the policy: warnings cost nothing).'
      : `"warn" means the checks passed with a warning: it costs ${Math.round(policy.warningPenalty * 100)}% of the function's points (the policy).`,
    policy.callers === 'lose'
      ? "A bug costs its own function's points and those of the graded functions that call it and fail because of it (the policy: callers lose)."
      : "A bug costs its own function's points only: a function that fails because a function it calls fails keeps its points (the policy: callers keep).",
  ];
}
