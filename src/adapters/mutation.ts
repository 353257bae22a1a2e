/**
 * The mutation check, made by the suite: the arguments it sent (wire form) against their state after the call as
 * the engine's runner sends it back. The same rules as the in-process check (in-process.ts): arrays compared by
 * value (NaN equal to NaN), lists, tuples and dicts element by element, numbers and strings never (immutable in
 * Python). The paths name the function's own parameters, e.g. `parameters['W1']`.
 */
import type { Wire } from '../protocol/codec.ts';

type Obj = { [k: string]: Wire };
const isObj = (w: Wire | undefined): w is Obj => typeof w === 'object' && w !== null && !Array.isArray(w);

function ndarray(w: Wire | undefined): { shape: string; dtype: string; data: string } | undefined {
  if (!isObj(w) || !isObj(w.__ndarray__)) return undefined;
  const a = w.__ndarray__;
  return { shape: JSON.stringify(a.shape), dtype: String(a.dtype ?? 'float64'), data: String(a.data) };
}

/** Equal float64 values (NaN equal to NaN, -0 to 0); any other dtype (float32, int64) byte for byte. */
function sameData(a: string, b: string, dtype: string): boolean {
  if (a === b) return true;
  if (dtype !== 'float64') return false;
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  if (x.length !== y.length || x.length % 8) return false;
  for (let i = 0; i < x.length; i += 8) {
    const p = x.readDoubleLE(i);
    const q = y.readDoubleLE(i);
    if (p !== q && !(Number.isNaN(p) && Number.isNaN(q))) return false;
  }
  return true;
}

/** A list or a tuple on the wire (a TS array is sent as a tuple), or undefined. */
function sequence(w: Wire | undefined): Wire[] | undefined {
  if (Array.isArray(w)) return w;
  if (isObj(w) && Array.isArray(w.__tuple__)) return w.__tuple__;
  return undefined;
}

const key = (k: string) => (k.includes("'") ? JSON.stringify(k) : `'${k}'`);

/** Every place where `after` differs from `sent` (empty when untouched). */
export function changedPaths(sent: Wire, after: Wire | undefined, path: string): string[] {
  const array = ndarray(sent);
  if (array) {
    const now = ndarray(after);
    if (!now || now.shape !== array.shape) return [`${path} (replaced or reshaped)`];
    return now.dtype === array.dtype && sameData(array.data, now.data, array.dtype) ? [] : [path];
  }
  const seq = sequence(sent);
  if (seq) {
    const now = sequence(after);
    if (!now || now.length !== seq.length) return [`${path} (length changed)`];
    return seq.flatMap((x, i) => changedPaths(x, now[i], `${path}[${i}]`));
  }
  if (isObj(sent) && isObj(sent.__dict__)) {
    const before = sent.__dict__;
    const now = isObj(after) && isObj(after.__dict__) ? after.__dict__ : undefined;
    if (!now) return [`${path} (replaced)`];
    return [
      ...Object.keys(now)
        .filter((k) => !(k in before))
        .map((k) => `${path}[${key(k)}] (added)`),
      ...Object.keys(before)
        .filter((k) => !(k in now))
        .map((k) => `${path}[${key(k)}] (removed)`),
      ...Object.keys(before)
        .filter((k) => k in now)
        .flatMap((k) => changedPaths(before[k], now[k], `${path}[${key(k)}]`)),
    ];
  }
  return [];
}

/**
 * The changed arguments of one call, or undefined when `after` is not the state of these arguments (a runner that
 * does not send it, or sends it malformed: the call's answer is then not to be trusted).
 */
export function changedArguments(
  args: readonly Wire[],
  kwargs: Readonly<Record<string, Wire>>,
  after: Wire | undefined,
  params: readonly string[] = [],
): string[] | undefined {
  if (!isObj(after)) return undefined;
  const a = after.args;
  const k = after.kwargs;
  if (!Array.isArray(a) || a.length !== args.length || !isObj(k)) return undefined;
  if (Object.keys(kwargs).some((name) => !(name in k))) return undefined;
  return [
    ...args.flatMap((x, i) => changedPaths(x, a[i], params[i] ?? `args[${i}]`)),
    ...Object.entries(kwargs).flatMap(([name, x]) => changedPaths(x, k[name], name)),
  ];
}
