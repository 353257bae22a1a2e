/**
 * Errors in JavaScript terms for JavaScript engines: a relu_backward that returns a plain JS array is told it
 * should return an NDArray, not "a tuple"; the same value from a Python-protocol engine keeps Python's words.
 * An async function is awaited like a synchronous one.
 */
import { describe, expect, it } from 'vitest';
import { verifyEngine, type Engine, type Value } from '../index.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { ReferenceEngine } from './reference-engine.ts';
import { describeJsValue } from './js-terms.ts';

const plainArrays = {
  // the values are right; the type is not: a JS array of numbers, row by row
  relu_backward: (dA: NDArray, Z: NDArray) => Array.from(dA.data, (d, i) => (Z.data[i] > 0 ? d : 0)),
};

describe('values named in the engine’s language', () => {
  it('describes JS values as a JS programmer names them', () => {
    expect(describeJsValue([1, 2, 3])).toBe('a JS array of 3 numbers');
    expect(describeJsValue([[1], [2]])).toBe('a JS array of 2 JS arrays (nested arrays)');
    expect(describeJsValue(NDArray.zeros([2, 3]))).toBe('an NDArray of shape (2, 3)');
    expect(describeJsValue({ W1: 1 })).toBe('a plain object (keys W1)');
    expect(describeJsValue(new Float64Array(2))).toBe('a Float64Array (wrap it: new NDArray(data, shape))');
    expect(describeJsValue(undefined)).toBe('undefined');
  });

  it('a JS engine returning a plain array where an NDArray is expected is told so in JS terms', async () => {
    const report = await verifyEngine(plainArrays, { runs: 5, functions: ['relu_backward'] });
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    const messages = failed.map((c) => c.message).join('\n');
    expect(messages).toMatch(/expected an NDArray of shape \(\d+, \d+\), got a JS array of \d+ numbers/);
    expect(messages).not.toMatch(/tuple|None/);
  });

  it('the same value from a non-JavaScript engine keeps Python’s words', async () => {
    const ref = new ReferenceEngine();
    const python: Engine = {
      name: 'python-like',
      functions: async () => new Set(['relu_backward']),
      call: async (fn, args) => {
        const dZ = (await ref.call(fn, args)) as NDArray;
        return Array.from(dZ.data) as Value;
      },
      close: async () => {},
    };
    const report = await verifyEngine(python, { runs: 5, functions: ['relu_backward'] });
    const messages = report.checks.map((c) => c.message).join('\n');
    expect(messages).toMatch(/expected an array of shape \(\d+, \d+\), got a tuple/);
  });

  it('an async function is awaited', async () => {
    const ref = new ReferenceEngine();
    const report = await verifyEngine(
      { relu_backward: async (dA: NDArray, Z: NDArray) => ref.call('relu_backward', [dA, Z]) },
      { runs: 5, functions: ['relu_backward'] },
    );
    expect(report.verdict).toBe('pass');
  });
});
