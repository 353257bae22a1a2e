/**
 * The hostile-engine corpus (attacks.ts) under bubblewrap and under the "rlimits only" fallback: each attack
 * fails, the verdict names the attacked function (and nothing but it and its callers), the other functions
 * pass, the run ends within its limits and no process of the engine is left. Attacks that need the suite to be
 * a process of its own (reading its /proc/<pid>/environ, killing it, holding its pipes, the default timeout)
 * run the CLI.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../src/adapters/index.ts';
import { ReferenceEngine } from '../../src/engine/reference-engine.ts';
import { callersOf } from '../../src/engine/catalogue.ts';
import { runSuites } from '../../src/run/runner.ts';
import { allSuites } from '../../src/run/suites.ts';
import type { RunReport } from '../../src/check/types.ts';
import { writeReports } from '../../src/report/index.ts';
import { hasNumpy, numpySkipReason } from '../oracle/numpy.ts';
import { createSandbox } from '../../src/sandbox/sandbox.ts';
import { bwrapUsable, netUnshareUsable } from '../../src/sandbox/probe.ts';
import { privateNamespacesUsable } from '../../src/sandbox/namespaces.ts';
import { ATTACKS, hostileSource, type Attack } from './attacks.ts';

const ROOT = join(import.meta.dirname, '..', '..');
// the CLI from its TypeScript sources (the compiled dist/ is the tarball test's): tsx's loader by absolute URL
const BIN = ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts')];
const TOKEN = `hostile-suite-secret-${process.pid}-${Date.now()}`;
// in the suite's environment, as a CI token would be
process.env.DNN_VERIFY_CI_TOKEN = TOKEN;
const MiB = 1024 ** 2;
const LIMITS = { outputBytes: 16 * MiB, fileSizeBytes: 8 * MiB, cpuSecondsPerCall: 0.5 };

const attack = (id: string) => ATTACKS.find((a) => a.id === id)!;

interface Scene {
  dir: string;
  file: string;
  reportDir: string;
  exfil: string;
  port: number;
  connections: () => number;
  close: () => void;
}

async function scene(a: Attack | Attack[]): Promise<Scene> {
  const id = Array.isArray(a) ? a.map((x) => x.id).join('+') : a.id;
  const dir = mkdtempSync(join(tmpdir(), `hostile-${id}-`));
  chmodSync(dir, 0o755);
  const reportDir = join(dir, 'reports');
  mkdirSync(reportDir);
  // a drop box the attacker may write to (world-writable, outside any sandbox): what lands here was exfiltrated
  const exfil = join(dir, 'exfil');
  mkdirSync(exfil);
  chmodSync(exfil, 0o777);
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const file = join(dir, `hostile_${id.replace(/\W/g, '_')}.py`);
  writeFileSync(file, hostileSource(a, { REPORT_DIR: reportDir, EXFIL: exfil, PACKAGE: ROOT, PORT: port }));
  return {
    dir,
    file,
    reportDir,
    exfil,
    port,
    connections: () => connections,
    close: () => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Processes still running the engine's file (their command line names it). */
function leftovers(file: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'latin1').includes(file);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The verdict is right: each of `fns` is named, nothing outside them and their callers fails, the rest passes. */
function expectRightVerdict(report: RunReport, ...fns: string[]) {
  const bad = report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
  const allowed = new Set(fns.flatMap((fn) => [fn, ...callersOf(fn)]));
  // the suite detects L_model_backward's grads keys by running the engine's L_model_forward: an attack on the
  // forward pass leaves them undetected, and L_model_backward's fixtures are then read with the wrong keys
  if (allowed.has('L_model_forward')) allowed.add('L_model_backward');
  expect(report.verdict).toBe('fail');
  for (const fn of fns)
    expect(
      bad.some((c) => c.function === fn),
      `${fn} is named`,
    ).toBe(true);
  expect(bad.filter((c) => !allowed.has(c.function)).map((c) => `${c.id}: ${c.message}`)).toEqual([]);
  const passedFunctions = new Set(report.checks.filter((c) => c.status === 'pass').map((c) => c.function));
  for (const other of ['sigmoid', 'relu', 'linear_forward', 'compute_cost', 'update_parameters', 'L_model_backward'])
    if (!allowed.has(other)) expect(passedFunctions.has(other), `${other} still passes`).toBe(true);
}

