/**
 * The regression gate: a run against a baseline report fails only on what got worse — a check that passed and
 * now fails or errors, or an error metric that grew past a factor (default 10x). New checks, improvements and
 * checks that were already failing are listed but do not fail the gate.
 */
import type { CheckResult, GateResult, Regression, RunReport } from '../check/types.ts';
import { termLine } from '../text/escape.ts';
import { verdictOf } from '../check/verdict.ts';

export type { GateResult, Regression };

export function gate(current: RunReport, baseline: RunReport, factor = 10): GateResult {
  // under --strict a warning is a failure, here as in the verdict
  const bad = (c: CheckResult) =>
    c.status === 'fail' || c.status === 'error' || (current.strict && c.status === 'warn');
  const before = new Map(baseline.checks.map((c) => [c.id, c]));
  const r: GateResult = { passed: true, regressions: [], improvements: [], newChecks: [], stillFailing: [] };
  // a run without evidence never passes, whatever the baseline held
  if (verdictOf(current) === 'error')
    r.regressions.push({
      id: '(run)',
      function: '',
      what: `no evidence: ${current.noEvidence ?? current.reason ?? 'every selected check was skipped'}`,
    });
  for (const c of current.checks) {
    const b = before.get(c.id);
    if (!b) {
      r.newChecks.push(c.id);
      continue;
    }
    // one regression per check: a check that now fails and whose error metric grew too is one regression, its
    // reasons joined (a failing gradient check's gradDifference grows with it)
    const reasons: string[] = [];
    if (bad(c) && b.status === 'pass') reasons.push(`passed in the baseline, now ${c.status}: ${c.message}`);
    else if (bad(c) && bad(b)) r.stillFailing.push(c.id);
    else if (!bad(c) && bad(b)) r.improvements.push(c.id);
    for (const [k, v] of Object.entries(c.metrics ?? {})) {
      const old = b.metrics?.[k];
      if (old === undefined || !Number.isFinite(v)) continue;
      // a metric at 0 (exact) regresses when it exceeds the smallest meaningful error
      const limit = Math.max(old, 1e-16) * factor;
      if (v > limit)
        reasons.push(`${k} grew from ${old.toExponential(2)} to ${v.toExponential(2)} (more than ${factor}x)`);
    }
    if (reasons.length) r.regressions.push({ id: c.id, function: c.function, what: reasons.join('; ') });
  }
  r.passed = r.regressions.length === 0;
  return r;
}

export function describeGate(g: GateResult): string {
  const lines = [
    `baseline gate: ${g.passed ? 'PASS' : 'FAIL'} (${g.regressions.length} regressions, ${g.improvements.length} improvements, ${g.newChecks.length} new checks, ${g.stillFailing.length} still failing)`,
  ];
  // what quotes the engine (a check's message): one line each, its controls shown, CI commands defused
  for (const x of g.regressions) lines.push(`  REGRESSION ${termLine(`${x.id} (${x.function}): ${x.what}`)}`);
  return lines.join('\n');
}
