/**
 * Week 2 in-process: the reference reproduces every printed value of every pack; planted bugs in an in-process
 * engine are failed against their own function with their one-sentence diagnosis; the int-b scan of a source.
 */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../tensor/ndarray.ts';
import type { Engine, Value } from '../../engine/engine.ts';
import { runSuites } from '../../run/runner.ts';
import { loadPacks } from '../../packs/suite.ts';
import { assignment, PACKS } from './index.ts';
import { FUNCTIONS } from './suites.ts';
import { intBiasLine } from './source-scan.ts';
import { ReferenceEngine } from '../../engine/reference-engine.ts';

const NAMES = assignment.functions.map((f) => f.name);
const run = (engine: Engine) =>
  runSuites(engine, assignment.reference(), assignment.suites(), { seed: 3, runs: 8, functions: NAMES, assignment });

/** The reference with one function's result rewritten: a planted bug. */
function planted(fn: string, rewrite: (v: Value, args: readonly Value[]) => Value): Engine {
  const ref = assignment.reference();
  return {
    name: `planted:${fn}`,
    functions: () => ref.functions(),
    call: async (f, args, kwargs) => {
      const v = await ref.call(f, args, kwargs);
      return f === fn ? rewrite(v, args) : v;
    },
    close: async () => {},
  };
}
const scaled = (s: number, a: NDArray) =>
  new NDArray(
    a.data.map((x) => s * x),
    a.shape,
  );

