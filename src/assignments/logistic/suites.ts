/**
 * Week 2's check families beside its packs: the contract (what the notebook's code relies on: sigmoid returns one
 * array, initialize_with_zeros' b), the gradient check of propagate against its own cost, fast-check properties, and
 * the reference as an oracle on random inputs. Every failure names its bug in one sentence (diagnose.ts).
 */
import fc from 'fast-check';
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import { EngineFault, type Engine, type Value } from '../../engine/engine.ts';
import type { Check, CheckContext, CheckResult, CheckSuite } from '../../check/types.ts';
import { pythonReplay } from '../../../properties/replay.ts';
import { norm } from '../../gradcheck/vector.ts';
import { difference, isDict, scalarOf, describe as describeValue } from './compare.ts';
import {
  diagnoseInit,
  diagnoseModel,
  diagnoseOptimize,
  diagnosePredict,
  diagnosePropagate,
  diagnoseRaised,
  diagnoseSigmoid,
} from './diagnose.ts';
import { activations, type Bias } from './reference.ts';
import { intBiasLine, pythonSource } from './source-scan.ts';

type Kind = CheckResult['kind'];

function check(
  id: string,
  fn: string,
  kind: Kind,
  body: (ctx: CheckContext) => Promise<Omit<CheckResult, 'id' | 'function' | 'kind'>>,
): Check {
  return {
    id,
    function: fn,
    kind,
    async run(ctx) {
      const base = { id, function: fn, kind };
      if (!ctx.functions.has(fn)) return { ...base, status: 'skip', message: `the engine does not define ${fn}` };
      return { ...base, ...(await body(ctx)) };
    },
  };
}

/** An engine exception is the function's failure (a wrong value would be too); hangs and crashes stay errors. */
async function callOrRaise(engine: Engine, fn: string, args: Value[]): Promise<{ value?: Value; raised?: string }> {
  try {
    return { value: await engine.call(fn, args) };
  } catch (err) {
    if (err instanceof EngineFault && err.kind === 'exception')
      return { raised: err.message.replace(/^[^:]*: exception: /, '').split('\n')[0] };
    throw err;
  }
}

// ---- inputs -------------------------------------------------------------------------------------------------

const mat = (rs: RandomState, r: number, c: number, s = 1) =>
  new NDArray(
    rs.randn(r, c).data.map((x) => x * s),
    [r, c],
  );
const labels = (rs: RandomState, m: number) =>
  new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
    [1, m],
  );
const between = (rs: RandomState, lo: number, hi: number) => lo + Number(rs.randint(0, hi - lo + 1));
const scalar = (rs: RandomState, s: number) => rs.randn(1).data[0] * s;

interface Case {
  args: Value[];
  names: string[];
}
const CASES: Record<string, (rs: RandomState, k: number) => Case> = {
  sigmoid: (rs, k) => ({
    args: [k % 2 ? mat(rs, between(rs, 1, 3), between(rs, 1, 5), 3) : mat(rs, 1, between(rs, 1, 6), 3).reshape([-1])],
    names: ['z'],
  }),
  initialize_with_zeros: (rs) => ({ args: [between(rs, 1, 12)], names: ['dim'] }),
  propagate: (rs) => {
    const n = between(rs, 1, 5);
    const m = between(rs, 2, 7);
    return { args: [mat(rs, n, 1, 0.5), scalar(rs, 0.5), mat(rs, n, m), labels(rs, m)], names: ['w', 'b', 'X', 'Y'] };
  },
  optimize: (rs, k) => {
    const n = between(rs, 1, 4);
    const m = between(rs, 2, 6);
    return {
      args: [
        mat(rs, n, 1, 0.5),
        scalar(rs, 0.5),
        mat(rs, n, m),
        labels(rs, m),
        [1, 101, 250, 100, 150][k % 5],
        [0.1, 0.05, 0.009][k % 3],
        k === 2,
      ],
      names: ['w', 'b', 'X', 'Y', 'num_iterations', 'learning_rate', 'print_cost'],
    };
  },
  predict: (rs) => {
    for (;;) {
      const n = between(rs, 1, 5);
      const m = between(rs, 1, 8);
      const args = [mat(rs, n, 1), scalar(rs, 0.5), mat(rs, n, m)] as [NDArray, number, NDArray];
      // A == 0.5 is a tie that > 0.5 and >= 0.5 (both accepted) decide differently
      if (activations(...args).data.every((a) => Math.abs(a - 0.5) > 1e-9)) return { args, names: ['w', 'b', 'X'] };
    }
  },
  model: (rs, k) => {
    const n = between(rs, 2, 5);
    const m = between(rs, 4, 9);
    const t = between(rs, 2, 5);
    return {
      args: [
        mat(rs, n, m),
        labels(rs, m),
        mat(rs, n, t),
        labels(rs, t),
        [50, 150, 201][k % 3],
        [0.01, 0.05, 0.1][k % 3],
      ],
      names: ['X_train', 'Y_train', 'X_test', 'Y_test', 'num_iterations', 'learning_rate'],
    };
  },
};

