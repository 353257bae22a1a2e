/**
 * The one interface every engine is verified through: the built-in reference engine, a JavaScript module,
 * a Python module or notebook, or a program speaking the JSON-lines protocol. Fixture packs, gradient checks,
 * properties and differential tests all call engines only through this.
 *
 * Values are what a Python notebook function takes and returns, mapped losslessly:
 *   ndarray -> NDArray (float64 bits preserved), float/int -> number, bool -> boolean, str -> string,
 *   None -> null, tuple/list -> Value[], dict -> { [key]: Value } (key order preserved).
 */
import type { NDArray } from '../tensor/ndarray.ts';

export type Value = NDArray | number | boolean | string | null | Value[] | { [key: string]: Value };
export type Dict = { [key: string]: Value };

/** How an engine call went wrong. The suite records these; it never lets them escape a run. */
export type EngineFaultKind =
  | 'exception' // the engine raised/threw; message carries its text
  | 'timeout' // no answer within the per-call timeout
  | 'crash' // the worker died (exit, signal); the adapter restarts it
  | 'protocol' // the engine answered with something that is not a valid protocol message
  | 'limit' // the engine broke a sandbox limit (memory, CPU, file size, processes, output); it is restarted
  | 'missing'; // the engine does not define the function

export class EngineFault extends Error {
  override name = 'EngineFault';
  constructor(
    readonly kind: EngineFaultKind,
    readonly fn: string,
    message: string,
    /** anything the engine printed around the call (stray prints are captured, never parsed) */
    readonly output?: string,
  ) {
    super(`${fn}: ${kind}: ${message}`);
  }
}

/** Something an engine did beside its answer, reported by the adapter (e.g. a call that mutated its inputs). */
export interface EngineNotice {
  kind: 'mutates-input';
  fn: string;
  /** the arguments changed, e.g. ["parameters['W1']"] */
  paths: string[];
}

/** What loading the engine's source left out (Python adapter): statements dropped, definitions that do not parse. */
export interface LoadInfo {
  /** the engine could not be loaded at all */
  loadError?: string;
  dropped?: { where: string; text: string; why: string }[];
  /** function name -> why its definition was not taken (its SyntaxError) */
  broken?: Record<string, string>;
  /** names the course template's import cell binds, which the file (its graded cells only) reads but never binds */
  supplied?: string[];
  /**
   * a .py read as a notebook's cells instead of imported as a module, and why, in the adapter's words (e.g. "line 6
   * imports the course's tests (testCases_v2): ..."); absent for a notebook or a file imported as a module
   */
  loadMode?: { mode: 'notebook'; why: string };
  /**
   * function -> the globals it reads that the file binds only in its test code (a module-level statement calling
   * one of its own functions, e.g. `grads, cost = propagate(w, b, X, Y)`): where and the statement's first line
   */
  testGlobals?: Record<string, TestGlobal[]>;
  /** function -> the file's functions it reaches by name (runner.py's call_graph): whose bugs can show in it */
  calls?: Record<string, string[]>;
}

/** A global a function reads that only the file's test code binds. */
export interface TestGlobal {
  name: string;
  /** "line 136", "cell 28 line 2" */
  where: string;
  text: string;
  /** no statement bound it here (its test line needs the course's test data): the function ran with a stand-in
   *  that raises on any use of its value (runner.py's UnsetTestGlobal) */
  unset?: boolean;
}

export interface Engine {
  /** A name for reports, e.g. "reference", "python:student.py". */
  readonly name: string;
  /** Notebook names of the functions this engine defines (after any --map renaming). */
  functions(): Promise<ReadonlySet<string>>;
  /**
   * Call a notebook function by its notebook name. Rejects with EngineFault on any misbehaviour;
   * the arguments are never mutated by the adapter (engines that mutate them are caught by the checks).
   */
  call(fn: string, args: readonly Value[], kwargs?: Readonly<Dict>): Promise<Value>;
  /** Seed the engine's NumPy-compatible global generator (np.random.seed), where it has one. */
  seed?(seed: number): Promise<void>;
  /** Notices since the last call of this (adapters that observe side effects); emptied on read. */
  takeNotices?(): EngineNotice[];
  /** What loading left out (after functions() has been awaited). */
  loadInfo?(): LoadInfo;
  close(): Promise<void>;
}
