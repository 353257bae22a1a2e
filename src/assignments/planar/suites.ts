/**
 * The planar assignment's checks: its fixture packs (fixtures/packs/planar/), the seeding contract of
 * initialize_parameters per version, a gradient check of backward_propagation, properties, and differential tests
 * against the reference on random inputs whose failures name the common bug they match (diagnoses.ts).
 * Every check sees the engine through adaptArity and knows its variant (W3A1 or older, variant.ts).
 */
import { join } from 'node:path';
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import type { Engine, Value } from '../../engine/engine.ts';
import type { Check, CheckContext, CheckKind, CheckResult, CheckSuite } from '../../check/types.ts';
import { loadPacks, packSuite } from '../../packs/suite.ts';
import { describe } from '../../engine/reference-engine.ts';
import { backwardPropagation, forwardPropagation, shallowCost } from '../../engine/reference/extras.ts';
import type { Parameters } from '../../engine/reference/types.ts';
import { initPlanar, layerSizes, nnModel, predictPlanar, updatePlanar, type PlanarVariant } from './model.ts';
import { PLANAR_FUNCTIONS } from './reference.ts';
import { adaptArity, detectVariant } from './variant.ts';
import {
  close,
  closeDict,
  diagnoseBackward,
  diagnoseCost,
  diagnoseForward,
  diagnosePredict,
  diagnoseUpdate,
} from './diagnoses.ts';

export const PLANAR_PACK_DIR = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'packs', 'planar');

// the variant is detected once per run: ctx.functions is the run's one set
const variants = new WeakMap<object, Promise<PlanarVariant | undefined>>();
export function variantOf(ctx: CheckContext): Promise<PlanarVariant | undefined> {
  let v = variants.get(ctx.functions);
  if (!v) {
    v = detectVariant(ctx.engine, ctx.functions); // the raw engine: adaptArity would hide the arity
    variants.set(ctx.functions, v);
  }
  return v;
}

/** The context every planar check runs in: the adapted engine, the variant in options. */
async function planarCtx(ctx: CheckContext): Promise<CheckContext> {
  const variant = await variantOf(ctx);
  return { ...ctx, engine: adaptArity(ctx.engine), options: { ...ctx.options, variant } };
}

function wrap(suite: CheckSuite): CheckSuite {
  return {
    name: suite.name,
    checks: (ctx) =>
      suite.checks(ctx).map((c) => ({ ...c, run: async (ctx2: CheckContext) => c.run(await planarCtx(ctx2)) })),
  };
}

type Outcome =
  | { ok: true; message: string; skip?: boolean }
  | { ok: false; message: string; expected?: unknown; actual?: unknown; description?: string };

function check(
  id: string,
  fn: string,
  kind: CheckKind,
  body: (engine: Engine, variant: PlanarVariant | undefined, ctx: CheckContext) => Promise<Outcome>,
): Check {
  return {
    id,
    function: fn,
    kind,
    async run(ctx0): Promise<CheckResult> {
      const base = { id, function: fn, kind };
      if (!ctx0.functions.has(fn)) return { ...base, status: 'skip', message: `the engine does not define ${fn}` };
      const ctx = await planarCtx(ctx0);
      const r = await body(ctx.engine, ctx.options?.variant as PlanarVariant | undefined, ctx);
      if (r.ok) return { ...base, status: r.skip ? 'skip' : 'pass', message: r.message };
      return {
        ...base,
        status: 'fail',
        message: r.message,
        counterexample: { description: r.description ?? r.message, expected: r.expected, actual: r.actual },
      };
    },
  };
}

const show = (v: Value | undefined) =>
  v instanceof NDArray
    ? `${describe(v)} ${JSON.stringify(v.toNested()).slice(0, 120)}`
    : JSON.stringify(v)?.slice(0, 120);
const isDict = (v: Value): v is Record<string, Value> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof NDArray);

// ---- random inputs ------------------------------------------------------------------------------------------

