/**
 * The one pipeline (src/run/verify.ts): an engine that does not start gives the no-evidence report; the sandbox
 * label and strict are in the report; the baseline gate's result is recorded and decides the exit code; the engine
 * is closed before the reports are written, which are written only when reportDir is given.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineFault, type Engine } from '../engine/engine.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { RunReport } from '../check/types.ts';
import { exitCode, verify, verifyRun } from './verify.ts';

const tmp = mkdtempSync(join(tmpdir(), 'dnn-verify-pipeline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An engine whose start-up fails, as a process engine's does: a message and what the process printed. */
function deadEngine(log: string[]): Engine {
  return {
    name: 'dead',
    functions: async () => {
      throw new EngineFault(
        'crash',
        'hello',
        'exited with code 1\nsecond line',
        'Traceback (most recent call last):\nSyntaxError: invalid syntax\n',
      );
    },
    call: async () => {
      throw new Error('not started');
    },
    close: async () => {
      log.push('close');
    },
  };
}

/** The reference engine, recording when it was closed and whether report.json existed then. */
function closing(dir: string | undefined, log: string[]): Engine {
  const ref = new ReferenceEngine();
  return {
    name: 'reference',
    functions: () => ref.functions(),
    call: (fn, args, kwargs) => ref.call(fn, args, kwargs),
    close: async () => {
      log.push(dir && existsSync(join(dir, 'report.json')) ? 'close after report' : 'close');
      await ref.close();
    },
  };
}

const settings = { runs: 5, functions: ['sigmoid', 'relu'] };

describe('verify', () => {
  it('an engine that does not start: the no-evidence report, the engine closed, exit 2', async () => {
    const log: string[] = [];
    const dir = join(tmp, 'dead');
    const { report, startError, files } = await verifyRun(deadEngine(log), {
      ...settings,
      reportDir: dir,
      sandbox: 'rlimits only',
      strict: true,
    });
    expect(startError).toBeInstanceOf(EngineFault);
    expect(report.verdict).toBe('error');
    expect(report.reason).toBe(
      'the engine did not start: hello: crash: exited with code 1 (it said: SyntaxError: invalid syntax)',
    );
    expect(report.noEvidence).toBe(report.reason);
    // the reason, then the engine's whole output (the stack the one line leaves out)
    expect(report.detected.loadError).toBe(
      `${report.reason}\n\nTraceback (most recent call last):\nSyntaxError: invalid syntax`,
    );
    expect(report.sandbox).toBe('rlimits only');
    expect(report.strict).toBe(true);
    expect(report.checks).toEqual([]);
    expect(log).toEqual(['close']);
    expect(files.map((f) => f.split('/').pop()).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'summary.md',
    ]);
    const written = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
    expect(Object.keys(written).slice(0, 3)).toEqual(['verdict', 'engine', 'sandbox']);
    expect(written.reason).toBe(report.reason);
    expect(exitCode(report)).toBe(2);
  });

  it('a run: sandbox label and strict next to the verdict, root causes, the engine closed before the reports', async () => {
    const log: string[] = [];
    const dir = join(tmp, 'run');
    const report = await verify(closing(dir, log), { ...settings, reportDir: dir, sandbox: 'bwrap', strict: true });
    expect(report.verdict).toBe('pass');
    expect(report.summary.total).toBeGreaterThan(0);
    expect(Object.keys(report).slice(0, 3)).toEqual(['verdict', 'engine', 'sandbox']);
    expect(report.sandbox).toBe('bwrap');
    expect(report.strict).toBe(true);
    expect(report.rootCauses).toEqual([]);
    expect(report.gate).toBeUndefined();
    expect(log).toEqual(['close']);
    expect(existsSync(join(dir, 'report.json'))).toBe(true);
    expect(exitCode(report)).toBe(0);
  });

  it('writes no report without reportDir, and leaves an engine it does not own open', async () => {
    const log: string[] = [];
    const before = readdirSync(tmp).sort();
    const report = await verify(closing(undefined, log), { ...settings, keepOpen: true });
    expect(report.verdict).toBe('pass');
    expect(report.sandbox).toBeUndefined();
    expect(log).toEqual([]);
    expect(readdirSync(tmp).sort()).toEqual(before);
  });

  it('the baseline gate: recorded in the report, and its rule is the exit code', async () => {
    const current = await verify(new ReferenceEngine(), settings);
    // a baseline in which every check failed: nothing regressed, though it is the same run
    const worse: RunReport = { ...current, checks: current.checks.map((c) => ({ ...c, status: 'fail' as const })) };
    const gated = await verify(new ReferenceEngine(), { ...settings, baseline: worse });
    expect(gated.gate?.passed).toBe(true);
    expect(gated.gate?.improvements.length).toBe(current.checks.length);
    expect(exitCode(gated)).toBe(0);
    // a baseline in which a check that now fails passed: a regression, exit 1 although the verdict is its own
    const broken: Engine = {
      ...new ReferenceEngine(),
      name: 'broken',
      functions: () => new ReferenceEngine().functions(),
      call: async (fn, args, kwargs) => {
        const out = await new ReferenceEngine().call(fn, args, kwargs);
        if (fn !== 'sigmoid') return out;
        (out as unknown as [{ data: Float64Array }])[0].data[0] += 1;
        return out;
      },
      close: async () => {},
    };
    const regressed = await verify(broken, { ...settings, baseline: current });
    expect(regressed.verdict).toBe('fail');
    expect(regressed.gate?.passed).toBe(false);
    expect(regressed.gate?.regressions.length).toBeGreaterThan(0);
    expect(exitCode(regressed)).toBe(1);
    expect(exitCode({ ...regressed, gate: { ...regressed.gate!, passed: true } })).toBe(0);
    expect(exitCode({ ...regressed, gate: undefined })).toBe(1);
  });
});
