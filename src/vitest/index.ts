/**
 * `dnn-verify/vitest`: every check of a verification run as a test of the engine author's own vitest suite.
 *
 *   import { describeEngine } from 'dnn-verify/vitest';
 *   describeEngine(new URL('../src/engine.ts', import.meta.url), { seed: 0, runs: 50 });
 *
 * A module path (or file: URL) runs in a worker thread with a per-call timeout (workerEngine): a call that never
 * returns fails its test with the function and the inputs that hung, the worker is restarted and the run goes on.
 * An object of functions runs in vitest's own thread, which nothing can interrupt: it needs `inProcess: true`.
 * See docs/guide/engine-contract.md.
 *
 * Checks are enumerated when vitest collects the file (the engine is asked which functions it defines, and its
 * conventions are detected, as `dnn-verify check` does), grouped by notebook function, one `it` per check id. A
 * failing check fails its test with the check's message, its counterexample and the ways to replay it.
 */
import { afterAll, describe, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { inProcessEngine, type InProcessOptions, type NotebookFunctions } from '../adapters/in-process.ts';
import { missingFunctions, prepareRun, runOne } from '../run/runner.ts';
import { runOptions, type VerifySettings } from '../run/verify.ts';
import { strictOutcome } from '../run/strict.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { workerEngine } from '../adapters/worker/engine.ts';
import type { NotebookFunctionName } from '../engine/notebook-types.ts';
import { chooseAssignment } from '../run/choose.ts';
import { NoAssignmentError } from '../assignments/detect.ts';
import type { Assignment } from '../check/assignment.ts';
import type { Check, CheckContext, CheckResult } from '../check/types.ts';

/** The run's settings (the pipeline's, src/run/verify.ts), and how the engine runs in vitest. */
export interface DescribeEngineOptions
  extends Pick<
      VerifySettings,
      'assignment' | 'seed' | 'runs' | 'realSize' | 'packs' | 'shrink' | 'suites' | 'precision'
    >,
    InProcessOptions {
  /** only checks of these notebook functions (a misspelt name is a type error) */
  functions?: NotebookFunctionName[];
  /**
   * The CLI's --strict (src/run/strict.ts, one definition): a check that passed with a warning fails its test, and
   * so do the checks of a function the engine should define (a required one, or one named in `functions`) and
   * does not. Checks of other functions the engine does not define stay skipped.
   */
  strict?: boolean;
  /**
   * Run an object of functions in vitest's own thread (the opt-out of the worker). Nothing can stop a synchronous
   * endless loop there: pass the module's path instead where you can. Required when `engine` is an object.
   */
  inProcess?: boolean;
  /** how long importing the module in a worker may take, in ms (default 30000) */
  startTimeoutMs?: number;
  /** per-test timeout in ms (default 120000) */
  timeout?: number;
}

/** A failed or errored check, as a test failure: the message, then the counterexample and its replays. */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  constructor(readonly result: CheckResult) {
    super(formatFailure(result));
    this.stack = `${this.name}: ${this.message}`; // the suite's own frames would only hide the counterexample
  }
}

function show(value: unknown, limit = 2000): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > limit ? `${text.slice(0, limit)}... (${text.length} characters)` : text;
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}

/** The text a failing check's test shows. */
export function formatFailure(r: CheckResult): string {
  const lines = [`${r.status} ${r.id}${r.function ? ` (${r.function})` : ''}: ${r.message}`];
  const c = r.counterexample;
  if (c) {
    lines.push(`counterexample: ${c.description}`);
    if (c.inputs !== undefined) lines.push(`  inputs:   ${show(c.inputs)}`);
    if (c.expected !== undefined) lines.push(`  expected: ${show(c.expected)}`);
    if (c.actual !== undefined) lines.push(`  actual:   ${show(c.actual)}`);
  }
  const replay = c?.replay;
  lines.push('replay:');
  if (replay?.fastCheck) lines.push(`  fast-check: ${show(replay.fastCheck)}`);
  if (replay?.js) lines.push('  javascript:', indent(replay.js, '    '));
  if (replay?.python) lines.push('  python:', indent(replay.python, '    '));
  if (replay?.cli) lines.push(`  cli: ${replay.cli}`);
  lines.push(`  vitest: npx vitest -t "${r.id}" (checks are deterministic for describeEngine's seed and runs)`);
  return lines.join('\n');
}

function isEngine(x: Engine | NotebookFunctions): x is Engine {
  return typeof x.call === 'function' && typeof x.functions === 'function';
}

/** The engine describeEngine runs: a module path in a worker, an Engine as given, an object only when opted in. */
export function engineOf(engine: Engine | NotebookFunctions | string | URL, options: DescribeEngineOptions): Engine {
  if (typeof engine === 'string' || engine instanceof URL)
    return workerEngine(engine, {
      name: options.name,
      map: options.map,
      timeoutMs: options.timeoutMs,
      startTimeoutMs: options.startTimeoutMs,
    });
  if (isEngine(engine)) return engine;
  if (!options.inProcess)
    throw new TypeError(
      "describeEngine: pass the engine module's path, describeEngine(new URL('../src/engine.ts', import.meta.url)), " +
        'so that it runs in a worker with a per-call timeout (an endless loop then fails its test and the run goes ' +
        'on); or, to run an object of functions in this thread, where nothing can stop an endless loop, say so: ' +
        'describeEngine(engine, { inProcess: true })',
    );
  return inProcessEngine(engine, options);
}