function randomProblem(rng: RandomState, o: { n_x?: number; n_h?: number; n_y?: number; m?: number } = {}) {
  const int = (lo: number, hi: number) => lo + Math.floor(rng.rand(1).data[0] * (hi - lo + 1));
  const n_x = o.n_x ?? int(2, 5);
  const n_h = o.n_h ?? int(2, 6);
  const n_y = o.n_y ?? 1;
  const m = o.m ?? int(3, 7);
  const X = rng.randn(n_x, m);
  const Y = new NDArray(
    rng.rand(n_y, m).data.map((u) => (u > 0.5 ? 1 : 0)),
    [n_y, m],
  );
  const half = (a: NDArray) =>
    new NDArray(
      a.data.map((x) => x * 0.8),
      a.shape,
    );
  const p: Parameters = {
    W1: half(rng.randn(n_h, n_x)),
    b1: half(rng.randn(n_h, 1)),
    W2: half(rng.randn(n_y, n_h)),
    b2: half(rng.randn(n_y, 1)),
  };
  return { n_x, n_h, n_y, m, X, Y, p };
}

const CASES = 4;
const seeds = (ctx: CheckContext, k: number) => Array.from({ length: CASES }, (_, i) => ctx.seed * 1000 + k * 100 + i);

// ---- differential tests with diagnoses ----------------------------------------------------------------------

