/**
 * `dnn-verify random`: the float methods are made and written in chunks; across chunk seams (and with an odd
 * count, which leaves a normal pair half used) the file holds NumPy's values, bit for bit.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';
import { NPY_CHUNK } from '../../io/npy.ts';
import { main } from '../main.ts';

const N = 2 * NPY_CHUNK + 3;
const CASES: [string, string[], string][] = [
  ['randn', [], `np.random.randn(${N})`],
  ['rand', [], `np.random.rand(${N})`],
  ['normal', ['--loc', '-1.5', '--scale', '3'], `np.random.normal(-1.5, 3, ${N})`],
  ['uniform', ['--low', '-2', '--high', '5'], `np.random.uniform(-2, 5, ${N})`],
];

describe('dnn-verify random', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-random-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!hasNumpy())(
    `randn, rand, normal, uniform over ${N} values (two chunk seams) equal np.save of NumPy's ${numpySkipReason()}`,
    async () => {
      for (const [method, extra, expr] of CASES) {
        const ours = join(dir, `${method}.npy`);
        const theirs = join(dir, `${method}-numpy.npy`);
        expect(
          await main(['random', '--seed', '7,11', '--method', method, '--size', String(N), ...extra, '--out', ours]),
        ).toBe(0);
        runPython(`import numpy as np; np.random.seed([7, 11]); np.save(${JSON.stringify(theirs)}, ${expr})`);
        expect(readFileSync(ours).equals(readFileSync(theirs)), method).toBe(true);
      }
    },
    60_000,
  );

  it("bad arguments are refused before the file is created, with the method's own error", async () => {
    const out = join(dir, 'never.npy');
    const args = ['random', '--seed', '1', '--method', 'normal', '--size', '5', '--scale', '-1', '--out', out];
    expect(await main(args)).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
