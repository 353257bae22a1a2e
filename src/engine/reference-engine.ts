/**
 * The built-in reference engine behind the `Engine` interface: notebook names in, notebook-shaped values out
 * (tuples as arrays, dicts in the notebook's key order). Arguments are validated so that a malformed call
 * fails with a message naming the argument, as a Python engine's TypeError would.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { EngineFault, type Dict, type Engine, type Value } from './engine.ts';
import * as nb from './reference/index.ts';
import type { GradsConvention, InitVariant, LayerCache, LinearCache, Parameters } from './reference/index.ts';

export interface ReferenceOptions {
  gradsConvention?: GradsConvention;
  /** which notebook's initialize_parameters_deep: step-by-step (seed 3, *0.01) or application (seed 1, /sqrt) */
  initVariant?: InitVariant;
}

function arr(v: Value, name: string): NDArray {
  if (v instanceof NDArray) return v;
  if (typeof v === 'number') return NDArray.scalar(v);
  throw new TypeError(`${name} must be an ndarray, got ${describe(v)}`);
}

function num(v: Value, name: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof NDArray && v.size === 1) return v.data[0];
  throw new TypeError(`${name} must be a number, got ${describe(v)}`);
}

function dict(v: Value, name: string): Parameters {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof NDArray)
    throw new TypeError(`${name} must be a dict, got ${describe(v)}`);
  const out: Parameters = {};
  for (const [k, x] of Object.entries(v)) out[k] = arr(x, `${name}["${k}"]`);
  return out;
}

function linearCache(v: Value, name: string): LinearCache {
  if (!Array.isArray(v) || v.length !== 3)
    throw new TypeError(`${name} must be the tuple (A_prev, W, b), got ${describe(v)}`);
  return [arr(v[0], `${name}[0] (A_prev)`), arr(v[1], `${name}[1] (W)`), arr(v[2], `${name}[2] (b)`)];
}

function layerCache(v: Value, name: string): LayerCache {
  if (!Array.isArray(v) || v.length !== 2)
    throw new TypeError(`${name} must be the tuple ((A_prev, W, b), Z), got ${describe(v)}`);
  return [linearCache(v[0], `${name}[0]`), arr(v[1], `${name}[1] (Z)`)];
}

