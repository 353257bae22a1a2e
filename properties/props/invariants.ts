/**
 * Invariants every correct implementation satisfies. Tolerances, and why:
 * - column independence, duplication: each column's arithmetic is the same sequence of operations, but an
 *   engine may block its matrix products differently for different batch sizes, so results may differ in
 *   summation order: rtol 1e-12 (a dot product of length <= 16 with terms of our ranges differs by far less).
 * - permutation of examples in the cost: the sum's order changes: rtol 1e-12.
 * - relu_backward, update with learning rate 0: exact, bit for bit (at float32: bit for bit after rounding to float32).
 * At float32 (ctx.precision) each widens to float32's rounding bound for its computation (docs/guide/precision.md).
 */
import fc from 'fast-check';
import { NDArray } from '../../src/tensor/ndarray.ts';
import type { Value } from '../../src/engine/engine.ts';
import type { CheckContext } from '../../src/check/types.ts';
import { probabilities, problems, labels, awayFromZero, type Problem } from '../arbitraries/index.ts';
import { fail, type Property } from './types.ts';
import { diagnoseReluBackward, RELU_PROBE, type ReluDiagnosis } from '../../src/diagnose/relu.ts';
import type { Engine } from '../../src/engine/engine.ts';
import {
  asArray,
  asDict,
  asNumber,
  asTuple,
  columns,
  deepCopy,
  expectClose,
  atFloat32,
  tolerance,
  expectIdentical,
  expectShape,
  firstDifference,
  hstack,
  permuteColumns,
} from './util.ts';

const RTOL = 1e-12;

export const columnIndependence: Property<{ p: Problem; split: number }> = {
  name: 'columns-are-independent',
  function: 'L_model_forward',
  requires: ['L_model_forward'],
  arbitrary: problems({ maxBatch: 16 }).chain((p) =>
    fc.record({ p: fc.constant(p), split: fc.integer({ min: 0, max: p.m }) }),
  ),
  async check(engine, { p, split }, ctx) {
    const all = asArray(
      asTuple(await engine.call('L_model_forward', [p.X, p.parameters]), 2, 'L_model_forward')[0],
      'AL',
    );
    const parts: NDArray[] = [];
    for (const [from, to] of [
      [0, split],
      [split, p.m],
    ]) {
      if (to === from) continue;
      parts.push(
        asArray(
          asTuple(
            await engine.call('L_model_forward', [columns(p.X, from, to), p.parameters]),
            2,
            'L_model_forward',
          )[0],
          'AL',
        ),
      );
    }
    const joined = parts.length === 1 ? parts[0] : hstack(parts[0], parts[1]);
    // float32: a different blocking of the products may round differently (normwise gamma_N of AL's range, <= 1)
    const n = Object.keys(p.parameters).reduce((s, k) => s + (k.startsWith('W') ? p.parameters[k].shape[1] + 9 : 0), 0);
    expectClose(
      joined,
      all,
      RTOL,
      tolerance(ctx, 1e-300, 2 * n),
      `AL of columns [0, ${split}) and [${split}, ${p.m}) run separately vs together`,
    );
  },
  replay: ({ p, split }) => ({
    inputs: { X: p.X, parameters: p.parameters },
    call: `a = L_model_forward(X, parameters)[0]\nb = np.hstack([L_model_forward(X[:, :${split}], parameters)[0], L_model_forward(X[:, ${split}:], parameters)[0]])`,
  }),
};

const rounded = (a: NDArray) =>
  new NDArray(
    a.data.map((x) => Math.fround(x)),
    a.shape,
  );

/**
 * The cost as the notebook accepts it: a float (np.float64 arrives as one) or a 0-d array (np.squeeze's result;
 * `cost.shape == ()` holds), the latter with a scalar-type warning. Any other array fails, naming its shape.
 */
