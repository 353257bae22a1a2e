/**
 * `dnn-verify [verify]`: the main job. Verifies the built-in reference engine with every check family and
 * writes the reports.
 */
import { join } from 'node:path';
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { runSuites } from '../../run/runner.ts';
import { allSuites } from '../../run/suites.ts';
import { writeReports } from '../../report/index.ts';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_FAILURES, EXIT_OK } from '../errors.ts';
import type { Engine } from '../../engine/engine.ts';
import { describeGate, gate } from '../../report/gate.ts';
import { readReport } from './merge.ts';

export const RUN_OPTIONS = {
  seed: { type: 'string' },
  runs: { type: 'string' },
  functions: { type: 'string' },
  'report-dir': { type: 'string' },
  shard: { type: 'string' },
  'real-size': { type: 'boolean' },
  baseline: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const RUN_HELP = `  --seed N           master seed; verdicts are deterministic for a seed (default 0)
  --runs N           scale of randomised checks (default 100)
  --functions a,b    only checks of these notebook functions
  --report-dir DIR   where report.json, junit.xml, summary.md, report.html go (default reports/)
  --shard i/n        run the i-th of n deterministic slices of the checks (0 <= i < n)
  --baseline FILE    fail only on regressions against this earlier report.json (a check that passed now
                     fails, or an error metric grew more than 10x)
  --real-size        add the per-parameter gradient check of the Application's network
                     ([12288, 20, 7, 5, 1], m = 209, about 246,000 parameters; ~15 s)
`;

export interface RunSettings {
  seed: number;
  runs: number;
  functions?: string[];
  reportDir: string;
  shard?: { index: number; count: number };
  realSize: boolean;
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
  };
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
  const reference = new ReferenceEngine();
  const tty = Boolean(process.stderr.isTTY) && !process.env.CI;
  let report: Awaited<ReturnType<typeof runSuites>>;
  try {
    report = await runSuites(engine, reference, allSuites(), {
      seed: settings.seed,
      runs: settings.runs,
      functions: settings.functions,
      shard: settings.shard,
      options: { realSize: settings.realSize },
      tty,
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await engine.close();
  }
  // next to the verdict, where a reader of report.json looks first
  if (sandbox) report = { ...({ verdict: report.verdict, engine: report.engine, sandbox } as const), ...report };
  const files = writeReports(report, settings.reportDir);
  const s = report.summary;
  process.stdout.write(
    `dnn-verify: ${report.verdict.toUpperCase()} ${report.engine}: ${s.pass} passed, ${s.fail} failed, ${s.error} errors, ${s.skip} skipped in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  process.stdout.write(
    `detected: ${JSON.stringify({ gradsConvention: report.detected.gradsConvention, initVariant: report.detected.initVariant })}\n`,
  );
  if (sandbox) process.stdout.write(`sandbox: ${sandbox}\n`);
  process.stdout.write(`reports: ${files.join(', ')}\n`);
  if (baseline) {
    const g = gate(report, readReport(baseline));
    process.stdout.write(`${describeGate(g)}\n`);
    return g.passed ? EXIT_OK : EXIT_FAILURES;
  }
  return report.verdict === 'pass' ? EXIT_OK : EXIT_FAILURES;
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
