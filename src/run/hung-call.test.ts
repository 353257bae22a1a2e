/**
 * A hang's counterexample is the call that hung: the engine's L_model_backward loops forever on m = 7 (the
 * gradient check [5,4,1]/m=7 meets it first), and the checks after it fail fast on other inputs (m = 6, ...).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleEngine } from '../adapters/index.ts';
import { verifyEngine } from '../index.ts';
import { rootCauses } from '../diagnose/root-cause.ts';

const HANGS = join(import.meta.dirname, '..', '..', 'fixtures', 'engines', 'js', 'hangs-at-7.ts');

describe('the call that hung', () => {
  it('is the counterexample of the hang, with its function and its exact inputs (m = 7)', async () => {
    const engine = moduleEngine(HANGS, { timeoutMs: 2000 });
    try {
      const report = await verifyEngine(engine, { runs: 10, functions: ['L_model_backward'] });
      const [cause, ...others] = rootCauses(report);
      expect(others).toEqual([]);
      expect(cause.function).toBe('L_model_backward');
      expect(cause.headline).toMatch(/does not return within the time limit/);
      const ce = cause.counterexample!;
      expect(ce.description).toMatch(/^the call that hung: L_model_backward\(AL \(1, 7\), Y \(1, 7\), caches/);
      const inputs = ce.inputs as Record<string, { shape: number[] }>;
      expect(inputs.AL.shape).toEqual([1, 7]);
      expect(ce.replay?.python).toMatch(/L_model_backward\(AL, Y, caches\)$/);
      // the checks that only failed fast keep their own story: none claims to be the call that hung
      const failedFast = report.checks.filter((c) => c.message.includes('not called again'));
      expect(failedFast.length).toBeGreaterThan(0);
      for (const c of failedFast) expect(c.counterexample?.description ?? '').not.toMatch(/the call that hung/);
    } finally {
      await engine.close();
    }
  }, 60_000);
});
