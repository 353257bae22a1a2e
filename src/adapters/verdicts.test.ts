/**
 * Verdicts on real-looking engines through the adapters: a mutation is reported beside the value (never instead of
 * it) and cannot reach a later call; 0-d arrays stay 0-d; .py files load like notebooks; no evidence exits 2.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import type { Engine } from '../engine/engine.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { moduleEngine, pythonEngine } from './index.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CORRECT = readFileSync(join(ROOT, 'fixtures', 'engines', 'correct.py'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'verdicts-'));

/** correct.py with replacements (each anchor must exist), written to a file. */
function engineFile(name: string, replace: [string, string][], prefix = ''): string {
  let src = CORRECT;
  for (const [a, b] of replace) {
    if (!src.includes(a)) throw new Error(`anchor not found: ${a}`);
    src = src.replace(a, b);
  }
  const file = join(dir, name);
  writeFileSync(file, prefix + src);
  return file;
}

const TEMPLATE_UPDATE: [string, string][] = [['    parameters = params.copy()\n', '    parameters = params\n']];

async function run(engine: Engine, functions?: string[]) {
  try {
    return await runSuites(engine, new ReferenceEngine(), allSuites(), { seed: 0, runs: 5, functions });
  } finally {
    await engine.close();
  }
}

function cli(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts'), 'check', ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!hasNumpy())(`verdicts through the Python adapter ${numpySkipReason()}`, { timeout: 60_000 }, () => {
  it('the course template (rebinding keys of the dict it is given) passes with a mutates-input warning; values still compared', async () => {
    const r = await run(pythonEngine(engineFile('template.py', TEMPLATE_UPDATE)), ['update_parameters']);
    expect(r.verdict).toBe('warn');
    expect(r.warnings?.map((w) => [w.kind, w.function])).toEqual([['mutates-input', 'update_parameters']]);
    expect(r.warnings?.[0].message).toMatch(/params\['W1'\]/);
    const diff = r.checks.find((c) => c.id === 'differential/update_parameters')!;
    expect(diff.status).toBe('warn');
    expect(diff.message).toMatch(/agrees with the reference/);
    expect(r.summary.fail + r.summary.error).toBe(0);
  });

  it('in place with a wrong value still fails against update_parameters; returning None (the mutation as the only result) fails', async () => {
    const wrong = engineFile('inplace-plus.py', [
      ...TEMPLATE_UPDATE,
      [
        'parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate',
        'parameters["W" + str(l + 1)] += learning_rate',
      ],
    ]);
    const r1 = await run(pythonEngine(wrong), ['update_parameters']);
    expect(r1.verdict).toBe('fail');
    expect(r1.checks.filter((c) => c.status === 'fail').map((c) => c.function)).toContain('update_parameters');
    const none = engineFile('inplace-none.py', [
      ...TEMPLATE_UPDATE,
      [
        'learning_rate * grads["db" + str(l + 1)]\n    return parameters\n',
        'learning_rate * grads["db" + str(l + 1)]\n',
      ],
    ]);
    const r2 = await run(pythonEngine(none), ['update_parameters']);
    expect(r2.verdict).toBe('fail');
    expect(r2.checks.find((c) => c.id === 'differential/update_parameters')?.message).toMatch(
      /got None|expected a dict/,
    );
  });

  it('L_model_forward raising for a 1-layer network (loop variable after the loop) passes with a single-layer-network warning; a real bug beside it still fails', async () => {
    const loopVar: [string, string] = [
      `parameters['W' + str(L)], parameters['b' + str(L)], activation="sigmoid")`,
      `parameters['W' + str(l + 1)], parameters['b' + str(l + 1)], activation="sigmoid")`,
    ];
    const r = await run(pythonEngine(engineFile('loopvar.py', [loopVar])), ['L_model_forward']);
    expect(r.verdict).toBe('warn');
    expect(r.warnings?.map((w) => [w.kind, w.function])).toEqual([['single-layer-network', 'L_model_forward']]);
    expect(r.warnings?.[0].message).toMatch(/UnboundLocalError/);
    expect(r.checks.filter((c) => c.status === 'pass' || c.status === 'warn').length).toBeGreaterThan(3);
    const buggy = engineFile('loopvar-relu-out.py', [
      loopVar,
      ['activation="sigmoid")\n    caches.append', 'activation="relu")\n    caches.append'],
    ]);
    const r2 = await run(pythonEngine(buggy), ['L_model_forward']);
    expect(r2.verdict).toBe('fail');
  });

  it('a mutation cannot reach a later call: the same arguments twice give the same answer, each with its notice', async () => {
    const e = pythonEngine(engineFile('twice.py', TEMPLATE_UPDATE));
    try {
      await e.functions();
      const p = { W1: NDArray.from([[1, 2]]), b1: NDArray.from([[0.5]]) };
      const g = { dW1: NDArray.from([[1, 1]]), db1: NDArray.from([[1]]) };
      const a = (await e.call('update_parameters', [p, g, 0.5])) as Record<string, NDArray>;
      const b = (await e.call('update_parameters', [p, g, 0.5])) as Record<string, NDArray>;
      expect([...a.W1.data]).toEqual([0.5, 1.5]);
      expect([...b.W1.data]).toEqual([0.5, 1.5]);
      expect([...p.W1.data]).toEqual([1, 2]);
      expect(e.takeNotices?.()).toEqual([
        { kind: 'mutates-input', fn: 'update_parameters', paths: ["params['W1']", "params['b1']"] },
        { kind: 'mutates-input', fn: 'update_parameters', paths: ["params['W1']", "params['b1']"] },
      ]);
      expect(e.takeNotices?.()).toEqual([]);
    } finally {
      await e.close();
    }
  });

  it('0-d arrays stay 0-d: np.squeeze(np.dot(...)) costs pass with a scalar-type warning; a (1, 1) cost fails naming np.squeeze', async () => {
    const e = pythonEngine(engineFile('echo0d.py', [], 'def echo(x):\n    return x\n\n'));
    try {
      const back = (await e.call('echo', [NDArray.scalar(0.25)])) as NDArray;
      expect([...back.shape]).toEqual([]);
    } finally {
      await e.close();
    }
    const dot = engineFile('cost-dot.py', [
      [
        'cost = (-1. / m) * np.sum(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL)))',
        'cost = (-1. / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))',
      ],
    ]);
    const r = await run(pythonEngine(dot), ['compute_cost']);
    expect(r.verdict).toBe('warn');
    expect(r.warnings?.map((w) => [w.kind, w.function])).toEqual([['scalar-type', 'compute_cost']]);
    const r11 = await run(
      pythonEngine(engineFile('cost-11.py', [['    cost = np.squeeze(cost)\n', '    cost = np.array([[cost]])\n']])),
      ['compute_cost'],
    );
    expect(r11.verdict).toBe('fail');
    expect(r11.checks.map((c) => c.message).join('\n')).toContain(
      'compute_cost returns shape (1, 1); the notebook expects a scalar (np.squeeze)',
    );
  });

  it('a .py export with magics, shell lines, get_ipython and failing test calls loads; what was dropped is listed; a broken definition is missing with its SyntaxError', async () => {
    const file = engineFile(
      'export.py',
      [['def relu_backward(dA, cache):\n', 'def relu_backward(dA, cache:\n']],
      "%matplotlib inline\n%load_ext autoreload\n%autoreload 2\n!pip install numpy\nget_ipython().run_line_magic('matplotlib', 'inline')\nimport matplotlib.pyplot as plt\nfrom testCases_v4a import *\nlinear_forward_test_case()\nassert 1 == 2\n",
    );
    const r = await run(pythonEngine(file), ['linear_forward', 'compute_cost', 'relu_backward']);
    const dropped = r.detected.dropped as { where: string; text: string; why: string }[];
    expect(dropped.slice(0, 5).map((d) => [d.where, d.text, d.why])).toEqual([
      ['line 1', '%matplotlib inline', 'IPython magic'],
      ['line 2', '%load_ext autoreload', 'IPython magic'],
      ['line 3', '%autoreload 2', 'IPython magic'],
      ['line 4', '!pip install numpy', 'shell command'],
      ['line 5', "get_ipython().run_line_magic('matplotlib', 'inline')", 'IPython call'],
    ]);
    expect(dropped.map((d) => d.text)).toEqual(expect.arrayContaining(['linear_forward_test_case()', 'assert 1 == 2']));
    expect(r.missing).toEqual([
      {
        function: 'relu_backward',
        reason: expect.stringMatching(/^SyntaxError at line \d+, column \d+: def relu_backward\(dA, cache:/),
      },
    ]);
    expect(r.verdict).toBe('incomplete');
    expect(r.summary.pass).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasNumpy())(`no verdict without evidence ${numpySkipReason()}`, () => {
  it('a file that does not parse anywhere: verdict error naming its SyntaxError; missing functions: incomplete', async () => {
    const file = join(dir, 'syntax.py');
    writeFileSync(file, 'import numpy as np\n\ndef linear_forward(A, W, b:\n    return A\n');
    const r = await run(pythonEngine(file));
    expect(r.verdict).toBe('error');
    expect(r.reason).toMatch(/^SyntaxError at line 3, column \d+: def linear_forward\(A, W, b:/);
    const partial = engineFile('partial.py', [['def L_model_backward(', 'def L_model_backward_unfinished(']]);
    const p = await run(pythonEngine(partial), ['compute_cost', 'L_model_backward']);
    expect([p.verdict, p.missing]).toEqual(['incomplete', [{ function: 'L_model_backward', reason: 'not defined' }]]);
  });

  // the CLI end to end (each run starts node and Python: slow on a loaded machine)
  it('the CLI: none of the functions exits 2 with one line and a report.json; --strict fails on warnings (exit 1)', () => {
    const file = join(dir, 'nothing.py');
    writeFileSync(file, 'import numpy as np\n\ndef helper(x):\n    return x\n');
    const out = join(dir, 'r-nothing');
    const r = cli(['--python', file, '--report-dir', out, '--runs', '2']);
    expect(r.code).toBe(2);
    // one line naming the reason, after the line that says how the engine was sandboxed
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^dnn-verify: sandbox: /);
    expect(lines.slice(1)).toEqual([
      // every registered assignment is named
      expect.stringMatching(
        /^dnn-verify: no evidence: the file matches no assignment: it defines none of the functions of (.*, )?step-by-step(, .*)? or (.*)\(it defines helper; translated names need --map\)$/,
      ),
    ]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect([report.verdict, report.noEvidence]).toEqual(['error', expect.stringMatching(/defines none/)]);
    const template = engineFile('strict.py', TEMPLATE_UPDATE);
    const strict = cli([
      '--python',
      template,
      '--report-dir',
      join(dir, 'r-strict'),
      '--runs',
      '2',
      '--functions',
      'update_parameters',
      '--strict',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^dnn-verify: FAIL .*passed with warnings/);
    expect(strict.stdout).toMatch(/^WARN mutates-input update_parameters/m);
  }, 120_000);
  it('the CLI: a program that does not start exits 2 and still writes report.json (error, with the reason)', () => {
    const out = join(dir, 'r-nostart');
    const c = cli(['--command', 'exit 3', '--report-dir', out]);
    expect(c.code).toBe(2);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect([report.verdict, report.reason]).toEqual(['error', expect.stringMatching(/^the engine did not start/)]);
  }, 60_000);
});

describe('the JavaScript adapter reports a mutation beside the value, as the Python one does', {
  timeout: 60_000,
}, () => {
  it('an in-place update answers the updated values and names the argument it changed', async () => {
    const file = join(dir, 'inplace.ts');
    writeFileSync(
      file,
      `export function update_parameters(p, g, lr) {\n  for (const k of Object.keys(p)) p[k].data.forEach((v, i) => { p[k].data[i] = v - lr * g['d' + k].data[i]; });\n  return p;\n}\n`,
    );
    const e = moduleEngine(file);
    try {
      const out = (await e.call('update_parameters', [
        { W1: NDArray.from([[1, 2]]) },
        { dW1: NDArray.from([[1, 1]]) },
        0.5,
      ])) as Record<string, NDArray>;
      expect([...out.W1.data]).toEqual([0.5, 1.5]);
      expect(e.takeNotices?.()).toEqual([{ kind: 'mutates-input', fn: 'update_parameters', paths: ["args[0]['W1']"] }]);
    } finally {
      await e.close();
    }
  });
});
