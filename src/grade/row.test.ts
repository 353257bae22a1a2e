/** A report → its gradebook row: statuses, verdicts (no pass without evidence, incomplete), scores. */
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../check/types.ts';
import { diagnosesOf, functionStatuses, rowFromReport } from './row.ts';
import { COURSE_POINTS } from './points.ts';

const check = (fn: string, status: string, message = 'ok', order = 0): CheckResult =>
  ({ id: `x/${fn}/${order}`, function: fn, kind: 'fixture', status, message, order }) as CheckResult;

function report(checks: CheckResult[], verdict = 'pass'): RunReport {
  const summary = { total: checks.length, pass: 0, fail: 0, error: 0, skip: 0 };
  return {
    verdict,
    engine: 'python:x.py',
    seed: 0,
    runs: 5,
    startedAt: '',
    durationMs: 1,
    summary,
    detected: {},
    checks,
  } as unknown as RunReport;
}
const base = { id: 'x.py', dir: 'submissions/x.py', durationMs: 1, contentHash: 'c', optionsHash: 'o' };
const all = (status: string) => Object.keys(COURSE_POINTS).map((f, i) => check(f, status, 'ok', i));

describe('rows', () => {
  it('the worst check decides a function: fail > error > warn > pass; none run: missing', () => {
    const s = functionStatuses(
      report([
        check('linear_forward', 'pass'),
        check('linear_forward', 'error'),
        check('linear_forward', 'fail'),
        check('relu', 'warn'),
        check('relu', 'pass'),
        check('sigmoid', 'skip'),
      ]),
    );
    expect(s).toEqual({ linear_forward: 'fail', relu: 'warn', sigmoid: 'missing' });
  });

  it('a full pass scores 100; a pass with exercises missing is incomplete; no passing check is an error', () => {
    expect(rowFromReport(report(all('pass')), base, COURSE_POINTS)).toMatchObject({ verdict: 'pass', score: 100 });
    const partial = rowFromReport(report(all('pass').slice(0, 7)), base, COURSE_POINTS);
    expect(partial).toMatchObject({ verdict: 'incomplete', score: 70 });
    expect(partial.reason).toBe(
      'not defined (or not checked): linear_activation_backward, L_model_backward, update_parameters',
    );
    const none = rowFromReport(report(all('skip')), base, COURSE_POINTS);
    expect(none).toMatchObject({ verdict: 'error', score: 0 });
    // the report's own warn and error verdicts are kept as they are
    expect(rowFromReport(report(all('pass'), 'warn'), base, COURSE_POINTS).verdict).toBe('warn');
    expect(rowFromReport(report(all('fail'), 'error'), base, COURSE_POINTS).verdict).toBe('error');
  });

  it('diagnoses: one per root cause; a caller that fails because of it is not counted again', () => {
    const checks = [
      check('linear_backward', 'fail', 'dW differs: 3 values\nmore lines', 2),
      check('linear_backward', 'fail', 'a later failure', 3),
      check('linear_activation_backward', 'fail', 'dA_prev differs', 4),
      check('compute_cost', 'error', 'compute_cost: crash', 1),
    ];
    // without evidence to classify, a headline is the function's first failure, named
    expect(diagnosesOf(report(checks))).toEqual([
      { function: 'compute_cost', text: 'compute_cost: crash' },
      { function: 'linear_backward', text: 'linear_backward: dW differs: 3 values' },
    ]);
  });
});
