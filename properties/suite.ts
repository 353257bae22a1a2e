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
  const input = details.counterexample?.[0];
  const err = details.errorInstance as Error | undefined;
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
      description: `fast-check counterexample of ${id}`,
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
        cli: `dnn-verify verify --seed ${ctx.seed} --runs ${ctx.runs} --functions ${p.function}`,
      },
    },
  };
}

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
