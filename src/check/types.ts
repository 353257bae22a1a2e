/**
 * What a verification run is made of. Every family of checks (fixture packs, gradient checks, properties,
 * differential tests against the reference engine) contributes a `CheckSuite`: a deterministic list of
 * `Check`s, enumerated before any of them runs, so that `--shard i/n` can split the list across CI jobs and
 * `merge` can put the shards' results back into the verdict of an unsharded run.
 *
 * A check never throws: whatever the engine does (exceptions, NaN, wrong shapes, hangs, crashes), it returns a
 * `CheckResult` whose status and message say what happened and to which function.
 */
import type { Assignment } from './assignment.ts';
import type { Engine } from '../engine/engine.ts';
import type { Precision } from './precision.ts';

/**
 * pass: the values are right. warn: the values are right, but the engine deviates from a stricter contract that the
 * notebook's own program tolerates (see warnings.ts). fail: a wrong value, shape, type or side effect that breaks
 * the notebook's program. error: the check could not judge (the engine crashed, hung, ...). skip: not run.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skip';
/** Deviations that the notebook's own program tolerates: reported, never failed (unless --strict). */
export type WarningKind =
  | 'mutates-input'
  | 'relu-subgradient-at-0'
  | 'scalar-type'
  | 'single-layer-network'
  | 'int-bias'
  | 'reads-test-global'
  | 'softmax-per-example';

export interface CheckWarning {
  kind: WarningKind;
  /** the notebook function that deviates */
  function: string;
  /** one plain line: what the engine did */
  message: string;
}
export type CheckKind = 'fixture' | 'gradcheck' | 'property' | 'differential' | 'contract';

export interface Replay {
  /** fast-check's replay parameters */
  fastCheck?: { seed: number; path?: string; numRuns?: number };
  /** a ready-to-run Python/NumPy snippet that rebuilds the inputs and calls the function */
  python?: string;
  /** the same for a JavaScript engine: an ES module snippet that imports the engine and calls the function */
  js?: string;
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
  /** tolerated deviations seen while this check ran (its values were still compared) */
  warnings?: CheckWarning[];
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
  /** the assignment the run checks against (its functions' parameter names name the replays' inputs) */
  assignment?: Pick<Assignment, 'id' | 'functions'>;
  /**
   * the precision the engine is held to (given or detected; default float64): every family's tolerance is derived
   * from its unit roundoff (precision.ts)
   */
  precision?: Precision;
  /** the dtype each function returned its arrays in (detected), for precision-aware messages */
  dtypes?: Record<string, Precision>;
  /** progress/log lines (stderr); checks must not write to stdout themselves */
  log(message: string): void;
  /** opt-in check families, e.g. { realSize: true } for the 246k-parameter gradient check */
  options?: Record<string, unknown>;
  /** records a tolerated deviation against the running check (its status becomes 'warn' if it passes) */
  warn?(w: CheckWarning): void;
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

/**
 * pass; warn (pass with warnings); fail (a check failed or errored, or a warning under --strict); incomplete
 * (functions the engine should define are missing); error (no evidence: the engine did not load, defines none of
 * the notebook's functions, or every selected check was skipped). See verdictOf in runner.ts, the one rule.
 */
export type Verdict = 'pass' | 'warn' | 'fail' | 'incomplete' | 'error';

/** A warning of the run: one per kind and function, with the checks that saw it. */
export interface RunWarning extends CheckWarning {
  /** why the stricter contract matters, although the notebook tolerates the deviation */
  why: string;
  checks: string[];
}

export interface MissingFunction {
  function: string;
  /** e.g. "not defined", or the SyntaxError of its definition */
  reason: string;
}

export interface RunReport {
  verdict: Verdict;
  /** one line: why the verdict is 'error' or 'incomplete' (absent otherwise) */
  reason?: string;
  /** the run had no evidence, and why (e.g. "SyntaxError at line 7: %matplotlib inline"); verdict 'error' */
  noEvidence?: string;
  /** --strict: warnings count as failures (the choice for gating an engine's releases) */
  strict?: boolean;
  /** functions the engine should define (the notebook's required ones, or --functions) and does not */
  missing?: MissingFunction[];
  warnings?: RunWarning[];
  engine: string;
  seed: number;
  runs: number;
  shard?: { index: number; count: number };
  startedAt: string;
  durationMs: number;
  summary: { total: number; pass: number; warn?: number; fail: number; error: number; skip: number };
  /** how the engine's processes were contained: "bwrap", "rlimits only" or "none" (absent: in-process engine) */
  sandbox?: string;
  /**
   * what was detected about the engine: functions present, grads convention, ..., and `assignment` (a
   * DetectedAssignment: which assignment the run checked against and why)
   */
  detected: Record<string, unknown>;
  checks: CheckResult[];
  /** one headline per function whose bug is its own, its callers' failures grouped under it (as report.json has) */
  rootCauses?: RootCause[];
  /** the baseline gate's result, when the run was held against a baseline report (src/report/gate.ts) */
  gate?: GateResult;
}

/** A check that got worse against the baseline. */
export interface Regression {
  id: string;
  function: string;
  what: string;
}

/** The baseline gate: it passes when nothing regressed; the rest is listed but does not fail it. */
export interface GateResult {
  passed: boolean;
  regressions: Regression[];
  improvements: string[];
  newChecks: string[];
  stillFailing: string[];
}

/** One bug, named once: the diagnosis of src/diagnose/root-cause.ts. */
export interface RootCause {
  /** the function whose own bug this is */
  function: string;
  /** one plain sentence a student can act on */
  headline: string;
  /** the pattern recognised ('axis', 'factor-m', 'sign', ...), 'differs' or 'message' when none was */
  cause: string;
  /** ids of this function's own failing checks */
  checks: string[];
  /** functions that call this one and fail too, with their failing checks: grouped under this headline */
  callers: { function: string; checks: string[] }[];
  /** "linear_activation_backward and L_model_backward fail because of this", when there are callers */
  because?: string;
  /** the check whose evidence the headline was drawn from */
  evidence: string;
  /**
   * the check whose counterexample and replay follow the headline: a notebook case when one fails, the newest
   * version's (its replay is the notebook's own seeded inputs, short enough to paste), else the headline's check
   */
  from: string;
  counterexample?: Counterexample;
}

/** report.detected.assignment: the assignment a run checked against, and why; id null when the file matched none. */
export interface DetectedAssignment {
  id: string | null;
  title?: string;
  /** one sentence: "defines propagate and optimize", "named with --assignment logistic", or why none matched */
  why: string;
  /** when none matched: the assignments considered */
  considered?: readonly string[];
}
