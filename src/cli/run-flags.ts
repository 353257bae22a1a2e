/**
 * The run flags of `verify` and `check` (--seed, --runs, --functions, --strict, ...): their help text and their
 * parsing into the library's VerifySettings (src/run/verify.ts). A report file given with --baseline is read here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../check/types.ts';
import { loadPackArgs } from '../packs/suite.ts';
import { PackError, type Pack } from '../packs/schema.ts';
import type { VerifySettings } from '../run/verify.ts';
import { UsageError } from './errors.ts';
import { ASSIGNMENTS, assignmentById } from '../assignments/index.ts';
import { PRECISIONS, type Precision } from '../check/precision.ts';

export const RUN_OPTIONS = {
  assignment: { type: 'string' },
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
  precision: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const RUN_HELP = `  --assignment NAME  check against this assignment (${ASSIGNMENTS.map((a) => a.id).join(', ')}) instead of the one
                     detected from the functions the file defines and how they behave
  --seed N           master seed; verdicts are deterministic for a seed (default 0)
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
  --precision P      float64 or float32: the rounding the engine is held to (every tolerance is derived
                     from it; docs/guide/precision.md); default: detected from the dtypes it returns
  --verbose          also print every failing check as it happens (the end of the run prints one headline
                     per root cause either way)
`;

/** The run flags parsed: the run's settings (a report folder always: default reports/), and --verbose. */
export interface RunFlags {
  settings: VerifySettings & { seed: number; runs: number; reportDir: string };
  verbose: boolean;
}

export function runFlags(values: Record<string, unknown>): RunFlags {
  const int = (name: string, fallback: number, min: number) => {
    const v = values[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min)
      throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
    return Number(v);
  };
  let shard: VerifySettings['shard'];
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(String(values.shard));
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
      throw new UsageError(`--shard must be i/n with 0 <= i < n, got '${values.shard}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const precision = values.precision;
  if (precision !== undefined && !PRECISIONS.includes(precision as Precision))
    throw new UsageError(`--precision must be float64 or float32, got '${precision}'`);
  return {
    settings: {
      assignment: assignmentFlag(values.assignment),
      precision: precision as Precision | undefined,
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
      packs: Array.isArray(values.pack) ? packArgs(values.pack as string[]) : undefined,
      baseline: typeof values.baseline === 'string' ? readReport(values.baseline) : undefined,
    },
    verbose: values.verbose === true,
  };
}

/** --assignment NAME: a registered id; a usage error listing the ids otherwise. */
export function assignmentFlag(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !assignmentById(value))
    throw new UsageError(
      `--assignment takes one of ${ASSIGNMENTS.map((a) => a.id).join(', ')}, got '${String(value)}'`,
    );
  return value;
}

function packArgs(paths: string[]): Pack[] {
  try {
    return loadPackArgs(paths);
  } catch (err) {
    if (err instanceof PackError) throw new UsageError(`--pack ${err.message}`);
    throw err;
  }
}

/** A report.json given on the command line (--baseline, merge's shards); a usage error when it is not one. */
export function readReport(path: string): RunReport {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`cannot read report ${path}`);
  }
  try {
    const r = JSON.parse(text) as RunReport;
    if (!Array.isArray(r.checks) || !r.summary) throw new Error('no checks');
    return r;
  } catch {
    throw new UsageError(`${path} is not a dnn-verify report.json`);
  }
}
