/**
 * The call that hung, as a check's counterexample. An engine that does not answer is killed, and the function
 * that hung then fails fast for the rest of the run ("not called again"): the checks after it fail on whatever
 * they asked, and a property's shrinking ends on an input that never hung. The counterexample of the check in
 * which the hang happened is therefore the call itself: its function and its exact arguments, with a replay.
 */
import { EngineFault, type Engine, type Value } from '../engine/engine.ts';
import { functionSpec } from '../engine/catalogue.ts';
import { toWire } from '../diagnose/evidence.ts';
import { argumentSummary } from '../engine/describe-call.ts';

export { argumentSummary };
import { pythonReplay } from '../../properties/replay.ts';
import type { CheckResult } from '../check/types.ts';

export interface HungCall {
  fn: string;
  args: readonly Value[];
  fault: EngineFault;
}

/** A fault that is an engine's first hang or limit breach (not the fail-fast of a function that hung before). */
export function isFirstHang(err: unknown): err is EngineFault {
  return (
    err instanceof EngineFault &&
    (err.kind === 'timeout' || err.kind === 'limit') &&
    !err.message.includes('not called again')
  );
}

/** `engine` with the calls that hang recorded in `into` (the first one is the counterexample). */
export function recordingHangs(engine: Engine, into: HungCall[]): Engine {
  return {
    ...engine,
    name: engine.name,
    functions: () => engine.functions(),
    async call(fn, args, kwargs) {
      try {
        return await engine.call(fn, args, kwargs);
      } catch (err) {
        if (isFirstHang(err)) into.push({ fn, args, fault: err });
        throw err;
      }
    },
    close: () => engine.close(),
  };
}

/** The check's result with the call that hung as its counterexample (unchanged when nothing hung). */
export function withHungCall(
  r: CheckResult,
  hung: HungCall | undefined,
  paramsOf: (fn: string) => readonly string[] | undefined = (fn) => functionSpec(fn)?.params,
): CheckResult {
  if (!hung || r.status === 'pass' || r.status === 'skip') return r;
  const names = paramsOf(hung.fn) ?? functionSpec(hung.fn)?.params ?? hung.args.map((_, i) => `arg${i}`);
  const inputs = Object.fromEntries(hung.args.map((a, i) => [names[i] ?? `arg${i}`, a]));
  return {
    ...r,
    function: hung.fn,
    counterexample: {
      description: `the call that hung: ${hung.fn}(${argumentSummary(hung.fn, hung.args)})${r.counterexample ? ` (the check's own case: ${r.counterexample.description})` : ''}`,
      inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, toWire(v)])),
      expected: 'an answer within the time limit',
      actual: hung.fault.message,
      replay: {
        ...r.counterexample?.replay,
        fastCheck: undefined, // it replays the shrunk case, which did not hang
        python: pythonReplay(inputs, `${hung.fn}(${Object.keys(inputs).join(', ')})`),
      },
    },
  };
}
