/**
 * An export of only a notebook's graded cells (the course's template cells, with its imports, absent) reads names
 * the template's import cell binds: np, copy, planar_utils' sigmoid. The course's grader runs those cells after the
 * template's, so the runner supplies them from the template, and says so; an import of a module that does not exist
 * (an IDE's auto-import) costs only itself and does not shadow the template's name. The files here are written for
 * this test, in the shape of such exports, not taken from anyone's submission.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { pythonEngine } from './index.ts';

const RUNNER = join(import.meta.dirname, 'python', 'runner.py');
const dir = mkdtempSync(join(tmpdir(), 'template-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

type Answer = { id: number; ok: boolean; value?: unknown; error?: { type: string; message: string } };

/** The protocol's dict wrappers ({__dict__: ...}) removed. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && '__dict__' in o) return plain(o.__dict__);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/** runner.py on `path`: its plan, its hello's raised statements, and each call's answer (fn, one argument). */
function serve(path: string, calls: [string, number][]) {
  const requests = [
    { id: 1, op: 'hello' },
    ...calls.map(([fn, x], i) => ({ id: 2 + i, op: 'call', fn, args: [x] })),
    { id: -1, op: 'bye' },
  ];
  const r = spawnSync('python3', [RUNNER, path, '--load', 'auto'], {
    input: `${requests.map((q) => JSON.stringify(q)).join('\n')}\n`,
    encoding: 'utf8',
    cwd: dir,
    timeout: 60_000,
  });
  const answers = new Map<number, Answer>();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const a = JSON.parse(line) as Answer;
    answers.set(a.id, a);
  }
  const plan = plain(answers.get(0)?.value) as { mode: string; supplied?: string[] };
  const hello = plain(answers.get(1)?.value) as { raised: { text: string; why: string }[] };
  const results = calls.map((_, i) => {
    const a = answers.get(2 + i);
    return a?.ok ? plain(a.value) : `${a?.error?.type}: ${a?.error?.message}`;
  });
  return { plan, hello, results, stderr: r.stderr };
}

/** Week 2's graded cells only: np and copy used, never imported; a data cell reads what the template loads. */
const W2_CELLS = `m_train = train_set_x_orig.shape[0]

def sigmoid(z):
    return 1 / (1 + np.exp(-z))

def initialize_with_zeros(dim):
    return np.zeros((dim, 1)), 0.0

def propagate(w, b, X, Y):
    return {}, float(np.sum(w))

def optimize(w, num_iterations=1):
    w = copy.deepcopy(w)
    for _ in range(num_iterations):
        w = w - 1
    return w
`;

/** Week 3's graded cells only: numpy imported, sigmoid "imported" from a module that does not exist. */
const W3_CELLS = `import numpy as np
from GRADED_FUNCTION import sigmoid

m = X.shape[1]

def layer_sizes(X, Y):
    return X.shape[0], 4, Y.shape[0]

def forward_propagation(z):
    return float(sigmoid(np.float64(z)))

def backward_propagation(z):
    return z

def nn_model(z):
    return forward_propagation(z)
`;

describe.skipIf(!hasNumpy())(`graded cells without the template's import cell ${numpySkipReason()}`, () => {
  it('np and copy, read and never bound, are supplied from the course template and listed in the plan', () => {
    const r = serve(file('w2-graded.py', W2_CELLS), [
      ['sigmoid', 0],
      ['optimize', 5],
    ]);
    expect(r.plan.mode).toBe('notebook');
    expect(r.plan.supplied).toEqual(['copy', 'np']);
    expect(r.results).toEqual([0.5, 4]);
  });

  it("an import of a module that does not exist costs only itself: sigmoid stays the template's (planar_utils')", () => {
    const r = serve(file('w3-graded.py', W3_CELLS), [['forward_propagation', 0]]);
    expect(r.plan.mode).toBe('notebook');
    // the file binds sigmoid (and np) itself: nothing is supplied up front
    expect(r.plan.supplied).toBeUndefined();
    expect(r.results).toEqual([0.5]);
    expect(r.hello.raised).toContainEqual({
      where: 'line 2',
      text: 'from GRADED_FUNCTION import sigmoid',
      why: expect.stringMatching(
        /^raised ModuleNotFoundError: No module named 'GRADED_FUNCTION'; sigmoid: the course template's/,
      ),
      order: [0, 2],
    });
  });

  it('a name the file binds itself is never supplied', () => {
    const own = `${W2_CELLS}\ndef load_dataset(n):\n    return n * 7\n\ncopy = None\nimport math as np\n`;
    const r = serve(file('w2-own.py', own), [
      ['load_dataset', 1],
      ['sigmoid', 0],
    ]);
    expect(r.plan.mode).toBe('notebook');
    expect(r.plan.supplied).toBeUndefined();
    // its own load_dataset, and its own np (math: exp exists, and sigmoid(0) is still 0.5 as a float)
    expect(r.results).toEqual([7, 0.5]);
  });

  it('a plain module Python can import stays as it is; a week-4 export gets no template', () => {
    const module = W2_CELLS.replace('m_train = train_set_x_orig.shape[0]\n', '');
    const plainModule = serve(file('w2-module.py', module), [['sigmoid', 0]]);
    expect(plainModule.plan.mode).toBe('module');
    expect(plainModule.plan.supplied).toBeUndefined();
    expect(plainModule.results).toEqual(["NameError: name 'np' is not defined"]);
    const week4 = `m = X.shape[1]\n\ndef L_model_forward(x):\n    return np.exp(x)\n\ndef linear_forward(x):\n    return copy.copy(x)\n`;
    const w4 = serve(file('w4-graded.py', week4), [['L_model_forward', 0]]);
    expect(w4.plan.mode).toBe('notebook');
    expect(w4.plan.supplied).toBeUndefined();
    expect(w4.results).toEqual(["NameError: name 'np' is not defined"]);
  });

  it("the engine's load info lists what was supplied", async () => {
    const engine = pythonEngine(file('w2-engine.py', W2_CELLS));
    try {
      await engine.functions();
      expect(engine.loadInfo?.().supplied).toEqual(['copy', 'np']);
    } finally {
      await engine.close();
    }
  });
});
