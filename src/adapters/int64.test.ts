/**
 * Integer arrays through the Python runner (src/adapters/python/protocol.py): the suite's int64 labels reach NumPy as
 * int64 (indexing works), integer results come back tagged int64, booleans as 0/1 float64, and an argument sent as
 * int64 and left alone is not reported as mutated.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import { pythonEngine } from './index.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';

const ENGINE = `import numpy as np

def kind(y):
    return str(y.dtype), list(y.shape)

def pick(a, y):
    return a[y, range(y.shape[1])]

def ints():
    return np.array([[1, -2]], dtype=np.int32), np.array([True, False]), np.array([2 ** 60]), np.arange(3)

def overwrite(y):
    y[0, 0] = 1
    return 0
`;

describe.skipIf(!hasNumpy())(`Python runner: integer arrays ${numpySkipReason()}`, () => {
  it('int64 labels reach NumPy as int64 and index; integer results come back int64, booleans float64', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-int-'));
    const file = join(dir, 'ints.py');
    writeFileSync(file, ENGINE);
    const e = pythonEngine(file);
    try {
      const y = NDArray.from([[2, 0, 1]], 'int64');
      expect(await e.call('kind', [y])).toEqual(['int64', [1, 3]]);
      expect(await e.call('kind', [NDArray.from([[2, 0, 1]])])).toEqual(['float64', [1, 3]]);
      const a = NDArray.from([
        [0.1, 0.2, 0.3],
        [1.1, 1.2, 1.3],
        [2.1, 2.2, 2.3],
      ]);
      const picked = (await e.call('pick', [a, y])) as NDArray;
      expect([...picked.shape]).toEqual([1, 3]);
      expect(Array.from(picked.data)).toEqual([2.1, 0.2, 1.3]);
      expect(picked.dtype).toBe('float64');
      const [i32, bools, big, range] = (await e.call('ints', [])) as NDArray[];
      expect([i32.dtype, Array.from(i32.data)]).toEqual(['int64', [1, -2]]);
      expect([bools.dtype, Array.from(bools.data)]).toEqual(['float64', [1, 0]]);
      // beyond 2^53 - 1: sent as float64, as every integer array was before (the nearest double)
      expect([big.dtype, big.data[0]]).toEqual(['float64', 2 ** 60]);
      expect([range.dtype, Array.from(range.data)]).toEqual(['int64', [0, 1, 2]]);
      // an int64 argument left alone is not a mutation; one written to is
      e.takeNotices?.();
      await e.call('kind', [y]);
      expect(e.takeNotices?.() ?? []).toEqual([]);
      await e.call('overwrite', [NDArray.from([[0, 0]], 'int64')]);
      expect((e.takeNotices?.() ?? []).map((n) => n.kind)).toEqual(['mutates-input']);
    } finally {
      await e.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('protocol.py decodes int64, int32 and bool arrays to their NumPy dtypes', () => {
    const code = `import json, sys
sys.path.insert(0, ${JSON.stringify(join(import.meta.dirname, 'python'))})
from protocol import decode
for w in json.load(sys.stdin):
    a = decode(w)
    print(a.dtype, a.shape, a.tolist())`;
    // the base64 strings are NumPy's bytes of [[0, 2, -1, 2**53 - 1]] as '<i8', [3, -4] as '<i4', [True, False, True]
    const wire = [
      { __ndarray__: { dtype: 'int64', shape: [1, 4], data: 'AAAAAAAAAAACAAAAAAAAAP//////////////////HwA=' } },
      { __ndarray__: { dtype: 'int32', shape: [2], data: 'AwAAAPz///8=' } },
      { __ndarray__: { dtype: 'bool', shape: [3], data: 'AQAB' } },
    ];
    const out = runPython(code, JSON.stringify(wire)).toString().trim().split('\n');
    expect(out).toEqual([
      'int64 (1, 4) [[0, 2, -1, 9007199254740991]]',
      'int32 (2,) [3, -4]',
      'bool (3,) [True, False, True]',
    ]);
  });
});