function differential(ctx: CheckContext): Check[] {
  const out: Check[] = [];
  out.push(
    check('differential/planar/layer_sizes', 'layer_sizes', 'differential', async (engine) => {
      for (const [n_x, n_y] of [
        [5, 2],
        [3, 3],
        [7, 1],
      ]) {
        const rng = new RandomState(n_x);
        const X = rng.randn(n_x, 4);
        const Y = rng.randn(n_y, 4);
        const got = await engine.call('layer_sizes', [X, Y]);
        const want = layerSizes(X, Y);
        const nums = Array.isArray(got) ? got.map((v) => (v instanceof NDArray && v.size === 1 ? v.data[0] : v)) : [];
        if (!Array.isArray(got) || got.length !== 3 || want.some((w, i) => nums[i] !== w)) {
          const why =
            Array.isArray(got) && nums[0] === n_x && nums[1] === 4 && nums[2] !== n_y
              ? `n_y = ${nums[2]} is hard-coded where Y.shape[0] (${n_y}) belongs`
              : Array.isArray(got) && nums[0] !== n_x && nums[2] === n_y
                ? `n_x = ${nums[0]} where X.shape[0] (${n_x}) belongs`
                : Array.isArray(got) && nums[1] !== 4
                  ? `n_h = ${nums[1]} where the course's hidden layer has 4 units`
                  : `returns ${show(got)}, not the tuple (n_x, n_h, n_y) = (${want.join(', ')})`;
          return { ok: false, message: `layer_sizes: ${why} (X ${n_x}x4, Y ${n_y}x4)`, expected: want, actual: nums };
        }
      }
      return { ok: true, message: 'n_x, n_h, n_y right on 3 shapes' };
    }),
  );
  out.push(
    check('differential/planar/forward_propagation', 'forward_propagation', 'differential', async (engine) => {
      for (const s of seeds(ctx, 1)) {
        const { X, p, n_x, n_h, m } = randomProblem(new RandomState(s));
        const got = await engine.call('forward_propagation', [X, p]);
        const [A2, cache] = forwardPropagation(X, p);
        const c = Array.isArray(got) && isDict(got[1]) ? got[1] : undefined;
        const ok =
          Array.isArray(got) &&
          close(got[0], A2) &&
          !!c &&
          (['Z1', 'A1', 'Z2', 'A2'] as const).every((k) => close(c[k], cache[k]));
        if (!ok) {
          const why = diagnoseForward(X, p, got);
          const what =
            why ??
            (Array.isArray(got) && !close(got[0], A2)
              ? `A2 differs: ${show(got[0])}`
              : `the cache is not {Z1, A1, Z2, A2} of the forward pass: ${show(got)}`);
          return {
            ok: false,
            message: `forward_propagation: ${what} (n_x ${n_x}, n_h ${n_h}, m ${m})`,
            expected: A2.toNested(),
            actual: show(got),
          };
        }
      }
      return { ok: true, message: `A2 and the cache right on ${CASES} random networks` };
    }),
  );
  out.push(
    check('differential/planar/compute_cost', 'compute_cost', 'differential', async (engine, _v, cctx) => {
      for (const s of seeds(ctx, 2)) {
        const rng = new RandomState(s);
        const m = 3 + (s % 5);
        const A2 = new NDArray(
          rng.rand(1, m).data.map((u) => 0.05 + 0.9 * u),
          [1, m],
        );
        const Y = new NDArray(
          rng.rand(1, m).data.map((u) => (u > 0.5 ? 1 : 0)),
          [1, m],
        );
        const got = await engine.call('compute_cost', [A2, Y]);
        const want = shallowCost(A2, Y);
        const value = got instanceof NDArray && got.size === 1 ? got.data[0] : got;
        if (!close(value, want))
          return {
            ok: false,
            message: `compute_cost: ${diagnoseCost(A2, Y, value) ?? `the cost is ${show(got)}`} (m ${m}; expected ${want})`,
            expected: want,
            actual: show(got),
          };
        if (got instanceof NDArray && got.ndim > 0)
          return {
            ok: false,
            message: `compute_cost: the cost is an array of shape (${got.shape.join(', ')}), not a float: float(np.squeeze(cost))`,
            expected: want,
            actual: show(got),
          };
        if (got instanceof NDArray)
          cctx.warn?.({
            kind: 'scalar-type',
            function: 'compute_cost',
            message: 'compute_cost returns a 0-d array, not a float',
          });
      }
      return { ok: true, message: `the cost right on ${CASES} random A2, Y` };
    }),
  );
  out.push(
    check('differential/planar/backward_propagation', 'backward_propagation', 'differential', async (engine) => {
      for (const s of seeds(ctx, 3)) {
        const { X, Y, p, n_x, n_h, m } = randomProblem(new RandomState(s));
        const [, cache] = forwardPropagation(X, p);
        const got = await engine.call('backward_propagation', [p, { ...cache }, X, Y]);
        const want = backwardPropagation(p, cache, X, Y);
        if (!closeDict(got, want)) {
          const why =
            diagnoseBackward(p, cache, X, Y, got) ??
            (isDict(got)
              ? `${['dW1', 'db1', 'dW2', 'db2'].filter((k) => !close(got[k], want[k])).join(', ')} differ${['dW1', 'db1', 'dW2', 'db2'].filter((k) => !close(got[k], want[k])).length === 1 ? 's' : ''}`
              : `returns ${show(got)}, not the dict {dW1, db1, dW2, db2}`);
          return {
            ok: false,
            message: `backward_propagation: ${why} (n_x ${n_x}, n_h ${n_h}, m ${m})`,
            expected: Object.keys(want),
            actual: show(got),
          };
        }
      }
      return { ok: true, message: `grads right on ${CASES} random networks` };
    }),
  );
  out.push(
    check('differential/planar/update_parameters', 'update_parameters', 'differential', async (engine) => {
      for (const s of seeds(ctx, 4)) {
        const rng = new RandomState(s);
        const { p } = randomProblem(rng);
        const grads: Parameters = Object.fromEntries(
          Object.entries(p).map(([k, v]) => [`d${k}`, rng.randn(...v.shape)]),
        );
        const lr = [0.5, 0.01, 2, 0.1][s % 4];
        const got = await engine.call('update_parameters', [p, grads, lr]);
        const want = updatePlanar(p, grads, lr);
        if (!closeDict(got, want))
          return {
            ok: false,
            message: `update_parameters: ${diagnoseUpdate(p, grads, lr, got) ?? `returns ${show(got)}`} (learning_rate ${lr})`,
            actual: show(got),
          };
      }
      const { p } = randomProblem(new RandomState(ctx.seed));
      const grads: Parameters = Object.fromEntries(Object.entries(p).map(([k, v]) => [`d${k}`, v]));
      const got = await engine.call('update_parameters', [p, grads]);
      if (!closeDict(got, updatePlanar(p, grads, 1.2)))
        return {
          ok: false,
          message: `update_parameters: without learning_rate the step is not the course's default 1.2: ${show(got)}`,
        };
      return { ok: true, message: `W1, b1, W2, b2 right for ${CASES} learning rates and the default 1.2` };
    }),
  );
  out.push(
    check('differential/planar/nn_model', 'nn_model', 'differential', async (engine, variant) => {
      for (const [i, s] of seeds(ctx, 5).slice(0, 2).entries()) {
        // two shapes: an nn_model that hard-codes n_x fails one (n_y stays 1: the course's forward asserts A2 is (1, m))
        const { X, Y, m } = randomProblem(new RandomState(s), i === 0 ? { n_x: 2, m: 5 } : { n_x: 3, m: 4 });
        const n_h = 3; // not the course's 4: an nn_model that takes n_h from layer_sizes shows
        const iters = 3;
        await engine.seed?.(s % 1000);
        const got = await engine.call('nn_model', [X, Y, n_h], { num_iterations: iters, print_cost: true });
        const rng = new RandomState(s % 1000);
        // nn_model seeds 3 (the template) or, under W3A1, may leave it to the caller (its test seeds 3 first)
        const want = nnModel(X, Y, n_h, iters, { rng, variant: variant ?? 'W3A1' });
        const alts = [
          ...(variant === 'older'
            ? []
            : [nnModel(X, Y, n_h, iters, { rng: new RandomState(s % 1000), variant: 'W3A1', seedInside: false })]),
          ...(variant ? [] : [nnModel(X, Y, n_h, iters, { rng: new RandomState(0), variant: 'older' })]),
        ];
        if (!closeDict(got, want) && !alts.some((a) => closeDict(got, a))) {
          const W1 = isDict(got) ? got.W1 : undefined;
          const why =
            W1 instanceof NDArray && W1.shape[0] === 4
              ? 'the hidden layer has 4 units whatever n_h is passed: n_h is overwritten (e.g. by layer_sizes)'
              : `the parameters after ${iters} iterations differ from the course's loop (${variant ?? 'either'} seeding): ${show(W1)}`;
          return { ok: false, message: `nn_model: ${why} (n_h ${n_h}, m ${m}, print_cost=True)`, actual: show(got) };
        }
      }
      return { ok: true, message: "the parameters after 3 iterations are the course loop's (n_h 3, print_cost=True)" };
    }),
  );
  out.push(
    check('differential/planar/predict', 'predict', 'differential', async (engine) => {
      for (const s of seeds(ctx, 6)) {
        const { X, p } = randomProblem(new RandomState(s), { m: 9 });
        const got = await engine.call('predict', [p, X]);
        const want = predictPlanar(p, X);
        const g = got instanceof NDArray && got.size === want.size ? new NDArray(got.data, want.shape) : got;
        if (!close(g, want) || (got instanceof NDArray && got.shape.join() !== want.shape.join()))
          return {
            ok: false,
            message: `predict: ${diagnosePredict(p, X, got) ?? `returns ${show(got)}, not A2 > 0.5 of shape (1, m)`}`,
            expected: want.toNested(),
            actual: show(got),
          };
      }
      return { ok: true, message: `predictions right on ${CASES} random networks` };
    }),
  );
  return out;
}

