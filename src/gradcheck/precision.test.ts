/**
 * The float32 gradient check tells rounding from a wrong derivative: on a float32 engine (Math.fround after every
 * operation) the float64 settings fail a correct backward pass, the float32 ones pass it and still fail a missing
 * 1/m. The full measurement (1000 architectures, the catalogue's bugs) is scripts/precision-measure.ts.
 */
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../adapters/in-process.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { float32Engine } from '../../fixtures/engines/js/float32/engine.ts';
import { randomProblem } from './suite.ts';
import { engineModel } from './engine-model.ts';
import { assess, fullCheck, noiseAwareThreshold } from './full.ts';
import { costNoise, float32Threshold, gradcheckSettings } from './precision.ts';

const reference = new ReferenceEngine();
const CASES: [number[], number][] = [
  [[3, 4, 1], 5],
  [[5, 3, 2, 1], 4],
  [[2, 6, 1], 8],
];

async function check(bugs: never[], precision: 'float32' | 'float64', dims: number[], m: number, seed: number) {
  const p = randomProblem(dims, m, seed);
  const model = engineModel(inProcessEngine(float32Engine({ bugs })), p.X, p.Y);
  const { epsilon } = gradcheckSettings(precision);
  const raw = await fullCheck(model, p.parameters, { epsilon, threshold: Infinity, precision });
  const J = (await model.forward(p.parameters)).cost;
  const threshold =
    precision === 'float32'
      ? float32Threshold(raw.analytic, raw.numeric, await costNoise(reference, p.X, p.Y, p.parameters), raw.steps!)
      : noiseAwareThreshold(raw.analytic, raw.numeric, J, epsilon);
  return assess(raw.layout, raw.analytic, raw.numeric, raw.skipped, threshold, m);
}

describe('gradient checks at float32', () => {
  it('the float64 settings fail a correct float32 engine; the float32 settings pass it', async () => {
    for (const [i, [dims, m]] of CASES.entries()) {
      expect((await check([], 'float64', dims, m, 100 + i)).passed).toBe(false);
      const r = await check([], 'float32', dims, m, 100 + i);
      expect(r.passed, r.message).toBe(true);
    }
  });

  it('a missing 1/m in a float32 engine fails the float32 check, on the dW keys', async () => {
    for (const [i, [dims, m]] of CASES.entries()) {
      const r = await check(['dW-missing-1/m'] as never[], 'float32', dims, m, 100 + i);
      expect(r.passed).toBe(false);
      expect(r.message).toMatch(/dW/);
    }
  });
});
