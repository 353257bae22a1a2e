/** Gradient checks on engines: no false alarms on a correct engine (kinks included), bugs found and named. */
import { describe, expect, it } from 'vitest';
import { NDArray } from '../tensor/ndarray.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Engine, Value } from '../engine/engine.ts';
import { runSuites } from '../run/runner.ts';
import { gradcheckSuite, noiseAwareThreshold, randomProblem } from './suite.ts';
import { engineModel } from './engine-model.ts';
import { assess, fullCheck } from './full.ts';
import { directionalCheck } from './directional.ts';
import { RandomState } from '../random/index.ts';

/** The reference engine with one function's result rewritten: a planted bug. */
function mutant(rewrite: (fn: string, out: Value) => Value): Engine {
  const ref = new ReferenceEngine();
  return {
    name: 'mutant',
    functions: () => ref.functions(),
    call: async (fn, args) => rewrite(fn, await ref.call(fn, args)),
    close: async () => {},
  };
}

const scaleKey = (key: string, s: number) => (fn: string, out: Value) => {
  if (fn !== 'L_model_backward') return out;
  const g = { ...(out as Record<string, NDArray>) };
  g[key] = new NDArray(
    g[key].data.map((x) => x * s),
    g[key].shape,
  );
  return g;
};

describe('gradient-check suite', () => {
  it('passes the reference engine', async () => {
    const ref = new ReferenceEngine();
    const report = await runSuites(ref, ref, [gradcheckSuite], { seed: 3, runs: 10 });
    expect(report.summary.total).toBe(9);
    expect(report.checks.filter((c) => c.status !== 'pass').map((c) => c.message)).toEqual([]);
  });

  it('finds a db1 computed with 4/m and names it', async () => {
    const bad = mutant(scaleKey('db1', 4));
    const report = await runSuites(bad, new ReferenceEngine(), [gradcheckSuite], { seed: 3, runs: 10 });
    const full = report.checks.filter((c) => c.id.startsWith('gradcheck/full') && c.status === 'fail');
    // all six architectures fail but for one whose ReLU units may all be dead for m = 1 (then db1 = 0 = 4 * 0)
    expect(full.length).toBeGreaterThanOrEqual(5);
    expect(full.every((c) => /db1 off by a factor of 4/.test(c.message))).toBe(true);
    expect(full[0].counterexample?.replay?.python).toMatch(/L_model_backward/);
    expect(
      report.checks.filter((c) => c.id.startsWith('gradcheck/directional')).every((c) => c.status === 'fail'),
    ).toBe(true);
  });

  it('finds a sign error in dW2 with the directional (fast) mode alone', async () => {
    const p = randomProblem([30, 20, 10, 1], 16, 5);
    const r = await directionalCheck(engineModel(mutant(scaleKey('dW2', -1)), p.X, p.Y), p.parameters, { seed: 'x' });
    expect(r.passed).toBe(false);
  });

  it('no false alarm on 1000 random correct cases, many of them with a pre-activation at a ReLU kink', async () => {
    const ref = new ReferenceEngine();
    const rs = new RandomState(2024);
    let alarms = 0;
    let skippedTotal = 0;
    let kinkCases = 0;
    let alarmsWithoutSkipping = 0;
    for (let t = 0; t < 1000; t++) {
      const depth = 1 + (t % 4);
      const dims = [
        1 + Number(rs.randint(0, 6)),
        ...Array.from({ length: depth - 1 }, () => 1 + Number(rs.randint(0, 5))),
        1,
      ];
      const m = 1 + Number(rs.randint(0, 6));
      const p = randomProblem(dims, m, t);
      if (depth > 1 && t % 2 === 0) {
        // put Z1[0, 0] within 1e-9 of the kink: b1[0] = -(W1[0, :] · X[:, 0]) + tiny
        const W1 = p.parameters.W1;
        let z = 0;
        for (let j = 0; j < dims[0]; j++) z += W1.data[j] * p.X.data[j * m];
        p.parameters.b1.data[0] = -z + 1e-9 * (t % 4 === 0 ? 1 : -1);
        kinkCases++;
      }
      const model = engineModel(ref, p.X, p.Y);
      const raw0 = await fullCheck(model, p.parameters, { epsilon: 1e-7, threshold: Infinity });
      const threshold = noiseAwareThreshold(
        raw0.analytic,
        raw0.numeric,
        (await model.forward(p.parameters)).cost,
        1e-7,
      );
      const r = assess(raw0.layout, raw0.analytic, raw0.numeric, raw0.skipped, threshold);
      if (!r.passed) alarms++;
      skippedTotal += r.skippedCount;
      if (t % 2 === 0 && depth > 1) {
        const raw = await fullCheck(model, p.parameters, { epsilon: 1e-7, threshold, kinks: false });
        if (!raw.passed) alarmsWithoutSkipping++;
      }
    }
    console.log(
      `gradcheck: 1000 correct cases (${kinkCases} placed at a kink): ${alarms} false alarms, ${skippedTotal} kink coordinates skipped; without kink skipping ${alarmsWithoutSkipping} false alarms`,
    );
    expect(alarms).toBe(0);
    expect(skippedTotal).toBeGreaterThan(0);
    expect(alarmsWithoutSkipping).toBeGreaterThan(0); // the kink cases are real: skipping is what removes the alarms
  }, 60_000);
});