const DIAGNOSE: Record<string, (args: Value[], actual: Value) => string | undefined> = {
  sigmoid: (a, v) => diagnoseSigmoid(a[0] as NDArray, v),
  initialize_with_zeros: (a, v) => diagnoseInit(a[0] as number, v),
  propagate: diagnosePropagate,
  optimize: diagnoseOptimize,
  predict: diagnosePredict,
  model: diagnoseModel,
};

/** What is compared of each function's result: model's d only on the graded keys (and the two it echoes). */
function expectedOf(fn: string, ref: Value, actual: Value): Value {
  if (fn === 'model' && isDict(ref)) {
    const keep = ['costs', 'Y_prediction_test', 'Y_prediction_train', 'w', 'b'];
    // learning_rate and num_iterations are echoed by the notebook's d: compared when the engine returns them
    if (isDict(actual)) keep.push(...['learning_rate', 'num_iterations'].filter((k) => k in actual));
    return Object.fromEntries(keep.map((k) => [k, ref[k]]));
  }
  if (fn === 'initialize_with_zeros' && Array.isArray(ref)) return ref;
  return ref;
}

const seedOf = (runSeed: number, fn: string) => {
  let h = runSeed >>> 0;
  for (const ch of fn) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
};

function differentialCheck(fn: string): Check {
  return check(`differential/logistic/${fn}`, fn, 'differential', async (ctx) => {
    const rs = new RandomState(seedOf(ctx.seed, fn));
    const cases = fn === 'model' ? 3 : Math.min(Math.max(ctx.runs, 5), 12);
    for (let k = 0; k < cases; k++) {
      const { args, names } = CASES[fn](rs, k);
      const inputs = Object.fromEntries(names.map((n, i) => [n, args[i]]));
      const replay = pythonReplay(inputs, `result = ${fn}(${names.join(', ')})`);
      const ref = await ctx.reference.call(fn, args);
      const got = await callOrRaise(ctx.engine, fn, args);
      if (got.raised !== undefined) {
        const why = diagnoseRaised(fn, got.raised);
        return {
          status: 'fail',
          message: `${why ? `${why}: ` : ''}${fn} raises ${got.raised} on a case the reference computes (case ${k + 1})`,
          counterexample: { description: `${fn}, random case ${k + 1}`, inputs, replay: { python: replay } },
          details: why ? { diagnosis: why } : undefined,
        };
      }
      const diff = difference(got.value, expectedOf(fn, ref, got.value as Value), 'result');
      if (diff) {
        const why = DIAGNOSE[fn](args, got.value as Value);
        return {
          status: 'fail',
          message: why ? `${why} (${diff})` : `${fn} differs from the reference: ${diff}`,
          counterexample: { description: `${fn}, random case ${k + 1}`, inputs, replay: { python: replay } },
          details: why ? { diagnosis: why } : undefined,
        };
      }
    }
    return { status: 'pass', message: `${cases} random case(s) agree with the reference (rtol 1e-9)` };
  });
}

// ---- contract -----------------------------------------------------------------------------------------------

const sigmoidContract = check('contract/logistic/sigmoid-one-array', 'sigmoid', 'contract', async (ctx) => {
  const z = NDArray.from([[0, 2]]);
  const got = await callOrRaise(ctx.engine, 'sigmoid', [z]);
  if (got.raised) return { status: 'fail', message: `sigmoid raises ${got.raised} on np.array([[0., 2.]])` };
  if (got.value instanceof NDArray && got.value.shape.join() === '1,2')
    return { status: 'pass', message: 'sigmoid returns one array of the shape of z' };
  return {
    status: 'fail',
    message:
      diagnoseSigmoid(z, got.value as Value) ??
      `sigmoid(np.array([[0., 2.]])) is ${describeValue(got.value)}; the notebook's is one array of shape (1, 2)`,
  };
});

