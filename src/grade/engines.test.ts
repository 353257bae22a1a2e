/**
 * The engine guard of grade: a function that hung is not called again, a function that crashed twice likewise,
 * and the submission's budget ends every call. A small protocol server in Python stands in for an engine with a
 * function that never returns and one that kills its process.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ProcessEngine } from '../adapters/process-engine.ts';
import { EngineFault } from '../engine/engine.ts';
import { withDeadline } from './engines.ts';

const SERVER = `
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    op, fn = req.get('op'), req.get('fn')
    if op == 'hello':
        value = {'__dict__': {'name': 'stand-in', 'functions': ['ok', 'hang', 'crash']}}
    elif fn == 'hang':
        while True:
            time.sleep(1)
    elif fn == 'crash':
        os._exit(3)
    else:
        value = 1
    print(json.dumps({'id': req['id'], 'ok': True, 'value': value}), flush=True)
`;
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
// 5 s per call: a bare python3 starts well within it even on a loaded machine
const engine = () => new ProcessEngine({ command: 'python3', args: ['-c', SERVER], name: 'stand-in', timeoutMs: 5000 });

async function elapsed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const value = await p;
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

describe.skipIf(!hasPython)('the engine guard of grade', () => {
  it('a function that hung, or crashed twice, is not called again; the others still are', async () => {
    const g = withDeadline(engine(), 60_000);
    try {
      await g.engine.functions();
      const hang = await elapsed(g.engine.call('hang', []));
      expect((hang.error as EngineFault).kind).toBe('timeout');
      const again = await elapsed(g.engine.call('hang', []));
      expect(again.ms).toBeLessThan(100);
      expect(String(again.error)).toMatch(/not called again: it hung earlier/);
      expect((await elapsed(g.engine.call('ok', []))).value).toBe(1);
      for (let i = 0; i < 2; i++) expect((await elapsed(g.engine.call('crash', []))).error).toBeInstanceOf(EngineFault);
      const third = await elapsed(g.engine.call('crash', []));
      expect(third.ms).toBeLessThan(100);
      expect(String(third.error)).toMatch(/killed the engine process twice/);
      expect((await elapsed(g.engine.call('ok', []))).value).toBe(1);
    } finally {
      await g.engine.close();
    }
  }, 60_000);

  it('once the budget is spent, every call fails at once and the engine is closed', async () => {
    const spent = withDeadline(engine(), 50, performance.now() - 100);
    const r = await elapsed(spent.engine.call('ok', []));
    expect(r.ms).toBeLessThan(100);
    expect(String(r.error)).toMatch(/time budget of 0 s is spent/);
    expect(spent.expired).toBe(true);
    await spent.engine.close();
  });
});
