/**
 * Independent oracles: mathjs recomputes linear algebra exactly (BigNumber, 64 digits) on small cases, and its
 * symbolic `derivative` gives the activation derivatives that the backward functions must match.
 */
import fc from 'fast-check';
import { create, all } from 'mathjs';
import { NDArray } from '../../src/tensor/ndarray.ts';
import { matrix } from '../arbitraries/index.ts';
import { fail, type Property } from './types.ts';
import { asArray, asTuple, atFloat32, expectShape, tolerance } from './util.ts';
import { beyondBound, gamma } from '../../src/check/precision.ts';

const math = create(all, { number: 'BigNumber', precision: 64 });
const plain = create(all);

/** Z = W·A + b in 64-digit arithmetic, then rounded once to float64. */
function exactLinear(A: NDArray, W: NDArray, b: NDArray): NDArray {
  const [n, k] = W.shape;
  const m = A.shape[1];
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = math.bignumber(b.data[i]);
      for (let p = 0; p < k; p++)
        s = math.add(
          s,
          math.multiply(math.bignumber(W.data[i * k + p]), math.bignumber(A.data[p * m + j])),
        ) as typeof s;
      out[i * m + j] = Number(s.toString());
    }
  }
  return new NDArray(out, [n, m]);
}

export const linearForwardExact: Property<{ A: NDArray; W: NDArray; b: NDArray }> = {
  name: 'matches-exact-arithmetic',
  function: 'linear_forward',
  requires: ['linear_forward'],
  arbitrary: fc
    .record({ n: fc.integer({ min: 1, max: 4 }), k: fc.integer({ min: 1, max: 5 }), m: fc.integer({ min: 1, max: 4 }) })
    .chain(({ n, k, m }) => fc.record({ A: matrix(k, m, 3), W: matrix(n, k, 1), b: matrix(n, 1, 1) })),
  async check(engine, { A, W, b }, ctx) {
    const Z = asArray(asTuple(await engine.call('linear_forward', [A, W, b]), 2, 'linear_forward')[0], 'Z');
    const exact = exactLinear(A, W, b);
    expectShape(Z, [...exact.shape], 'Z');
    const k = W.shape[1];
    for (let i = 0; i < Z.size; i++) {
      // a float64 dot of length k: error <= k * u * sum|terms| (Higham); the terms' magnitude bounded by 3 * k + 1
      // float32: componentwise gamma_{k+3}(u32) * (|W||A| + |b|)_i: k+1 roundings of the sum, and the inputs rounded
      const [r, c] = [Math.floor(i / A.shape[1]), i % A.shape[1]];
      let mag = Math.abs(b.data[r]);
      for (let t = 0; t < k; t++) mag += Math.abs(W.data[r * k + t] * A.data[t * A.shape[1] + c]);
      const bound = atFloat32(ctx)
        ? Math.max((k + 1) * 2 ** -53 * (3 * k + 1) * 1.01, gamma(k + 3, 'float32') * mag)
        : (k + 1) * 2 ** -53 * (3 * k + 1) * 1.01;
      if (!(Math.abs(Z.data[i] - exact.data[i]) <= bound))
        fail(
          atFloat32(ctx)
            ? `Z[${i}] = ${Z.data[i]}, exact value ${exact.data[i]}: ${beyondBound('float32', Math.abs(Z.data[i] - exact.data[i]), bound)}`
            : `Z[${i}] = ${Z.data[i]}, exact value ${exact.data[i]} (beyond float64 rounding, bound ${bound.toExponential(2)})`,
        );
    }
  },
  replay: ({ A, W, b }) => ({ inputs: { A, W, b }, call: 'Z, cache = linear_forward(A, W, b)' }),
};

const dSigmoid = plain.derivative(plain.parse('1 / (1 + exp(-x))'), 'x').compile();

