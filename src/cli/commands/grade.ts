/**
 * `dnn-verify grade SUBMISSIONS... [options]`: check a class of notebooks/modules in one process, `--jobs` engines
 * at a time, and write each submission's reports plus the class's gradebook.csv, class.html and class.json.
 * `grade --merge SHARD_DIR...` makes one gradebook of `--shard i/n` runs. See src/grade/README.md.
 */
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_OK } from '../errors.ts';
import { discoverSubmissions, SubmissionError } from '../../grade/discover.ts';
import { pointsFor, PointsError, readPoints, type Points } from '../../grade/points.ts';
import {
  DEFAULT_POLICY,
  parseCallers,
  parseWarnings,
  PolicyError,
  readPolicy,
  type GradingPolicy,
} from '../../grade/policy.ts';
import { assignmentFlag } from '../run-flags.ts';
import { ASSIGNMENTS } from '../../assignments/index.ts';
import { gradeClass } from '../../grade/index.ts';
import { ClassMergeError, mergeClassDirs } from '../../grade/merge-class.ts';
import { GRADE_RUNS } from '../../grade/profile.ts';
import { createSandbox, SandboxError, type Sandbox } from '../../sandbox/sandbox.ts';
import { SANDBOX_HELP, SANDBOX_OPTIONS, sandboxOptions } from '../sandbox-options.ts';
import { termLine } from '../../text/escape.ts';
import { prepareReportDir, ReportDirError, writeReportFile } from '../../io/report-files.ts';
import { DEFAULT_INPUT_LIMIT } from '../../io/input-files.ts';
import { formatSize, parseSize } from '../../sandbox/limits.ts';
import { assertGradeEnvironment } from '../../grade/environment.ts';
import { gradescopeGrade } from '../gradescope-mode.ts';

const HELP = `usage: dnn-verify grade SUBMISSIONS... [options]
       dnn-verify grade --merge SHARD_DIR... [--report-dir DIR] [--points FILE]

SUBMISSIONS are .ipynb/.py files, folders (searched recursively) or quoted globs ('subs/**/*.ipynb').

  --report-dir DIR   where the class's files go (default grades/): gradebook.csv, class.html, class.json and
                     submissions/<id>/ with report.json, junit.xml, summary.md, report.html, results.json
  --jobs N           engines at a time, each in its own process (default: ${availableParallelism()}, the cores)
  --assignment NAME  grade every submission against this assignment (${ASSIGNMENTS.map((a) => a.id).join(', ')});
                     default: each submission's own, detected from its functions (a mixed folder is graded
                     per assignment: gradebook.csv has an assignment column, class.html a section each)
  --points FILE      JSON {"function": points, ...}: changes the weights it names, keeps the others (default
                     the course's points of each submission's assignment, e.g. 10 per graded exercise of step by
                     step); a function no assignment (or not --assignment) has is an error
  --policy FILE      JSON {"points": {...}, "callers": "lose"|"keep", "warnings": "free"|"cost"|0..1}: see
                     docs/guide/grading.md, "Policy"; the options below override it
  --callers lose|keep  whether a function that fails because a function it calls fails loses its points
                     (default lose: a bug costs every graded exercise it breaks)
  --warnings free|cost|F  what a pass with a warning costs: nothing (default), all, or a share F of its points
  --layout students|files  students (default): a folder of the class is one student, graded once, and LMS
                     names (Canvas, Moodle, Blackboard) group a flat folder; files: one row per file
  --force            re-check every submission (by default unchanged files with unchanged options are skipped)
  --shard i/n        grade the i-th of n slices of the class (by a hash of each id); then grade --merge
  --merge            the positionals are report dirs of --shard runs: write one gradebook of them
  --seed N           master seed (default 0)
  --runs N           scale of the randomised checks (default ${GRADE_RUNS}, the grading profile; check uses 100)
  --functions a,b    only checks of these notebook functions (and only their points)
  --timeout MS       per-call timeout (default 3000)
  --budget S         time budget of one submission, in seconds (default 60): then its remaining calls error
  --map a=b[,c=d]    the engines' names for notebook functions
  --shrink           shrink failing properties' counterexamples, as check does (off by default here: a
                     failing gradient-check property can spend tens of seconds shrinking)
  --visibility V     Gradescope visibility of the tests: visible (default), hidden, after_due_date, after_published
  --results-json F   with one submission: also write its Gradescope results.json to F (e.g.
                     /autograder/results/results.json)
  --input-limit SIZE largest submission file read (default ${formatSize(DEFAULT_INPUT_LIMIT).replace(' ', '')}); a larger one, a FIFO, a
                     device, or a link out of the class folder is not read: it gets an error row of its own
  --gradescope       Gradescope's autograder: grade the one notebook of ROOT/submission, always write
                     ROOT/results/results.json (ROOT: --autograder DIR, $DNN_VERIFY_AUTOGRADER or /autograder)

${SANDBOX_HELP}
Every submission runs in a sandbox of its own (one per engine process: its own uid, scratch directory and limits);
the report directory is out of its reach.

The report folders are created (or checked: a real folder of this user, not writable by others) before any engine
starts, and no report is written through a link.

Exit codes: 0 the gradebook was written (whatever the students' verdicts), 2 usage or environment error.
`;

