/**
 * Feedback a student can act on, in Gradescope's results.json (Markdown per exercise) and report.html: each
 * exercise's points, the root cause with the inputs under which it shows (derived from which checks failed and
 * which passed), the replay, the SyntaxError's place (line, column, the line's text), warnings in the student's
 * terms with their effect on points (never "see report.html"), and the internals last, below a fold.
 * Engines are variants of the reference written here, run in-process.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine, Value } from '../engine/engine.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import type { RunReport } from '../check/types.ts';
import { renderHtml } from '../report/html.ts';
import { gradientsToVector, layoutOf } from '../gradcheck/vector.ts';
import { pythonEngine } from '../adapters/index.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { gradescopeResults, type GradescopeResults } from './gradescope.ts';
import { errorRow, rowFromReport } from './row.ts';
import { COURSE_POINTS } from './points.ts';

const ref = new ReferenceEngine();
type Impl = (args: Value[], e: Engine) => Promise<Value>;

function variant(name: string, overrides: Record<string, Impl>): Engine {
  const engine: Engine = {
    name,
    functions: () => ref.functions(),
    call: (fn, args) => (overrides[fn] ? overrides[fn]([...args], engine) : ref.call(fn, args)),
    close: async () => {},
  };
  return engine;
}

/**
 * L_model_backward whose loop takes the sigmoid's derivative for every hidden layer but the last (the activation
 * chosen by the wrong index): right for 1 and 2 layers, wrong from 3 on.
 */
const hiddenSigmoid: Impl = async ([AL, Y, caches], e) => {
  const cs = caches as Value[];
  const L = cs.length;
  const a = (AL as NDArray).data;
  const y = (Y as NDArray).data;
  let dA: Value = new NDArray(
    a.map((v, i) => -(y[i] / v - (1 - y[i]) / (1 - v))),
    (AL as NDArray).shape,
  );
  const grads: Record<string, Value> = {};
  for (let l = L; l >= 1; l--) {
    const act = l === L ? 'sigmoid' : l === L - 1 ? 'relu' : 'sigmoid';
    const [dA_prev, dW, db] = (await e.call('linear_activation_backward', [dA, cs[l - 1], act])) as Value[];
    Object.assign(grads, { [`dA${l - 1}`]: dA_prev, [`dW${l}`]: dW, [`db${l}`]: db });
    dA = dA_prev;
  }
  return grads;
};

/** compute_cost returning a 0-d array (np.squeeze's result): right values, a scalar-type warning. */
const zeroD: Impl = async (args) => NDArray.scalar((await ref.call('compute_cost', args)) as number);

async function graded(engine: Engine) {
  const report: RunReport = await runSuites(engine, ref, allSuites(), { seed: 0, runs: 10 });
  const row = rowFromReport(
    report,
    { id: engine.name, dir: '.', durationMs: 1, contentHash: '', optionsHash: '' },
    { ...COURSE_POINTS },
  );
  const gs = gradescopeResults(row, report, { ...COURSE_POINTS });
  const test = (fn: string) => gs.tests.find((t) => t.name === fn)!;
  return { report, row, gs, test };
}

/** The part of an output a student reads: everything before the staff's section. */
const studentPart = (s: string) => s.split('\n---\n')[0];

