/**
 * The layers point down: no cycle of imports between the top-level folders of src/ and properties/ (scripts/layers.mjs,
 * docs/architecture.md). Tests may import any layer and are not counted.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without declarations
import { cycles, scan } from './layers.mjs';

describe('layers', () => {
  it('finds a cycle when there is one', () => {
    const g = new Map([
      ['a', new Map([['b', ['a.ts']]])],
      ['b', new Map([['c', ['b.ts']]])],
      ['c', new Map([['a', ['c.ts']]])],
      ['d', new Map([['a', ['d.ts']]])],
    ]);
    expect(cycles(g)).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', new Map([['b', ['a.ts']]])]]))).toEqual([]);
  });

  it('no cycle between the folders of src/ and properties/', () => {
    const { code } = scan();
    expect(code.has('src/run') && code.get('src/run').has('src/check')).toBe(true); // the scan sees imports
    expect(cycles(code), 'run node scripts/layers.mjs to see which imports make the cycle').toEqual([]);
  });
});
