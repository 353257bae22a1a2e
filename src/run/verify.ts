/**
 * The one run pipeline, which every front end calls (the CLI's verify and check, grade, the library's verifyEngine;
 * describeEngine shares its first stage): start the engine (ask its functions), detect and enumerate (prepareRun),
 * run the checks (runPlan), close the engine, stamp the sandbox label, apply the baseline gate, write the reports.
 * `exitCode` maps the report to the CLI's exit code.
 */
import type { Engine } from '../engine/engine.ts';
import type { CheckSuite, RunReport } from '../check/types.ts';
import type { Pack } from '../packs/schema.ts';
import { exitCodeOf } from '../check/verdict.ts';
import { firstError } from '../engine/first-error.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { gate } from '../report/gate.ts';
import { writeReports } from '../report/index.ts';
import { prepareReportDir, REPORT_FILES } from '../io/report-files.ts';
import { loadFailure, loadModeDetected, prepareRun, runPlan, type RunOptions } from './runner.ts';
import { chooseAssignment } from './choose.ts';
import { NoAssignmentError } from '../assignments/detect.ts';
import type { Assignment } from '../assignments/index.ts';
import type { Precision } from '../check/precision.ts';

/** Everything that describes one run, whichever front end starts it. */
export interface VerifySettings {
  /** the assignment's id (src/assignments/index.ts); default: detected from the engine's functions and behaviour */
  assignment?: string;
  /** master seed: verdicts are deterministic for a seed (default 0) */
  seed?: number;
  /** scale of the randomised checks (default 100) */
  runs?: number;
  /** only checks of these notebook functions: the subset the engine claims to implement */
  functions?: readonly string[];
  /** run the i-th of n deterministic slices of the checks */
  shard?: { index: number; count: number };
  /** warnings count as failures (src/run/strict.ts) */
  strict?: boolean;
  /** add the 246,000-parameter gradient check (about 12 s) */
  realSize?: boolean;
  /** fixture packs in place of the shipped ones (--pack) */
  packs?: Pack[];
  /** false: report failing properties' first counterexamples unshrunk (grade's profile); default: shrink */
  shrink?: boolean;
  /** the check families (default: the assignment's, assignment.suites()) */
  suites?: CheckSuite[];
  /** write report.json, junit.xml, summary.md and report.html here */
  reportDir?: string;
  /** an earlier report: the run is gated on regressions against it (src/report/gate.ts), recorded in `report.gate` */
  baseline?: RunReport;
  /** how the engine's processes were contained ("bwrap", "rlimits only", "none"), recorded in the report */
  sandbox?: string;
  /** the engine's name in the report (default: engine.name) */
  engineName?: string;
  /** progress and failure lines (default: none) */
  log?: (line: string) => void;
  /** a single updating progress line on stderr instead of plain lines */
  tty?: boolean;
  /** true: the caller owns the engine and closes it; default: verify closes it before any report is written */
  keepOpen?: boolean;
  /** hold the engine to float64 or float32 rounding; default: detected from the dtypes it returns */
  precision?: Precision;
}

/** A run's report, the files written, and the start-up failure of an engine that did not start. */
export interface VerifyOutcome {
  report: RunReport;
  files: string[];
  /** what engine.functions() threw: the run has no evidence (verdict 'error') */
  startError?: unknown;
}

/** The runner's options of these settings (defaults filled in). */
export function runOptions(settings: VerifySettings): RunOptions {
  const options: Record<string, unknown> = { realSize: settings.realSize === true };
  if (settings.packs) options.packs = settings.packs;
  if (settings.shrink !== undefined) options.shrink = settings.shrink;
  return {
    seed: settings.seed ?? 0,
    runs: settings.runs ?? 100,
    functions: settings.functions,
    shard: settings.shard,
    log: settings.log,
    tty: settings.tty,
    options,
    strict: settings.strict,
    precision: settings.precision,
  };
}

/**
 * Why an engine did not start, in one line: its error's first line and the engine's own first error (where it was
 * raised), not its output's last line (Node's version banner).
 */
export function startFailure(err: unknown): string {
  const output = (err as { output?: string })?.output?.trim();
  const first = ((err as Error)?.message ?? String(err)).split('\n')[0];
  const said = firstError(output ?? '');
  return `the engine did not start: ${first}${said && !first.includes(said) ? ` (it said: ${said})` : ''}`;
}

