/**
 * The engine guard of grade: a start-up allowance that is not a call's time, a function that hung is not called
 * again, a crash twice likewise, and the submission's budget. A small protocol server in Python stands in for an
 * engine that starts slowly (1 s) and has a function that never returns.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ProcessEngine } from '../adapters/process-engine.ts';
import { EngineFault } from '../engine/engine.ts';
import { withDeadline } from './engines.ts';

const SERVER = `
import json, os, sys, time
time.sleep(1.0)
for line in sys.stdin:
    req = json.loads(line)
    op, fn = req.get('op'), req.get('fn')
    if op == 'hello':
        value = {'__dict__': {'name': 'slow', 'functions': ['ok', 'hang', 'crash']}}
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
const engine = (startTimeoutMs?: number) =>
  new ProcessEngine({ command: 'python3', args: ['-c', SERVER], name: 'slow', timeoutMs: 400, startTimeoutMs });

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
  it('a slow start is not a timeout with the allowance, and is one without it', async () => {
    const plain = engine();
    const r = await elapsed(plain.functions());
    await plain.close();
    expect(r.error).toBeInstanceOf(EngineFault);
    expect((r.error as EngineFault).kind).toBe('timeout');

    const allowed = engine(10_000);
    try {
      expect([...(await allowed.functions())]).toEqual(['ok', 'hang', 'crash']);
      // a hang costs the call's timeout; the restart that follows gets the allowance for its start only
      const hang = await elapsed(allowed.call('hang', []));
      expect((hang.error as EngineFault).kind).toBe('timeout');
      expect(hang.ms).toBeLessThan(2000);
      const hangAfterRestart = await elapsed(allowed.call('hang', []));
      expect((hangAfterRestart.error as EngineFault).kind).toBe('timeout');
      expect(hangAfterRestart.ms).toBeGreaterThan(900); // the restarted process's 1 s start
      expect(hangAfterRestart.ms).toBeLessThan(3000); // then 400 ms, not the 10 s allowance
      const ok = await elapsed(allowed.call('ok', []));
      expect(ok.value).toBe(1);
    } finally {
      await allowed.close();
    }
  }, 60_000);

  it('a function that hung, or crashed twice, is not called again; the budget ends every call', async () => {
    const g = withDeadline(engine(10_000), 60_000);
    try {
      await g.engine.functions();
      expect((await elapsed(g.engine.call('hang', []))).error).toBeInstanceOf(EngineFault);
      const again = await elapsed(g.engine.call('hang', []));
      expect(again.ms).toBeLessThan(100);
      expect(String(again.error)).toMatch(/not called again: it hung earlier/);
      expect((await elapsed(g.engine.call('ok', []))).value).toBe(1);
      for (let i = 0; i < 2; i++) expect((await elapsed(g.engine.call('crash', []))).error).toBeInstanceOf(EngineFault);
      const third = await elapsed(g.engine.call('crash', []));
      expect(third.ms).toBeLessThan(100);
      expect(String(third.error)).toMatch(/killed the engine process twice/);
    } finally {
      await g.engine.close();
    }
    const spent = withDeadline(engine(10_000), 50, performance.now() - 100);
    const r = await elapsed(spent.engine.call('ok', []));
    expect(String(r.error)).toMatch(/time budget of 0 s is spent/);
    expect(spent.expired).toBe(true);
    await spent.engine.close();
  }, 60_000);
});
