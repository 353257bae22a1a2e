/**
 * `dnn-verify [verify]`: the main job. Verifies the built-in reference engine with every check family and
 * writes the reports.
 */
import { join } from 'node:path';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { exitCodeOf, runSuites } from '../../run/runner.ts';
import type { RunReport } from '../../check/types.ts';
import { terminalLines, verdictLabel } from '../../report/verdict.ts';
import { allSuites } from '../../run/suites.ts';
import { writeReports } from '../../report/index.ts';
import { prepareReportDir, REPORT_FILES } from '../../io/report-files.ts';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_FAILURES, EXIT_OK, EXIT_USAGE } from '../errors.ts';
import type { Engine } from '../../engine/engine.ts';
import { describeGate, gate } from '../../report/gate.ts';
import { readReport } from './merge.ts';
import { describeRootCauses } from '../../diagnose/terminal.ts';
import { loadPackArgs } from '../../packs/suite.ts';
import { PackError, type Pack } from '../../packs/schema.ts';
import { termBlock, termLine } from '../../text/escape.ts';

export const RUN_OPTIONS = {
  seed: { type: 'string' },
  runs: { type: 'string' },
  functions: { type: 'string' },
  'report-dir': { type: 'string' },
  shard: { type: 'string' },
  'real-size': { type: 'boolean' },
  baseline: { type: 'string' },
  strict: { type: 'boolean' },
  verbose: { type: 'boolean' },
  pack: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export const RUN_HELP = `  --seed N           master seed; verdicts are deterministic for a seed (default 0)
  --runs N           scale of randomised checks (default 100)
  --functions a,b    only checks of these notebook functions: the subset the engine claims to implement
                     (without it, a required notebook function the engine lacks makes the verdict INCOMPLETE)
  --strict           warnings (tolerated deviations: inputs mutated, relu'(0) = 1, a 0-d array for a float)
                     count as failures; the choice for gating an engine's releases
  --report-dir DIR   where report.json, junit.xml, summary.md, report.html go (default reports/)
  --shard i/n        run the i-th of n deterministic slices of the checks (0 <= i < n)
  --baseline FILE    fail only on regressions against this earlier report.json (a check that passed now
                     fails, or an error metric grew more than 10x)
  --real-size        add the per-parameter gradient check of the Application's network
                     ([12288, 20, 7, 5, 1], m = 209, about 246,000 parameters; ~15 s)
  --pack FILE|DIR    hold the engine against these fixture packs (a pack file, or every .json in a
                     directory; repeatable) in place of the shipped ones (fixtures/packs/README.md)
  --verbose          also print every failing check as it happens (the end of the run prints one headline
                     per root cause either way)
`;

export interface RunSettings {
  seed: number;
  runs: number;
  functions?: string[];
  reportDir: string;
  shard?: { index: number; count: number };
  realSize: boolean;
  strict: boolean;
  verbose: boolean;
  /** packs given with --pack, validated, in place of the shipped ones */
  packs?: Pack[];
}

export function runSettings(values: Record<string, unknown>): RunSettings {
  const int = (name: string, fallback: number, min: number) => {
    const v = values[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
    return Number(v);
  };
  let shard: RunSettings['shard'];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(String(values.shard));
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
      throw new UsageError(`--shard must be i/n with 0 <= i < n, got '${values.shard}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  return {
    seed: int('seed', 0, 0),
    runs: int('runs', 100, 1),
    functions:
      typeof values.functions === 'string'
        ? values.functions
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : undefined,
    reportDir: typeof values['report-dir'] === 'string' ? values['report-dir'] : join(process.cwd(), 'reports'),
    shard,
    realSize: values['real-size'] === true,
    strict: values.strict === true,
    verbose: values.verbose === true,
    packs: Array.isArray(values.pack) ? packArgs(values.pack as string[]) : undefined,
  };
}

function packArgs(paths: string[]): Pack[] {
  try {
    return loadPackArgs(paths);
  } catch (err) {
    if (err instanceof PackError) throw new UsageError(`--pack ${err.message}`);
    throw err;
  }
}

/**
 * Runs every suite on `engine`, writes the reports, applies the baseline gate; returns the exit code.
 * `sandbox` (how the engine's processes were contained) goes into report.json; the engine is closed, and its
 * processes gone, before any report is written.
 */
export async function verifyEngine(
  engine: Engine,
  settings: RunSettings,
  baseline?: string,
  sandbox?: string,
): Promise<number> {
  // the report folder is created (or checked) before the engine runs: nothing it plants there is written through
  prepareReportDir(settings.reportDir, REPORT_FILES);
  const reference = new ReferenceEngine();
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let report: Awaited<ReturnType<typeof runSuites>>;
  try {
    report = await runSuites(engine, reference, allSuites(), {
      seed: settings.seed,
      runs: settings.runs,
      functions: settings.functions,
      shard: settings.shard,
      options: { realSize: settings.realSize, packs: settings.packs },
      strict: settings.strict,
      tty,
      // a failing check's own line only with --verbose: the root causes below say it once per bug. The engine's
      // text in it is escaped, and its later lines prefixed: it never starts a line of the log
      log: (line) => {
        if (settings.verbose || !/^(FAIL|ERROR) /.test(line)) process.stderr.write(`${termBlock(line)}\n`);
      },
    });
  } finally {
    await engine.close();
  }
  // next to the verdict, where a reader of report.json looks first
  if (sandbox) report = { ...({ verdict: report.verdict, engine: report.engine, sandbox } as const), ...report };
  const files = writeReports(report, settings.reportDir);
  const s = report.summary;
  process.stdout.write(
    `dnn-verify: ${verdictLabel(report.verdict)} ${termLine(report.engine)}: ${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  for (const line of terminalLines(report)) process.stdout.write(`${termBlock(line)}\n`);
  process.stdout.write(
    `detected: ${JSON.stringify({ gradsConvention: report.detected.gradsConvention, initVariant: report.detected.initVariant })}\n`,
  );
  process.stdout.write(describeRootCauses(report));
  if (sandbox) process.stdout.write(`sandbox: ${sandbox}\n`);
  process.stdout.write(`reports: ${termLine(files.join(', '))}\n`);
  if (baseline) {
    const g = gate(report, readReport(baseline));
    process.stdout.write(`${describeGate(g)}\n`);
    return g.passed ? EXIT_OK : report.verdict === 'error' ? EXIT_USAGE : EXIT_FAILURES;
  }
  if (report.verdict === 'error') process.stderr.write(`dnn-verify: no evidence: ${termLine(report.reason ?? '')}\n`);
  return exitCodeOf(report.verdict);
}

/** The report of a run that never started (the engine did not load): verdict error, with the reason. */
/** `output`: what the engine wrote (its stack), kept in detected.loadError below the reason. */
export function writeNoEvidenceReport(engine: string, settings: RunSettings, reason: string, output?: string): void {
  const report: RunReport = {
    verdict: 'error',
    reason,
    noEvidence: reason,
    strict: settings.strict || undefined,
    missing: [],
    warnings: [],
    engine,
    seed: settings.seed,
    runs: settings.runs,
    shard: settings.shard,
    startedAt: new Date().toISOString(),
    durationMs: 0,
    summary: { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skip: 0 },
    detected: { loadError: output ? `${reason}\n\n${output}` : reason },
    checks: [],
  };
  writeReports(report, settings.reportDir);
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, RUN_OPTIONS);
  if (values.help) {
    process.stdout.write(
      `usage: dnn-verify [verify] [options]\n\nVerifies the built-in reference engine.\n\n${RUN_HELP}`,
    );
    return EXIT_OK;
  }
  return verifyEngine(
    new ReferenceEngine(),
    runSettings(values),
    typeof values.baseline === 'string' ? values.baseline : undefined,
  );
}
