/**
 * Two initialiser bugs of real week-4 notebooks, each reproduced by a variant written here (never the students'
 * code), must get their own sentence:
 * - W1 drawn as np.random.randn(n_x, n_h): a public Spanish port of the notebook (inicializar_parametros) draws
 *   W1 = randn(n_x, n_h) and W2 = randn(n_h, n_y). With n_x = 1 the shape is (1, n_h) for (n_h, 1), which the
 *   shape rule named "W1 is summed over axis 0 ... (axis=1, keepdims=True)".
 * - np.random.seed(1) left out of initialize_parameters: nobodypengium/PythonLearning partIch4/network.py and the
 *   corpus's wxxshirley-2 (DNN.ipynb) draw from wherever the global stream was (after initialize_parameters_deep's
 *   np.random.seed(3)), which was named "W1 is drawn after np.random.seed(3)", as if they had seeded 3.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine, Value } from '../engine/engine.ts';
import { initializeParameters } from '../engine/reference/initialize.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { transpose } from '../tensor/linalg.ts';
import { RandomState } from '../random/index.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';
import { pythonEngine } from '../adapters/index.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { rootCauses } from './root-cause.ts';
import { classify } from './classify.ts';
import { toWire } from './evidence.ts';

const ref = new ReferenceEngine();

/** The reference with initialize_parameters replaced. */
function withInit(name: string, init: (n_x: number, n_h: number, n_y: number) => Value): Engine {
  return {
    name,
    functions: () => ref.functions(),
    call: async (fn, args) =>
      fn === 'initialize_parameters' ? init(...(args as [number, number, number])) : ref.call(fn, args),
    close: async () => {},
  };
}

async function headlines(engine: Engine): Promise<string[]> {
  const report = await runSuites(engine, ref, allSuites(), { seed: 0, runs: 10, functions: ['initialize_parameters'] });
  return rootCauses(report).map((c) => c.headline);
}

const SWAPPED =
  /^initialize_parameters: W1 has shape \(\d+, \d+\), its sizes swapped: it is drawn as np\.random\.randn\(n_x, n_h\); the notebook draws np\.random\.randn\(n_h, n_x\), shape \(\d+, \d+\)$/;
const NO_SEED =
  /^initialize_parameters does not call np\.random\.seed\(1\) before drawing: W1 goes on from where earlier code left the random stream/;

describe('initialiser diagnoses on what real code shows', () => {
  it('W1 = randn(n_x, n_h) is a swapped draw, not a sum over axis 0', async () => {
    const engine = withInit('w1-swapped', (n_x, n_h, n_y) => {
      const p = initializeParameters(n_x, n_h, n_y) as Record<string, NDArray>;
      const W1 = p.W1;
      // the same numbers, drawn as randn(n_x, n_h): the stream fills (n_x, n_h) row by row
      return { ...p, W1: new NDArray(W1.data, [n_x, n_h]) };
    });
    const h = await headlines(engine);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatch(SWAPPED);
    expect(h[0]).not.toMatch(/axis/);
  }, 60_000);

  it('W1 = randn(n_h, n_x).T: the notebook draw transposed, told to drop the .T', async () => {
    const engine = withInit('w1-dot-T', (n_x, n_h, n_y) => {
      const p = initializeParameters(n_x, n_h, n_y) as Record<string, NDArray>;
      return { ...p, W1: transpose(p.W1) };
    });
    const h = await headlines(engine);
    expect(h).toHaveLength(1);
    // a square case (n_x = n_h) cannot tell .T from swapped sizes: its sentence advises for both
    expect(h[0]).toMatch(
      /^initialize_parameters: W1 (is the notebook's draw transposed, shape \(\d+, \d+\) where the notebook's is \(\d+, \d+\): np\.random\.randn\(n_h, n_x\) without \.T|holds the notebook's numbers transposed; the notebook draws np\.random\.randn\(n_h, n_x\), with no \.T and the sizes in that order)$/,
    );
    expect(h[0]).not.toMatch(/randn\(n_prev, n\)\.T/);
  }, 60_000);

  it('no np.random.seed(1) inside initialize_parameters is named, not another seed', async () => {
    // the engine's own global stream (its own process), as its initialize_parameters_deep (seed 3) and a few
    // other draws left it
    const rng = new RandomState(3);
    rng.randn(20);
    const engine = withInit('no-seed', (n_x, n_h, n_y) => initializeParameters(n_x, n_h, n_y, { rng, seed: null }));
    const h = await headlines(engine);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatch(NO_SEED);
    expect(h[0]).not.toMatch(/drawn after np\.random\.seed/);
  }, 60_000);

  it('a square W1 drawn right is not called swapped', async () => {
    const h = await headlines(withInit('correct', (n_x, n_h, n_y) => initializeParameters(n_x, n_h, n_y)));
    expect(h).toEqual([]);
  }, 60_000);
});

const CORRECT = join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py');
describe.skipIf(!hasNumpy())(`the same bugs in a Python notebook module ${numpySkipReason()}`, () => {
  const base = readFileSync(CORRECT, 'utf8');
  const cases: [string, [string, string], RegExp][] = [
    [
      'W1 = np.random.randn(n_x, n_h) * 0.01',
      ['W1 = np.random.randn(n_h, n_x) * 0.01', 'W1 = np.random.randn(n_x, n_h) * 0.01'],
      SWAPPED,
    ],
    [
      'initialize_parameters without np.random.seed(1)',
      ['    np.random.seed(1)\n    W1 = np.random.randn(n_h, n_x)', '    W1 = np.random.randn(n_h, n_x)'],
      NO_SEED,
    ],
  ];
  it.each(cases)(
    '%s',
    async (_name, [from, to], headline) => {
      expect(base).toContain(from);
      const dir = mkdtempSync(join(tmpdir(), 'init-draws-'));
      const file = join(dir, 'variant.py');
      writeFileSync(file, base.replace(from, to));
      const engine = pythonEngine(file, { timeoutMs: 5000 });
      try {
        const report = await runSuites(engine, ref, allSuites(), {
          seed: 0,
          runs: 10,
          functions: ['initialize_parameters', 'initialize_parameters_deep'],
        });
        const causes = rootCauses(report).map((c) => c.headline);
        expect(causes).toHaveLength(1);
        expect(causes[0]).toMatch(headline);
      } finally {
        await engine.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('classify, on hand-written initialiser evidence', () => {
  const W1 = (initializeParameters(3, 2, 1) as Record<string, NDArray>).W1; // (2, 3)
  const evidence = (actual: NDArray) => ({
    path: '["W1"]',
    expected: toWire(W1),
    actual: toWire(actual),
    inputs: { n_x: 3, n_h: 2, n_y: 1 },
    source: 'reference' as const,
  });
  it('the values transposed with the shape (a .T after the right draw)', () => {
    expect(classify('initialize_parameters', evidence(transpose(W1)), 'differs')?.sentence).toBe(
      "initialize_parameters: W1 is the notebook's draw transposed, shape (3, 2) where the notebook's is (2, 3): np.random.randn(n_h, n_x) without .T",
    );
  });
  it('the same numbers in the swapped shape (randn(n_x, n_h))', () => {
    expect(classify('initialize_parameters', evidence(new NDArray(W1.data, [3, 2])), 'differs')?.sentence).toBe(
      'initialize_parameters: W1 has shape (3, 2), its sizes swapped: it is drawn as np.random.randn(n_x, n_h); the notebook draws np.random.randn(n_h, n_x), shape (2, 3)',
    );
  });
});
