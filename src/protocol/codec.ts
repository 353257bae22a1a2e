/**
 * Values on the wire (JSON lines), losslessly: arrays as base64 of their little-endian float64 bytes (every bit,
 * NaN payloads, -0, subnormals; float32 and int64 arrays in their own bytes, so their dtype survives), tuples and
 * lists distinguished, non-finite and negative-zero floats tagged.
 * The specification is README.md beside this file; src/adapters/python/protocol.py is the Python side.
 */
import { NDArray, type DType } from '../tensor/ndarray.ts';
import type { Value } from '../engine/engine.ts';

export type Wire = null | boolean | number | string | Wire[] | { [k: string]: Wire };

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function encodeValue(v: Value): Wire {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { __float__: 'nan' };
    if (v === Infinity) return { __float__: 'inf' };
    if (v === -Infinity) return { __float__: '-inf' };
    if (Object.is(v, -0)) return { __float__: '-0' };
    return v;
  }
  if (v instanceof NDArray) {
    // a float32 array crosses as float32 bytes (lossless: every value is a float32), so its dtype survives
    if (v.dtype === 'float32' && v.data.every((x) => Object.is(Math.fround(x), x) || Number.isNaN(x))) {
      const f = Float32Array.from(v.data);
      const b = Buffer.from(f.buffer, f.byteOffset, f.byteLength);
      return { __ndarray__: { dtype: 'float32', shape: [...v.shape], data: b.toString('base64') } };
    }
    // an int64 array crosses as int64 bytes (labels a Python engine indexes with: a[y, range(m)]); one whose data
    // was changed in place to non-integers after it was made is sent as what it now holds, float64
    if (v.dtype === 'int64' && v.data.every(Number.isSafeInteger)) {
      const b = Buffer.alloc(v.size * 8);
      v.data.forEach((x, i) => b.writeBigInt64LE(BigInt(x), i * 8));
      return { __ndarray__: { dtype: 'int64', shape: [...v.shape], data: b.toString('base64') } };
    }
    const bytes = Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength);
    return { __ndarray__: { dtype: 'float64', shape: [...v.shape], data: bytes.toString('base64') } };
  }
  if (Array.isArray(v)) return { __tuple__: v.map(encodeValue) };
  const out: { [k: string]: Wire } = {};
  for (const [k, x] of Object.entries(v)) out[k] = encodeValue(x);
  return { __dict__: out };
}

/** Each wire dtype: its width, how to read one value, and the NDArray dtype it becomes. */
const DTYPES: Record<string, { bytes: number; read: (b: Buffer, o: number) => number; as: DType }> = {
  float64: { bytes: 8, read: (b, o) => b.readDoubleLE(o), as: 'float64' },
  float32: { bytes: 4, read: (b, o) => b.readFloatLE(o), as: 'float32' },
  int64: { bytes: 8, read: (b, o) => int64At(b, o), as: 'int64' },
  int32: { bytes: 4, read: (b, o) => b.readInt32LE(o), as: 'int64' },
  // booleans are 0/1 floats, as they were before integers had a dtype (masks, predictions compared as numbers)
  bool: { bytes: 1, read: (b, o) => b[o], as: 'float64' },
};

function int64At(b: Buffer, o: number): number {
  const x = b.readBigInt64LE(o);
  if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new ProtocolError(`int64 value ${x} is beyond 2^53 - 1: the suite cannot hold it exactly`);
  return Number(x);
}

export function decodeValue(w: Wire, where = 'value'): Value {
  if (w === null || typeof w === 'boolean' || typeof w === 'string' || typeof w === 'number') return w;
  if (Array.isArray(w)) return w.map((x, i) => decodeValue(x, `${where}[${i}]`)); // a Python list
  if ('__ndarray__' in w) {
    const a = w.__ndarray__ as { dtype: string; shape: number[]; data: string };
    const spec = DTYPES[a?.dtype];
    if (!spec) throw new ProtocolError(`${where}: unsupported array dtype ${JSON.stringify(a?.dtype)}`);
    if (!Array.isArray(a.shape) || !a.shape.every((d) => Number.isInteger(d) && d >= 0))
      throw new ProtocolError(`${where}: bad array shape ${JSON.stringify(a.shape)}`);
    const bytes = Buffer.from(a.data, 'base64');
    const n = a.shape.reduce((x, y) => x * y, 1);
    if (bytes.length !== n * spec.bytes)
      throw new ProtocolError(`${where}: ${bytes.length} bytes for ${n} ${a.dtype} values`);
    if (a.dtype === 'float64') {
      const data = new Float64Array(n);
      new Uint8Array(data.buffer).set(bytes);
      return new NDArray(data, a.shape);
    }
    // float32 keeps its dtype (the checks hold it to float32's rounding); integers are int64, booleans 0/1 floats
    try {
      return new NDArray(
        Float64Array.from({ length: n }, (_, i) => spec.read(bytes, i * spec.bytes)),
        a.shape,
        spec.as,
      );
    } catch (err) {
      if (err instanceof ProtocolError) throw new ProtocolError(`${where}: ${err.message}`);
      throw err;
    }
  }
  if ('__tuple__' in w) return (w.__tuple__ as Wire[]).map((x, i) => decodeValue(x, `${where}[${i}]`));
  if ('__float__' in w) {
    const f = w.__float__;
    if (f === 'nan') return NaN;
    if (f === 'inf') return Infinity;
    if (f === '-inf') return -Infinity;
    if (f === '-0') return -0;
    throw new ProtocolError(`${where}: bad __float__ ${JSON.stringify(f)}`);
  }
  if ('__dict__' in w) {
    const out: { [k: string]: Value } = {};
    for (const [k, x] of Object.entries(w.__dict__ as { [k: string]: Wire }))
      out[k] = decodeValue(x, `${where}["${k}"]`);
    return out;
  }
  throw new ProtocolError(`${where}: an object without a type tag (keys ${Object.keys(w).join(', ')})`);
}

export interface Request {
  id: number;
  op: 'hello' | 'call' | 'seed' | 'bye';
  fn?: string;
  args?: Wire[];
  kwargs?: { [k: string]: Wire };
  seed?: number;
}

export type Response =
  | {
      id: number;
      ok: true;
      value: Wire /** arguments the call changed in place (the value is still right to check) */;
      mutated?: string[];
      /** the arguments' state after the call (Python runner): the suite compares it with what it sent */
      after?: Wire;
    }
  | { id: number; ok: false; error: { type: string; message: string; traceback?: string } };

/** A line is a response only if it parses as one: anything else is stray output of the engine. */
export function parseResponse(line: string): Response | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const r = JSON.parse(line);
    if (typeof r === 'object' && r !== null && Number.isInteger(r.id) && typeof r.ok === 'boolean')
      return r as Response;
  } catch {
    /* stray output */
  }
  return undefined;
}
