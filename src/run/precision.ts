/**
 * The run's precision: given (--precision, `precision:`), or detected from the dtypes the engine returns. Each
 * function the engine defines is called once on small fixed inputs (m = 3) and the arrays of its result are read
 * (`NDArray.dtype`: float32 bytes from a Python engine, a Float32Array-built or float32-tagged NDArray from a JS
 * engine). A mixed engine runs at the lowest precision seen, and the report names each function's.
 */
import { NDArray } from '../tensor/ndarray.ts';
import { EngineFault, type Engine, type Value } from '../engine/engine.ts';
import { lowest, precisionOf, type Precision, type PrecisionInfo } from '../check/precision.ts';

const mat = (r: number, c: number, k: number) =>
  new NDArray(
    Float64Array.from({ length: r * c }, (_, i) => 0.5 * Math.sin(1.7 * (i + 1) + k)),
    [r, c],
  );
const params = () => ({ W1: mat(3, 2, 1), b1: mat(3, 1, 2), W2: mat(1, 3, 3), b2: mat(1, 1, 4) });
const linearCache = () => [mat(2, 3, 5), mat(3, 2, 6), mat(3, 1, 7)];
const Y = NDArray.from([[1, 0, 1]]);
const AL = NDArray.from([[0.8, 0.3, 0.6]]);

/** One small call per function, with arguments as the notebook passes them (m = 3, layer_dims [2, 3, 1]). */
const PROBES: Record<string, (ref: Engine) => Promise<Value[]>> = {
  linear_forward: async () => [mat(2, 3, 0), mat(3, 2, 1), mat(3, 1, 2)],
  linear_activation_forward: async () => [mat(2, 3, 0), mat(3, 2, 1), mat(3, 1, 2), 'relu'],
  L_model_forward: async () => [mat(2, 3, 0), params()],
  compute_cost: async () => [AL, Y],
  sigmoid: async () => [mat(3, 3, 8)],
  relu: async () => [mat(3, 3, 8)],
  sigmoid_backward: async () => [mat(3, 3, 9), mat(3, 3, 8)],
  relu_backward: async () => [mat(3, 3, 9), mat(3, 3, 8)],
  linear_backward: async () => [mat(3, 3, 9), linearCache()],
  linear_activation_backward: async () => [mat(3, 3, 9), [linearCache(), mat(3, 3, 8)], 'relu'],
  L_model_backward: async (ref) => {
    const [al, caches] = (await ref.call('L_model_forward', [mat(2, 3, 0), params()])) as [NDArray, Value];
    return [al, Y, caches];
  },
  update_parameters: async () => [
    params(),
    Object.fromEntries(Object.entries(params()).map(([k, v]) => [`d${k}`, v])),
    0.1,
  ],
  initialize_parameters: async () => [2, 3, 1],
  initialize_parameters_deep: async () => [[2, 3, 1]],
};

/** The dtype each function returns its arrays in (functions that raise or return no array are left out). */
export async function probeDtypes(
  engine: Engine,
  reference: Engine,
  functions: ReadonlySet<string>,
): Promise<Record<string, Precision>> {
  const found: Record<string, Precision> = {};
  for (const [fn, args] of Object.entries(PROBES)) {
    if (!functions.has(fn)) continue;
    try {
      const p = precisionOf(await engine.call(fn, await args(reference)));
      if (p) found[fn] = p;
    } catch (err) {
      // a function that fails on these inputs says nothing about its dtype: its checks will say the rest; an engine
      // that hangs, dies or breaks a limit is not probed further (each such call costs a timeout or a restart)
      if (err instanceof EngineFault && ['timeout', 'crash', 'limit'].includes(err.kind)) break;
    }
  }
  return found;
}

/**
 * The run's precision: `given` when set (the probe still names each function's dtype for the report, unless the
 * engine is the reference itself), else the lowest the probe saw (float64 when it saw none).
 */
export async function runPrecision(
  engine: Engine,
  reference: Engine,
  functions: ReadonlySet<string>,
  given?: Precision,
): Promise<PrecisionInfo> {
  const seen = engine === reference ? {} : await probeDtypes(engine, reference, functions);
  const detected = Object.values(seen).reduce<Precision>(lowest, 'float64');
  return given
    ? { precision: given, source: 'given', functions: seen }
    : { precision: detected, source: 'detected', functions: seen };
}