export function asCost(raw: Value, ctx: CheckContext): number {
  if (raw instanceof NDArray) {
    if (raw.ndim !== 0)
      fail(
        `compute_cost returns shape (${raw.shape.join(', ')}${raw.ndim === 1 ? ',' : ''}); the notebook expects a scalar (np.squeeze), it asserts cost.shape == ()`,
      );
    ctx.warn?.({
      kind: 'scalar-type',
      function: 'compute_cost',
      message: 'compute_cost returns a 0-d array, not a float',
    });
    return raw.data[0];
  }
  return asNumber(raw, 'compute_cost(AL, Y)');
}

export const costIsMean: Property<{ AL: NDArray; Y: NDArray; perm: number[] }> = {
  name: 'cost-is-a-mean',
  function: 'compute_cost',
  requires: ['compute_cost'],
  arbitrary: fc.integer({ min: 1, max: 32 }).chain((m) =>
    fc.record({
      AL: probabilities(m),
      Y: labels(m),
      perm: fc.shuffledSubarray([...Array(m).keys()], { minLength: m, maxLength: m }),
    }),
  ),
  async check(engine, { AL, Y, perm }, ctx) {
    const raw = await engine.call('compute_cost', [AL, Y]);
    const cost = asCost(raw, ctx);
    if (!(cost >= 0)) fail(`cost ${cost} is negative (or NaN): a cross-entropy of probabilities is >= 0`);
    let expected = 0;
    for (let i = 0; i < AL.size; i++)
      expected -= (Y.data[i] * Math.log(AL.data[i]) + (1 - Y.data[i]) * Math.log(1 - AL.data[i])) / AL.size;
    // float32: gamma_{m+6} times |J| plus the logs' condition (rounding AL moves log(1 - AL) by u AL / (1 - AL))
    let kappa = 0;
    for (const a of AL.data) kappa += (1 / a + 1 / (1 - a)) / AL.size;
    const bound = tolerance(ctx, 0, AL.size + 6, Math.abs(expected) + kappa);
    if (!(Math.abs(cost - expected) <= 1e-9 * Math.abs(expected) + 1e-15 + bound))
      fail(`cost ${cost}, but the mean cross-entropy is ${expected}`);
    const permuted = asNumber(
      await engine.call('compute_cost', [permuteColumns(AL, perm), permuteColumns(Y, perm)]),
      'compute_cost of permuted examples',
    );
    if (!(Math.abs(permuted - cost) <= RTOL * Math.abs(cost) + 1e-300 + 2 * bound))
      fail(`permuting the examples changes the cost: ${cost} -> ${permuted}`);
    const doubled = asNumber(
      await engine.call('compute_cost', [hstack(AL, AL), hstack(Y, Y)]),
      'compute_cost of duplicated examples',
    );
    if (!(Math.abs(doubled - cost) <= RTOL * Math.abs(cost) + 1e-300 + 2 * bound))
      fail(`duplicating every example changes the cost: ${cost} -> ${doubled} (a sum where a mean belongs?)`);
  },
  replay: ({ AL, Y }) => ({ inputs: { AL, Y }, call: 'cost = compute_cost(AL, Y)' }),
};

export const gradientsOfTheMean: Property<Problem> = {
  name: 'gradients-of-the-mean',
  function: 'L_model_backward',
  requires: ['L_model_forward', 'L_model_backward'],
  arbitrary: problems({ maxBatch: 12 }),
  async check(engine, p, ctx) {
    const grads = async (X: NDArray, Y: NDArray) => {
      const [AL, caches] = asTuple(
        await ctx.reference.call('L_model_forward', [X, p.parameters]),
        2,
        'L_model_forward',
      );
      return asDict(await engine.call('L_model_backward', [AL, Y, caches]), 'L_model_backward');
    };
    const once = await grads(p.X, p.Y);
    const twice = await grads(hstack(p.X, p.X), hstack(p.Y, p.Y));
    const largest = Object.values(once).reduce(
      (m: number, v) => (v instanceof NDArray ? v.data.reduce((x, y) => Math.max(x, Math.abs(y)), m) : m),
      0,
    );
    for (let l = 1; l < p.dims.length; l++) {
      for (const k of [`dW${l}`, `db${l}`]) {
        const g = asArray(once[k], k);
        // normwise over the whole gradient: a layer whose gradient vanishes keeps the rounding of the largest one
        // float32: normwise, gamma_N of the gradient's range (both batches' sums round differently)
        const n = 2 * p.m + 13 * p.dims.length + p.dims.reduce((s, d) => s + d, 0);
        expectClose(
          asArray(twice[k], k),
          g,
          1e-10,
          tolerance(ctx, 1e-15, 2 * n, 4 * largest),
          `${k} on the batch duplicated vs once (the gradient of a mean must not change)`,
        );
      }
    }
  },
  replay: (p) => ({
    inputs: { X: p.X, Y: p.Y, parameters: p.parameters },
    call: 'AL, caches = L_model_forward(X, parameters); g1 = L_model_backward(AL, Y, caches)\nAL2, caches2 = L_model_forward(np.hstack([X, X]), parameters); g2 = L_model_backward(AL2, np.hstack([Y, Y]), caches2)\n# g1["dW1"] should equal g2["dW1"]',
  }),
};

