/**
 * Python softmax engines written as the seed writes them (fixtures/engines/softmax/seed.py: a[y, range(m)] indexes
 * with the labels): the suite sends the labels as int64, so the seed's own code passes; each Python mutant
 * (mutants.json, textual replacements of seed.py) fails on its own function and on nothing else.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../adapters/index.ts';
import { runSuites } from '../../run/runner.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';
import { inProcessEngine } from '../../adapters/in-process.ts';
import { MUTANTS } from '../../../fixtures/engines/softmax/engines.ts';
import { softmaxAssignment } from './index.ts';
import { SOFTMAX_FUNCTIONS } from './suites.ts';

const HERE = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'softmax');
const seed = readFileSync(join(HERE, 'seed.py'), 'utf8');
const textbook = readFileSync(join(HERE, 'textbook.py'), 'utf8');
const corpus = JSON.parse(readFileSync(join(HERE, 'mutants.json'), 'utf8')) as {
  mutants: { id: string; functions: string[]; bug: string; says?: string; replace: [string, string][] }[];
};

function mutate(replace: [string, string][]): string {
  let src = seed;
  for (const [from, to] of replace) {
    if (!src.includes(from)) throw new Error(`mutation anchor not found: ${JSON.stringify(from.slice(0, 60))}`);
    src = src.split(from).join(to);
  }
  return src;
}

async function check(source: string, name: string) {
  const dir = mkdtempSync(join(tmpdir(), 'softmax-py-'));
  const file = join(dir, `${name.replace(/\W/g, '_')}.py`);
  writeFileSync(file, source);
  const engine = pythonEngine(file, { timeoutMs: 20000 });
  try {
    const r = await runSuites(engine, softmaxAssignment.reference(), softmaxAssignment.suites(), {
      seed: 7,
      runs: 12,
      functions: [...SOFTMAX_FUNCTIONS],
      assignment: softmaxAssignment,
    });
    const bad = r.checks.filter((c) => c.status === 'fail' || c.status === 'error');
    return { r, bad, failing: [...new Set(bad.map((c) => c.function))].sort() };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasNumpy())(`softmax: Python engines as the seed writes them ${numpySkipReason()}`, () => {
  it("the seed's own code (a[y, range(m)] on the suite's int64 labels) passes every check, fixtures included", async () => {
    const { r, bad } = await check(seed, 'seed');
    expect(bad.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.warnings ?? []).toEqual([]);
    // the label-indexed functions ran their pack cases and differential checks (not skipped)
    for (const id of [
      'fixture/softmax-numpy/cross_entropy',
      'fixture/softmax-numpy/delta_cross_entropy',
      'differential/cross_entropy/matches-the-reference',
      'gradcheck/delta_cross_entropy/is-the-derivative-of-cross_entropy',
    ])
      expect(r.checks.find((c) => c.id === id)?.status, id).toBe('pass');
  });

  it('the textbook softmax (axis=0, keepdims=True) passes with exactly a softmax-per-example warning on each function', async () => {
    const { r, bad } = await check(textbook, 'textbook');
    expect(bad.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    expect(r.verdict).toBe('warn');
    expect([...new Set(r.warnings?.map((w) => w.kind))]).toEqual(['softmax-per-example']);
    expect(r.warnings?.map((w) => w.function).sort()).toEqual([...SOFTMAX_FUNCTIONS].sort());
    expect(r.checks.find((c) => c.id === 'fixture/softmax-numpy/cross_entropy')?.status).toBe('warn');
  });

  it('the labels reach the engine as an int64 array of shape (1, m)', async () => {
    const probe = `${seed}\n\ndef cross_entropy(Z, y):\n    assert y.dtype == np.int64 and y.shape == (1, Z.shape[1]), (y.dtype, y.shape)\n    m = y.shape[1]\n    return np.sum(-np.log(softmax(Z)[y, range(m)])) / m\n`;
    const { bad } = await check(probe, 'probe');
    expect(bad.filter((c) => c.function === 'cross_entropy').map((c) => c.message)).toEqual([]);
  });

  it("a failing check's Python replay builds y = np.array([[...]]) of integers, on which the seed's code runs", async () => {
    // a JS mutant (in process) fails cross_entropy's differential check: its replay snippet, run after the seed's code
    const bug = MUTANTS.find((m) => m.id === 'cross-entropy-no-mean')!;
    const r = await runSuites(inProcessEngine(bug.engine), softmaxAssignment.reference(), softmaxAssignment.suites(), {
      seed: 7,
      runs: 12,
      functions: ['cross_entropy'],
      assignment: softmaxAssignment,
    });
    const snippet = r.checks.find((c) => c.id === 'differential/cross_entropy/matches-the-reference')?.counterexample
      ?.replay?.python as string;
    expect(snippet).toMatch(/^y = np\.array\(\[\[\d+(, \d+)*\]\]\)$/m);
    const out = runPython(
      `${seed}\n${snippet.replace(/\ncross_entropy\(Z, y\)$/, '\nprint(y.dtype, cross_entropy(Z, y))')}`,
    );
    expect(out.toString()).toMatch(/^int64 \d/);
  });

  it('at least 15 softmax mutants in all (JavaScript and Python), each with its bug named', () => {
    expect(MUTANTS.length + corpus.mutants.length).toBeGreaterThanOrEqual(15);
  });

  for (const m of corpus.mutants) {
    it(`${m.id}: fails on ${m.functions.join(', ')} alone (${m.bug})`, async () => {
      const { r, failing } = await check(mutate(m.replace), m.id);
      expect(r.verdict).toBe('fail');
      expect(failing).toEqual([...m.functions].sort());
      // where the bug is one diagnoses.ts knows, a failing check names it
      const messages = r.checks.filter((c) => c.status === 'fail').map((c) => c.message);
      if (m.says)
        expect(
          messages.some((msg) => msg.includes(m.says!)),
          messages.join('\n'),
        ).toBe(true);
    });
  }
});
