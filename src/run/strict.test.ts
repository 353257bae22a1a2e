/**
 * One meaning of strict across the CLI, vitest and the library: warnings count as failures, the checks of a
 * function the engine should define and does not fail, and other functions' checks (delta_cross_entropy_one_hot,
 * not a Step-by-Step function) stay skipped. verifyEngine takes strict, and its report carries the root causes.
 */
import { describe, expect, it } from 'vitest';
import { verifyEngine } from '../index.ts';
import { strictOutcome } from './strict.ts';
import type { CheckResult } from '../check/types.ts';
import * as kink from '../../fixtures/engines/js/relu/kink.ts';
import * as leaky from '../../fixtures/engines/js/relu/leaky.ts';

const result = (fn: string, status: CheckResult['status']): CheckResult => ({
  id: `x/${fn}`,
  function: fn,
  kind: 'property',
  status,
  message: `the engine does not define ${fn}`,
});

describe('strict', () => {
  it('skips the checks of a function the engine need not define, strict or not', () => {
    const missing = new Set(['linear_backward']);
    expect(strictOutcome(result('delta_cross_entropy_one_hot', 'skip'), true, missing).test).toBe('skip');
    expect(strictOutcome(result('linear_backward', 'skip'), true, missing).test).toBe('fail');
    expect(strictOutcome(result('linear_backward', 'skip'), false, missing).test).toBe('skip');
    expect(strictOutcome(result('relu_backward', 'warn'), true, missing).test).toBe('fail');
    expect(strictOutcome(result('relu_backward', 'warn'), false, missing).test).toBe('warn');
  });

  it('verifyEngine: a warning fails under strict, and the report says strict', async () => {
    const loose = await verifyEngine(kink, { runs: 10, functions: ['relu_backward'] });
    expect(loose.verdict).toBe('warn');
    const strict = await verifyEngine(kink, { runs: 10, functions: ['relu_backward'], strict: true });
    expect(strict.verdict).toBe('fail');
    expect(strict.strict).toBe(true);
  });

  it("verifyEngine's report carries the root causes", async () => {
    const report = await verifyEngine(leaky, { runs: 10, functions: ['relu_backward'] });
    expect(report.rootCauses?.map((c) => c.function)).toEqual(['relu_backward']);
    expect(report.rootCauses?.[0].headline).toMatch(/leaky/);
  });
});