/** A readable double: a multiple of 1/8 in [-scale, scale] (shrinks towards 0, never to a subnormal). */
const nice = (scale: number) => fc.integer({ min: -8 * scale, max: 8 * scale }).map((k) => k / 8);

export const reluBackwardMask: Property<{ dA: NDArray; Z: NDArray }> = {
  name: 'zero-exactly-where-Z-<=-0',
  function: 'relu_backward',
  requires: ['relu_backward'],
  arbitrary: fc.record({ r: fc.integer({ min: 1, max: 6 }), c: fc.integer({ min: 1, max: 6 }) }).chain(({ r, c }) =>
    fc.record({
      // readable values: a failure shrinks to e.g. dA = 0.125, Z = -0.5, never to dA = -2.47e-322
      dA: fc
        .array(nice(3), { minLength: r * c, maxLength: r * c })
        .map((v) => new NDArray(Float64Array.from(v), [r, c])),
      // Z with exact zeros mixed in: the kink itself is part of the contract (dZ = 0 at Z = 0)
      Z: fc.array(fc.oneof(fc.constant(0), nice(2)), { minLength: r * c, maxLength: r * c }).map(
        (v) =>
          new NDArray(
            Float64Array.from(v, (x) => x + 0),
            [r, c],
          ),
      ),
    }),
  ),
  async check(engine, { dA, Z }, ctx) {
    const dZ = asArray(await engine.call('relu_backward', [dA, Z]), 'relu_backward(dA, Z)');
    expectShape(dZ, [...dA.shape], 'dZ');
    let atKink = false;
    for (let i = 0; i < dZ.size; i++) {
      const want = Z.data[i] <= 0 ? 0 : dA.data[i];
      if (dZ.data[i] === want) continue;
      // float32: dA rounded to float32, and a Z below float32's range rounds to the kink (0)
      if (atFloat32(ctx) && (dZ.data[i] === Math.fround(want) || (Math.fround(Z.data[i]) === 0 && dZ.data[i] === 0)))
        continue;
      // derivative 1 at exactly Z == 0 (dZ[Z < 0] = 0) is a convention at the kink, not a bug: a warning
      if (Z.data[i] === 0 && dZ.data[i] === dA.data[i]) {
        atKink = true;
        continue;
      }
      // what the engine does in each region (Z < 0, Z == 0, Z > 0), asked on a readable probe that covers them
      // all: the shrunk case alone (often a single Z = 0) cannot tell a leak from the kink convention
      const probe = await reluProbe(engine);
      const named = probe ?? diagnoseReluBackward(dA.data, Z.data, dZ.data);
      fail(
        `${named ? `${named.sentence}: ` : ''}dZ[${i}] = ${dZ.data[i]} where Z = ${Z.data[i]} and dA = ${dA.data[i]}: expected ${want} (zero exactly where Z <= 0, dA elsewhere)`,
        { expected: want, actual: dZ.data[i] },
      );
    }
    if (atKink)
      ctx.warn?.({
        kind: 'relu-subgradient-at-0',
        function: 'relu_backward',
        message:
          'relu_backward passes dA through where Z == 0 exactly (derivative 1 at the kink, dZ[Z < 0] = 0); the notebook uses 0 (dZ[Z <= 0] = 0)',
      });
  },
  replay: ({ dA, Z }) => ({ inputs: { dA, Z }, call: 'dZ = relu_backward(dA, Z)' }),
};

