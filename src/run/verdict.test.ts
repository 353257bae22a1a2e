/** The one verdict rule, its exit codes, and how merge, the gate and every report carry warnings and reasons. */
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../check/types.ts';
import { count, exitCodeOf, missingFunctions, noEvidence, reasonOf, verdictOf } from './runner.ts';
import { collectWarnings, withWarnings } from '../check/warnings.ts';
import { mergeReports } from '../report/merge-shards.ts';
import { gate } from '../report/gate.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderJUnit } from '../report/junit.ts';
import { renderHtml } from '../report/html.ts';
import { terminalLines } from '../report/verdict.ts';
import { run as mergeCommand } from '../cli/commands/merge.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const check = (id: string, status: CheckResult['status'], fn = 'update_parameters'): CheckResult => ({
  id,
  function: fn,
  kind: 'property',
  status,
  message: status,
});
const mutates = { kind: 'mutates-input' as const, function: 'update_parameters', message: "changes parameters['W1']" };

function report(checks: CheckResult[], extra: Partial<RunReport> = {}): RunReport {
  const summary = count(checks);
  const warnings = collectWarnings(checks);
  const body = { summary, warnings, missing: [], ...extra };
  return {
    verdict: verdictOf(body),
    reason: reasonOf(body),
    ...body,
    engine: 'e',
    seed: 0,
    runs: 1,
    startedAt: '2026-01-01T00:00:00Z',
    durationMs: 1,
    detected: {},
    checks,
  };
}

describe('verdictOf', () => {
  it('pass, warn (pass with warnings), fail, incomplete, error; --strict fails on warnings', () => {
    const warned = withWarnings(check('a', 'pass'), [mutates]);
    expect(warned.status).toBe('warn');
    expect(report([check('a', 'pass')]).verdict).toBe('pass');
    expect(report([warned, check('b', 'pass')]).verdict).toBe('warn');
    expect(report([warned], { strict: true }).verdict).toBe('fail');
    expect(report([warned], { strict: true }).reason).toMatch(/--strict: 1 warning/);
    expect(report([warned, check('b', 'fail')]).verdict).toBe('fail');
    expect(report([check('b', 'error')]).verdict).toBe('fail');
    const missing = [{ function: 'compute_cost', reason: 'not defined' }];
    expect(report([check('a', 'pass')], { missing }).verdict).toBe('incomplete');
    expect(report([check('a', 'fail')], { missing }).verdict).toBe('fail');
    expect(report([check('a', 'pass')], { missing }).reason).toMatch(/compute_cost.*--functions/);
    expect(report([check('a', 'skip'), check('b', 'skip')]).verdict).toBe('error');
    expect(report([]).verdict).toBe('error');
    expect(report([check('a', 'pass')], { noEvidence: 'SyntaxError at line 7: %x' }).verdict).toBe('error');
  });
  it('a warning never hides a failure of the same check', () => {
    expect(withWarnings(check('a', 'fail'), [mutates]).status).toBe('fail');
  });
  it('exit codes: pass and warn 0, fail and incomplete 1, error 2', () => {
    expect(['pass', 'warn', 'fail', 'incomplete', 'error'].map((v) => exitCodeOf(v as RunReport['verdict']))).toEqual([
      0, 0, 1, 1, 2,
    ]);
  });
  it('missing functions: the required ones, or exactly those --functions names; a SyntaxError is the reason', () => {
    const defined = new Set(['linear_forward', 'compute_cost']);
    expect(missingFunctions(defined, undefined).map((m) => m.function)).toContain('L_model_backward');
    expect(missingFunctions(defined, ['linear_forward', 'compute_cost'])).toEqual([]);
    expect(missingFunctions(defined, ['relu_backward'], { relu_backward: 'SyntaxError at line 3: def x(' })).toEqual([
      { function: 'relu_backward', reason: 'SyntaxError at line 3: def x(' },
    ]);
  });
  it('no evidence: a load error, or none of the notebook functions (naming a SyntaxError when there is one)', () => {
    expect(noEvidence(new Set(['compute_cost']), {})).toBeUndefined();
    expect(noEvidence(new Set(['compute_cost']), { loadError: 'UnicodeDecodeError: x' })).toMatch(
      /could not be loaded/,
    );
    expect(
      noEvidence(new Set(), { dropped: [{ where: 'line 7', why: 'SyntaxError at line 7: %matplotlib inline' }] }),
    ).toBe('SyntaxError at line 7: %matplotlib inline');
    expect(noEvidence(new Set(['foo']), {})).toMatch(/none of step-by-step's functions \(it defines foo/);
  });
});

describe('merge and gate use the same rule', () => {
  const warned = withWarnings(check('a', 'pass'), [mutates]);
  it('merged shards keep the warnings and the verdict of an unsharded run', () => {
    const a = report([{ ...warned, order: 0 }], { shard: { index: 0, count: 2 } });
    const b = report([{ ...check('b', 'pass'), order: 1 }], { shard: { index: 1, count: 2 } });
    expect(b.verdict).toBe('pass');
    const m = mergeReports([b, a]);
    expect(m.verdict).toBe('warn');
    expect(m.warnings?.map((w) => [w.kind, w.checks])).toEqual([['mutates-input', ['a']]]);
    expect(
      mergeReports([
        { ...b, strict: true },
        { ...a, strict: true },
      ]).verdict,
    ).toBe('fail');
  });
  it('`dnn-verify merge` exits by the same rule: warn 0, --strict shards 1, shards that skipped everything 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'merge-'));
    const write = (name: string, r: RunReport) => {
      const f = join(dir, `${name}.json`);
      writeFileSync(f, JSON.stringify(r));
      return f;
    };
    const shard = (index: number, c: CheckResult, extra: Partial<RunReport> = {}) =>
      report([{ ...c, order: index }], { shard: { index, count: 2 }, ...extra });
    const quiet = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      const a = write('a', shard(0, warned));
      const b = write('b', shard(1, check('b', 'pass')));
      expect(await mergeCommand([a, b, '--out', join(dir, 'out1')])).toBe(0);
      const sa = write('sa', shard(0, warned, { strict: true }));
      const sb = write('sb', shard(1, check('b', 'pass'), { strict: true }));
      expect(await mergeCommand([sa, sb, '--out', join(dir, 'out2')])).toBe(1);
      const ka = write('ka', shard(0, check('a', 'skip')));
      const kb = write('kb', shard(1, check('b', 'skip')));
      expect(await mergeCommand([ka, kb, '--out', join(dir, 'out3')])).toBe(2);
    } finally {
      process.stdout.write = quiet;
    }
  });
  it('the gate fails a run without evidence whatever the baseline, and counts warnings only under --strict', () => {
    const base = report([check('a', 'pass')]);
    expect(gate(report([check('a', 'skip')]), base).passed).toBe(false);
    expect(gate(report([warned]), base).passed).toBe(true);
    expect(gate(report([warned], { strict: true }), base).regressions.map((r) => r.id)).toEqual(['a']);
  });
});

