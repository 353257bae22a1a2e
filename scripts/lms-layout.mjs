#!/usr/bin/env node
/**
 * Lays the week-4 corpus (its manifest: one real implementation per entry, labelled correct or buggy) out as a
 * class in the two shapes LMS exports take, for measuring `grade` on them (docs/measurements/lms-class-*.md):
 *
 *   OUT/flat/     Canvas: every file in one folder, named `name_userid_submissionid_original.ipynb`
 *   OUT/folders/  Moodle: a folder per student, `Full Name_userid_assignsubmission_file_/original.ipynb`
 *   OUT/expected.json  for each row a TA expects: the student, the corpus entry graded, its label and bugs
 *
 * Planted in both: a student whose file is byte-identical to a correct classmate's ("Copy Cat"), one whose file is
 * that classmate's with comments added and outputs cleared ("Near Copy"), and a second notebook (an earlier
 * draft: a buggy classmate's code, under `Untitled.ipynb` / `..._Untitled.ipynb`) beside a correct student's own.
 * The students' files are copied from the corpus, never committed.
 *
 * usage: node scripts/lms-layout.mjs [--manifest /work/corpus/manifest.json] --out DIR
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { manifest: { type: 'string', default: '/work/corpus/manifest.json' }, out: { type: 'string' } },
});
if (!values.out) {
  process.stderr.write('usage: node scripts/lms-layout.mjs [--manifest FILE] --out DIR\n');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(values.manifest, 'utf8'));
const out = values.out;
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'flat'), { recursive: true });
mkdirSync(join(out, 'folders'), { recursive: true });

/** A few students have names outside ASCII, as real classes do. */
const UNICODE = ['José Ñúñez', 'Łukasz Wójcik', '王小明', 'Zoë Ångström'];
const students = manifest.map((e, i) => {
  const display = i < UNICODE.length ? UNICODE[i] : `Student ${e.id}`;
  // Canvas writes the name in lower case letters only, without separators
  const canvas = display.toLowerCase().replace(/[^\p{L}]/gu, '') || `student${i}`;
  return { entry: e, display, canvas, user: 1000 + i, submission: 50000 + i };
});

const expected = [];
function place(s, file, original) {
  const name = basename(original);
  const flat = `${s.canvas}_${s.user}_${s.submission}_${name}`;
  copyFileSync(file, join(out, 'flat', flat));
  const folder = `${s.display}_${s.user}_assignsubmission_file_`;
  mkdirSync(join(out, 'folders', folder), { recursive: true });
  copyFileSync(file, join(out, 'folders', folder, name));
  return { flat, folder: `${folder}/${name}` };
}

for (const s of students) {
  const at = place(s, s.entry.file, s.entry.path);
  expected.push({
    student: s.display,
    corpus: s.entry.id,
    label: s.entry.label.split(':')[0],
    bugs: s.entry.bugs,
    ...at,
  });
}

const correctIpynb = students.filter((s) => s.entry.label === 'correct' && s.entry.format === 'ipynb');
const buggyIpynb = students.filter((s) => s.entry.label !== 'correct' && s.entry.format === 'ipynb');
const original = correctIpynb[1];
let next = students.length;
const planted = (display) => ({
  display,
  canvas: display.toLowerCase().replace(/[^\p{L}]/gu, ''),
  user: 1000 + next,
  submission: 50000 + next++,
});

// a byte-identical copy
{
  const s = planted('Copy Cat');
  const at = place(s, original.entry.file, original.entry.path);
  expected.push({
    student: s.display,
    corpus: original.entry.id,
    label: 'correct',
    bugs: [],
    ...at,
    planted: `byte-identical to ${original.display}`,
  });
}
// the same code with a comment in every code cell and the outputs cleared
{
  const s = planted('Near Copy');
  const nb = JSON.parse(readFileSync(original.entry.file, 'utf8'));
  for (const cell of nb.cells ?? [])
    if (cell.cell_type === 'code') {
      const src = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
      cell.source = `# my own work, honestly\n${src}`;
      cell.outputs = [];
      cell.execution_count = null;
    }
  const tmp = join(out, 'near-copy.ipynb');
  writeFileSync(tmp, JSON.stringify(nb, null, 2));
  const at = place(s, tmp, original.entry.path);
  rmSync(tmp);
  expected.push({
    student: s.display,
    corpus: original.entry.id,
    label: 'correct',
    bugs: [],
    ...at,
    planted: `near-identical to ${original.display} (comments added, outputs cleared)`,
  });
}
// a second notebook beside a correct student's own: an earlier draft (a buggy classmate's code)
{
  const owner = correctIpynb[2];
  const draft = buggyIpynb[0];
  const row = expected.find((x) => x.corpus === owner.entry.id);
  copyFileSync(draft.entry.file, join(out, 'flat', `${owner.canvas}_${owner.user}_${owner.submission}_Untitled.ipynb`));
  copyFileSync(draft.entry.file, join(out, 'folders', row.folder.split('/')[0], 'Untitled.ipynb'));
  row.planted = `a second notebook, Untitled.ipynb (an earlier draft with ${draft.display}'s buggy code)`;
  row.extra = {
    flat: `${owner.canvas}_${owner.user}_${owner.submission}_Untitled.ipynb`,
    folder: `${row.folder.split('/')[0]}/Untitled.ipynb`,
  };
}
writeFileSync(join(out, 'expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
process.stdout.write(`${expected.length} students in ${out}/flat and ${out}/folders\n`);
