/**
 * Runs check suites against an engine: enumerate every check first (deterministic for a seed), keep this
 * shard's share, run each with its faults contained, and produce the RunReport that the writers render.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { EngineFault, type Engine, type LoadInfo } from '../engine/engine.ts';
import { initializeParametersDeep } from '../engine/reference/initialize.ts';
import { RandomState } from '../random/index.ts';
import type { Assignment } from '../check/assignment.ts';
import { stepByStep } from '../assignments/step-by-step/index.ts';
import type {
  Check,
  CheckContext,
  CheckResult,
  CheckSuite,
  CheckWarning,
  MissingFunction,
  RunReport,
} from '../check/types.ts';
import { withReplays } from './replays.ts';
import { inTermsOf } from '../engine/js-terms.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { recordingHangs, withHungCall, type HungCall } from './hung-call.ts';
import { count, reasonOf, verdictOf } from '../check/verdict.ts';
import {
  collectWarnings,
  OutsideNotebook,
  testGlobalWarnings,
  withinNotebookRange,
  withWarnings,
} from '../check/warnings.ts';
import { describePrecision, type Precision, type PrecisionInfo } from '../check/precision.ts';
import { runPrecision } from './precision.ts';

export interface RunOptions {
  seed: number;
  runs: number;
  /** only checks of these notebook functions */
  functions?: readonly string[];
  shard?: { index: number; count: number };
  /** progress lines go here (stderr); never stdout */
  log?: (line: string) => void;
  /** a single updating progress line (TTY) instead of plain lines */
  tty?: boolean;
  /** opt-in check families (see CheckContext.options) */
  options?: Record<string, unknown>;
  /** warnings count as failures (--strict) */
  strict?: boolean;
  /** the assignment the engine is checked against (default: week 4's step by step) */
  assignment?: Assignment;
  /** why it is that one (detection's sentence, or "named by --assignment"), recorded in report.detected */
  assignmentWhy?: string;
  /** the precision to hold the engine to; default: detected from the dtypes it returns (precision.ts) */
  precision?: Precision;
}

