/** The course's published gradient-check numbers, regenerated from its seed. */
import { describe, expect, it } from 'vitest';
import { fullCheck } from './full.ts';
import { courseCase, courseModel } from './course.ts';
import { suspectKeys } from './diagnose.ts';

describe('Course 2 "Gradient Checking", 47-parameter case', () => {
  const { X, Y, parameters } = courseCase();
  it('has 47 parameters', async () => {
    const r = await fullCheck(courseModel(X, Y, false), parameters, { kinks: false });
    expect(r.layout.size).toBe(47);
  });
  it('correct backprop: difference about 1.19e-07 (the course prints 1.1890913024229996e-07)', async () => {
    const r = await fullCheck(courseModel(X, Y, false), parameters, { kinks: false });
    expect(r.difference).toBeGreaterThan(1.0e-7);
    expect(r.difference).toBeLessThan(1.4e-7);
    expect(r.passed).toBe(true);
  });
  it('planted bugs: difference 0.2850931567761623, and the diagnosis names dW2 (x2) and db1 (x4)', async () => {
    const r = await fullCheck(courseModel(X, Y, true), parameters, { kinks: false });
    expect(r.difference).toBeCloseTo(0.2850931567761623, 9);
    expect(r.passed).toBe(false);
    expect(r.message).toMatch(/dW2 off by a factor of 2/);
    expect(r.message).toMatch(/db1 off by a factor of 4 \(e\.g\. 4\/m where 1\/m belongs, m = 3\)/);
    expect(
      suspectKeys(r.keys)
        .map((k) => k.key)
        .sort(),
    ).toEqual(['W2', 'b1']);
    expect(r.message).not.toMatch(/db3|dW1|dW3|db2/);
  });
});
