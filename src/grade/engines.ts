/**
 * The one place `grade` creates engines. Every submission's engine comes from `submissionEngine`, which takes the
 * isolation options (the sandbox, which carries the limits) next to the per-call timeout, so that the sandbox is
 * plugged in here once, for every submission (src/sandbox/README.md: one sandbox per run, a jail per engine).
 *
 * A function that hung once is not called again by ProcessEngine itself (its fail-fast after a timeout or a limit
 * breach). `withDeadline` adds what bounds a misbehaving submission beyond that:
 * - a function that killed its engine process twice is not called again (each crash costs a restart);
 * - once the submission's time budget is spent, its engine is closed and every further call fails at once.
 * The function keeps the error status it earned by crashing; only the repeated cost is saved.
 */
import { EngineFault, type Dict, type Engine, type Value } from '../engine/engine.ts';
import { pythonEngine } from '../adapters/index.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';

export interface IsolationOptions {
  /** per-call timeout (ms); a call that does not answer is killed and the engine restarted */
  timeoutMs: number;
  /** notebook name -> engine name */
  map?: Record<string, string>;
  /** the run's sandbox (createSandbox): each submission's engine gets a jail of its own, with the limits */
  sandbox?: Sandbox;
}

/** Creates the engine of one submission (.py or .ipynb: the Python adapter). */
export function submissionEngine(file: string, options: IsolationOptions): Engine {
  return pythonEngine(file, {
    timeoutMs: options.timeoutMs,
    map: options.map,
    sandbox: options.sandbox,
  });
}

/**
 * The engine, with calls that fail once `budgetMs` has passed since `start` (or `expire()` was called). Other
 * members (optional ones added by other modules, e.g. notices) pass through unchanged.
 */
export function withDeadline(engine: Engine, budgetMs: number, start = performance.now()) {
  let expired = false;
  let closing: Promise<void> | undefined;
  const crashes = new Map<string, number>();
  const guarded = async (fn: string, call: () => Promise<Value>) => {
    check(fn);
    if ((crashes.get(fn) ?? 0) >= 2)
      throw new EngineFault('crash', fn, 'not called again: it killed the engine process twice earlier in this run');
    try {
      return await call();
    } catch (err) {
      if (err instanceof EngineFault && err.fn === fn && err.kind === 'crash')
        crashes.set(fn, (crashes.get(fn) ?? 0) + 1);
      throw err;
    }
  };
  const check = (fn: string) => {
    if (!expired && performance.now() - start > budgetMs) {
      expired = true;
      closing = engine.close().catch(() => {});
    }
    if (expired)
      throw new EngineFault(
        'timeout',
        fn,
        `the submission's time budget of ${Math.round(budgetMs / 1000)} s is spent; remaining calls were not made`,
      );
  };
  const wrapped = new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop === 'call')
        return (fn: string, args: readonly Value[], kwargs?: Readonly<Dict>) =>
          guarded(fn, () => target.call(fn, args, kwargs));
      if (prop === 'seed' && target.seed)
        return async (seed: number) => {
          check('seed');
          return target.seed!(seed);
        };
      if (prop === 'close')
        return async () => {
          await closing;
          await target.close();
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return {
    engine: wrapped as Engine,
    get expired() {
      return expired;
    },
  };
}
