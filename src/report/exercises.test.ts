/**
 * The conditions under which a bug shows, read off which checks failed and which passed (hand-made results: the
 * ids are the suites' own), and a SyntaxError's place read from the loader's reason.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../check/types.ts';
import type { RunReport } from '../check/types.ts';
import { conditionsOf, exerciseFeedback, runInternals, syntaxLocation, syntaxWhere } from './exercises.ts';

const check = (id: string, status: CheckResult['status'], evidence?: unknown): CheckResult => ({
  id,
  function: 'L_model_backward',
  kind: id.startsWith('gradcheck') ? 'gradcheck' : id.startsWith('differential') ? 'differential' : 'fixture',
  status,
  message: '',
  ...(evidence ? { details: { evidence } } : {}),
});

describe('conditionsOf', () => {
  it('network depth: failing from 3 layers on, passing below', () => {
    const checks = [
      check('gradcheck/full/[3,1]/m=4', 'pass'),
      check('gradcheck/full/[2,3,1]/m=5', 'pass'),
      check('gradcheck/full/[4,3,2,1]/m=3', 'fail'),
      check('gradcheck/directional/[20,16,16,16,16,1]/m=8', 'fail'),
      // a differential case's depth comes from its inputs
      check('differential/L_model_backward', 'fail', { inputs: { caches: [0, 0, 0] } }),
      check('fixture/w4a1-en-public-tests/L_model_backward', 'pass'),
    ];
    expect(conditionsOf(checks)).toBe('only with networks of 3 or more layers (it passes with 1, 2 layers)');
  });
  it('only a 1-layer network', () => {
    expect(conditionsOf([check('gradcheck/full/[3,1]/m=4', 'fail'), check('gradcheck/full/[2,3,1]/m=5', 'pass')])).toBe(
      'only with networks of 1 layer (it passes with 2 layers)',
    );
  });
  it('nothing is said when failures and passes overlap', () => {
    expect(
      conditionsOf([
        check('gradcheck/full/[4,3,2,1]/m=3', 'fail'),
        check('gradcheck/full/[2,3,1]/m=5', 'fail'),
        check('gradcheck/full/[5,4,1]/m=7', 'pass'),
      ]),
    ).toBeUndefined();
  });
  it('a single example, the activation, the ReLU kink', () => {
    expect(
      conditionsOf([check('gradcheck/full/[6,2,1]/m=1', 'fail'), check('gradcheck/full/[5,4,1]/m=7', 'pass')]),
    ).toBe('only with a single example (m = 1); it passes with more');
    expect(
      conditionsOf([
        check('differential/linear_activation_forward/relu', 'fail'),
        check('differential/linear_activation_forward/sigmoid', 'pass'),
      ]),
    ).toBe('only with activation = "relu" (it passes with "sigmoid")');
    expect(conditionsOf([], 'relu-kink')).toMatch(/^only when an example has Z exactly 0/);
  });
});

describe('syntaxLocation', () => {
  it('cell, line, column, text and message; a reason without a column or a line says what it knows', () => {
    const s = syntaxLocation('SyntaxError at cell 29 line 19, column 12: cost = (invalid syntax)')!;
    expect(s).toEqual({ cell: 29, line: 19, column: 12, text: 'cost =', message: 'invalid syntax' });
    expect(syntaxWhere(s)).toBe('cell 29, line 19, column 12');
    const old = syntaxLocation('SyntaxError at line None: x (invalid syntax)')!;
    expect(syntaxWhere(old)).toBe('');
    expect(syntaxLocation('not defined')).toBeUndefined();
  });
});

describe('warnings on template code', () => {
  const report = (message: string) =>
    ({
      checks: [
        {
          id: 'differential/update_parameters',
          function: 'update_parameters',
          kind: 'differential',
          status: 'warn',
          message: '',
        },
      ],
      warnings: [
        {
          kind: 'mutates-input',
          function: 'update_parameters',
          message,
          why: '',
          checks: ['differential/update_parameters'],
        },
      ],
      missing: [],
      summary: { total: 1, pass: 0, warn: 1, fail: 0, error: 0, skip: 0 },
      detected: {},
    }) as unknown as RunReport;
  it("the older template's assignment into parameters goes to the staff; an array changed in place stays the student's", () => {
    const template = exerciseFeedback(
      report(
        "update_parameters changes parameters['W1'], parameters['b1'], parameters['W2'], parameters['b2'] in place",
      ),
      { points: { update_parameters: 10 } },
    )[0];
    expect(template.warnings).toEqual([]);
    expect(template.internals.join('\n')).toMatch(/template code, not the student's/);
    const own = exerciseFeedback(report("update_parameters changes grads['dW1'] in place"), {
      points: { update_parameters: 10 },
    })[0];
    expect(own.warnings).toHaveLength(1);
    expect(own.warnings[0].effect).toMatch(/^Full marks: the values are right\./);
    // when the policy takes points for warnings, the student is told, template or not
    const costly = exerciseFeedback(report("update_parameters changes parameters['W1'] in place"), {
      points: { update_parameters: 10 },
      earned: { update_parameters: 5 },
    })[0];
    expect(costly.warnings[0].effect).toMatch(/^This costs 5 points under this course's policy/);
    // a failing exercise: its points go with the failure, not the warning (seen: "costs 10 points ... although the
    // values are right" on an update_parameters that also failed)
    const failing = report("update_parameters changes grads['dW1'] in place");
    failing.checks.push({ ...failing.checks[0], id: 'fixture/x/update_parameters', status: 'fail' });
    const lostToFailure = exerciseFeedback(failing, { points: { update_parameters: 10 } })[0];
    expect(lostToFailure.points).toEqual({ earned: 0, possible: 10 });
    expect(lostToFailure.warnings[0].effect).toMatch(
      /^This warning costs nothing by itself: the points are lost to the failure/,
    );
  });
});

describe('runInternals', () => {
  it('writes the objects report.json detects in words, never as [object Object]', () => {
    const report = {
      checks: [],
      warnings: [],
      missing: [],
      seed: 0,
      runs: 10,
      summary: { total: 0, pass: 0, warn: 0, fail: 0, error: 0, skip: 0 },
      detected: {
        precision: {
          precision: 'float32',
          source: 'detected',
          functions: { linear_forward: 'float32', relu: 'float64' },
        },
        loadMode: { mode: 'notebook', why: 'line 2 imports the course tests' },
      },
    } as unknown as RunReport;
    const text = runInternals(report).join('\n');
    expect(text).not.toMatch(/object Object/);
    expect(text).toMatch(/linear_forward/);
    expect(text).toMatch(/loadMode: mode notebook; why line 2 imports the course tests/);
  });
});
