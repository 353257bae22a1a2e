/**
 * relu_backward's bugs named region by region: a leaky slope or a sign flip is named as such, never as the
 * tolerated kink convention; the counterexamples are readable and show expected and actual.
 */
import { describe, expect, it } from 'vitest';
import { verifyEngine } from '../index.ts';
import { rootCauses } from './root-cause.ts';
import { diagnoseReluBackward } from './relu.ts';
import * as kink from '../../fixtures/engines/js/relu/kink.ts';
import * as leaky from '../../fixtures/engines/js/relu/leaky.ts';
import * as signFlip from '../../fixtures/engines/js/relu/sign-flip.ts';

const PROPERTY = 'property/relu_backward/zero-exactly-where-Z-<=-0';
const KINK = /passes the gradient where Z == 0/;

describe('diagnoseReluBackward', () => {
  const Z = [-2, -0.5, 0, 0.5, 2];
  const dA = [1.5, -2, 3, -1, 0.25];
  it('names a leaky slope, an unmasked gradient and a sign flip', () => {
    expect(diagnoseReluBackward(dA, Z, [0.015, -0.02, 0.03, -1, 0.25])?.sentence).toBe(
      "relu_backward returns 0.01·dA where Z <= 0 (a leaky ReLU's derivative); the notebook's dZ is dA where Z > 0 and 0 where Z <= 0",
    );
    expect(diagnoseReluBackward(dA, Z, [0, 0, 0, 1, -0.25])?.cause).toBe('relu-sign');
    expect(diagnoseReluBackward(dA, Z, [1.5, -2, 3, -1, 0.25])?.cause).toBe('relu-unmasked');
    expect(diagnoseReluBackward(dA, Z, [-1.5, 2, 0, -1, 0.25])?.sentence).toMatch(/returns -dA where Z < 0/);
  });
  it('takes the kink convention only when Z == 0 alone differs and Z < 0 is masked', () => {
    expect(diagnoseReluBackward(dA, Z, [0, 0, 3, -1, 0.25])?.cause).toBe('relu-kink');
    expect(diagnoseReluBackward(dA, Z, [0, 0, 0, -1, 0.25])).toBeUndefined();
    // only Z == 0 in the evidence: a kink cannot be told from a leak there
    expect(diagnoseReluBackward([2], [0], [2])?.sentence).not.toMatch(KINK);
  });
});

describe('relu_backward mutants, end to end', () => {
  const run = (engine: Record<string, unknown>) => verifyEngine(engine, { runs: 25, functions: ['relu_backward'] });

  for (const [name, engine, headline] of [
    ['leaky (0.01·dA where Z <= 0)', leaky, /returns 0\.01·dA where Z <?=? ?0 \(a leaky ReLU's derivative\)/],
    ['sign flip (-dA where Z > 0)', signFlip, /returns -dA where Z > 0 \(the sign is flipped\)/],
  ] as const) {
    it(`${name}: named as such, with a readable counterexample that shows expected and actual`, async () => {
      const report = await run(engine);
      expect(report.verdict).toBe('fail');
      const causes = rootCauses(report);
      expect(causes.map((c) => c.function)).toEqual(['relu_backward']);
      expect(causes[0].headline).toMatch(headline);
      expect(causes[0].headline).not.toMatch(KINK);
      const property = report.checks.find((c) => c.id === PROPERTY)!;
      expect(property.status).toBe('fail');
      expect(property.message).toMatch(headline);
      const ce = property.counterexample!;
      expect(ce.expected).toBeDefined();
      expect(ce.actual).toBeDefined();
      expect(ce.actual).not.toEqual(ce.expected);
      const numbers = JSON.stringify(ce.inputs)
        .match(/-?\d[\d.]*(e[-+]?\d+)?/g)!
        .map(Number);
      for (const x of numbers) expect(x === 0 || Math.abs(x) >= 1e-3, `readable: ${x}`).toBe(true);
      for (const c of report.checks.filter((c) => c.status === 'fail')) {
        expect(c.counterexample?.expected, c.id).toBeDefined();
        expect(c.counterexample?.actual, c.id).toBeDefined();
      }
    });
  }

  it('derivative 1 at Z == 0 only: the tolerated convention, a warning', async () => {
    const report = await run(kink);
    expect(report.verdict).toBe('warn');
    expect(report.warnings?.map((w) => w.kind)).toEqual(['relu-subgradient-at-0']);
  });
});
