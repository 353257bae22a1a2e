/** The writers and the gate on hand-made reports: escaping, counts, edge cases of the metric factor. */
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../check/types.ts';
import { renderJUnit, xmlEscape } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { histogram, renderHtml } from './html.ts';
import { describeGate, gate } from './gate.ts';
import { clip } from './verdict.ts';
import { count, verdictOf } from '../run/runner.ts';

function report(checks: CheckResult[]): RunReport {
  const summary = count(checks);
  return {
    verdict: verdictOf({ summary }),
    engine: 'test <engine> & co',
    seed: 1,
    runs: 5,
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 10,
    summary,
    detected: { gradsConvention: 'dA{l-1}' },
    checks,
  };
}

const checks: CheckResult[] = [
  { id: 'a', function: 'linear_forward', kind: 'fixture', status: 'pass', message: 'ok', metrics: { maxRelError: 0 } },
  {
    id: 'b<&>"',
    function: 'compute_cost',
    kind: 'property',
    status: 'fail',
    message: 'cost "x" < 0 & \u0001odd',
    counterexample: { description: 'd', replay: { python: 'import numpy as np\nprint(1)' } },
  },
  { id: 'c', function: 'relu', kind: 'differential', status: 'error', message: 'relu: timeout' },
  { id: 'd', function: 'sigmoid', kind: 'fixture', status: 'skip', message: 'not defined' },
];

describe('writers', () => {
  it('JUnit counts per kind and escapes XML, dropping control characters', () => {
    const xml = renderJUnit(report(checks));
    expect(xml).toMatch(
      /<testsuites name="dnn-verify: test &lt;engine&gt; &amp; co" tests="5" failures="1" errors="1" skipped="1">/, // the checks and the verdict testcase
    );
    expect(xml).toMatch(/<testsuite name="fixture" tests="2" failures="0" errors="0" skipped="1"/);
    expect(xml).toContain('name="b&lt;&amp;&gt;&quot;"');
    expect(xml).not.toMatch(/\u0001/);
    expect(xmlEscape(`'`)).toBe('&apos;');
  });
  it('Markdown lists failures and errors with their replays', () => {
    const md = renderMarkdown(report(checks));
    expect(md).toMatch(/^## dnn-verify: FAIL/);
    expect(md).toContain('1 passed, 1 failed, 1 errors, 1 skipped');
    expect(md).toContain('| fail | `compute_cost` |');
    expect(md).toContain('```python\nimport numpy as np');
  });
  it('HTML is one self-contained page that escapes what the engine said', () => {
    const html = renderHtml(report(checks));
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('cost &quot;x&quot; &lt; 0 &amp;');
  });
  it('a .py read as notebook cells: the why (text from the file) heads summary.md and report.html, escaped', () => {
    const r = report(checks);
    r.detected.loadMode = { mode: 'notebook', why: 'line 3 (# In[1]: <img src=x onerror=alert(1)>) is something' };
    const md = renderMarkdown(r);
    expect(md).toContain(
      'read as notebook cells, not imported as a Python module, because line 3 (# In\\[1\\]: &lt;img src=x onerror=alert(1)&gt;) is something.',
    );
    const html = renderHtml(r);
    expect(html).toContain(
      '<p class="load-mode">read as notebook cells, not imported as a Python module, because line 3 (# In[1]: &lt;img src=x',
    );
    expect(html).not.toContain('<img');
    // any other mode, or none: no line
    for (const detected of [{}, { loadMode: { mode: 'module', why: 'x' } }]) {
      expect(renderMarkdown({ ...r, detected })).not.toContain('read as notebook cells');
      expect(renderHtml({ ...r, detected })).not.toContain('class="load-mode"');
    }
  });
});

describe('gate', () => {
  const base = report(checks);
  it("a regression's engine text is one line of the log: controls shown, no CI command", () => {
    const now = structuredClone(base);
    now.checks[0].status = 'fail';
    now.checks[0].message = 'bad\n::error::forged\x1b]52;c;eA==\x07\ndnn-verify: PASS';
    const text = describeGate(gate(now, base));
    expect(text.split('\n')).toEqual([
      expect.stringMatching(/^baseline gate: FAIL/),
      '  REGRESSION a (linear_forward): passed in the baseline, now fail: bad\\n::error::forged\\x1b]52;c;eA==\\x07\\ndnn-verify: PASS',
    ]);
  });
  it('a metric at 0 regresses only past 10 x 1e-16; growth within the factor is fine', () => {
    const now = structuredClone(base);
    now.checks[0].metrics = { maxRelError: 9e-16 };
    expect(gate(now, base).passed).toBe(true);
    now.checks[0].metrics = { maxRelError: 2e-15 };
    expect(gate(now, base).regressions.map((r) => r.id)).toEqual(['a']);
    expect(gate(now, base, 100).passed).toBe(true);
  });
  it('a failure already in the baseline, a skip, and a new check do not fail the gate', () => {
    const now = structuredClone(base);
    now.checks.push({ id: 'new', function: 'relu', kind: 'property', status: 'fail', message: 'x' });
    const g = gate(now, base);
    expect(g.passed).toBe(true);
    expect(g.stillFailing.sort()).toEqual(['b<&>"', 'c']);
    expect(g.newChecks).toEqual(['new']);
  });
});

describe('bounded figures and counts', () => {
  it('the error histogram has at most 23 bins, however wild the values (1e297 once made 320)', () => {
    const svg = histogram([1e-17, 3e-16, 0.5, 1e297, 1e-300], 'relative errors');
    const bars = svg.match(/<rect /g) ?? [];
    expect(bars.length).toBeGreaterThanOrEqual(6);
    expect(bars.length).toBeLessThanOrEqual(23);
    expect(svg).toContain('1e2 and above: 1'); // 1e297 in the top bin
    expect(svg).toContain('below 1e-19: 1'); // 1e-300 in the bottom one
  });

  it('the baseline gate counts a check once, when it now fails and its metric grew too', () => {
    const base = report([
      {
        id: 'g',
        function: 'L_model_backward',
        kind: 'gradcheck',
        status: 'pass',
        message: 'ok',
        metrics: { gradDifference: 1e-9 },
      },
      {
        id: 'h',
        function: 'L_model_backward',
        kind: 'gradcheck',
        status: 'pass',
        message: 'ok',
        metrics: { gradDifference: 1e-9 },
      },
    ]);
    const now = structuredClone(base);
    now.checks[0] = { ...now.checks[0], status: 'fail', message: 'wrong gradient', metrics: { gradDifference: 0.4 } };
    now.checks[1] = { ...now.checks[1], metrics: { gradDifference: 1e-6 } };
    const g = gate(now, base);
    expect(g.regressions.map((r) => r.id)).toEqual(['g', 'h']);
    expect(g.regressions[0].what).toMatch(/now fail: wrong gradient; gradDifference grew from 1\.00e-9 to 4\.00e-1/);
  });
});

describe('clip', () => {
  it('shortens at a word and says so, never leaving half a word', () => {
    expect(clip("raised NameError: name 'X' is not defined", 38)).toBe("raised NameError: name 'X' is not…");
    expect(clip('short', 30)).toBe('short');
    expect(clip('abcdefghijklmnopqrstuvwxyz', 10)).toBe('abcdefghi…');
  });
});
