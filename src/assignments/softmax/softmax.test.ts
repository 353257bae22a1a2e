/**
 * The softmax assignment against its own reference and engines (fixtures/engines/softmax/engines.ts): the correct
 * engine passes every check; each mutant fails on its own function, and the functions it does not touch pass.
 */
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../../adapters/in-process.ts';
import { runSuites } from '../../run/runner.ts';
import { MUTANTS, correct } from '../../../fixtures/engines/softmax/engines.ts';
import { softmaxAssignment } from './index.ts';
import { SOFTMAX_FUNCTIONS } from './suites.ts';

const options = { seed: 7, runs: 12, functions: [...SOFTMAX_FUNCTIONS], assignment: softmaxAssignment };
const run = (fns: Record<string, unknown>) =>
  runSuites(inProcessEngine(fns), softmaxAssignment.reference(), softmaxAssignment.suites(), options);
const failing = (r: Awaited<ReturnType<typeof run>>) =>
  [...new Set(r.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.function))].sort();

describe('softmax assignment', () => {
  it('declares its six functions at 0 points (ungraded), the reference passes its own suites', async () => {
    expect(softmaxAssignment.functions.map((f) => f.name)).toEqual([...SOFTMAX_FUNCTIONS]);
    expect(softmaxAssignment.functions.every((f) => f.points === 0 && f.required)).toBe(true);
    const r = await runSuites(
      softmaxAssignment.reference(),
      softmaxAssignment.reference(),
      softmaxAssignment.suites(),
      options,
    );
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
  });

  it('an independent correct engine passes; the naive softmax overflow is documented, not failed', async () => {
    const r = await run(correct);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('pass');
    const kinds = new Set(r.checks.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['differential', 'fixture', 'gradcheck', 'property']);
    expect(r.checks.filter((c) => c.kind === 'fixture' && c.status === 'pass')).toHaveLength(8);
    const overflow = r.checks.find((c) => c.id === 'property/softmax/overflow-on-large-inputs-documented');
    expect(overflow?.status).toBe('pass');
    expect(overflow?.message).toMatch(/NaN|nan.*documented, not failed|overflows/i);
  });

  for (const m of MUTANTS) {
    it(`${m.id}: caught against ${m.function} (${m.about})`, async () => {
      const r = await run(m.engine);
      expect(r.verdict).toBe('fail');
      expect(failing(r)).toEqual([m.function]);
    });
  }

  it('the gradient check blames the derivative, not a wrong cost: with cross_entropy broken, delta_cross_entropy still passes', async () => {
    const broken = MUTANTS.find((m) => m.id === 'cross-entropy-no-mean');
    const r = await run(broken!.engine);
    const grad = r.checks.filter((c) => c.kind === 'gradcheck' && c.function === 'delta_cross_entropy');
    expect(grad.map((c) => c.status)).toEqual(['pass']);
  });

  it("the seed's whole-array softmax: for more than one example its delta is not the derivative of its cross_entropy (why the gradient check uses one)", async () => {
    const ref = softmaxAssignment.reference();
    const { NDArray } = await import('../../tensor/ndarray.ts');
    const Z = NDArray.from([
      [0.5, -1],
      [0.2, 0.3],
    ]);
    const y = NDArray.from([[0, 1]]);
    const h = 1e-6;
    const cost = async (k: number, d: number) => {
      const data = Z.data.slice();
      data[k] = (data[k] as number) + d;
      return (await ref.call('cross_entropy', [new NDArray(data, Z.shape), y])) as number;
    };
    const numeric = [];
    for (let k = 0; k < 4; k++) numeric.push(((await cost(k, h)) - (await cost(k, -h))) / (2 * h));
    const delta = (await ref.call('delta_cross_entropy', [Z, y])) as InstanceType<typeof NDArray>;
    // d/dZ of -(1/m) sum log p[y_i, i] with p normalised over the whole array is softmax(Z) - onehot/m
    const softmax = (await ref.call('softmax', [Z])) as InstanceType<typeof NDArray>;
    const wholeArray = Array.from(softmax.data, (p, k) => p - ([1, 0, 0, 1][k] as number) / 2);
    numeric.forEach((n, k) => expect(n).toBeCloseTo(wholeArray[k] as number, 8));
    expect(Math.max(...numeric.map((n, k) => Math.abs(n - (delta.data[k] as number))))).toBeGreaterThan(0.1);
  });
});
