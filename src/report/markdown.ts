/** A short Markdown summary for a pull request: verdict, counts, failures in a table, details collapsed. */
import type { RunReport } from '../run/check.ts';
import { markdownLines, verdictLabel } from './verdict.ts';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(report: RunReport): string {
  const s = report.summary;
  const lines = [
    `## dnn-verify: ${verdictLabel(report.verdict)} — ${cell(report.engine)}`,
    '',
    `${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped (${s.total} checks, seed ${report.seed}, runs ${report.runs}${report.shard ? `, shard ${report.shard.index}/${report.shard.count}` : ''})`,
    '',
    ...markdownLines(report),
  ];
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  if (bad.length) {
    lines.push('| status | function | check | message |', '|---|---|---|---|');
    for (const c of bad.slice(0, 50))
      lines.push(`| ${c.status} | \`${c.function}\` | \`${cell(c.id)}\` | ${cell(c.message).slice(0, 300)} |`);
    if (bad.length > 50) lines.push('', `…and ${bad.length - 50} more in report.json.`);
    lines.push('', '<details><summary>Replays</summary>', '');
    for (const c of bad.filter((c) => c.counterexample?.replay?.python).slice(0, 10)) {
      lines.push(`**${c.id}**`, '', '```python', c.counterexample!.replay!.python!, '```', '');
    }
    lines.push('</details>');
  }
  return `${lines.join('\n')}\n`;
}
