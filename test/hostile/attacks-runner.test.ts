/**
 * The integrity of the verdict against the Python runner (attacks-runner.ts), under bubblewrap, under "rlimits
 * only" and with no sandbox: none of these defences depends on the sandbox (they are in python/runner.py and in
 * the suite's side of the protocol), so all three modes must hold.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../src/adapters/index.ts';
import { ReferenceEngine } from '../../src/engine/reference-engine.ts';
import { runSuites } from '../../src/run/runner.ts';
import { allSuites } from '../../src/run/suites.ts';
import type { RunReport } from '../../src/check/types.ts';
import { hasNumpy, numpySkipReason } from '../oracle/numpy.ts';
import { discoverSubmissions } from '../../src/grade/discover.ts';
import { gradeClass } from '../../src/grade/index.ts';
import { COURSE_POINTS } from '../../src/grade/points.ts';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { bwrapUsable } from '../../src/sandbox/probe.ts';
import {
  GRADED,
  LOAD_TIME_ATTACKS,
  correctPy,
  forgedAnswerSource,
  forwardingSource,
  inPlaceWithAttack,
  siblingH5py,
} from './attacks-runner.ts';

const MiB = 1024 ** 2;
const LIMITS = { outputBytes: 16 * MiB, fileSizeBytes: 8 * MiB, cpuSecondsPerCall: 5 };

const bwrap = bwrapUsable();
const MODES = [
  {
    mode: 'bwrap' as const,
    skip: !bwrap.ok,
    why: bwrap.ok ? '' : `skipped: bubblewrap unusable here: ${bwrap.reason}`,
  },
  { mode: 'rlimits' as const, skip: false, why: '' },
  { mode: 'none' as const, skip: false, why: '' },
];

function folder(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `runner-attack-${name}-`));
  chmodSync(dir, 0o755);
  return dir;
}

async function run(
  file: string,
  sandbox: Sandbox,
  options: { functions?: string[]; strict?: boolean } = {},
): Promise<RunReport> {
  const engine = pythonEngine(file, { timeoutMs: 10_000, sandbox });
  try {
    return await runSuites(engine, new ReferenceEngine(), allSuites(), { seed: 0, runs: 3, ...options });
  } finally {
    await engine.close();
  }
}

const failing = (r: RunReport, fn: string) =>
  r.checks.filter((c) => c.function === fn && (c.status === 'fail' || c.status === 'error'));

for (const { mode, skip, why } of MODES) {
  // one test at a time: 18 engines at once would slow the timing tests of the files running beside this one
  describe.skipIf(!hasNumpy() || skip)(
    `runner attacks with sandbox ${mode} ${why} ${numpySkipReason()}`,
    { timeout: 240_000 },
    () => {
      const sandbox = () => createSandbox({ mode, limits: LIMITS });

      it('forwarding every graded function to the course helpers fails each one, named, with a message a student understands', async () => {
        const dir = folder('forward');
        try {
          const file = join(dir, 'forwarder.py');
          writeFileSync(file, forwardingSource());
          const r = await run(file, sandbox(), { functions: GRADED });
          expect(r.verdict).toBe('fail');
          for (const fn of GRADED) expect(failing(r, fn).length, `${fn} fails`).toBeGreaterThan(0);
          // nothing passes but the properties that only ask for an exception (misaligned shapes)
          expect(r.checks.filter((c) => c.status === 'pass' && !/refuses/.test(c.id)).map((c) => c.id)).toEqual([]);
          const messages = failing(r, 'linear_forward').map((c) => c.message);
          expect(messages.join('\n')).toContain(
            "linear_forward calls the course's dnn_app_utils_v3.linear_forward instead of implementing it",
          );
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('grade: forwarders score 0, also when posing as the Application notebook; a correct classmate 100', async () => {
        const dir = folder('grade');
        try {
          const cls = join(dir, 'class');
          mkdirSync(cls);
          writeFileSync(join(cls, 'forwarder.py'), forwardingSource());
          writeFileSync(join(cls, 'poser.py'), forwardingSource(true));
          writeFileSync(join(cls, 'alice.py'), correctPy());
          const out = await gradeClass(discoverSubmissions([cls]), {
            reportDir: join(dir, 'out'),
            jobs: 2,
            points: { ...COURSE_POINTS },
            force: true,
            seed: 0,
            runs: 3,
            timeoutMs: 10_000,
            budgetMs: 200_000,
            isolation: { sandbox: sandbox() },
            write: () => {},
          });
          const rows = Object.fromEntries(out.rows.map((r) => [r.id, r]));
          expect(rows['alice.py'].score).toBe(100);
          for (const id of ['forwarder.py', 'poser.py']) {
            expect(rows[id].score, id).toBe(0);
            for (const fn of GRADED) expect(rows[id].functions[fn], `${id} ${fn}`).toMatch(/fail|error/);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      for (const attack of LOAD_TIME_ATTACKS)
        it(`${attack.id}: an in-place update_parameters still warns, and fails under --strict`, async () => {
          const dir = folder(attack.id);
          try {
            const file = join(dir, `${attack.id.replace(/\W/g, '_')}.py`);
            writeFileSync(file, inPlaceWithAttack(attack));
            const fns = ['update_parameters', 'linear_forward', 'compute_cost'];
            const r = await run(file, sandbox(), { functions: fns });
            expect(r.summary.fail + r.summary.error).toBe(0);
            const warned = (r.warnings ?? []).filter((w) => w.kind === 'mutates-input');
            expect(warned.map((w) => w.function)).toEqual(['update_parameters']);
            expect(JSON.stringify(warned)).toContain("params['W1']");
            expect(r.verdict).toBe('warn');
            const strict = await run(file, sandbox(), { functions: ['update_parameters'], strict: true });
            expect(strict.verdict).toBe('fail');
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        });

      it('a wrong in-place update answering its own call with a forged "after": the warning is lost, the wrong value still fails', async () => {
        const dir = folder('forged-answer');
        try {
          const file = join(dir, 'forged.py');
          writeFileSync(file, forgedAnswerSource());
          const r = await run(file, sandbox(), { functions: ['update_parameters'] });
          expect(r.verdict).toBe('fail');
          expect(failing(r, 'update_parameters').length).toBeGreaterThan(0);
          // the documented limit: the forged state of the arguments is taken (no mutates-input warning)
          expect((r.warnings ?? []).filter((w) => w.kind === 'mutates-input')).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it("a classmate's h5py.py in a flat class folder is never imported", async () => {
        const dir = folder('sibling');
        try {
          const marker = join(dir, 'h5py-was-imported');
          const exfil = join(dir, 'exfil');
          mkdirSync(exfil);
          chmodSync(exfil, 0o777);
          const files = siblingH5py(join(exfil, 'h5py-was-imported'));
          const cls = join(dir, 'class');
          mkdirSync(cls);
          chmodSync(cls, 0o755);
          for (const [name, src] of Object.entries(files)) writeFileSync(join(cls, name), src);
          const r = await run(join(cls, 'classmate.py'), sandbox());
          expect(existsSync(join(exfil, 'h5py-was-imported')), readFileSync(join(cls, 'h5py.py'), 'utf8')).toBe(false);
          expect(existsSync(marker)).toBe(false);
          expect(r.verdict).toBe('pass');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    },
  );
}
