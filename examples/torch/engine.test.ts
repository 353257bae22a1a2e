/**
 * The PyTorch engine (torch ops forward, torch.autograd.grad backward) held to the notebook: at float64 it passes
 * the whole suite through `dnn-verify check --python --python-bin`; at float32 it agrees with the notebook's formulas
 * within float32 rounding and its autograd passes a finite-difference check; two planted bugs are each caught as
 * one root cause on the right function. Skips, saying why, where no python3 here imports torch and NumPy
 * (Debian: `apt-get install python3-torch`, for /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonEngine } from '../../src/adapters/index.ts';
import type { Engine } from '../../src/engine/engine.ts';
import { ReferenceEngine } from '../../src/engine/reference-engine.ts';
import { engineModel } from '../../src/gradcheck/engine-model.ts';
import { fullCheck } from '../../src/gradcheck/full.ts';
import { FULL_ARCHITECTURES, randomProblem } from '../../src/gradcheck/suite.ts';
import { runOptions, type VerifySettings, verify } from '../../src/run/verify.ts';
import { NDArray } from '../../src/tensor/ndarray.ts';
import { type DescribeEngineOptions, describeEngine } from '../../src/vitest/index.ts';
import { agreement, allFloat32 } from '../../test/helpers/agreement.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const FILE = join(import.meta.dirname, 'engine.py');
const FUNCTIONS = [
  'linear_forward',
  'sigmoid',
  'relu',
  'linear_activation_forward',
  'L_model_forward',
  'compute_cost',
  'linear_backward',
  'sigmoid_backward',
  'relu_backward',
  'linear_activation_backward',
  'L_model_backward',
  'update_parameters',
] as const;
const FLOAT32_TOLERANCE = 1e-5; // as examples/tfjs/engine.test.ts: about 170 float32 ulps of the array's magnitude

/** The first interpreter here that imports torch and NumPy. */
const PYTHON = [process.env.DNN_VERIFY_PYTHON, 'python3', '/usr/bin/python3'].find(
  (py) => py && spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 60_000 }).status === 0,
);
const SKIP = PYTHON
  ? ''
  : '(skipped: no python3 here imports torch and numpy; on Debian, apt-get install python3-torch gives /usr/bin/python3 both)';

/**
 * The engine at a dtype, with a planted bug or none: the file reads them from its environment, which a process
 * started without a sandbox inherits, so they are set while the process starts.
 */
function torchEngine(dtype: 'float32' | 'float64', bug = ''): Engine {
  const inner = pythonEngine(FILE, { python: PYTHON });
  let started: Promise<unknown> | undefined;
  const start = () =>
    (started ??= (async () => {
      const before = { ...process.env };
      Object.assign(process.env, { DNN_VERIFY_TORCH_DTYPE: dtype, DNN_VERIFY_TORCH_BUG: bug });
      try {
        return await inner.functions();
      } finally {
        for (const k of ['DNN_VERIFY_TORCH_DTYPE', 'DNN_VERIFY_TORCH_BUG'])
          if (before[k] === undefined) delete process.env[k];
          else process.env[k] = before[k];
      }
    })());
  return new Proxy(inner, {
    get(target, key) {
      const v = Reflect.get(target, key);
      if (typeof v !== 'function') return v;
      if (key === 'call' || key === 'functions')
        return async (...args: unknown[]) => {
          await start();
          return v.apply(target, args);
        };
      return v.bind(target);
    },
  });
}

const ref = new ReferenceEngine();

describe.skipIf(!PYTHON)(`PyTorch engine ${SKIP}`, () => {
  it('float64: passes the whole suite through dnn-verify check --python --python-bin', () => {
    const out = mkdtempSync(join(tmpdir(), 'torch-engine-'));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/bin.ts',
        'check',
        '--python',
        FILE,
        '--python-bin',
        PYTHON!,
        '--functions',
        FUNCTIONS.join(','),
        '--runs',
        '5',
        '--report-dir',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 280_000, env: { ...process.env, DNN_VERIFY_TORCH_DTYPE: 'float64' } },
    );
    expect(r.stdout + r.stderr).toMatch(/PASS python:.*engine\.py: \d+ passed, 0 failed/);
    expect(r.status).toBe(0);
  }, 300_000);

  for (const [bug, fn, headline] of [
    ['sigmoid-gradient', 'sigmoid_backward', /^sigmoid_backward returns dZ/],
    ['no-1/m', 'linear_backward', /^linear_backward: dW is missing the 1\/m factor/],
  ] as const) {
    it(`a planted bug (${bug}) is one root cause, on ${fn}`, async () => {
      const report = await verify(torchEngine('float64', bug), { functions: [...FUNCTIONS], runs: 10 });
      expect(report.verdict).toBe('fail');
      expect(report.rootCauses?.map((c) => c.function)).toEqual([fn]);
      expect(report.rootCauses?.[0].headline).toMatch(headline);
    });
  }

  describe('float32', () => {
    const engine = torchEngine('float32');
    afterAll(() => engine.close());

    it("computes in float32 and agrees with the notebook's formulas within float32 rounding", async () => {
      const [Z] = (await engine.call('linear_forward', [
        NDArray.from([[0.1, 0.2]]),
        NDArray.from([[0.3], [0.7]]),
        NDArray.from([[0.1], [0.2]]),
      ])) as [NDArray];
      expect(allFloat32(Z)).toBe(true);
      const worst = await agreement(engine, ref, FUNCTIONS, { cases: 5 });
      for (const fn of FUNCTIONS) expect(worst[fn], fn).toBeLessThan(FLOAT32_TOLERANCE);
      expect(worst.linear_forward).toBeGreaterThan(1e-9);
    });

    it('its autograd gradients pass a gradient check by finite differences of its own forward and cost', async () => {
      for (const [i, [dims, m]] of FULL_ARCHITECTURES.entries()) {
        const p = randomProblem(dims, m, 100 + i);
        const r = await fullCheck(engineModel(engine, p.X, p.Y), p.parameters, { epsilon: 1e-2, threshold: 1e-3 });
        expect(r.passed, `${JSON.stringify(dims)}: ${r.message}`).toBe(true);
      }
    });

    it("defines relu'(0) as 0, as the notebook does (torch's threshold_backward: dA where Z > 0)", async () => {
      const dZ = (await engine.call('relu_backward', [
        NDArray.from([[1, 1, 1]]),
        NDArray.from([[-1, 0, 1]]),
      ])) as NDArray;
      expect([...dZ.data]).toEqual([0, 0, 1]);
    });
  });
});

// The whole suite at float32's tolerances, once the precision setting is in the suite (see examples/tfjs)
const PRECISION = runOptions({ precision: 'float32' } as VerifySettings) as { precision?: string };
const NO_PRECISION = PRECISION.precision === 'float32' ? '' : '(skipped: waits for the precision setting)';
if (PYTHON && !NO_PRECISION)
  describeEngine(torchEngine('float32'), {
    name: 'torch at float32',
    runs: 10,
    functions: [...FUNCTIONS],
    precision: 'float32',
  } as DescribeEngineOptions);
else it.skip(`describeEngine at float32 ${SKIP || NO_PRECISION}`, () => {});
