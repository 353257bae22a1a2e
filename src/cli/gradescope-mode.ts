/**
 * `dnn-verify grade --gradescope [--autograder ROOT] [grade options]`: one student's submission in Gradescope's
 * layout (ROOT/submission/ in, ROOT/results/results.json out; ROOT defaults to $DNN_VERIFY_AUTOGRADER or
 * /autograder). Every run leaves a results.json behind:
 *
 * - the student's upload is not one notebook (nothing, only a PDF, two notebooks): score 0 with a message that
 *   says what to upload; exit 0 (the autograder worked);
 * - the grader's fault (no python3, no NumPy, an unwritable folder, a bad option, dnn-verify itself failed): the
 *   score is withheld (no `score` anywhere in the file: Gradescope records none, never a 0), the output tells the
 *   student that the TA must fix the autograder, and stdout/stderr carry the reason and the fix for the TA;
 *   exit 2;
 * - otherwise `grade` itself runs on the one notebook and copies its results.json there.
 *
 * Before anything else a provisional results.json (score withheld, "the autograder stopped before it finished")
 * is written: it proves the results folder writable and stays if the process is killed.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from './errors.ts';
import { GraderEnvironmentError } from '../grade/environment.ts';
import { termLine } from '../text/escape.ts';
import { discoverSubmissions, SubmissionError } from '../grade/discover.ts';
import { pointsFor, readPoints, type Points } from '../grade/points.ts';

export const DEFAULT_AUTOGRADER_ROOT = '/autograder';

/** What a student's upload holds, as far as grading goes. */
export type UploadProblem = { kind: 'none' | 'pdf-only' | 'several'; message: string };

/** Removes `--name VALUE` / `--name=VALUE` from argv; the value, if present. */
function takeOption(argv: string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && i + 1 < argv.length) {
      value = argv[i + 1];
      argv.splice(i, 2);
      i--;
    } else if (argv[i].startsWith(`--${name}=`)) {
      value = argv[i].slice(name.length + 3);
      argv.splice(i, 1);
      i--;
    }
  }
  return value;
}

function peekOption(argv: string[], name: string): string | undefined {
  return takeOption([...argv], name);
}

function listFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === '__MACOSX') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/**
 * The one file to grade in a Gradescope submission folder, or what is wrong with the upload. A single .ipynb is
 * graded (a .py beside it, e.g. an export, is ignored); with no notebook, a single .py module is graded.
 */
export function pickSubmission(dir: string): { file: string } | UploadProblem {
  let found: string[] = [];
  try {
    found = discoverSubmissions([dir], { layout: 'files' }).map((s) => s.file);
  } catch (err) {
    if (!(err instanceof SubmissionError)) throw err;
  }
  const notebooks = found.filter((f) => /\.ipynb$/i.test(f));
  const candidates = notebooks.length > 0 ? notebooks : found;
  const names = (files: string[]) => files.map((f) => relative(dir, f)).join(', ');
  if (candidates.length === 1) return { file: candidates[0] };
  if (candidates.length > 1)
    return {
      kind: 'several',
      message: `Your submission has ${candidates.length} ${notebooks.length ? 'notebooks' : 'Python files'} (${names(candidates)}): upload exactly one notebook (.ipynb) and submit again.`,
    };
  const all = listFiles(dir);
  const pdfs = all.filter((f) => /\.pdf$/i.test(f));
  if (pdfs.length > 0 && pdfs.length === all.length)
    return {
      kind: 'pdf-only',
      message: `Your submission is only a PDF (${names(pdfs)}), which cannot be run: upload your .ipynb notebook (in Jupyter: File > Download as > Notebook) and submit again.`,
    };
  return {
    kind: 'none',
    message: `No notebook found: upload your .ipynb and submit again.${all.length ? ` Your submission holds: ${names(all.slice(0, 10))}${all.length > 10 ? ', ...' : ''}.` : ' Your submission is empty.'}`,
  };
}

export interface Paths {
  root: string;
  submission: string;
  results: string;
  reportDir: string;
}

function write(path: string, value: unknown): void {
  // whole or not at all: Gradescope must never read half a file
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(tmp, path);
}

function testsFor(points: Points, output: string, visibility: string) {
  return Object.entries(points).map(([name, max], i) => ({
    name,
    number: String(i + 1),
    score: 0,
    max_score: max,
    status: 'failed',
    output,
    output_format: 'text',
    name_format: 'text',
    visibility,
  }));
}

/** results.json for an upload that is not one notebook: score 0, and what to upload. */
export function uploadResults(problem: UploadProblem, points: Points, visibility = 'visible') {
  return {
    score: 0,
    output: problem.message,
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: testsFor(points, `Not checked: ${problem.message}`, visibility),
    extra_data: { dnn_verify: { upload: problem.kind } },
  };
}

