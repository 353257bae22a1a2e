/**
 * The one meaning of strict, shared by the CLI's --strict, describeEngine's and verifyEngine's `strict: true`:
 *
 *   - a warning (a deviation the notebook tolerates: inputs mutated, relu'(0) = 1, a 0-d array for a float) counts
 *     as a failure;
 *   - a function the engine should define and does not (the notebook's required step-by-step functions, or
 *     exactly those named by `functions`) fails, as the CLI's INCOMPLETE verdict does; the checks of any other
 *     function the engine does not define (the Application's, the softmax extras such as
 *     delta_cross_entropy_one_hot) are skipped, strict or not.
 *
 * The run's verdict applies it through verdictOf (runner.ts); a vitest test per check applies it through
 * strictOutcome, with the missing functions computed by the same missingFunctions.
 */
import type { CheckResult } from '../check/types.ts';

export type Outcome =
  | { test: 'pass' }
  | { test: 'warn'; message: string }
  | { test: 'skip'; message: string }
  | { test: 'fail'; message: string };

/**
 * What one check's result means for its test: `missing` holds the functions the engine should define and does
 * not (missingFunctions in runner.ts).
 */
export function strictOutcome(r: CheckResult, strict: boolean, missing: ReadonlySet<string>): Outcome {
  if (r.status === 'fail' || r.status === 'error') return { test: 'fail', message: r.message };
  if (r.status === 'skip') {
    if (strict && missing.has(r.function))
      return {
        test: 'fail',
        message: `not verified (strict): ${r.message}; ${r.function} is a function the engine should define`,
      };
    return { test: 'skip', message: r.message };
  }
  if (r.status === 'warn')
    return strict
      ? { test: 'fail', message: `warn (strict): ${r.message}` }
      : { test: 'warn', message: `warn: ${r.message}` };
  return { test: 'pass' };
}
