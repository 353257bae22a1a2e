/**
 * An engine that lives in the caller's own process: an object of functions under their notebook names (a module's
 * namespace, `import * as engine from './engine.js'`), as a JavaScript engine author's test suite has it.
 *
 * Calls cross the same boundary as a module engine's (js/serve-module.ts): arguments and results go through the
 * protocol's encoding, so the engine gets its own copies of the inputs (it cannot corrupt the suite's), and a
 * result that is not a notebook value is a `protocol` fault. An engine that changed an argument is caught after
 * the call, as the Python runner catches it: the value is still returned and compared, and the change becomes a
 * notice (`takeNotices`) that the runner reports as a `mutates-input` warning. A promise that never settles is a `timeout`; a
 * synchronous endless loop cannot be stopped in-process (use `moduleEngine(file)` for a child process).
 */
import { EngineFault, type Dict, type Engine, type EngineNotice, type Value } from '../engine/engine.ts';
import { decodeValue, encodeValue } from '../protocol/codec.ts';
import { describeJsValue, markJavaScript } from '../engine/js-terms.ts';
import { firstDifference } from '../../properties/props/util.ts';

export interface InProcessOptions {
  /** for reports and test titles (default "in-process") */
  name?: string;
  /** notebook name -> the engine's own name, e.g. { linear_forward: 'linearForward' } */
  map?: Record<string, string>;
  /** per-call timeout for asynchronous functions, in ms (default 10000) */
  timeoutMs?: number;
}

/** The notebook functions, under their notebook names (or the names `map` gives). */
export type NotebookFunctions = Record<string, unknown>;

function copyOf(v: Value, where: string): Value {
  return decodeValue(encodeValue(v), where);
}

/** The arguments' exact contents (bits, shapes, lengths, keys) as one string. */
function fingerprint(args: Value[]): string {
  try {
    return JSON.stringify(encodeValue(args));
  } catch {
    return 'no longer notebook values';
  }
}

export function inProcessEngine(functions: NotebookFunctions, options: InProcessOptions = {}): Engine {
  if (functions === null || typeof functions !== 'object')
    throw new TypeError(`inProcessEngine: expected an object of notebook functions, got ${typeof functions}`);
  const map = options.map ?? {};
  const reverse = Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const notices: EngineNotice[] = [];
  return markJavaScript({
    name: options.name ?? 'in-process',
    async functions() {
      return new Set(
        Object.keys(functions)
          .filter((k) => typeof functions[k] === 'function')
          .map((k) => reverse[k] ?? k),
      );
    },
    async call(fn: string, args: readonly Value[], kwargs?: Readonly<Dict>): Promise<Value> {
      const name = map[fn] ?? fn;
      const f = functions[name];
      if (typeof f !== 'function') throw new EngineFault('missing', fn, `the engine defines no function '${name}'`);
      if (kwargs && Object.keys(kwargs).length > 0)
        throw new EngineFault('exception', fn, 'TypeError: keyword arguments are not supported by JavaScript engines');
      const given = args.map((a, i) => copyOf(a, `args[${i}]`));
      const before = fingerprint(given);
      let timer: NodeJS.Timeout | undefined;
      let result: unknown;
      try {
        result = await Promise.race([
          Promise.resolve().then(() => (f as (...a: Value[]) => unknown)(...given)),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new EngineFault('timeout', fn, `no answer within ${timeoutMs} ms`)),
              timeoutMs,
            );
          }),
        ]);
      } catch (err) {
        if (err instanceof EngineFault) throw err;
        const e = err as Error;
        throw new EngineFault('exception', fn, `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`, e?.stack);
      } finally {
        clearTimeout(timer);
      }
      if (fingerprint(given) !== before) {
        const where =
          firstDifference(given, args as Value[]) ?? 'a list or dict among the arguments gained or lost items';
        notices.push({ kind: 'mutates-input', fn, paths: [where] });
      }
      try {
        return copyOf(result === undefined ? null : (result as Value), `${fn}(...) result`);
      } catch (err) {
        throw new EngineFault(
          'protocol',
          fn,
          `returned ${describeJsValue(result)}, which is not a notebook value (an NDArray, a number, a boolean, a string, null, a JS array or a plain object of those): ${(err as Error).message}`,
        );
      }
    },
    takeNotices() {
      return notices.splice(0);
    },
    async close() {},
  });
}
