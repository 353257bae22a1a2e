/**
 * The grading policy: --points merges with the course's points, callers lose or keep their points for a callee's
 * bug, warnings cost nothing or a share. Reports made by hand; expected points counted by hand.
 */
import { pointsFor } from './points.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult, RunReport } from '../check/types.ts';
import { FUNCTION_NAMES } from '../engine/catalogue.ts';
import { COURSE_POINTS } from './points.ts';
import { DEFAULT_POLICY, describePolicy, mergePoints, PolicyError, readPolicy } from './policy.ts';
import { rowFromReport } from './row.ts';
import { rescore } from './index.ts';
import { policyOf } from '../cli/commands/grade.ts';
import { UsageError } from '../cli/errors.ts';

const check = (fn: string, status: string, order = 0): CheckResult =>
  ({ id: `x/${fn}/${order}`, function: fn, kind: 'fixture', status, message: `${fn}: differs`, order }) as CheckResult;
const report = (checks: CheckResult[], verdict = 'fail') =>
  ({ verdict, engine: 'x', seed: 0, runs: 5, durationMs: 1, detected: {}, checks }) as unknown as RunReport;
const base = { id: 'x.py', dir: 'submissions/x.py', durationMs: 1, contentHash: 'c', optionsHash: 'o' };

/** linear_forward has the bug; linear_activation_forward and L_model_forward call it and fail with it */
const CASCADE = Object.keys(COURSE_POINTS).map((f, i) =>
  check(f, ['linear_forward', 'linear_activation_forward', 'L_model_forward'].includes(f) ? 'fail' : 'pass', i),
);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dnn-verify-policy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('callers and a callee bug', () => {
  it("default (today's rule, measured on main): every failing caller loses its points too", () => {
    const row = rowFromReport(report(CASCADE), base, COURSE_POINTS);
    expect(row.score).toBe(70);
    expect(row.blamed).toEqual({ linear_activation_forward: 'linear_forward', L_model_forward: 'linear_forward' });
    expect(DEFAULT_POLICY.callers).toBe('lose');
  });
  it('callers keep: only the function with the bug loses its points; a stored row is rescored the same way', () => {
    const keep = { ...DEFAULT_POLICY, callers: 'keep' as const };
    const row = rowFromReport(report(CASCADE), base, COURSE_POINTS, keep);
    expect(row.score).toBe(90);
    expect(row.earned).toMatchObject({ linear_forward: 0, linear_activation_forward: 10, L_model_forward: 10 });
    expect(row.verdict).toBe('fail');
    expect(rescore(rowFromReport(report(CASCADE), base, COURSE_POINTS), COURSE_POINTS, keep).score).toBe(90);
  });
});

describe('warnings', () => {
  const warned = Object.keys(COURSE_POINTS).map((f, i) => check(f, f === 'compute_cost' ? 'warn' : 'pass', i));
  it('free by default ("warn" is full marks); cost or a share when the policy says so', () => {
    expect(rowFromReport(report(warned, 'warn'), base, COURSE_POINTS).score).toBe(100);
    expect(
      rowFromReport(report(warned, 'warn'), base, COURSE_POINTS, { ...DEFAULT_POLICY, warningPenalty: 1 }).score,
    ).toBe(90);
    expect(
      rowFromReport(report(warned, 'warn'), base, COURSE_POINTS, { ...DEFAULT_POLICY, warningPenalty: 0.5 }).score,
    ).toBe(95);
    expect(describePolicy(DEFAULT_POLICY)[0]).toMatch(/full marks/);
  });
});

describe('points and the policy file', () => {
  it('--points changes one weight and keeps the others; a name the assignment lacks is an error naming it', () => {
    const merged = mergePoints(COURSE_POINTS, { linear_forward: 25 }, FUNCTION_NAMES);
    expect(merged.linear_forward).toBe(25);
    expect(merged.compute_cost).toBe(10);
    expect(Object.values(merged).reduce((a, b) => a + b, 0)).toBe(115);
    expect(() => mergePoints(COURSE_POINTS, { backprop: 5 }, FUNCTION_NAMES)).toThrow(
      /--points: 'backprop' is not a function of the assignment/,
    );
    const file = join(dir, 'points.json');
    writeFileSync(file, JSON.stringify({ compute_cost: 0 }));
    // the changes, merged into each submission's assignment's own points
    const points = pointsFor('step-by-step', policyOf({ points: file }).points);
    expect(points.compute_cost).toBe(0);
    expect(points.linear_forward).toBe(10);
    writeFileSync(file, JSON.stringify({ linear_fwd: 3 }));
    expect(() => policyOf({ points: file })).toThrow(UsageError);
    expect(() => policyOf({ points: file })).toThrow(/linear_fwd/);
  });
  it('a policy file sets callers, warnings and points; options override it; mistakes are named', () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ callers: 'keep', warnings: 'cost', points: { update_parameters: 20 } }));
    expect(readPolicy(file).policy).toEqual({ callers: 'keep', warningPenalty: 1 });
    const both = policyOf({ policy: file, warnings: '0.25' });
    expect(both.policy).toEqual({ callers: 'keep', warningPenalty: 0.25 });
    expect(pointsFor('step-by-step', both.points).update_parameters).toBe(20);
    expect(pointsFor('step-by-step', both.points).linear_forward).toBe(10);
    writeFileSync(file, JSON.stringify({ callers: 'maybe' }));
    expect(() => readPolicy(file)).toThrow(PolicyError);
    expect(() => readPolicy(file)).toThrow(/callers must be lose or keep/);
    writeFileSync(file, JSON.stringify({ warning: 'free' }));
    expect(() => readPolicy(file)).toThrow(/unknown key warning/);
    expect(() => policyOf({ warnings: '2' })).toThrow(/--warnings must be free, cost or a share/);
    expect(policyOf({})).toEqual({ points: undefined, policy: DEFAULT_POLICY });
  });
});
