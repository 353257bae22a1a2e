/**
 * A short Markdown summary for a pull request: verdict, counts, then one headline per root cause (src/diagnose)
 * with the callers that fail because of it, its counterexample and replay, and its failing checks collapsed.
 */
import type { CheckResult, RunReport } from '../check/types.ts';
import { assignmentSentence, loadModeSentence, markdownLines, verdictLabel } from './verdict.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { mdCode, mdFence, mdText } from '../text/escape.ts';

export function renderMarkdown(report: RunReport): string {
  const s = report.summary;
  const lines = [
    `## dnn-verify: ${verdictLabel(report.verdict)} — ${mdText(report.engine)}`,
    '',
    `${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped (${s.total} checks, seed ${report.seed}, runs ${report.runs}${report.shard ? `, shard ${report.shard.index}/${report.shard.count}` : ''})`,
    '',
    ...(assignmentSentence(report) ? [mdText(assignmentSentence(report)!), ''] : []),
    ...(loadModeSentence(report) ? [mdText(loadModeSentence(report)!), ''] : []),
    ...markdownLines(report),
  ];
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (bad.length) lines.push(...rootCauseSections(report));
  return `${lines.join('\n')}\n`;
}

function rootCauseSections(report: RunReport): string[] {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const groups = report.rootCauses ?? rootCauses(report);
  const lines = [`### ${groups.length} root cause${groups.length === 1 ? '' : 's'}`, ''];
  groups.forEach((g, i) => {
    lines.push(`**${i + 1}. ${mdText(g.headline)}**`, '');
    if (g.because) lines.push(`${mdText(g.because)}.`, '');
    const ce = g.counterexample;
    if (ce) {
      lines.push(`Counterexample (${mdCode(g.from)}): ${mdText(ce.description)}`, '');
      if (ce.expected !== undefined)
        lines.push(mdFence(`expected: ${String(ce.expected)}\nactual:   ${String(ce.actual)}`), '');
      if (ce.replay?.python) lines.push(mdFence(ce.replay.python, 'python'), '');
    }
    const checks = [...g.checks, ...g.callers.flatMap((c) => c.checks)]
      .map((id) => byId.get(id))
      .filter((c): c is CheckResult => c !== undefined);
    lines.push(`<details><summary>${checks.length} failing check${checks.length === 1 ? '' : 's'}</summary>`, '');
    lines.push('| status | function | check | message |', '|---|---|---|---|');
    for (const c of checks.slice(0, 50))
      lines.push(
        `| ${mdText(c.status)} | ${mdCode(c.function, true)} | ${mdCode(c.id, true)} | ${mdCode(c.message.slice(0, 300), true)} |`,
      );
    if (checks.length > 50) lines.push('', `…and ${checks.length - 50} more in report.json.`);
    lines.push('', '</details>', '');
  });
  return lines;
}
