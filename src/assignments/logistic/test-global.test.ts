/**
 * reads-test-global: a function that reads a global only the file's test code binds works once that line has run
 * (imported, or in the notebook's kernel) and raises NameError in a fresh kernel. Seen in a real week-2 file:
 * optimize's loop binds `cost_` and its print reads `cost`, which only `grads, cost = propagate(w, b, X, Y)` at module
 * level sets. The run warns on optimize (its values are right); names bound by imports, constants or the function
 * itself never warn.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../../test/oracle/numpy.ts';
import { runPythonFile } from '../../../test/helpers/run-python-file.ts';
import { assignment } from './index.ts';

const base = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'logistic', 'correct.py'),
  'utf8',
);
const dir = mkdtempSync(join(tmpdir(), 'test-global-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function edit(src: string, replace: [string, string][]): string {
  for (const [from, to] of replace) {
    if (!src.includes(from)) throw new Error(`anchor not found: ${from}`);
    src = src.replace(from, to);
  }
  return src;
}

const TEST = 'grads, cost = propagate(w, b, X, Y)';
const TEST_CODE = `\n\nw, b, X, Y = np.array([[1.], [2.]]), 2., np.array([[1., 2.], [3., 4.]]), np.array([[1, 0]])\n${TEST}\nprint("cost = " + str(cost))\n`;

const verify = (name: string, src: string) => runPythonFile(dir, name, src, assignment);

describe.skipIf(!hasNumpy())(`a function that reads a global only test code sets ${numpySkipReason()}`, () => {
  it("optimize reading the test's `cost` (its loop binds cost_): warn on optimize, never fail", async () => {
    const src =
      edit(base, [
        ['        grads, cost = propagate(w, b, X, Y)\n', '        grads, cost_ = propagate(w, b, X, Y)\n'],
        ['            costs.append(cost)\n', '            costs.append(cost_)\n'],
      ]) + TEST_CODE;
    // the print still reads `cost`: the latent bug
    expect(src).toContain('print("Cost after iteration %i: %f" % (i, cost))');
    const line = src.split('\n').indexOf(TEST) + 1;
    const r = await verify('latent.py', src);
    expect(r.verdict).toBe('warn');
    expect((r.warnings ?? []).map((w) => [w.kind, w.function, w.message])).toEqual([
      [
        'reads-test-global',
        'optimize',
        `optimize reads the global \`cost\`, which only the file's test code sets (line ${line}: \`${TEST}\`); in a fresh kernel, or without that line, it raises NameError`,
      ],
    ]);
    expect(r.warnings?.[0]?.why).toMatch(/full marks.*fresh kernel.*grader that runs the function on its own/);
    const optimize = r.checks.filter((c) => c.function === 'optimize');
    expect(optimize.length).toBeGreaterThan(0);
    expect(optimize.every((c) => c.status === 'warn')).toBe(true);
    expect(r.checks.filter((c) => c.function !== 'optimize').every((c) => c.status === 'pass')).toBe(true);
  }, 300_000);

  it('an imported name, a constant and its own local, beside the same test code: no warning', async () => {
    const src =
      edit(base, [
        ['import copy\n', 'import copy\nfrom copy import deepcopy\n\nSTEP = 1.0\n'],
        ['    w = copy.deepcopy(w)\n', '    w = deepcopy(w)\n'],
        ['        w = w - learning_rate * dw\n', '        w = w - STEP * learning_rate * dw\n'],
      ]) + TEST_CODE;
    const r = await verify('clean.py', src);
    expect(r.warnings).toEqual([]);
    expect(r.verdict).toBe('pass');
  }, 300_000);
});
