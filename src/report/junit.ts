/** JUnit XML for CI: one testsuite per check kind, failures and errors with their messages. */
import type { CheckResult, RunReport } from '../run/check.ts';
import { junitVerdictSuite } from './verdict.ts';

export function xmlEscape(s: string): string {
  return s
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function testcase(r: CheckResult): string {
  const head = `    <testcase classname="${xmlEscape(`${r.kind}.${r.function || 'suite'}`)}" name="${xmlEscape(r.id)}" time="${((r.durationMs ?? 0) / 1000).toFixed(3)}"`;
  const body =
    r.status === 'fail'
      ? `<failure message="${xmlEscape(r.message)}">${xmlEscape(r.counterexample ? JSON.stringify(r.counterexample, null, 1) : r.message)}</failure>`
      : r.status === 'error'
        ? `<error message="${xmlEscape(r.message)}"/>`
        : r.status === 'skip'
          ? `<skipped message="${xmlEscape(r.message)}"/>`
          : r.status === 'warn'
            ? `<system-out>${xmlEscape((r.warnings ?? []).map((w) => `WARNING ${w.kind} ${w.function}: ${w.message}`).join('\n'))}</system-out>`
            : '';
  return body ? `${head}>${body}</testcase>` : `${head}/>`;
}

export function renderJUnit(report: RunReport): string {
  const kinds = [...new Set(report.checks.map((c) => c.kind))];
  const suites = kinds.map((kind) => {
    const cs = report.checks.filter((c) => c.kind === kind);
    const n = (s: string) => cs.filter((c) => c.status === s).length;
    const time = cs.reduce((t, c) => t + (c.durationMs ?? 0), 0) / 1000;
    return `  <testsuite name="${xmlEscape(kind)}" tests="${cs.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('skip')}" time="${time.toFixed(3)}">\n${cs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  const s = report.summary;
  const verdict = junitVerdictSuite(report, xmlEscape);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dnn-verify: ${xmlEscape(report.engine)}" tests="${s.total + 1}" failures="${s.fail + verdict.failures}" errors="${s.error}" skipped="${s.skip}">\n${verdict.xml}${suites.join('\n')}\n</testsuites>\n`;
}
