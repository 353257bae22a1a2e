/**
 * One submission's line in the gradebook, derived from its RunReport: the verdict, each notebook function's
 * status, warnings, time, score and the diagnoses the class page ranks (the report's root causes).
 */
import type { RunReport } from '../check/types.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import type { Points } from './points.ts';
import { DEFAULT_POLICY, earnedPoints, type GradingPolicy } from './policy.ts';

export type FunctionStatus = 'pass' | 'warn' | 'fail' | 'error' | 'missing';
export type RowVerdict = 'pass' | 'warn' | 'fail' | 'incomplete' | 'error';

export interface Diagnosis {
  function: string;
  /** one line; the same bug gives the same text in every submission (same seed, same checks) */
  text: string;
}

export interface GradeRow {
  id: string;
  /** the assignment the submission was checked against (report.detected.assignment.id); absent when none was */
  assignment?: string;
  /** report folder, relative to the class's report dir */
  dir: string;
  verdict: RowVerdict;
  /** why, for 'error' and 'incomplete' rows (the engine did not start, nothing ran, ...) */
  reason?: string;
  functions: Record<string, FunctionStatus>;
  warnings: number;
  checks: { pass: number; fail: number; error: number; skip: number; warn: number };
  durationMs: number;
  score: number;
  maxScore: number;
  /** per graded function: the points it earned */
  earned: Record<string, number>;
  diagnoses: Diagnosis[];
  /** failing functions whose failure the root causes put on a failing callee: function -> that callee */
  blamed?: Record<string, string>;
  /** the student (src/grade/students.ts): an LMS folder's or file name's, else the file's id */
  student?: string;
  /** for the TA, never changing the score: the student's other files, byte-identical or near-identical classmates */
  flags?: string[];
  contentHash: string;
  optionsHash: string;
  gradedAt: string;
}

/** A function's status: fail beats error beats warn beats pass; no check that ran means missing. */
export function functionStatuses(report: RunReport): Record<string, FunctionStatus> {
  const out: Record<string, FunctionStatus> = {};
  const rank: Record<FunctionStatus, number> = { missing: 0, pass: 1, warn: 2, error: 3, fail: 4 };
  for (const c of report.checks) {
    if (!c.function) continue;
    const s = c.status === 'skip' ? undefined : c.status;
    const now = out[c.function] ?? 'missing';
    if (s && rank[s] > rank[now]) out[c.function] = s;
    else out[c.function] = now;
  }
  return out;
}

/**
 * One diagnosis per bug: the root causes of src/diagnose (a headline per function whose own bug it is; the callers
 * that fail because of it are not counted again), so that students with the same bug get the same sentence.
 */
export function diagnosesOf(report: RunReport): Diagnosis[] {
  return causesToDiagnoses(report.rootCauses ?? rootCauses(report));
}

function causesToDiagnoses(causes: ReturnType<typeof rootCauses>): Diagnosis[] {
  return causes.map((g) => ({
    function: g.function,
    text: g.headline.length > 240 ? `${g.headline.slice(0, 237)}...` : g.headline,
  }));
}

/**
 * The row's verdict: the report's own, except that a 'pass' with no passing check is no evidence and becomes
 * 'error': a second guard beside the runner's verdictOf, which already says so when every check was skipped, so
 * that no gradebook row is credited without evidence.
 */
export function rowVerdict(report: RunReport): { verdict: RowVerdict; reason?: string } {
  const v = report.verdict;
  const reason = report.reason ?? report.noEvidence;
  const passes = report.checks.filter((c) => c.status === 'pass' || c.status === 'warn').length;
  if (v === 'pass' && passes === 0)
    return { verdict: 'error', reason: 'no check ran: the file defines none of the notebook functions' };
  if (v === 'pass' || v === 'warn' || v === 'fail' || v === 'error' || v === 'incomplete')
    return { verdict: v, reason };
  return { verdict: 'error', reason: `unknown verdict '${v}'` };
}

/** Failing functions whose failure the root causes put on a failing callee: function -> that callee. */
export function blamedOf(report: Pick<RunReport, 'checks' | 'detected'>, causes = rootCauses(report)) {
  const blamed: Record<string, string> = {};
  for (const g of causes) for (const c of g.callers) blamed[c.function] = g.function;
  return blamed;
}

/** The points of each graded function under the policy (src/grade/policy.ts), and their sums. */
export function score(
  functions: Record<string, FunctionStatus>,
  points: Points,
  policy: GradingPolicy = DEFAULT_POLICY,
  blamed: Record<string, string> = {},
) {
  const earned: Record<string, number> = {};
  let total = 0;
  let max = 0;
  for (const [fn, p] of Object.entries(points)) {
    earned[fn] = earnedPoints(functions[fn], p, policy, blamed[fn]);
    total += earned[fn];
    max += p;
  }
  return { score: total, maxScore: max, earned };
}

export function rowFromReport(
  report: RunReport,
  base: Pick<GradeRow, 'id' | 'dir' | 'durationMs' | 'contentHash' | 'optionsHash'>,
  points: Points,
  policy: GradingPolicy = DEFAULT_POLICY,
): GradeRow {
  const functions = functionStatuses(report);
  const causes = rootCauses(report);
  const blamed = blamedOf(report, causes);
  const counts = { pass: 0, fail: 0, error: 0, skip: 0, warn: 0 };
  let checkWarnings = 0;
  for (const c of report.checks) {
    counts[c.status]++;
    checkWarnings += c.warnings?.length ?? 0;
  }
  const runWarnings = report.warnings;
  let { verdict, reason } = rowVerdict(report);
  // a graded exercise that was not checked at all: the run passed, but the submission is not complete
  const unchecked = Object.keys(points).filter((f) => points[f] > 0 && (functions[f] ?? 'missing') === 'missing');
  if ((verdict === 'pass' || verdict === 'warn') && unchecked.length) {
    verdict = 'incomplete';
    reason = `not defined (or not checked): ${unchecked.join(', ')}`;
  }
  const assignment = (report.detected?.assignment as { id?: unknown } | undefined)?.id;
  return {
    ...base,
    ...(typeof assignment === 'string' ? { assignment } : {}),
    verdict,
    reason,
    functions,
    warnings: Array.isArray(runWarnings) ? runWarnings.length : checkWarnings,
    checks: counts,
    ...score(functions, points, policy, blamed),
    diagnoses: causesToDiagnoses(causes),
    ...(Object.keys(blamed).length ? { blamed } : {}),
    gradedAt: new Date().toISOString(),
  };
}

/** The row of a submission that produced no report: it did not start, or it exceeded its time budget. */
export function errorRow(
  base: Pick<GradeRow, 'id' | 'dir' | 'durationMs' | 'contentHash' | 'optionsHash'>,
  reason: string,
  points: Points,
): GradeRow {
  return {
    ...base,
    verdict: 'error',
    reason,
    functions: {},
    warnings: 0,
    checks: { pass: 0, fail: 0, error: 0, skip: 0, warn: 0 },
    ...score({}, points),
    diagnoses: [{ function: '', text: reason }],
    gradedAt: new Date().toISOString(),
  };
}