function intOption(values: Record<string, unknown>, name: string, fallback: number, min: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return Number(v);
}

/**
 * The policy, and the points' changes (--policy FILE's, then --points's): each submission's assignment's own points
 * with these weights replaced (src/grade/points.ts pointsFor); names are checked against --assignment's functions,
 * or any assignment's.
 */
export function policyOf(
  values: Record<string, unknown>,
  assignment?: string,
): { points?: Points; policy: GradingPolicy } {
  try {
    let points: Points | undefined;
    let policy: GradingPolicy = { ...DEFAULT_POLICY };
    if (typeof values.policy === 'string') {
      const file = readPolicy(values.policy);
      policy = file.policy;
      if (file.points) points = { ...file.points };
    }
    if (typeof values.points === 'string') points = { ...points, ...readPoints(values.points, assignment) };
    if (values.callers !== undefined) policy.callers = parseCallers(values.callers);
    if (values.warnings !== undefined) policy.warningPenalty = parseWarnings(values.warnings);
    return { points, policy };
  } catch (err) {
    if (err instanceof PointsError || err instanceof PolicyError) throw new UsageError(err.message);
    throw err;
  }
}

export async function run(argv: string[]): Promise<number> {
  if (argv.some((a) => a === '--gradescope' || a.startsWith('--autograder'))) return gradescopeGrade(argv, run);
  const { values, positionals } = parseOptions(
    argv,
    {
      'report-dir': { type: 'string' },
      assignment: { type: 'string' },
      jobs: { type: 'string' },
      points: { type: 'string' },
      policy: { type: 'string' },
      callers: { type: 'string' },
      warnings: { type: 'string' },
      layout: { type: 'string' },
      force: { type: 'boolean' },
      shard: { type: 'string' },
      merge: { type: 'boolean' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      functions: { type: 'string' },
      timeout: { type: 'string' },
      budget: { type: 'string' },
      map: { type: 'string', multiple: true },
      visibility: { type: 'string' },
      'results-json': { type: 'string' },
      shrink: { type: 'boolean' },
      'input-limit': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...SANDBOX_OPTIONS,
    },
    true,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return EXIT_OK;
  }
  if (positionals.length === 0)
    throw new UsageError('name the submissions to grade: files, folders or globs of .ipynb/.py (see --help)');
  const reportDir = values['report-dir'] ?? join(process.cwd(), 'grades');
  const assignment = assignmentFlag(values.assignment);
  const { points, policy } = policyOf(values, assignment);

  if (values.merge) {
    try {
      prepareDir(reportDir);
      const files = mergeClassDirs(positionals, reportDir, (a) => pointsFor(a ?? assignment, points), policy);
      process.stdout.write(
        `dnn-verify grade --merge: ${positionals.length} shards\nclass: ${termLine(files.join(', '))}\n`,
      );
      return EXIT_OK;
    } catch (err) {
      if (err instanceof ClassMergeError) throw new UsageError(err.message);
      throw err;
    }
  }

  let shard: { index: number; count: number } | undefined;
  if (values.shard !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(values.shard);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
      throw new UsageError(`--shard must be i/n with 0 <= i < n, got '${values.shard}'`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  }
  const map: Record<string, string> = {};
  for (const item of (values.map ?? []).flatMap((m) => m.split(','))) {
    const [k, v] = item.split('=').map((s) => s.trim());
    if (!k || !v) throw new UsageError(`--map takes notebook_name=engine_name, got '${item}'`);
    map[k] = v;
  }
  const visibility = values.visibility ?? 'visible';
  if (!['visible', 'hidden', 'after_due_date', 'after_published'].includes(visibility))
    throw new UsageError(
      `--visibility must be visible, hidden, after_due_date or after_published, got '${visibility}'`,
    );
  let submissions: ReturnType<typeof discoverSubmissions>;
  try {
    const layout = values.layout ?? 'students';
    if (layout !== 'students' && layout !== 'files')
      throw new UsageError(`--layout must be students or files, got '${layout}'`);
    submissions = discoverSubmissions(positionals, { layout });
  } catch (err) {
    if (err instanceof SubmissionError) throw new UsageError(err.message);
    throw err;
  }
  if (values['results-json'] && submissions.length !== 1)
    throw new UsageError(`--results-json takes one submission, ${submissions.length} were given`);
  const inputLimit = values['input-limit'] === undefined ? DEFAULT_INPUT_LIMIT : parseSize(values['input-limit']);
  if (inputLimit === undefined)
    throw new UsageError(`--input-limit takes a size such as 20M or 1G, got '${values['input-limit']}'`);
  // the report folders are ours and checked before any engine starts (gradeClass checks each submission's)
  prepareDir(reportDir);
  if (values['results-json']) prepareDir(dirname(values['results-json']));
  // the engines are single-threaded: N jobs of tiny matrices gain nothing from BLAS threads, and each thread
  // pool costs start-up time and contends for the cores the other jobs use
  process.env.OPENBLAS_NUM_THREADS ??= '1';
  process.env.OMP_NUM_THREADS ??= '1';
  process.env.MKL_NUM_THREADS ??= '1';
  const functions =
    typeof values.functions === 'string'
      ? values.functions
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined;
  // with --functions, only those exercises are graded (the others are not checked, so they cannot score): some
  // assignment in play must give one of them points
  const inPlay = assignment ? [assignment] : ASSIGNMENTS.map((a) => a.id);
  if (functions && inPlay.every((a) => Object.keys(pointsFor(a, points, functions)).length === 0))
    throw new UsageError(`none of --functions ${functions.join(',')} has points (see --points)`);
  let sandbox: Sandbox;
  try {
    sandbox = createSandbox(sandboxOptions(values, [reportDir]));
  } catch (err) {
    if (err instanceof SandboxError) throw new UsageError(err.message);
    throw err;
  }
  process.stderr.write(`dnn-verify: ${sandbox.describe()}\n`);
  assertGradeEnvironment(sandbox, reportDir, values['results-json']);
  const outcome = await gradeClass(submissions, {
    isolation: { sandbox },
    sandboxLabel: sandbox.label,
    reportDir,
    jobs: intOption(values, 'jobs', availableParallelism(), 1),
    points,
    policy,
    assignment,
    force: values.force === true,
    shard,
    seed: intOption(values, 'seed', 0, 0),
    runs: intOption(values, 'runs', GRADE_RUNS, 1),
    functions,
    timeoutMs: intOption(values, 'timeout', 3000, 1),
    budgetMs: intOption(values, 'budget', 60, 1) * 1000,
    map: Object.keys(map).length ? map : undefined,
    visibility: visibility as 'visible',
    shrink: values.shrink === true,
    inputLimitBytes: inputLimit,
    tty: Boolean(process.stderr.isTTY) && !process.env.CI,
  }).catch((err) => {
    if (err instanceof ReportDirError) throw new UsageError(err.message);
    throw err;
  });
  const counts: Record<string, number> = {};
  for (const r of outcome.rows) counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  process.stdout.write(
    `dnn-verify grade: ${outcome.rows.length} submissions (${outcome.graded} checked, ${outcome.skipped} unchanged) in ${(outcome.wallMs / 1000).toFixed(1)} s: ${Object.entries(
      counts,
    )
      .map(([k, v]) => `${v} ${k}`)
      .join(
        ', ',
      )}; CPU: Node ${(outcome.cpu.nodeMs / 1000).toFixed(1)} s${outcome.cpu.enginesMs !== undefined ? `, engines ${(outcome.cpu.enginesMs / 1000).toFixed(1)} s` : ''}\nclass: ${termLine(outcome.files.join(', '))}\n`,
  );
  if (values['results-json']) {
    writeReportFile(
      dirname(values['results-json']),
      basename(values['results-json']),
      readFileSync(join(reportDir, outcome.rows[0].dir, 'results.json')),
    );
  }
  return EXIT_OK;
}

/** A report folder created or checked (src/io/report-files.ts); a folder that is not safe is exit 2. */
function prepareDir(dir: string): void {
  try {
    prepareReportDir(dir);
  } catch (err) {
    if (err instanceof ReportDirError) throw new UsageError(err.message);
    throw err;
  }
}
