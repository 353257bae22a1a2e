/**
 * The verdict, its reason, missing functions, what loading dropped and the warnings, for every renderer (terminal,
 * summary.md, report.html, junit.xml). Warnings sit beside the values: the checks that saw them still ran.
 */
import type { DetectedAssignment, RunReport, Verdict } from '../check/types.ts';
import { WARNING_KINDS } from '../check/warnings.ts';
import { escapeHtml as esc, escapeXml, mdCode, mdText } from '../text/escape.ts';

const LABEL: Record<Verdict, string> = {
  pass: 'PASS',
  warn: 'PASS WITH WARNINGS',
  fail: 'FAIL',
  incomplete: 'INCOMPLETE',
  error: 'ERROR',
};

/** The verdict as people read it (reports written before warnings existed have no 'warn'). */
export function verdictLabel(v: Verdict | string): string {
  return LABEL[v as Verdict] ?? v.toUpperCase();
}

/** The run's assignment (report.detected.assignment), when the report has one (reports from before it have none). */
export function assignmentOf(r: Pick<RunReport, 'detected'>): DetectedAssignment | undefined {
  const a = r.detected?.assignment as DetectedAssignment | undefined;
  return a && typeof a === 'object' && typeof a.why === 'string' ? a : undefined;
}

/** 'assignment: <id>, "<title>" (why: <why>)' in plain text (each renderer escapes it). */
export function assignmentSentence(r: Pick<RunReport, 'detected'>): string | undefined {
  const a = assignmentOf(r);
  if (!a) return undefined;
  if (a.id === null) return `assignment: none matched (considered: ${(a.considered ?? []).join(', ')})`;
  return `assignment: ${a.id}${a.title ? `, "${a.title}"` : ''} (why: ${a.why})`;
}

/**
 * 'read as notebook cells ...: <why>. ...' when the file was a .py read as a notebook's cells
 * (report.detected.loadMode), in plain text (each renderer escapes it); undefined for any other file.
 */
export function loadModeSentence(r: Pick<RunReport, 'detected'>): string | undefined {
  const m = r.detected?.loadMode as { mode?: unknown; why?: unknown } | undefined;
  if (!m || typeof m !== 'object' || m.mode !== 'notebook' || typeof m.why !== 'string') return undefined;
  return (
    `read as notebook cells, not imported as a Python module, because ${m.why}. Only its imports, definitions, ` +
    'constants and what its functions need were run; test calls, prints and plots were skipped.'
  );
}

type Dropped = { where: string; text: string; why: string };
const droppedOf = (r: RunReport) => (Array.isArray(r.detected.dropped) ? (r.detected.dropped as Dropped[]) : []);

/** Terminal lines: reason, missing functions, warnings, a count of dropped statements. */
export function terminalLines(r: RunReport): string[] {
  const lines: string[] = [];
  if (r.reason) lines.push(`${verdictLabel(r.verdict)}: ${r.reason}`);
  if (r.verdict === 'error') return lines; // one line: the reason there is no evidence
  // the reason line names every missing function; those with a cause of their own (a SyntaxError) get a line
  for (const m of r.missing ?? []) if (m.reason !== 'not defined') lines.push(`MISSING ${m.function}: ${m.reason}`);
  for (const w of r.warnings ?? [])
    lines.push(
      `WARN ${w.kind} ${w.function}: ${w.message} (${w.checks.length} check${w.checks.length === 1 ? '' : 's'}; values still checked)`,
    );
  const dropped = droppedOf(r);
  const notable = dropped.filter((d) => !d.why.startsWith('not run'));
  if (dropped.length)
    lines.push(
      `loading dropped ${dropped.length} statement(s)${
        notable.length
          ? `: ${notable
              .slice(0, 6)
              .map((d) => `${d.where} "${clip(d.text, 30)}" (${clip(d.why, 60)})`)
              .join('; ')}${notable.length > 6 ? '; ...' : ''}`
          : ' (test calls, prints, plots)'
      }; see report.json detected.dropped`,
    );
  const supplied = r.detected?.supplied;
  if (typeof supplied === 'string') lines.push(`note: ${supplied}`);
  return lines;
}