function caches(v: Value, name: string): LayerCache[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be a list of caches, got ${describe(v)}`);
  return v.map((c, i) => layerCache(c, `${name}[${i}]`));
}

function activation(v: Value): nb.Activation {
  if (v !== 'sigmoid' && v !== 'relu')
    throw new TypeError(`activation must be "sigmoid" or "relu", got ${describe(v)}`);
  return v;
}

export function describe(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'None';
  if (v instanceof NDArray) return `ndarray of shape (${v.shape.join(', ')}${v.ndim === 1 ? ',' : ''})`;
  if (Array.isArray(v)) return `a tuple of ${v.length}`;
  if (typeof v === 'object') return `a dict with keys ${Object.keys(v).join(', ')}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

type Impl = (args: readonly Value[], kwargs: Readonly<Dict>) => Value;

export class ReferenceEngine implements Engine {
  readonly name: string;
  private readonly table: Record<string, Impl>;

  constructor(readonly options: ReferenceOptions = {}) {
    const convention = options.gradsConvention ?? 'dA{l-1}';
    const variant = options.initVariant ?? 'step-by-step';
    this.name = `reference (${convention}, ${variant} initialisers)`;
    const layer = (c: LayerCache): Value => [[...c[0]], c[1]];
    this.table = {
      initialize_parameters: ([n_x, n_h, n_y]) =>
        nb.initializeParameters(num(n_x, 'n_x'), num(n_h, 'n_h'), num(n_y, 'n_y')),
      initialize_parameters_deep: ([dims]) => {
        if (!Array.isArray(dims) && !(dims instanceof NDArray))
          throw new TypeError(`layer_dims must be a list, got ${describe(dims)}`);
        const list = dims instanceof NDArray ? Array.from(dims.data) : dims.map((d, i) => num(d, `layer_dims[${i}]`));
        return nb.initializeParametersDeep(list, variant);
      },
      linear_forward: ([A, W, b]) => {
        const [Z, c] = nb.linearForward(arr(A, 'A'), arr(W, 'W'), arr(b, 'b'));
        return [Z, [...c]];
      },
      sigmoid: ([Z]) => [...nb.sigmoid(arr(Z, 'Z'))],
      relu: ([Z]) => [...nb.relu(arr(Z, 'Z'))],
      linear_activation_forward: ([A, W, b, act]) => {
        const [out, c] = nb.linearActivationForward(arr(A, 'A_prev'), arr(W, 'W'), arr(b, 'b'), activation(act));
        return [out, layer(c)];
      },
      L_model_forward: ([X, params]) => {
        const [AL, cs] = nb.lModelForward(arr(X, 'X'), dict(params, 'parameters'));
        return [AL, cs.map(layer)];
      },
      compute_cost: ([AL, Y]) => nb.computeCost(arr(AL, 'AL'), arr(Y, 'Y')),
      linear_backward: ([dZ, cache]) => [...nb.linearBackward(arr(dZ, 'dZ'), linearCache(cache, 'cache'))],
      sigmoid_backward: ([dA, Z]) => nb.sigmoidBackward(arr(dA, 'dA'), arr(Z, 'cache')),
      relu_backward: ([dA, Z]) => nb.reluBackward(arr(dA, 'dA'), arr(Z, 'cache')),
      linear_activation_backward: ([dA, cache, act]) => [
        ...nb.linearActivationBackward(arr(dA, 'dA'), layerCache(cache, 'cache'), activation(act)),
      ],
      L_model_backward: ([AL, Y, cs]) =>
        nb.lModelBackward(arr(AL, 'AL'), arr(Y, 'Y'), caches(cs, 'caches'), convention),
      update_parameters: ([params, grads, lr]) =>
        nb.updateParameters(dict(params, 'parameters'), dict(grads, 'grads'), num(lr, 'learning_rate')),
      predict: ([X, y, params]) => nb.predict(arr(X, 'X'), arr(y, 'y'), dict(params, 'parameters')).p,
      propagate: ([w, b, X, Y]) => {
        const [grads, cost] = nb.propagate(
          arr(w, 'w'),
          typeof b === 'number' ? b : arr(b, 'b'),
          arr(X, 'X'),
          arr(Y, 'Y'),
        );
        return [{ dw: grads.dw, db: grads.db }, cost];
      },
      optimize: ([w, b, X, Y, iters, lr]) => {
        const r = nb.optimize(
          arr(w, 'w'),
          typeof b === 'number' ? b : arr(b, 'b'),
          arr(X, 'X'),
          arr(Y, 'Y'),
          num(iters, 'num_iterations'),
          num(lr, 'learning_rate'),
        );
        const params: Dict = { w: r.params.w, b: r.params.b };
        const grads: Dict = { dw: r.grads.dw, db: r.grads.db };
        return [params, grads, r.costs];
      },
      predict_logistic: ([w, b, X]) =>
        nb.predictLogistic(arr(w, 'w'), typeof b === 'number' ? b : arr(b, 'b'), arr(X, 'X')),
      forward_propagation: ([X, params]) => {
        const [A2, c] = nb.forwardPropagation(arr(X, 'X'), dict(params, 'parameters'));
        return [A2, { Z1: c.Z1, A1: c.A1, Z2: c.Z2, A2: c.A2 }];
      },
      backward_propagation: ([params, cache, X, Y]) => {
        const c = dict(cache, 'cache');
        return nb.backwardPropagation(
          dict(params, 'parameters'),
          { Z1: c.Z1, A1: c.A1, Z2: c.Z2, A2: c.A2 },
          arr(X, 'X'),
          arr(Y, 'Y'),
        );
      },
      softmax: ([z]) => nb.softmax(arr(z, 'z')),
      stable_softmax: ([z]) => nb.stableSoftmax(arr(z, 'z')),
      cross_entropy: ([Z, y]) => nb.crossEntropy(arr(Z, 'Z'), arr(y, 'y')),
      cross_entropy_one_hot: ([Z, Y]) => nb.crossEntropyOneHot(arr(Z, 'Z'), arr(Y, 'Y')),
      delta_cross_entropy: ([Z, y]) => nb.deltaCrossEntropy(arr(Z, 'Z'), arr(y, 'y')),
      delta_cross_entropy_one_hot: ([Z, Y]) => nb.deltaCrossEntropyOneHot(arr(Z, 'Z'), arr(Y, 'Y')),
    };
  }

  async functions(): Promise<ReadonlySet<string>> {
    return new Set(Object.keys(this.table));
  }

  async call(fn: string, args: readonly Value[], kwargs: Readonly<Dict> = {}): Promise<Value> {
    const impl = this.table[fn];
    if (!impl) throw new EngineFault('missing', fn, `the reference engine has no function ${fn}`);
    try {
      return impl(args, kwargs);
    } catch (err) {
      throw new EngineFault('exception', fn, `${(err as Error).name}: ${(err as Error).message}`);
    }
  }

  async seed(seed: number): Promise<void> {
    const { globalRandom } = await import('../random/index.ts');
    globalRandom.seed(seed);
  }

  async close(): Promise<void> {}
}