function messagesOf(report: RunReport, fn: string): string {
  return report.checks
    .filter((c) => c.function === fn && c.status !== 'pass')
    .map((c) => c.message)
    .join('\n');
}

interface InProcessRun {
  report: RunReport;
  ms: number;
  scene: Scene;
}

/** The suite in this process against the attack, as `check` runs it; the reports written after close(). */
async function runInProcess(a: Attack, mode: 'bwrap' | 'rlimits'): Promise<InProcessRun> {
  const s = await scene(a);
  const sandbox = createSandbox({ mode, limits: LIMITS, hide: [s.reportDir] });
  // generous: on a busy machine a correct call can take seconds, and a timeout sticks (fail fast)
  const engine = pythonEngine(s.file, { timeoutMs: a.timeoutMs ?? 10_000, sandbox });
  const t0 = performance.now();
  let report: RunReport;
  try {
    report = await runSuites(engine, new ReferenceEngine(), allSuites(), { seed: 0, runs: 3 });
  } finally {
    await engine.close();
  }
  const ms = performance.now() - t0;
  expect(leftovers(s.file), 'no process of the engine left after close()').toEqual([]);
  writeReports({ ...report, sandbox: sandbox.label }, s.reportDir);
  return { report, ms, scene: s };
}

interface CliRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
  report?: RunReport;
  scene: Scene;
}

/** `dnn-verify check --python` in a process of its own, with the token in its environment from the start. */
async function runCli(a: Attack | Attack[], mode: 'bwrap' | 'rlimits', extra: string[] = []): Promise<CliRun> {
  const s = await scene(a);
  const args = [...BIN, 'check', '--python', s.file, '--runs', '3', '--sandbox', mode, '--report-dir', s.reportDir];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, ...extra], {
    env: { ...process.env, DNN_VERIFY_CI_TOKEN: TOKEN, CI: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  // the suite's process must end by itself, whatever the engine left behind; 90 s is the test's own alarm
  const { code, signal } = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    const alarm = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('exit', (c, sig) => {
      clearTimeout(alarm);
      resolve({ code: c, signal: sig });
    });
  });
  const ms = performance.now() - t0;
  const path = join(s.reportDir, 'report.json');
  const report = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RunReport) : undefined;
  return { code, signal, stdout, stderr, ms, report, scene: s };
}

const bwrap = bwrapUsable();
const MODES = [
  {
    mode: 'bwrap' as const,
    skip: !bwrap.ok,
    why: bwrap.ok ? '' : `skipped: bubblewrap unusable here: ${bwrap.reason}`,
  },
  { mode: 'rlimits' as const, skip: false, why: '' },
];