describe('results.json: each exercise, for the student', () => {
  it('a bug that shows only from 3 layers on: points, the cause, when it shows, a replay; internals last', async () => {
    const { gs, test, row } = await graded(variant('stuck-loop', { L_model_backward: hiddenSigmoid }));
    const t = test('L_model_backward');
    expect([t.score, t.max_score, t.status]).toEqual([0, 10, 'failed']);
    expect(t.output).toMatch(/^\*\*0 \/ 10 points\*\*: \d+ of \d+ checks of `L_model_backward` failed\./);
    expect(t.output).toContain('**What is wrong:** L');
    expect(t.output).toContain('**When:** only with networks of 3 or more layers (it passes with 1, 2 layers)');
    expect(t.output).toMatch(/```python\nimport numpy as np\n/);
    // check ids, the diagnosis's source: after the rule, for the staff
    const student = studentPart(t.output);
    expect(student).not.toMatch(/gradcheck\/|differential\/|property\/|pattern:/);
    const staff = t.output.slice(student.length);
    expect(staff).toContain('For the course staff');
    // ids stay readable in Markdown: the brackets escaped, not taken for a link
    expect(staff).toContain('failing checks: gradcheck/full/\\[4,3,2,1\\]/m=3');
    // the whole results.json: Markdown outputs, the score first, conventions only in the staff's section
    expect([gs.output_format, gs.test_output_format, gs.test_name_format, t.output_format]).toEqual([
      'md',
      'md',
      'text',
      'md',
    ]);
    expect(gs.output).toMatch(new RegExp(`^\\*\\*Score: ${row.score} / 100\\.\\*\\*`));
    expect(studentPart(gs.output)).not.toMatch(/gradsConvention|initVariant/);
    expect(gs.output).toMatch(/For the course staff[\s\S]*gradsConvention: dA\{l-1\}/);
    expect(JSON.stringify(gs)).not.toMatch(/undefined|report\.html/);
  }, 60_000);

  it('a pass with a warning: full marks, the warning in plain terms, and no "see report.html"', async () => {
    const { test } = await graded(variant('zero-d-cost', { compute_cost: zeroD }));
    const t = test('compute_cost');
    expect([t.score, t.status]).toEqual([10, 'passed']);
    expect(t.output).toMatch(/^\*\*10 \/ 10 points\*\*: all \d+ checks of `compute_cost` passed, with a warning/);
    expect(t.output).toContain('**Warning:** compute_cost returns a 0-d array, not a float.');
    expect(t.output).toMatch(/Full marks: the values are right\. .*float\(cost\)/);
    expect(t.output).not.toMatch(/report\.html/);
  }, 60_000);

  it('a SyntaxError: its line, column and text, in results.json and report.html', async () => {
    const { report } = await graded(variant('plain', {}));
    const broken: RunReport = {
      ...report,
      checks: report.checks.filter((c) => c.function !== 'linear_forward'),
      missing: [
        {
          function: 'linear_forward',
          reason: 'SyntaxError at cell 12 line 3, column 16: Z = np.dot(W A) + b (invalid syntax)',
        },
      ],
    };
    const row = rowFromReport(
      broken,
      { id: 'x', dir: '.', durationMs: 1, contentHash: '', optionsHash: '' },
      { ...COURSE_POINTS },
    );
    const gs: GradescopeResults = gradescopeResults(row, broken, { ...COURSE_POINTS });
    const out = gs.tests.find((t) => t.name === 'linear_forward')!.output;
    expect(out).toContain(
      '**SyntaxError** in the definition of `linear_forward` (cell 12, line 3, column 16): invalid syntax',
    );
    expect(out).toContain('```\nZ = np.dot(W A) + b\n               ^\n```');
    const html = renderHtml(broken, { points: { ...COURSE_POINTS }, earned: row.earned });
    expect(html).toContain('<b>SyntaxError</b> at cell 12, line 3, column 16: invalid syntax');
    expect(html).toContain('<pre>Z = np.dot(W A) + b\n               ^</pre>');
    // a reason without a column or a line never reads "undefined"
    const old = gradescopeResults(
      row,
      { ...broken, missing: [{ function: 'linear_forward', reason: 'SyntaxError at line None: x (invalid syntax)' }] },
      { ...COURSE_POINTS },
    );
    expect(JSON.stringify(old)).not.toContain('undefined');
    // the run's own SyntaxError (a shell line in the first cell) is not put in any function's definition
    const shell = errorRow(
      { id: 'y', dir: '.', durationMs: 1, contentHash: '', optionsHash: '' },
      "SyntaxError at cell 1 line 1, column 4: cd '/content/drive' (invalid syntax)",
      { ...COURSE_POINTS },
    );
    const first = gradescopeResults(shell, undefined, { ...COURSE_POINTS }).tests[0].output;
    expect(first).toContain(
      '**SyntaxError** (cell 1, line 1, column 4): invalid syntax. Python could not read this line',
    );
    expect(first).not.toContain('in the definition of');
  }, 60_000);

  it('a gradient that is not an array is named, not a TypeError of ours', () => {
    const layout = layoutOf({ W1: NDArray.zeros([1, 3]), b1: NDArray.zeros([1, 1]) });
    expect(() => gradientsToVector({ dW1: NDArray.zeros([1, 3]), db1: 0.5 as never }, layout)).toThrow(
      /^db1 is .*; the notebook's is an array of shape \(1, 1\)$/,
    );
  });
});

describe('report.html: the score, each exercise, internals in a fold', () => {
  it('points per exercise and the score; conventions and the warnings table after every exercise, folded', async () => {
    const { report, row } = await graded(variant('both', { L_model_backward: hiddenSigmoid, compute_cost: zeroD }));
    const html = renderHtml(report, { points: { ...COURSE_POINTS }, earned: row.earned });
    expect(html).toContain(`Score: <b>${row.score} / 100</b> points`);
    expect(html).toMatch(/<h3><code>L_model_backward<\/code> — 0 \/ 10 points/);
    expect(html).toMatch(
      /<h3><code>compute_cost<\/code> — 10 \/ 10 points <span class="small">\(passed, with a warning\)/,
    );
    expect(html).toContain('<b>When:</b> only with networks of 3 or more layers');
    const lastExercise = html.lastIndexOf('<section class="exercise');
    const fold = html.indexOf('<details class="internals"><summary>For the course staff: detected');
    expect(fold).toBeGreaterThan(lastExercise);
    expect(html.indexOf('gradsConvention')).toBeGreaterThan(fold);
    expect(html.indexOf('<h2>Warnings</h2>')).toBeGreaterThan(fold);
  }, 60_000);
});

describe.skipIf(!hasNumpy())(`a real notebook module's SyntaxError ${numpySkipReason()}`, () => {
  it('Python gives the column: results.json shows line, column and the text', async () => {
    const base = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py'), 'utf8');
    const from = 'Z = np.dot(W, A) + b';
    expect(base).toContain(from);
    const dir = mkdtempSync(join(tmpdir(), 'feedback-'));
    const file = join(dir, 'student.py');
    writeFileSync(file, base.replace(from, 'Z = np.dot(W A) + b'));
    const engine = pythonEngine(file, { timeoutMs: 5000 });
    try {
      const report = await runSuites(engine, ref, allSuites(), {
        seed: 0,
        runs: 5,
        functions: ['linear_forward', 'relu'],
      });
      const row = rowFromReport(
        report,
        { id: 'student.py', dir: '.', durationMs: 1, contentHash: '', optionsHash: '' },
        { ...COURSE_POINTS },
      );
      const out = gradescopeResults(row, report, { ...COURSE_POINTS }).tests.find(
        (t) => t.name === 'linear_forward',
      )!.output;
      expect(out).toMatch(/\*\*SyntaxError\*\* in the definition of `linear_forward` \(line \d+, column \d+\)/);
      expect(out).toMatch(/```\nZ = np\.dot\(W A\) \+ b\n +\^\n```/);
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
