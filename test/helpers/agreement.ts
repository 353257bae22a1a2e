/**
 * How far a real engine's notebook functions are from the reference's (float64, the notebook's formulas) on random
 * inputs, each difference measured against the largest magnitude of the array it is in: the comparison the
 * examples' tests make of float32 engines, whose rounding the suite's own float64 tolerances do not allow (the
 * precision setting will). Inputs come from NumPy's RandomState, so a case is replayable.
 */
import type { Engine, Value } from '../../src/engine/engine.ts';
import { RandomState } from '../../src/random/index.ts';
import { NDArray } from '../../src/tensor/ndarray.ts';

const mat = (rs: RandomState, r: number, c: number, s = 1) =>
  new NDArray(
    rs.randn(r, c).data.map((x) => x * s),
    [r, c],
  );
const int = (rs: RandomState, lo: number, hi: number) => lo + Number(rs.randint(0, hi - lo + 1));

function network(rs: RandomState) {
  const dims = [int(rs, 1, 8), ...Array.from({ length: int(rs, 0, 3) }, () => int(rs, 1, 8)), 1];
  const m = int(rs, 1, 8);
  const parameters: Record<string, NDArray> = {};
  for (let l = 1; l < dims.length; l++) {
    parameters[`W${l}`] = mat(rs, dims[l], dims[l - 1], 1 / Math.sqrt(dims[l - 1]));
    parameters[`b${l}`] = mat(rs, dims[l], 1, 0.1);
  }
  const Y = new NDArray(
    Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
    [1, m],
  );
  return { X: mat(rs, dims[0], m), parameters, Y, m };
}

/** Random arguments of each function (the L_model_backward caches are the reference's forward pass). */
export async function argumentsOf(fn: string, rs: RandomState, reference: Engine): Promise<Value[]> {
  const n = int(rs, 1, 6);
  const k = int(rs, 1, 6);
  const m = int(rs, 1, 8);
  const layerCache = () => [[mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)], mat(rs, n, m, 2)];
  switch (fn) {
    case 'linear_forward':
      return [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)];
    case 'sigmoid':
    case 'relu':
      return [mat(rs, n, m, 3)];
    case 'sigmoid_backward':
    case 'relu_backward':
      return [mat(rs, n, m), mat(rs, n, m, 3)];
    case 'linear_activation_forward':
      return [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1), rs.rand(1).data[0] < 0.5 ? 'relu' : 'sigmoid'];
    case 'linear_backward':
      return [mat(rs, n, m), [mat(rs, k, m), mat(rs, n, k), mat(rs, n, 1)]];
    case 'linear_activation_backward':
      return [mat(rs, n, m), layerCache(), rs.rand(1).data[0] < 0.5 ? 'relu' : 'sigmoid'];
    case 'compute_cost':
      return [
        new NDArray(
          Float64Array.from(rs.rand(m).data, (u) => 0.05 + 0.9 * u),
          [1, m],
        ),
        new NDArray(
          Float64Array.from(rs.rand(m).data, (u) => (u < 0.5 ? 1 : 0)),
          [1, m],
        ),
      ];
    case 'L_model_forward': {
      const { X, parameters } = network(rs);
      return [X, parameters];
    }
    case 'L_model_backward': {
      const { X, parameters, Y } = network(rs);
      const [AL, caches] = (await reference.call('L_model_forward', [X, parameters])) as [NDArray, Value];
      return [AL, Y, caches];
    }
    case 'update_parameters': {
      const { parameters } = network(rs);
      const grads = Object.fromEntries(
        Object.entries(parameters).map(([key, v]) => [`d${key}`, mat(rs, ...(v.shape as [number, number]))]),
      );
      return [parameters, grads, 0.01 + rs.rand(1).data[0]];
    }
    default:
      throw new Error(`no inputs for ${fn}`);
  }
}

/** The worst difference of two values, relative to each array's largest magnitude; Infinity on a mismatch of form. */
export function worstDifference(ours: Value, ref: Value): number {
  if (ref instanceof NDArray) {
    if (!(ours instanceof NDArray) || ours.shape.join() !== ref.shape.join()) return Infinity;
    const scale = Math.max(1e-30, ...ref.data.map(Math.abs));
    let worst = 0;
    ours.data.forEach((v, i) => {
      const d = Math.abs(v - ref.data[i]) / scale;
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    });
    return worst;
  }
  if (typeof ref === 'number') {
    const v = ours instanceof NDArray && ours.size === 1 ? ours.data[0] : ours;
    return typeof v === 'number' ? Math.abs(v - ref) / Math.max(1e-30, Math.abs(ref)) : Infinity;
  }
  if (Array.isArray(ref)) {
    if (!Array.isArray(ours) || ours.length !== ref.length) return Infinity;
    return Math.max(0, ...ref.map((r, i) => worstDifference(ours[i], r)));
  }
  if (ref !== null && typeof ref === 'object') {
    if (ours === null || typeof ours !== 'object' || Array.isArray(ours)) return Infinity;
    const o = ours as Record<string, Value>;
    const keys = Object.keys(ref);
    if (keys.length !== Object.keys(o).length) return Infinity;
    return Math.max(
      0,
      ...keys.map((key) => (key in o ? worstDifference(o[key], (ref as Record<string, Value>)[key]) : Infinity)),
    );
  }
  return Object.is(ours, ref) ? 0 : Infinity;
}

/** Every array in a value holds float32 numbers only (Math.fround leaves them as they are). */
export function allFloat32(v: Value): boolean {
  if (v instanceof NDArray) return v.data.every((x) => Number.isNaN(x) || Math.fround(x) === x);
  if (Array.isArray(v)) return v.every(allFloat32);
  if (v !== null && typeof v === 'object') return Object.values(v).every((x) => allFloat32(x as Value));
  return true;
}

/** Per function, the worst relative difference from the reference over `cases` random cases. */
export async function agreement(
  engine: Engine,
  reference: Engine,
  functions: readonly string[],
  { seed = 0, cases = 10 } = {},
): Promise<Record<string, number>> {
  const worst: Record<string, number> = {};
  for (const [f, fn] of functions.entries()) {
    worst[fn] = 0;
    for (let t = 0; t < cases; t++) {
      const args = await argumentsOf(fn, new RandomState(seed * 1000 + f * 100 + t), reference);
      const ref = await reference.call(fn, args);
      worst[fn] = Math.max(worst[fn], worstDifference(await engine.call(fn, args), ref));
    }
  }
  return worst;
}
