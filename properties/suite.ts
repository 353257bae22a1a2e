/**
 * Runs properties with fast-check, deterministically for a seed: each property gets its own seed derived from
 * the run's seed and its id, numRuns from the run's `runs`. A failure reports fast-check's shrunk
 * counterexample with the seed and path that replay it, and a Python snippet that rebuilds the inputs.
 */
import fc from 'fast-check';
import type { Check, CheckContext, CheckResult, CheckSuite } from '../src/check/types.ts';
import { EngineFault } from '../src/engine/engine.ts';
import { OutsideNotebook } from '../src/check/warnings.ts';
import { PROPERTIES, type Property } from './props/index.ts';
import { pythonReplay } from './replay.ts';
import { PropertyFailure } from './props/types.ts';
import { NDArray } from '../src/tensor/ndarray.ts';

/** FNV-1a of the id, mixed with the run seed: a stable, independent seed per property. */
export function propertySeed(runSeed: number, id: string): number {
  let h = 0x811c9dc5 ^ runSeed;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h | 0;
}

export function propertyId(p: Property<unknown>): string {
  return `property/${p.function}/${p.name}`;
}

export async function runProperty(p: Property<unknown>, ctx: CheckContext, replayPath?: string): Promise<CheckResult> {
  const id = propertyId(p);
  const base = { id, function: p.function, kind: 'property' as const };
  const missing = p.requires.filter((f) => !ctx.functions.has(f));
  if (missing.length) return { ...base, status: 'skip', message: `the engine does not define ${missing.join(', ')}` };
  const seed = propertySeed(ctx.seed, id);
  const numRuns = Math.max(1, Math.round(ctx.runs * (p.cost ?? 1)));
  const details = await fc.check(
    fc.asyncProperty(p.arbitrary, async (input) => {
      try {
        await p.check(ctx.engine, input, ctx);
      } catch (err) {
        // an input the notebook's programs never build, on which the engine raised: not this property's case
        if (err instanceof OutsideNotebook) fc.pre(false);
        throw err;
      }
    }),
    // options.shrink === false (grade's profile): report the first counterexample as found; shrinking a failing
    // gradient-check property can take tens of seconds
    { seed, numRuns, path: replayPath, endOnFailure: ctx.options?.shrink === false },
  );
  if (!details.failed)
    return { ...base, status: 'pass', message: `held on ${details.numRuns} random cases (seed ${seed})` };
  const shrunk = details.counterexample?.[0];
  // fast-check shrinks doubles towards 0 through subnormals (dA = -2.47e-322): a case with its floats rounded to
  // a few digits replaces the shrunk one when it fails the same way (same error, same message but for numbers)
  const rounded = shrunk === undefined ? undefined : await roundedCounterexample(p, ctx, shrunk, details.errorInstance);
  const input = rounded?.input ?? shrunk;
  const err = (rounded?.error ?? details.errorInstance) as Error | undefined;
  const why =
    err instanceof EngineFault
      ? `the engine failed: ${err.message}`
      : (err?.message ?? ('error' in details ? String(details.error) : 'failed'));
  const replay = input === undefined ? undefined : p.replay(input);
  // an engine fault names the function that faulted (a crash in compute_cost is not L_model_backward's)
  const fault = err instanceof EngineFault ? err : undefined;
  return {
    ...base,
    function: fault?.fn || p.function,
    status: fault && fault.kind !== 'exception' ? 'error' : 'fail',
    message: `${why} (shrunk after ${details.numShrinks} steps; replay: seed ${seed}, path "${details.counterexamplePath}")`,
    counterexample: {
      description: `fast-check counterexample of ${id}${rounded ? ' (its floats rounded after shrinking; the fast-check seed and path replay the unrounded case)' : ''}`,
      ...(err instanceof PropertyFailure && (err.expected !== undefined || err.actual !== undefined)
        ? { expected: err.expected, actual: err.actual }
        : {}),
      inputs: replay?.inputs
        ? JSON.parse(
            JSON.stringify(replay.inputs, (_k, v) =>
              v && typeof v === 'object' && 'data' in v && 'shape' in v
                ? { shape: v.shape, data: Array.from(v.data as Float64Array) }
                : v,
            ),
          )
        : undefined,
      replay: {
        fastCheck: { seed, path: details.counterexamplePath ?? undefined, numRuns },
        python: replay ? pythonReplay(replay.inputs, replay.call) : undefined,
      },
    },
  };
}

/** Numbers in a message replaced by '#': two failures "say the same" when their messages agree but for numbers. */
const shapeOf = (e: unknown) =>
  `${(e as Error)?.constructor?.name}:${String((e as Error)?.message ?? e).replace(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi, '#')}`;

/** x rounded to `digits` significant digits (integers, 0 and non-finite values unchanged). */
function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x) || Number(x.toPrecision(6)) === x) return x; // already readable
  // a subnormal or tiny value is not the point unless the property says so: its sign and a readable size stay
  if (Math.abs(x) < 1e-6) return Math.sign(x) * 0.5;
  return Number(x.toPrecision(digits));
}

/** `v` with every float of its arrays and every non-integer number rounded; NDArrays stay NDArrays. */
function roundValues(v: unknown, digits: number): unknown {
  if (typeof v === 'number') return roundTo(v, digits);
  if (v instanceof NDArray)
    return new NDArray(
      v.data.map((x) => roundTo(x, digits)),
      [...v.shape],
      v.dtype === 'int64' ? 'int64' : undefined, // integers stay integers (roundTo leaves them)
    );
  if (Array.isArray(v)) return v.map((x) => roundValues(x, digits));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundValues(x, digits)]));
  return v;
}

/** The shrunk input with its floats rounded (2, then 3, then 4 digits), if one still fails the same way. */
async function roundedCounterexample(
  p: Property<unknown>,
  ctx: CheckContext,
  input: unknown,
  error: unknown,
): Promise<{ input: unknown; error: unknown } | undefined> {
  if (error instanceof EngineFault && error.kind !== 'exception') return undefined; // a hang is not re-run
  if (ctx.options?.shrink === false) return undefined; // grade's profile: the first counterexample, as found
  const same = shapeOf(error);
  for (const digits of [2, 3, 4]) {
    const candidate = roundValues(input, digits);
    if (JSON.stringify(candidate, replacer) === JSON.stringify(input, replacer)) return undefined;
    try {
      await p.check(ctx.engine, candidate, { ...ctx, warn: () => {} });
    } catch (err) {
      if (shapeOf(err) === same) return { input: candidate, error: err };
    }
  }
  return undefined;
}

const replacer = (_k: string, v: unknown) => (v instanceof NDArray ? Array.from(v.data) : v);

export const propertySuite: CheckSuite = {
  name: 'properties',
  checks(): Check[] {
    return PROPERTIES.map((p) => ({
      id: propertyId(p),
      function: p.function,
      kind: 'property' as const,
      run: (ctx: CheckContext) => runProperty(p, ctx),
    }));
  },
};
