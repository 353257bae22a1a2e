/**
 * Which week-3 notebook an engine implements, from how it behaves: W3A1's compute_cost(A2, Y) rejects a third
 * argument, the older versions' compute_cost(A2, Y, parameters) requires it. When compute_cost takes both (a
 * default for parameters) or is absent, initialize_parameters decides: older versions reseed 2 inside.
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { EngineFault, type Dict, type Engine, type Value } from '../../engine/engine.ts';
import { RandomState } from '../../random/index.ts';
import { initPlanar, type PlanarVariant } from './model.ts';

const A2 = NDArray.from([[0.5002307, 0.49985831, 0.50023963]]);
const Y = NDArray.from([[1, 0, 0]]);
const P = {
  W1: NDArray.from([[0.01], [-0.02]]),
  b1: NDArray.zeros([2, 1]),
  W2: NDArray.from([[0.03, -0.01]]),
  b2: NDArray.zeros([1, 1]),
};

/** The engine raised Python's (or JS's) "wrong number of arguments" TypeError. */
export function isArityError(err: unknown): boolean {
  return (
    err instanceof EngineFault &&
    err.kind === 'exception' &&
    /TypeError.*(positional argument|takes \d+ |required argument|arguments? but)/.test(err.message)
  );
}

export async function detectVariant(
  engine: Engine,
  functions: ReadonlySet<string>,
): Promise<PlanarVariant | undefined> {
  if (functions.has('compute_cost')) {
    let three: 'ok' | 'arity' | 'other' = 'other';
    let two: 'ok' | 'arity' | 'other' = 'other';
    try {
      await engine.call('compute_cost', [A2, Y, P]);
      three = 'ok';
    } catch (err) {
      three = isArityError(err) ? 'arity' : 'other';
    }
    try {
      await engine.call('compute_cost', [A2, Y]);
      two = 'ok';
    } catch (err) {
      two = isArityError(err) ? 'arity' : 'other';
    }
    if (three === 'arity') return 'W3A1';
    if (two === 'arity') return 'older';
  }
  if (functions.has('initialize_parameters') && engine.seed) {
    try {
      await engine.seed(7);
      const out = (await engine.call('initialize_parameters', [2, 3, 1])) as Record<string, Value>;
      const W1 = out?.W1;
      if (W1 instanceof NDArray) {
        const same = (v: PlanarVariant) =>
          initPlanar(2, 3, 1, new RandomState(7), v).W1.data.every((x, i) => Object.is(x, W1.data[i]));
        if (same('older')) return 'older';
        if (same('W3A1')) return 'W3A1';
      }
    } catch {
      // undecided
    }
  }
  return undefined;
}

/**
 * The engine as every planar check sees it: compute_cost called with the arguments its version takes (a check
 * written for W3A1's two passes parameters on to an older engine, and an older version's three lose the third);
 * update_parameters and nn_model whose learning_rate has no default get the course's 1.2 (their arithmetic is
 * checked; the course's own tests, which omit it, reject such a signature with a TypeError).
 */
export function adaptArity(engine: Engine): Engine {
  const call = async (fn: string, args: readonly Value[], kwargs?: Readonly<Dict>): Promise<Value> => {
    if (fn === 'update_parameters' || fn === 'nn_model') {
      try {
        return await engine.call(fn, args, kwargs);
      } catch (err) {
        // a learning_rate without its default (1.2): the arithmetic is what is checked, with the course's rate
        if (!isArityError(err) || !/learning_rate/.test((err as Error).message)) throw err;
        return engine.call(fn, args, { ...kwargs, learning_rate: 1.2 });
      }
    }
    if (fn !== 'compute_cost') return engine.call(fn, args, kwargs);
    try {
      return await engine.call(fn, args, kwargs);
    } catch (err) {
      if (!isArityError(err)) throw err;
      if (args.length === 3) return engine.call(fn, args.slice(0, 2), kwargs);
      if (args.length === 2) return engine.call(fn, [...args, P], kwargs);
      throw err;
    }
  };
  return new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop === 'call') return call;
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
