/**
 * The file's own call graph (runner.py's call_graph, LoadInfo.calls): which of its functions each one reaches by
 * name, directly or through helpers, or shares a helper with. Root causes group a caller under a failing callee only
 * along these edges, so a function that never calls linear_backward is not blamed on it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from './index.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';

const dir = mkdtempSync(join(tmpdir(), 'call-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = `import numpy as np

def _vjp(dA, Z):
    return dA * Z

def sigmoid_backward(dA, cache):
    return _vjp(dA, cache)

def linear_backward(dZ, cache):
    A_prev, W, b = cache
    return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)

def linear_activation_backward(dA, cache, activation):
    linear_cache, Z = cache
    return _vjp(dA, Z), None, None

def L_model_backward(AL, Y, caches):
    return _step(AL, caches)

def _step(AL, caches):
    return linear_activation_backward(AL, caches[0], 'sigmoid')

def update_parameters(parameters, grads, learning_rate):
    return parameters
`;

describe.skipIf(!hasNumpy())(`the file's own call graph ${numpySkipReason()}`, () => {
  it('direct calls, calls through a helper, shared helpers; never a function it does not reach', async () => {
    const file = join(dir, 'engine.py');
    writeFileSync(file, SOURCE);
    const engine = pythonEngine(file, { timeoutMs: 10_000 });
    try {
      await engine.functions();
      const calls = engine.loadInfo?.().calls ?? {};
      // through the helper _step; and every function using _vjp shares it with the others (symmetric)
      expect(calls.L_model_backward).toEqual(['_step', '_vjp', 'linear_activation_backward', 'sigmoid_backward']);
      expect(calls.linear_activation_backward).toEqual(['L_model_backward', '_vjp', 'sigmoid_backward']);
      expect(calls.sigmoid_backward).toEqual(['L_model_backward', '_vjp', 'linear_activation_backward']);
      // it never reaches linear_backward, which calls nothing of the file's
      expect(calls.linear_backward).toEqual([]);
      expect(calls.update_parameters).toEqual([]);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
