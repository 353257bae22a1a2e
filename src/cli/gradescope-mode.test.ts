/** Which file of a Gradescope upload is graded, and what a student is told when the upload is not one notebook. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickSubmission, uploadResults, withheldResults } from './gradescope-mode.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-upload-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function upload(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('pickSubmission', () => {
  it('grades the one notebook; a .py export, course helpers, checkpoints and macOS droppings beside it are not submissions', () => {
    const dir = upload('nb', {
      'W4A1.ipynb': '{}',
      'W4A1.py': '',
      'dnn_utils.py': '',
      '.ipynb_checkpoints/W4A1-checkpoint.ipynb': '{}',
      '__MACOSX/._W4A1.ipynb': '',
      'report.pdf': '',
    });
    expect(pickSubmission(dir)).toEqual({ file: join(dir, 'W4A1.ipynb') });
  });

  it('grades a lone .py module when there is no notebook', () => {
    const dir = upload('py', { 'solution.py': '', 'testCases.py': '' });
    expect(pickSubmission(dir)).toEqual({ file: join(dir, 'solution.py') });
  });

  it('tells the student what is wrong: several, PDF only, other files, nothing', () => {
    expect(pickSubmission(upload('two-py', { 'a.py': '', 'b.py': '' }))).toEqual({
      kind: 'several',
      message:
        'Your submission has 2 Python files (a.py, b.py): upload exactly one notebook (.ipynb) and submit again.',
    });
    expect(pickSubmission(upload('pdfs', { 'a.pdf': '', 'b.PDF': '' }))).toMatchObject({ kind: 'pdf-only' });
    expect(pickSubmission(upload('zip', { 'W4A1.zip': '' }))).toEqual({
      kind: 'none',
      message: 'No notebook found: upload your .ipynb and submit again. Your submission holds: W4A1.zip.',
    });
    expect(pickSubmission(upload('pdf-and-zip', { 'a.pdf': '', 'a.zip': '' }))).toMatchObject({ kind: 'none' });
  });
});

describe('results.json for Gradescope', () => {
  it('an upload mistake scores 0 on every graded exercise, with the message', () => {
    const r = uploadResults({ kind: 'none', message: 'No notebook found.' }, { linear_forward: 60, compute_cost: 40 });
    expect(r.score).toBe(0);
    expect(r.tests.map((t) => [t.name, t.score, t.max_score, t.output])).toEqual([
      ['linear_forward', 0, 60, 'Not checked: No notebook found.'],
      ['compute_cost', 0, 40, 'Not checked: No notebook found.'],
    ]);
  });

  it('a grader fault has no score anywhere', () => {
    const r = withheldResults('NumPy is missing');
    expect(r).not.toHaveProperty('score');
    expect(r.tests).toEqual([]);
    expect(r.output).toMatch(/not a problem with your work[\s\S]*For the course staff: NumPy is missing$/);
  });
});
