/**
 * Runs check suites against an engine: enumerate every check first (deterministic for a seed), keep this
 * shard's share, run each with its faults contained, and produce the RunReport that the writers render.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { EngineFault, type Engine } from '../engine/engine.ts';
import { initializeParametersDeep } from '../engine/reference/initialize.ts';
import { RandomState } from '../random/index.ts';
import type { Check, CheckContext, CheckResult, CheckSuite, RunReport } from './check.ts';

export interface RunOptions {
  seed: number;
  runs: number;
  /** only checks of these notebook functions */
  functions?: string[];
  shard?: { index: number; count: number };
  /** progress lines go here (stderr); never stdout */
  log?: (line: string) => void;
  /** a single updating progress line (TTY) instead of plain lines */
  tty?: boolean;
  /** opt-in check families (see CheckContext.options) */
  options?: Record<string, unknown>;
}

/** Which key L_model_backward uses for the gradient w.r.t. the input of layer 1: dA0 (new) or dA1 (old). */
export async function detectGradsConvention(engine: Engine): Promise<'dA{l}' | 'dA{l-1}' | undefined> {
  try {
    const X = NDArray.from([
      [0.5, -0.2],
      [0.1, 0.3],
    ]);
    const parameters = {
      W1: NDArray.from([
        [0.3, -0.4],
        [0.2, 0.1],
      ]),
      b1: NDArray.from([[0.1], [0.2]]),
      W2: NDArray.from([[0.5, -0.3]]),
      b2: NDArray.from([[0.05]]),
    };
    const out = await engine.call('L_model_forward', [X, parameters]);
    if (!Array.isArray(out)) return undefined;
    const grads = await engine.call('L_model_backward', [out[0], NDArray.from([[1, 0]]), out[1]]);
    if (!grads || typeof grads !== 'object' || Array.isArray(grads) || grads instanceof NDArray) return undefined;
    if ('dA0' in grads) return 'dA{l-1}';
    if ('dA2' in grads) return 'dA{l}';
    return undefined;
  } catch {
    return undefined;
  }
}

/** Which initialize_parameters_deep the engine implements: step-by-step (seed 3, *0.01) or Application (seed 1, /sqrt). */
export async function detectInitVariant(engine: Engine): Promise<'step-by-step' | 'application' | undefined> {
  try {
    const out = await engine.call('initialize_parameters_deep', [[3, 2, 1]]);
    const W1 = (out as Record<string, NDArray>)?.W1;
    if (!(W1 instanceof NDArray)) return undefined;
    for (const variant of ['step-by-step', 'application'] as const) {
      const ref = initializeParametersDeep([3, 2, 1], variant, { rng: new RandomState(0) });
      if (ref.W1.data.every((v, i) => Object.is(v, W1.data[i]))) return variant;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

export function selectChecks(
  all: Check[],
  options: Pick<RunOptions, 'functions' | 'shard'>,
): { check: Check; order: number }[] {
  const ids = new Set<string>();
  for (const c of all) {
    if (ids.has(c.id)) throw new Error(`duplicate check id ${c.id}`);
    ids.add(c.id);
  }
  const checks = (options.functions?.length ? all.filter((c) => options.functions!.includes(c.function)) : all).map(
    (check, order) => ({ check, order }),
  );
  if (!options.shard) return checks;
  const { index, count } = options.shard;
  return checks.filter((_, i) => i % count === index);
}

export async function runOne(check: Check, ctx: CheckContext): Promise<CheckResult> {
  const t0 = performance.now();
  try {
    const r = await check.run(ctx);
    return { ...r, durationMs: performance.now() - t0 };
  } catch (err) {
    const fault = err instanceof EngineFault ? err : undefined;
    return {
      id: check.id,
      function: fault?.fn ?? check.function,
      kind: check.kind,
      status: 'error',
      message: fault ? fault.message : `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`,
      durationMs: performance.now() - t0,
    };
  }
}

export async function runSuites(
  engine: Engine,
  reference: Engine,
  suites: CheckSuite[],
  options: RunOptions,
): Promise<RunReport> {
  const started = new Date();
  const log = options.log ?? (() => {});
  const functions = await engine.functions();
  const gradsConvention = functions.has('L_model_backward') ? await detectGradsConvention(engine) : undefined;
  const initVariant = functions.has('initialize_parameters_deep') ? await detectInitVariant(engine) : undefined;
  const ctx: CheckContext = {
    engine,
    reference,
    seed: options.seed,
    runs: options.runs,
    functions,
    gradsConvention,
    initVariant,
    log,
    options: options.options,
  };
  const all = suites.flatMap((s) => s.checks(ctx));
  const checks = selectChecks(all, options);
  const results: CheckResult[] = [];
  for (const [i, { check, order }] of checks.entries()) {
    const r = { ...(await runOne(check, ctx)), order };
    results.push(r);
    const counts = count(results);
    if (options.tty) {
      process.stderr.write(
        `\r\x1b[K[${i + 1}/${checks.length}] pass ${counts.pass} fail ${counts.fail} error ${counts.error} skip ${counts.skip}  ${check.id.slice(0, 60)}`,
      );
    } else if (r.status === 'fail' || r.status === 'error') {
      log(`${r.status.toUpperCase()} ${r.id} (${r.function}): ${r.message}`);
    }
  }
  if (options.tty) process.stderr.write('\n');
  const summary = count(results);
  return {
    verdict: verdictOf(summary),
    engine: engine.name,
    seed: options.seed,
    runs: options.runs,
    shard: options.shard,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    summary,
    detected: {
      functions: [...functions].sort(),
      gradsConvention: gradsConvention ?? 'not detected',
      initVariant: initVariant ?? 'not detected',
      checksEnumerated: all.length,
    },
    checks: results,
  };
}

/** The one verdict rule: a run passes when nothing failed and nothing errored (skips are not passes, nor failures). */
export function verdictOf(summary: RunReport['summary']): RunReport['verdict'] {
  return summary.fail + summary.error === 0 ? 'pass' : 'fail';
}

export function count(results: CheckResult[]): RunReport['summary'] {
  const s = { total: results.length, pass: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) s[r.status]++;
  return s;
}
