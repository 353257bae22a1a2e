/** Engine adapters: the reference engine, Python modules and notebooks, JavaScript modules, any command. */
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine } from '../engine/engine.ts';
import { ProcessEngine } from './process-engine.ts';

const HERE = import.meta.dirname;

export interface AdapterOptions {
  timeoutMs?: number;
  /** notebook name -> engine name */
  map?: Record<string, string>;
}

export function pythonEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  const mapArgs = Object.entries(options.map ?? {}).map(([k, v]) => `${k}=${v}`);
  return new ProcessEngine({
    command: process.env.DNN_VERIFY_PYTHON ?? 'python3',
    args: [join(HERE, 'python', 'runner.py'), path, ...mapArgs],
    name: `python:${file}`,
    timeoutMs: options.timeoutMs,
    cwd: dirname(path),
  });
}

export function moduleEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  return new ProcessEngine({
    command: process.execPath,
    args: ['--import', 'tsx', join(HERE, 'js', 'runner.ts'), path, JSON.stringify(options.map ?? {})],
    name: `module:${file}`,
    timeoutMs: options.timeoutMs,
    cwd: join(HERE, '..', '..'),
  });
}

export function commandEngine(command: string, options: AdapterOptions = {}): Engine {
  return new ProcessEngine({
    command,
    args: [],
    shell: true,
    name: `command:${command}`,
    timeoutMs: options.timeoutMs,
  });
}

export function referenceEngine(): Engine {
  return new ReferenceEngine();
}

export { ProcessEngine };
