/** Engine adapters: the reference engine, Python modules and notebooks, JavaScript modules, any command. */
import { dirname, extname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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

export function moduleEngine(file: string, options: AdapterOptions = {}): Engine {
  const path = resolve(file);
  if (!existsSync(path)) throw new Error(`no such file: ${file}`);
  const loader = FROM_SOURCES || TYPESCRIPT.has(extname(path)) ? ['--import', typescriptLoader(file)] : [];
  const runner = join(HERE, 'js', FROM_SOURCES ? 'runner.ts' : 'runner.js');
  return new ProcessEngine({
    command: process.execPath,
    args: [...loader, runner, path, JSON.stringify(options.map ?? {})],
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
