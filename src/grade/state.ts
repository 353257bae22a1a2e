/**
 * What a class's report dir remembers between runs, so that re-running skips what is unchanged: each
 * submission's `grade.json` (its row, with the SHA-256 of its content and of the options that decide its
 * checks), and the class's `class.json` (settings, shard, every row) that `merge` combines.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { removeReportFile, writeReportFile } from '../io/report-files.ts';
import { checkInputFile } from '../io/input-files.ts';
import { join } from 'node:path';
import type { GradeRow } from './row.ts';
import { PACKAGE_ROOT } from '../paths.ts';
import type { VerifySettings } from '../run/verify.ts';

const PACKAGE = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
  version: string;
};

/** Everything that changes a submission's checks (not its score: points are applied afresh on every run). */
/** A grading run's check settings: the pipeline's (src/run/verify.ts), and the per-submission time limits. */
export interface CheckOptions extends Pick<VerifySettings, 'functions' | 'shrink' | 'assignment'> {
  seed: number;
  runs: number;
  timeoutMs: number;
  budgetMs: number;
  map?: Record<string, string>;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function optionsHash(o: CheckOptions): string {
  return sha256(
    JSON.stringify({
      tool: PACKAGE.version,
      seed: o.seed,
      runs: o.runs,
      functions: o.functions ? [...o.functions].sort() : null,
      timeoutMs: o.timeoutMs,
      budgetMs: o.budgetMs,
      map: o.map ? Object.fromEntries(Object.entries(o.map).sort()) : null,
      shrink: o.shrink === true,
      // only when named: rows stored before assignments existed keep their hash
      ...(o.assignment ? { assignment: o.assignment } : {}),
    }),
  );
}

/** The SHA-256 of a submission file, read in bounded chunks after the input checks (src/io/input-files.ts). */
export function contentHash(file: string): string {
  return checkInputFile(file).sha256;
}

/** The stored row of a submission when its content and options are unchanged and its report is still there. */
export function unchangedRow(dir: string, content: string, options: string): GradeRow | undefined {
  const path = join(dir, 'grade.json');
  if (!existsSync(path)) return undefined;
  try {
    const row = JSON.parse(readFileSync(path, 'utf8')) as GradeRow;
    if (row.contentHash !== content || row.optionsHash !== options) return undefined;
    // an error row without a report is kept too: the same file and options fail the same way
    if (row.verdict !== 'error' && !existsSync(join(dir, 'report.json'))) return undefined;
    // ... but only one the submission decided (a load failure of its own); earlier versions stored every error
    // row, among them a time budget that ran out while a classmate stalled the run
    if (row.verdict === 'error' && !ownLoadFailure(row.reason)) return undefined;
    return row;
  } catch {
    return undefined;
  }
}

/** An error row's reason that is the submission's own load failure, not a timeout, a limit or the run's fault. */
function ownLoadFailure(reason: string | undefined): boolean {
  return (
    reason?.startsWith('the submission did not load: ') === true &&
    !/^the submission did not load: \S+: (timeout|limit)\b|could not start/.test(reason)
  );
}

export function saveRow(dir: string, row: GradeRow): void {
  writeReportFile(dir, 'grade.json', `${JSON.stringify(row, null, 1)}\n`);
}

/** Forgets a submission's stored row: its next run checks it again (a row that is not the submission's doing). */
export function forgetRow(dir: string): void {
  removeReportFile(dir, 'grade.json');
}

export interface ClassState {
  format: 'dnn-verify-class/1';
  tool: string;
  optionsHash: string;
  options: CheckOptions;
  shard?: { index: number; count: number };
  /** submissions named on the command line before sharding */
  total: number;
  rows: GradeRow[];
}

export function classState(
  options: CheckOptions,
  shard: ClassState['shard'],
  total: number,
  rows: GradeRow[],
): ClassState {
  return {
    format: 'dnn-verify-class/1',
    tool: PACKAGE.version,
    optionsHash: optionsHash(options),
    options,
    shard,
    total,
    rows,
  };
}

/** A stable shard for an id (FNV-1a): adding a student moves nobody else to another shard. */
export function shardOf(id: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % count;
}
