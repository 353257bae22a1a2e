/**
 * `dnn-verify/vitest`: every check of a verification run as a test of the engine author's own vitest suite.
 *
 *   import { describeEngine } from 'dnn-verify/vitest';
 *   import * as engine from '../src/engine.js';
 *   describeEngine(engine, { seed: 0, runs: 50 });
 *
 * Checks are enumerated when vitest collects the file (the engine is asked which functions it defines, and its
 * conventions are detected, as `dnn-verify check` does), grouped by notebook function, one `it` per check id. A
 * failing check fails its test with the check's message, its counterexample and the ways to replay it.
 */
import { afterAll, describe, it } from 'vitest';
import type { Engine } from '../engine/engine.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { inProcessEngine, type InProcessOptions, type NotebookFunctions } from '../adapters/in-process.ts';
import { detectGradsConvention, detectInitVariant, runOne, selectChecks } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import type { Check, CheckContext, CheckResult, CheckSuite } from '../check/types.ts';

export interface DescribeEngineOptions extends InProcessOptions {
  /** master seed: the same checks on the same inputs for a seed (default 0) */
  seed?: number;
  /** scale of the randomised checks (default 100) */
  runs?: number;
  /** only checks of these notebook functions */
  functions?: string[];
  /**
   * A check that could not run (a function the engine does not define, or one it needs) fails its test instead of
   * being reported as skipped; so does a check that passed with a warning, where the run reports warnings.
   */
  strict?: boolean;
  /** add the 246,000-parameter gradient check (about 12 s) */
  realSize?: boolean;
  /** per-test timeout in ms (default 120000) */
  timeout?: number;
  /** the check families (default: every one, as `dnn-verify check` runs them) */
  suites?: CheckSuite[];
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
  if (replay?.python) lines.push('  python:', indent(replay.python, '    '));
  if (replay?.cli) lines.push(`  cli: ${replay.cli}`);
  lines.push(`  vitest: npx vitest -t "${r.id}" (checks are deterministic for describeEngine's seed and runs)`);
  return lines.join('\n');
}

function isEngine(x: Engine | NotebookFunctions): x is Engine {
  return typeof x.call === 'function' && typeof x.functions === 'function';
}

/**
 * The run's context and its checks, as `dnn-verify check` enumerates them: the engine's functions, its grads-key
 * convention and initialiser variant, then every suite's checks (filtered by `functions`).
 */
export async function engineChecks(
  engine: Engine,
  options: DescribeEngineOptions = {},
): Promise<{ ctx: CheckContext; checks: Check[] }> {
  const functions = await engine.functions();
  const ctx: CheckContext = {
    engine,
    reference: new ReferenceEngine(),
    seed: options.seed ?? 0,
    runs: options.runs ?? 100,
    functions,
    gradsConvention: functions.has('L_model_backward') ? await detectGradsConvention(engine) : undefined,
    initVariant: functions.has('initialize_parameters_deep') ? await detectInitVariant(engine) : undefined,
    log: () => {},
    options: { realSize: options.realSize === true },
  };
  const all = (options.suites ?? allSuites()).flatMap((s) => s.checks(ctx));
  return { ctx, checks: selectChecks(all, { functions: options.functions }).map((c) => c.check) };
}

/**
 * Declares one vitest test per check of `engine`: an object of notebook functions (run in this process, see
 * inProcessEngine) or any `Engine` (e.g. `moduleEngine(file)`, `pythonEngine(file)`), closed after the tests.
 */
export function describeEngine(engine: Engine | NotebookFunctions, options: DescribeEngineOptions = {}): void {
  const target = isEngine(engine) ? engine : inProcessEngine(engine, options);
  describe(`dnn-verify: ${target.name}`, async () => {
    afterAll(() => target.close());
    const { ctx, checks } = await engineChecks(target, options);
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
              if (r.status !== 'skip') ran++;
              if (r.status === 'fail' || r.status === 'error') throw new CheckFailure(r);
              if (r.status === 'skip') {
                if (!options.strict) return test.skip(`${r.id}: ${r.message}`);
                throw new CheckFailure({ ...r, message: `not verified (strict): ${r.message}` });
              }
              // any other status is a pass; one with a warning (a deviation the notebook tolerates) fails only
              // under strict, and is shown on the test otherwise
              if ((r.status as string) !== 'pass') {
                if (options.strict) throw new CheckFailure({ ...r, message: `${r.status} (strict): ${r.message}` });
                await test.annotate(`${r.status}: ${r.message}`, 'warning');
              }
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
