/** JUnit XML for CI: one testsuite per check kind, failures and errors with their messages. */
import type { CheckResult, RunReport } from '../check/types.ts';
import { junitVerdictSuite } from './verdict.ts';
import { escapeXml } from '../text/escape.ts';

/** XML text (src/text/escape.ts): entities, and characters outside XML 1.0's Char production made visible. */
export const xmlEscape = (s: string): string => escapeXml(s);
/** an attribute value: the same, with line feeds as character references (kept through normalisation) */
const attr = (s: string): string => escapeXml(s, true);

function testcase(r: CheckResult): string {
  const head = `    <testcase classname="${attr(`${r.kind}.${r.function || 'suite'}`)}" name="${attr(r.id)}" time="${((r.durationMs ?? 0) / 1000).toFixed(3)}"`;
  const body =
    r.status === 'fail'
      ? `<failure message="${attr(r.message)}">${xmlEscape(r.counterexample ? JSON.stringify(r.counterexample, null, 1) : r.message)}</failure>`
      : r.status === 'error'
        ? `<error message="${attr(r.message)}"/>`
        : r.status === 'skip'
          ? `<skipped message="${attr(r.message)}"/>`
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
    return `  <testsuite name="${attr(kind)}" tests="${cs.length}" failures="${n('fail')}" errors="${n('error')}" skipped="${n('skip')}" time="${time.toFixed(3)}">\n${cs.map(testcase).join('\n')}\n  </testsuite>`;
  });
  const s = report.summary;
  const verdict = junitVerdictSuite(report);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="dnn-verify: ${attr(report.engine)}" tests="${s.total + 1}" failures="${s.fail + verdict.failures}" errors="${s.error}" skipped="${s.skip}">\n${verdict.xml}${suites.join('\n')}\n</testsuites>\n`;
}
