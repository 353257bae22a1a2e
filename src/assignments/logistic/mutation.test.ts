/**
 * Week 2's suite against its mutant corpus (fixtures/engines/logistic/mutants.json), through the Python engine:
 * every bug is reported against its own function (its callers may fail with it, nothing else) with verdict fail
 * and a one-sentence diagnosis; every correct variant passes; an int b passes with its int-bias warning.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../adapters/index.ts';
import { runSuites } from '../../run/runner.ts';
import type { RunReport } from '../../check/types.ts';
import { hasNumpy, numpySkipReason } from '../../../test/oracle/numpy.ts';
import { assignment } from './index.ts';

interface Mutant {
  id: string;
  functions: string[];
  bug: string;
  /** a phrase the root cause's headline must contain: the bug named in one sentence */
  diagnosis: string;
  replace: [string, string][];
}
interface Variant {
  id: string;
  about: string;
  replace: [string, string][];
  notebook?: boolean;
}
interface Tolerated {
  id: string;
  function: string;
  warning: string;
  replace: [string, string][];
}

const HERE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'logistic');
const corpus = JSON.parse(readFileSync(join(HERE, 'mutants.json'), 'utf8')) as {
  mutants: Mutant[];
  variants: Variant[];
  tolerated: Tolerated[];
};
const base = readFileSync(join(HERE, 'correct.py'), 'utf8');
const NAMES = assignment.functions.map((f) => f.name);

function mutate(replace: [string, string][]): string {
  let src = base;
  for (const [from, to] of replace) {
    if (!src.includes(from)) throw new Error(`mutation anchor not found: ${JSON.stringify(from.slice(0, 60))}`);
    src = src.replace(from, to);
  }
  return src;
}

/** The source as the course's notebook holds it: lr_utils and the cat data loaded at top level, test prints. */
function asNotebook(src: string): string {
  const cell = (s: string) => ({
    cell_type: 'code',
    metadata: {},
    outputs: [],
    execution_count: null,
    source: s.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l)),
  });
  const chunks = src.split(/\n(?=def )/).slice(1);
  return JSON.stringify({
    cells: [
      cell(
        'import numpy as np\nimport copy\nimport matplotlib.pyplot as plt\nimport h5py\nfrom lr_utils import load_dataset\n%matplotlib inline',
      ),
      cell('train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset()'),
      ...chunks.flatMap((c) => [cell(c), cell('print ("sigmoid([0, 2]) = " + str(sigmoid(np.array([0,2]))))')]),
      { cell_type: 'markdown', metadata: {}, source: ['**Expected Output**'] },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 4,
  });
}

/** Which functions a failure is blamed on: a failing function none of whose callees fail (assignment.calls). */
function blamed(r: RunReport): string[] {
  const failing = new Set(r.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.function));
  return [...failing].filter((f) => !(assignment.calls[f] ?? []).some((g) => failing.has(g)));
}

async function verify(file: string): Promise<RunReport> {
  const engine = pythonEngine(file, { timeoutMs: 5000 });
  try {
    return await runSuites(engine, assignment.reference(), assignment.suites(), {
      seed: 0,
      assignment,
      runs: 10,
      functions: NAMES,
    });
  } finally {
    await engine.close();
  }
}

async function pool<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

describe.skipIf(!hasNumpy())(`week 2 mutants through the Python engine ${numpySkipReason()}`, () => {
  it('kills every mutant on its own function, passes every correct variant, warns on an int b', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logistic-mutants-'));
    try {
      const jobs = [
        ...corpus.mutants.map((m) => ({ kind: 'mutant' as const, id: m.id, src: mutate(m.replace), nb: false })),
        ...corpus.variants.map((v) => ({
          kind: 'variant' as const,
          id: v.id,
          src: mutate(v.replace),
          nb: !!v.notebook,
        })),
        ...corpus.tolerated.map((t) => ({ kind: 'tolerated' as const, id: t.id, src: mutate(t.replace), nb: false })),
      ].map((j) => ({ ...j, file: join(dir, `${j.id}.${j.nb ? 'ipynb' : 'py'}`) }));
      for (const j of jobs) writeFileSync(j.file, j.nb ? asNotebook(j.src) : j.src);
      const reports = await pool(jobs, 2, (j) => verify(j.file));
      const problems: string[] = [];
      const rows: string[] = [];
      jobs.forEach((j, i) => {
        const r = reports[i];
        const roots = blamed(r);
        if (j.kind === 'mutant') {
          const m = corpus.mutants.find((x) => x.id === j.id)!;
          const sentence = r.rootCauses?.find((c) => c.function === m.functions[0])?.headline ?? '';
          const ok = r.verdict === 'fail' && roots.join() === m.functions.join() && sentence.includes(m.diagnosis);
          rows.push(`${ok ? 'killed' : 'SURVIVED'} ${j.id} -> ${roots.join(', ')}: ${sentence.slice(0, 140)}`);
          if (!ok)
            problems.push(
              `mutant ${j.id}: verdict ${r.verdict}, blamed ${roots.join(', ') || 'nothing'} (expected ${m.functions.join(', ')}), headline "${sentence}" (expected to name "${m.diagnosis}")`,
            );
        } else if (j.kind === 'variant') {
          const bad = r.checks.filter((c) => c.status !== 'pass');
          rows.push(`${r.verdict === 'pass' ? 'passed' : 'FALSE ALARM'} ${j.id}`);
          if (r.verdict !== 'pass')
            problems.push(
              `variant ${j.id}: ${r.verdict}; ${bad
                .slice(0, 3)
                .map((c) => `${c.id}: ${c.message}`)
                .join(' | ')}`,
            );
        } else {
          const t = corpus.tolerated.find((x) => x.id === j.id)!;
          const kinds = (r.warnings ?? []).map((w) => `${w.kind} ${w.function}`);
          const ok = r.verdict === 'warn' && kinds.join() === `${t.warning} ${t.function}`;
          rows.push(`${ok ? 'warned' : 'WRONG'} ${j.id}: ${r.warnings?.[0]?.message ?? ''}`);
          if (!ok) problems.push(`tolerated ${j.id}: verdict ${r.verdict}, warnings [${kinds.join(', ')}]`);
        }
      });
      console.log(rows.join('\n'));
      expect(problems).toEqual([]);
      expect(corpus.mutants.length).toBeGreaterThanOrEqual(15);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 900_000);
});