/** The report of a run that never started (the engine did not load): verdict error, with the reason. */
export function noEvidenceReport(
  engine: string,
  settings: VerifySettings,
  reason: string,
  output?: string,
  detected: Record<string, unknown> = {},
): RunReport {
  return {
    verdict: 'error',
    reason,
    noEvidence: reason,
    strict: settings.strict || undefined,
    missing: [],
    warnings: [],
    engine,
    seed: settings.seed ?? 0,
    runs: settings.runs ?? 100,
    shard: settings.shard,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    summary: { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skip: 0 },
    // the engine's whole output kept below the reason (report.json), for the stack the one line leaves out
    detected: { ...detected, loadError: output ? `${reason}\n\n${output}` : reason },
    checks: [],
  };
}

/**
 * The report of an engine that matches no assignment: no evidence (exit 2), with detection's reason, unless loading
 * failed first (a load error or a SyntaxError says more than "defines nothing").
 */
function unmatchedReport(engine: Engine, settings: VerifySettings, err: NoAssignmentError): RunReport {
  const load = engine.loadInfo?.() ?? {};
  const reason = loadFailure(load) ?? err.message;
  return noEvidenceReport(engine.name, settings, reason, undefined, {
    assignment: { id: null, why: err.message, considered: err.considered },
    functions: [...err.defined].sort(),
    ...loadModeDetected(load),
  });
}

/** The pipeline, with what the CLI and grade need beside the report (the files written, a start-up failure). */
export async function verifyRun(engine: Engine, settings: VerifySettings = {}): Promise<VerifyOutcome> {
  // the report folder is created (or checked) before the engine runs: nothing it plants there is written through
  if (settings.reportDir) prepareReportDir(settings.reportDir, REPORT_FILES);
  const options = runOptions(settings);
  const started = new Date();
  let report: RunReport;
  let startError: unknown;
  let assignment: Assignment | undefined;
  try {
    let plan: Awaited<ReturnType<typeof prepareRun>> | undefined;
    let unmatched: RunReport | undefined;
    try {
      await engine.functions();
    } catch (err) {
      startError = err;
    }
    if (startError === undefined) {
      try {
        const chosen = await chooseAssignment(engine, settings.assignment);
        assignment = chosen.assignment;
        plan = await prepareRun(engine, assignment.reference(), settings.suites ?? assignment.suites(), {
          ...options,
          assignment,
          assignmentWhy: chosen.why,
        });
      } catch (err) {
        if (!(err instanceof NoAssignmentError)) throw err;
        unmatched = unmatchedReport(engine, settings, err);
      }
    }
    report = plan
      ? await runPlan(plan, options, started)
      : (unmatched ??
        noEvidenceReport(
          engine.name,
          settings,
          startFailure(startError),
          (startError as { output?: string })?.output?.trim(),
        ));
  } finally {
    // every process of the engine is gone before its reports are written (the sandbox's guarantee)
    if (!settings.keepOpen) await engine.close();
  }
  if (settings.engineName) report = { ...report, engine: settings.engineName };
  // next to the verdict, where a reader of report.json looks first
  if (settings.sandbox)
    report = { ...({ verdict: report.verdict, engine: report.engine, sandbox: settings.sandbox } as const), ...report };
  report.rootCauses = assignment ? rootCauses(report, assignment) : rootCauses(report);
  if (settings.baseline) report.gate = gate(report, settings.baseline);
  const files = settings.reportDir ? writeReports(report, settings.reportDir) : [];
  return { report, files, startError };
}

/**
 * Runs every check family on `engine` and returns the report: an engine that does not start gives the no-evidence
 * report (verdict 'error'); the engine is closed before any report is written (unless `keepOpen`); the sandbox label,
 * strict, the root causes and the baseline gate's result are in the report; the report files are written when
 * `reportDir` is given.
 */
export async function verify(engine: Engine, settings: VerifySettings = {}): Promise<RunReport> {
  return (await verifyRun(engine, settings)).report;
}

/** The exit code of a run: pass and warn 0, fail and incomplete 1, error (no evidence) 2; with a baseline, the gate's. */
export function exitCode(report: RunReport): number {
  if (report.gate) return report.gate.passed ? 0 : report.verdict === 'error' ? 2 : 1;
  return exitCodeOf(report.verdict);
}