// ---- the seeding contract, properties, the gradient check -------------------------------------------------

function contracts(): Check[] {
  return [
    check(
      'contract/planar/initialize_parameters-seeding',
      'initialize_parameters',
      'contract',
      async (engine, variant) => {
        const dims: [number, number, number] = [3, 5, 2];
        await engine.seed?.(11);
        const got = await engine.call('initialize_parameters', dims);
        const w3 = initPlanar(...dims, new RandomState(11), 'W3A1');
        const old = initPlanar(...dims, new RandomState(11), 'older');
        const W1 = isDict(got) ? got.W1 : undefined;
        const shapes =
          isDict(got) &&
          (['W1', 'b1', 'W2', 'b2'] as const).every(
            (k) => got[k] instanceof NDArray && (got[k] as NDArray).shape.join() === w3[k].shape.join(),
          );
        if (!shapes)
          return {
            ok: false,
            message: `initialize_parameters(3, 5, 2): W1 (5, 3), b1 (5, 1), W2 (2, 5), b2 (2, 1) expected, got ${show(got)}`,
          };
        const b0 = [got.b1, got.b2].every((b) => (b as NDArray).data.every((x) => x === 0));
        if (!b0) return { ok: false, message: 'initialize_parameters: b1 and b2 must be zeros' };
        const isW3 = closeDict(got, w3);
        const isOld = closeDict(got, old);
        if (variant === 'W3A1' && isOld)
          return {
            ok: false,
            message:
              // a mismatch means compute_cost's arity decided the version (variant.ts): the file mixes two versions
              "initialize_parameters reseeds the generator itself (np.random.seed(2) inside, a line of the notebooks before W3A1), while compute_cost(A2, Y) follows W3A1, whose initialize_parameters draws from the caller's seed (its test seeds before the call): nn_model's values are not the notebook's. Remove the np.random.seed(2) line",
          };
        if (variant === 'older' && isW3)
          return {
            ok: false,
            message:
              "initialize_parameters does not seed 2 itself, while compute_cost(A2, Y, parameters) follows the notebooks before W3A1 (v1-v6c), whose template starts initialize_parameters with np.random.seed(2): its values, and nn_model's, depend on the caller's generator and are not the notebook's. The file mixes two versions (W3A1 draws from the caller's seed, but its compute_cost takes (A2, Y)): add np.random.seed(2) as initialize_parameters' first line",
          };
        if (isW3 || isOld)
          return {
            ok: true,
            message: `randn * 0.01 and zeros, ${isW3 ? "from the caller's seed (W3A1)" : 'seeded 2 inside (v1-v6c)'}`,
          };
        const w = W1 as NDArray;
        const ref = variant === 'older' ? old : w3;
        const why = w.data.every((x) => x >= 0 && x < 0.01)
          ? 'W is drawn with np.random.rand (uniform) where np.random.randn belongs'
          : close(
                w,
                new NDArray(
                  ref.W1.data.map((x) => x * 100),
                  ref.W1.shape,
                ),
              )
            ? 'the weights lack the * 0.01 scale'
            : `W1 is not randn(n_h, n_x) * 0.01 from the expected seed: ${show(w)}`;
        return { ok: false, message: `initialize_parameters: ${why}` };
      },
    ),
    check('property/planar/forward-ranges', 'forward_propagation', 'property', async (engine) => {
      for (let s = 0; s < 3; s++) {
        const { X, p } = randomProblem(new RandomState(500 + s));
        const got = await engine.call('forward_propagation', [X, p]);
        const A2 = Array.isArray(got) ? got[0] : undefined;
        const c = Array.isArray(got) && isDict(got[1]) ? got[1] : undefined;
        if (!(A2 instanceof NDArray) || !A2.data.every((a) => a > 0 && a < 1))
          return { ok: false, message: `forward_propagation: A2 must lie in (0, 1) (a sigmoid): ${show(A2)}` };
        const A1 = c?.A1;
        if (!(A1 instanceof NDArray) || !A1.data.every((a) => a >= -1 && a <= 1))
          return { ok: false, message: `forward_propagation: A1 must lie in [-1, 1] (tanh): ${show(A1)}` };
      }
      return { ok: true, message: 'A2 in (0, 1), A1 in [-1, 1] on 3 random networks' };
    }),
    check('property/planar/update-zero-step', 'update_parameters', 'property', async (engine) => {
      const rng = new RandomState(600);
      const { p } = randomProblem(rng);
      const grads: Parameters = Object.fromEntries(Object.entries(p).map(([k, v]) => [`d${k}`, rng.randn(...v.shape)]));
      const got = await engine.call('update_parameters', [p, grads, 0]);
      if (!closeDict(got, p))
        return { ok: false, message: 'update_parameters with learning_rate 0 must return the parameters unchanged' };
      return { ok: true, message: 'learning_rate 0 leaves the parameters as they are' };
    }),
    check('property/planar/predict-threshold', 'predict', 'property', async (engine) => {
      const { X, p } = randomProblem(new RandomState(700), { m: 12 });
      const got = await engine.call('predict', [p, X]);
      if (!(got instanceof NDArray) || !got.data.every((v) => v === 0 || v === 1))
        return { ok: false, message: `predict must return labels (booleans or 0/1), got ${show(got)}` };
      return { ok: true, message: 'labels only' };
    }),
  ];
}

