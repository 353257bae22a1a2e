/**
 * A Python engine is verified as Python would run it (issue 20): a plain module is imported as is, so a function
 * rebound at module level through a call (a decorator factory, jit(f)) is the one checked; notebook-style loading
 * (a notebook, a .py export, or --load notebook) never leaves out a statement that binds a name the file defines
 * as a function, or a name one of its functions reads.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { pythonEngine, type AdapterOptions } from './index.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { main } from '../cli/main.ts';

/** `dnn-verify check ...` in this process, its stdout and stderr kept quiet; the exit code. */
async function check(args: string[]): Promise<number> {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    return await main(['check', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const ROOT = join(import.meta.dirname, '..', '..');
const CORRECT = readFileSync(join(ROOT, 'fixtures', 'engines', 'correct.py'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** correct.py with `tail` appended (module-level statements after the definitions). */
const withTail = (tail: string) => `${CORRECT}\n\n${tail}\n`;

const DOUBLED = `def _doubled(f):
    def wrapper(*args, **kwargs):
        return 2 * f(*args, **kwargs)
    return wrapper


compute_cost = _doubled(compute_cost)`;

/** The source as a notebook: one cell per top-level chunk. */
function notebook(src: string): string {
  const cells = src.split(/\n(?=def |\S+ = _doubled|_SCALE)/).map((s) => ({
    cell_type: 'code',
    metadata: {},
    outputs: [],
    execution_count: null,
    source: s,
  }));
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 4 });
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function verify(path: string, functions: string[], options: AdapterOptions = {}) {
  const engine = pythonEngine(path, { timeoutMs: 10_000, ...options });
  try {
    return await runSuites(engine, new ReferenceEngine(), allSuites(), { seed: 0, runs: 3, functions });
  } finally {
    await engine.close();
  }
}

const statusOf = (r: Awaited<ReturnType<typeof verify>>, fn: string) =>
  r.checks.filter((c) => c.function === fn).some((c) => c.status === 'fail' || c.status === 'error') ? 'fail' : 'pass';

describe.skipIf(!hasNumpy())(`Python engines load as Python runs them ${numpySkipReason()}`, () => {
  it('a plain .py whose module level rebinds compute_cost through a call: the rebound function is checked (fails)', async () => {
    const r = await verify(file('doubled.py', withTail(DOUBLED)), ['compute_cost', 'linear_forward']);
    expect(statusOf(r, 'compute_cost')).toBe('fail');
    expect(statusOf(r, 'linear_forward')).toBe('pass');
    expect(r.detected.dropped ?? []).toEqual([]);
  });

  it('notebook-style loading keeps a statement that binds a checked function: as a notebook and with --load notebook', async () => {
    const nb = await verify(file('doubled.ipynb', notebook(withTail(DOUBLED))), ['compute_cost']);
    expect(statusOf(nb, 'compute_cost')).toBe('fail');
    const py = await verify(file('doubled-nb.py', withTail(DOUBLED)), ['compute_cost'], { load: 'notebook' });
    expect(statusOf(py, 'compute_cost')).toBe('fail');
  });

  it('a checked function bound only by a call that wraps a private one (compute_cost = _doubled(_cost)) is the one checked: as a module and as a notebook', async () => {
    // the file defines no `def compute_cost`: Python binds the name through the call, so the suite checks it
    const src = withTail(
      DOUBLED.replace('compute_cost = _doubled(compute_cost)', 'compute_cost = _doubled(_cost)'),
    ).replace('def compute_cost(AL, Y):', 'def _cost(AL, Y):');
    if (src.includes('def compute_cost')) throw new Error('correct.py changed');
    const py = await verify(file('wrapped.py', src), ['compute_cost', 'linear_forward']);
    expect(statusOf(py, 'compute_cost')).toBe('fail');
    expect(statusOf(py, 'linear_forward')).toBe('pass');
    expect(py.verdict).toBe('fail');
    const nb = await verify(file('wrapped.ipynb', notebook(src)), ['compute_cost']);
    expect(statusOf(nb, 'compute_cost')).toBe('fail');
    // the same wrapper around the correct cost, without doubling, passes: the wrapper itself is not the fault
    const same = src.replace('return 2 * f(*args, **kwargs)', 'return f(*args, **kwargs)');
    const ok = await verify(file('wrapped-ok.ipynb', notebook(same)), ['compute_cost']);
    expect(ok.verdict).toBe('pass');
  });

  it("notebook-style loading keeps a statement that binds a checked name to any computed value (compute_cost = make_cost(2.0)): the factory's function is checked", async () => {
    const factory = (scale: string) =>
      [
        '# In[1]:',
        'import numpy as np',
        'def make_cost(scale):',
        '    def cost(AL, Y):',
        '        m = Y.shape[1]',
        '        return scale * np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)',
        '    return cost',
        `compute_cost = make_cost(${scale})`,
        'print(compute_cost(np.array([[0.5]]), np.array([[1]])))',
        '',
      ].join('\n');
    const doubled = await verify(file('factory.py', factory('2.0')), ['compute_cost']);
    expect(statusOf(doubled, 'compute_cost')).toBe('fail');
    expect(((doubled.detected.dropped ?? []) as { text: string }[]).map((d) => d.text)).toEqual([
      'print(compute_cost(np.array([[0.5]]), np.array([[1]])))',
    ]);
    expect((await verify(file('factory-ok.py', factory('1.0')), ['compute_cost'])).verdict).toBe('pass');
  });

  it('notebook-style loading keeps a computed name a function reads, and still leaves out test calls and prints', async () => {
    const src = CORRECT.replace('    cost = np.squeeze(cost)\n', '    cost = np.squeeze(cost) * _SCALE\n').concat(
      '\n\n_SCALE = float(np.ones(1)[0])\nprint("defined")\nlinear_forward(1, 2)\n',
    );
    if (!src.includes('* _SCALE')) throw new Error('correct.py changed');
    const r = await verify(file('scale.ipynb', notebook(src)), ['compute_cost']);
    expect(statusOf(r, 'compute_cost')).toBe('pass');
    const dropped = (r.detected.dropped ?? []) as { text: string }[];
    expect(dropped.map((d) => d.text)).toEqual(['print("defined")', 'linear_forward(1, 2)']);
  });

  it('a plain .py runs every statement as Python imports it: a failing test call at module level stops the load, unless loaded as a notebook', async () => {
    const path = file('asserts.py', withTail('assert linear_forward(np.ones((1, 1)), np.ones((1, 1)), 0)[0] == 3'));
    const r = await verify(path, ['linear_forward']);
    expect(r.verdict).toBe('error');
    expect(r.reason).toMatch(/could not be loaded: AssertionError/);
    const nb = await verify(path, ['linear_forward'], { load: 'notebook' });
    expect(nb.verdict).toBe('pass');
  });

  it('a plain .py that loads the course data at module level (a notebook pasted into a script): that statement and what follows from it are left out, the functions defined after it still load', async () => {
    // the course's grader runs this beside datasets/*.h5; the grader here has none (standins/course_data.py)
    const tail = [
      'from dnn_app_utils_v3 import load_data',
      'train_x, train_y, test_x, test_y, classes = load_data()',
      'm_train = train_x.shape[1]',
      '',
      'def two_layer_shape():',
      '    return m_train',
    ].join('\n');
    const r = await verify(file('script.py', withTail(tail)), ['linear_forward']);
    expect(r.verdict).toBe('pass');
    const dropped = (r.detected.dropped ?? []) as { text: string; why: string }[];
    expect(dropped.map((d) => [d.text, d.why.split(':')[0]])).toEqual([
      ['train_x, train_y, test_x, test_y, classes = load_data()', 'raised CourseDataUnavailable'],
      ['m_train = train_x.shape[1]', 'raised NameError'],
    ]);
  });

  it('check --load: notebook loads the file that fails as a module; a mode that does not exist is a usage error', async () => {
    const path = file('cli-asserts.py', withTail('assert False, "a test cell that fails"'));
    const common = ['--python', path, '--functions', 'linear_forward', '--runs', '2', '--sandbox', 'none'];
    expect(await check([...common, '--report-dir', join(dir, 'r-auto')])).toBe(2);
    expect(await check([...common, '--load', 'notebook', '--report-dir', join(dir, 'r-nb')])).toBe(0);
    expect(await check([...common, '--load', 'script', '--report-dir', join(dir, 'r-bad')])).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'r-nb', 'report.json'), 'utf8')).verdict).toBe('pass');
  });
});