describe('every report shows the verdict, the warnings next to the values, and the reason', () => {
  const r = report([withWarnings(check('a', 'pass'), [mutates]), check('b', 'pass')]);
  it('terminal, summary.md, report.html, junit.xml', () => {
    expect(terminalLines(r).join('\n')).toMatch(/WARN mutates-input update_parameters: changes parameters\['W1'\]/);
    const md = renderMarkdown(r);
    expect(md).toMatch(/^## dnn-verify: PASS WITH WARNINGS/);
    expect(md).toContain('1 passed, 1 passed with warnings');
    expect(md).toMatch(
      // brackets escaped (src/text/escape.ts: no link syntax from an engine's text); rendered as written
      /\| mutates-input \| `update_parameters` \| changes parameters\\\['W1'\\\] \| the notebook's training loop/,
    );
    const html = renderHtml(r);
    expect(html).toContain('PASS WITH WARNINGS');
    expect(html).toMatch(/<h2>Warnings<\/h2>.*mutates-input/s);
    const xml = renderJUnit(r);
    expect(xml).toContain('<property name="verdict" value="warn"/>');
    expect(xml).toContain('<property name="warning.mutates-input.update_parameters"');
    expect(xml).toMatch(
      /<testcase classname="property.update_parameters" name="a"[^>]*><system-out>WARNING mutates-input/,
    );
    const incomplete = report([check('a', 'pass')], { missing: [{ function: 'compute_cost', reason: 'not defined' }] });
    expect(renderJUnit(incomplete)).toMatch(/name="verdict: INCOMPLETE"><failure message="1 function\(s\) missing/);
    expect(renderMarkdown(incomplete)).toContain('- `compute_cost`: not defined');
    expect(renderHtml(incomplete)).toMatch(/<h2>Missing functions<\/h2><ul><li><code>compute_cost<\/code>/);
  });
});
