/**
 * A self-contained HTML page (no external assets): verdict, per-function table, the gradient checks' per-key
 * errors and analytic-vs-numeric scatter as inline SVG, histograms of relative errors, and the failures as one
 * section per root cause (headline, callers grouped under it, counterexample, its checks collapsed).
 */
import type { CheckResult, RunReport } from '../check/types.ts';
import { assignmentSentence, htmlSection, loadModeSentence, verdictLabel } from './verdict.ts';
import {
  exerciseFeedback,
  runInternals,
  syntaxWhere,
  type ExerciseFeedback,
  type ExerciseOptions,
} from './exercises.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { CSP_META, escapeHtml as esc } from '../text/escape.ts';

function perFunction(report: RunReport): string {
  const fns = [...new Set(report.checks.map((c) => c.function || '(suite)'))].sort();
  const rows = fns.map((f) => {
    const cs = report.checks.filter((c) => (c.function || '(suite)') === f);
    const n = (s: string) => cs.filter((c) => c.status === s).length;
    const cls = n('fail') + n('error') ? 'bad' : n('warn') ? 'warn' : 'ok';
    return `<tr class="${cls}"><td><code>${esc(f)}</code></td><td>${n('pass')}</td><td>${n('warn')}</td><td>${n('fail')}</td><td>${n('error')}</td><td>${n('skip')}</td></tr>`;
  });
  return `<table><thead><tr><th>function</th><th>pass</th><th>pass with warnings</th><th>fail</th><th>error</th><th>skip</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The histogram's decades: 1e-20 .. 1e3, at most 23 bins (values beyond go to the edge bins). */
const HIST_MIN = -20;
const HIST_MAX = 3;

/** log10 histogram of values (e.g. relative errors, gradient differences) as an SVG bar chart. */
export function histogram(values: number[], title: string): string {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!finite.length) return '';
  // bounded: errors below 1e-20 (far under float64 rounding) or of 1e3 and more (no digit right) share the edge bins,
  // so that a wild value (1e297) cannot stretch the axis to hundreds of bins
  const logs = finite.map((v) => Math.min(HIST_MAX - 1e-9, Math.max(HIST_MIN, Math.log10(v))));
  // at least six decades on the axis, so that one busy bin does not fill the chart
  let lo = Math.floor(Math.min(...logs));
  let hi = Math.max(Math.ceil(Math.max(...logs)), lo + 1);
  while (hi - lo < 6) {
    if (lo > HIST_MIN) lo -= 1;
    if (hi - lo < 6 && hi < HIST_MAX) hi += 1;
  }
  const bins = new Array(Math.max(1, hi - lo)).fill(0);
  for (const l of logs) bins[Math.min(bins.length - 1, Math.floor(l - lo))]++;
  const w = Math.max(360, 32 * bins.length);
  const h = 130;
  const every = Math.ceil(bins.length / 12); // tick labels that do not collide
  const bw = w / bins.length;
  const max = Math.max(...bins);
  const bars = bins
    .map(
      (b, i) =>
        `<rect x="${i * bw + 1}" y="${h - 20 - ((h - 34) * b) / max}" width="${bw - 2}" height="${((h - 34) * b) / max}" fill="#4a7bd1"><title>${lo + i === HIST_MIN ? `below 1e${lo + i + 1}` : lo + i + 1 === HIST_MAX ? `1e${lo + i} and above` : `1e${lo + i}..1e${lo + i + 1}`}: ${b}</title></rect>${b ? `<text x="${i * bw + bw / 2}" y="${h - 23 - ((h - 34) * b) / max}" font-size="9" text-anchor="middle">${b}</text>` : ''}${i % every === 0 ? `<text x="${i * bw + bw / 2}" y="${h - 5}" font-size="9" text-anchor="middle">1e${lo + i}</text>` : ''}`,
    )
    .join('');
  return `<figure><svg width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${bars}</svg><figcaption>${esc(title)}</figcaption></figure>`;
}

/** analytic vs numeric gradient scatter (log-log of magnitudes would hide sign errors, so linear). */
function scatter(pairs: [number, number][], title: string): string {
  if (!pairs.length) return '';
  const w = 220;
  const m = Math.max(...pairs.flat().map(Math.abs)) || 1;
  const p = (v: number) => (w / 2) * (1 + v / m);
  const dots = pairs
    .map(
      ([a, n]) =>
        `<circle cx="${p(n).toFixed(1)}" cy="${(w - p(a)).toFixed(1)}" r="2" fill="${Math.abs(a - n) > 1e-6 * (Math.abs(a) + Math.abs(n)) ? '#d14a4a' : '#2e8b57'}"/>`,
    )
    .join('');
  return `<figure><svg width="${w}" height="${w}" role="img" aria-label="${esc(title)}"><line x1="0" y1="${w}" x2="${w}" y2="0" stroke="#bbb"/>${dots}</svg><figcaption>${esc(title)} (x: numeric, y: analytic)</figcaption></figure>`;
}

function checkDetails(c: CheckResult): string {
  const d = c.details ?? {};
  const parts = [`<p>${esc(c.message)}</p>`];
  if (Array.isArray(d.perKey)) {
    parts.push(
      `<table class="small"><tr><th>key</th><th>relative difference</th><th>pattern</th></tr>${(d.perKey as { key: string; difference: number; pattern?: string }[]).map((k) => `<tr><td>d${esc(k.key)}</td><td>${k.difference.toExponential(2)}</td><td>${esc(k.pattern ?? '')}</td></tr>`).join('')}</table>`,
    );
  }
  if (Array.isArray(d.sample)) parts.push(scatter(d.sample as [number, number][], 'gradient sample'));
  if (c.counterexample) {
    parts.push(`<p><b>Counterexample:</b> ${esc(c.counterexample.description)}</p>`);
    if (c.counterexample.expected !== undefined)
      parts.push(
        `<pre>expected: ${esc(String(c.counterexample.expected))}\nactual:   ${esc(String(c.counterexample.actual))}</pre>`,
      );
    if (c.counterexample.replay?.python)
      parts.push(
        `<details><summary>Python replay</summary><pre>${esc(c.counterexample.replay.python)}</pre></details>`,
      );
  }
  return parts.join('');
}

function checkBlock(c: CheckResult, open: boolean): string {
  return `<details class="check" ${open ? 'open' : ''}><summary><b>${esc(c.status)}</b> <code>${esc(c.id)}</code> — <code>${esc(c.function)}</code></summary>${checkDetails(c)}</details>`;
}

/** One section per root cause (src/diagnose): headline, callers, counterexample and replay, its checks collapsed. */
function rootCauseSections(report: RunReport): string {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const groups = report.rootCauses ?? rootCauses(report);
  const sections = groups.map((g) => {
    const checks = [...g.checks, ...g.callers.flatMap((c) => c.checks)]
      .map((id) => byId.get(id))
      .filter((c): c is CheckResult => c !== undefined);
    const from = byId.get(g.from);
    return `<section class="cause"><h3>${esc(g.headline)}</h3>${g.because ? `<p class="because">${esc(g.because)}.</p>` : ''}${from ? `<div class="lead">${checkDetails(from)}</div>` : ''}<details><summary>${checks.length} failing check${checks.length === 1 ? '' : 's'}</summary>${checks.map((c) => checkBlock(c, false)).join('\n')}</details></section>`;
  });
  return `<h2>${groups.length} root cause${groups.length === 1 ? '' : 's'}</h2>\n${sections.join('\n')}`;
}

const fmt = (n: number) => String(Math.round(n * 100) / 100);
const STATUS: Record<ExerciseFeedback['status'], string> = {
  pass: 'passed',
  warn: 'passed, with a warning',
  fail: 'failed',
  error: 'failed (an error)',
  missing: 'not checked',
};

/** One exercise: points, the root cause and when it shows, a failing case and its replay, warnings; internals folded. */
function exerciseSection(e: ExerciseFeedback): string {
  const cls = e.status === 'pass' ? 'ok' : e.status === 'warn' ? 'warn' : 'bad';
  const pts = e.points ? ` — ${fmt(e.points.earned)} / ${fmt(e.points.possible)} points` : '';
  const parts = [`<h3><code>${esc(e.function)}</code>${pts} <span class="small">(${STATUS[e.status]})</span></h3>`];
  if (e.status === 'missing') parts.push(`<p>${esc(e.missing ?? 'not defined')}</p>`);
  if (e.syntax) {
    const where = syntaxWhere(e.syntax);
    const caret = e.syntax.column ? `\n${' '.repeat(e.syntax.column - 1)}^` : '';
    parts.push(
      `<p class="syntax"><b>SyntaxError</b>${where ? ` at ${esc(where)}` : ''}: ${esc(e.syntax.message)}</p><pre>${esc(e.syntax.text + caret)}</pre>`,
    );
  }
  if (e.cause) parts.push(`<p class="cause"><b>What is wrong:</b> ${esc(e.cause)}</p>`);
  if (e.conditions) parts.push(`<p><b>When:</b> ${esc(e.conditions)}</p>`);
  const c = e.counterexample;
  if (c) {
    parts.push(`<p><b>A failing case:</b> ${esc(c.description)}</p>`);
    if (c.expected !== undefined || c.actual !== undefined)
      parts.push(`<pre>expected: ${esc(c.expected ?? '')}\nyours:    ${esc(c.actual ?? '')}</pre>`);
    if (c.python) parts.push(`<p>Replay it (a cell below your functions):</p><pre>${esc(c.python)}</pre>`);
  }
  for (const w of e.warnings)
    parts.push(`<p class="warning"><b>Warning:</b> ${esc(w.text)}<br><span class="effect">${esc(w.effect)}</span></p>`);
  if (e.internals.length)
    parts.push(
      `<details class="internals"><summary>For the course staff</summary><ul>${e.internals.map((i) => `<li>${esc(i)}</li>`).join('')}</ul></details>`,
    );
  return `<section class="exercise ${cls}">${parts.join('')}</section>`;
}

/** The score line, when the run was graded. */
function scoreLine(exercises: ExerciseFeedback[]): string {
  const graded = exercises.filter((e) => e.points);
  if (!graded.length) return '';
  const earned = graded.reduce((t, e) => t + e.points!.earned, 0);
  const possible = graded.reduce((t, e) => t + e.points!.possible, 0);
  return `<p class="score">Score: <b>${fmt(earned)} / ${fmt(possible)}</b> points (${graded.filter((e) => e.points!.earned >= e.points!.possible).length} of ${graded.length} exercises with full marks)</p>`;
}

/**
 * report.html. `options.points` (grading) adds each exercise's points and the score; without them every notebook
 * function checked gets its section. Internals (detected conventions, the warnings table, what loading left out,
 * check ids) sit in folds, after what the student acts on.
 */
export function renderHtml(report: RunReport, options: ExerciseOptions = {}): string {
  const exercises = exerciseFeedback(report, options);
  const s = report.summary;
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  const gradDiffs = report.checks.map((c) => c.metrics?.gradDifference).filter((v): v is number => v !== undefined);
  const relErrors = report.checks
    .flatMap((c) => [c.metrics?.maxRelError, ...((c.details?.relErrors as number[]) ?? [])])
    .filter((v): v is number => v !== undefined);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${CSP_META}<title>dnn-verify: ${esc(report.engine)}</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em} .verdict{display:inline-block;padding:.2em .7em;border-radius:.3em;color:#fff;font-weight:600}
.pass{background:#2e8b57}.fail{background:#c0392b}.warn{background:#b7791f}.incomplete,.error{background:#7b341e} tr.warn td{background:#fff8e1} table{border-collapse:collapse;margin:1em 0} td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:left}
tr.bad td{background:#fdecea} tr.ok td:first-child{border-left:3px solid #2e8b57} tr.bad td:first-child{border-left:3px solid #c0392b}
figure{display:inline-block;margin:.5em 1em .5em 0} figcaption{font-size:.8em;color:#666} pre{background:#f6f8fa;padding:.6em;overflow:auto;font-size:.85em}
details.check{border:1px solid #eee;border-radius:.3em;margin:.4em 0;padding:.3em .6em} .small{font-size:.85em} code{font-size:.9em}
section.exercise{border-left:4px solid #ccc;padding:.1em 1em;margin:.8em 0} section.exercise.ok{border-color:#2e8b57} section.exercise.warn{border-color:#b7791f} section.exercise.bad{border-color:#c0392b} section.exercise h3{font-size:1.05em;margin:.4em 0} .score{font-size:1.2em} .effect{color:#555}
section.cause{border-left:4px solid #c0392b;padding:.1em 1em;margin:1em 0;background:#fffafa} section.cause h3{font-size:1.1em;margin:.4em 0} .because{color:#555}
</style></head><body>
<h1>dnn-verify <span class="verdict ${esc(report.verdict)}">${esc(verdictLabel(report.verdict))}</span></h1>
<p>Engine <b>${esc(report.engine)}</b>: ${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped of ${s.total} checks;
seed ${esc(String(report.seed))}, runs ${esc(String(report.runs))}${report.shard ? `, shard ${esc(`${report.shard.index}/${report.shard.count}`)}` : ''}; ${new Date(report.startedAt).toUTCString()}, ${(report.durationMs / 1000).toFixed(1)} s.</p>
${assignmentSentence(report) ? `<p class="assignment">${esc(assignmentSentence(report)!)}</p>\n` : ''}${loadModeSentence(report) ? `<p class="load-mode">${esc(loadModeSentence(report)!)}</p>\n` : ''}${scoreLine(exercises)}${report.reason ? `<p class="reason"><b>${esc(verdictLabel(report.verdict))}:</b> ${esc(report.reason)}</p>` : ''}
<h2>${options.points ? 'Exercises' : 'Functions'}</h2>
${exercises.map(exerciseSection).join('\n')}
<h2>Per function</h2>${perFunction(report)}
<h2>Error distributions</h2>${histogram(gradDiffs, 'gradient-check differences')}${histogram(relErrors, 'relative errors')}
${
  bad.length
    ? rootCauseSections(report)
    : `<h2>Checks</h2>\n${report.checks
        .filter((c) => c.kind === 'gradcheck')
        .slice(0, 5)
        .map((c) => checkBlock(c, false))
        .join('\n')}`
}
<details class="internals"><summary>For the course staff: detected conventions, warnings, what loading left out</summary>
<ul class="small">${runInternals(report, options.points)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul>
${htmlSection({ ...report, reason: undefined })}
</details>
</body></html>
`;
}
