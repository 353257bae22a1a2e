/**
 * Serves a JavaScript/TypeScript module exporting the notebook functions (under their notebook names, or mapped
 * with --map) over the dnn-verify protocol. Arrays reach the module as NDArray (src/tensor/ndarray.ts).
 * Usage: node [--import tsx] dist/src/adapters/js/serve-module.js MODULE '{"linear_forward": "linearForward"}'
 * (tsx's loader for a TypeScript MODULE, and for runner.ts itself when run from the sources).
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { decodeValue, encodeValue, type Request } from '../../protocol/codec.ts';
import type { Value } from '../../engine/engine.ts';
import { NDArray } from '../../tensor/ndarray.ts';

const [file, mapJson] = process.argv.slice(2);
const map: Record<string, string> = JSON.parse(mapJson || '{}');
// responses go through the original stdout; the module's own prints go to stderr
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
  (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
console.log = (...a: unknown[]) => console.error(...a);

const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
const reverse = Object.fromEntries(Object.entries(map).map(([k, v]) => [v, k]));

/** A copy of the arguments that the call cannot reach (NDArray data copied). */
function snapshot(v: Value): Value {
  if (v instanceof NDArray) return new NDArray(v.data.slice(), [...v.shape]);
  if (Array.isArray(v)) return v.map(snapshot);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapshot(x)]));
  return v;
}

/** Every place where `now` differs from its snapshot `before`, as the Python runner names them. */
function mutated(now: Value, before: Value, path: string): string[] {
  if (before instanceof NDArray) {
    if (!(now instanceof NDArray) || now.shape.join() !== before.shape.join())
      return [`${path} (replaced or reshaped)`];
    return before.data.every((x, i) => Object.is(x, now.data[i])) ? [] : [path];
  }
  if (Array.isArray(before)) {
    if (!Array.isArray(now) || now.length !== before.length) return [`${path} (length changed)`];
    return before.flatMap((b, i) => mutated(now[i], b, `${path}[${i}]`));
  }
  if (before && typeof before === 'object') {
    if (!now || typeof now !== 'object' || Array.isArray(now) || now instanceof NDArray) return [`${path} (replaced)`];
    const n = now as Record<string, Value>;
    const b = before as Record<string, Value>;
    return [
      ...Object.keys(n)
        .filter((k) => !(k in b))
        .map((k) => `${path}['${k}'] (added)`),
      ...Object.keys(b).flatMap((k) =>
        k in n ? mutated(n[k], b[k], `${path}['${k}']`) : [`${path}['${k}'] (removed)`],
      ),
    ];
  }
  return [];
}

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
      // decoded afresh per request: a mutation cannot reach a later call; it is reported beside the value
      const args = (req.args ?? []).map((a) => decodeValue(a));
      const before = args.map(snapshot);
      const value = (await (fn as (...a: Value[]) => unknown)(...args)) as Value;
      const changed = args.flatMap((a, i) => mutated(a, before[i], `args[${i}]`));
      reply({
        id: req.id,
        ok: true,
        value: encodeValue(value === undefined ? null : value),
        ...(changed.length ? { mutated: changed } : {}),
      });
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
