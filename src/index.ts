/**
 * `dnn-verify`: verify a deep-neural-network engine against the notebooks. The Engine interface and its adapters,
 * the check families and their runner, the report writers, and `verifyEngine` that puts them together.
 * Sub-entries: `dnn-verify/random`, `/tensor`, `/gradcheck`, `/properties`, `/vitest`.
 */
import type { Engine } from './engine/engine.ts';
import { inProcessEngine, type InProcessOptions, type NotebookFunctions } from './adapters/in-process.ts';
import { verify, type VerifySettings } from './run/verify.ts';
import type { RunReport } from './check/types.ts';
import { workerEngine } from './adapters/worker/engine.ts';
import type { NotebookFunctionName } from './engine/notebook-types.ts';

export { EngineFault, type Engine, type EngineFaultKind, type Value, type Dict } from './engine/engine.ts';
export { ReferenceEngine, type ReferenceOptions } from './engine/reference-engine.ts';
export { autodiffEngine, type AutodiffFunctions, type AutodiffOps, type Synchronous } from './engine/autodiff.ts';
export { CATALOGUE, FUNCTION_NAMES, functionSpec, type FunctionSpec } from './engine/catalogue.ts';
export { commandEngine, moduleEngine, pythonEngine, referenceEngine, ProcessEngine } from './adapters/index.ts';
export { inProcessEngine, type InProcessOptions, type NotebookFunctions } from './adapters/in-process.ts';
export { workerEngine, type WorkerEngineOptions } from './adapters/worker/engine.ts';
export type {
  StepByStepEngine,
  ApplicationEngine,
  NotebookFunctionName,
  MaybePromise,
  Parameters,
  Grads,
  LinearCache,
  LayerCache,
  Activation,
} from './engine/notebook-types.ts';
export type { RootCause } from './diagnose/root-cause.ts';
export { strictOutcome } from './run/strict.ts';
export type {
  Check,
  CheckContext,
  CheckKind,
  CheckResult,
  CheckStatus,
  CheckSuite,
  Counterexample,
  Replay,
  RunReport,
} from './check/types.ts';
export {
  prepareRun,
  runPlan,
  runSuites,
  selectChecks,
  verdictOf,
  type RunOptions,
  type RunPlan,
} from './run/runner.ts';
export { allSuites } from './run/suites.ts';
export { ASSIGNMENTS, assignmentById } from './assignments/index.ts';
export { detectAssignment, NoAssignmentError, type Detection } from './assignments/detect.ts';
export { chooseAssignment, UnknownAssignmentError } from './run/choose.ts';
export type { Assignment, AssignmentFunction, AssignmentId, DetectionEvidence } from './check/assignment.ts';
export {
  exitCode,
  verify,
  verifyRun,
  type VerifyOutcome,
  type VerifySettings,
} from './run/verify.ts';
export {
  beyondBound,
  gamma,
  roundingBound,
  unitRoundoff,
  type Precision,
  type PrecisionInfo,
} from './check/precision.ts';
export { fixtureSuite } from './packs/suite.ts';
export { gradcheckSuite } from './gradcheck/suite.ts';
export { propertySuite } from '../properties/suite.ts';
export { differentialSuite } from './differential/differential.ts';
export { writeReports } from './report/index.ts';
export { renderJUnit } from './report/junit.ts';
export { renderMarkdown } from './report/markdown.ts';
export { renderHtml } from './report/html.ts';
export { gate, describeGate, type GateResult } from './report/gate.ts';
export { mergeReports } from './report/merge-shards.ts';

/** The library's run settings: the pipeline's (VerifySettings), and how an engine made here from functions runs. */
export interface VerifyOptions extends Omit<VerifySettings, 'functions'>, InProcessOptions {
  /** only checks of these notebook functions: the subset the engine claims to implement (a misspelt name is a type error) */
  functions?: NotebookFunctionName[];
}

function isEngine(x: Engine | NotebookFunctions): x is Engine {
  return typeof x.call === 'function' && typeof x.functions === 'function';
}

/**
 * Runs every check family on an engine (an `Engine`; a module path or file: URL, run in a worker thread with a per-call
 * timeout; or an object of notebook functions run in this process, where an endless loop cannot be stopped) and
 * returns the report (`verify` of src/run/verify.ts); writes the report files when `reportDir` is given. An engine
 * made here is closed after the run; an `Engine` passed in is left open for its owner to close.
 */
export async function verifyEngine(
  engine: Engine | NotebookFunctions | string | URL,
  options: VerifyOptions = {},
): Promise<RunReport> {
  const target =
    typeof engine === 'string' || engine instanceof URL
      ? workerEngine(engine, { name: options.name, map: options.map, timeoutMs: options.timeoutMs })
      : isEngine(engine)
        ? engine
        : inProcessEngine(engine, options);
  return verify(target, { ...options, keepOpen: target === engine });
}
