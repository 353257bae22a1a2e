/**
 * LMS layouts: which student a file belongs to, one row per student, which of a student's files is graded, and
 * names kept intact (progress lines, report folders). Expected values written by hand from the LMSs' export names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSubmissions, safeDirName } from './discover.ts';
import { chooseSubmission, othersFlag, studentOf } from './students.ts';
import { progressName } from './progress.ts';
import { renderGradebook, parseCsv } from './gradebook.ts';
import { COURSE_POINTS } from './points.ts';
import { score, type GradeRow } from './row.ts';

let root: string;
const put = (path: string, bytes = 1) => {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), 'x'.repeat(bytes));
};
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-students-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('studentOf: the LMS export names', () => {
  it('a folder is the student; Moodle folder names lose their id and suffix', () => {
    expect(studentOf(['José Ñúñez_123456_assignsubmission_file_', 'W4A1.ipynb'])).toEqual({
      key: 'dir:José Ñúñez_123456_assignsubmission_file_',
      name: 'José Ñúñez',
    });
    expect(studentOf(['alice', 'week4', 'nb.ipynb'])).toEqual({ key: 'dir:alice', name: 'alice' });
  });
  it('flat names: Canvas, Moodle without folders, Blackboard; anything else is its own student', () => {
    expect(studentOf(['smithjane_LATE_4021_77310_W4A1.ipynb'])).toEqual({
      key: 'canvas:smithjane_4021',
      name: 'smithjane',
    });
    expect(studentOf(['smithjane_4021_77311_W4A1-1.ipynb']).key).toBe('canvas:smithjane_4021');
    expect(studentOf(['Jane Smith_4021_assignsubmission_file_W4A1.ipynb'])).toEqual({
      key: 'moodle:Jane Smith_4021',
      name: 'Jane Smith',
    });
    expect(studentOf(['W4A1_jsmith_attempt_2026-11-30-10-00-00_nb.ipynb'])).toEqual({
      key: 'blackboard:jsmith',
      name: 'jsmith',
      attempt: '2026-11-30-10-00-00',
    });
    expect(studentOf(['bob_W4A1.ipynb'])).toEqual({ key: 'file:bob_W4A1.ipynb', name: 'bob_W4A1.ipynb' });
  });
});

describe('chooseSubmission: the documented order', () => {
  const c = (id: string, size = 10, depth = 0, attempt?: string) => ({ id, size, depth, attempt });
  it('notebook before module, no draft mark, latest attempt, shallowest, largest, then the id', () => {
    expect(chooseSubmission([c('a/x.py', 99), c('a/x.ipynb')]).id).toBe('a/x.ipynb');
    expect(chooseSubmission([c('a/Untitled.ipynb', 99), c('a/W4A1.ipynb')]).id).toBe('a/W4A1.ipynb');
    expect(chooseSubmission([c('a/W4A1 - Copy.ipynb', 99), c('a/W4A1 (1).ipynb'), c('a/mine.ipynb')]).id).toBe(
      'a/mine.ipynb',
    );
    expect(
      chooseSubmission([c('x_1.ipynb', 9, 0, '2026-11-30-10-00-00'), c('x_2.ipynb', 1, 0, '2026-12-01-09-00-00')]).id,
    ).toBe('x_2.ipynb');
    expect(chooseSubmission([c('a/deep/x.ipynb', 99, 1), c('a/y.ipynb', 1, 0)]).id).toBe('a/y.ipynb');
    expect(chooseSubmission([c('a/x.ipynb', 1), c('a/y.ipynb', 2)]).id).toBe('a/y.ipynb');
    // ties on everything but the name: the same answer in any order of listing
    expect(chooseSubmission([c('a/b.ipynb'), c('a/a.ipynb')]).id).toBe('a/a.ipynb');
    expect(chooseSubmission([c('a/a.ipynb'), c('a/b.ipynb')]).id).toBe('a/a.ipynb');
  });
});

describe('discoverSubmissions: one row per student', () => {
  it('a folder per student (Moodle): one row each, a second notebook named on the row', () => {
    put('moodle/José Ñúñez_1_assignsubmission_file_/W4A1 学生.ipynb', 50);
    put('moodle/José Ñúñez_1_assignsubmission_file_/Untitled.ipynb', 500);
    put('moodle/Bo Li_2_assignsubmission_file_/sub/W4A1.ipynb');
    put('moodle/Bo Li_2_assignsubmission_file_/W4A1.py');
    put('moodle/__MACOSX/Bo Li_2_assignsubmission_file_/._W4A1.ipynb');
    const subs = discoverSubmissions([join(root, 'moodle')]);
    expect(subs.map((s) => [s.student, s.id, s.others])).toEqual([
      ['Bo Li', 'Bo Li_2_assignsubmission_file_/sub/W4A1.ipynb', ['Bo Li_2_assignsubmission_file_/W4A1.py']],
      [
        'José Ñúñez',
        'José Ñúñez_1_assignsubmission_file_/W4A1 学生.ipynb',
        ['José Ñúñez_1_assignsubmission_file_/Untitled.ipynb'],
      ],
    ]);
    // Unicode kept in the report folder's name, separators made safe
    expect(subs[1].dirName).toBe('José_Ñúñez_1_assignsubmission_file__W4A1_学生.ipynb');
    expect(othersFlag(subs[1])).toMatch(
      /^2 files for this student: graded José Ñúñez_1_assignsubmission_file_\/W4A1 学生.ipynb; not graded: José Ñúñez_1_assignsubmission_file_\/Untitled.ipynb/,
    );
    // every file its own row when asked
    expect(discoverSubmissions([join(root, 'moodle')], { layout: 'files' }).length).toBe(4);
  });
  it('a flat Canvas folder: grouped by student; plain names stay one row per file', () => {
    put('canvas/smithjane_4021_77310_W4A1.ipynb');
    put('canvas/smithjane_4021_77310_Untitled.ipynb', 100);
    put('canvas/doejohn_LATE_4022_77311_W4A1.ipynb');
    put('canvas/carol.py');
    const subs = discoverSubmissions([join(root, 'canvas')]);
    expect(subs.map((s) => [s.student, s.id])).toEqual([
      ['carol.py', 'carol.py'],
      ['doejohn', 'doejohn_LATE_4022_77311_W4A1.ipynb'],
      ['smithjane', 'smithjane_4021_77310_W4A1.ipynb'],
    ]);
    expect(subs[2].others).toEqual(['smithjane_4021_77310_Untitled.ipynb']);
  });
});

describe('names intact', () => {
  it('progress lines keep the student whole and cut the path in the middle', () => {
    const id =
      'Maria Fernanda Gonzalez Rodriguez_123456_assignsubmission_file_/Building_your_Deep_Neural_Network_Step_by_Step_v8a.ipynb';
    const line = progressName(id, 'Maria Fernanda Gonzalez Rodriguez');
    expect(line.startsWith('Maria Fernanda Gonzalez Rodriguez (')).toBe(true);
    expect(line).toContain('…');
    expect(Array.from(line).length).toBeLessThanOrEqual(64);
    // no student: the file's name whole, the folders cut
    const flat = `${'deep/'.repeat(20)}José_Ñúñez_W4A1_学生.ipynb`;
    expect(progressName(flat).endsWith('/José_Ñúñez_W4A1_学生.ipynb')).toBe(true);
    expect(progressName('a.py')).toBe('a.py');
  });
  it('report folders: Unicode kept, no separators or controls, 200 bytes at most', () => {
    expect(safeDirName('José_Ñúñez_W4A1_学生.ipynb')).toBe('José_Ñúñez_W4A1_学生.ipynb');
    expect(safeDirName('a/b\\c\u0007\u001b[31m.py')).toBe('a_b_c_31m.py');
    const long = safeDirName(`${'学生'.repeat(100)}.ipynb`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.startsWith('学生')).toBe(true);
  });
  it('the gradebook has the student and the flags, Unicode intact', () => {
    const functions = Object.fromEntries(Object.keys(COURSE_POINTS).map((f) => [f, 'pass' as const]));
    const r: GradeRow = {
      id: 'José Ñúñez_1_assignsubmission_file_/W4A1 学生.ipynb',
      dir: 'submissions/x',
      verdict: 'pass',
      functions,
      warnings: 0,
      checks: { pass: 1, fail: 0, error: 0, skip: 0, warn: 0 },
      durationMs: 1,
      ...score(functions, COURSE_POINTS),
      diagnoses: [],
      contentHash: 'c',
      optionsHash: 'o',
      gradedAt: '',
      student: 'José Ñúñez',
      flags: ['byte-identical to Bo Li', '2 files for this student'],
    };
    const csv = parseCsv(renderGradebook([r], COURSE_POINTS));
    expect(csv[1][csv[0].indexOf('student')]).toBe('José Ñúñez');
    expect(csv[1][csv[0].indexOf('flags')]).toBe('byte-identical to Bo Li; 2 files for this student');
    expect(csv[1][0]).toBe('José Ñúñez_1_assignsubmission_file_/W4A1 学生.ipynb');
  });
});
