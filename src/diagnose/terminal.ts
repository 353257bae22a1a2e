/** The root causes of a run as the terminal shows them: one headline each, callers, counterexample, replay. */
import type { RunReport } from '../check/types.ts';
import { rootCauses } from './root-cause.ts';
import { termBlock, termIndent, termLine } from '../text/escape.ts';

// Headlines, causes and counterexamples quote the engine (an exception, a returned value): each is one line with
// its controls visible (termLine), or a block whose later lines are prefixed "| " (termBlock), so that nothing the
// engine says starts a line of the terminal or CI log.

export function describeRootCauses(report: RunReport): string {
  const groups = report.rootCauses ?? rootCauses(report);
  if (!groups.length) return '';
  const total = groups.reduce((t, g) => t + g.checks.length + g.callers.reduce((u, c) => u + c.checks.length, 0), 0);
  const lines = [
    `${groups.length} root cause${groups.length === 1 ? '' : 's'} (${total} failing check${total === 1 ? '' : 's'}; every one is in the reports):`,
  ];
  groups.forEach((g, i) => {
    lines.push(`  ${i + 1}. ${termLine(g.headline)}`);
    if (g.because) lines.push(`     ${termLine(g.because)}.`);
    const ce = g.counterexample;
    if (ce) {
      lines.push(`     counterexample (${termLine(g.from)}): ${termLine(ce.description)}`);
      const show = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)).slice(0, 300));
      if (ce.expected !== undefined || ce.actual !== undefined) {
        lines.push(`       expected: ${termBlock(show(ce.expected), '       ')}`);
        lines.push(`       actual:   ${termBlock(show(ce.actual), '       ')}`);
      }
      // a JavaScript engine's replay in its own language (the Python one stays in the reports), then the command
      if (ce.replay?.js) lines.push('     replay (javascript):', termIndent(ce.replay.js, '       '));
      else if (ce.replay?.python) lines.push('     replay:', termIndent(ce.replay.python, '       '));
      if (ce.replay?.cli) lines.push(`     cli: ${termLine(ce.replay.cli)}`);
    }
  });
  return `${lines.join('\n')}\n`;
}
