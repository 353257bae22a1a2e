/**
 * The reference engine through the Engine interface, against the values printed in the step-by-step notebook
 * (seed 002, English v3): inputs regenerated with NumPy's legacy stream exactly as its test cases draw them,
 * outputs printed with NumPy's str() and compared as text.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { formatArray } from '../tensor/format.ts';
import { RandomState } from '../random/index.ts';
import { EngineFault, type Dict, type Value } from './engine.ts';
import { ReferenceEngine } from './reference-engine.ts';

const engine = new ReferenceEngine();
const str = (v: Value): string => formatArray(v as NDArray);

function draws(seed: number, ...shapes: number[][]): NDArray[] {
  const rng = new RandomState(seed);
  return shapes.map((s) => rng.randn(...s));
}

describe('ReferenceEngine: the printed values of notebook 002', () => {
  it('initialize_parameters_deep([5,4,3]) seeds 3 and scales randn by 0.01', async () => {
    const p = (await engine.call('initialize_parameters_deep', [[5, 4, 3]])) as Dict;
    expect(Object.keys(p)).toEqual(['W1', 'b1', 'W2', 'b2']);
    expect(str(p.W1)).toBe(
      '[[ 0.01788628  0.0043651   0.00096497 -0.01863493 -0.00277388]\n' +
        ' [-0.00354759 -0.00082741 -0.00627001 -0.00043818 -0.00477218]\n' +
        ' [-0.01313865  0.00884622  0.00881318  0.01709573  0.00050034]\n' +
        ' [-0.00404677 -0.0054536  -0.01546477  0.00982367 -0.01101068]]',
    );
    expect(str(p.b2)).toBe('[[0.]\n [0.]\n [0.]]');
  });

  it('linear_forward (seed 1), linear_activation_forward (seed 2), L_model_forward (seed 1)', async () => {
    const [A, W, b] = draws(1, [3, 2], [1, 3], [1, 1]);
    const [Z, cache] = (await engine.call('linear_forward', [A, W, b])) as [NDArray, Value[]];
    expect(str(Z)).toBe('[[ 3.26295337 -1.23429987]]');
    expect(cache[0]).toBe(A); // the cache is the notebook's tuple (A, W, b), same objects
    const [A2, W2, b2] = draws(2, [3, 2], [1, 3], [1, 1]);
    expect(str(((await engine.call('linear_activation_forward', [A2, W2, b2, 'sigmoid'])) as Value[])[0])).toBe(
      '[[0.96890023 0.11013289]]',
    );
    expect(str(((await engine.call('linear_activation_forward', [A2, W2, b2, 'relu'])) as Value[])[0])).toBe(
      '[[3.43896131 0.        ]]',
    );
    const [X, W1, b1, W2b, b2b] = draws(1, [4, 2], [3, 4], [3, 1], [1, 3], [1, 1]);
    const [AL, caches] = (await engine.call('L_model_forward', [X, { W1, b1, W2: W2b, b2: b2b }])) as [
      NDArray,
      Value[],
    ];
    expect(str(AL)).toBe('[[0.17007265 0.2524272 ]]');
    expect(caches).toHaveLength(2);
  });

  it('compute_cost prints the v3 value', async () => {
    const cost = await engine.call('compute_cost', [NDArray.from([[0.8, 0.9, 0.4]]), NDArray.from([[1, 1, 1]])]);
    expect(cost).toBe(0.41493159961539694);
  });

  it('L_model_backward (seed 3) under both grads-key conventions', async () => {
    const rng = new RandomState(3);
    const AL = rng.randn(1, 2);
    const Y = NDArray.from([[1, 0]]);
    const [A1, W1, b1, Z1, A2, W2, b2, Z2] = [
      [4, 2],
      [3, 4],
      [3, 1],
      [3, 2],
      [3, 2],
      [1, 3],
      [1, 1],
      [1, 2],
    ].map((s) => rng.randn(...s));
    const caches: Value = [
      [[A1, W1, b1], Z1],
      [[A2, W2, b2], Z2],
    ];
    const old = (await new ReferenceEngine({ gradsConvention: 'dA{l}' }).call('L_model_backward', [
      AL,
      Y,
      caches,
    ])) as Dict;
    expect(str(old.dW1)).toBe(
      '[[0.41010002 0.07807203 0.13798444 0.10502167]\n [0.         0.         0.         0.        ]\n [0.05283652 0.01005865 0.01777766 0.0135308 ]]',
    );
    expect(str(old.db1)).toBe('[[-0.22007063]\n [ 0.        ]\n [-0.02835349]]');
    expect(str(old.dA1)).toBe(
      '[[ 0.          0.52257901]\n [ 0.         -0.3269206 ]\n [ 0.         -0.32070404]\n [ 0.         -0.74079187]]',
    );
    const fresh = (await engine.call('L_model_backward', [AL, Y, caches])) as Dict;
    // new convention: the same array is stored one key lower
    expect(str(fresh.dA0)).toBe(str(old.dA1));
    expect([...(fresh.dA1 as NDArray).shape]).toEqual([3, 2]);
    expect(Object.keys(fresh).sort()).toEqual(['dA0', 'dA1', 'dW1', 'dW2', 'db1', 'db2']);
  });

  it('update_parameters never mutates its inputs', async () => {
    const W1 = NDArray.from([[1, 2]]);
    const b1 = NDArray.from([[3]]);
    const out = (await engine.call('update_parameters', [
      { W1, b1 },
      { dW1: NDArray.from([[1, 1]]), db1: NDArray.from([[1]]) },
      0.5,
    ])) as Dict;
    expect(Array.from((out.W1 as NDArray).data)).toEqual([0.5, 1.5]);
    expect(Array.from(W1.data)).toEqual([1, 2]);
    expect(Array.from(b1.data)).toEqual([3]);
  });
});

describe('ReferenceEngine faults', () => {
  it("an unknown function is EngineFault 'missing'", async () => {
    const err = await engine.call('no_such_function', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineFault);
    expect((err as EngineFault).kind).toBe('missing');
  });
  it("a malformed call is EngineFault 'exception' naming the argument; shape errors keep NumPy's text", async () => {
    const err = (await engine
      .call('linear_forward', [NDArray.zeros([3, 2]), 'W', NDArray.zeros([1, 1])])
      .catch((e: unknown) => e)) as EngineFault;
    expect(err.kind).toBe('exception');
    expect(err.message).toContain('W must be an ndarray');
    const bad = (await engine
      .call('linear_forward', [NDArray.zeros([3, 2]), NDArray.zeros([1, 4]), NDArray.zeros([1, 1])])
      .catch((e: unknown) => e)) as EngineFault;
    expect(bad.message).toContain('shapes (1,4) and (3,2) not aligned: 4 (dim 1) != 3 (dim 0)');
  });
  it('lists the notebook functions and the Chinese extras', async () => {
    const fns = await engine.functions();
    for (const f of [
      'L_model_forward',
      'L_model_backward',
      'propagate',
      'optimize',
      'forward_propagation',
      'stable_softmax',
      'delta_cross_entropy_one_hot',
    ])
      expect(fns.has(f)).toBe(true);
  });
});
