/**
 * Grading a class: every submission checked in this one Node process, `jobs` engine processes at a time, each
 * submission's faults contained in its own row; reports per submission (today's four files, Gradescope's
 * results.json, grade.json), then the class's gradebook.csv, class.html and class.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { EngineFault } from '../engine/engine.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import { writeReports } from '../report/index.ts';
import type { RunReport } from '../run/check.ts';
import type { Submission } from './discover.ts';
import { submissionEngine, withDeadline, type IsolationOptions } from './engines.ts';
import { errorRow, rowFromReport, score, type GradeRow } from './row.ts';
import type { Points } from './points.ts';
import { gradescopeResults } from './gradescope.ts';
import { renderGradebook } from './gradebook.ts';
import { renderClassPage } from './class-page.ts';
import { progress as makeProgress, type Progress } from './progress.ts';
import {
  classState,
  contentHash,
  optionsHash,
  saveRow,
  shardOf,
  unchangedRow,
  type CheckOptions,
  type ClassState,
} from './state.ts';

export interface GradeSettings extends CheckOptions {
  reportDir: string;
  jobs: number;
  points: Points;
  force: boolean;
  shard?: { index: number; count: number };
  isolation?: Pick<IsolationOptions, 'sandbox'>;
  /** how the engines were contained ("bwrap", "rlimits only", "none"), recorded in each report.json */
  sandboxLabel?: string;
  visibility?: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
  /** progress on stderr: an updating bar (tty) or plain lines */
  tty?: boolean;
  write?: (s: string) => void;
}

export interface GradeOutcome {
  rows: GradeRow[];
  graded: number;
  skipped: number;
  wallMs: number;
  /** CPU time of this Node process, and of the engine processes it waited for (Linux; else undefined) */
  cpu: { nodeMs: number; enginesMs?: number };
  files: string[];
}

/** CPU time of the engine processes that have ended (cutime + cstime of /proc/self/stat), in ms. */
export function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // after "pid (comm) ", field 3 (state) is index 0: cutime and cstime are fields 16 and 17
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

function firstLine(err: unknown): string {
  if (err instanceof EngineFault) {
    // the engine's own last words (e.g. a traceback's final line) say more than "exited with code 1"
    const said = err.output
      ?.trim()
      .split('\n')
      .filter((l) => l.trim())
      .pop();
    const first = err.message.split('\n')[0];
    // a start-up failure already names the engine's first error (ProcessEngine): not twice
    return `${first}${said && !first.includes(said.trim()) ? ` (${said.trim().slice(0, 200)})` : ''}`;
  }
  return (err as Error)?.message?.split('\n')[0] ?? String(err);
}

/** Checks one submission and writes its reports; never throws for anything the submission does. */
export async function gradeSubmission(sub: Submission, s: GradeSettings, hashes: { content: string; options: string }) {
  const dir = join(s.reportDir, 'submissions', sub.dirName);
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const base = () => ({
    id: sub.id,
    dir: `submissions/${sub.dirName}`,
    durationMs: performance.now() - t0,
    contentHash: hashes.content,
    optionsHash: hashes.options,
  });
  const deadline = withDeadline(
    submissionEngine(sub.file, { timeoutMs: s.timeoutMs, map: s.map, ...s.isolation }),
    s.budgetMs,
    t0,
  );
  const engine = deadline.engine;
  let row: GradeRow;
  let report: RunReport | undefined;
  try {
    try {
      await engine.functions();
    } catch (err) {
      row = errorRow(base(), `the submission did not load: ${firstLine(err)}`, s.points);
      return { row, report };
    }
    report = await runSuites(engine, new ReferenceEngine(), allSuites(), {
      seed: s.seed,
      runs: s.runs,
      functions: s.functions,
      options: { shrink: s.shrink === true },
    });
    // every process of the engine is gone before its reports are written (the sandbox's guarantee)
    await engine.close().catch(() => {});
    report = { ...report, engine: `python:${sub.id}`, ...(s.sandboxLabel ? { sandbox: s.sandboxLabel } : {}) };
    writeReports(report, dir);
    row = rowFromReport(report, base(), s.points);
    if (deadline.expired) {
      row.verdict = 'error';
      row.reason = `the submission's time budget (${Math.round(s.budgetMs / 1000)} s) ran out; checks after it errored`;
    }
    return { row, report };
  } catch (err) {
    row = errorRow(base(), `dnn-verify failed on this submission: ${firstLine(err)}`, s.points);
    return { row, report };
  } finally {
    await engine.close().catch(() => {});
    writeFileSync(
      join(dir, 'results.json'),
      `${JSON.stringify(gradescopeResults(row!, report, s.points, s.visibility), null, 1)}\n`,
    );
    saveRow(dir, row!);
  }
}

