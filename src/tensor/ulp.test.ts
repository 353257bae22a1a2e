/** ulpDistance counts the doubles between two values (the unit the golden tests report). */
import { describe, expect, it } from 'vitest';
import { ulpDistance } from './ulp.ts';

describe('ulpDistance', () => {
  it('counts representable doubles, across zero and at the extremes', () => {
    expect(ulpDistance(1, 1)).toBe(0);
    expect(ulpDistance(1, 1 + Number.EPSILON)).toBe(1);
    expect(ulpDistance(1, 1 - Number.EPSILON / 2)).toBe(1);
    expect(ulpDistance(0, -0)).toBe(0);
    expect(ulpDistance(Number.MIN_VALUE, -Number.MIN_VALUE)).toBe(2);
    expect(ulpDistance(Number.MAX_VALUE, Infinity)).toBe(1);
    expect(ulpDistance(NaN, NaN)).toBe(0);
    expect(ulpDistance(NaN, 1)).toBe(Infinity);
    expect(ulpDistance(2, 1)).toBe(2 ** 52);
  });
});
