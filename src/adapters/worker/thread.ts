/**
 * The worker thread of workerEngine (engine.ts beside it): imports the engine's module and answers calls posted
 * by the main thread, with the values in the protocol's encoding (the engine gets its own copies). A call that
 * never returns blocks this thread only: the main thread's timer terminates it and starts another.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { decodeValue, encodeValue, type Wire } from '../../protocol/codec.ts';
import type { Value } from '../../engine/engine.ts';
import { firstDifference } from '../../../properties/props/util.ts';
import { describeJsValue } from '../../engine/js-terms.ts';

export type ToWorker = { id: number; op: 'hello' } | { id: number; op: 'call'; fn: string; args: Wire[] };
export type FromWorker =
  | { id: number; ok: true; functions?: string[]; value?: Wire; mutated?: string[] }
  | { id: number; ok: false; kind: 'exception' | 'protocol' | 'load'; message: string; stack?: string };

const { module, map } = workerData as { module: string; map: Record<string, string> };
const reverse = Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));

let mod: Record<string, unknown> | undefined;
let loadError: Error | undefined;
try {
  mod = (await import(module.startsWith('file:') ? module : pathToFileURL(module).href)) as Record<string, unknown>;
} catch (err) {
  loadError = err instanceof Error ? err : new Error(String(err));
}

function post(m: FromWorker) {
  parentPort!.postMessage(m);
}

parentPort!.on('message', async (req: ToWorker) => {
  if (!mod) {
    const e = loadError!;
    post({ id: req.id, ok: false, kind: 'load', message: `${e.name}: ${e.message}`, stack: e.stack });
    return;
  }
  if (req.op === 'hello') {
    const functions = Object.keys(mod)
      .filter((k) => typeof mod![k] === 'function')
      .map((k) => reverse[k] ?? k);
    post({ id: req.id, ok: true, functions });
    return;
  }
  const name = map[req.fn] ?? req.fn;
  const f = mod[name];
  if (typeof f !== 'function') {
    post({ id: req.id, ok: false, kind: 'exception', message: `NameError: the engine defines no function '${name}'` });
    return;
  }
  const args = req.args.map((a, i) => decodeValue(a, `args[${i}]`));
  const before = args.map((a) => JSON.stringify(encodeValue(a)));
  let result: unknown;
  try {
    result = await (f as (...a: Value[]) => unknown)(...args); // an async function is awaited
  } catch (err) {
    const e = err as Error;
    post({
      id: req.id,
      ok: false,
      kind: 'exception',
      message: `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`,
      stack: e?.stack,
    });
    return;
  }
  const mutated: string[] = [];
  args.forEach((a, i) => {
    let now: string;
    try {
      now = JSON.stringify(encodeValue(a));
    } catch {
      now = '';
    }
    if (now !== before[i]) {
      const original = decodeValue(req.args[i]);
      mutated.push((firstDifference([a], [original], 'args') ?? 'args[0]').replace(/^args\[0\]/, `args[${i}]`));
    }
  });
  let value: Wire;
  try {
    value = encodeValue(result === undefined ? null : (result as Value));
  } catch {
    post({
      id: req.id,
      ok: false,
      kind: 'protocol',
      message: `returned ${describeJsValue(result)}, which is not a notebook value (an NDArray, a number, a boolean, a string, null, a JS array or a plain object of those)`,
    });
    return;
  }
  post({ id: req.id, ok: true, value, ...(mutated.length ? { mutated } : {}) });
});
