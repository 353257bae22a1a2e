/**
 * A global that only the file's test code binds, where that code cannot run here because it needs the course's test
 * data. Seen in real W3A1 notebooks (and outside the measured corpus): compute_cost(A2, Y) starts with
 * `W1 = parameters['W1']`, left over from the older 3-argument signature; `parameters` is bound by test cells
 * (`parameters = initialize_parameters(n_x, n_h, n_y)` after `n_x, n_h, n_y = initialize_parameters_test_case()`).
 * In the notebook the course's grader passes it. The run checks compute_cost with a stand-in for `parameters` that
 * raises on any use of its value: a read that never reaches the result passes with the reads-test-global warning; a
 * result computed from it fails, naming the global.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../../test/oracle/numpy.ts';
import { runPythonFile } from '../../../test/helpers/run-python-file.ts';
import { assignment } from './index.ts';

const base = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'planar', 'correct.py'),
  'utf8',
);
const dir = mkdtempSync(join(tmpdir(), 'planar-test-global-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COST = '    m = Y.shape[1]\n    logprobs';
// the notebook's test cells, as a .py export has them (the cell marker makes it a notebook's cells)
const CELLS = [
  '',
  '# In[5]:',
  'from testCases_v2 import *',
  'n_x, n_h, n_y = initialize_parameters_test_case()',
  'parameters = initialize_parameters(n_x, n_h, n_y)',
  'print("W1 = " + str(parameters["W1"]))',
  '',
].join('\n');

const verify = (name: string, src: string) => runPythonFile(dir, name, src, assignment);

describe.skipIf(!hasNumpy())(`a global bound only by test cells that cannot run here ${numpySkipReason()}`, () => {
  it('compute_cost reading `parameters` it never uses: warn on compute_cost, the values checked', async () => {
    expect(base).toContain(COST);
    const src = base.replace(COST, `    W1 = parameters["W1"]\n    W2 = parameters["W2"]\n${COST}`) + CELLS;
    const r = await verify('dead-read.py', src);
    expect(r.verdict).toBe('warn');
    const warnings = (r.warnings ?? []).filter((w) => w.kind === 'reads-test-global');
    expect(warnings.map((w) => w.function)).toEqual(['compute_cost']);
    expect(warnings[0].message).toMatch(
      /compute_cost reads the global `parameters`, which only the file's test code sets \(line \d+: `parameters = initialize_parameters\(n_x, n_h, n_y\)`\), a line that needs the course's test data and could not run here: the checks ran with a stand-in .* so a check that passed never depended on it/,
    );
    expect(r.checks.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([]);
  }, 300_000);

  it('a function returning the global: fails as Python would in a fresh kernel, naming the line that binds it', async () => {
    const src =
      base.replace(
        '    cost = float(np.squeeze(cost))\n    return cost\n',
        '    cost = float(np.squeeze(cost))\n    return parameters\n',
      ) + CELLS;
    expect(src).toContain('    return parameters\n');
    const r = await verify('returned.py', src);
    expect(r.verdict).toBe('fail');
    const root = r.rootCauses?.find((c) => c.function === 'compute_cost');
    expect(root?.headline).toMatch(
      /^compute_cost reads the notebook global 'parameters', which only line \d+ of the file binds \(`parameters = initialize_parameters\(n_x, n_h, n_y\)`\), a line that could not run here/,
    );
    expect(JSON.stringify(r)).not.toMatch(/UnsetTestGlobal/);
  }, 300_000);

  it('compute_cost computing its result from `parameters`: fails, naming the global', async () => {
    const src =
      base
        .replace(COST, `    W1 = parameters["W1"]\n${COST}`)
        .replace('    cost = -np.sum(logprobs) / m\n', '    cost = -np.sum(logprobs) / m + 0 * np.sum(W1)\n') + CELLS;
    const r = await verify('used.py', src);
    expect(r.verdict).toBe('fail');
    const bad = r.checks.filter((c) => (c.status === 'fail' || c.status === 'error') && c.function === 'compute_cost');
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.some((c) => /the value of the global 'parameters' was used/.test(c.message))).toBe(true);
  }, 300_000);
});
