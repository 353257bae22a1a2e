/**
 * Values named in the engine's own language. A JavaScript engine that returns a plain array where an NDArray is
 * expected is told "expected an NDArray, got a JS array of 3 numbers", not "got a tuple"; a Python engine keeps
 * Python's words (None, a tuple, a dict). Adapters mark their JavaScript engines (markJavaScript); the runner
 * runs each check in its engine's terms (inTermsOf), and the checks name what they got with `got(value)`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { NDArray } from '../tensor/ndarray.ts';

type Language = 'javascript' | 'python';
const JAVASCRIPT = new WeakSet<object>();
const current = new AsyncLocalStorage<Language>();

/** Marks an engine whose functions are JavaScript (in process, in a worker, or a module in a child process). */
export function markJavaScript<T extends object>(engine: T): T {
  JAVASCRIPT.add(engine);
  return engine;
}

export function isJavaScript(engine: object): boolean {
  return JAVASCRIPT.has(engine);
}

/** Runs `f` with values named in `engine`'s terms. */
export function inTermsOf<T>(engine: object, f: () => T): T {
  return current.run(isJavaScript(engine) ? 'javascript' : 'python', f);
}

/** Whether the running check's engine is JavaScript. */
export function inJavaScript(): boolean {
  return current.getStore() === 'javascript';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A JavaScript value as a JavaScript programmer names it: "a JS array of 3 numbers", "an NDArray of shape (2, 3)". */
export function describeJsValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (v instanceof NDArray) return `an NDArray of shape (${v.shape.join(', ')})`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} (wrap it: new NDArray(data, shape))`;
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an empty JS array';
    if (v.every((x) => typeof x === 'number')) return `a JS array of ${plural(v.length, 'number')}`;
    if (v.every((x) => Array.isArray(x))) return `a JS array of ${plural(v.length, 'JS array')} (nested arrays)`;
    return `a JS array of ${plural(v.length, 'item')}`;
  }
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.slice(0, 40))}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'function') return 'a function';
  if (v instanceof Promise) return 'a Promise';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null)
      return `a plain object (keys ${Object.keys(v).slice(0, 6).join(', ') || 'none'})`;
    return `an instance of ${proto?.constructor?.name ?? 'a class'}`;
  }
  return typeof v;
}

/** A value as the checks named it for Python engines (None, a tuple; unchanged wording). */
export function describePyValue(v: unknown): string {
  return v === null || v === undefined ? 'None' : Array.isArray(v) ? 'a tuple' : typeof v;
}

/** What a check got, in its engine's terms. */
export function got(v: unknown): string {
  return inJavaScript() ? describeJsValue(v) : describePyValue(v);
}

/** "an NDArray" or "an array": what the notebook calls an array, in the engine's terms. */
export function anArray(): string {
  return inJavaScript() ? 'an NDArray' : 'an array';
}
