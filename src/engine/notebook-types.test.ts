/**
 * The typed contract. `tsc --noEmit` (npm test) checks this file: each @ts-expect-error line must be a type error,
 * or tsc fails with "Unused '@ts-expect-error' directive" (as it would if NotebookFunctions were
 * Record<string, unknown> again, or `functions` took any string). The vitest part checks that the type's names
 * are the catalogue's.
 */
import { describe, expect, it } from 'vitest';
import type { NotebookFunctionName, StepByStepEngine } from './notebook-types.ts';
import { FUNCTION_NAMES } from './catalogue.ts';
import { NDArray } from '../tensor/ndarray.ts';
import type { DescribeEngineOptions } from '../vitest/index.ts';
import type { VerifyOptions } from '../index.ts';

// a typed engine module: every function of the step-by-step notebook, sync or async
const engine = {
  linear_forward: (A: NDArray, W: NDArray, b: NDArray) => [A, [A, W, b]] as [NDArray, [NDArray, NDArray, NDArray]],
  relu_backward: async (dA: NDArray, _Z: NDArray) => dA,
  compute_cost: () => 0.5,
} satisfies Partial<StepByStepEngine>;

const misspelt = {
  // @ts-expect-error a misspelt function name is not part of the contract
  linear_foward: (A: NDArray) => A,
} satisfies Partial<StepByStepEngine>;

const wrongReturn = {
  // @ts-expect-error relu_backward returns an NDArray (dZ), not a JS array of numbers
  relu_backward: (_dA: NDArray, _Z: NDArray) => [0, 1, 2],
} satisfies Partial<StepByStepEngine>;

// @ts-expect-error functions takes notebook names only
const describeOptions: DescribeEngineOptions = { functions: ['linear_foward'] };
// @ts-expect-error the same for verifyEngine
const verifyOptions: VerifyOptions = { functions: ['L_model_backwards'] };
const fine: VerifyOptions = { functions: ['linear_forward', 'L_model_backward'], strict: true };
// @ts-expect-error the options have no such field
const typo: DescribeEngineOptions = { stirct: true };

/** Every notebook name, once: a missing or an extra key is a type error here. */
const ALL: Record<NotebookFunctionName, true> = {
  initialize_parameters: true,
  initialize_parameters_deep: true,
  linear_forward: true,
  sigmoid: true,
  relu: true,
  linear_activation_forward: true,
  L_model_forward: true,
  compute_cost: true,
  linear_backward: true,
  sigmoid_backward: true,
  relu_backward: true,
  linear_activation_backward: true,
  L_model_backward: true,
  update_parameters: true,
  predict: true,
  two_layer_model: true,
  L_layer_model: true,
  propagate: true,
  optimize: true,
  predict_logistic: true,
  forward_propagation: true,
  backward_propagation: true,
  softmax: true,
  stable_softmax: true,
  cross_entropy: true,
  cross_entropy_one_hot: true,
  delta_cross_entropy: true,
  delta_cross_entropy_one_hot: true,
};

describe('the typed contract', () => {
  it("names exactly the catalogue's functions", () => {
    expect(Object.keys(ALL).sort()).toEqual([...FUNCTION_NAMES].sort());
  });
  it('types a module of notebook functions (sync or async)', async () => {
    const dA = NDArray.from([[1, -2]]);
    expect(await engine.relu_backward(dA, dA)).toBe(dA);
    expect([misspelt, wrongReturn, describeOptions, verifyOptions, fine, typo].length).toBe(6);
  });
});