export const sigmoidDerivative: Property<NDArray> = {
  name: 'is-the-symbolic-derivative',
  function: 'sigmoid_backward',
  requires: ['sigmoid_backward'],
  arbitrary: fc
    .record({ r: fc.integer({ min: 1, max: 5 }), c: fc.integer({ min: 1, max: 5 }) })
    .chain(({ r, c }) => matrix(r, c, 8)),
  async check(engine, Z, ctx) {
    const ones = new NDArray(new Float64Array(Z.size).fill(1), Z.shape);
    const dZ = asArray(await engine.call('sigmoid_backward', [ones, Z]), 'sigmoid_backward(1, Z)');
    expectShape(dZ, [...Z.shape], 'dZ');
    for (let i = 0; i < Z.size; i++) {
      const want = dSigmoid.evaluate({ x: Z.data[i] }) as number;
      // float32: 1 - s cancels, so the error is absolute: gamma_10 times (1 + |Z|) (sigmoid's condition) over 4
      if (
        !(
          Math.abs(dZ.data[i] - want) <=
          1e-12 * Math.abs(want) + tolerance(ctx, 1e-300, 10, (1 + Math.abs(Z.data[i])) / 4)
        )
      )
        fail(
          `sigmoid_backward(1, Z)[${i}] = ${dZ.data[i]}, d/dx sigmoid at ${Z.data[i]} is ${want} (mathjs derivative)`,
        );
    }
  },
  replay: (Z) => ({ inputs: { Z }, call: 'dZ = sigmoid_backward(np.ones_like(Z), Z)' }),
};

const derivatives = new Map<string, { evaluate(scope: object): unknown }>();
/** mathjs' symbolic derivative of `expr` by `name`, compiled once per expression. */
function symbolic(expr: string, name: string) {
  const key = `${expr}|${name}`;
  let d = derivatives.get(key);
  if (!d) {
    d = plain.derivative(plain.parse(expr), name).compile();
    derivatives.set(key, d);
  }
  return d;
}

/** d/dz_i of -log(softmax(z)_y) for one example, symbolically, against delta_cross_entropy_one_hot. */
export const softmaxCrossEntropyGradient: Property<{ z: number[]; y: number }> = {
  name: 'is-the-symbolic-derivative',
  function: 'delta_cross_entropy_one_hot',
  requires: ['delta_cross_entropy_one_hot'],
  arbitrary: fc.integer({ min: 2, max: 4 }).chain((k) =>
    fc.record({
      z: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: k, maxLength: k }),
      y: fc.integer({ min: 0, max: k - 1 }),
    }),
  ),
  async check(engine, { z, y }, ctx) {
    const k = z.length;
    const names = z.map((_, i) => `z${i}`);
    const loss = `-log(exp(z${y}) / (${names.map((n) => `exp(${n})`).join(' + ')}))`;
    const scope = Object.fromEntries(names.map((n, i) => [n, z[i]]));
    const Z = new NDArray(Float64Array.from(z), [k, 1]);
    const Y = new NDArray(
      Float64Array.from(z, (_, i) => (i === y ? 1 : 0)),
      [k, 1],
    );
    const g = asArray(await engine.call('delta_cross_entropy_one_hot', [Z, Y]), 'delta_cross_entropy_one_hot(Z, Y)');
    expectShape(g, [k, 1], 'gradient');
    for (let i = 0; i < k; i++) {
      const want = symbolic(loss, names[i]).evaluate(scope) as number;
      if (!(Math.abs(g.data[i] - want) <= tolerance(ctx, 1e-12, 4 * k + 8, 8) + 1e-12 * Math.abs(want)))
        fail(`dL/dz${i} = ${g.data[i]}, symbolic derivative of ${loss} gives ${want}`);
    }
  },
  replay: ({ z, y }) => ({
    inputs: { Z: new NDArray(Float64Array.from(z), [z.length, 1]) },
    call: `Y = np.eye(${z.length})[:, [${y}]]\ndelta_cross_entropy_one_hot(Z, Y)`,
  }),
};
