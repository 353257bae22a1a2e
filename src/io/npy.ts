/**
 * NumPy's .npy format, version 1.0 (numpy/lib/format.py documents it): magic "\x93NUMPY", version, a
 * little-endian uint16 header length, an ASCII dict {'descr', 'fortran_order', 'shape'} padded with spaces to a
 * multiple of 64 bytes and ending in a newline, then the raw C-order data. Enough for float64 and the integer
 * dtypes the random streams produce, read and written bit-exactly.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { NDArray, shapeSize, type Shape } from '../tensor/ndarray.ts';
import { IntNDArray, INT_DTYPES, type IntDType } from '../random/int-array.ts';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

function shapeLiteral(shape: Shape): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** The header of a .npy file (magic, version 1.0, dict padded to 64 bytes) for C-ordered data. */
export function npyHeader(descr: string, shape: Shape): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeLiteral(shape)}, }`;
  const unpadded = 10 + dict.length + 1;
  const pad = (64 - (unpadded % 64)) % 64;
  const text = `${dict + ' '.repeat(pad)}\n`;
  const out = Buffer.alloc(10 + text.length);
  MAGIC.copy(out, 0);
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(text.length, 8);
  out.write(text, 10, 'latin1');
  return out;
}

/** The bytes of a .npy file holding `array` (float64 '<f8' or the integer array's dtype). */
export function encodeNpy(array: NDArray | IntNDArray): Buffer {
  const descr = array instanceof NDArray ? '<f8' : INT_DTYPES[array.dtype].descr;
  const data = array.data;
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([npyHeader(descr, array.shape), body]);
}

/** Writes all of `view` (a write may take fewer bytes than asked). */
function writeAll(fd: number, view: ArrayBufferView): void {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Writes `array` as a .npy file: the header, then the array's own bytes (never a copy of them). */
export function writeNpy(path: string, array: NDArray | IntNDArray): void {
  const descr = array instanceof NDArray ? '<f8' : INT_DTYPES[array.dtype].descr;
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, npyHeader(descr, array.shape));
    writeAll(fd, array.data);
  } finally {
    closeSync(fd);
  }
}

/** Values per chunk of writeNpyChunks: 512 KB, which stays in the core's L2 between being made and written. */
export const NPY_CHUNK = 1 << 16;

/**
 * Writes a float64 .npy file of `shape` whose values are made chunk by chunk: `fill(chunk)` puts the next
 * chunk.length values into `chunk`, one buffer used again for every chunk, so the whole array never exists in
 * memory (and its pages are never touched for the first time).
 */
export function writeNpyChunks(
  path: string,
  shape: Shape,
  fill: (chunk: Float64Array) => void,
  chunkSize = NPY_CHUNK,
): void {
  const total = shapeSize(shape);
  const buffer = new Float64Array(Math.max(1, Math.min(chunkSize, total)));
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, npyHeader('<f8', shape));
    for (let done = 0; done < total; ) {
      const chunk = total - done >= buffer.length ? buffer : buffer.subarray(0, total - done);
      fill(chunk);
      writeAll(fd, chunk);
      done += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
}

const DESCR_TO_DTYPE: Record<string, IntDType> = Object.fromEntries(
  Object.entries(INT_DTYPES).map(([name, info]) => [info.descr, name as IntDType]),
);

export class NpyFormatError extends Error {
  override name = 'NpyFormatError';
}

/** Parse .npy bytes (version 1.x/2.x, little-endian, C order). */
export function decodeNpy(bytes: Uint8Array): NDArray | IntNDArray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) throw new NpyFormatError('not a .npy file (bad magic)');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const text = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new NpyFormatError(`malformed .npy header: ${text.trim()}`);
  if (fortran === 'True') throw new NpyFormatError('Fortran-ordered .npy files are not supported');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  const n = shapeSize(shape);
  const offset = start + headerLen;
  const raw = buf.subarray(offset);
  const aligned = new Uint8Array(raw.length);
  aligned.set(raw); // copy so typed views are aligned
  if (descr === '<f8') {
    if (raw.length < 8 * n)
      throw new NpyFormatError(`truncated .npy data: ${raw.length} bytes for ${n} float64 values`);
    return new NDArray(new Float64Array(aligned.buffer, 0, n), shape);
  }
  const dtype = DESCR_TO_DTYPE[descr];
  if (!dtype) throw new NpyFormatError(`unsupported .npy dtype '${descr}'`);
  const probe = INT_DTYPES[dtype].make(0);
  const width = probe.BYTES_PER_ELEMENT;
  if (raw.length < width * n)
    throw new NpyFormatError(`truncated .npy data: ${raw.length} bytes for ${n} ${dtype} values`);
  const Ctor = probe.constructor as new (b: ArrayBuffer, o: number, n: number) => typeof probe;
  return new IntNDArray(dtype, shape, new Ctor(aligned.buffer, 0, n));
}

export function readNpy(path: string): NDArray | IntNDArray {
  return decodeNpy(readFileSync(path));
}
