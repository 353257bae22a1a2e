/**
 * The softmax assignment's checks. The seed prints no values (fixtures/packs/softmax/ holds a NumPy golden pack of
 * the seed's own code instead, scripts/softmax_pack.py), so the evidence is that pack, the reference on random inputs
 * (differential), the derivatives against central differences of the cross-entropy (gradcheck) and against mathjs'
 * symbolic derivative (one example, where the seed's whole-array softmax is the per-example one: README.md), and
 * properties of the two softmax forms. Each check runs through fast-check (properties/suite.ts): a failure comes with
 * its shrunk counterexample, its replay seed and a Python snippet.
 */
import fc from 'fast-check';
import { create, all } from 'mathjs';
import type { Check, CheckContext, CheckKind, CheckResult, CheckSuite } from '../../check/types.ts';
import type { Engine, Value } from '../../engine/engine.ts';
import { NDArray } from '../../tensor/ndarray.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPacks, packSuite } from '../../packs/suite.ts';
import { propertyId, runProperty } from '../../../properties/suite.ts';
import { fail, type Property } from '../../../properties/props/types.ts';
import { asArray, asNumber, expectShape } from '../../../properties/props/util.ts';
import { softmaxCrossEntropyGradient } from '../../../properties/props/oracles.ts';

export const SOFTMAX_FUNCTIONS = [
  'softmax',
  'stable_softmax',
  'cross_entropy',
  'cross_entropy_one_hot',
  'delta_cross_entropy',
  'delta_cross_entropy_one_hot',
] as const;

const PACKS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'packs', 'softmax');

/** A problem: logits Z (classes, m), labels y (1, m) and their one-hot Y. */
interface Problem {
  classes: number;
  m: number;
  z: number[];
  labels: number[];
}

const problem = (mMax: number, range = 5) =>
  fc.record({ classes: fc.integer({ min: 2, max: 5 }), m: fc.integer({ min: 1, max: mMax }) }).chain(({ classes, m }) =>
    fc.record({
      classes: fc.constant(classes),
      m: fc.constant(m),
      z: fc.array(fc.double({ min: -range, max: range, noNaN: true }), {
        minLength: classes * m,
        maxLength: classes * m,
      }),
      labels: fc.array(fc.integer({ min: 0, max: classes - 1 }), { minLength: m, maxLength: m }),
    }),
  );

const Zof = (p: Problem) => new NDArray(Float64Array.from(p.z), [p.classes, p.m]);
/** The labels as integers (int64), as the seed's a[y, range(m)] needs them: a Python engine gets an int64 array. */
const yOf = (p: Problem) => new NDArray(Float64Array.from(p.labels), [1, p.m], 'int64');
const YOf = (p: Problem) =>
  new NDArray(
    Float64Array.from({ length: p.classes * p.m }, (_, k) => (p.labels[k % p.m] === Math.floor(k / p.m) ? 1 : 0)),
    [p.classes, p.m],
  );
/** The arguments each function takes: (z), (Z, y) or (Z, Y). */
const argsOf = (fn: string, p: Problem): Value[] =>
  fn.includes('softmax') ? [Zof(p)] : fn.endsWith('one_hot') ? [Zof(p), YOf(p)] : [Zof(p), yOf(p)];

/** y = np.array([[0, 2, 1]]): integer labels, as the engine got them; the one-hot Y is built from them. */
const replayOf = (fn: string) => (p: Problem) => ({
  inputs: { Z: Zof(p), ...(fn.includes('softmax') ? {} : { y: yOf(p) }) },
  call: fn.includes('softmax')
    ? `${fn}(Z)`
    : fn.endsWith('one_hot')
      ? `Y = np.eye(${p.classes})[:, y[0]]\n${fn}(Z, Y)`
      : `${fn}(Z, y)`,
});

const close = (a: number, b: number, rtol: number, atol: number) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

