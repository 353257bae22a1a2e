/**
 * The planar suite against its mutant corpus (fixtures/engines/planar/mutants.json): every bug reported against
 * its own function (or a function that calls it) with verdict fail; every correct variant passes.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../adapters/index.ts';
import { runSuites } from '../../run/runner.ts';
import { hasNumpy, numpySkipReason } from '../../../test/oracle/numpy.ts';
import { assignment } from './index.ts';
import { PLANAR_FUNCTIONS } from './reference.ts';

const HERE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'planar');
const corpus = JSON.parse(readFileSync(join(HERE, 'mutants.json'), 'utf8')) as {
  mutants: { id: string; functions: string[]; replace: [string, string][]; diagnosis?: string }[];
  variants: { id: string; replace: [string, string][]; warning?: string }[];
};
const base = readFileSync(join(HERE, 'correct.py'), 'utf8');

function mutate(replace: [string, string][]): string {
  let src = base;
  for (const [from, to] of replace) {
    if (!src.includes(from)) throw new Error(`mutation anchor not found: ${JSON.stringify(from.slice(0, 60))}`);
    src = src.split(from).join(to);
  }
  return src;
}

const callers = (f: string) =>
  Object.entries(assignment.calls)
    .filter(([, callees]) => callees.includes(f))
    .map(([caller]) => caller);

describe.skipIf(!hasNumpy())(`planar mutants ${numpySkipReason()}`, () => {
  it('kills every mutant against its own function and passes every correct variant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planar-mutants-'));
    const problems: string[] = [];
    const rows: string[] = [];
    try {
      const jobs = [
        ...corpus.mutants.map((m) => ({ ...m, kind: 'mutant' as const })),
        ...corpus.variants.map((v) => ({ ...v, functions: [] as string[], kind: 'variant' as const })),
        { id: 'correct', replace: [] as [string, string][], functions: [] as string[], kind: 'variant' as const },
      ];
      let next = 0;
      const work = async () => {
        while (next < jobs.length) {
          const j = jobs[next++];
          const file = join(dir, `${j.id.replace(/\W/g, '_')}.py`);
          writeFileSync(file, mutate(j.replace));
          const engine = pythonEngine(file, { timeoutMs: 20000 });
          try {
            const r = await runSuites(engine, assignment.reference(), assignment.suites(), {
              seed: 0,
              assignment,
              runs: 10,
              functions: [...PLANAR_FUNCTIONS],
            });
            const bad = r.checks.filter((c) => c.status === 'fail' || c.status === 'error');
            const named = [...new Set(bad.map((c) => c.function))];
            if (j.kind === 'mutant') {
              const allowed = new Set(j.functions.flatMap((f) => [f, ...callers(f)]));
              const blamed = named.filter((f) => !allowed.has(f));
              const ok = r.verdict === 'fail' && bad.some((c) => j.functions.includes(c.function)) && !blamed.length;
              rows.push(
                `${ok ? 'killed' : 'SURVIVED'} ${j.id} -> ${named.join(', ')}: ${bad.find((c) => j.functions.includes(c.function))?.message.slice(0, 140) ?? ''}`,
              );
              if (!ok) problems.push(`mutant ${j.id}: verdict ${r.verdict}, failing ${named.join(', ') || 'none'}`);
              // the common bug is named in a failing check of its function
              const diagnosis = 'diagnosis' in j ? j.diagnosis : undefined;
              if (diagnosis && !bad.some((c) => j.functions.includes(c.function) && c.message.includes(diagnosis)))
                problems.push(`mutant ${j.id}: no failing check of ${j.functions.join('/')} says "${diagnosis}"`);
            } else {
              // a tolerated deviation passes with exactly its warning
              const warning = 'warning' in j ? j.warning : undefined;
              const kinds = (r.warnings ?? []).map((w) => w.kind).join();
              const ok = warning ? r.verdict === 'warn' && kinds === warning : r.verdict === 'pass';
              rows.push(`${ok ? 'passed' : 'FALSE ALARM'} ${j.id} (${r.verdict}${kinds ? `, ${kinds}` : ''})`);
              if (!ok)
                problems.push(
                  `variant ${j.id}: verdict ${r.verdict}; ${bad
                    .slice(0, 2)
                    .map((c) => `${c.id}: ${c.message}`)
                    .join(' | ')}`,
                );
            }
          } finally {
            await engine.close();
          }
        }
      };
      await Promise.all([work(), work()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(rows.join('\n'));
    expect(problems).toEqual([]);
    expect(corpus.mutants.length).toBeGreaterThanOrEqual(15);
  }, 600_000);
});