const initContract = check(
  'contract/logistic/initialize_with_zeros-b',
  'initialize_with_zeros',
  'contract',
  async (ctx) => {
    const got = await callOrRaise(ctx.engine, 'initialize_with_zeros', [3]);
    if (got.raised) return { status: 'fail', message: `initialize_with_zeros(3) raises ${got.raised}` };
    const v = got.value;
    const b = Array.isArray(v) ? v[1] : undefined;
    if (!Array.isArray(v) || v.length !== 2 || scalarOf(b) !== 0)
      return {
        status: 'fail',
        message:
          diagnoseInit(3, v as Value) ?? `initialize_with_zeros(3) is ${describeValue(v)}; the notebook's is (w, 0.)`,
      };
    const source = typeof b === 'number' ? pythonSource(ctx.engine) : undefined;
    const line = source ? intBiasLine(source) : undefined;
    if (line)
      ctx.warn?.({
        kind: 'int-bias',
        function: 'initialize_with_zeros',
        message: `initialize_with_zeros binds b to an int (\`${line}\`): the course's W2A2 grader (public_tests.py, initialize_with_zeros_test) asserts type(b) == float and rejects it; v3-v6a accept it`,
      });
    return { status: 'pass', message: 'initialize_with_zeros returns (w, b) with b == 0' };
  },
);

// ---- gradient check -----------------------------------------------------------------------------------------

const EPS = 1e-6;
const THRESHOLD = 1e-6;

