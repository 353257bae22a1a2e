/**
 * Grading a class: every submission checked in this one Node process, `jobs` engine processes at a time, each
 * submission's faults contained in its own row; reports per submission (today's four files, Gradescope's
 * results.json, grade.json), then the class's gradebook.csv, class.html and class.json.
 */
import { termLine } from '../text/escape.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASS_FILES, prepareReportDir, REPORT_FILES, ReportDirError, writeReportFile } from '../io/report-files.ts';
import { checkInputFile, InputError } from '../io/input-files.ts';
import { EngineFault } from '../engine/engine.ts';
import { verifyRun } from '../run/verify.ts';
import type { RunReport } from '../check/types.ts';
import type { Submission } from './discover.ts';
import { submissionEngine, withDeadline, type IsolationOptions } from './engines.ts';
import { blamedOf, errorRow, rowFromReport, score, type GradeRow } from './row.ts';
import { pointsFor, type ClassPoints, type Points } from './points.ts';
import { DEFAULT_POLICY, type GradingPolicy } from './policy.ts';
import { othersFlag } from './students.ts';
import { codeOf, duplicateFlags, findDuplicates, fingerprint, normalise, type Fingerprinted } from './similarity.ts';
import { progressName } from './progress.ts';
import { gradescopeResults } from './gradescope.ts';
import { renderHtml } from '../report/html.ts';
import { renderGradebook } from './gradebook.ts';
import { renderClassPage } from './class-page.ts';
import { progress as makeProgress, type Progress } from './progress.ts';
import {
  classState,
  forgetRow,
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
  /** --points / --policy changes: each submission's own assignment's points with these weights replaced */
  points?: Points;
  /** how statuses become points (src/grade/policy.ts); default DEFAULT_POLICY */
  policy?: GradingPolicy;
  force: boolean;
  shard?: { index: number; count: number };
  isolation?: Pick<IsolationOptions, 'sandbox'>;
  /** how the engines were contained ("bwrap", "rlimits only", "none"), recorded in each report.json */
  sandboxLabel?: string;
  visibility?: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
  /** largest submission file read, in bytes (default DEFAULT_INPUT_LIMIT, 20 MiB); larger ones are error rows */
  inputLimitBytes?: number;
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

/**
 * Whether a row may be kept for the next run: only what the submission itself decided. An error that may come
 * from the run (the time budget on a loaded machine, a timeout or a limit while loading, the grader's own failure,
 * an interpreter that could not start) is checked again next time.
 */
function cacheable(row: GradeRow, expired: boolean, loadFault?: unknown): boolean {
  if (expired) return false;
  if (row.verdict !== 'error') return true;
  return (
    loadFault instanceof EngineFault &&
    ['exception', 'protocol', 'crash', 'missing'].includes(loadFault.kind) &&
    !/could not start/.test(loadFault.message)
  );
}

/** Checks one submission and writes its reports; never throws for anything the submission does. */
export async function gradeSubmission(sub: Submission, s: GradeSettings, hashes: { content: string; options: string }) {
  const dir = join(s.reportDir, 'submissions', sub.dirName);
  prepareReportDir(dir);
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
  let loadFault: unknown;
  try {
    // the pipeline closes the engine, every process of it, before its reports are written (the sandbox's guarantee)
    const outcome = await verifyRun(engine, {
      assignment: s.assignment,
      seed: s.seed,
      runs: s.runs,
      functions: s.functions,
      shrink: s.shrink === true,
      reportDir: dir,
      sandbox: s.sandboxLabel,
      engineName: `python:${sub.id}`,
    });
    loadFault = outcome.startError;
    if (loadFault !== undefined)
      row = errorRow(base(), `the submission did not load: ${firstLine(loadFault)}`, rowPoints(s, s.assignment));
    else {
      report = outcome.report;
      const assignment = assignmentIdOf(report);
      row = rowFromReport(report, base(), rowPoints(s, assignment ?? s.assignment), s.policy);
      if (deadline.expired) {
        row.verdict = 'error';
        row.reason = `the submission's time budget (${Math.round(s.budgetMs / 1000)} s) ran out; checks after it errored`;
      }
    }
  } catch (err) {
    await engine.close().catch(() => {});
    row = errorRow(base(), `dnn-verify failed on this submission: ${firstLine(err)}`, rowPoints(s, s.assignment));
  }
  try {
    // report.html again, with each exercise's points and the score (the pipeline wrote it without them)
    if (report)
      writeReportFile(
        dir,
        'report.html',
        renderHtml(report, { points: rowPoints(s, assignmentIdOf(report) ?? s.assignment), earned: row.earned }),
      );
    writeReportFile(
      dir,
      'results.json',
      `${JSON.stringify(gradescopeResults(row, report, rowPoints(s, row.assignment), s.visibility), null, 1)}\n`,
    );
    if (cacheable(row, deadline.expired, loadFault)) saveRow(dir, row);
    else forgetRow(dir);
  } catch (err) {
    // a link appeared in the folder, checked before the engine started: refused, and this row only says so
    if (!(err instanceof ReportDirError)) throw err;
    row = {
      ...errorRow(base(), `the reports were not written: ${err.message}`, rowPoints(s, row.assignment)),
      assignment: row.assignment,
    };
  }
  return { row, report };
}

/** The row of a file that was not read (not a regular file, too large, a link out of the class folder, ...). */
function inputErrorRow(sub: Submission, reason: string, s: GradeSettings, options: string): GradeRow {
  const dir = join(s.reportDir, 'submissions', sub.dirName);
  const row = errorRow(
    { id: sub.id, dir: `submissions/${sub.dirName}`, durationMs: 0, contentHash: '', optionsHash: options },
    `the file was not graded: ${reason}`,
    rowPoints(s, s.assignment),
  );
  writeReportFile(
    dir,
    'results.json',
    `${JSON.stringify(gradescopeResults(row, undefined, rowPoints(s, s.assignment), s.visibility), null, 1)}\n`,
  );
  forgetRow(dir);
  return row;
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
export function rescore(row: GradeRow, points: Points, policy: GradingPolicy = DEFAULT_POLICY): GradeRow {
  return { ...row, ...score(row.functions, points, policy, row.blamed) };
}

/**
 * The rows with what only the whole class shows, for the TA (scores unchanged): each row's student and flags (the
 * student's other files; byte-identical and near-identical classmates, src/grade/similarity.ts). `read` gives a
 * graded file's bytes (undefined for a file that was not read).
 */
export function annotateClass(
  rows: GradeRow[],
  subs: Submission[],
  read: (i: number) => { text: string; sha256: string } | undefined,
): GradeRow[] {
  const items: Fingerprinted[] = [];
  for (const [i, sub] of subs.entries()) {
    const got = read(i);
    if (!got) continue;
    const code = codeOf(got.text, /\.ipynb$/i.test(sub.id));
    items.push({
      id: sub.id,
      sha256: got.sha256,
      windows: code === undefined ? undefined : fingerprint(normalise(code)),
    });
  }
  const names = new Map(subs.map((s, i) => [s.id, rows[i]?.student ?? s.student ?? s.id]));
  const label = (id: string) => (names.get(id) !== id ? `${names.get(id)} (${id})` : id);
  const dup = duplicateFlags(findDuplicates(items), label);
  return rows.map((row, i) => {
    const sub = subs[i];
    const flags = [othersFlag(sub), ...(dup.get(sub.id) ?? [])].filter((f): f is string => f !== undefined);
    const { flags: _old, ...rest } = row;
    return { ...rest, student: sub.student ?? sub.id, ...(flags.length ? { flags } : {}) };
  });
}

/** The assignment a report was checked against (report.detected.assignment), or undefined. */
export function assignmentIdOf(report: RunReport | undefined): string | undefined {
  const id = (report?.detected?.assignment as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** The points of a row of `assignment`: --points, else the assignment's own; only --functions' with it. */
export function rowPoints(s: Pick<GradeSettings, 'points' | 'functions'>, assignment: string | undefined): Points {
  return pointsFor(assignment, s.points, s.functions);
}

export function selectShard(subs: Submission[], shard?: { index: number; count: number }): Submission[] {
  return shard ? subs.filter((s) => shardOf(s.id, shard.count) === shard.index) : subs;
}

export async function gradeClass(all: Submission[], s: GradeSettings): Promise<GradeOutcome> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const children0 = childrenCpuMs();
  const write = s.write ?? ((x: string) => process.stderr.write(x));
  const mine = selectShard(all, s.shard);
  // every report folder is created (or checked) before any engine starts: an engine cannot plant links there
  prepareReportDir(s.reportDir, CLASS_FILES);
  prepareReportDir(join(s.reportDir, 'submissions'));
  for (const sub of mine) prepareReportDir(join(s.reportDir, 'submissions', sub.dirName), REPORT_FILES);
  const opts = optionsHash(s);
  const rows: GradeRow[] = new Array(mine.length);
  const todo: { sub: Submission; index: number; content: string }[] = [];
  /** files that were not read: an error row each */
  const refused: GradeRow[] = [];
  /** the files that passed the checks, for the duplicate search */
  const graded = new Map<number, { file: string; sha256: string }>();
  for (const [index, sub] of mine.entries()) {
    // each file is checked before it is read; a bad one costs its own row only
    let content: string;
    let file: string;
    try {
      if (sub.problem !== undefined) throw new InputError(sub.problem);
      const checked = checkInputFile(sub.file, {
        folder: sub.folder,
        maxBytes: s.inputLimitBytes,
        optionName: '--input-limit',
        name: sub.id,
      });
      content = checked.sha256;
      file = checked.path;
      graded.set(index, { file, sha256: content });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      rows[index] = inputErrorRow(sub, err.message, s, opts);
      refused.push(rows[index]);
      continue;
    }
    const kept = s.force ? undefined : unchangedRow(join(s.reportDir, 'submissions', sub.dirName), content, opts);
    if (kept) {
      // points may have changed since: the Gradescope file follows the current ones
      const report = readReportIfAny(join(s.reportDir, kept.dir, 'report.json'));
      // a row stored before rows named their callers' blame gets it from its report
      const blamed = kept.blamed ?? (report && kept.verdict !== 'error' ? blamedOf(report) : undefined);
      rows[index] = rescore(
        blamed && Object.keys(blamed).length ? { ...kept, blamed } : kept,
        rowPoints(s, kept.assignment ?? s.assignment),
        s.policy,
      );
      writeReportFile(
        join(s.reportDir, kept.dir),
        'results.json',
        `${JSON.stringify(gradescopeResults(rows[index], report, rowPoints(s, kept.assignment ?? s.assignment), s.visibility), null, 1)}\n`,
      );
    } else todo.push({ sub: { ...sub, file }, index, content });
  }
  for (const r of refused) write(`dnn-verify: ${termLine(`${r.id}: ${r.reason}`)}\n`);
  const bar: Progress = makeProgress(todo.length, {
    tty: s.tty ?? false,
    jobs: s.jobs,
    write,
    skipped: mine.length - todo.length - refused.length,
  });
  if (mine.length - todo.length - refused.length > 0 && !s.tty)
    write(
      `${mine.length - todo.length - refused.length} submissions unchanged since the last run, not re-checked (--force redoes them)\n`,
    );
  await pool(todo, s.jobs, async ({ sub, index, content }) => {
    const { row } = await gradeSubmission(sub, s, { content, options: opts });
    rows[index] = row;
    bar.done(
      progressName(sub.id, sub.student),
      `${row.verdict.toUpperCase()} ${row.score}/${row.maxScore}`,
      row.durationMs,
    );
  });
  bar.finish();
  const annotated = annotateClass(rows, mine, (i) => {
    const g = graded.get(i);
    if (!g) return undefined;
    try {
      return { text: readFileSync(g.file, 'utf8'), sha256: g.sha256 };
    } catch {
      return undefined;
    }
  });
  rows.splice(0, rows.length, ...annotated);
  const wallMs = performance.now() - t0;
  const files = writeClassFiles(
    s.reportDir,
    classState(s, s.shard, all.length, rows),
    classPoints(s),
    { jobs: s.jobs, wallMs },
    s.policy,
  );
  const node = process.cpuUsage(cpu0);
  const children1 = childrenCpuMs();
  return {
    rows,
    graded: todo.length,
    skipped: mine.length - todo.length - refused.length,
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

export function classPoints(s: Pick<GradeSettings, 'points' | 'functions' | 'assignment'>): ClassPoints {
  return (assignment) => rowPoints(s, assignment ?? s.assignment);
}

/**
 * The class's files: gradebook.csv, class.html and class.json. A row of no assignment (the file did not load) is
 * scored as the class's most common assignment is, so that its maximum is the class's.
 */
export function writeClassFiles(
  dir: string,
  state: ClassState,
  points: Points | ClassPoints,
  meta: { jobs?: number; wallMs?: number; title?: string },
  policy: GradingPolicy = DEFAULT_POLICY,
): string[] {
  prepareReportDir(dir);
  const pointsOf: ClassPoints = typeof points === 'function' ? points : () => points;
  // an assignment worth no points (softmax) is no way out of the class's: such a row, like one of no assignment,
  // is scored against the class's most common graded assignment, so its maximum is the class's
  const graded = (a: string | undefined) => a !== undefined && Object.values(pointsOf(a)).some((p) => p > 0);
  const common = mostCommon(state.rows.map((r) => r.assignment).filter(graded) as string[]);
  const rows = [...state.rows]
    .map((r) => {
      if (graded(r.assignment) || common === undefined) return r;
      const rescored = rescore(r, pointsOf(common), policy);
      if (r.assignment === undefined) return rescored;
      const flag = `detected as ${r.assignment}, which carries no points: scored against ${common}`;
      return { ...rescored, flags: [...(r.flags ?? []), flag] };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const files: [string, string][] = [
    ['gradebook.csv', renderGradebook(rows, pointsOf)],
    [
      'class.html',
      renderClassPage(rows, pointsOf, {
        ...meta,
        policy,
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
  return files.map(([name, text]) => writeReportFile(dir, name, text));
}

function mostCommon(ids: string[]): string | undefined {
  const n = new Map<string, number>();
  for (const id of ids) n.set(id, (n.get(id) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1])[0]?.[0];
}