/**
 * The run's context and its checks, as `dnn-verify check` enumerates them: the engine's functions, its grads-key
 * convention and initialiser variant, then every suite's checks (filtered by `functions`).
 */
export async function engineChecks(
  engine: Engine,
  options: DescribeEngineOptions = {},
): Promise<{ ctx: CheckContext; checks: Check[]; assignment: Assignment; why: string }> {
  // the pipeline's first stage (src/run/runner.ts prepareRun), as `dnn-verify check` runs it: the assignment named
  // in `options.assignment`, or detected (a NoAssignmentError when the engine matches none)
  const { assignment, why } = await chooseAssignment(engine, options.assignment);
  const { ctx, checks } = await prepareRun(engine, assignment.reference(), options.suites ?? assignment.suites(), {
    ...runOptions(options),
    assignment,
    assignmentWhy: why,
  });
  return { ctx, checks: checks.map((c) => c.check), assignment, why };
}

/** The root-cause headlines of a run's failing checks, as `dnn-verify check` prints them at the end. */
export function rootCauseSummary(
  results: CheckResult[],
  detected: Record<string, unknown> = {},
  assignment?: Pick<Assignment, 'functions' | 'calls'>,
): string | undefined {
  const causes = rootCauses({ checks: results, detected }, assignment);
  if (!causes.length) return undefined;
  return [
    `dnn-verify: ${causes.length} root cause${causes.length === 1 ? '' : 's'} of ${results.filter((r) => r.status === 'fail' || r.status === 'error').length} failing checks:`,
    ...causes.map(
      (c, i) =>
        `  ${i + 1}. ${c.headline}${c.because ? `\n     ${c.because}` : ''}${c.counterexample ? `\n     counterexample (${c.from}): ${c.counterexample.description}` : ''}`,
    ),
  ].join('\n');
}

/**
 * Declares one vitest test per check of `engine`: an object of notebook functions (run in this process, see
 * inProcessEngine) or any `Engine` (e.g. `moduleEngine(file)`, `pythonEngine(file)`), closed after the tests.
 */
export function describeEngine(
  engine: Engine | NotebookFunctions | string | URL,
  options: DescribeEngineOptions = {},
): void {
  const target = engineOf(engine, options);
  describe(`dnn-verify: ${target.name}`, async () => {
    const results: CheckResult[] = [];
    afterAll(async () => {
      // the root causes, once, after the per-check failures: what to fix first
      if (!planned) return void (await target.close());
      const summary = rootCauseSummary(
        results,
        { gradsConvention: planned.ctx.gradsConvention ?? 'not detected' },
        planned.assignment,
      );
      if (summary) console.log(summary);
      await target.close();
    });
    let planned: Awaited<ReturnType<typeof engineChecks>> | undefined;
    try {
      planned = await engineChecks(target, options);
    } catch (err) {
      if (!(err instanceof NoAssignmentError)) throw err;
      // an engine of no assignment: one failing test that says what it defines and what was considered
      it('matches an assignment', () => {
        throw err;
      });
      return;
    }
    const { ctx, checks, assignment } = planned;
    const missing = new Set(missingFunctions(ctx.functions, options.functions, {}, assignment).map((m) => m.function));
    if (checks.length === 0) {
      it('has checks to run', () => {
        throw new Error(
          `no check applies: the engine defines ${[...ctx.functions].join(', ') || 'no function'}` +
            (options.functions ? ` and functions is ${options.functions.join(', ')}` : ''),
        );
      });
      return;
    }
    let ran = 0; // checks that ran to a verdict (passed or failed); skips are not evidence
    const byFunction = new Map<string, Check[]>();
    for (const c of checks)
      byFunction.set(c.function || '(run)', [...(byFunction.get(c.function || '(run)') ?? []), c]);
    for (const [fn, group] of byFunction) {
      describe(fn, () => {
        for (const check of group) {
          it(
            check.id,
            async (test) => {
              const r = await runOne(check, ctx);
              results.push(r);
              if (r.status !== 'skip') ran++;
              const outcome = strictOutcome(r, options.strict === true, missing);
              if (outcome.test === 'fail') throw new CheckFailure({ ...r, message: outcome.message });
              if (outcome.test === 'skip') return test.skip(`${r.id}: ${outcome.message}`);
              // a pass with a warning (a deviation the notebook tolerates) is shown on the test
              if (outcome.test === 'warn') await test.annotate(outcome.message, 'warning');
            },
            options.timeout ?? 120_000,
          );
        }
      });
    }
    it('verified something (a run with no evidence never passes)', () => {
      if (ran === 0)
        throw new Error(
          `none of the ${checks.length} checks could run: every one was skipped (${[...byFunction.keys()].join(', ')}); nothing was verified`,
        );
    });
  });
}

export { inProcessEngine, type InProcessOptions, type NotebookFunctions };
export { workerEngine, type WorkerEngineOptions } from '../adapters/worker/engine.ts';