/** relu_backward on RELU_PROBE, diagnosed; undefined when the engine gets the probe right or fails on it. */
async function reluProbe(engine: Engine): Promise<ReluDiagnosis | undefined> {
  try {
    const dA = new NDArray(Float64Array.from(RELU_PROBE.dA), RELU_PROBE.shape);
    const Z = new NDArray(Float64Array.from(RELU_PROBE.Z), RELU_PROBE.shape);
    const dZ = await engine.call('relu_backward', [dA, Z]);
    return dZ instanceof NDArray ? diagnoseReluBackward(dA.data, Z.data, dZ.data) : undefined;
  } catch {
    return undefined;
  }
}

export const updateRule: Property<{ p: Problem; lr: number }> = {
  name: 'rate-0-is-identity-and-linear-in-rate',
  function: 'update_parameters',
  requires: ['update_parameters'],
  arbitrary: problems({ maxDepth: 3, maxWidth: 6, maxBatch: 2 }).chain((p) =>
    fc.record({ p: fc.constant(p), lr: fc.double({ min: 1e-4, max: 2, noNaN: true }) }),
  ),
  async check(engine, { p, lr }, ctx) {
    const grads: Record<string, NDArray> = {};
    for (const [k, v] of Object.entries(p.parameters))
      grads[`d${k}`] = new NDArray(
        v.data.map((x, i) => Math.sin(3 * x + i)),
        v.shape,
      );
    const same = asDict(await engine.call('update_parameters', [p.parameters, grads, 0]), 'update_parameters(..., 0)');
    for (const k of Object.keys(p.parameters)) {
      const got = asArray(same[k], k);
      // float32: the parameters come back rounded to float32, and nothing else (W - 0 * dW may turn -0 into 0)
      if (atFloat32(ctx) && got.dtype === 'float32')
        expectClose(got, rounded(p.parameters[k]), 0, 0, `${k} after an update with learning rate 0`);
      else expectIdentical(got, p.parameters[k], `${k} after an update with learning rate 0`);
    }
    const stepped = asDict(
      await engine.call('update_parameters', [p.parameters, grads, lr]),
      `update_parameters(..., ${lr})`,
    );
    for (const k of Object.keys(p.parameters)) {
      const expected = new NDArray(
        p.parameters[k].data.map((x, i) => x - lr * grads[`d${k}`].data[i]),
        p.parameters[k].shape,
      );
      // float32: gamma_3 of |W| + lr |dW| (rounding W, dW and lr, one product, one difference)
      const magnitude = p.parameters[k].data.reduce(
        (m, x, i) => Math.max(m, Math.abs(x) + lr * Math.abs(grads[`d${k}`].data[i])),
        0,
      );
      expectClose(
        asArray(stepped[k], k),
        expected,
        1e-15,
        tolerance(ctx, 1e-300, 4, magnitude),
        `${k} - learning_rate * d${k}`,
      );
    }
  },
  replay: ({ p, lr }) => ({
    inputs: { parameters: p.parameters, learning_rate: lr },
    call: 'grads = {"d" + k: np.sin(3 * v + np.arange(v.size).reshape(v.shape)) for k, v in parameters.items()}\nupdate_parameters(parameters, grads, learning_rate)',
  }),
};

