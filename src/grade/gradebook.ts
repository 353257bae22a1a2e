/**
 * gradebook.csv: one row per submission (RFC 4180: comma-separated, every text field quoted, quotes doubled, cells
 * defused for spreadsheets whatever their delimiter: `csvField` in src/text/escape.ts; numbers plain). Columns: id,
 * assignment, verdict, score, max_score, one status column per function (graded ones first, in the points' order,
 * then any other function of the assignment the class defines), warnings, checks passed / failed / errors,
 * seconds, reason, report, student (src/grade/students.ts; empty where the file is its own student), flags (the
 * student's other files, duplicates: for the TA; they change no score). A class of several assignments has each
 * one's function columns, named `<assignment>:<function>` (week 3's compute_cost is not week 4's), empty for the
 * other assignments' rows.
 */
import { FUNCTION_NAMES } from '../engine/catalogue.ts';
import { ASSIGNMENTS, assignmentById } from '../assignments/index.ts';
import type { GradeRow } from './row.ts';
import type { ClassPoints, Points } from './points.ts';
import { csvField } from '../text/escape.ts';

export { csvField };

/** Function columns: the graded ones, then the others any row has, in the assignment's order (default week 4's). */
export function functionColumns(rows: GradeRow[], points: Points, assignment?: string): string[] {
  const graded = Object.keys(points);
  const order = assignmentById(assignment ?? '')?.functions.map((f) => f.name) ?? FUNCTION_NAMES;
  const seen = new Set(rows.flatMap((r) => Object.keys(r.functions).filter((f) => r.functions[f] !== 'missing')));
  return [...graded, ...order.filter((f) => seen.has(f) && !graded.includes(f))];
}

/** A class's rows by assignment: registry order, then ids not registered, then rows of none (did not load). */
export function byAssignment(rows: GradeRow[]): { assignment: string | undefined; rows: GradeRow[] }[] {
  const ids = [...new Set(rows.map((r) => r.assignment))];
  const rank = (id: string | undefined) => {
    const i = ASSIGNMENTS.findIndex((a) => a.id === id);
    return id === undefined ? ASSIGNMENTS.length + 1 : i < 0 ? ASSIGNMENTS.length : i;
  };
  return ids
    .sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b)))
    .map((assignment) => ({ assignment, rows: rows.filter((r) => r.assignment === assignment) }));
}

/** The gradebook's function columns: a header and which row status it shows. */
export interface FunctionColumn {
  header: string;
  assignment: string | undefined;
  fn: string;
}

/**
 * One assignment (rows of none go with it): its functions' plain names, as before assignments existed. Several:
 * each assignment's, prefixed.
 */
export function gradebookColumns(rows: GradeRow[], points: Points | ClassPoints): FunctionColumn[] {
  const pointsOf: ClassPoints = typeof points === 'function' ? points : () => points;
  const groups = byAssignment(rows).filter((g) => g.assignment !== undefined);
  if (groups.length <= 1) {
    const only = groups[0]?.assignment;
    return functionColumns(rows, pointsOf(only), only).map((fn) => ({ header: fn, assignment: undefined, fn }));
  }
  return groups.flatMap((g) =>
    functionColumns(g.rows, pointsOf(g.assignment), g.assignment).map((fn) => ({
      header: `${g.assignment}:${fn}`,
      assignment: g.assignment,
      fn,
    })),
  );
}

/** A row's cell of a column: its status, or empty under another assignment's column. */
export function columnCell(r: GradeRow, c: FunctionColumn): string {
  if (c.assignment !== undefined && r.assignment !== c.assignment) return '';
  return r.functions[c.fn] ?? 'missing';
}

export function renderGradebook(rows: GradeRow[], points: Points | ClassPoints): string {
  const columns = gradebookColumns(rows, points);
  const header = [
    'id',
    'assignment',
    'verdict',
    'score',
    'max_score',
    ...columns.map((c) => c.header),
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
        r.assignment ?? '',
        r.verdict,
        r.score,
        r.maxScore,
        ...columns.map((c) => columnCell(r, c)),
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
