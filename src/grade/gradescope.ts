/**
 * Gradescope's autograder results (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output
 * format"), which Otter-Grader writes and reads too: `results/results.json` with a top-level `score` and
 * `execution_time` (seconds), an `output` shown above the tests, and `tests[]`, one per graded notebook function,
 * each with `name`, `score`, `max_score`, `status` (passed/failed), `output` and `visibility`.
 *
 * Outputs are Markdown (`output_format`, `test_output_format` and each test's `output_format`: "md"), written for
 * the student (src/report/exercises.ts): each exercise's points, the root cause in one sentence with the inputs
 * under which it shows, a failing case and its replay, the SyntaxError's place, warnings in the student's terms
 * with their effect on points; what only the staff need (check ids, detected conventions) comes last, under its
 * own heading. Everything the student's code controls goes through mdText (prose: no raw HTML, link or image) or
 * mdFence (code); names stay plain text (`name_format`: "text"). Nothing points to report.html, which students
 * do not see.
 */
import type { RunReport } from '../check/types.ts';
import {
  exerciseFeedback,
  runInternals,
  syntaxLocation,
  syntaxWhere,
  type ExerciseFeedback,
  type SyntaxLocation,
} from '../report/exercises.ts';
import { mdCode, mdFence, mdText } from '../text/escape.ts';
import type { GradeRow } from './row.ts';
import type { Points } from './points.ts';

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
  number?: string;
  output_format: 'md';
  name_format: 'text';
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'md';
  test_output_format: 'md';
  test_name_format: 'text';
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
  stdout_visibility: 'hidden' | 'visible';
  tests: GradescopeTest[];
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);

/** The SyntaxError's place, the line and a caret under its column; `own`: in the function's definition. */
export function syntaxMarkdown(fn: string, s: SyntaxLocation, own = true): string[] {
  const where = syntaxWhere(s);
  const caret = s.column !== undefined && s.column > 0 ? `\n${' '.repeat(s.column - 1)}^` : '';
  return [
    own
      ? `**SyntaxError** in the definition of ${mdCode(fn)}${where ? ` (${mdText(where)})` : ''}: ${mdText(s.message)}. Python could not read the cell, so ${mdCode(fn)} was never defined:`
      : `**SyntaxError**${where ? ` (${mdText(where)})` : ''}: ${mdText(s.message)}. Python could not read this line, so nothing could be checked:`,
    '',
    mdFence(`${s.text}${caret}`),
  ];
}

/** One exercise's output, in Markdown: for the student first, the staff's lines last. */
export function exerciseMarkdown(e: ExerciseFeedback, notChecked?: string): string {
  const lines: string[] = [];
  const pts = e.points ? `${fmt(e.points.earned)} / ${fmt(e.points.possible)} points` : '';
  const passed = e.status === 'pass' || e.status === 'warn';
  // the exercise's own SyntaxError says more than the run's reason (nothing ran, the budget ran out)
  if (notChecked && e.status === 'missing' && !e.syntax) {
    lines.push(`**${pts}**: not checked. ${mdText(notChecked)}`);
    const s = syntaxLocation(notChecked);
    if (s) lines.push('', ...syntaxMarkdown(e.function, s, false));
    return lines.join('\n');
  }
  if (e.status === 'missing') {
    lines.push(`**${pts}**: ${mdText(e.missing ?? `${e.function} is not defined`)}`);
    if (e.syntax) lines.push('', ...syntaxMarkdown(e.function, e.syntax));
  } else if (passed)
    lines.push(
      `**${pts}**: all ${e.checks.total} checks of ${mdCode(e.function)} passed${e.warnings.length ? ', with a warning (below)' : ''}.`,
    );
  else {
    lines.push(`**${pts}**: ${e.checks.failed} of ${e.checks.total} checks of ${mdCode(e.function)} failed.`, '');
    if (e.cause) lines.push(`**What is wrong:** ${mdText(e.cause)}`);
    if (e.conditions) lines.push('', `**When:** ${mdText(e.conditions)}`);
    const c = e.counterexample;
    if (c) {
      lines.push('', `**A failing case:** ${mdText(c.description)}`);
      if (c.expected !== undefined || c.actual !== undefined)
        lines.push('', mdFence(`expected: ${c.expected ?? ''}\nyours:    ${c.actual ?? ''}`));
      if (c.python)
        lines.push('', 'To see it yourself, run this in a cell below your functions:', '', mdFence(c.python, 'python'));
    }
  }
  for (const w of e.warnings) lines.push('', `**Warning:** ${mdText(w.text)}`, '', mdText(w.effect));
  if (e.internals.length)
    lines.push('', '---', '', '*For the course staff:*', '', ...e.internals.map((i) => `- ${mdText(i)}`));
  return lines.join('\n');
}

export function gradescopeResults(
  row: GradeRow,
  report: RunReport | undefined,
  points: Points,
  visibility: GradescopeTest['visibility'] = 'visible',
): GradescopeResults {
  const notChecked = row.verdict === 'error' ? (row.reason ?? 'the submission could not be run') : undefined;
  const exercises = report
    ? exerciseFeedback(report, { points, earned: row.earned })
    : Object.keys(points).map(
        (fn): ExerciseFeedback => ({
          function: fn,
          status: 'missing',
          points: { earned: 0, possible: points[fn] },
          checks: { total: 0, failed: 0 },
          warnings: [],
          internals: [],
        }),
      );
  const tests: GradescopeTest[] = exercises.map((e, i) => {
    const fn = e.function;
    const earned = row.earned[fn] ?? 0;
    return {
      name: fn,
      number: String(i + 1),
      score: earned,
      max_score: points[fn],
      status: row.functions[fn] === 'pass' || row.functions[fn] === 'warn' ? 'passed' : 'failed',
      output: exerciseMarkdown(
        { ...e, points: { earned, possible: points[fn] } },
        e.status === 'missing' ? notChecked : undefined,
      ),
      output_format: 'md',
      name_format: 'text',
      visibility,
    };
  });
  const head =
    row.verdict === 'error'
      ? `dnn-verify could not check this submission: ${mdText(row.reason ?? 'unknown reason')}`
      : `**Score: ${fmt(row.score)} / ${fmt(row.maxScore)}.** dnn-verify verdict: ${row.verdict.toUpperCase()} (${row.checks.pass} checks passed, ${row.checks.fail} failed, ${row.checks.error} errors${row.warnings ? `, ${row.warnings} passed with warnings` : ''}). Each exercise below says what is wrong, when, and how to replay it; a warning is explained where it occurs and costs no points unless it says so.`;
  const staff = report ? runInternals(report, points) : [];
  const summary = [
    head,
    ...(staff.length ? ['', '---', '', '*For the course staff:*', '', ...staff.map((l) => `- ${mdText(l)}`)] : []),
  ].join('\n');
  return {
    score: row.score,
    execution_time: Math.max(0, Math.round(row.durationMs / 1000)),
    output: summary,
    output_format: 'md',
    test_output_format: 'md',
    test_name_format: 'text',
    visibility,
    stdout_visibility: 'hidden',
    tests,
  };
}
