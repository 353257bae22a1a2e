/** The notebook contract: output shapes, cache structure and grads keys, for any architecture. */
import fc from 'fast-check';
import type { NDArray } from '../../src/tensor/ndarray.ts';
import type { Value } from '../../src/engine/engine.ts';
import { problems, matrix, type Problem } from '../arbitraries/index.ts';
import { fail, type Property } from './types.ts';
import { asArray, asDict, asTuple, expectShape } from './util.ts';

const replayForward = (p: Problem) => ({
  inputs: { X: p.X, parameters: p.parameters },
  call: 'AL, caches = L_model_forward(X, parameters)',
});

export const forwardShapes: Property<Problem> = {
  name: 'caches-and-shapes',
  function: 'L_model_forward',
  requires: ['L_model_forward'],
  arbitrary: problems(),
  async check(engine, p) {
    const [ALv, cachesV] = asTuple(
      await engine.call('L_model_forward', [p.X, p.parameters]),
      2,
      'L_model_forward(X, parameters)',
    );
    const AL = asArray(ALv, 'AL');
    const L = p.dims.length - 1;
    expectShape(AL, [1, p.m], 'AL');
    if (!Array.isArray(cachesV) || cachesV.length !== L)
      fail(
        `caches should be a list of ${L} (one per layer), got ${Array.isArray(cachesV) ? cachesV.length : typeof cachesV}`,
      );
    cachesV.forEach((c, i) => {
      const l = i + 1;
      const [lin, Zv] = asTuple(c, 2, `caches[${i}] = (linear_cache, activation_cache)`);
      const [A_prev, W, b] = asTuple(lin, 3, `caches[${i}][0] = (A_prev, W, b)`);
      expectShape(asArray(A_prev, `caches[${i}][0][0] (A_prev)`), [p.dims[l - 1], p.m], `caches[${i}] A_prev`);
      expectShape(asArray(W, `caches[${i}] W`), [p.dims[l], p.dims[l - 1]], `caches[${i}] W`);
      expectShape(asArray(b, `caches[${i}] b`), [p.dims[l], 1], `caches[${i}] b`);
      expectShape(asArray(Zv, `caches[${i}][1] (Z)`), [p.dims[l], p.m], `caches[${i}] Z`);
    });
  },
  replay: replayForward,
};

export const backwardKeys: Property<Problem> = {
  name: 'grads-keys-and-shapes',
  function: 'L_model_backward',
  requires: ['L_model_forward', 'L_model_backward'],
  arbitrary: problems(),
  async check(engine, p, ctx) {
    // backward's contract is on correct caches: take them from the reference, so a broken forward is not blamed here
    const [AL, caches] = asTuple(
      await ctx.reference.call('L_model_forward', [p.X, p.parameters]),
      2,
      'L_model_forward',
    );
    const grads = asDict(await engine.call('L_model_backward', [AL, p.Y, caches]), 'L_model_backward(AL, Y, caches)');
    const L = p.dims.length - 1;
    const keys = Object.keys(grads).sort();
    const base = Array.from({ length: L }, (_, i) => [`dW${i + 1}`, `db${i + 1}`]).flat();
    const newKeys = [...base, ...Array.from({ length: L }, (_, i) => `dA${i}`)].sort();
    const oldKeys = [...base, ...Array.from({ length: L }, (_, i) => `dA${i + 1}`)].sort();
    const isNew = keys.join() === newKeys.join();
    const isOld = keys.join() === oldKeys.join();
    // L = 1 has identical key sets only if... they differ (dA0 vs dA1), so the convention is always visible
    if (!isNew && !isOld)
      fail(
        `grads keys {${keys.join(', ')}} are neither {${newKeys.join(', ')}} (dA{l-1}) nor {${oldKeys.join(', ')}} (dA{l})`,
      );
    for (let l = 1; l <= L; l++) {
      expectShape(asArray(grads[`dW${l}`], `dW${l}`), [p.dims[l], p.dims[l - 1]], `dW${l}`);
      expectShape(asArray(grads[`db${l}`], `db${l}`), [p.dims[l], 1], `db${l}`);
      // the gradient flowing out of layer l has the shape of that layer's input A_{l-1}
      const key = isNew ? `dA${l - 1}` : `dA${l}`;
      expectShape(asArray(grads[key], key), [p.dims[l - 1], p.m], `${key} (${isNew ? 'dA{l-1}' : 'dA{l}'} convention)`);
    }
  },
  replay: (p) => ({
    inputs: { X: p.X, Y: p.Y, parameters: p.parameters },
    call: 'AL, caches = L_model_forward(X, parameters)\ngrads = L_model_backward(AL, Y, caches)',
  }),
};

export const initShapes: Property<number[]> = {
  name: 'parameter-shapes',
  function: 'initialize_parameters_deep',
  requires: ['initialize_parameters_deep'],
  arbitrary: fc.array(fc.integer({ min: 1, max: 16 }), { minLength: 2, maxLength: 7 }),
  async check(engine, dims) {
    const p = asDict(await engine.call('initialize_parameters_deep', [dims]), 'initialize_parameters_deep(layer_dims)');
    const expected = Array.from({ length: dims.length - 1 }, (_, i) => [`W${i + 1}`, `b${i + 1}`]).flat();
    if (Object.keys(p).sort().join() !== [...expected].sort().join())
      fail(`keys {${Object.keys(p).join(', ')}}, expected {${expected.join(', ')}}`);
    for (let l = 1; l < dims.length; l++) {
      expectShape(asArray(p[`W${l}`], `W${l}`), [dims[l], dims[l - 1]], `W${l}`);
      const b = asArray(p[`b${l}`], `b${l}`);
      expectShape(b, [dims[l], 1], `b${l}`);
      if (b.data.some((v) => v !== 0)) fail(`b${l} should be zeros`);
    }
  },
  replay: (dims) => ({ inputs: { layer_dims: dims }, call: 'parameters = initialize_parameters_deep(layer_dims)' }),
};

/** Shapes that cannot be multiplied must be refused (an exception), never answered with something. */
export const refusesMisalignedShapes: Property<{ W: NDArray; A: NDArray; b: NDArray }> = {
  name: 'refuses-misaligned-shapes',
  function: 'linear_forward',
  requires: ['linear_forward'],
  arbitrary: fc
    .record({
      n: fc.integer({ min: 1, max: 5 }),
      k: fc.integer({ min: 1, max: 5 }),
      d: fc.integer({ min: 1, max: 3 }),
      m: fc.integer({ min: 1, max: 5 }),
    })
    .chain(({ n, k, d, m }) => fc.record({ W: matrix(n, k), A: matrix(k + d, m), b: matrix(n, 1) })),
  async check(engine, { W, A, b }) {
    let out: Value;
    try {
      out = await engine.call('linear_forward', [A, W, b]);
    } catch {
      return; // refused: what NumPy does ("shapes ... not aligned")
    }
    fail(
      `linear_forward accepted W (${W.shape.join(', ')}) with A (${A.shape.join(', ')}) and returned ${Array.isArray(out) ? 'a result' : typeof out}; NumPy raises "shapes not aligned"`,
    );
  },
  replay: ({ W, A, b }) => ({
    inputs: { A, W, b },
    call: 'linear_forward(A, W, b)  # must raise ValueError: shapes not aligned',
  }),
};