/** Every element of the engine's answer within rtol/atol of the reference's; a message naming the first that is not. */
function compare(fn: string, got: Value, want: Value, rtol: number, atol: number): void {
  if (want instanceof NDArray) {
    const g = asArray(got, `${fn}'s result`);
    expectShape(g, [...want.shape], `${fn}'s result`);
    want.data.forEach((w, k) => {
      const v = g.data[k] as number;
      if (!close(v, w, rtol, atol))
        fail(
          `${fn} returns ${v} at [${Math.floor(k / want.shape[1]!)}, ${k % want.shape[1]!}] where the seed's code gives ${w}`,
          { expected: w, actual: v },
        );
    });
    return;
  }
  const v = asNumber(got, `${fn}'s result`);
  if (!close(v, want as number, rtol, atol))
    fail(`${fn} returns ${v} where the seed's code gives ${want}`, { expected: want, actual: v });
}

const differential = (fn: string): Property<Problem> => ({
  name: 'matches-the-reference',
  function: fn,
  requires: [fn],
  arbitrary: problem(4),
  async check(engine, p, ctx) {
    const want = await ctx.reference.call(fn, argsOf(fn, p));
    compare(fn, await engine.call(fn, argsOf(fn, p)), want, 1e-9, 1e-12);
  },
  replay: replayOf(fn),
});

/**
 * d cost / dZ by central differences of a cost function (h = 1e-6: the truncation error, h^2 times the third
 * derivative, and the rounding error, eps/h, both stay below 1e-9 for logits in [-3, 3]).
 */
async function numericGradient(engine: Engine, cost: string, Z: NDArray, target: NDArray): Promise<number[]> {
  const h = 1e-6;
  const out: number[] = [];
  for (let k = 0; k < Z.size; k++) {
    const at = async (d: number) => {
      const data = Z.data.slice();
      data[k] = (data[k] as number) + d;
      return asNumber(await engine.call(cost, [new NDArray(data, Z.shape), target]), `${cost}'s result`);
    };
    out.push(((await at(h)) - (await at(-h))) / (2 * h));
  }
  return out;
}

/**
 * delta_cross_entropy* against central differences of cross_entropy*, for one example (m = 1: with more, the seed's
 * whole-array softmax makes the two disagree by construction, README.md). The engine's own cost is differenced where
 * it agrees with the reference's; where it does not, the reference's is (its own checks blame the cost, not this).
 */
const gradcheck = (delta: string, cost: string): Property<Problem> => ({
  name: `is-the-derivative-of-${cost}`,
  function: delta,
  requires: [delta],
  arbitrary: problem(1, 3),
  async check(engine, p, ctx) {
    const target = delta.endsWith('one_hot') ? YOf(p) : yOf(p);
    const Z = Zof(p);
    let source = ctx.reference;
    if (ctx.functions.has(cost)) {
      const own = await engine.call(cost, [Z, target]).catch(() => undefined);
      const ref = asNumber(await ctx.reference.call(cost, [Z, target]), 'the reference cost');
      if (typeof own === 'number' || own instanceof NDArray) {
        const v = own instanceof NDArray ? own.data[0] : own;
        if (v !== undefined && close(v, ref, 1e-9, 1e-12)) source = engine;
      }
    }
    const numeric = await numericGradient(source, cost, Z, target);
    const g = asArray(await engine.call(delta, [Z, target]), `${delta}'s result`);
    expectShape(g, [p.classes, 1], `${delta}'s result`);
    const diff = Math.hypot(...numeric.map((n, k) => (g.data[k] as number) - n));
    const norm = Math.hypot(...numeric) + Math.hypot(...g.data);
    const rel = norm === 0 ? diff : diff / norm;
    if (!(rel < 1e-7))
      fail(
        `${delta} is not the derivative of ${cost}: relative difference ${rel.toExponential(2)} from central differences (${numeric.map((n) => n.toPrecision(6)).join(', ')}; ${delta} gives ${Array.from(g.data, (x) => x.toPrecision(6)).join(', ')})`,
        { expected: numeric, actual: Array.from(g.data) },
      );
  },
  replay: replayOf(delta),
  cost: 0.5,
});

