/**
 * An engine's arrays come from its own copy of `dnn-verify/tensor` (its install, or a second instance of the module
 * through tsx's loader): they are recognised by their brand, not by class identity (issue 18).
 */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import { decodeValue, encodeValue } from '../protocol/codec.ts';
import { moduleEngine } from './index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** A second copy of the NDArray module (a file of its own: a class of its own). */
async function secondCopy(dir: string): Promise<typeof NDArray> {
  const file = join(dir, 'ndarray-copy.ts');
  copyFileSync(join(ROOT, 'src', 'tensor', 'ndarray.ts'), file);
  return ((await import(file)) as { NDArray: typeof NDArray }).NDArray;
}

describe('arrays of another copy of dnn-verify/tensor', () => {
  it('are NDArrays to the codec: encoded bit for bit, and instanceof either class', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brand-'));
    try {
      const Other = await secondCopy(dir);
      expect(Other).not.toBe(NDArray);
      const theirs = new Other(Float64Array.of(1.5, -0), [1, 2]);
      expect(theirs instanceof NDArray).toBe(true);
      expect(NDArray.from([[1]]) instanceof Other).toBe(true);
      const back = decodeValue(JSON.parse(JSON.stringify(encodeValue({ Z: theirs })))) as { Z: NDArray };
      expect([...back.Z.shape]).toEqual([1, 2]);
      expect(Object.is(back.Z.data[1], -0)).toBe(true);
      // look-alikes without the brand are not arrays
      expect({ data: new Float64Array(1), shape: [1] } instanceof NDArray).toBe(false);
      expect((null as unknown) instanceof NDArray).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are served by the JS runner: a module engine returning its own NDArrays passes its values back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brand-'));
    try {
      copyFileSync(join(ROOT, 'src', 'tensor', 'ndarray.ts'), join(dir, 'ndarray-copy.ts'));
      writeFileSync(
        join(dir, 'engine.ts'),
        `import { NDArray } from './ndarray-copy.ts';
export function linear_forward(A: any, W: any, b: any) {
  const out = new NDArray(Float64Array.of(W.data[0] * A.data[0] + W.data[1] * A.data[1] + b.data[0]), [1, 1]);
  return [out, { A: new NDArray(A.data.slice(), [...A.shape]) }];
}
`,
      );
      const e = moduleEngine(join(dir, 'engine.ts'), { timeoutMs: 60_000 });
      try {
        const [Z, cache] = (await e.call('linear_forward', [
          NDArray.from([[1], [2]]),
          NDArray.from([[3, 4]]),
          NDArray.from([[0.5]]),
        ])) as [NDArray, { A: NDArray }];
        expect(Z).toBeInstanceOf(NDArray);
        expect(Array.from(Z.data)).toEqual([11.5]);
        expect(Array.from(cache.A.data)).toEqual([1, 2]);
      } finally {
        await e.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
