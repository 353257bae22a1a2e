/**
 * The softmax assignment against its own reference and engines (fixtures/engines/softmax/engines.ts): the correct
 * engine passes every check; each mutant fails on its own function, and the functions it does not touch pass.
 */
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../../adapters/in-process.ts';
import { runSuites } from '../../run/runner.ts';
import { MUTANTS, correct, textbook } from '../../../fixtures/engines/softmax/engines.ts';
import { NDArray } from '../../tensor/ndarray.ts';
import {
  crossEntropyOneHotPerExample,
  crossEntropyPerExample,
  deltaCrossEntropyOneHotPerExample,
  deltaCrossEntropyPerExample,
} from '../../engine/reference/extras.ts';
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
    expect(r.warnings ?? []).toEqual([]);
    const kinds = new Set(r.checks.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(['differential', 'fixture', 'gradcheck', 'property']);
    expect(r.checks.filter((c) => c.kind === 'fixture' && c.status === 'pass')).toHaveLength(8);
    const overflow = r.checks.find((c) => c.id === 'property/softmax/overflow-on-large-inputs-documented');
    expect(overflow?.status).toBe('pass');
    expect(overflow?.message).toMatch(/NaN|nan.*documented, not failed|overflows/i);
  });

  it('the textbook softmax (normalised per example) passes with exactly a softmax-per-example warning on each function', async () => {
    const r = await run(textbook);
    expect(failing(r)).toEqual([]);
    expect(r.verdict).toBe('warn');
    expect(new Set(r.warnings?.map((w) => w.kind))).toEqual(new Set(['softmax-per-example']));
    expect(r.warnings?.map((w) => w.function).sort()).toEqual([...SOFTMAX_FUNCTIONS].sort());
    for (const w of r.warnings ?? [])
      expect(w.message).toBe(
        `${w.function} normalises each example (column), where the seed normalises the whole array; for one example they agree; this is the usual softmax, and the one whose delta is the derivative of its cross-entropy for any m`,
      );
    const status = (id: string) => r.checks.find((c) => c.id === id)?.status;
    // one column: the seed's values, no warning; several: the pack's (whole-array) values differ, accepted with it
    expect(status('fixture/softmax-numpy/softmax')).toBe('pass');
    expect(status('fixture/softmax-numpy/softmax_matrix')).toBe('warn');
    expect(status('fixture/softmax-numpy/delta_cross_entropy')).toBe('warn');
    expect(status('differential/cross_entropy/matches-the-reference')).toBe('warn');
    expect(status('property/softmax/sums-to-one')).toBe('warn');
    expect(status('gradcheck/delta_cross_entropy/is-the-derivative-of-cross_entropy')).toBe('pass');
  });

  it('a softmax normalised neither over the whole array nor per example still fails (the warning is no escape)', async () => {
    // each column normalised, then the whole array scaled by 1/m: sums to 1 overall, matches neither form for m > 1
    const halfway = (z: NDArray) => {
      const a = textbook.softmax!(z) as NDArray;
      return new NDArray(
        a.data.map((x) => x / (z.shape[1] as number)),
        z.shape,
      );
    };
    const r = await run({ ...correct, softmax: halfway });
    expect(failing(r)).toEqual(['softmax']);
    expect(r.warnings ?? []).toEqual([]);
  });

  it("the per-example reference's deltas are the derivatives of its cross-entropies for m > 1 (central differences)", () => {
    const Z = NDArray.from([
      [0.5, -1, 2],
      [0.2, 0.3, -0.4],
      [-1.1, 0.8, 0.1],
    ]);
    const y = NDArray.from([[0, 1, 2]], 'int64');
    const Y = NDArray.from([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const h = 1e-6;
    for (const [cost, delta, target] of [
      [crossEntropyPerExample, deltaCrossEntropyPerExample, y],
      [crossEntropyOneHotPerExample, deltaCrossEntropyOneHotPerExample, Y],
    ] as const) {
      const g = delta(Z, target);
      for (let k = 0; k < Z.size; k++) {
        const at = (d: number) => {
          const data = Z.data.slice();
          data[k] = (data[k] as number) + d;
          return cost(new NDArray(data, Z.shape), target);
        };
        expect(g.data[k]).toBeCloseTo((at(h) - at(-h)) / (2 * h), 8);
      }
    }
  });

  /** What a failing check of each mutant's function says: the bug by name (diagnoses.ts, or the property's message). */
  const SAYS: Record<string, RegExp> = {
    'softmax-unnormalised': /softmax returns exp\(z\) without dividing by the sum/,
    'softmax-over-rows': /softmax normalises each row \(np\.sum\(exps, axis=1\)\)/,
    'stable-softmax-max-outside-exp': /stable_softmax subtracts the max after exponentiating/,
    'stable-softmax-no-shift': /stable_softmax overflows on logits around/,
    'stable-softmax-min':
      /stable_softmax('s entries are all 0 on logits around \d+: the sum of its exponentials)? overflows/,
    'cross-entropy-no-mean': /cross_entropy sums the log-likelihoods without dividing by m/,
    'cross-entropy-log-logits': /cross_entropy takes the log of the logits Z, not of softmax\(Z\)/,
    'cross-entropy-m-from-classes': /cross_entropy divides by the number of classes \(Z\.shape\[0\]\)/,
    'cross-entropy-one-hot-sign': /cross_entropy_one_hot has no minus sign/,
    'delta-no-label': /delta_cross_entropy does not subtract the labels/,
    'delta-not-averaged': /delta_cross_entropy does not divide by m/,
    'delta-softmax-minus-logits': /delta_cross_entropy subtracts the logits Z, not the labels/,
    'delta-one-hot-forgets-softmax': /delta_cross_entropy_one_hot forgets softmax/,
    'delta-one-hot-swapped': /delta_cross_entropy_one_hot has its sign swapped/,
    'delta-one-hot-squared': /delta_cross_entropy_one_hot multiplies by softmax\(Z\) once more/,
  };

  it('every mutant has what its failure should say', () => {
    expect(Object.keys(SAYS).sort()).toEqual(MUTANTS.map((m) => m.id).sort());
  });

  for (const m of MUTANTS) {
    it(`${m.id}: caught against ${m.function} (${m.about}), the failure naming the bug`, async () => {
      const r = await run(m.engine);
      expect(r.verdict).toBe('fail');
      expect(failing(r)).toEqual([m.function]);
      expect(r.warnings ?? []).toEqual([]);
      const messages = r.checks.filter((c) => c.status === 'fail').map((c) => c.message);
      expect(
        messages.some((msg) => SAYS[m.id]!.test(msg)),
        messages.join('\n'),
      ).toBe(true);
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
