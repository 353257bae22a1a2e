/** A property of the notebook contract, written once against the Engine interface. */
import type fc from 'fast-check';
import type { Engine } from '../../src/engine/engine.ts';
import type { CheckContext } from '../../src/check/types.ts';

export interface Property<T> {
  /** short name, unique per function: check id property/<function>/<name> */
  name: string;
  /** the notebook function held responsible when it fails */
  function: string;
  /** the functions the engine must define for the property to run (else: skip) */
  requires: string[];
  arbitrary: fc.Arbitrary<T>;
  /** throws (with a message that says what differs) when the property does not hold */
  check(engine: Engine, input: T, ctx: CheckContext): Promise<void>;
  /** the inputs and the call, for the Python replay snippet */
  replay(input: T): { inputs: Record<string, unknown>; call: string };
  /** runs scale: a multiplier on ctx.runs for expensive properties */
  cost?: number;
}

export class PropertyFailure extends Error {
  override name = 'PropertyFailure';
  constructor(
    message: string,
    /** what the notebook gives and what the engine gave, where the property can say (shown in the counterexample) */
    readonly expected?: unknown,
    readonly actual?: unknown,
  ) {
    super(message);
  }
}

export function fail(message: string, values?: { expected?: unknown; actual?: unknown }): never {
  throw new PropertyFailure(message, values?.expected, values?.actual);
}
