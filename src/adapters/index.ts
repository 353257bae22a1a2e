/** Engine adapters: the reference engine, Python modules and notebooks, JavaScript modules, any command. */
import { dirname, join, resolve } from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine } from '../engine/engine.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import { ProcessEngine } from './process-engine.ts';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');

export interface AdapterOptions {
  timeoutMs?: number;
  /** notebook name -> engine name */
  map?: Record<string, string>;
  /** the sandbox the engine's processes run in (createSandbox in src/sandbox); default none */
  sandbox?: Sandbox;
}

export function pythonEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  const mapArgs = Object.entries(options.map ?? {}).map(([k, v]) => `${k}=${v}`);
  const sandboxed = options.sandbox !== undefined && options.sandbox.mode !== 'none';
  return new ProcessEngine({
    command: process.env.DNN_VERIFY_PYTHON ?? 'python3',
    args: [join(HERE, 'python', 'runner.py'), path, ...mapArgs],
    name: `python:${file}`,
    timeoutMs: options.timeoutMs,
    // sandboxed, the engine runs in a scratch directory and sees its own file, the runner and Python only
    cwd: sandboxed ? undefined : dirname(path),
    sandbox: options.sandbox,
    read: [join(HERE, 'python'), path],
    python: true,
  });
}

export function moduleEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  // tsx's loader by absolute URL: the engine's working directory need not be this package
  const tsx = import.meta.resolve('tsx');
  return new ProcessEngine({
    command: process.execPath,
    args: ['--import', tsx, join(HERE, 'js', 'runner.ts'), path, JSON.stringify(options.map ?? {})],
    name: `module:${file}`,
    timeoutMs: options.timeoutMs,
    sandbox: options.sandbox,
    // the runner imports this package's sources and tsx: the package is readable (the reports are hidden)
    read: [ROOT, path, dirname(realpathSync(process.execPath)), dirname(fileURLToPath(tsx))],
  });
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

export { ProcessEngine };
