#!/usr/bin/env node
/**
 * Scores a `grade` run of a class laid out by scripts/lms-layout.mjs against the corpus labels:
 * wrong grades (a correct file not at full marks, or a buggy file that keeps the points of a graded function its
 * label names), rows a TA did not expect (one per student is expected), and the flags the planted cases got.
 *
 * usage: node scripts/lms-score.mjs --class DIR (lms-layout's OUT) --layout flat|folders --report REPORT_DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { class: { type: 'string' }, layout: { type: 'string' }, report: { type: 'string' } },
});
const expected = JSON.parse(readFileSync(join(values.class, 'expected.json'), 'utf8'));
const state = JSON.parse(readFileSync(join(values.report, 'class.json'), 'utf8'));
const key = values.layout === 'flat' ? 'flat' : 'folder';
const byId = new Map(state.rows.map((r) => [r.id, r]));
const wrong = [];
let checked = 0;
for (const e of expected) {
  const row = byId.get(e[key]);
  if (!row) {
    wrong.push(`${e.student}: no row for ${e[key]} (another file was graded)`);
    continue;
  }
  checked++;
  if (e.label === 'correct') {
    if (row.score !== row.maxScore) wrong.push(`${e.student} (correct): ${row.score}/${row.maxScore} ${row.verdict}`);
  } else {
    const kept = e.bugs.map((b) => b.function).filter((f) => (row.earned?.[f] ?? 0) > 0);
    if (kept.length) wrong.push(`${e.student} (buggy): keeps the points of ${kept.join(', ')}`);
  }
}
const expectedIds = new Set(expected.map((e) => e[key]));
const extra = state.rows.filter((r) => !expectedIds.has(r.id)).map((r) => r.id);
const flagged = expected
  .filter((e) => e.planted)
  .map((e) => {
    const row = byId.get(e[key]);
    return `${e.student}: ${e.planted} -> ${row?.flags?.length ? row.flags.join(' | ') : 'no flag'}`;
  });
const others = state.rows
  .filter((r) => r.flags?.length && !expected.some((e) => e.planted && e[key] === r.id))
  .map((r) => `${r.student ?? r.id}: ${r.flags.join(' | ')}`);
process.stdout.write(
  `${JSON.stringify({ rows: state.rows.length, students: expected.length, checked, wrong, extra, flagged, otherFlags: others }, null, 1)}\n`,
);