/** A function called on random valid inputs leaves them bit-identical. */
function noMutationOf(fn: string, args: (p: Problem) => Value[]): Property<Problem> {
  return {
    name: 'inputs-untouched',
    function: fn,
    requires: [fn],
    arbitrary: problems({ maxDepth: 3, maxWidth: 6, maxBatch: 6 }),
    async check(engine, p, ctx) {
      const callArgs = args(p);
      const before = deepCopy(callArgs) as Value[];
      await engine.call(fn, callArgs);
      // an engine in this process changed our arrays (process engines report it themselves, as a notice):
      // a warning; the values are judged by the other checks
      const diff = firstDifference(callArgs, before);
      if (diff)
        ctx.warn?.({ kind: 'mutates-input', function: fn, message: `${fn} changes its input in place: ${diff}` });
    },
    replay: (p) => ({
      inputs: { args: args(p) },
      call: `import copy\nbefore = copy.deepcopy(args)\n${fn}(*args)\n# args should equal before`,
    }),
  };
}

const lastLayer = (p: Problem): [NDArray, NDArray, NDArray] => {
  const L = p.dims.length - 1;
  const A = new NDArray(
    Float64Array.from({ length: p.dims[L - 1] * p.m }, (_, i) => Math.sin(i + 1)),
    [p.dims[L - 1], p.m],
  );
  return [A, p.parameters[`W${L}`], p.parameters[`b${L}`]];
};
const dAZ = (p: Problem): [NDArray, NDArray] => [
  p.Y,
  new NDArray(
    p.Y.data.map((y, i) => y - 0.3 * i),
    p.Y.shape,
  ),
];

export const noMutation: Property<Problem>[] = [
  noMutationOf('linear_forward', (p) => lastLayer(p)),
  noMutationOf('linear_activation_forward', (p) => [...lastLayer(p), 'relu']),
  noMutationOf('L_model_forward', (p) => [p.X, p.parameters]),
  noMutationOf('sigmoid_backward', dAZ),
  noMutationOf('relu_backward', dAZ),
  noMutationOf('update_parameters', (p) => [
    p.parameters,
    Object.fromEntries(
      Object.entries(p.parameters).map(([k, v]) => [
        `d${k}`,
        new NDArray(
          v.data.map((x) => x + 1),
          v.shape,
        ),
      ]),
    ),
    0.1,
  ]),
];

export const backwardNoMutation: Property<Problem> = {
  name: 'caches-untouched',
  function: 'L_model_backward',
  requires: ['L_model_forward', 'L_model_backward'],
  arbitrary: problems({ maxDepth: 4, maxWidth: 8, maxBatch: 8 }),
  async check(engine, p, ctx) {
    const [AL, caches] = asTuple(
      await ctx.reference.call('L_model_forward', [p.X, p.parameters]),
      2,
      'L_model_forward',
    );
    const args: Value[] = [AL, p.Y, caches];
    const before = deepCopy(args) as Value[];
    await engine.call('L_model_backward', args);
    const diff = firstDifference(args, before);
    if (diff)
      ctx.warn?.({
        kind: 'mutates-input',
        function: 'L_model_backward',
        message: `L_model_backward changes its input in place: ${diff}`,
      });
  },
  replay: (p) => ({
    inputs: { X: p.X, Y: p.Y, parameters: p.parameters },
    call: 'AL, caches = L_model_forward(X, parameters)\nimport copy; before = copy.deepcopy(caches)\nL_model_backward(AL, Y, caches)',
  }),
};

export const sameSeedSameResult: Property<number[]> = {
  name: 'same-seed-same-result',
  function: 'initialize_parameters_deep',
  requires: ['initialize_parameters_deep'],
  arbitrary: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 2, maxLength: 5 }),
  async check(engine, dims) {
    const a = asDict(await engine.call('initialize_parameters_deep', [dims]), 'first call');
    const b = asDict(await engine.call('initialize_parameters_deep', [dims]), 'second call');
    for (const k of Object.keys(a))
      expectIdentical(
        asArray(b[k], k),
        asArray(a[k], k),
        `${k} on a second call (the function seeds the generator itself)`,
      );
  },
  replay: (dims) => ({
    inputs: { layer_dims: dims },
    call: 'a = initialize_parameters_deep(layer_dims); b = initialize_parameters_deep(layer_dims)',
  }),
};

export { awayFromZero };
