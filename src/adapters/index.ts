/** Engine adapters: the reference engine, Python modules and notebooks, JavaScript modules, any command. */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../paths.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine } from '../engine/engine.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { ProcessEngine } from './process-engine.ts';
import { firstError } from '../engine/first-error.ts';
import { markJavaScript } from '../engine/js-terms.ts';
import { CATALOGUE } from '../engine/catalogue.ts';
import { ASSIGNMENTS } from '../assignments/index.ts';

/** The notebook names the suite checks, for the Python runner's loader (`--checked`). */
const CHECKED = [
  ...new Set([...CATALOGUE.map((f) => f.name), ...ASSIGNMENTS.flatMap((a) => a.functions.map((f) => f.name))]),
].join(',');

const HERE = import.meta.dirname;

export interface AdapterOptions {
  timeoutMs?: number;
  /** how long the call that starts the engine process may take (see ProcessEngineOptions.startTimeoutMs) */
  startTimeoutMs?: number;
  /** notebook name -> engine name */
  map?: Record<string, string>;
  /** the sandbox the engine's processes run in (createSandbox in src/sandbox); default none */
  sandbox?: Sandbox;
  /**
   * Python: how the file is loaded. `module`: as Python imports it (every statement, in order); `notebook`: the
   * definitions, imports and the statements they need, test calls and prints left out; `auto` (default): a
   * notebook, or a .py with the marks of a notebook export (magics, shell lines, get_ipython(), "# In[ ]:"
   * markers, or a source that does not parse as a whole), loads as a notebook, any other .py as a module.
   */
  load?: 'auto' | 'module' | 'notebook';
  /** Python: the interpreter that runs the engine (default: $DNN_VERIFY_PYTHON, else python3 on the PATH) */
  python?: string;
}

/**
 * Whether the file may be the Application notebook (it defines two_layer_model or L_layer_model): only then is the
 * stand-in holding the course's step-by-step solutions visible in the sandbox (python/runner.py decides, from its
 * own parse, whether to import it: also none of the graded step functions may be defined).
 */
function mayBeApplication(path: string): boolean {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > 64 * 1024 ** 2) return false;
    return /\bdef\s+(two_layer_model|L_layer_model)\s*\(/.test(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

export function pythonEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  const mapArgs = Object.entries(options.map ?? {}).map(([k, v]) => `${k}=${v}`);
  const sandboxed = options.sandbox !== undefined && options.sandbox.mode !== 'none';
  const py = join(HERE, 'python');
  return new ProcessEngine({
    command: options.python ?? process.env.DNN_VERIFY_PYTHON ?? 'python3',
    // the names the suite checks: notebook-style loading never leaves out a statement that binds one
    args: [join(py, 'runner.py'), path, '--load', options.load ?? 'auto', '--checked', CHECKED, ...mapArgs],
    name: `python:${file}`,
    timeoutMs: options.timeoutMs,
    // sandboxed, the engine runs in a scratch directory and sees its own file, the runner and Python only
    cwd: sandboxed ? undefined : dirname(path),
    sandbox: options.sandbox,
    read: [
      join(py, 'runner.py'),
      join(py, 'protocol.py'),
      join(py, 'standins'),
      ...(mayBeApplication(path) ? [join(py, 'standins_app')] : []),
      path,
    ],
    python: true,
    planned: true,
    startTimeoutMs: options.startTimeoutMs,
  });
}

/** Run from the TypeScript sources (vitest, tsx) rather than from the compiled dist/. */
const FROM_SOURCES = import.meta.url.endsWith('.ts');
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/**
 * The `--import` URL of tsx's loader, which a TypeScript engine module (and the runner itself, when run from the
 * sources) needs. tsx is an optional peer dependency: looked up beside dnn-verify, then from the working directory.
 */
export function typescriptLoader(engineFile: string): string {
  for (const from of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      return pathToFileURL(createRequire(from).resolve('tsx')).href;
    } catch {
      // not installed there
    }
  }
  throw new Error(
    `${engineFile} is TypeScript, which needs the tsx loader: install it beside dnn-verify (npm install --save-dev tsx), ` +
      'or compile the engine to JavaScript and pass the .js file',
  );
}

/** The node_modules directory that holds a resolved package file (tsx and its own dependencies live there). */
function packagesDir(url: string): string {
  const file = fileURLToPath(url);
  const at = file.lastIndexOf('/node_modules/');
  return at >= 0 ? file.slice(0, at + '/node_modules'.length) : dirname(file);
}

/** The folder of the nearest package.json above `file` (its project), or the file's own folder. */
function projectOf(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

export function moduleEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  const loader = FROM_SOURCES || TYPESCRIPT.has(extname(path)) ? ['--import', typescriptLoader(file)] : [];
  const runner = join(HERE, 'js', FROM_SOURCES ? 'serve-module.ts' : 'serve-module.js');
  const engine = new ProcessEngine({
    command: process.execPath,
    args: [...loader, runner, path, JSON.stringify(options.map ?? {})],
    name: `module:${file}`,
    timeoutMs: options.timeoutMs,
    sandbox: options.sandbox,
    // readable (the reports stay hidden): this package and the dependencies the runner imports, tsx for TypeScript,
    // and the engine's own project, whose node_modules its imports resolve from (e.g. dnn-verify/tensor)
    read: [
      PACKAGE_ROOT,
      ...(basename(dirname(PACKAGE_ROOT)) === 'node_modules' ? [dirname(PACKAGE_ROOT)] : []),
      projectOf(path),
      dirname(realpathSync(process.execPath)),
      ...loader.slice(1).map(packagesDir),
    ],
  });
  return markJavaScript(engine); // its values are named in JavaScript terms
}

export function commandEngine(command: string, options: AdapterOptions = {}): Engine {
  return new ProcessEngine({
    command,
    args: [],
    shell: true,
    name: `command:${command}`,
    timeoutMs: options.timeoutMs,
    sandbox: options.sandbox,
    // the command runs where the suite was started, which it reads (read-only under bubblewrap)
    cwd: process.cwd(),
    read: [process.cwd()],
  });
}

export function referenceEngine(): Engine {
  return new ReferenceEngine();
}

export { firstError, ProcessEngine };
