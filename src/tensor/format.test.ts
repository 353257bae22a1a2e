/** NumPy's print format, checked against NumPy itself on random arrays (live) and on notebook prints. */
import { describe, expect, it } from 'vitest';
import { NDArray } from './ndarray.ts';
import { formatArray, formatPythonFloat, parseArray, reprArray } from './format.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';

describe('printed values from the notebooks', () => {
  it.each([
    [[[3.262953374654174, -1.2342998686128757]], '[[ 3.26295337 -1.23429987]]'],
    [[[0.1700726476691228, 0.2524271978768134]], '[[0.17007265 0.2524272 ]]'],
    [[[3.43896131, 0]], '[[3.43896131 0.        ]]'],
    [[[-0.0, 1.5]], '[[-0.   1.5]]'],
  ])('%j prints as %s', (nested, text) => {
    expect(formatArray(NDArray.from(nested))).toBe(text);
  });
  it('Python floats print as repr', () => {
    expect(formatPythonFloat(0.41493159961539694)).toBe('0.41493159961539694');
    expect(formatPythonFloat(1e-5)).toBe('1e-05');
    expect(formatPythonFloat(2)).toBe('2.0');
    expect(formatPythonFloat(1.5e16)).toBe('1.5e+16');
  });
  it('repr() wraps past "array(" with comma separators', () => {
    expect(
      reprArray(
        NDArray.from([
          [1, 2],
          [3, 4.5],
        ]),
      ),
    ).toBe('array([[1. , 2. ],\n       [3. , 4.5]])');
    expect(reprArray(NDArray.scalar(0.5))).toBe('array(0.5)');
    expect(reprArray(NDArray.zeros([0]))).toBe('array([], dtype=float64)');
    expect(reprArray(NDArray.zeros([2, 0]))).toBe('array([], shape=(2, 0), dtype=float64)');
  });
  it('parses prints back, including wrapped rows and -0.', () => {
    const a = parseArray('[[ 1.5 -0.  ]\n [ 2.   3.  ]]');
    expect([...a.shape]).toEqual([2, 2]);
    expect(Array.from(a.data)).toEqual([1.5, -0, 2, 3]);
    expect(() => parseArray('[[1, 2]')).toThrow(/unbalanced|trailing/);
    const r = parseArray('array([[ 1.5, -0. ],\n       [ 2. ,  3. ]])');
    expect([...r.shape]).toEqual([2, 2]);
    expect(Object.is(r.data[1], -0)).toBe(true);
    expect([...parseArray('array([], shape=(2, 0), dtype=float64)').shape]).toEqual([2, 0]);
    expect(parseArray('array(0.5)').data[0]).toBe(0.5);
  });
});

describe.skipIf(!hasNumpy())(`against NumPy's str() ${numpySkipReason()}`, () => {
  it('formats 400 random arrays exactly as NumPy does, with str() and repr()', () => {
    const code = `
import numpy as np, json, sys
rng = np.random.default_rng(11)
out = []
for k in range(400):
    nd = int(rng.integers(1, 4)); shape = tuple(int(s) for s in rng.integers(1, 7, nd))
    if k % 37 == 0: shape = (3, 400)
    scale = 10.0 ** rng.integers(-7, 10)
    a = rng.standard_normal(shape) * scale
    kind = k % 6
    if kind == 1: a = np.round(a, int(rng.integers(0, 4)))
    if kind == 2: a.flat[0] = 0.0
    if kind == 3: a.flat[0] = -0.0
    if kind == 4 and a.size > 1: a.flat[1] = [np.nan, np.inf, -np.inf][k % 3]
    if kind == 5: a = a.astype(np.float32).astype(np.float64)
    out.append({'shape': list(shape), 'data': [float(x).hex() for x in a.ravel()], 'text': str(a), 'repr': repr(a)})
print(json.dumps(out))
`;
    const cases = JSON.parse(runPython(code).toString()) as {
      shape: number[];
      data: string[];
      text: string;
      repr: string;
    }[];
    const fromHex = (h: string) =>
      h === 'nan' ? NaN : h === 'inf' ? Infinity : h === '-inf' ? -Infinity : parseHex(h);
    let bad = 0;
    const examples: string[] = [];
    for (const c of cases) {
      const a = new NDArray(Float64Array.from(c.data.map(fromHex)), c.shape);
      for (const [ours, text] of [
        [formatArray(a), c.text],
        [reprArray(a), c.repr],
      ]) {
        if (ours !== text) {
          bad++;
          if (examples.length < 3) {
            const nl = text.split('\n');
            const ol = ours.split('\n');
            const i = nl.findIndex((l, j) => l !== ol[j]);
            examples.push(`line ${i}: numpy ${JSON.stringify(nl[i])} ours ${JSON.stringify(ol[i])}`);
          }
        }
      }
    }
    expect(examples.join('\n\n')).toBe('');
    expect(bad).toBe(0);
  });
});

function parseHex(h: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(h);
  if (!m) throw new Error(h);
  const v = Number(BigInt(`0x${m[2]}${m[3]}`)) * 2 ** (Number(m[4]) - 4 * m[3].length);
  return m[1] ? -v : v;
}
