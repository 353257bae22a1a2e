/**
 * Week-2 and week-3 files load with the course's helpers (issue 19): lr_utils, planar_utils, the course's tests and
 * test cases, scikit-learn and matplotlib have stand-ins (python/standins/), so every function a file defines is
 * loaded, and a test call of the course costs only itself. The notebooks here are written for this test in the
 * shape of the course's (imports, data loading, test calls), not taken from anyone's submission.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { RandomState } from '../random/index.ts';
import { pythonEngine } from './index.ts';

const RUNNER = join(import.meta.dirname, 'python', 'runner.py');
const dir = mkdtempSync(join(tmpdir(), 'course-helpers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A notebook of these code cells. */
const notebook = (cells: string[]) =>
  JSON.stringify({
    cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source })),
    metadata: {},
    nbformat: 4,
    nbformat_minor: 4,
  });

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

/** runner.py on `path`: its plan, its hello, and whether each named function is defined once the file has loaded. */
function serve(path: string, probe: string[], load = 'auto') {
  const requests = [
    { id: 1, op: 'hello' },
    // a call with a keyword no function takes: TypeError if the function is there, NameError if not
    ...probe.map((fn, i) => ({ id: 2 + i, op: 'call', fn, args: [], kwargs: { __probe__: 0 } })),
    { id: -1, op: 'bye' },
  ];
  const r = spawnSync('python3', [RUNNER, path, '--load', load], {
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
  const plan = plain(answers.get(0)?.value) as { mode: string; modeReason?: string; functions: object };
  const hello = plain(answers.get(1)?.value) as {
    functions: string[];
    raised: { text: string; why: string }[];
    loadError?: string;
  };
  const defined = probe.filter((_, i) => !/defines no function/.test(answers.get(2 + i)?.error?.message ?? ''));
  return { plan, hello, defined, stderr: r.stderr };
}

const W2_FUNCTIONS = ['sigmoid', 'initialize_with_zeros', 'propagate', 'optimize', 'predict', 'model'];

/** Week 2's functions, written for this test (a logistic regression, vectorised). */
const W2_DEFS = [
  'def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n',
  'def initialize_with_zeros(dim):\n    return np.zeros((dim, 1)), 0.0\n',
  [
    'def propagate(w, b, X, Y):',
    '    m = X.shape[1]',
    '    A = sigmoid(w.T @ X + b)',
    '    cost = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))',
    '    return {"dw": X @ (A - Y).T / m, "db": np.mean(A - Y)}, cost',
    '',
  ].join('\n'),
  [
    'def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):',
    '    costs = []',
    '    for i in range(num_iterations):',
    '        grads, cost = propagate(w, b, X, Y)',
    '        w = w - learning_rate * grads["dw"]',
    '        b = b - learning_rate * grads["db"]',
    '        if i % 100 == 0:',
    '            costs.append(cost)',
    '    return {"w": w, "b": b}, grads, costs',
    '',
  ].join('\n'),
  'def predict(w, b, X):\n    return (sigmoid(w.T @ X + b) > 0.5).astype(float)\n',
  [
    'def model(X_train, Y_train, X_test, Y_test, num_iterations=2000, learning_rate=0.5, print_cost=False):',
    '    w, b = initialize_with_zeros(X_train.shape[0])',
    '    params, grads, costs = optimize(w, b, X_train, Y_train, num_iterations, learning_rate, print_cost)',
    '    return {"costs": costs, "w": params["w"], "b": params["b"]}',
    '',
  ].join('\n'),
];

const W3_FUNCTIONS = ['layer_sizes', 'initialize_parameters', 'forward_propagation', 'compute_cost', 'n_examples'];

/** A few of week 3's functions, written for this test; n_examples reads the module's X (the flower data). */
const W3_DEFS = [
  'def layer_sizes(X, Y):\n    return X.shape[0], 4, Y.shape[0]\n',
  [
    'def initialize_parameters(n_x, n_h, n_y):',
    '    return {"W1": np.random.randn(n_h, n_x) * 0.01, "b1": np.zeros((n_h, 1)),',
    '            "W2": np.random.randn(n_y, n_h) * 0.01, "b2": np.zeros((n_y, 1))}',
    '',
  ].join('\n'),
  [
    'def forward_propagation(X, parameters):',
    '    A1 = np.tanh(parameters["W1"] @ X + parameters["b1"])',
    '    A2 = sigmoid(parameters["W2"] @ A1 + parameters["b2"])',
    '    return A2, {"A1": A1, "A2": A2}',
    '',
  ].join('\n'),
  'def compute_cost(A2, Y):\n    return float(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))\n',
  'def n_examples():\n    return X.shape[1], int(Y.sum()), str(Y.dtype), float(X[0, 0]), float(X[1, 0])\n',
];

const W3_IMPORTS = [
  'import numpy as np',
  'import matplotlib.pyplot as plt',
  'import sklearn',
  'import sklearn.datasets',
  'import sklearn.linear_model',
  'from testCases_v2 import *',
  'from planar_utils import plot_decision_boundary, sigmoid, load_planar_dataset, load_extra_datasets',
].join('\n');

describe.skipIf(!hasNumpy())(`week-2 and week-3 files load with the course's helpers ${numpySkipReason()}`, () => {
  it("W2A2's test calls cost only themselves: in a plain module propagate_test(propagate) runs and does nothing; in a notebook it is left out", () => {
    const src = [
      'import numpy as np',
      'from public_tests import *',
      'from test_utils import single_test, multiple_test',
      ...W2_DEFS.flatMap((d, i) => [d, `${W2_FUNCTIONS[i]}_test(${W2_FUNCTIONS[i]})`]),
      'initialize_with_zeros_test_1(initialize_with_zeros)',
      'LOADED_TO_THE_END = True',
      'def loaded_to_the_end():\n    return LOADED_TO_THE_END',
    ].join('\n');
    // asked for as a module: imported as Python would, every statement run in order
    const { plan, hello, defined } = serve(file('w2-module.py', src), [...W2_FUNCTIONS, 'loaded_to_the_end'], 'module');
    expect(plan.mode).toBe('module');
    expect(hello.loadError).toBeUndefined();
    expect(hello.raised).toEqual([]);
    expect(defined).toEqual([...W2_FUNCTIONS, 'loaded_to_the_end']);
    // the same as a notebook: the test calls are left out, every function is loaded
    {
      const path = file(
        'w2.ipynb',
        notebook([
          'import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\nimport h5py\nimport scipy\nfrom PIL import Image\nfrom scipy import ndimage\nfrom lr_utils import load_dataset\nfrom public_tests import *\n\n%matplotlib inline',
          'train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()',
          ...W2_DEFS.flatMap((d, i) => [d, `${W2_FUNCTIONS[i]}_test(${W2_FUNCTIONS[i]})`]),
          'logistic_regression_model = model(train_set_x, train_set_y, test_set_x, test_set_y, print_cost=True)',
        ]),
      );
      const nb = serve(path, W2_FUNCTIONS);
      expect(nb.hello.loadError).toBeUndefined();
      expect(Object.keys(nb.plan.functions)).toEqual(W2_FUNCTIONS);
      expect(nb.defined).toEqual(W2_FUNCTIONS);
    }
  });

  it("a week-3 plain module (sklearn, planar_utils, testCases_v2) loads to its end; the flower data is the course's", () => {
    const src = [
      W3_IMPORTS,
      'X, Y = load_planar_dataset()',
      'plt.scatter(X[0, :], X[1, :], c=Y, s=40, cmap=plt.cm.Spectral)',
      'clf = sklearn.linear_model.LogisticRegressionCV()',
      'clf.fit(X.T, Y.T)',
      ...W3_DEFS,
      'X_assess, Y_assess = layer_sizes_test_case()',
      '(n_x, n_h, n_y) = layer_sizes(X_assess, Y_assess)',
      'print("The size of the input layer is: n_x = " + str(n_x))',
    ].join('\n');
    const { plan, hello, defined } = serve(file('w3-module.py', src), W3_FUNCTIONS, 'module');
    expect(plan.mode).toBe('module');
    expect(hello.loadError).toBeUndefined();
    expect(defined).toEqual(W3_FUNCTIONS);
    // scikit-learn is not given to the engine: that statement, and those after it that fail, cost only themselves
    expect(hello.raised.map((r) => r.text)).toEqual([
      'clf = sklearn.linear_model.LogisticRegressionCV()',
      'clf.fit(X.T, Y.T)',
      'X_assess, Y_assess = layer_sizes_test_case()',
      '(n_x, n_h, n_y) = layer_sizes(X_assess, Y_assess)',
      'print("The size of the input layer is: n_x = " + str(n_x))',
    ]);
    expect(hello.raised[0]?.why).toMatch(/CourseDataUnavailable: sklearn\.linear_model\.LogisticRegressionCV\(\)/);
  });

  it("load_planar_dataset gives the flower data of its seed: the first point recomputed from NumPy's stream (RandomState(1))", async () => {
    const path = file('w3-flower.ipynb', notebook([W3_IMPORTS, 'X, Y = load_planar_dataset()', ...W3_DEFS]));
    const engine = pythonEngine(path, { timeoutMs: 20_000 });
    try {
      expect([...(await engine.functions())].sort()).toEqual([...W3_FUNCTIONS].sort());
      // n_examples reads X and Y: the statement that binds them is kept and runs
      const [m, positives, dtype, x0, y0] = (await engine.call('n_examples', [])) as [
        number,
        number,
        string,
        number,
        number,
      ];
      expect([m, positives, dtype]).toEqual([400, 200, 'uint8']);
      // the first point: angle t = 0 + 0.2 z0, radius r = 4 sin(4t) + 0.2 z200 (the 200 angle draws come first)
      const z = new RandomState(1).randn(400).data;
      const t = 0.2 * (z[0] as number);
      const r = 4 * Math.sin(4 * t) + 0.2 * (z[200] as number);
      expect(x0).toBeCloseTo(r * Math.sin(t), 12);
      expect(y0).toBeCloseTo(r * Math.cos(t), 12);
    } finally {
      await engine.close();
    }
  });

  it("a .py export without cell markers that imports the course's test cases, or reads a name it never binds, loads as a notebook and says why", () => {
    const tests = serve(
      file('w3-export.py', `${W3_IMPORTS}\n${W3_DEFS.join('\n')}\nX_assess, Y_assess = layer_sizes_test_case()\n`),
      W3_FUNCTIONS,
    );
    expect(tests.plan.mode).toBe('notebook');
    expect(tests.plan.modeReason).toMatch(/line 6 imports the course's tests \(testCases_v2\)/);
    expect(tests.defined).toEqual(W3_FUNCTIONS);
    // the cells that load the data were left out of the export: Python could not import this file
    const fragment = `import numpy as np\nm_train = train_set_x_orig.shape[0]\n${W2_DEFS.join('\n')}`;
    const frag = serve(file('w2-fragment.py', fragment), W2_FUNCTIONS);
    expect(frag.plan.mode).toBe('notebook');
    expect(frag.plan.modeReason).toMatch(/line 2 reads train_set_x_orig, which nothing in the file defines/);
    expect(frag.defined).toEqual(W2_FUNCTIONS);
    // asked for as a module, it is imported as is: Python's NameError ends the load
    expect(serve(file('w2-fragment-module.py', fragment), W2_FUNCTIONS, 'module').hello.loadError).toMatch(
      /NameError: name 'train_set_x_orig'/,
    );
  });

  it("a course helper under a package prefix or a relative import is the stand-in; a stray backslash in a notebook's JSON is read", () => {
    const src = `import numpy as np\nfrom week2.lr_utils import load_dataset\nfrom .planar_utils import load_planar_dataset\nX, Y = load_planar_dataset()\ndef n_examples():\n    return X.shape[1], int(Y.sum()), str(Y.dtype)\ntrain_x, train_y, test_x, test_y, classes = load_dataset()\n`;
    const r = serve(file('prefixed.py', src), ['n_examples'], 'module');
    expect(r.hello.loadError).toBeUndefined();
    expect(r.defined).toEqual(['n_examples']);
    expect(r.hello.raised.map((x) => x.why)).toEqual([
      expect.stringMatching(/CourseDataUnavailable: load_dataset\(\)/),
    ]);
    const json = notebook(['import numpy as np', W2_DEFS[0] as string, 'x = 1  # done\\ ']).replace('\\\\ ', '\\ ');
    expect(() => JSON.parse(json)).toThrow();
    expect(serve(file('backslash.ipynb', json), ['sigmoid']).defined).toEqual(['sigmoid']);
  });
});
