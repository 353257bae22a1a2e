/**
 * What a verification run is made of. Every family of checks (fixture packs, gradient checks, properties,
 * differential tests against the reference engine) contributes a `CheckSuite`: a deterministic list of
 * `Check`s, enumerated before any of them runs, so that `--shard i/n` can split the list across CI jobs and
 * `merge` can put the shards' results back into the verdict of an unsharded run.
 *
 * A check never throws: whatever the engine does (exceptions, NaN, wrong shapes, hangs, crashes), it returns a
 * `CheckResult` whose status and message say what happened and to which function.
 */
import type { Engine } from '../engine/engine.ts';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'skip';
export type CheckKind = 'fixture' | 'gradcheck' | 'property' | 'differential' | 'contract';

export interface Replay {
  /** fast-check's replay parameters */
  fastCheck?: { seed: number; path?: string; numRuns?: number };
  /** a ready-to-run Python/NumPy snippet that rebuilds the inputs and calls the function */
  python?: string;
  /** a dnn-verify command line that re-runs just this check */
  cli?: string;
}

export interface Counterexample {
  /** a short human description of the failing case, e.g. "layer_dims [3, 2, 1], m = 4" */
  description: string;
  /** the inputs, JSON-serialisable (arrays as nested lists) */
  inputs?: unknown;
  expected?: unknown;
  actual?: unknown;
  replay?: Replay;
}

export interface CheckResult {
  /** stable and unique within a run, e.g. "fixture/v3/linear_forward#1", "gradcheck/full/[5,4,1]#seed=3" */
  id: string;
  /** the notebook function held responsible (catalogue name); "" when none is */
  function: string;
  kind: CheckKind;
  status: CheckStatus;
  /** one line that explains the outcome; for failures it names what differs */
  message: string;
  durationMs?: number;
  /**
   * error metrics for the regression gate (`--baseline`): larger is worse, e.g.
   * { maxRelError: 3e-16, maxUlp: 2, gradDifference: 1.2e-7 }
   */
  metrics?: Record<string, number>;
  counterexample?: Counterexample;
  /** position in the full, unsharded list of the run's checks (merge restores this order) */
  order?: number;
  /** extra material for the HTML report, e.g. { relErrors: number[] } for histograms, per-layer gradcheck rows */
  details?: Record<string, unknown>;
}

export interface CheckContext {
  engine: Engine;
  /** the reference engine, for differential tests and for regenerating inputs */
  reference: Engine;
  /** master seed of the run: verdicts are deterministic for a given seed */
  seed: number;
  /** scale of randomised checks (fast-check numRuns and the like) */
  runs: number;
  /** functions the engine defines (as detected), after --functions filtering */
  functions: ReadonlySet<string>;
  /** grads-key convention detected for L_model_backward: 'dA{l}' (old) or 'dA{l-1}' (new) */
  gradsConvention?: 'dA{l}' | 'dA{l-1}';
  /** which notebook's initialize_parameters_deep the engine implements, when detected */
  initVariant?: 'step-by-step' | 'application';
  /** progress/log lines (stderr); checks must not write to stdout themselves */
  log(message: string): void;
  /** opt-in check families, e.g. { realSize: true } for the 246k-parameter gradient check */
  options?: Record<string, unknown>;
}

export interface Check {
  id: string;
  function: string;
  kind: CheckKind;
  run(ctx: CheckContext): Promise<CheckResult>;
}

export interface CheckSuite {
  name: string;
  /** Deterministic for a given context (seed, runs, functions): the same ids in the same order. */
  checks(ctx: CheckContext): Check[];
}

export interface RunReport {
  verdict: 'pass' | 'fail';
  engine: string;
  seed: number;
  runs: number;
  shard?: { index: number; count: number };
  startedAt: string;
  durationMs: number;
  summary: { total: number; pass: number; fail: number; error: number; skip: number };
  /** how the engine's processes were contained: "bwrap", "rlimits only" or "none" (absent: in-process engine) */
  sandbox?: string;
  /** what was detected about the engine: functions present, grads convention, ... */
  detected: Record<string, unknown>;
  checks: CheckResult[];
}
