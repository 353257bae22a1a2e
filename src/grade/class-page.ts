/**
 * class.html: the class at a glance, self-contained (inline CSS, no script, no external resource). Pass rate per
 * function, the most common diagnoses with how many students have each, the slowest and the erroring
 * submissions, and every submission with its score, per-function statuses and a link to its report.html. A class
 * of several assignments has a section per assignment (its pass rates, diagnoses and submissions).
 * Everything a submission controls (file names, messages) is HTML-escaped.
 */
import type { GradeRow } from './row.ts';
import type { ClassPoints, Points } from './points.ts';
import { DEFAULT_POLICY, describePolicy, type GradingPolicy } from './policy.ts';
import { byAssignment } from './gradebook.ts';
import { assignmentById } from '../assignments/index.ts';
import { CSP_META, escapeHtml } from '../text/escape.ts';

export { escapeHtml };

/** A relative link that stays inside the report dir: each path segment percent-encoded. */
function href(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export interface DiagnosisGroup {
  function: string;
  text: string;
  ids: string[];
}

/** Diagnoses shared by submissions, most common first (ties: by function, then text). */
export function commonDiagnoses(rows: GradeRow[]): DiagnosisGroup[] {
  const groups = new Map<string, DiagnosisGroup>();
  for (const r of rows)
    for (const d of r.diagnoses) {
      const key = `${d.function}\u0000${d.text}`;
      const g = groups.get(key) ?? { function: d.function, text: d.text, ids: [] };
      g.ids.push(r.id);
      groups.set(key, g);
    }
  return [...groups.values()].sort(
    (a, b) => b.ids.length - a.ids.length || a.function.localeCompare(b.function) || a.text.localeCompare(b.text),
  );
}

/** The graded exercises, in the points' order: those worth more than 0. */
export function gradedColumns(points: Points): string[] {
  return Object.keys(points).filter((f) => points[f] > 0);
}

const STATUS_MEANING: [string, string][] = [
  ['pass', 'every check of the function passed: full marks'],
  ['warn', 'every check passed, with a warning (e.g. it changes its input, or prints)'],
  ['fail', 'a check failed: the function returns a wrong value (its report says which and why)'],
  ['error', 'a check could not finish: the function raised, hung or crashed'],
  ['missing', 'the function is not defined, or was not checked'],
  ['incomplete', '(verdict) a graded exercise was not checked'],
];

/** What the colours and words of the page mean, and the grading policy in force. */
export function legend(policy: GradingPolicy): string {
  const rows = STATUS_MEANING.map(
    ([k, v]) => `<tr><td class="s ${escapeHtml(k)}">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`,
  ).join('');
  return `<h2>Legend</h2><table class="legend">${rows}<tr><td class="flag">⚑ N</td><td>N flags for the TA (see above); no effect on the score</td></tr></table><ul class="small">${describePolicy(
    policy,
  )
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join('')}</ul>`;
}

export function passRates(rows: GradeRow[], fns: string[]) {
  return fns.map((fn) => {
    const counts = { pass: 0, warn: 0, fail: 0, error: 0, missing: 0 };
    for (const r of rows) counts[r.functions[fn] ?? 'missing']++;
    return { fn, ...counts, rate: rows.length ? (counts.pass + counts.warn) / rows.length : 0 };
  });
}

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f4f4f4}.num{text-align:right;font-variant-numeric:tabular-nums}
.bar{background:#eee;width:220px;height:12px;position:relative}.bar span{display:block;height:12px;background:#3a7}
.pass{background:#dfd}.warn{background:#ffd}.fail{background:#fcc}.error{background:#fca}.missing{background:#eee;color:#777}
.incomplete{background:#fde}.legend td{font-size:12px}.flag{color:#a40}.small{font-size:12px;color:#555}.cards span{display:inline-block;margin-right:14px;padding:6px 10px;border-radius:4px}
td.s{font-size:11px;padding:2px 4px;text-align:center}`;

/** The title of an assignment id as the class page shows it. */
function assignmentTitle(id: string | undefined): string {
  if (id === undefined) return 'no assignment (the file did not load or matched none)';
  const a = assignmentById(id);
  return a ? `${a.title} (${a.id}, ${a.course})` : id;
}

export function renderClassPage(
  rows: GradeRow[],
  points: Points | ClassPoints,
  meta: {
    title?: string;
    seed: number;
    runs: number;
    wallMs?: number;
    jobs?: number;
    generatedAt?: string;
    policy?: GradingPolicy;
  },
): string {
  const pointsOf: ClassPoints = typeof points === 'function' ? points : () => points;
  const groups = byAssignment(rows);
  const assigned = groups.filter((g) => g.assignment !== undefined);
  const named = rows.some((r) => r.student !== undefined && r.student !== r.id);
  const verdicts = { pass: 0, warn: 0, fail: 0, incomplete: 0, error: 0 };
  for (const r of rows) verdicts[r.verdict]++;
  const link = (r: GradeRow, text = r.id) =>
    r.verdict === 'error' && r.checks.pass + r.checks.fail + r.checks.error === 0
      ? escapeHtml(text)
      : `<a href="${href(`${r.dir}/report.html`)}">${escapeHtml(text)}</a>`;
  /** a student's name, linked, where the class has names (LMS folders or file names) */
  const short = (r: GradeRow) => link(r, named && r.student !== undefined ? r.student : r.id);
  const who = (r: GradeRow) =>
    named && r.student !== undefined && r.student !== r.id
      ? `${escapeHtml(r.student)}<br><span class="small">${link(r)}</span>`
      : link(r);
  const out: string[] = [];
  out.push(
    `<!doctype html><html><head><meta charset="utf-8">${CSP_META}<title>${escapeHtml(meta.title ?? 'dnn-verify: class')}</title><style>${STYLE}</style></head><body>`,
  );
  out.push(`<h1>${escapeHtml(meta.title ?? 'dnn-verify: class')}</h1>`);
  out.push(
    `<p class="small">${rows.length} submissions; seed ${meta.seed}, runs ${meta.runs}${meta.jobs ? `, ${meta.jobs} jobs` : ''}${meta.wallMs !== undefined ? `, graded in ${(meta.wallMs / 1000).toFixed(1)} s` : ''}${meta.generatedAt ? `; ${escapeHtml(meta.generatedAt)}` : ''}</p>`,
  );
  const meanOf = (rs: GradeRow[], pts: Points) => {
    const max = rs[0]?.maxScore ?? Object.values(pts).reduce((a, b) => a + b, 0);
    const mean = rs.length ? rs.reduce((t, r) => t + r.score, 0) / rs.length : 0;
    return `<span>mean score: <b>${mean.toFixed(1)}</b> / ${escapeHtml(String(max))}</span>`;
  };
  const single = assigned.length <= 1;
  out.push(
    `<p class="cards">${(Object.keys(verdicts) as (keyof typeof verdicts)[])
      .filter((k) => verdicts[k] || k === 'pass' || k === 'fail')
      .map((k) => `<span class="${escapeHtml(k)}">${escapeHtml(k)}: <b>${verdicts[k]}</b></span>`)
      .join('')}${single ? meanOf(rows, pointsOf(assigned[0]?.assignment)) : ''}</p>`,
  );
  if (single && assigned[0])
    out.push(`<p>Assignment: <b>${escapeHtml(assignmentTitle(assigned[0].assignment))}</b></p>`);
  if (!single)
    out.push(
      `<p>Assignments: ${assigned.map((g) => `<a href="#${escapeHtml(`a-${g.assignment}`)}">${escapeHtml(g.assignment!)}</a> (${g.rows.length})`).join(', ')}${groups.length > assigned.length ? `; ${groups.at(-1)!.rows.length} with none` : ''}</p>`,
    );

  // one section per assignment (a single one: the page as it was, headings h2)
  const sections = single ? [{ assignment: assigned[0]?.assignment, rows }] : assigned;
  const h = single ? 'h2' : 'h3';
  for (const g of sections) {
    const pts = pointsOf(g.assignment);
    // only the graded exercises: ungraded helpers (sigmoid, relu, ...) are in gradebook.csv and each report
    const fns = gradedColumns(pts);
    if (!single) {
      out.push(
        `<h2 id="${escapeHtml(`a-${g.assignment}`)}">${escapeHtml(assignmentTitle(g.assignment))}: ${g.rows.length} submission${g.rows.length === 1 ? '' : 's'}</h2>`,
      );
      out.push(`<p class="cards">${meanOf(g.rows, pts)}</p>`);
    }
    out.push(
      `<${h}>Pass rate per function</${h}><table><tr><th>function</th><th>points</th><th>pass rate</th><th></th>`,
    );
    out.push('<th>pass</th><th>warn</th><th>fail</th><th>error</th><th>missing</th></tr>');
    for (const p of passRates(g.rows, fns))
      out.push(
        `<tr><td>${escapeHtml(p.fn)}</td><td class="num">${pts[p.fn] ?? '—'}</td><td class="num">${(p.rate * 100).toFixed(0)}%</td><td><div class="bar"><span style="width:${(p.rate * 100).toFixed(1)}%"></span></div></td>` +
          `<td class="num">${p.pass}</td><td class="num">${p.warn}</td><td class="num">${p.fail}</td><td class="num">${p.error}</td><td class="num">${p.missing}</td></tr>`,
      );
    out.push('</table>');

    const diagnoses = commonDiagnoses(g.rows).slice(0, 20);
    out.push(`<${h}>Most common diagnoses</${h}>`);
    if (diagnoses.length === 0) out.push('<p>None: every submission passed.</p>');
    else {
      out.push('<table><tr><th>students</th><th>function</th><th>diagnosis</th><th>who</th></tr>');
      for (const d of diagnoses) {
        const who = d.ids
          .slice(0, 6)
          .map((id) => short(g.rows.find((x) => x.id === id)!))
          .join(', ');
        out.push(
          `<tr><td class="num"><b>${d.ids.length}</b></td><td>${escapeHtml(d.function || '(whole submission)')}</td><td>${escapeHtml(d.text)}</td><td class="small">${who}${d.ids.length > 6 ? `, … ${d.ids.length - 6} more` : ''}</td></tr>`,
        );
      }
      out.push('</table>');
    }
    if (!single) out.push(...everySubmission(g.rows, fns, who, h));
  }

  const flagged = rows.filter((r) => r.flags?.length);
  out.push(`<h2>Flags for the TA (${flagged.length})</h2>`);
  out.push(
    '<p class="small">Another file of the same student, byte-identical submissions, and code near-identical once comments, whitespace, outputs and names are set aside. They change no score.</p>',
  );
  if (flagged.length === 0) out.push('<p>None.</p>');
  else {
    out.push('<table><tr><th>submission</th><th>flags</th></tr>');
    for (const r of flagged)
      out.push(`<tr><td>${who(r)}</td><td>${r.flags!.map((f) => escapeHtml(f)).join('<br>')}</td></tr>`);
    out.push('</table>');
  }

  const erroring = rows.filter((r) => r.verdict === 'error' || r.verdict === 'incomplete');
  out.push(`<h2>Submissions that could not be checked fully (${erroring.length})</h2>`);
  if (erroring.length === 0) out.push('<p>None.</p>');
  else {
    out.push('<table><tr><th>submission</th><th>verdict</th><th>why</th><th>seconds</th></tr>');
    for (const r of erroring)
      out.push(
        `<tr><td>${who(r)}</td><td class="${escapeHtml(r.verdict)}">${escapeHtml(r.verdict)}</td><td>${escapeHtml(r.reason ?? '')}</td><td class="num">${(r.durationMs / 1000).toFixed(1)}</td></tr>`,
      );
    out.push('</table>');
  }

  const slowest = [...rows].sort((a, b) => b.durationMs - a.durationMs).slice(0, 10);
  out.push('<h2>Slowest submissions</h2><table><tr><th>submission</th><th>seconds</th><th>verdict</th></tr>');
  for (const r of slowest)
    out.push(
      `<tr><td>${short(r)}</td><td class="num">${(r.durationMs / 1000).toFixed(1)}</td><td class="${escapeHtml(r.verdict)}">${escapeHtml(r.verdict)}</td></tr>`,
    );
  out.push('</table>');

  if (single) out.push(...everySubmission(rows, gradedColumns(pointsOf(assigned[0]?.assignment)), who, 'h2'));
  else if (groups.length > assigned.length) {
    const none = groups.at(-1)!.rows;
    out.push(...everySubmission(none, [], who, 'h2', `Submissions of no assignment (${none.length})`));
  }
  out.push(legend(meta.policy ?? DEFAULT_POLICY));
  out.push('</body></html>\n');
  return out.join('\n');
}

/** The table of every submission of `rows`: score, per-function statuses (`fns`) and flags; `who` names each. */
function everySubmission(
  rows: GradeRow[],
  fns: string[],
  who: (r: GradeRow) => string,
  h: string,
  title = 'Every submission',
): string[] {
  const out: string[] = [];
  out.push(`<${h}>${escapeHtml(title)}</${h}><table><tr><th>submission</th><th>verdict</th><th>score</th>`);
  for (const fn of fns)
    out.push(`<th class="small" title="${escapeHtml(fn)}">${escapeHtml(fn.replace(/_/g, '_\u200b'))}</th>`);
  out.push('<th>warnings</th><th>seconds</th><th>flags</th></tr>');
  for (const r of rows) {
    out.push(
      `<tr><td>${who(r)}</td><td class="${escapeHtml(r.verdict)}">${escapeHtml(r.verdict)}</td><td class="num">${escapeHtml(`${r.score}/${r.maxScore}`)}</td>`,
    );
    for (const fn of fns) {
      const st = r.functions[fn] ?? 'missing';
      out.push(`<td class="s ${escapeHtml(st)}">${escapeHtml(st)}</td>`);
    }
    out.push(
      `<td class="num">${escapeHtml(String(r.warnings))}</td><td class="num">${(r.durationMs / 1000).toFixed(1)}</td><td class="small flag">${r.flags?.length ? escapeHtml(`⚑ ${r.flags.length}`) : ''}</td></tr>`,
    );
  }
  out.push('</table>');
  return out;
}
