/**
 * A gradient-check model made from any engine: the cost is compute_cost(L_model_forward(X, p)), the analytic
 * gradient is L_model_backward's, and the ReLU pre-activations come from the forward caches. That is all a
 * gradient check needs from the engine under test.
 */
import { NDArray } from '../tensor/ndarray.ts';
import type { Engine, Value } from '../engine/engine.ts';
import type { Grads, Parameters } from '../engine/reference/types.ts';
import type { GradModel } from './full.ts';

function asArray(v: Value, what: string): NDArray {
  if (v instanceof NDArray) return v;
  throw new TypeError(`${what} is not an array`);
}

export function engineModel(engine: Engine, X: NDArray, Y: NDArray): GradModel {
  const forward = async (p: Parameters) => {
    const out = await engine.call('L_model_forward', [X, p]);
    if (!Array.isArray(out) || out.length !== 2 || !Array.isArray(out[1])) throw new TypeError('L_model_forward must return (AL, caches)');
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
      if (grads === null || typeof grads !== 'object' || Array.isArray(grads) || grads instanceof NDArray) throw new TypeError('L_model_backward must return a dict');
      return grads as unknown as Grads;
    },
  };
}