/** backward_propagation's grads against central differences of compute_cost(forward_propagation(X)) (the course's). */
function gradcheck(ctx: CheckContext): Check[] {
  // #0, #1: the course's cost (the reference's forward and cost); #own-cost: the engine's own forward_propagation
  // and compute_cost, where both agree with the course's on this network (else their own checks speak)
  return ([0, 1, 'own-cost'] as const).map((k) =>
    check(`gradcheck/planar/backward_propagation#${k}`, 'backward_propagation', 'gradcheck', async (engine) => {
      const { X, Y, p, n_x, n_h, m } = randomProblem(new RandomState(ctx.seed * 7 + (k === 'own-cost' ? 2 : k)), {
        n_x: 3,
        n_h: 4,
        m: 5,
      });
      const [A2ref, cache] = forwardPropagation(X, p);
      let J = async (q: Parameters) => shallowCost(forwardPropagation(X, q)[0], Y);
      if (k === 'own-cost') {
        if (!ctx.functions.has('forward_propagation') || !ctx.functions.has('compute_cost'))
          return { ok: true, skip: true, message: 'the engine does not define forward_propagation and compute_cost' };
        const own = async (q: Parameters) => {
          const out = await engine.call('forward_propagation', [X, q]);
          const A2 = Array.isArray(out) ? out[0] : undefined;
          const c = await engine.call('compute_cost', [A2 as Value, Y]);
          return typeof c === 'number' ? c : c instanceof NDArray && c.size === 1 ? c.data[0] : Number.NaN;
        };
        try {
          if (!close(await own(p), shallowCost(A2ref, Y)))
            return {
              ok: true,
              skip: true,
              message: "the engine's forward_propagation or compute_cost is not the course's: see their checks",
            };
        } catch {
          return {
            ok: true,
            skip: true,
            message: "the engine's forward_propagation or compute_cost raises: see their checks",
          };
        }
        J = own;
      }
      const got = await engine.call('backward_propagation', [p, { ...cache }, X, Y]);
      if (!isDict(got)) return { ok: false, message: `backward_propagation returns ${show(got)}, not a dict of grads` };
      const eps = 1e-6;
      let num2 = 0;
      let den = 0;
      for (const key of ['W1', 'b1', 'W2', 'b2']) {
        const g = got[`d${key}`];
        if (!(g instanceof NDArray) || g.size !== p[key].size)
          return {
            ok: false,
            message: `backward_propagation: d${key} is ${show(g)}, not an array of ${key}'s shape (${p[key].shape.join(', ')})`,
          };
        for (let i = 0; i < p[key].size; i++) {
          const plus = { ...p, [key]: p[key].copy() };
          const minus = { ...p, [key]: p[key].copy() };
          plus[key].data[i] += eps;
          minus[key].data[i] -= eps;
          const fd = ((await J(plus)) - (await J(minus))) / (2 * eps);
          num2 += (g.data[i] - fd) ** 2;
          den += g.data[i] ** 2 + fd ** 2;
        }
      }
      const diff = Math.sqrt(num2) / (Math.sqrt(den) || 1);
      if (diff > 1e-6) {
        const why = diagnoseBackward(p, cache, X, Y, got);
        return {
          ok: false,
          message: `backward_propagation: the gradients disagree with finite differences of ${k === 'own-cost' ? "the engine's own compute_cost(forward_propagation(X))" : 'the cost'} (difference ${diff.toExponential(2)})${why ? `: ${why}` : ''} (n_x ${n_x}, n_h ${n_h}, m ${m})`,
        };
      }
      return { ok: true, message: `difference ${diff.toExponential(2)} against central differences (eps 1e-6)` };
    }),
  );
}

export function planarSuites(): CheckSuite[] {
  return [
    wrap(packSuite(() => loadPacks(PLANAR_PACK_DIR, PLANAR_FUNCTIONS))),
    { name: 'contracts', checks: () => contracts() },
    { name: 'gradcheck', checks: (ctx) => gradcheck(ctx) },
    { name: 'differential', checks: (ctx) => differential(ctx) },
  ];
}
