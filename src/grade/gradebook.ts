/**
 * gradebook.csv: one row per submission (RFC 4180: comma-separated, every text field quoted, quotes doubled, cells
 * defused for spreadsheets whatever their delimiter: `csvField` in src/text/escape.ts; numbers plain). Columns: id, verdict, score, max_score, one status column per function (graded ones
 * first, in the points' order, then any other notebook function the class defines), warnings, checks passed /
 * failed / errors, seconds, reason, report, student (src/grade/students.ts; empty where the file is its own student), flags (the student's other files,
 * duplicates: for the TA; they change no score).
 */
import { FUNCTION_NAMES } from '../engine/catalogue.ts';
import type { GradeRow } from './row.ts';
import type { Points } from './points.ts';
import { csvField } from '../text/escape.ts';

export { csvField };

/** Function columns: the graded ones, then the others any row has, in catalogue order. */
export function functionColumns(rows: GradeRow[], points: Points): string[] {
  const graded = Object.keys(points);
  const seen = new Set(rows.flatMap((r) => Object.keys(r.functions).filter((f) => r.functions[f] !== 'missing')));
  return [...graded, ...FUNCTION_NAMES.filter((f) => seen.has(f) && !graded.includes(f))];
}

export function renderGradebook(rows: GradeRow[], points: Points): string {
  const fns = functionColumns(rows, points);
  const header = [
    'id',
    'verdict',
    'score',
    'max_score',
    ...fns,
    'warnings',
    'checks_passed',
    'checks_failed',
    'checks_errored',
    'seconds',
    'reason',
    'report',
    'student',
    'flags',
  ];
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.verdict,
        r.score,
        r.maxScore,
        ...fns.map((f) => r.functions[f] ?? 'missing'),
        r.warnings,
        r.checks.pass + r.checks.warn,
        r.checks.fail,
        r.checks.error,
        Number((r.durationMs / 1000).toFixed(2)),
        r.reason ?? '',
        `${r.dir}/report.html`,
        // empty where the file is its own student: the id already names it (and a name is written once)
        r.student !== undefined && r.student !== r.id ? r.student : '',
        (r.flags ?? []).join('; '),
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Parses the CSV this module writes (quoted fields, doubled quotes, CRLF); for tests and merge checks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
