/** The sandbox's parts: sizes and breach names, the environment allowlist, the CLI's options, and JS/command engines in it. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { NDArray } from '../tensor/ndarray.ts';
import { commandEngine, moduleEngine } from '../adapters/index.ts';
import { UsageError } from '../cli/errors.ts';
import { breachIn, describeBreach, DEFAULT_LIMITS, formatSize, parseSize } from './limits.ts';
import { sandboxEnv } from './env.ts';
import { sandboxOptions } from '../cli/sandbox-options.ts';
import { createSandbox } from './sandbox.ts';
import { bwrapUsable } from './probe.ts';
import { sweepOrphans } from './kill.ts';
import { spawn, spawnSync } from 'node:child_process';

const ROOT = join(import.meta.dirname, '..', '..');

describe('limits', () => {
  it('reads sizes as the CLI takes them and names them back', () => {
    expect(parseSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseSize('512M')).toBe(512 * 1024 ** 2);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('65536')).toBe(65536);
    for (const bad of ['', 'two', '-1G', '0', '3X']) expect(parseSize(bad)).toBeUndefined();
    expect(formatSize(2 * 1024 ** 3)).toBe('2 GiB');
    expect(formatSize(1536 * 1024 ** 2)).toBe('1.5 GiB');
    expect(formatSize(1000)).toBe('1000 B');
  });
  it('names a breach as the issue asks, and recognises one in an engine’s error', () => {
    expect(describeBreach('memory', DEFAULT_LIMITS, 'compute_cost')).toBe(
      'memory limit 2 GiB exceeded in compute_cost',
    );
    expect(describeBreach('cpu', DEFAULT_LIMITS, 'relu')).toBe('CPU time limit 20 s exceeded in relu');
    expect(breachIn('MemoryError: Unable to allocate 6.00 GiB')).toBe('memory');
    expect(breachIn('OSError: [Errno 27] File too large')).toBe('file size');
    expect(breachIn('BlockingIOError: [Errno 11] Resource temporarily unavailable')).toBe('process');
    expect(breachIn('', 'SIGXFSZ')).toBe('file size');
    expect(breachIn('ValueError: shapes (2,3) and (2,3) not aligned')).toBeUndefined();
  });
});

describe('environment allowlist', () => {
  it('passes PATH, locale, Python and BLAS settings, and --pass-env names; nothing else', () => {
    const env = sandboxEnv(
      {
        PATH: '/usr/bin',
        LANG: 'C.UTF-8',
        LC_ALL: 'C',
        OPENBLAS_CORETYPE: 'Haswell',
        OPENBLAS_L2_SIZE: '1048576',
        OMP_NUM_THREADS: '1',
        GITHUB_TOKEN: 'secret',
        AWS_SECRET_ACCESS_KEY: 'secret',
        HOME: '/root',
        MY_SETTING: 'x',
      },
      ['MY_SETTING'],
      { HOME: '/scratch/home' },
    );
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      OPENBLAS_CORETYPE: 'Haswell',
      OPENBLAS_L2_SIZE: '1048576',
      OMP_NUM_THREADS: '1',
      MY_SETTING: 'x',
      HOME: '/scratch/home',
    });
  });
});

describe('command-line options', () => {
  it('take the mode, limits and --pass-env, and refuse bad values with a message naming them', () => {
    expect(
      sandboxOptions(
        { sandbox: 'rlimits', 'memory-limit': '1G', 'cpu-limit': '2.5', 'process-limit': '8', 'pass-env': ['A_B'] },
        ['/r'],
      ),
    ).toEqual({
      mode: 'rlimits',
      passEnv: ['A_B'],
      limits: { memoryBytes: 1024 ** 3, cpuSecondsPerCall: 2.5, processes: 8 },
      hide: ['/r'],
    });
    expect(sandboxOptions({}, []).mode).toBe('auto');
    const refuse = (values: Record<string, unknown>, message: RegExp) =>
      expect(() => sandboxOptions(values, [])).toThrow(message);
    refuse({ sandbox: 'docker' }, /--sandbox must be auto, bwrap, rlimits or none, got 'docker'/);
    refuse({ 'memory-limit': 'lots' }, /--memory-limit takes a size such as 2G or 512M, got 'lots'/);
    refuse({ 'cpu-limit': '0' }, /--cpu-limit takes seconds > 0/);
    refuse({ 'process-limit': '1.5' }, /--process-limit takes an integer >= 1/);
    refuse({ 'pass-env': ['A=B'] }, /--pass-env takes a variable name, got 'A=B'/);
    expect(() => sandboxOptions({ sandbox: 'x' }, [])).toThrow(UsageError);
  });
});

describe.skipIf(process.platform !== 'linux')('orphans of a suite that died', () => {
  it('are killed by the next sandbox: processes marked with a suite pid that no longer runs', async () => {
    const dead = spawnSync('true').pid!; // a pid that has just ended
    const orphan = spawn('sleep', ['30'], {
      env: { DNN_VERIFY_JAIL: `${dead}:test`, PATH: process.env.PATH },
      stdio: 'ignore',
    });
    const mine = spawn('sleep', ['30'], {
      env: { DNN_VERIFY_JAIL: `${process.pid}:test`, PATH: process.env.PATH },
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 200));
    try {
      expect(sweepOrphans()).toBeGreaterThanOrEqual(1);
      const [code, signal] = await new Promise<[number | null, string | null]>((r) =>
        orphan.on('exit', (c, s) => r([c, s])),
      );
      expect(signal).toBe('SIGKILL');
      expect(code).toBeNull();
      expect(mine.exitCode).toBeNull(); // a living suite's engine is left alone
    } finally {
      orphan.kill('SIGKILL');
      mine.kill('SIGKILL');
    }
  });
});

const bwrap = bwrapUsable();
for (const mode of ['bwrap', 'rlimits'] as const) {
  const skip = mode === 'bwrap' && !bwrap.ok;
  describe.skipIf(skip)(
    `JavaScript and command engines under ${mode} ${skip ? `skipped: ${bwrap.reason}` : ''}`,
    () => {
      it('a JS module engine answers in the sandbox and sees no secret', async () => {
        process.env.DNN_VERIFY_UNIT_TOKEN = 'unit-secret';
        const e = moduleEngine(join(ROOT, 'fixtures', 'engines', 'js', 'correct.ts'), {
          sandbox: createSandbox({ mode }),
          timeoutMs: 60_000,
        });
        try {
          const [Z] = (await e.call('linear_forward', [
            NDArray.from([[1], [2]]),
            NDArray.from([[3, 4]]),
            NDArray.from([[0.5]]),
          ])) as [NDArray];
          expect(Array.from(Z.data)).toEqual([11.5]);
        } finally {
          await e.close();
          delete process.env.DNN_VERIFY_UNIT_TOKEN;
        }
      }, 120_000);

      it('a command engine gets the allowlisted environment and cannot write where it starts', async () => {
        process.env.DNN_VERIFY_UNIT_TOKEN = 'unit-secret';
        // a protocol program in sh: its hello lists what it found out as function names
        const script = `read line; if (: > ./sandbox-probe) 2>/dev/null; then w=wrote; rm -f ./sandbox-probe; else w=refused; fi; printf '{"id": 1, "ok": true, "value": {"__dict__": {"name": "probe", "functions": ["write_%s", "token_%s"]}}}\\n' "$w" "\${DNN_VERIFY_UNIT_TOKEN:-none}"; read line`;
        const e = commandEngine(script, { sandbox: createSandbox({ mode }), timeoutMs: 30_000 });
        try {
          expect([...(await e.functions())].sort()).toEqual(['token_none', 'write_refused']);
        } finally {
          await e.close();
          delete process.env.DNN_VERIFY_UNIT_TOKEN;
        }
      }, 60_000);

      it('an engine killed by a signal is reported killed by it (not as the exit code of an init)', async () => {
        const e = commandEngine('read line; kill -SEGV $$', { sandbox: createSandbox({ mode }), timeoutMs: 30_000 });
        try {
          await expect(e.functions()).rejects.toThrow(/killed by SIGSEGV/);
        } finally {
          await e.close();
        }
      }, 60_000);
    },
  );
}
