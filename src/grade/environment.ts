/**
 * The grader's environment, checked once before a class is graded: faults here are the grader's, not the
 * students'. Without this check a python3 that lacks NumPy made every notebook "not load" and every student
 * score 0, and a missing results folder ended in a raw ENOENT.
 *
 * Checked: the interpreter the engines will use (`DNN_VERIFY_PYTHON`, default `python3`) starts; NumPy imports in
 * it, directly and, when a sandbox is used, inside a jail of that sandbox (as the engines will run it: another
 * uid, only the interpreter's own files readable); the folders the run writes to are writable (created if
 * missing). Each fault comes with its reason and its fix.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Sandbox } from '../sandbox/sandbox.ts';

export interface EnvironmentFault {
  /** what is wrong, one sentence */
  reason: string;
  /** what the grader does about it, one sentence */
  fix: string;
}

/** The interpreter the Python adapter runs (src/adapters/index.ts reads the same variable). */
export function enginePython(): string {
  return process.env.DNN_VERIFY_PYTHON ?? 'python3';
}

const NUMPY_PROBE = 'import numpy; print(numpy.__version__)';

function lastLine(s: string): string {
  return (
    s
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .pop() ?? ''
  ).slice(0, 300);
}

function numpyFix(python: string): string {
  return (
    `install NumPy for ${python}: apt-get install python3-numpy or ${python} -m pip install numpy ` +
    '(or point DNN_VERIFY_PYTHON at an interpreter that has it)'
  );
}

/** python3 present and NumPy importable by it (outside any sandbox). */
export function checkPython(python = enginePython()): EnvironmentFault | undefined {
  const r = spawnSync(python, ['-c', NUMPY_PROBE], { encoding: 'utf8', timeout: 120_000 });
  if (r.error)
    return {
      reason: `the engines' interpreter ${python} cannot be started (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`,
      fix: 'install Python 3 (apt-get install python3 python3-numpy), or set DNN_VERIFY_PYTHON to its path',
    };
  if (r.status !== 0) {
    const said = lastLine(r.stderr);
    if (/No module named .?numpy/.test(said) || /numpy/i.test(said))
      return { reason: `NumPy is not importable by ${python} (${said})`, fix: numpyFix(python) };
    return { reason: `${python} fails to run (${said || `exit ${r.status ?? r.signal}`})`, fix: numpyFix(python) };
  }
  return undefined;
}

/** NumPy importable by the interpreter as the sandbox runs it (another uid, only the interpreter's files). */
export function checkPythonInSandbox(sandbox: Sandbox, python = enginePython()): EnvironmentFault | undefined {
  if (sandbox.mode === 'none') return undefined;
  let jail: ReturnType<Sandbox['jail']> | undefined;
  try {
    jail = sandbox.jail({ command: python, args: ['-c', NUMPY_PROBE], read: [], python: true });
    const l = jail.launch();
    const r = spawnSync(l.command, l.args, {
      env: l.env,
      cwd: l.cwd,
      encoding: 'utf8',
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (r.error || r.status !== 0)
      return {
        reason: `NumPy does not import inside the sandbox (${sandbox.label}) with ${python}: ${lastLine(r.stderr ?? '') || r.error?.message || `exit ${r.status ?? r.signal}`}`,
        fix: `${numpyFix(python)}; it must be readable by other users (not only under root's home), or run with --sandbox rlimits`,
      };
    return undefined;
  } catch (err) {
    return {
      reason: `the sandbox cannot start ${python}: ${lastLine((err as Error).message)}`,
      fix: numpyFix(python),
    };
  } finally {
    try {
      jail?.disposeSync();
    } catch {
      /* nothing left to end */
    }
  }
}

/** The folder exists (created if missing) and a file can be written in it. */
export function checkWritable(dir: string, what: string): EnvironmentFault | undefined {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    return {
      reason: `the ${what} ${dir} cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      fix: `create it, writable by the user that runs dnn-verify, or choose another folder`,
    };
  }
  const probe = join(dir, `.dnn-verify-write-test-${process.pid}`);
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    return {
      reason: `the ${what} ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      fix: `make it writable by the user that runs dnn-verify (chmod/chown, or a read-write mount), or choose another folder`,
    };
  }
  return undefined;
}

/** One line: the reason, then the fix. */
export function describeFault(f: EnvironmentFault): string {
  return `the grader's environment is not ready: ${f.reason}. Fix: ${f.fix}.`;
}

/** Error thrown by `checkGradeEnvironment`: the command turns it into exit 2 with its one line. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  constructor(readonly fault: EnvironmentFault) {
    super(describeFault(fault));
  }
}

/**
 * Every check `grade` needs, in order; the first fault found, or undefined. `folders` are the folders the run
 * writes to (the report directory, the folder of --results-json), each with what it is called.
 */
export function gradeEnvironmentFault(options: {
  sandbox?: Sandbox;
  folders: { dir: string; what: string }[];
  python?: string;
}): EnvironmentFault | undefined {
  for (const f of options.folders) {
    const fault = checkWritable(f.dir, f.what);
    if (fault) return fault;
  }
  const python = options.python ?? enginePython();
  return checkPython(python) ?? (options.sandbox ? checkPythonInSandbox(options.sandbox, python) : undefined);
}

/** The grader's environment is not ready (no python3, no NumPy, a folder it cannot write): exit 2, never the student's fault. */
export class GraderEnvironmentError extends Error {
  override name = 'GraderEnvironmentError';
}

/** For `grade`: throws a GraderEnvironmentError (exit 2, one line with the reason and the fix) on the first fault. */
export function assertGradeEnvironment(sandbox: Sandbox, reportDir: string, resultsJson?: string): void {
  const fault = gradeEnvironmentFault({
    sandbox,
    folders: [
      { dir: reportDir, what: 'report folder' },
      ...(resultsJson ? [{ dir: dirname(resolve(resultsJson)), what: 'results folder' }] : []),
    ],
  });
  if (fault) throw new GraderEnvironmentError(describeFault(fault));
}
