/**
 * The training programs (models.ts: dA0 skipped, W1 kept in the kernels' memory, its two products with X fused into
 * one pass) against the notebook's loop written plainly with the engine's functions (L_model_forward, compute_cost,
 * L_model_backward, update_parameters), bit for bit: costs and every parameter. No cat data needed.
 */
import { describe, expect, it } from 'vitest';
import { RandomState } from '../random/index.ts';
import { NDArray } from '../tensor/ndarray.ts';
import {
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  lModelBackward,
  lModelForward,
  updateParameters,
  type Parameters,
} from '../engine/reference/index.ts';
import { bitsDiffer } from '../../test/helpers/bits.ts';
import { lLayerModel, twoLayerModel } from './models.ts';

function notebookLoop(X: NDArray, Y: NDArray, parameters: Parameters, iterations: number, lr = 0.0075) {
  const costs: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const [AL, caches] = lModelForward(X, parameters);
    costs.push(computeCost(AL, Y));
    parameters = updateParameters(parameters, lModelBackward(AL, Y, caches), lr);
  }
  return { parameters, costs };
}

function data(n0: number, m: number, seed: number): [NDArray, NDArray] {
  const rs = new RandomState(seed);
  const X = new NDArray(rs.rand(n0 * m).data, [n0, m]);
  const Y = new NDArray(
    rs.rand(m).data.map((u) => (u < 0.4 ? 1 : 0)),
    [1, m],
  );
  return [X, Y];
}

describe('training programs against the notebook loop, bit for bit', () => {
  // small layers run the pass on one thread; [1200, 20, ...] at m = 60 is large enough for all threads and 3 blocks
  const cases: [string, number[], number][] = [
    ['L-layer [300, 20, 7, 5, 1]', [300, 20, 7, 5, 1], 40],
    ['L-layer [1200, 20, 7, 5, 1] (threads)', [1200, 20, 7, 5, 1], 60],
    ['L-layer [50, 1] (logistic: layer 1 is the sigmoid layer)', [50, 1], 30],
    ['two-layer (1200, 7, 1) (threads)', [1200, 7, 1], 200],
  ];
  for (const [name, dims, m] of cases) {
    it(name, () => {
      const [X, Y] = data(dims[0], m, dims.length + m);
      const iterations = 7;
      const ours =
        dims.length === 3 && name.startsWith('two')
          ? twoLayerModel(X, Y, dims as [number, number, number], { iterations })
          : lLayerModel(X, Y, dims, { iterations });
      const start =
        dims.length === 3 && name.startsWith('two')
          ? initializeParameters(dims[0], dims[1], dims[2], { seed: 1 })
          : initializeParametersDeep(dims, 'application');
      const want = notebookLoop(X, Y, start, iterations);
      expect(ours.costs).toEqual([{ iteration: 0, cost: want.costs[0] }]);
      expect(Object.keys(ours.parameters)).toEqual(Object.keys(want.parameters));
      for (const key of Object.keys(want.parameters)) {
        expect(ours.parameters[key].shape, key).toEqual(want.parameters[key].shape);
        expect(bitsDiffer(ours.parameters[key].data, want.parameters[key].data), key).toBe(0);
      }
    });
  }

  it('every cost, over 201 iterations', () => {
    const [X, Y] = data(400, 50, 3);
    const seen: number[] = [];
    const ours = lLayerModel(X, Y, [400, 20, 7, 5, 1], { iterations: 201, onCost: (_, c) => seen.push(c) });
    const want = notebookLoop(X, Y, initializeParametersDeep([400, 20, 7, 5, 1], 'application'), 201);
    expect(ours.costs.map((c) => c.iteration)).toEqual([0, 100, 200]);
    expect(seen).toEqual([0, 100, 200].map((i) => want.costs[i]));
    expect(bitsDiffer(ours.parameters.W1.data, want.parameters.W1.data)).toBe(0);
  });
});
