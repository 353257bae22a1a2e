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
import type { Check, CheckContext, CheckKind, CheckResult, CheckSuite, CheckWarning } from '../../check/types.ts';
import type { Engine, Value } from '../../engine/engine.ts';
import { NDArray } from '../../tensor/ndarray.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildInputs, loadPacks, packSuite, resolve } from '../../packs/suite.ts';
import type { Pack, PackCase } from '../../packs/schema.ts';
import {
  crossEntropyOneHotPerExample,
  crossEntropyPerExample,
  deltaCrossEntropyOneHotPerExample,
  deltaCrossEntropyPerExample,
  softmaxPerExample,
} from '../../engine/reference/extras.ts';
import { propertyId, runProperty } from '../../../properties/suite.ts';
import { fail, PropertyFailure, type Property } from '../../../properties/props/types.ts';
import { asArray, asNumber, expectShape } from '../../../properties/props/util.ts';
import { softmaxCrossEntropyGradient } from '../../../properties/props/oracles.ts';
import { diagnoseSoftmax } from './diagnoses.ts';

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

/**
 * The six functions with softmax normalised per example (each column), the textbook form: accepted with a
 * softmax-per-example warning where they differ from the seed's whole-array values (m > 1; README.md).
 */
const PER_EXAMPLE: Record<string, (args: Value[]) => Value> = {
  softmax: ([z]) => softmaxPerExample(z as NDArray),
  stable_softmax: ([z]) => softmaxPerExample(z as NDArray),
  cross_entropy: ([Z, y]) => crossEntropyPerExample(Z as NDArray, y as NDArray),
  cross_entropy_one_hot: ([Z, Y]) => crossEntropyOneHotPerExample(Z as NDArray, Y as NDArray),
  delta_cross_entropy: ([Z, y]) => deltaCrossEntropyPerExample(Z as NDArray, y as NDArray),
  delta_cross_entropy_one_hot: ([Z, Y]) => deltaCrossEntropyOneHotPerExample(Z as NDArray, Y as NDArray),
};

/** One message per function (the run keeps one warning per kind and function). */
export const perExampleWarning = (fn: string): CheckWarning => ({
  kind: 'softmax-per-example',
  function: fn,
  message: `${fn} normalises each example (column), where the seed normalises the whole array; for one example they agree; this is the usual softmax, and the one whose delta is the derivative of its cross-entropy for any m`,
});

/** The engine's answer is the per-example one, on logits of more than one example (with one, the seed's is it). */
function isPerExample(fn: string, args: Value[], got: Value): boolean {
  const Z = args[0];
  const per = PER_EXAMPLE[fn];
  if (!per || !(Z instanceof NDArray) || Z.ndim !== 2 || (Z.shape[1] as number) < 2) return false;
  try {
    compare(fn, got, per(args), 1e-9, 1e-12);
    return true;
  } catch {
    return false;
  }
}

const differential = (fn: string): Property<Problem> => ({
  name: 'matches-the-reference',
  function: fn,
  requires: [fn],
  arbitrary: problem(4),
  async check(engine, p, ctx) {
    const args = argsOf(fn, p);
    const want = await ctx.reference.call(fn, args);
    const got = await engine.call(fn, args);
    try {
      compare(fn, got, want, 1e-9, 1e-12);
    } catch (err) {
      if (!(err instanceof PropertyFailure)) throw err;
      if (isPerExample(fn, args, got)) return ctx.warn?.(perExampleWarning(fn));
      // a known bug's values: its sentence first, the numbers after
      const bug = await diagnoseSoftmax(engine, fn, args, got);
      if (!bug) throw err;
      fail(`${fn} ${bug} (${err.message})`, { expected: err.expected, actual: err.actual });
    }
  },
  replay: replayOf(fn),
});

/**
 * d cost / dZ by central differences of a cost function (h = 1e-6: the truncation error, h^2 times the third
 * derivative, and the rounding error, eps/h, both stay below 1e-9 for logits in [-3, 3]).
 */
