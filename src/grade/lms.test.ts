/**
 * `dnn-verify grade` on an LMS export (Moodle, a folder per student): one row per student with the student's
 * name, a second notebook named on the row and not graded, a byte-identical pair flagged without changing grades,
 * and the policy options. Expected scores from the course's rule (10 points per right exercise) applied by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { asNotebook, correctSource } from '../bench/sample-class.ts';
import { parseCsv } from './gradebook.ts';
import { main } from '../cli/main.ts';
import type { GradeRow } from './row.ts';

const correct = correctSource();
/** linear_forward without "+ b": linear_forward, linear_activation_forward and L_model_forward fail */
const NO_BIAS = correct.replace('Z = np.dot(W, A) + b', 'Z = np.dot(W, A)');

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-lms-'));
  process.env.OPENBLAS_NUM_THREADS = '1';
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function grade(args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const [o, e] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)];
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => {
    err.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(['grade', ...args, '--runs', '2', '--jobs', '2']), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe.skipIf(!hasNumpy())(`grade an LMS export ${numpySkipReason()}`, () => {
  it('one row per student, the second notebook and the copy flagged, grades unchanged; callers keep', async () => {
    expect(NO_BIAS).not.toBe(correct);
    const cls = join(root, 'moodle');
    const put = (student: string, file: string, text: string) => {
      mkdirSync(join(cls, `${student}_assignsubmission_file_`), { recursive: true });
      writeFileSync(join(cls, `${student}_assignsubmission_file_`, file), text);
    };
    put('José Ñúñez_101', 'W4A1 学生.ipynb', asNotebook(correct));
    put('José Ñúñez_101', 'Untitled.ipynb', asNotebook(NO_BIAS));
    put('Bo Li_102', 'W4A1.ipynb', asNotebook(NO_BIAS));
    put('Copy Cat_103', 'W4A1.ipynb', asNotebook(correct));
    const out = join(root, 'out');
    const run = await grade([cls, '--report-dir', out]);
    expect(run.code).toBe(0);
    // the progress line names the student whole
    expect(run.err).toContain('José Ñúñez (');
    const rows = (JSON.parse(readFileSync(join(out, 'class.json'), 'utf8')).rows as GradeRow[]).sort((a, b) =>
      a.student! < b.student! ? -1 : 1,
    );
    expect(rows.map((r) => [r.student, r.id, r.score])).toEqual([
      ['Bo Li', 'Bo Li_102_assignsubmission_file_/W4A1.ipynb', 70],
      ['Copy Cat', 'Copy Cat_103_assignsubmission_file_/W4A1.ipynb', 100],
      ['José Ñúñez', 'José Ñúñez_101_assignsubmission_file_/W4A1 学生.ipynb', 100],
    ]);
    expect(rows[1].flags).toEqual([
      'byte-identical to José Ñúñez (José Ñúñez_101_assignsubmission_file_/W4A1 学生.ipynb)',
    ]);
    expect(rows[2].flags?.[0]).toMatch(
      /^2 files for this student: .*not graded: José Ñúñez_101_assignsubmission_file_\/Untitled.ipynb/,
    );
    expect(rows[2].flags?.[1]).toMatch(/^byte-identical to Copy Cat/);
    expect(rows[0].flags).toBeUndefined();
    const csv = parseCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(
      csv
        .map((r) => r[csv[0].indexOf('student')])
        .slice(1)
        .sort(),
    ).toEqual(['Bo Li', 'Copy Cat', 'José Ñúñez']);
    const html = readFileSync(join(out, 'class.html'), 'utf8');
    expect(html).toMatch(/Flags for the TA \(2\)/);
    expect(html).toContain(
      'href="submissions/Jos%C3%A9_%C3%91%C3%BA%C3%B1ez_101_assignsubmission_file__W4A1_%E5%AD%A6%E7%94%9F.ipynb/report.html"',
    );

    // the same class, callers keep: Bo loses linear_forward's points only; nothing is checked again
    const again = await grade([cls, '--report-dir', out, '--callers', 'keep']);
    expect(again.code).toBe(0);
    const kept = JSON.parse(readFileSync(join(out, 'class.json'), 'utf8')).rows as GradeRow[];
    const bo = kept.find((r) => r.student === 'Bo Li')!;
    expect(bo.score).toBe(90);
    expect(bo.earned.linear_forward).toBe(0);
    expect(bo.earned.L_model_forward).toBe(10);
    expect(readFileSync(join(out, 'class.html'), 'utf8')).toContain('callers keep');

    // every file a row of its own, as before
    const files = await grade([cls, '--report-dir', join(root, 'files'), '--layout', 'files']);
    expect(files.code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'files', 'class.json'), 'utf8')).rows).toHaveLength(4);
  }, 240_000);
});
