/** .npy files: written and read back bit for bit; NumPy reads ours and we read NumPy's; malformed files refused. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeNpy, encodeNpy, readNpy, writeNpy, writeNpyChunks, NpyFormatError } from './npy.ts';
import { readFileSync } from 'node:fs';
import { RandomState } from '../random/index.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { IntNDArray } from '../random/int-array.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';

describe('.npy round trips', () => {
  it('float64 keeps every bit, including NaN payloads, -0 and subnormals; 0-d and empty shapes', () => {
    const data = new Float64Array([0, -0, 5e-324, Infinity, -Infinity, NaN, 1 / 3, -2.5]);
    new DataView(data.buffer).setBigUint64(5 * 8, 0x7ff8dead0000beefn, true);
    for (const a of [new NDArray(data, [2, 4]), NDArray.scalar(-0), NDArray.zeros([0, 3])]) {
      const back = decodeNpy(encodeNpy(a)) as NDArray;
      expect([...back.shape]).toEqual([...a.shape]);
      expect(
        Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength).equals(Buffer.from(a.data.buffer)),
      ).toBe(true);
    }
  });
  it('integer dtypes keep theirs', () => {
    const a = new IntNDArray('int16', [3], Int16Array.of(-5, 0, 32767));
    const back = decodeNpy(encodeNpy(a)) as IntNDArray;
    expect(back.dtype).toBe('int16');
    expect(back.toNumbers()).toEqual([-5, 0, 32767]);
  });
  it('writeNpy writes the same bytes as encodeNpy (header, then the data as it is in memory)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    try {
      const a = new IntNDArray('int16', [3], Int16Array.of(-5, 0, 32767));
      const f = NDArray.from([
        [1.5, -0],
        [NaN, 4],
      ]);
      for (const x of [a, f, NDArray.zeros([0, 2])]) {
        writeNpy(join(dir, 'x.npy'), x);
        expect(readFileSync(join(dir, 'x.npy')).equals(encodeNpy(x))).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('writeNpyChunks: chunks of any size (odd ones split normal pairs) give the file of the whole array', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    try {
      const whole = new RandomState(5).standard_normal([3, 41]) as NDArray;
      for (const chunk of [1, 7, 64, 123, 1000]) {
        const rs = new RandomState(5);
        writeNpyChunks(join(dir, 'c.npy'), [3, 41], (c) => rs.fillStandardNormal(c), chunk);
        expect(readFileSync(join(dir, 'c.npy')).equals(encodeNpy(whole)), `chunk ${chunk}`).toBe(true);
      }
      writeNpyChunks(join(dir, 'e.npy'), [0], () => {
        throw new Error('no values to make');
      });
      expect(readFileSync(join(dir, 'e.npy')).equals(encodeNpy(NDArray.zeros([0])))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('headers are padded to a multiple of 64 bytes', () => {
    expect(encodeNpy(NDArray.zeros([3])).length % 64).toBe((3 * 8) % 64);
  });
  it('refuses files that are not .npy, truncated data and unsupported dtypes', () => {
    expect(() => decodeNpy(Buffer.from('hello world'))).toThrow(NpyFormatError);
    const good = encodeNpy(NDArray.zeros([4]));
    expect(() => decodeNpy(good.subarray(0, good.length - 8))).toThrow(/truncated/);
    const odd = Buffer.from(good);
    odd.write("'<c16'", odd.indexOf("'<f8'"), 'latin1');
    expect(() => decodeNpy(odd)).toThrow();
  });
});

describe.skipIf(!hasNumpy())(`.npy with NumPy ${numpySkipReason()}`, () => {
  it('NumPy reads what we write and we read what NumPy writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    try {
      writeNpy(
        join(dir, 'ours.npy'),
        NDArray.from([
          [1.5, -0.25],
          [3, 4],
        ]),
      );
      const theirs = join(dir, 'theirs.npy');
      const out = runPython(`import numpy as np
a = np.load(${JSON.stringify(join(dir, 'ours.npy'))}); print(a.dtype, a.shape, a.tolist())
np.save(${JSON.stringify(theirs)}, np.arange(6, dtype=np.int64).reshape(2, 3))`)
        .toString()
        .trim();
      expect(out).toBe('float64 (2, 2) [[1.5, -0.25], [3.0, 4.0]]');
      const back = readNpy(theirs) as IntNDArray;
      expect(back.dtype).toBe('int64');
      expect([...back.shape]).toEqual([2, 3]);
      expect(back.toNumbers()).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
