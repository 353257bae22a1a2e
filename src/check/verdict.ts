/**
 * The one verdict rule and its exit code: a run's summary, warnings, missing functions and evidence in, the verdict
 * out. Runs, merged shards and the baseline gate all use it; it sits with the check contract so that the report
 * writers (src/report) need not import the runner.
 */
import type { CheckResult, RunReport, Verdict } from './types.ts';

export type VerdictInputs = Pick<RunReport, 'summary' | 'warnings' | 'missing' | 'noEvidence' | 'strict'>;

/**
 * The one verdict rule (runs, merged shards and the baseline gate all use it):
 * error when there is no evidence (the engine did not load, defines none of the notebook's functions, or every
 * selected check was skipped); fail when a check failed or errored; incomplete when functions the engine should
 * define are missing; warn when the values are right but a tolerated deviation was seen (fail under --strict);
 * pass otherwise. Skips are never passes.
 */
export function verdictOf(r: VerdictInputs): Verdict {
  const s = r.summary;
  if (r.noEvidence || s.total === s.skip) return 'error';
  if (s.fail + s.error > 0) return 'fail';
  if (r.missing?.length) return 'incomplete';
  if ((s.warn ?? 0) > 0 || r.warnings?.length) return r.strict ? 'fail' : 'warn';
  return 'pass';
}

/** One line saying why a verdict is error, incomplete or a strict fail (undefined for the others). */
export function reasonOf(r: VerdictInputs): string | undefined {
  const v = verdictOf(r);
  if (v === 'error')
    return r.noEvidence ?? `no evidence: all ${r.summary.total} selected checks were skipped (nothing was verified)`;
  if (v === 'incomplete')
    return `${r.missing!.length} function(s) missing, not verified: ${r.missing!.map((m) => m.function).join(', ')} (if the engine implements only a subset, name it with --functions)`;
  if (v === 'fail' && r.summary.fail + r.summary.error === 0)
    return `--strict: ${r.warnings?.length ?? 0} warning(s) count as failures`;
  return undefined;
}

/** Exit code of a verdict: pass and warn 0; fail and incomplete 1; error (no evidence) 2. */
export function exitCodeOf(verdict: Verdict): number {
  return verdict === 'pass' || verdict === 'warn' ? 0 : verdict === 'error' ? 2 : 1;
}

export function count(results: CheckResult[]): RunReport['summary'] & { warn: number } {
  const s = { total: results.length, pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) s[r.status]++;
  return s;
}