function gradCheck(k: number): Check {
  return check(`gradcheck/logistic/propagate#${k}`, 'propagate', 'gradcheck', async (ctx) => {
    const rs = new RandomState(seedOf(ctx.seed, `gradcheck${k}`));
    const n = between(rs, 2, 4);
    const m = between(rs, 3, 6);
    const w = mat(rs, n, 1, 0.5);
    const b = scalar(rs, 0.5);
    const X = mat(rs, n, m);
    const Y = labels(rs, m);
    const inputs = { w, b, X, Y };
    const call = async (w2: NDArray, b2: Bias) => {
      const r = await ctx.engine.call('propagate', [w2, b2, X, Y]);
      if (!Array.isArray(r) || !isDict(r[0]))
        throw new Error(`propagate returns ${describeValue(r)}, not (grads, cost)`);
      return { grads: r[0] as Record<string, Value>, cost: scalarOf(r[1]) };
    };
    let at: Awaited<ReturnType<typeof call>>;
    try {
      at = await call(w, b);
    } catch (err) {
      return { status: 'fail', message: `propagate cannot be gradient-checked: ${(err as Error).message}` };
    }
    const dw = at.grads.dw;
    const db = scalarOf(at.grads.db);
    if (!(dw instanceof NDArray) || dw.size !== n || db === undefined || at.cost === undefined)
      return {
        status: 'fail',
        message: `propagate's dw (${describeValue(dw)}), db (${describeValue(at.grads.db)}) or cost (${describeValue(at.cost as Value)}) is not of the notebook's form: no gradient check`,
      };
    const approx: number[] = [];
    for (let i = 0; i <= n; i++) {
      const plus = w.copy();
      const minus = w.copy();
      let bp = b;
      let bm = b;
      if (i < n) {
        plus.data[i] += EPS;
        minus.data[i] -= EPS;
      } else {
        bp += EPS;
        bm -= EPS;
      }
      const cp = (await call(plus, bp)).cost!;
      const cm = (await call(minus, bm)).cost!;
      approx.push((cp - cm) / (2 * EPS));
    }
    const grad = [...dw.data, db];
    // the course's difference ||g - g_approx|| / (||g|| + ||g_approx||), with src/gradcheck's norm
    const v = (a: number[]) => Float64Array.from(a);
    const diff = (a: number[], b2: number[]) => norm(v(a.map((x, i) => x - b2[i]))) / (norm(v(a)) + norm(v(b2)) || 1);
    const difference_ = diff(grad, approx);
    const dwDiff = diff(grad.slice(0, n), approx.slice(0, n));
    const dbDiff = diff([db], [approx[n]]);
    const metrics = { gradDifference: difference_ };
    if (difference_ <= THRESHOLD)
      return {
        status: 'pass',
        message: `dw and db match central differences of propagate's cost (difference ${difference_.toExponential(2)}, ε = ${EPS})`,
        metrics,
      };
    // which side is wrong: the reference's gradient says whether the cost or the gradient is off
    const [refGrads] = (await ctx.reference.call('propagate', [w, b, X, Y])) as [Record<string, Value>, Value];
    const gradsRight =
      difference(dw, refGrads.dw, 'dw') === undefined && difference(db, refGrads.db, 'db') === undefined;
    const parts = [
      dwDiff > THRESHOLD ? `dw (difference ${dwDiff.toExponential(2)})` : '',
      dbDiff > THRESHOLD ? `db (difference ${dbDiff.toExponential(2)})` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    return {
      status: 'fail',
      message: gradsRight
        ? `propagate's cost is not the function its (right) gradients differentiate: the cost is wrong (${parts} against central differences, ε = ${EPS})`
        : `${parts} do${parts.includes(' and ') ? '' : 'es'} not match central differences of propagate's own cost (ε = ${EPS}, threshold ${THRESHOLD})`,
      metrics,
      counterexample: {
        description: `propagate on w (${n}, 1), X (${n}, ${m})`,
        inputs,
        expected: approx,
        actual: grad,
        replay: { python: pythonReplay(inputs, 'grads, cost = propagate(w, b, X, Y)') },
      },
    };
  });
}

// ---- properties ---------------------------------------------------------------------------------------------

const arrayArb = (r: number, c: number, s = 3) =>
  fc
    .array(fc.double({ min: -s, max: s, noNaN: true }), { minLength: r * c, maxLength: r * c })
    .map((d) => new NDArray(Float64Array.from(d), [r, c]));
const problemArb = fc
  .record({ n: fc.integer({ min: 1, max: 4 }), m: fc.integer({ min: 2, max: 6 }) })
  .chain(({ n, m }) =>
    fc.record({
      w: arrayArb(n, 1, 1),
      b: fc.double({ min: -1, max: 1, noNaN: true }),
      X: arrayArb(n, m),
      Y: fc
        .array(fc.constantFrom(0, 1), { minLength: m, maxLength: m })
        .map((y) => new NDArray(Float64Array.from(y), [1, m])),
    }),
  );

class Broken extends Error {}

function property<T>(
  name: string,
  fn: string,
  arb: fc.Arbitrary<T>,
  body: (engine: Engine, t: T) => Promise<void>,
  names: (t: T) => Record<string, unknown>,
  call: string,
): Check {
  return check(`property/logistic/${name}`, fn, 'property', async (ctx) => {
    const seed = seedOf(ctx.seed, name) | 0;
    const numRuns = Math.min(Math.max(ctx.runs, 5), 25);
    const out = await fc.check(
      fc.asyncProperty(arb, (t) => body(ctx.engine, t)),
      { seed, numRuns },
    );
    if (!out.failed) return { status: 'pass', message: `${numRuns} random case(s) hold` };
    const err = out.errorInstance as Error;
    if (!(err instanceof Broken) && !(err instanceof EngineFault && err.kind === 'exception')) throw err;
    const t = out.counterexample![0] as T;
    return {
      status: 'fail',
      message:
        err instanceof Broken
          ? err.message
          : `${fn} raises ${err.message.replace(/^[^:]*: exception: /, '').split('\n')[0]}`,
      counterexample: {
        description: name,
        inputs: names(t),
        replay: {
          fastCheck: { seed, path: out.counterexamplePath ?? undefined, numRuns },
          python: pythonReplay(names(t), call),
        },
      },
    };
  });
}

const concat = (a: NDArray, b: NDArray) => {
  const [r, c1] = a.shape;
  const c2 = b.shape[1];
  const out = new NDArray(new Float64Array(r * (c1 + c2)), [r, c1 + c2]);
  for (let i = 0; i < r; i++) {
    out.data.set(a.data.subarray(i * c1, (i + 1) * c1), i * (c1 + c2));
    out.data.set(b.data.subarray(i * c2, (i + 1) * c2), i * (c1 + c2) + c1);
  }
  return out;
};
const propagateOf = async (engine: Engine, w: NDArray, b: number, X: NDArray, Y: NDArray) => {
  const r = await engine.call('propagate', [w, b, X, Y]);
  if (!Array.isArray(r) || !isDict(r[0])) throw new Broken(`propagate returns ${describeValue(r)}, not (grads, cost)`);
  return { dw: (r[0] as Record<string, Value>).dw, db: (r[0] as Record<string, Value>).db, cost: r[1] };
};

const PROPERTIES: Check[] = [
  property(
    'propagate-averages-over-examples',
    'propagate',
    problemArb,
    async (engine, { w, b, X, Y }) => {
      const once = await propagateOf(engine, w, b, X, Y);
      const twice = await propagateOf(engine, w, b, concat(X, X), concat(Y, Y));
      for (const k of ['dw', 'db', 'cost'] as const) {
        const d = difference(twice[k], once[k] as Value, k, 1e-9);
        if (d)
          throw new Broken(
            `${k === 'cost' ? 'the cost' : k} is not an average over the examples: listing every example twice changes it (${d}); a missing 1/m?`,
          );
      }
    },
    (t) => t,
    'propagate(w, b, np.hstack([X, X]), np.hstack([Y, Y]))  # the same as propagate(w, b, X, Y)',
  ),
  property(
    'sigmoid-symmetric-and-bounded',
    'sigmoid',
    fc.integer({ min: 1, max: 6 }).chain((c) => arrayArb(1, c, 30)),
    async (engine, z) => {
      const s = await engine.call('sigmoid', [z]);
      const minus = await engine.call('sigmoid', [
        new NDArray(
          z.data.map((x) => -x),
          z.shape,
        ),
      ]);
      if (!(s instanceof NDArray) || !(minus instanceof NDArray))
        throw new Broken(`sigmoid returns ${describeValue(s)}; week 2's returns one array`);
      for (let i = 0; i < z.size; i++) {
        if (!(s.data[i] >= 0 && s.data[i] <= 1))
          throw new Broken(`sigmoid(${z.data[i]}) = ${s.data[i]} is outside [0, 1]`);
        if (Math.abs(s.data[i] + minus.data[i] - 1) > 1e-12)
          throw new Broken(`sigmoid(z) + sigmoid(-z) is ${s.data[i] + minus.data[i]}, not 1, at z = ${z.data[i]}`);
      }
    },
    (z) => ({ z }),
    'sigmoid(z) + sigmoid(-z)  # 1 everywhere',
  ),
  property(
    'optimize-records-every-100',
    'optimize',
    fc.tuple(problemArb, fc.integer({ min: 1, max: 320 })),
    async (engine, [{ w, b, X, Y }, n]) => {
      const r = await engine.call('optimize', [w, b, X, Y, n, 0.01, false]);
      const costs = Array.isArray(r) ? r[2] : undefined;
      if (!Array.isArray(costs))
        throw new Broken(`optimize returns ${describeValue(r)}; costs (its third value) must be a list`);
      if (costs.length !== Math.ceil(n / 100))
        throw new Broken(
          `optimize records ${costs.length} cost(s) in ${n} iterations; the notebook records one every 100 (i % 100 == 0): ${Math.ceil(n / 100)}`,
        );
      const { cost } = await propagateOf(engine, w, b, X, Y);
      if (difference(costs[0], cost, 'costs[0]', 1e-9))
        throw new Broken(`costs[0] is ${scalarOf(costs[0])}, not the cost before the first update (${scalarOf(cost)})`);
    },
    ([t, n]) => ({ ...t, num_iterations: n }),
    'params, grads, costs = optimize(w, b, X, Y, num_iterations, 0.01, False)',
  ),
  property(
    'predict-labels-0-1',
    'predict',
    problemArb,
    async (engine, { w, b, X }) => {
      const p = await engine.call('predict', [w, b, X]);
      if (!(p instanceof NDArray) || p.shape.join() !== `1,${X.shape[1]}`)
        throw new Broken(
          `predict returns ${describeValue(p)}; the notebook's Y_prediction has shape (1, ${X.shape[1]})`,
        );
      if (!p.data.every((x) => x === 0 || x === 1)) throw new Broken('predict returns values other than 0 and 1');
    },
    (t) => ({ w: t.w, b: t.b, X: t.X }),
    'predict(w, b, X)',
  ),
];

// ---- the packs, with the notebook's scalars as scalars -------------------------------------------------------

const squeeze = (v: Value | undefined): Value | undefined => (v instanceof NDArray && v.size === 1 ? v.data[0] : v);
const squeezeKeys = (d: Value | undefined, keys: string[]) =>
  isDict(d) ? { ...d, ...Object.fromEntries(keys.filter((k) => k in d).map((k) => [k, squeeze(d[k]) as Value])) } : d;
const squeezeList = (l: Value | undefined) => (Array.isArray(l) ? l.map((x) => squeeze(x) as Value) : l);

/**
 * b, db, the cost and the recorded costs as the notebook prints them: a (1, 1) array there (b = np.zeros((1, 1)),
 * keepdims=True) is accepted by the notebook's own code, so the packs see its one number, as the differential does.
 */
function notebookScalars(fn: string, v: Value): Value {
  if (!Array.isArray(v) && !isDict(v)) return v;
  switch (fn) {
    case 'initialize_with_zeros':
      return Array.isArray(v) && v.length === 2 ? [v[0], squeeze(v[1]) as Value] : v;
    case 'propagate':
      return Array.isArray(v) && v.length === 2 ? [squeezeKeys(v[0], ['db']) as Value, squeeze(v[1]) as Value] : v;
    case 'optimize':
      return Array.isArray(v) && v.length === 3
        ? [squeezeKeys(v[0], ['b']) as Value, squeezeKeys(v[1], ['db']) as Value, squeezeList(v[2]) as Value]
        : v;
    case 'model': {
      const d = squeezeKeys(v, ['b']);
      return isDict(d) ? { ...d, ...('costs' in d ? { costs: squeezeList(d.costs) as Value } : {}) } : v;
    }
    default:
      return v;
  }
}

/** A suite whose checks see the engine's notebook scalars squeezed (see notebookScalars). */
export function withNotebookScalars(suite: CheckSuite): CheckSuite {
  return {
    name: suite.name,
    checks: (ctx) =>
      suite.checks(ctx).map((c) => ({
        ...c,
        run: (inner: CheckContext) =>
          c.run({
            ...inner,
            engine: {
              ...inner.engine,
              name: inner.engine.name,
              functions: () => inner.engine.functions(),
              call: async (fn, args, kwargs) => notebookScalars(fn, await inner.engine.call(fn, args, kwargs)),
              close: () => inner.engine.close(),
            },
          }),
      })),
  };
}

export const FUNCTIONS = ['sigmoid', 'initialize_with_zeros', 'propagate', 'optimize', 'predict', 'model'] as const;

/**
 * optimize and model take their hyperparameters by the notebook's names: its own cells and W2A2's tests call
 * optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False) and model(..., num_iterations=2000,
 * learning_rate=0.5). A renamed parameter (num_interations) passes every positional call and fails the notebook's.
 * The values are the differential checks'; this one asks only whether the names are taken.
 */
const keywordContract = (fn: 'optimize' | 'model') =>
  check(`contract/logistic/${fn}-keywords`, fn, 'contract', async (ctx) => {
    const { args, names } = CASES[fn](new RandomState(seedOf(ctx.seed, `${fn}-keywords`)), 0);
    const kwargs = Object.fromEntries(names.slice(4).map((n, i) => [n, args[4 + i]]));
    const call = `${fn}(${[...names.slice(0, 4), ...names.slice(4).map((n) => `${n}=${n}`)].join(', ')})`;
    try {
      await ctx.engine.call(fn, args.slice(0, 4), kwargs);
      return { status: 'pass', message: `${fn} takes ${names.slice(4).join(', ')} by name, as the notebook calls it` };
    } catch (err) {
      if (!(err instanceof EngineFault && err.kind === 'exception')) throw err;
      if (/keyword arguments are not supported/.test(err.message))
        return {
          status: 'skip',
          message: 'a JavaScript engine takes no keyword arguments: its parameter names are not checked',
        };
      const raised = err.message.replace(/^[^:]*: exception: /, '').split('\n')[0];
      const why = diagnoseRaised(fn, raised);
      if (why && /keyword argument/.test(raised))
        return {
          status: 'fail',
          message: `${why} (\`${call}\` raises ${raised})`,
          counterexample: {
            description: `${fn} called as the notebook calls it`,
            inputs: Object.fromEntries(names.map((n, i) => [n, args[i]])),
            replay: { python: pythonReplay(Object.fromEntries(names.map((n, i) => [n, args[i]])), `result = ${call}`) },
          },
          details: { diagnosis: why },
        };
      // any other exception is the differential check's to report, with its case
      return { status: 'skip', message: `${fn} raised ${raised} when called by name; its own checks report it` };
    }
  });

export const contractSuite: CheckSuite = {
  name: 'contract',
  checks: () => [sigmoidContract, initContract, keywordContract('optimize'), keywordContract('model')],
};
export const gradcheckSuite: CheckSuite = { name: 'gradcheck', checks: () => [0, 1, 2].map(gradCheck) };
export const propertySuite: CheckSuite = { name: 'properties', checks: () => PROPERTIES };
export const differentialSuite: CheckSuite = { name: 'differential', checks: () => FUNCTIONS.map(differentialCheck) };