describe('week 2 (logistic regression)', () => {
  it('the reference reproduces every printed value of the four packs, and passes every check', async () => {
    const packs = loadPacks(PACKS, FUNCTIONS);
    expect(packs.map((p) => p.name)).toEqual([
      'logistic-v3-en',
      'logistic-v6a-en',
      'logistic-w2a2-en-notebook',
      'logistic-w2a2-en-public-tests',
    ]);
    const r = await run(assignment.reference());
    const fixtures = r.checks.filter((c) => c.kind === 'fixture');
    expect(fixtures).toHaveLength(packs.reduce((n, p) => n + p.cases.length, 0));
    expect(r.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(new Set(r.checks.map((c) => c.kind))).toEqual(
      new Set(['fixture', 'contract', 'gradcheck', 'property', 'differential']),
    );
  });

  const cases: [string, string, (v: Value, args: readonly Value[]) => Value, string][] = [
    [
      'propagate',
      'dw without 1/m',
      (v, args) => {
        const [g, c] = v as [Record<string, Value>, Value];
        return [{ ...g, dw: scaled((args[2] as NDArray).shape[1], g.dw as NDArray) }, c];
      },
      'dw is missing the 1/m factor',
    ],
    [
      'propagate',
      "the cost's sign",
      (v) => {
        const [g, c] = v as [Record<string, Value>, number];
        return [g, -c];
      },
      'wrong sign',
    ],
    [
      'optimize',
      'costs every iteration',
      (v, args) => {
        const [p, g, costs] = v as [Value, Value, number[]];
        return [p, g, Array.from({ length: args[4] as number }, (_, i) => costs[0] - i * 1e-3)];
      },
      'every iteration',
    ],
    [
      'predict',
      'threshold inverted',
      (v) =>
        new NDArray(
          (v as NDArray).data.map((x) => 1 - x),
          (v as NDArray).shape,
        ),
      'inverts the labels',
    ],
    ['sigmoid', "week 4's [A, cache]", (v, args) => [v, args[0]], 'returns one array'],
  ];
  for (const [fn, bug, rewrite, sentence] of cases)
    it(`${fn} with ${bug} fails on ${fn}, diagnosed "${sentence}"`, async () => {
      const r = await run(planted(fn, rewrite));
      expect(r.verdict).toBe('fail');
      const failing = new Set(r.checks.filter((c) => c.status === 'fail').map((c) => c.function));
      expect(failing.has(fn)).toBe(true);
      for (const f of failing) expect(f === fn || assignment.calls[f]?.length).toBeTruthy();
      expect(r.rootCauses?.find((c) => c.function === fn)?.headline).toContain(sentence);
    });

  it('the gradient check tells a wrong cost (right gradients) from a wrong dw', async () => {
    const cost = await run(
      planted('propagate', (v) => {
        const [g, c] = v as [Value, number];
        return [g, 2 * c];
      }),
    );
    const costCheck = cost.checks.find((c) => c.id === 'gradcheck/logistic/propagate#0');
    expect(costCheck?.status).toBe('fail');
    expect(costCheck?.message).toContain('the cost is wrong');
    const dw = await run(
      planted('propagate', (v) => {
        const [g, c] = v as [Record<string, Value>, number];
        return [{ ...g, dw: scaled(-1, g.dw as NDArray) }, c];
      }),
    );
    const dwCheck = dw.checks.find((c) => c.id === 'gradcheck/logistic/propagate#0');
    expect(dwCheck?.status).toBe('fail');
    expect(dwCheck?.message).toMatch(/^dw \(difference [\d.e+-]+\) does not match central differences/);
  });

  it("probes sigmoid: week 2's returns one array, week 4's [A, cache] is not this assignment", async () => {
    expect(await assignment.probe?.(assignment.reference())).toMatchObject({ score: 1 });
    expect(await assignment.probe?.(new ReferenceEngine())).toBeUndefined();
    expect(await assignment.probe?.(planted('sigmoid', () => null))).toBeUndefined();
  });

  it("finds an int b in initialize_with_zeros' source, and only there", () => {
    const src = (b: string) =>
      `import numpy as np\ndef initialize_with_zeros(dim):\n    w = np.zeros((dim, 1))\n${b}\n    return w, b\n\ndef f():\n    b = 0\n`;
    expect(intBiasLine(src('    b = 0'))).toBe('b = 0');
    expect(intBiasLine(src('    b = 0 # bias'))).toBe('b = 0');
    expect(intBiasLine(src('    b = 0.'))).toBeUndefined();
    expect(intBiasLine(src('    b = 0.0'))).toBeUndefined();
    expect(intBiasLine(src('    b = float(0)'))).toBeUndefined();
    expect(intBiasLine(src('    b = 0\n    b = float(b)'))).toBeUndefined();
    expect(intBiasLine('def initialize_with_zeros(dim):\n    w = np.zeros((dim, 1))\n    return w, 0\n')).toBe(
      'return w, 0',
    );
    expect(intBiasLine('def initialize_with_zeros(dim):\n    return np.zeros((dim, 1)), 0.\n')).toBeUndefined();
    // b bound in a tuple, or the int in a return whose first item is a call (seen outside the measured corpus)
    const body = (lines: string) => `def initialize_with_zeros(dim):\n${lines}\n`;
    expect(intBiasLine(body('    w, b = np.zeros(shape=(dim, 1)), 0\n    return w, b'))).toBe(
      'w, b = np.zeros(shape=(dim, 1)), 0',
    );
    expect(intBiasLine(body('    (w, b) = (np.zeros((dim, 1)), 0)\n    return w, b'))).toBe(
      '(w, b) = (np.zeros((dim, 1)), 0)',
    );
    expect(intBiasLine(body('    w, b = np.zeros((dim, 1)), 0.0\n    return w, b'))).toBeUndefined();
    expect(intBiasLine(body('    w, b = np.zeros((dim, 1)), 0\n    b = float(b)\n    return w, b'))).toBeUndefined();
    expect(intBiasLine(body('    return np.zeros((dim, 1)), 0'))).toBe('return np.zeros((dim, 1)), 0');
    expect(intBiasLine(body("    return np.zeros((dim, 1), dtype='float64'), 0"))).toBe(
      "return np.zeros((dim, 1), dtype='float64'), 0",
    );
    expect(
      intBiasLine(body('    w = np.zeros((dim, 1))\n    assert w.shape == (dim, 1)\n    return w, 0.')),
    ).toBeUndefined();
  });
});