/** summary.md lines after the counts: engine text in code spans or escaped (src/text/escape.ts). */
export function markdownLines(r: RunReport): string[] {
  const lines: string[] = [];
  if (r.reason) lines.push(`**${verdictLabel(r.verdict)}:** ${mdText(r.reason)}`, '');
  if (r.missing?.length) {
    lines.push('**Missing functions** (not verified):', '');
    for (const m of r.missing) lines.push(`- ${mdCode(m.function)}: ${mdText(m.reason)}`);
    lines.push('');
  }
  if (r.warnings?.length) {
    lines.push(
      `**Warnings** (the values were checked${r.strict ? '; --strict counts these as failures' : ' and are right; --strict would fail these'}):`,
      '',
      '| kind | function | what | why it matters | checks |',
      '|---|---|---|---|---|',
    );
    for (const w of r.warnings)
      lines.push(
        `| ${mdText(w.kind)} | ${mdCode(w.function, true)} | ${mdText(w.message)} | ${mdText(w.why)} | ${w.checks.length} |`,
      );
    lines.push('');
  }
  const dropped = droppedOf(r).filter((d) => !d.why.startsWith('not run'));
  if (dropped.length) {
    lines.push('<details><summary>Dropped while loading</summary>', '');
    for (const d of dropped) lines.push(`- ${mdText(d.where)}: ${mdCode(d.text)} — ${mdText(d.why)}`);
    lines.push('', '</details>', '');
  }
  return lines;
}

/** report.html section: reason, missing functions, warnings, dropped statements. */
export function htmlSection(r: RunReport): string {
  const parts: string[] = [];
  if (r.reason) parts.push(`<p class="reason"><b>${esc(verdictLabel(r.verdict))}:</b> ${esc(r.reason)}</p>`);
  if (r.missing?.length)
    parts.push(
      `<h2>Missing functions</h2><ul>${r.missing.map((m) => `<li><code>${esc(m.function)}</code>: ${esc(m.reason)}</li>`).join('')}</ul>`,
    );
  if (r.warnings?.length)
    parts.push(
      `<h2>Warnings</h2><p class="small">The values were checked${r.strict ? '; --strict counts these as failures' : ' and are right'}.</p><table class="small"><tr><th>kind</th><th>function</th><th>what</th><th>why it matters</th><th>checks</th></tr>${r.warnings
        .map(
          (w) =>
            `<tr class="warn"><td>${esc(w.kind)}<br><span class="small">${esc(WARNING_KINDS[w.kind]?.title ?? '')}</span></td><td><code>${esc(w.function)}</code></td><td>${esc(w.message)}</td><td>${esc(w.why)}</td><td title="${esc(w.checks.join(' '))}">${w.checks.length}</td></tr>`,
        )
        .join('')}</table>`,
    );
  const dropped = droppedOf(r);
  if (dropped.length)
    parts.push(
      `<details><summary>Dropped while loading (${dropped.length})</summary><table class="small">${dropped.map((d) => `<tr><td>${esc(d.where)}</td><td><code>${esc(d.text)}</code></td><td>${esc(d.why)}</td></tr>`).join('')}</table></details>`,
    );
  return parts.join('\n');
}

/**
 * junit.xml: a testsuite "verdict" with the verdict, its reason, missing functions and warnings as properties, and
 * one testcase that fails when the verdict fails for a reason no check shows (incomplete, no evidence, --strict
 * warnings), so that a CI test tab never looks green for such a run. Returns the suite and its failure count.
 */
export function junitVerdictSuite(r: RunReport): { xml: string; failures: number } {
  const x = (s: string) => escapeXml(s, true); // attribute values
  const text = (s: string) => escapeXml(s);
  const props: [string, string][] = [['verdict', r.verdict]];
  if (r.reason) props.push(['reason', r.reason]);
  if (r.strict) props.push(['strict', 'true']);
  for (const m of r.missing ?? []) props.push([`missing.${m.function}`, m.reason]);
  for (const w of r.warnings ?? []) props.push([`warning.${w.kind}.${w.function}`, `${w.message}: ${w.why}`]);
  const s = r.summary;
  const hidden =
    (r.verdict === 'fail' && s.fail + s.error === 0) || r.verdict === 'incomplete' || r.verdict === 'error';
  const out = (r.warnings ?? []).map((w) => `WARNING ${w.kind} ${w.function}: ${w.message} (${w.why})`).join('\n');
  const body = `${hidden ? `<failure message="${x(r.reason ?? r.verdict)}"/>` : ''}${out ? `<system-out>${text(out)}</system-out>` : ''}`;
  const xml = `  <testsuite name="verdict" tests="1" failures="${hidden ? 1 : 0}" errors="0" skipped="0">
    <properties>
${props.map(([k, v]) => `      <property name="${x(k)}" value="${x(v)}"/>`).join('\n')}
    </properties>
    <testcase classname="dnn-verify" name="verdict: ${x(verdictLabel(r.verdict))}"${body ? `>${body}</testcase>` : '/>'}
  </testsuite>
`;
  return { xml, failures: hidden ? 1 : 0 };
}

/** At most n characters, cut at a word where one is near and marked with an ellipsis, so no word is left half. */
export function clip(text: string, n: number): string {
  if (text.length <= n) return text;
  const cut = text.slice(0, n - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > n / 2 ? cut.slice(0, space) : cut}…`;
}