/** Runs `fn` over `items`, `width` at a time, in order of start. */
export async function pool<T>(items: T[], width: number, fn: (t: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(width, items.length)) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** A stored row with the current points applied (points never require re-checking). */
export function rescore(row: GradeRow, points: Points): GradeRow {
  return { ...row, ...score(row.functions, points) };
}

export function selectShard(subs: Submission[], shard?: { index: number; count: number }): Submission[] {
  return shard ? subs.filter((s) => shardOf(s.id, shard.count) === shard.index) : subs;
}

export async function gradeClass(all: Submission[], s: GradeSettings): Promise<GradeOutcome> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const children0 = childrenCpuMs();
  const write = s.write ?? ((x: string) => process.stderr.write(x));
  mkdirSync(s.reportDir, { recursive: true });
  const mine = selectShard(all, s.shard);
  const opts = optionsHash(s);
  const rows: GradeRow[] = new Array(mine.length);
  const todo: { sub: Submission; index: number; content: string }[] = [];
  for (const [index, sub] of mine.entries()) {
    const content = contentHash(sub.file);
    const kept = s.force ? undefined : unchangedRow(join(s.reportDir, 'submissions', sub.dirName), content, opts);
    if (kept) {
      rows[index] = rescore(kept, s.points);
      // points may have changed since: the Gradescope file follows the current ones
      const report = readReportIfAny(join(s.reportDir, kept.dir, 'report.json'));
      writeFileSync(
        join(s.reportDir, kept.dir, 'results.json'),
        `${JSON.stringify(gradescopeResults(rows[index], report, s.points, s.visibility), null, 1)}\n`,
      );
    } else todo.push({ sub, index, content });
  }
  const bar: Progress = makeProgress(todo.length, {
    tty: s.tty ?? false,
    jobs: s.jobs,
    write,
    skipped: mine.length - todo.length,
  });
  if (mine.length - todo.length > 0 && !s.tty)
    write(
      `${mine.length - todo.length} submissions unchanged since the last run, not re-checked (--force redoes them)\n`,
    );
  await pool(todo, s.jobs, async ({ sub, index, content }) => {
    const { row } = await gradeSubmission(sub, s, { content, options: opts });
    rows[index] = row;
    bar.done(sub.id, `${row.verdict.toUpperCase()} ${row.score}/${row.maxScore}`, row.durationMs);
  });
  bar.finish();
  const wallMs = performance.now() - t0;
  const files = writeClassFiles(s.reportDir, classState(s, s.shard, all.length, rows), s.points, {
    jobs: s.jobs,
    wallMs,
  });
  const node = process.cpuUsage(cpu0);
  const children1 = childrenCpuMs();
  return {
    rows,
    graded: todo.length,
    skipped: mine.length - todo.length,
    wallMs,
    cpu: {
      nodeMs: (node.user + node.system) / 1000,
      enginesMs: children0 !== undefined && children1 !== undefined ? children1 - children0 : undefined,
    },
    files,
  };
}

function readReportIfAny(path: string): RunReport | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunReport;
  } catch {
    return undefined;
  }
}

export function writeClassFiles(
  dir: string,
  state: ClassState,
  points: Points,
  meta: { jobs?: number; wallMs?: number; title?: string },
): string[] {
  mkdirSync(dir, { recursive: true });
  const rows = [...state.rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const files: [string, string][] = [
    ['gradebook.csv', renderGradebook(rows, points)],
    [
      'class.html',
      renderClassPage(rows, points, {
        ...meta,
        seed: state.options.seed,
        runs: state.options.runs,
        generatedAt: new Date().toISOString(),
        title:
          meta.title ??
          `dnn-verify: class of ${rows.length}${state.shard ? ` (shard ${state.shard.index}/${state.shard.count})` : ''}`,
      }),
    ],
    ['class.json', `${JSON.stringify({ ...state, rows }, null, 1)}\n`],
  ];
  return files.map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}
