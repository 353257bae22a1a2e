/**
 * `dnn-verify`: verify a deep-neural-network engine against the notebooks. The Engine interface and its adapters,
 * the check families and their runner, the report writers, and `verifyEngine` that puts them together.
 * Sub-entries: `dnn-verify/random`, `/tensor`, `/gradcheck`, `/properties`, `/vitest`.
 */
import type { Engine } from './engine/engine.ts';
import { ReferenceEngine } from './engine/reference-engine.ts';
import { inProcessEngine, type InProcessOptions, type NotebookFunctions } from './adapters/in-process.ts';
import { runSuites } from './run/runner.ts';
import { allSuites } from './run/suites.ts';
import type { RunReport } from './check/types.ts';
import { writeReports } from './report/index.ts';
import { workerEngine } from './adapters/worker/engine.ts';
import type { NotebookFunctionName } from './engine/contract.ts';

export { EngineFault, type Engine, type EngineFaultKind, type Value, type Dict } from './engine/engine.ts';
export { ReferenceEngine, type ReferenceOptions } from './engine/reference-engine.ts';
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
} from './engine/contract.ts';
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
export { runSuites, selectChecks, verdictOf, type RunOptions } from './run/runner.ts';
export { allSuites } from './run/suites.ts';
export { fixtureSuite } from './packs/suite.ts';
export { gradcheckSuite } from './gradcheck/suite.ts';
export { propertySuite } from '../properties/suite.ts';
export { differentialSuite } from './run/differential.ts';
export { writeReports } from './report/index.ts';
export { renderJUnit } from './report/junit.ts';
export { renderMarkdown } from './report/markdown.ts';
export { renderHtml } from './report/html.ts';
export { gate, describeGate, type GateResult } from './report/gate.ts';
export { mergeReports } from './report/merge.ts';

export interface VerifyOptions extends InProcessOptions {
  /** master seed: verdicts are deterministic for a seed (default 0) */
  seed?: number;
  /** scale of the randomised checks (default 100) */
  runs?: number;
  /** only checks of these notebook functions: the subset the engine claims to implement (a misspelt name is a type error) */
  functions?: NotebookFunctionName[];
  /** the CLI's --strict, one definition (src/run/strict.ts): warnings count as failures */
  strict?: boolean;
  /** write report.json, junit.xml, summary.md and report.html here */
  reportDir?: string;
  /** add the 246,000-parameter gradient check (about 12 s) */
  realSize?: boolean;
  /** progress and failure lines (default: none) */
  log?: (line: string) => void;
}

function isEngine(x: Engine | NotebookFunctions): x is Engine {
  return typeof x.call === 'function' && typeof x.functions === 'function';
}

/**
 * Runs every check family on an engine (an `Engine`; a module path or file: URL, run in a worker thread with a per-call
 * timeout; or an object of notebook functions run in this process, where an endless loop cannot be stopped) and
 * returns the report; writes the report files when `reportDir` is given. An engine made here is closed after the
 * run; an `Engine` passed in is left open for its owner to close.
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
  try {
    const report = await runSuites(target, new ReferenceEngine(), allSuites(), {
      seed: options.seed ?? 0,
      runs: options.runs ?? 100,
      functions: options.functions,
      options: { realSize: options.realSize === true },
      log: options.log,
      strict: options.strict,
    });
    if (options.reportDir) writeReports(report, options.reportDir);
    return report;
  } finally {
    if (target !== engine) await target.close();
  }
}
