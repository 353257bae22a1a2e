/**
 * Serves a JavaScript/TypeScript module exporting the notebook functions (under their notebook names, or mapped
 * with --map) over the dnn-verify protocol. Arrays reach the module as NDArray (src/tensor/ndarray.ts).
 * Usage: node [--import tsx] dist/src/adapters/js/runner.js MODULE '{"linear_forward": "linearForward"}'
 * (tsx's loader for a TypeScript MODULE, and for runner.ts itself when run from the sources).
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { decodeValue, encodeValue, type Request } from '../../protocol/codec.ts';
import type { Value } from '../../engine/engine.ts';

const [file, mapJson] = process.argv.slice(2);
const map: Record<string, string> = JSON.parse(mapJson || '{}');
// responses go through the original stdout; the module's own prints go to stderr
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
  (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
console.log = (...a: unknown[]) => console.error(...a);

const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
const reverse = Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));

function reply(obj: unknown) {
  write(`${JSON.stringify(obj)}\n`);
}

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const req = JSON.parse(line) as Request;
  try {
    if (req.op === 'hello') {
      const fns = Object.keys(mod)
        .filter((k) => typeof mod[k] === 'function')
        .map((k) => reverse[k] ?? k);
      reply({ id: req.id, ok: true, value: encodeValue({ name: file, functions: fns }) });
    } else if (req.op === 'call') {
      const name = map[req.fn!] ?? req.fn!;
      const fn = mod[name];
      if (typeof fn !== 'function')
        throw Object.assign(new Error(`the engine defines no function '${name}'`), { name: 'NameError' });
      const args = (req.args ?? []).map((a) => decodeValue(a));
      const value = (await (fn as (...a: Value[]) => unknown)(...args)) as Value;
      reply({ id: req.id, ok: true, value: encodeValue(value === undefined ? null : value) });
    } else if (req.op === 'bye') {
      reply({ id: req.id, ok: true, value: null });
      process.exit(0);
    } else {
      reply({ id: req.id, ok: true, value: null });
    }
  } catch (err) {
    const e = err as Error;
    reply({
      id: req.id,
      ok: false,
      error: { type: e?.name ?? 'Error', message: e?.message ?? String(err), traceback: e?.stack },
    });
  }
}
