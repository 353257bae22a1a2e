/** --assignment NAME (run-flags.ts): a registered id goes to VerifySettings.assignment; any other is a usage error. */
import { describe, expect, it } from 'vitest';
import { assignmentFlag, RUN_HELP, runFlags } from './run-flags.ts';
import { UsageError } from './errors.ts';

describe('--assignment', () => {
  it('names the assignment of the run; absent, the run detects it', () => {
    expect(runFlags({ assignment: 'application' }).settings.assignment).toBe('application');
    expect(runFlags({}).settings.assignment).toBeUndefined();
  });

  it('an unknown name is a usage error listing the ids', () => {
    expect(() => assignmentFlag('week5')).toThrow(UsageError);
    expect(() => assignmentFlag('week5')).toThrow(
      /^--assignment takes one of (.*, )?step-by-step, application(, .*)?, got 'week5'$/,
    );
  });

  it('the help lists the ids', () => {
    expect(RUN_HELP).toMatch(/--assignment NAME {2}check against this assignment \(step-by-step, application/);
  });
});
