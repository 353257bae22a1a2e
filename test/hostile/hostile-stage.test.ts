/**
 * The engine reads only what it must (attacks-stage.ts): as root, under rlimits (a jail uid of its own, no
 * capability that reads everything) and under bubblewrap, it cannot read a root-only 0600 file, /etc/shadow, a
 * file in a private folder, nor another jail's scratch directory, and none of their content reaches the reports.
 */
import { describe, expect, it } from 'vitest';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonEngine } from '../../src/adapters/index.ts';
import { ReferenceEngine } from '../../src/engine/reference-engine.ts';
import { runSuites } from '../../src/run/runner.ts';
import { allSuites } from '../../src/run/suites.ts';
import { writeReports } from '../../src/report/index.ts';
import { hasNumpy, numpySkipReason } from '../oracle/numpy.ts';
import { createSandbox } from '../../src/sandbox/sandbox.ts';
import { bwrapUsable, isRoot } from '../../src/sandbox/probe.ts';
import { hostileSource } from './attacks.ts';
import { STAGE_ATTACKS } from './attacks-stage.ts';

const SECRET = `stage-secret-${process.pid}-${Date.now()}`;
const bwrap = bwrapUsable();
const why = isRoot()
  ? ''
  : 'skipped: needs root (without it the engine runs as the user, who reads the user’s files: documented)';

for (const mode of ['rlimits', 'bwrap'] as const) {
  const skip = !isRoot() || !hasNumpy() || (mode === 'bwrap' && !bwrap.ok);
  describe.skipIf(skip)(
    `read-private under ${mode} ${why} ${numpySkipReason()} ${mode === 'bwrap' && !bwrap.ok ? `skipped: ${bwrap.reason}` : ''}`,
    () => {
      it('reads nothing but what it must; no secret reaches the reports', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'stage-attack-'));
        chmodSync(dir, 0o755);
        // a root-only file in a folder anyone may enter
        const rootOnly = join(dir, 'root-only.txt');
        writeFileSync(rootOnly, `${SECRET}-root-only`, { mode: 0o600 });
        // a classmate's file: world-readable, in a private (0700) folder
        const privateDir = mkdtempSync(join(tmpdir(), 'stage-classmate-'));
        const classmate = join(privateDir, 'classmate.py');
        writeFileSync(classmate, `${SECRET}-classmate`);
        // another jail's scratch directory: 0700, owned by its uid, holding a world-readable file
        const scratch = mkdtempSync(join(tmpdir(), 'dnn-verify-engine-'));
        const scratchFile = join(scratch, 'home-secret.txt');
        writeFileSync(scratchFile, `${SECRET}-scratch`);
        chownSync(scratch, 611_111, 611_111);
        chownSync(scratchFile, 611_111, 611_111);
        const reportDir = join(dir, 'reports');
        mkdirSync(reportDir);
        const file = join(dir, 'hostile_read_private.py');
        writeFileSync(
          file,
          hostileSource(STAGE_ATTACKS[0], {
            ROOT_ONLY: rootOnly,
            PRIVATE: classmate,
            SCRATCH: scratchFile,
            TMP: tmpdir(),
          }),
        );
        const sandbox = createSandbox({ mode, hide: [reportDir] });
        const engine = pythonEngine(file, { sandbox, timeoutMs: 30_000 });
        try {
          const report = await runSuites(engine, new ReferenceEngine(), allSuites(), {
            seed: 0,
            runs: 1,
            functions: ['initialize_parameters', 'sigmoid'],
          });
          await engine.close();
          writeReports({ ...report, sandbox: sandbox.label }, reportDir);
          const messages = report.checks
            .filter((c) => c.function === 'initialize_parameters' && c.status !== 'pass')
            .map((c) => c.message)
            .join('\n');
          // the attack ran, and everything it tried was refused
          expect(messages).toMatch(/read: \{/);
          for (const p of [rootOnly, '/etc/shadow', classmate, scratchFile])
            expect(messages).toMatch(new RegExp(`'${p}': 'refused (PermissionError|FileNotFoundError)'`));
          expect(messages).not.toMatch(/'READ /);
          expect(report.checks.some((c) => c.function === 'sigmoid' && c.status === 'pass')).toBe(true);
          for (const f of readdirSync(reportDir))
            expect(readFileSync(join(reportDir, f), 'utf8')).not.toContain(SECRET);
        } finally {
          await engine.close();
          sandbox.dispose();
          for (const d of [dir, privateDir, scratch]) rmSync(d, { recursive: true, force: true });
        }
      }, 180_000);
    },
  );
}