/** Which key L_model_backward uses for the gradient w.r.t. the input of layer 1: dA0 (new) or dA1 (old). */
export async function detectGradsConvention(
  engine: Engine,
  reference: Engine = engine,
): Promise<'dA{l}' | 'dA{l-1}' | undefined> {
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
    // the caches of a correct forward: a forward bug (e.g. caches of another shape) must not hide backward's keys
    const out = await reference.call('L_model_forward', [X, parameters]);
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
      // a float32 engine's draws are NumPy's rounded to float32
      const r = W1.dtype === 'float32' ? Math.fround : (x: number) => x;
      if (ref.W1.data.every((v, i) => Object.is(r(v), W1.data[i]))) return variant;
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

/** Runs one check, collecting the warnings it records and the side effects the engine reported meanwhile. */
export async function runOne(check: Check, shared: CheckContext): Promise<CheckResult> {
  const warnings: CheckWarning[] = [];
  const warn = (w: CheckWarning) => warnings.push(w);
  const hung: HungCall[] = [];
  const ctx: CheckContext = {
    ...shared,
    engine: recordingHangs(withinNotebookRange(shared.engine, warn), hung),
    warn,
  };
  shared.engine.takeNotices?.(); // notices of earlier calls (detection) belong to no check
  const noticed = () => {
    for (const n of shared.engine.takeNotices?.() ?? [])
      warnings.push({
        kind: 'mutates-input',
        function: n.fn,
        message: `${n.fn} changes ${n.paths.slice(0, 4).join(', ')}${n.paths.length > 4 ? ', ...' : ''} in place`,
      });
    // what the loader read in the function's source: every check of that function carries it
    warnings.push(...testGlobalWarnings(shared.engine.loadInfo?.(), check.function));
    return warnings;
  };
  // a function's parameter names are its assignment's (week 2's predict(w, b, X) is not week 4's)
  const paramsOf = (fn: string) => shared.assignment?.functions.find((f) => f.name === fn)?.params;
  const t0 = performance.now();
  try {
    // values are named in the engine's language: "a JS array of 3 numbers" for a JavaScript engine
    const r = await inTermsOf(shared.engine, () => check.run(ctx));
    const replayed = withReplays(
      withHungCall({ ...r, durationMs: performance.now() - t0 }, hung[0], paramsOf),
      shared.engine,
      shared.seed,
      shared.runs,
      paramsOf,
    );
    return withWarnings(replayed, noticed());
  } catch (err) {
    const fault = err instanceof EngineFault ? err : undefined;
    noticed();
    if (err instanceof OutsideNotebook)
      return withWarnings(
        {
          id: check.id,
          function: check.function,
          kind: check.kind,
          status: 'skip',
          message: `${err.message} (a single-layer-network warning)`,
          durationMs: performance.now() - t0,
        },
        warnings,
      );
    return withWarnings(
      withHungCall(
        {
          id: check.id,
          function: fault?.fn ?? check.function,
          kind: check.kind,
          status: 'error',
          message: fault
            ? fault.message
            : `${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`,
          durationMs: performance.now() - t0,
        },
        hung[0],
        paramsOf,
      ),
      warnings,
    );
  }
}

const required = (a: Pick<Assignment, 'functions'>) => a.functions.filter((f) => f.required).map((f) => f.name);

/**
 * The functions the engine should define and does not: the assignment's required ones, or exactly those named by
 * --functions (the subset the engine claims to implement). A definition that did not parse says so.
 */
export function missingFunctions(
  defined: ReadonlySet<string>,
  claimed: readonly string[] | undefined,
  broken: Record<string, string> = {},
  assignment: Pick<Assignment, 'functions'> = stepByStep,
): MissingFunction[] {
  return (claimed?.length ? claimed : required(assignment))
    .filter((f) => !defined.has(f))
    .map((f) => ({ function: f, reason: broken[f] ?? 'not defined' }));
}

/** Why loading left no evidence: the load error, or the first definition that did not parse; else undefined. */
export function loadFailure(load: {
  loadError?: string;
  broken?: Record<string, string>;
  dropped?: { why: string; where: string }[];
}): string | undefined {
  if (load.loadError) return `the engine could not be loaded: ${load.loadError}`;
  return [
    ...Object.values(load.broken ?? {}),
    ...(load.dropped ?? []).filter((d) => d.why.startsWith('SyntaxError')).map((d) => d.why),
  ][0];
}

/** Why a run has no evidence at all (verdict 'error'), or undefined. */
export function noEvidence(
  defined: ReadonlySet<string>,
  load: { loadError?: string; broken?: Record<string, string>; dropped?: { why: string; where: string }[] },
  assignment: Pick<Assignment, 'functions' | 'id'> = stepByStep,
): string | undefined {
  if (load.loadError) return loadFailure(load);
  if (assignment.functions.some((f) => defined.has(f.name))) return undefined;
  const syntax = loadFailure(load);
  if (syntax) return syntax;
  const others = [...defined].sort();
  return `the engine defines none of ${assignment.id}'s functions${others.length ? ` (it defines ${others.slice(0, 8).join(', ')}${others.length > 8 ? ', ...' : ''}; translated names need --map)` : ''}`;
}

/** What a run needs before its first check: the engine's functions and conventions, and its checks. */
export interface RunPlan {
  ctx: CheckContext;
  /** every check the suites enumerate (checksEnumerated), before --functions and --shard */
  all: Check[];
  /** the checks this run runs, with their order among the selected ones */
  checks: { check: Check; order: number }[];
  missing: MissingFunction[];
  /** why the run has no evidence at all, or undefined */
  noEvidence?: string;
  load: NonNullable<ReturnType<NonNullable<Engine['loadInfo']>>>;
  /** the assignment checked against, and why */
  assignment: { value: Assignment; why: string };
  /** the run's precision and each function's dtype (report.detected.precision) */
  precision?: PrecisionInfo;
}

/**
 * The first stage of every run (runSuites, verify, describeEngine at collection time): asks the engine which
 * functions it defines (this is where an engine that does not start throws), detects its grads-key convention and
 * initialiser variant, and enumerates every suite's checks, keeping those of `functions` and this shard.
 */
export async function prepareRun(
  engine: Engine,
  reference: Engine,
  suites: CheckSuite[],
  options: RunOptions,
): Promise<RunPlan> {
  const functions = await engine.functions();
  const load = engine.loadInfo?.() ?? {};
  const assignment = options.assignment ?? stepByStep;
  const missing = missingFunctions(functions, options.functions, load.broken, assignment);
  const noEvidenceReason = noEvidence(functions, load, assignment);
  const own = new Set(assignment.functions.map((f) => f.name));
  // week 4's conventions, probed only where the assignment has those functions
  const gradsConvention =
    own.has('L_model_backward') && functions.has('L_model_backward')
      ? await detectGradsConvention(engine, reference)
      : undefined;
  const initVariant =
    own.has('initialize_parameters_deep') && functions.has('initialize_parameters_deep')
      ? await detectInitVariant(engine)
      : undefined;
  // week 4's probes: other assignments' functions of the same name take other inputs
  const probed = new Set([...functions].filter((f) => own.has(f)));
  const precision = await runPrecision(engine, reference, probed, options.precision);
  // said only where it matters: a run below float64, or an engine that returns float32 somewhere
  if (precision.precision !== 'float64' || Object.values(precision.functions).includes('float32'))
    options.log?.(describePrecision(precision));
  const ctx: CheckContext = {
    precision: precision.precision,
    dtypes: precision.functions,
    engine,
    reference,
    seed: options.seed,
    runs: options.runs,
    functions,
    gradsConvention,
    initVariant,
    assignment,
    log: options.log ?? (() => {}),
    options: options.options,
  };
  // only the assignment's functions are checked: a name means what its assignment says, nowhere else
  const all = suites.flatMap((s) => s.checks(ctx)).filter((c) => !c.function || own.has(c.function));
  // a required function the engine defines but no check verifies (the Application's models) is not verified:
  // the run says so rather than pass on the helpers alone
  const checked = new Set(all.map((c) => c.function));
  for (const f of options.functions?.length ? options.functions : required(assignment))
    if (functions.has(f) && !checked.has(f))
      missing.push({ function: f, reason: 'defined, but no check of it exists yet' });
  return {
    ctx,
    all,
    checks: selectChecks(all, options),
    missing,
    noEvidence: noEvidenceReason,
    load,
    precision,
    assignment: {
      value: assignment,
      why: options.assignmentWhy ?? 'the default assignment (none was detected or named)',
    },
  };
}

export async function runSuites(
  engine: Engine,
  reference: Engine,
  suites: CheckSuite[],
  options: RunOptions,
): Promise<RunReport> {
  const started = new Date();
  return runPlan(await prepareRun(engine, reference, suites, options), options, started);
}

/** The second stage: runs a plan's checks, each with its faults contained, and builds the RunReport. */
export async function runPlan(plan: RunPlan, options: RunOptions, started = new Date()): Promise<RunReport> {
  const { ctx, all, checks, missing, load } = plan;
  const { engine, functions, gradsConvention, initVariant, log } = ctx;
  const noEvidenceReason = plan.noEvidence;
  const results: CheckResult[] = [];
  for (const [i, { check, order }] of checks.entries()) {
    const r = { ...(await runOne(check, ctx)), order };
    results.push(r);
    const counts = count(results);
    if (options.tty) {
      process.stderr.write(
        `\r\x1b[K[${i + 1}/${checks.length}] pass ${counts.pass} warn ${counts.warn} fail ${counts.fail} error ${counts.error} skip ${counts.skip}  ${check.id.slice(0, 60)}`,
      );
    } else if (r.status === 'fail' || r.status === 'error') {
      log(`${r.status.toUpperCase()} ${r.id} (${r.function}): ${r.message}`);
    }
  }
  if (options.tty) process.stderr.write('\n');
  const summary = count(results);
  const warnings = collectWarnings(results);
  const body = { summary, warnings, missing, noEvidence: noEvidenceReason, strict: options.strict || undefined };
  const owns = (fn: string) => plan.assignment.value.functions.some((f) => f.name === fn);
  const report: RunReport = {
    verdict: verdictOf(body),
    reason: reasonOf(body),
    noEvidence: noEvidenceReason,
    strict: body.strict,
    missing,
    warnings,
    engine: engine.name,
    seed: options.seed,
    runs: options.runs,
    shard: options.shard,
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    summary,
    detected: {
      assignment: assignmentDetected(plan.assignment.value, plan.assignment.why),
      functions: [...functions].sort(),
      // week 4's conventions, reported only where the assignment has the functions they are probed through
      ...(owns('L_model_backward') ? { gradsConvention: gradsConvention ?? 'not detected' } : {}),
      ...(owns('initialize_parameters_deep') ? { initVariant: initVariant ?? 'not detected' } : {}),
      ...(plan.precision ? { precision: plan.precision } : {}),
      checksEnumerated: all.length,
      ...(load.dropped ? { dropped: load.dropped } : {}),
      ...(load.broken && Object.keys(load.broken).length ? { broken: load.broken } : {}),
      ...(load.loadError ? { loadError: load.loadError } : {}),
      ...(load.calls ? { callGraph: load.calls } : {}),
      ...(load.supplied?.length
        ? {
            supplied: `${load.supplied.join(', ')}: supplied by the course template's import cell, which this file does not contain`,
          }
        : {}),
      ...loadModeDetected(load),
    },
    checks: results,
  };
  report.rootCauses = rootCauses(report, plan.assignment.value);
  return report;
}

/** report.detected.loadMode ({mode, why}): a .py read as a notebook's cells, and why; nothing for any other file. */
export function loadModeDetected(load: LoadInfo): { loadMode?: { mode: 'notebook'; why: string } } {
  return load.loadMode ? { loadMode: { mode: load.loadMode.mode, why: load.loadMode.why } } : {};
}

/** report.detected.assignment: which assignment the run checked against, and why. */
export function assignmentDetected(a: Pick<Assignment, 'id' | 'title'>, why: string) {
  return { id: a.id, title: a.title, why };
}

export { count, exitCodeOf, reasonOf, verdictOf, type VerdictInputs } from '../check/verdict.ts';
