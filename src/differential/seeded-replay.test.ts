/**
 * A differential case's replay is its seed and NumPy's own draws (`np.random.seed(s); A = np.random.randn(k, m)`),
 * not every input spelt as float.fromhex: NumPy runs both and must rebuild bit for bit the same inputs the check
 * drew from RandomState(s) (the literal replay is the independent side: it spells the very doubles the check used).
 */
import { describe, expect, it } from 'vitest';
import { RandomState } from '../random/index.ts';
import { pythonReplay } from '../../properties/replay.ts';
import { hasNumpy, numpySkipReason, runPython } from '../../test/oracle/numpy.ts';
import { GENERATORS, lModelBackwardInputs } from './differential.ts';
import type { CheckContext } from '../check/types.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CORRECT = readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'correct.py'), 'utf8');
import { seededReplay } from './seeded-replays.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine } from '../engine/engine.ts';
import { runSuites } from '../run/runner.ts';
import { allSuites } from '../run/suites.ts';

const SEEDS = [0, 1, 7919, 1000003, 4294967295];

const COMPARE = `
import json, sys
import numpy as np
def same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b)
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b
out = []
for case in json.load(sys.stdin):
    seeded, literal = {}, {}
    exec(case['seeded'], seeded)
    exec(case['literal'], literal)
    out.append([case['id']] + [n for n in case['names'] if not same(seeded[n], literal[n])])
print(json.dumps(out))
`;

describe.skipIf(!hasNumpy())(`seeded replays rebuild the very inputs ${numpySkipReason()}`, () => {
  it('every generator, five seeds: NumPy gives bit for bit what RandomState gave', () => {
    const cases = Object.keys(GENERATORS).flatMap((label) =>
      SEEDS.map((seed) => {
        const { args, names } = GENERATORS[label](new RandomState(seed));
        const seeded = seededReplay(label, seed, 'pass');
        expect(seeded, label).toBeDefined();
        return {
          id: `${label}@${seed}`,
          names,
          seeded: seeded!,
          literal: pythonReplay(Object.fromEntries(names.map((n, i) => [n, args[i]])), 'pass'),
        };
      }),
    );
    const out = JSON.parse(runPython(COMPARE, JSON.stringify(cases)).toString()) as string[][];
    expect(out.length).toBe(cases.length);
    expect(out.filter((r) => r.length > 1)).toEqual([]);
  });

  it("L_model_backward: the seeded inputs and a right L_model_forward (fixtures/engines/correct.py) give the check's", async () => {
    const ctx = { reference: new ReferenceEngine() } as unknown as CheckContext;
    const cases = await Promise.all(
      SEEDS.map(async (seed) => {
        const { args, names } = await lModelBackwardInputs(new RandomState(seed), ctx);
        return {
          id: `L_model_backward@${seed}`,
          names,
          seeded: `${CORRECT}\n${seededReplay('L_model_backward', seed, 'pass')!}`,
          literal: pythonReplay(Object.fromEntries(names.map((n, i) => [n, args[i]])), 'pass'),
        };
      }),
    );
    // the forward pass is NumPy's here and the reference's in the check: equal to the last bits or nearly
    const close = COMPARE.replace('np.array_equal(a, b)', 'np.allclose(a, b, rtol=1e-13, atol=0)');
    const out = JSON.parse(runPython(close, JSON.stringify(cases)).toString()) as string[][];
    expect(out.filter((r) => r.length > 1)).toEqual([]);
  });
});

describe('a failing differential check replays from its seed', () => {
  it('a few lines with np.random.seed, no float.fromhex', async () => {
    const ref = new ReferenceEngine();
    const buggy: Engine = {
      name: 'relu-backward-off',
      functions: () => ref.functions(),
      call: async (fn, args) => {
        const out = await ref.call(fn, args);
        return fn === 'linear_forward'
          ? [((await ref.call('relu', [(out as [never])[0]])) as never[])[0], (out as never[])[1]]
          : out;
      },
      close: async () => {},
    };
    const report = await runSuites(buggy, ref, allSuites(), { seed: 0, runs: 10, functions: ['linear_forward'] });
    const diff = report.checks.find((c) => c.id === 'differential/linear_forward')!;
    expect(diff.status).toBe('fail');
    const python = diff.counterexample!.replay!.python!;
    expect(python).toMatch(/^import numpy as np\nnp\.random\.seed\(\d+\)/);
    expect(python).not.toContain('fromhex');
    expect(python.split('\n').length).toBeLessThan(8);
    expect(python.trim().endsWith('result = linear_forward(A, W, b)')).toBe(true);
  });
});