async function numericGradient(
  engine: Engine,
  cost: string,
  Z: NDArray,
  target: NDArray,
): Promise<{ gradient: number[]; costs: number[] }> {
  const h = 1e-6;
  const gradient: number[] = [];
  const costs: number[] = [];
  for (let k = 0; k < Z.size; k++) {
    const at = async (d: number) => {
      const data = Z.data.slice();
      data[k] = (data[k] as number) + d;
      const v = await engine.call(cost, [new NDArray(data, Z.shape), target]);
      const c = v instanceof NDArray && v.size === 1 ? (v.data[0] as number) : asNumber(v, `${cost}'s result`);
      costs.push(c);
      return c;
    };
    gradient.push(((await at(h)) - (await at(-h))) / (2 * h));
  }
  return { gradient, costs };
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
    // the engine's own cost where it agrees with the reference's at every differenced point (agreeing at Z alone
    // can be a coincidence: -log(1 - a) equals -log(a) at z = [0, 0]); otherwise the reference's
    const ref = await numericGradient(ctx.reference, cost, Z, target);
    let numeric = ref.gradient;
    if (ctx.functions.has(cost)) {
      const own = await numericGradient(engine, cost, Z, target).catch(() => undefined);
      if (own?.costs.every((c, k) => close(c, ref.costs[k] as number, 1e-9, 1e-12))) numeric = own.gradient;
    }
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

/**
 * The seed normalises over the whole array: its entries sum to 1 (one example: its column). Each column summing to 1
 * is the per-example softmax (m > 1), accepted with its warning.
 */
function sumsToOneOrWarn(fn: string, a: NDArray, ctx: CheckContext, where = ''): void {
  const total = a.data.reduce((s, x) => s + x, 0);
  if (close(total, 1, 0, 1e-12 * a.size)) return;
  const [rows, m] = [a.shape[0] as number, a.shape[1] as number];
  const columns = Array.from({ length: m }, (_, j) =>
    Array.from({ length: rows }, (_, i) => a.data[i * m + j] as number).reduce((s, x) => s + x, 0),
  );
  if (m > 1 && columns.every((c) => close(c, 1, 0, 1e-12 * rows))) {
    ctx.warn?.(perExampleWarning(fn));
    return;
  }
  fail(`${fn}'s entries sum to ${total}${where}, not 1 (nor does each column)`, { expected: 1, actual: total });
}

const sumsToOne = (fn: string): Property<Problem> => ({
  name: 'sums-to-one',
  function: fn,
  requires: [fn],
  arbitrary: problem(4),
  async check(engine, p, ctx) {
    const a = asArray(await engine.call(fn, [Zof(p)]), `${fn}'s result`);
    expectShape(a, [p.classes, p.m], `${fn}'s result`);
    sumsToOneOrWarn(fn, a, ctx);
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
  async check(engine, { p, c }, ctx) {
    const z = new NDArray(
      Float64Array.from(p.z, (x) => x + c),
      [p.classes, p.m],
    );
    const a = asArray(await engine.call('stable_softmax', [z]), "stable_softmax's result");
    if (a.data.some((x) => !Number.isFinite(x)))
      fail(
        `stable_softmax overflows on logits around ${c.toFixed(0)}: ${Array.from(a.data).join(', ')} (exp(z - max(z)) never does)`,
      );
    // finite entries that are all 0: the exponentials' sum overflowed to inf (a shift other than the max)
    if (a.data.every((x) => x === 0))
      fail(
        `stable_softmax's entries are all 0 on logits around ${c.toFixed(0)}: the sum of its exponentials overflows to inf (exp(z - max(z)) never exceeds 1)`,
      );
    sumsToOneOrWarn('stable_softmax', a, ctx, ' on large logits');
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

/**
 * The fixture suite, where a case of more than one example that the engine fails passes with a softmax-per-example
 * warning if the engine's value is the per-example one on the case's inputs (the pack holds the seed's whole-array
 * values, NumPy's).
 */
function acceptingPerExample(load: () => Pack[]): CheckSuite {
  const suite = packSuite(load);
  return {
    name: suite.name,
    checks(ctx) {
      const packs = (ctx.options?.packs as Pack[] | undefined) ?? load();
      const cases = new Map<string, PackCase>(
        packs.flatMap((p) => p.cases.map((c) => [`fixture/${p.name}/${c.id}`, c])),
      );
      return suite.checks(ctx).map((check) => ({
        ...check,
        async run(cctx: CheckContext): Promise<CheckResult> {
          const r = await check.run(cctx);
          const c = cases.get(check.id);
          if (r.status !== 'fail' || !c || c.kwargs || c.outputs.some((o) => o.select.length || o.reduce)) return r;
          const values = buildInputs(c);
          const args = c.args.map((a) => resolve(a, values));
          const got = await cctx.engine.call(c.function, args).catch(() => undefined);
          if (got === undefined || !isPerExample(c.function, args, got)) return r;
          cctx.warn?.(perExampleWarning(c.function));
          const m = (args[0] as NDArray).shape[1];
          return {
            id: r.id,
            function: r.function,
            kind: r.kind,
            status: 'pass',
            message: `the per-example softmax's values on these ${m} examples (each column normalised), not the seed's whole-array values that the pack holds`,
          };
        },
      }));
    },
  };
}

export const softmaxSuites: CheckSuite[] = [
  // the seed prints no values: NumPy's values of its code (softmax-numpy.json), and any pack put beside it
  acceptingPerExample(() => (existsSync(PACKS) ? loadPacks(PACKS, SOFTMAX_FUNCTIONS) : [])),
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