const plain = create(all);
/** delta_cross_entropy (labels) against mathjs' symbolic derivative of -log(softmax(z)_y), one example. */
const symbolicLabels: Property<{ z: number[]; y: number }> = {
  ...(softmaxCrossEntropyGradient as Property<{ z: number[]; y: number }>),
  function: 'delta_cross_entropy',
  requires: ['delta_cross_entropy'],
  async check(engine, { z, y }) {
    const names = z.map((_, i) => `z${i}`);
    const loss = plain.parse(`-log(exp(z${y}) / (${names.map((n) => `exp(${n})`).join(' + ')}))`);
    const scope = Object.fromEntries(names.map((n, i) => [n, z[i]]));
    const Z = new NDArray(Float64Array.from(z), [z.length, 1]);
    const g = asArray(
      await engine.call('delta_cross_entropy', [Z, new NDArray(Float64Array.of(y), [1, 1], 'int64')]),
      'delta_cross_entropy(Z, y)',
    );
    expectShape(g, [z.length, 1], 'gradient');
    names.forEach((n, i) => {
      const want = plain.derivative(loss, n).evaluate(scope) as number;
      if (!close(g.data[i] as number, want, 1e-12, 1e-12))
        fail(`dL/dz${i} = ${g.data[i]}, the symbolic derivative of ${loss.toString()} gives ${want}`, {
          expected: want,
          actual: g.data[i],
        });
    });
  },
  replay: ({ z, y }) => ({
    inputs: { Z: new NDArray(Float64Array.from(z), [z.length, 1]) },
    call: `delta_cross_entropy(Z, np.array([[${y}]]))`,
  }),
};

const sumsToOne = (fn: string): Property<Problem> => ({
  name: 'sums-to-one',
  function: fn,
  requires: [fn],
  arbitrary: problem(4),
  async check(engine, p) {
    const a = asArray(await engine.call(fn, [Zof(p)]), `${fn}'s result`);
    expectShape(a, [p.classes, p.m], `${fn}'s result`);
    const total = a.data.reduce((s, x) => s + x, 0);
    // the seed normalises over the whole array: its entries, not each column, sum to 1 (one example: its column)
    if (!close(total, 1, 0, 1e-12 * a.size))
      fail(`${fn}'s entries sum to ${total}, not 1`, { expected: 1, actual: total });
    if (a.data.some((x) => !(x >= 0 && x <= 1))) fail(`${fn} has an entry outside [0, 1]`);
  },
  replay: replayOf(fn),
});

/** stable_softmax(z + c) = stable_softmax(z): the shift by max(z) cancels any constant. */
const shiftInvariant: Property<{ p: Problem; c: number }> = {
  name: 'shift-invariant',
  function: 'stable_softmax',
  requires: ['stable_softmax'],
  arbitrary: fc.record({ p: problem(3), c: fc.double({ min: -500, max: 500, noNaN: true }) }),
  async check(engine, { p, c }) {
    const a = asArray(await engine.call('stable_softmax', [Zof(p)]), "stable_softmax's result");
    const shifted = new NDArray(
      Float64Array.from(p.z, (x) => x + c),
      [p.classes, p.m],
    );
    const b = asArray(await engine.call('stable_softmax', [shifted]), "stable_softmax's result");
    expectShape(b, [p.classes, p.m], "stable_softmax's result");
    // z + c rounds z to c's ulp (up to 6e-14 here): the probabilities move by that relative amount, no more
    a.data.forEach((x, k) => {
      if (!close(b.data[k] as number, x, 1e-9, 1e-12))
        fail(`stable_softmax(z + ${c}) differs from stable_softmax(z): ${b.data[k]} against ${x}`, {
          expected: x,
          actual: b.data[k],
        });
    });
  },
  replay: ({ p, c }) => ({ inputs: { Z: Zof(p) }, call: `stable_softmax(Z), stable_softmax(Z + ${c})` }),
};

