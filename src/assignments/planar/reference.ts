/**
 * The planar assignment's reference engine: week 3's functions by their notebook names, with NumPy's semantics
 * and its own np.random global (seed() seeds it). `variant` picks the seeding convention (model.ts).
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import type { Dict, Engine, Value } from '../../engine/engine.ts';
import { EngineFault } from '../../engine/engine.ts';
import { describe } from '../../engine/reference-engine.ts';
import { backwardPropagation, forwardPropagation, shallowCost } from '../../engine/reference/extras.ts';
import type { Parameters } from '../../engine/reference/types.ts';
import {
  initPlanar,
  layerSizes,
  LEARNING_RATE,
  nnModel,
  predictPlanar,
  updatePlanar,
  type PlanarVariant,
} from './model.ts';

export const PLANAR_FUNCTIONS = [
  'layer_sizes',
  'initialize_parameters',
  'forward_propagation',
  'compute_cost',
  'backward_propagation',
  'update_parameters',
  'nn_model',
  'predict',
] as const;

function arr(v: Value | undefined, name: string): NDArray {
  if (v instanceof NDArray) return v;
  if (typeof v === 'number') return NDArray.scalar(v);
  throw new TypeError(`${name} must be an ndarray, got ${describe(v)}`);
}

function num(v: Value | undefined, name: string): number {
  if (typeof v === 'number') return v;
  if (v instanceof NDArray && v.size === 1) return v.data[0];
  throw new TypeError(`${name} must be a number, got ${describe(v)}`);
}

function dict(v: Value | undefined, name: string): Parameters {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v) || v instanceof NDArray)
    throw new TypeError(`${name} must be a dict, got ${describe(v)}`);
  const out: Parameters = {};
  for (const [k, x] of Object.entries(v)) out[k] = arr(x, `${name}["${k}"]`);
  return out;
}

/** Positional argument i, else the keyword, else the default. */
function arg(args: readonly Value[], kwargs: Readonly<Dict>, i: number, name: string, dflt?: Value): Value | undefined {
  return i < args.length ? args[i] : name in kwargs ? kwargs[name] : dflt;
}

type Impl = (args: readonly Value[], kwargs: Readonly<Dict>) => Value;

export class PlanarReference implements Engine {
  readonly name: string;
  readonly rng = new RandomState(0);
  private readonly table: Record<string, Impl>;

  constructor(readonly variant: PlanarVariant = 'W3A1') {
    this.name = `reference (planar, ${variant})`;
    const rng = this.rng;
    this.table = {
      layer_sizes: (a, k) => layerSizes(arr(arg(a, k, 0, 'X'), 'X'), arr(arg(a, k, 1, 'Y'), 'Y')),
      initialize_parameters: (a, k) =>
        initPlanar(
          num(arg(a, k, 0, 'n_x'), 'n_x'),
          num(arg(a, k, 1, 'n_h'), 'n_h'),
          num(arg(a, k, 2, 'n_y'), 'n_y'),
          rng,
          variant,
        ),
      forward_propagation: (a, k) => {
        const [A2, cache] = forwardPropagation(
          arr(arg(a, k, 0, 'X'), 'X'),
          dict(arg(a, k, 1, 'parameters'), 'parameters'),
        );
        return [A2, { Z1: cache.Z1, A1: cache.A1, Z2: cache.Z2, A2: cache.A2 }];
      },
      // W3A1: compute_cost(A2, Y); older versions pass parameters too, unused
      compute_cost: (a, k) => shallowCost(arr(arg(a, k, 0, 'A2'), 'A2'), arr(arg(a, k, 1, 'Y'), 'Y')),
      backward_propagation: (a, k) => {
        const parameters = dict(arg(a, k, 0, 'parameters'), 'parameters');
        const c = dict(arg(a, k, 1, 'cache'), 'cache');
        for (const key of ['A1', 'A2'])
          if (!c[key]) throw new TypeError(`cache must hold ${key}, got ${describe(arg(a, k, 1, 'cache'))}`);
        const cache = { Z1: c.Z1 ?? c.A1, A1: c.A1, Z2: c.Z2 ?? c.A2, A2: c.A2 };
        return backwardPropagation(parameters, cache, arr(arg(a, k, 2, 'X'), 'X'), arr(arg(a, k, 3, 'Y'), 'Y'));
      },
      update_parameters: (a, k) =>
        updatePlanar(
          dict(arg(a, k, 0, 'parameters'), 'parameters'),
          dict(arg(a, k, 1, 'grads'), 'grads'),
          num(arg(a, k, 2, 'learning_rate', LEARNING_RATE), 'learning_rate'),
        ),
      nn_model: (a, k) =>
        nnModel(
          arr(arg(a, k, 0, 'X'), 'X'),
          arr(arg(a, k, 1, 'Y'), 'Y'),
          num(arg(a, k, 2, 'n_h'), 'n_h'),
          num(arg(a, k, 3, 'num_iterations', 10000), 'num_iterations'),
          { rng, variant },
        ),
      predict: (a, k) => predictPlanar(dict(arg(a, k, 0, 'parameters'), 'parameters'), arr(arg(a, k, 1, 'X'), 'X')),
    };
  }

  async functions(): Promise<ReadonlySet<string>> {
    return new Set(Object.keys(this.table));
  }

  async seed(seed: number): Promise<void> {
    this.rng.seed(seed);
  }

  async call(fn: string, args: readonly Value[], kwargs: Readonly<Dict> = {}): Promise<Value> {
    const impl = this.table[fn];
    if (!impl) throw new EngineFault('missing', fn, `the planar reference does not define ${fn}`);
    try {
      return impl(args, kwargs) as Value;
    } catch (err) {
      throw new EngineFault('exception', fn, `${(err as Error).name}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {}
}