for (const { mode, skip, why } of MODES) {
  describe
    .skipIf(!hasNumpy() || skip)
    .concurrent(`hostile engines under ${mode} ${why} ${numpySkipReason()}`, { timeout: 180_000 }, () => {
      const label = mode === 'bwrap' ? 'bwrap' : 'rlimits only';

      it('env-dump: the engine sees only the allowlist, never the token', async () => {
        const r = await runInProcess(attack('env-dump'), mode);
        try {
          expectRightVerdict(r.report, 'initialize_parameters');
          const msg = messagesOf(r.report, 'initialize_parameters');
          expect(msg).toMatch(/environment: \{/);
          expect(msg).toMatch(/"HOME"/);
          expect(JSON.stringify(r.report)).not.toContain(TOKEN);
          expect(msg).not.toContain('DNN_VERIFY_CI_TOKEN');
          const dumped = join(r.scene.exfil, 'env.json');
          if (existsSync(dumped)) expect(readFileSync(dumped, 'utf8')).not.toContain(TOKEN);
          if (mode === 'bwrap') expect(existsSync(dumped)).toBe(false); // the drop box is not even visible
          expect(r.ms).toBeLessThan(60_000);
        } finally {
          r.scene.close();
        }
      });

      it('forged-report: the detached forger dies with the engine; report.json stays the suite’s', async () => {
        const r = await runInProcess(attack('forged-report'), mode);
        try {
          expectRightVerdict(r.report, 'update_parameters');
          const alive = join(r.scene.exfil, 'forger-alive');
          const before = existsSync(alive) ? readFileSync(alive, 'utf8') : undefined;
          await new Promise((res) => setTimeout(res, 1000)); // a living forger writes every 50 ms
          expect(existsSync(alive) ? readFileSync(alive, 'utf8') : undefined).toBe(before);
          const onDisk = JSON.parse(readFileSync(join(r.scene.reportDir, 'report.json'), 'utf8'));
          expect(onDisk.verdict).toBe('fail');
          expect(onDisk.forged).toBeUndefined();
          expect(onDisk.sandbox).toBe(label);
        } finally {
          r.scene.close();
        }
      });

      it('alloc-6g: named as a memory-limit breach, the engine restarted', async () => {
        const r = await runInProcess(attack('alloc-6g'), mode);
        try {
          expectRightVerdict(r.report, 'sigmoid_backward');
          expect(messagesOf(r.report, 'sigmoid_backward')).toMatch(
            /memory limit 2 GiB exceeded in sigmoid_backward \(MemoryError/,
          );
        } finally {
          r.scene.close();
        }
      });

      it('write-outside: nothing outside the scratch directory is writable', async () => {
        const r = await runInProcess(attack('write-outside'), mode);
        try {
          expectRightVerdict(r.report, 'linear_backward');
          const msg = messagesOf(r.report, 'linear_backward');
          // the engine may write a world-writable directory only without bubblewrap and without the fallback's
          // private namespaces (documented); with them, the drop box under /tmp is out of its sight
          const allowedWrite =
            mode === 'rlimits' && !privateNamespacesUsable() ? [join(r.scene.exfil, 'outside-scratch.txt')] : [];
          const wrote = [...msg.matchAll(/wrote: (\[[^\]]*\])/g)].map((m) => m[1]);
          expect(wrote.length).toBeGreaterThan(0);
          for (const w of wrote) expect(JSON.parse(w.replace(/'/g, '"'))).toEqual(allowedWrite);
          expect(existsSync(join(r.scene.reportDir, 'pwned.txt'))).toBe(false);
          expect(existsSync(join(ROOT, 'PWNED.txt'))).toBe(false);
        } finally {
          r.scene.close();
        }
      });

      it('fork-bomb: stopped at the process limit, named, every process killed', async () => {
        const r = await runInProcess(attack('fork-bomb'), mode);
        try {
          expectRightVerdict(r.report, 'relu');
          expect(messagesOf(r.report, 'relu')).toMatch(/process limit 64 exceeded in relu/);
          expect(r.ms).toBeLessThan(60_000);
        } finally {
          r.scene.close();
        }
      });

      it('close-streams: a crash named against the function, the engine restarted', async () => {
        const r = await runInProcess(attack('close-streams'), mode);
        try {
          expectRightVerdict(r.report, 'update_parameters');
          expect(messagesOf(r.report, 'update_parameters')).toMatch(/crash/);
        } finally {
          r.scene.close();
        }
      });

      it('flood-output: 64 MiB without a newline on every descriptor is an output-limit breach', async () => {
        const r = await runInProcess(attack('flood-output'), mode);
        try {
          expectRightVerdict(r.report, 'sigmoid_backward');
          expect(messagesOf(r.report, 'sigmoid_backward')).toMatch(/output limit 16 MiB exceeded in sigmoid_backward/);
          expect(JSON.stringify(r.report).length).toBeLessThan(8 * MiB);
        } finally {
          r.scene.close();
        }
      });

      it('exit-at-import: the engine does not start; no verdict, no process left', async () => {
        const s = await scene(attack('exit-at-import'));
        try {
          const engine = pythonEngine(s.file, { timeoutMs: 3000, sandbox: createSandbox({ mode, limits: LIMITS }) });
          await expect(engine.functions()).rejects.toThrow(/hello: crash: .*exited with code 3/);
          await engine.close();
          expect(leftovers(s.file)).toEqual([]);
        } finally {
          s.close();
        }
      });

      // rlimits only keeps the engine off the network where it can still unshare one (root); elsewhere it cannot
      const offline = mode === 'bwrap' || netUnshareUsable();
      it(`network: ${offline ? 'no network in the sandbox' : 'NOT contained here (not root, no namespace: documented): the connection is made'}`, async () => {
        const r = await runInProcess(attack('network'), mode);
        try {
          expectRightVerdict(r.report, 'initialize_parameters_deep');
          const msg = messagesOf(r.report, 'initialize_parameters_deep');
          if (offline) {
            expect(r.scene.connections()).toBe(0);
            expect(msg).toMatch(/network: no connection/);
          } else {
            expect(r.scene.connections()).toBeGreaterThan(0);
            expect(msg).toMatch(/network: connected/);
          }
        } finally {
          r.scene.close();
        }
      });

      it('cpu-burn: three spinning children hit the per-call CPU limit before the wall timeout', async () => {
        const r = await runInProcess(attack('cpu-burn'), mode);
        try {
          expectRightVerdict(r.report, 'relu_backward');
          expect(messagesOf(r.report, 'relu_backward')).toMatch(/CPU time limit 0.5 s exceeded in relu_backward/);
        } finally {
          r.scene.close();
        }
      });

      it('big-file: a file past the size limit is a named breach', async () => {
        const r = await runInProcess(attack('big-file'), mode);
        try {
          expectRightVerdict(r.report, 'initialize_parameters');
          expect(messagesOf(r.report, 'initialize_parameters')).toMatch(
            /file size limit 8 MiB exceeded in initialize_parameters/,
          );
        } finally {
          r.scene.close();
        }
      });

      it('proc-environ, kill-parent, stdout-held-hang (CLI, one engine): the suite survives, exits, reports the truth', async () => {
        const r = await runCli([attack('proc-environ'), attack('kill-parent'), attack('stdout-held-hang')], mode, [
          '--timeout',
          '5000',
        ]);
        try {
          // kill-parent: the suite was not killed (no SIGKILL, exit code 1, a report)
          expect(r.signal).toBeNull();
          expect(r.code).toBe(1);
          expectRightVerdict(r.report!, 'initialize_parameters', 'initialize_parameters_deep', 'relu_backward');
          expect(messagesOf(r.report!, 'initialize_parameters_deep')).toMatch(
            /PermissionError|Operation not permitted/,
          );
          // proc-environ: no environment holding the token could be read, the suite's /proc/<pid>/environ included
          expect(messagesOf(r.report!, 'initialize_parameters')).toMatch(/environments with a token: 0/);
          expect(JSON.stringify(r.report)).not.toContain(TOKEN);
          // stdout-held-hang: every relu_backward check carries the one timeout as evidence, most fail fast
          const msgs = r.report!.checks.filter((c) => c.function === 'relu_backward').map((c) => c.message);
          expect(msgs.every((m) => /no answer within 5000 ms/.test(m))).toBe(true);
          expect(msgs.some((m) => /not called again: it hung earlier in this run/.test(m))).toBe(true);
          expect(leftovers(r.scene.file)).toEqual([]);
          expect(r.report!.sandbox).toBe(label);
          expect(r.stdout).toContain(`sandbox: ${label}`);
          expect(r.stderr).toContain(`dnn-verify: sandbox: ${label}`);
          expect(r.ms).toBeLessThan(120_000);
        } finally {
          r.scene.close();
        }
      });
    });
}

// after the others, so that its minute is not shared with the other runs of this file
describe
  .skipIf(!hasNumpy())
  .concurrent(
    `never-returning compute_cost (CLI, default 10 s timeout): the run ends in under a minute ${numpySkipReason()}`,
    { timeout: 180_000 },
    () => {
      for (const { mode, skip, why } of MODES) {
        it.skipIf(skip)(`under ${mode} ${why}`, async () => {
          const r = await runCli(attack('never-returns'), mode);
          try {
            expect(r.code).toBe(1);
            expectRightVerdict(r.report!, 'compute_cost');
            expect(messagesOf(r.report!, 'compute_cost')).toMatch(/no answer within 10000 ms/);
            expect(leftovers(r.scene.file)).toEqual([]);
            expect(r.ms).toBeLessThan(60_000);
          } finally {
            r.scene.close();
          }
        });
      }
    },
  );
