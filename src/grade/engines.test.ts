/**
 * The engine guard of grade: a function that hung is not called again, a function that crashed twice likewise,
 * and the submission's budget ends every call. A small protocol server in Python stands in for an engine with a
 * function that never returns and one that kills its process.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessEngine } from '../adapters/process-engine.ts';
import { EngineFault } from '../engine/engine.ts';
import { withDeadline } from './engines.ts';

const SERVER = `
import json, os, sys, time
for line in sys.stdin:
    req = json.loads(line)
    op, fn = req.get('op'), req.get('fn')
    if op == 'call':
        with open(sys.argv[1], 'a') as log:
            log.write(fn + '\\n')
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
// each call that reaches the engine's process is written to `log`: a refused call is one the process never sees
const engine = (log: string) =>
  new ProcessEngine({ command: 'python3', args: ['-c', SERVER, log], name: 'stand-in', timeoutMs: 5000 });
const reached = (log: string) => readFileSync(log, 'utf8').split('\n').filter(Boolean);

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
    const dir = mkdtempSync(join(tmpdir(), 'engine-guard-'));
    const log = join(dir, 'calls');
    const g = withDeadline(engine(log), 60_000);
    try {
      await g.engine.functions();
      const hang = await elapsed(g.engine.call('hang', []));
      expect((hang.error as EngineFault).kind).toBe('timeout');
      const again = await elapsed(g.engine.call('hang', []));
      expect(String(again.error)).toMatch(/not called again: it hung earlier/);
      expect((await elapsed(g.engine.call('ok', []))).value).toBe(1);
      for (let i = 0; i < 2; i++) expect((await elapsed(g.engine.call('crash', []))).error).toBeInstanceOf(EngineFault);
      const third = await elapsed(g.engine.call('crash', []));
      expect(String(third.error)).toMatch(/killed the engine process twice/);
      expect((await elapsed(g.engine.call('ok', []))).value).toBe(1);
      // what the process saw: hang once, crash twice (the refused calls never reached it; no wall clock needed)
      expect(reached(log)).toEqual(['hang', 'ok', 'crash', 'crash', 'ok']);
    } finally {
      await g.engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('once the budget is spent, every call fails at once and the engine is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-guard-'));
    const log = join(dir, 'calls');
    const spent = withDeadline(engine(log), 50, performance.now() - 100);
    const r = await elapsed(spent.engine.call('ok', []));
    expect(String(r.error)).toMatch(/time budget of 0 s is spent/);
    expect(spent.expired).toBe(true);
    await spent.engine.close();
    expect(() => reached(log)).toThrow(/ENOENT/); // no call reached a process
    rmSync(dir, { recursive: true, force: true });
  });
});
