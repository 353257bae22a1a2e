/**
 * A gradient-check model made from any engine: the cost is compute_cost(L_model_forward(X, p)), the analytic
 * gradient is L_model_backward's, and the ReLU pre-activations come from the forward caches. That is all a
 * gradient check needs from the engine under test.
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Engine, Value } from '../engine/engine.ts';
import type { Grads, Parameters } from '../engine/reference/types.ts';
import type { GradModel } from './full.ts';
import { gamma, type Precision } from '../check/precision.ts';
import { forwardRoundings } from './precision.ts';

function asArray(v: Value, what: string): NDArray {
  if (v instanceof NDArray) return v;
  throw new TypeError(`${what} is not an array`);
}

export function engineModel(engine: Engine, X: NDArray, Y: NDArray): GradModel {
  const forward = async (p: Parameters) => {
    const out = await engine.call('L_model_forward', [X, p]);
    if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[1]))
      throw new TypeError('L_model_forward must return (AL, caches)');
    const AL = asArray(out[0], 'L_model_forward AL');
    const caches = out[1];
    return { AL, caches };
  };
  return {
    m: X.shape[1],
    async forward(p) {
      const { AL, caches } = await forward(p);
      const cost = await engine.call('compute_cost', [AL, Y]);
      const c = typeof cost === 'number' ? cost : cost instanceof NDArray && cost.size === 1 ? cost.data[0] : NaN;
      if (Number.isNaN(c) && !(typeof cost === 'number')) throw new TypeError('compute_cost must return a number');
      const reluZ = caches.slice(0, -1).map((cache, l) => {
        const z = Array.isArray(cache) ? cache[1] : undefined;
        return asArray(z as Value, `L_model_forward caches[${l}][1] (Z)`).data;
      });
      return { cost: c, reluZ };
    },
    async gradients(p) {
      const { AL, caches } = await forward(p);
      const grads = await engine.call('L_model_backward', [AL, Y, caches]);
      if (grads === null || typeof grads !== 'object' || Array.isArray(grads) || grads instanceof NDArray)
        throw new TypeError('L_model_backward must return a dict');
      return grads as unknown as Grads;
    },
  };
}

/**
 * A gradient check holds backward against forward + cost: when forward or cost is itself wrong, a mismatch says
 * nothing about backward. So before blaming L_model_backward, make sure the engine's L_model_forward and
 * compute_cost agree with the reference's on these inputs (rtol 1e-9); if not, they are the ones to blame.
 */
export async function forwardCulprit(
  engine: Engine,
  reference: Engine,
  X: NDArray,
  Y: NDArray,
  parameters: Parameters,
  precision: Precision = 'float64',
): Promise<{ function: string; message: string } | undefined> {
  const [refAL, refCaches] = (await reference.call('L_model_forward', [X, parameters])) as [NDArray, Value[]];
  const out = await engine.call('L_model_forward', [X, parameters]);
  const AL = Array.isArray(out) ? out[0] : undefined;
  const caches = Array.isArray(out) ? out[1] : undefined;
  const close = (a: number, b: number) =>
    Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(b), 1e-300) || (Number.isNaN(a) && Number.isNaN(b));
  // float32: normwise, gamma_N(u32) of the array's range times 16 (N: every rounding of the forward pass and cost;
  // 16 covers the magnitude of |W||A| over |Z| on these well-scaled problems: docs/guide/precision.md)
  const dims = [
    X.shape[0],
    ...Object.keys(parameters)
      .filter((k) => k.startsWith('W'))
      .map((k) => parameters[k].shape[0]),
  ];
  const rtol32 = 16 * gamma(forwardRoundings(dims, X.shape[1]), 'float32');
  const near = (a: number, b: number, scale: number) =>
    Math.abs(a - b) <= rtol32 * Math.max(scale, 1e-300) || (Number.isNaN(a) && Number.isNaN(b));
  const same = (a: Value | undefined, b: NDArray) => {
    if (!(a instanceof NDArray) || a.size !== b.size) return false;
    if (precision === 'float64') return a.data.every((v, i) => close(v, b.data[i]));
    const scale = b.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    return a.data.every((v, i) => near(v, b.data[i], scale));
  };
  // the caches too: backward is judged on what forward handed it (AL alone can agree by accident, e.g. W = 0)
  // each cache is ((A_prev, W, b), Z): a forward that stores something else there (e.g. Z as the linear cache) hands
  // backward caches it cannot use, which is the forward's fault
  const zOf = (c: Value | undefined) => (Array.isArray(c) ? c[1] : undefined);
  const linearOf = (c: Value | undefined, k: number) =>
    Array.isArray(c) && Array.isArray(c[0]) && c[0].length === 3 ? c[0][k] : undefined;
  const cachesAgree =
    Array.isArray(caches) &&
    caches.length === refCaches.length &&
    refCaches.every(
      (rc, l) =>
        same(zOf(caches[l]), zOf(rc) as NDArray) &&
        [0, 1, 2].every((k) => same(linearOf(caches[l], k), linearOf(rc, k) as NDArray)),
    );
  if (!same(AL, refAL) || !cachesAgree) {
    return {
      function: 'L_model_forward',
      message:
        'L_model_forward disagrees with the reference on these inputs, so the gradient check cannot judge L_model_backward (see the L_model_forward checks)',
    };
  }
  // the cost at AL and at fixed probabilities away from 0.5 (where, e.g., log(AL) and log(1 - AL) coincide)
  const probe = new NDArray(
    refAL.data.map((_, i) => 0.2 + ((0.6 * (((Math.sin(i + 1) * 43758.5453) % 1) + 1)) % 1)),
    refAL.shape,
  );
  for (const at of [refAL, probe]) {
    const refCost = (await reference.call('compute_cost', [at, Y])) as number;
    const cost = await engine.call('compute_cost', [at, Y]);
    const c = typeof cost === 'number' ? cost : cost instanceof NDArray && cost.size === 1 ? cost.data[0] : NaN;
    let kappa = 1;
    for (const a of at.data) kappa += (1 / a + 1 / (1 - a)) / at.size;
    if (precision === 'float64' ? !close(c, refCost) : !near(c, refCost, Math.abs(refCost) + kappa)) {
      return {
        function: 'compute_cost',
        message: `compute_cost disagrees with the reference (${c} vs ${refCost}), so the gradient check cannot judge L_model_backward against it (see the compute_cost checks)`,
      };
    }
  }
  return undefined;
}
