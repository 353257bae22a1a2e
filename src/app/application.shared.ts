/** Shared body of the two Application tests (one file per model so that vitest runs them in parallel). */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatData } from './data.ts';
import { accuracy, lLayerModel, twoLayerModel } from './models.ts';
import { PUBLISHED, printedAccuracy } from './published.ts';

const GOLDEN = JSON.parse(readFileSync(join(import.meta.dirname, 'golden', 'application.json'), 'utf8'));

export async function reproduce(model: 'two-layer' | 'L-layer') {
  const d = await loadCatData();
  const run = model === 'two-layer' ? twoLayerModel(d.trainX, d.trainY) : lLayerModel(d.trainX, d.trainY);
  const published = PUBLISHED[model];
  const numpy = GOLDEN[model];
  const costs = run.costs.map((c) => c.cost);
  expect(costs.length).toBe(25);
  let worst = 0;
  costs.forEach((c, i) => {
    const rel = Math.abs(c - numpy.costs[i]) / numpy.costs[i];
    worst = Math.max(worst, rel);
    expect(rel, `cost at iteration ${100 * i}: ours ${c}, NumPy ${numpy.costs[i]}`).toBeLessThanOrEqual(1e-9);
    if (published.costDecimals === null) {
      expect(
        Math.abs(c - published.costs[i]) / published.costs[i],
        `cost at ${100 * i}: ours ${c}, published ${published.costs[i]}`,
      ).toBeLessThanOrEqual(1e-9);
    } else {
      // printed with %f: equal at 6 decimals
      expect(
        Math.abs(c - published.costs[i]),
        `cost at ${100 * i}: ours ${c}, published ${published.costs[i]}`,
      ).toBeLessThanOrEqual(0.5e-6 + 1e-12);
    }
  });
  const train = accuracy(d.trainX, d.trainY, run.parameters);
  const test = accuracy(d.testX, d.testY, run.parameters);
  expect(train).toBe(numpy.train_accuracy);
  expect(test).toBe(numpy.test_accuracy);
  expect(printedAccuracy(train)).toBe(published.trainAccuracy);
  expect(printedAccuracy(test)).toBe(published.testAccuracy);
  console.log(
    `${model}: 25 costs within rtol ${worst.toExponential(2)} of NumPy; accuracy train ${train}, test ${test}`,
  );
}