/**
 * results.json when the grader is at fault: no score at all (Gradescope's spec needs `score` at the top or on
 * every test, so a file with neither gives the submission no autograder score), a message to the student, and
 * the reason for the TA in `extra_data` and on stdout.
 */
export function withheldResults(reason: string) {
  return {
    output:
      'Your submission was not graded: the autograder is misconfigured (this is not a problem with your work). ' +
      'No score was given. Your course staff have been told; you do not need to resubmit.\n\n' +
      `For the course staff: ${reason}`,
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    tests: [],
    extra_data: { dnn_verify: { withheld: true, reason } },
  };
}

export function resolvePaths(argv: string[]): Paths {
  const root = resolve(takeOption(argv, 'autograder') ?? process.env.DNN_VERIFY_AUTOGRADER ?? DEFAULT_AUTOGRADER_ROOT);
  return {
    root,
    submission: join(root, 'submission'),
    results: resolve(takeOption(argv, 'results-json') ?? join(root, 'results', 'results.json')),
    reportDir: resolve(takeOption(argv, 'report-dir') ?? join(root, 'dnn-verify-reports')),
  };
}

/**
 * Runs `grade` (`gradeRun`, the command's own run) in Gradescope mode. `argv` is grade's, with `--gradescope`
 * (and optionally `--autograder ROOT`); any other option passes through to grade.
 */
export async function gradescopeGrade(argv: string[], gradeRun: (argv: string[]) => Promise<number>): Promise<number> {
  const rest = argv.filter((a) => a !== '--gradescope');
  const paths = resolvePaths(rest);
  const say = (s: string) => process.stdout.write(`dnn-verify grade --gradescope: ${termLine(s)}\n`);
  const fail = (s: string) => {
    process.stderr.write(`dnn-verify grade: ${termLine(s)}\n`);
    return 2;
  };
  // 1. the results folder: created if missing; writable, or nothing can tell anyone anything (exit 2)
  try {
    mkdirSync(dirname(paths.results), { recursive: true });
  } catch (err) {
    return fail(
      `cannot create the results folder ${dirname(paths.results)} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): no results.json was written. Fix: make ${dirname(paths.results)} a writable folder`,
    );
  }
  try {
    write(
      paths.results,
      withheldResults('the autograder stopped before it finished (killed, or out of time or memory): see its stdout'),
    );
  } catch (err) {
    return fail(
      `the results folder ${dirname(paths.results)} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): no results.json was written. Fix: make it writable by the user that runs the autograder`,
    );
  }
  const withhold = (reason: string) => {
    write(paths.results, withheldResults(reason));
    say(`score withheld: ${reason}`);
    return fail(reason);
  };
  // 2. the grading options this mode needs to read (points and functions, for the max scores of an empty upload)
  let points: Points;
  try {
    const file = peekOption(rest, 'points');
    // an upload that is not checked is scored against the kit's --assignment (default step by step)
    const assignment = peekOption(rest, 'assignment');
    points = pointsFor(assignment, file ? readPoints(file, assignment) : undefined);
  } catch (err) {
    return withhold((err as Error).message);
  }
  const functions = peekOption(rest, 'functions')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (functions) points = Object.fromEntries(Object.entries(points).filter(([f]) => functions.includes(f)));
  const visibility = peekOption(rest, 'visibility') ?? 'visible';
  // 3. the student's upload (no submission folder at all: the autograder's layout is wrong, not the student)
  if (!existsSync(paths.submission))
    return withhold(
      `there is no submission folder ${paths.submission}. Fix: run in Gradescope's layout, or point --autograder or DNN_VERIFY_AUTOGRADER at the folder that holds submission/`,
    );
  const picked = pickSubmission(paths.submission);
  if (!('file' in picked)) {
    write(paths.results, uploadResults(picked, points, visibility));
    say(`${picked.kind}: ${picked.message}`);
    return 0;
  }
  // 4. grade it (grade checks the environment first: its faults come back as UsageErrors)
  try {
    const code = await gradeRun([
      picked.file,
      '--report-dir',
      paths.reportDir,
      '--results-json',
      paths.results,
      '--force',
      ...rest,
    ]);
    if (code !== 0) return withhold(`dnn-verify grade exited with code ${code}: see the autograder's stdout`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof GraderEnvironmentError)
      return withhold(err.message.replace(/\s*\n\s*/g, ' '));
    const message = (err as Error)?.stack ?? String(err);
    process.stderr.write(`${message}\n`);
    return withhold(`dnn-verify failed: ${(err as Error)?.message?.split('\n')[0] ?? String(err)}`);
  }
}