/** Large logits (around 710 and up, where exp overflows, and spread by up to 2000): the stable form stays finite and sums to 1. */
const stableOnLargeInputs: Property<{ p: Problem; c: number }> = {
  name: 'finite-on-large-inputs',
  function: 'stable_softmax',
  requires: ['stable_softmax'],
  // spread up to 2000 around a centre up to 1e4: exp overflows past 709 both above the centre and across the spread
  arbitrary: fc.record({ p: problem(3, 1000), c: fc.double({ min: 710, max: 1e4, noNaN: true }) }),
  async check(engine, { p, c }) {
    const z = new NDArray(
      Float64Array.from(p.z, (x) => x + c),
      [p.classes, p.m],
    );
    const a = asArray(await engine.call('stable_softmax', [z]), "stable_softmax's result");
    if (a.data.some((x) => !Number.isFinite(x)))
      fail(
        `stable_softmax overflows on logits around ${c.toFixed(0)}: ${Array.from(a.data).join(', ')} (exp(z - max(z)) never does)`,
      );
    const total = a.data.reduce((s, x) => s + x, 0);
    if (!close(total, 1, 0, 1e-12 * a.size))
      fail(`stable_softmax's entries sum to ${total} on large logits`, { expected: 1, actual: total });
  },
  replay: ({ p, c }) => ({ inputs: { Z: Zof(p) }, call: `stable_softmax(Z + ${c})` }),
};

/**
 * The naive form on large logits, documented and never failed: exp(1000) overflows to inf and inf / inf is nan,
 * which is what the seed's softmax does (its reason for stable_softmax). The check says what the engine returned.
 */
const naiveOverflow: Check = {
  id: 'property/softmax/overflow-on-large-inputs-documented',
  function: 'softmax',
  kind: 'property',
  async run(ctx: CheckContext): Promise<CheckResult> {
    const base = { id: this.id, function: 'softmax', kind: 'property' as CheckKind };
    if (!ctx.functions.has('softmax')) return { ...base, status: 'skip', message: 'softmax is not defined' };
    const z = NDArray.from([[1000], [0], [-1000]]);
    try {
      const a = asArray(await ctx.engine.call('softmax', [z]), "softmax's result");
      const finite = a.data.every(Number.isFinite);
      return {
        ...base,
        status: 'pass',
        message: finite
          ? `softmax([[1000], [0], [-1000]]) stays finite (${Array.from(a.data).join(', ')}): the engine's softmax is the stable form`
          : `softmax([[1000], [0], [-1000]]) gives ${Array.from(a.data).join(', ')}: exp(1000) overflows, as the seed's formula does (documented, not failed; stable_softmax is checked finite)`,
        details: { values: Array.from(a.data) },
      };
    } catch (err) {
      return {
        ...base,
        status: 'pass',
        message: `softmax([[1000], [0], [-1000]]) raises (${(err as Error).message.split('\n')[0]}): overflow, documented, not failed`,
      };
    }
  },
};

/** A property as a check of the given kind (gradient checks and differential tests run through fast-check too). */
function asCheck(p: Property<never>, kind: CheckKind): Check {
  const id = kind === 'property' ? propertyId(p as Property<unknown>) : `${kind}/${p.function}/${p.name}`;
  return {
    id,
    function: p.function,
    kind,
    run: async (ctx) => ({ ...(await runProperty(p as Property<unknown>, ctx)), id, kind }),
  };
}

export const softmaxSuites: CheckSuite[] = [
  // the seed prints no values: NumPy's values of its code (softmax-numpy.json), and any pack put beside it
  packSuite(() => (existsSync(PACKS) ? loadPacks(PACKS, SOFTMAX_FUNCTIONS) : [])),
  {
    name: 'softmax-differential',
    checks: () => SOFTMAX_FUNCTIONS.map((fn) => asCheck(differential(fn) as Property<never>, 'differential')),
  },
  {
    name: 'softmax-gradcheck',
    checks: () => [
      asCheck(gradcheck('delta_cross_entropy', 'cross_entropy') as Property<never>, 'gradcheck'),
      asCheck(gradcheck('delta_cross_entropy_one_hot', 'cross_entropy_one_hot') as Property<never>, 'gradcheck'),
    ],
  },
  {
    name: 'softmax-properties',
    checks: () => [
      asCheck(symbolicLabels as Property<never>, 'property'),
      asCheck(softmaxCrossEntropyGradient as Property<never>, 'property'),
      asCheck(sumsToOne('softmax') as Property<never>, 'property'),
      asCheck(sumsToOne('stable_softmax') as Property<never>, 'property'),
      asCheck(shiftInvariant as Property<never>, 'property'),
      asCheck(stableOnLargeInputs as Property<never>, 'property'),
      naiveOverflow,
    ],
  },
];
