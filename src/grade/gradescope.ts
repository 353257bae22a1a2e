/**
 * Gradescope's autograder results (https://gradescope-autograders.readthedocs.io/en/latest/specs/, "Output
 * format"), which Otter-Grader writes and reads too: `results/results.json` with a top-level `score` and
 * `execution_time` (seconds), an `output` shown above the tests, and `tests[]`, one per graded notebook function,
 * each with `name`, `score`, `max_score`, `status` (passed/failed), `output` and `visibility`.
 *
 * Every output is declared plain text (`output_format`, `test_output_format`, `test_name_format` and each test's
 * `output_format`, `name_format`: "text"): Gradescope's default, simple_format, would let HTML and links from a
 * student's exception through; and control characters are shown as visible escapes (src/text/escape.ts).
 */
import type { RunReport } from '../check/types.ts';
import { showControls } from '../text/escape.ts';
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
  output_format: 'text';
  name_format: 'text';
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  visibility: 'visible' | 'hidden' | 'after_due_date' | 'after_published';
  stdout_visibility: 'hidden' | 'visible';
  tests: GradescopeTest[];
}

const OUTPUT_LINES = 8;

function testOutput(fn: string, row: GradeRow, report: RunReport | undefined): string {
  const status = row.functions[fn] ?? 'missing';
  if (status === 'missing')
    return row.verdict === 'error'
      ? `Not checked: ${row.reason ?? 'the submission could not be run'}`
      : `${fn} is not defined in the submission (or none of its checks ran).`;
  const checks = (report?.checks ?? []).filter((c) => c.function === fn);
  const bad = checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (bad.length === 0) {
    const n = checks.filter((c) => c.status === 'pass' || (c.status as string) === 'warn').length;
    const warn = status === 'warn' ? ' (with warnings: see report.html)' : '';
    return `All ${n} checks of ${fn} passed${warn}.`;
  }
  const lines = bad
    .slice(0, OUTPUT_LINES)
    .map((c) => `- ${c.status.toUpperCase()} ${c.id}: ${c.message.split('\n')[0]}`);
  if (bad.length > OUTPUT_LINES) lines.push(`- ... and ${bad.length - OUTPUT_LINES} more (see report.html)`);
  const head = row.diagnoses.find((d) => d.function === fn)?.text;
  return [head ? `Diagnosis: ${head}` : '', `${bad.length} of ${checks.length} checks of ${fn} failed:`, ...lines]
    .filter(Boolean)
    .join('\n');
}

export function gradescopeResults(
  row: GradeRow,
  report: RunReport | undefined,
  points: Points,
  visibility: GradescopeTest['visibility'] = 'visible',
): GradescopeResults {
  const tests: GradescopeTest[] = Object.entries(points).map(([fn, max], i) => {
    const earned = row.earned[fn] ?? 0;
    return {
      name: fn,
      number: String(i + 1),
      score: earned,
      max_score: max,
      status: row.functions[fn] === 'pass' || row.functions[fn] === 'warn' ? 'passed' : 'failed',
      output: showControls(testOutput(fn, row, report)),
      output_format: 'text',
      name_format: 'text',
      visibility,
    };
  });
  const summary =
    row.verdict === 'error'
      ? `dnn-verify could not check this submission: ${row.reason ?? 'unknown reason'}`
      : `dnn-verify verdict: ${row.verdict.toUpperCase()} (${row.checks.pass} checks passed, ${row.checks.fail} failed, ${row.checks.error} errors${row.warnings ? `, ${row.warnings} warnings` : ''}).`;
  return {
    score: row.score,
    execution_time: Math.max(0, Math.round(row.durationMs / 1000)),
    output: showControls(summary),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility,
    stdout_visibility: 'hidden',
    tests,
  };
}
