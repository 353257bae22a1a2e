/** The root causes of a run as the terminal shows them: one headline each, callers, counterexample, replay. */
import type { RunReport } from '../run/check.ts';
import { rootCauses } from './root-cause.ts';

const indent = (text: string, pad: string) =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

export function describeRootCauses(report: RunReport): string {
  const groups = rootCauses(report);
  if (!groups.length) return '';
  const total = groups.reduce((t, g) => t + g.checks.length + g.callers.reduce((u, c) => u + c.checks.length, 0), 0);
  const lines = [
    `${groups.length} root cause${groups.length === 1 ? '' : 's'} (${total} failing check${total === 1 ? '' : 's'}; every one is in the reports):`,
  ];
  groups.forEach((g, i) => {
    lines.push(`  ${i + 1}. ${g.headline}`);
    if (g.because) lines.push(`     ${g.because}.`);
    const ce = g.counterexample;
    if (ce) {
      lines.push(`     counterexample (${g.from}): ${ce.description}`);
      const show = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)).slice(0, 300));
      if (ce.expected !== undefined || ce.actual !== undefined) {
        lines.push(indent(`expected: ${show(ce.expected)}`, '       '));
        lines.push(indent(`actual:   ${show(ce.actual)}`, '       '));
      }
      // a JavaScript engine's replay in its own language (the Python one stays in the reports), then the command
      if (ce.replay?.js) lines.push('     replay (javascript):', indent(ce.replay.js, '       '));
      else if (ce.replay?.python) lines.push('     replay:', indent(ce.replay.python, '       '));
      if (ce.replay?.cli) lines.push(`     cli: ${ce.replay.cli}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
