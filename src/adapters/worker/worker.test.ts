/**
 * workerEngine: a module in a worker thread. An endless loop is stopped by the per-call timeout, named with its
 * inputs, and the next call gets a fresh worker; an engine that throws at import shows its own error and stack;
 * a change to an argument is reported as a notice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workerEngine } from './engine.ts';
import { EngineFault } from '../../engine/engine.ts';
import { NDArray } from '../../tensor/ndarray.ts';

const HANGS = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'engines', 'js', 'hangs-at-7.ts');
const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function fault(p: Promise<unknown>): Promise<EngineFault> {
  try {
    await p;
  } catch (err) {
    if (err instanceof EngineFault) return err;
    throw err;
  }
  throw new Error('expected a fault');
}

describe('workerEngine', () => {
  it('stops an endless loop, names the call, and serves the next call from a fresh worker', async () => {
    const engine = workerEngine(HANGS, { timeoutMs: 1500 });
    try {
      const AL = NDArray.from([[0.8, 0.3]]);
      const Y = NDArray.from([[1, 0]]);
      const cost = await engine.call('compute_cost', [AL, Y]);
      const started = Date.now();
      const hung = await fault(engine.call('L_model_backward', [NDArray.zeros([1, 7]), NDArray.zeros([1, 7]), []]));
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(hung.kind).toBe('timeout');
      expect(hung.message).toMatch(
        /no answer within 1500 ms \(L_model_backward\(AL \(1, 7\), Y \(1, 7\), caches \[\]\)\)/,
      );
      expect(await engine.call('compute_cost', [AL, Y])).toBe(cost); // a fresh worker
      // the function that hung fails fast afterwards, naming the first hang
      const again = await fault(engine.call('L_model_backward', [NDArray.zeros([1, 6]), NDArray.zeros([1, 6]), []]));
      expect(again.message).toMatch(/not called again: it hung earlier in this run .*AL \(1, 7\)/);
    } finally {
      await engine.close();
    }
  }, 30_000);

  it("shows an engine's own exception and stack when it throws at import", async () => {
    const file = join(dir, 'throws.mjs');
    writeFileSync(file, "export const relu = (Z) => Z;\nthrow new RangeError('no GPU found at import');\n");
    const engine = workerEngine(file);
    try {
      const f = await fault(engine.functions());
      expect(f.message).toMatch(/could not be imported: RangeError: no GPU found at import/);
      expect(f.message).toContain(`${file}:2`); // its stack, at the engine's own line
    } finally {
      await engine.close();
    }
  });

  it('awaits async functions and reports a changed argument as a notice', async () => {
    const file = join(dir, 'mutates.mjs');
    writeFileSync(file, 'export const relu = async (Z) => { Z.data[0] = 42; return [Z, Z]; };\n');
    const engine = workerEngine(file);
    try {
      const out = (await engine.call('relu', [NDArray.from([[1, 2]])])) as NDArray[];
      expect(Array.from(out[0].data)).toEqual([42, 2]);
      expect(engine.takeNotices?.()).toEqual([
        { kind: 'mutates-input', fn: 'relu', paths: ['args[0][0] changed from 1 to 42'] },
      ]);
    } finally {
      await engine.close();
    }
  });
});
