/**
 * The sandbox's cost: `dnn-verify check --python` on the correct engine (fixtures/engines/correct.py) with
 * --sandbox none, bwrap and rlimits, in rounds that alternate the modes (so that the machine's slow periods fall
 * on all three), best of the rounds. Timed as a user waits for it: the whole process, from spawn to exit; the run
 * itself (report.json's durationMs) is shown beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy } from '../../../test/oracle/numpy.ts';
import { bwrapUsable } from '../../sandbox/probe.ts';
import type { BenchRow, BenchSection } from '../types.ts';
import { PACKAGE_ROOT } from '../../paths.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const ROUNDS = 3;

export const section: BenchSection = {
  name: 'sandbox',
  async run(): Promise<BenchRow[]> {
    if (!hasNumpy()) {
      process.stderr.write('sandbox: skipped (python3 with NumPy not found)\n');
      return [];
    }
    const modes = ['none', 'rlimits', ...(bwrapUsable().ok ? ['bwrap'] : [])];
    if (!modes.includes('bwrap')) process.stderr.write(`sandbox: bwrap row skipped: ${bwrapUsable().reason}\n`);
    const wall: Record<string, number> = {};
    const run: Record<string, number> = {};
    const dir = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
    try {
      for (let round = 0; round < ROUNDS; round++) {
        for (const mode of modes) {
          const reports = join(dir, mode);
          const t0 = performance.now();
          const r = spawnSync(
            process.execPath,
            [
              join(ROOT, 'src', 'cli', 'bin.js'),
              'check',
              '--python',
              join(PACKAGE_ROOT, 'fixtures', 'engines', 'correct.py'),
              '--sandbox',
              mode,
              '--report-dir',
              reports,
            ],
            { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } },
          );
          const seconds = (performance.now() - t0) / 1000;
          if (r.status !== 0) throw new Error(`check --sandbox ${mode} failed (exit ${r.status}): ${r.stderr}`);
          const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8')) as { durationMs: number };
          wall[mode] = Math.min(wall[mode] ?? Infinity, seconds);
          run[mode] = Math.min(run[mode] ?? Infinity, report.durationMs / 1000);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const extra: Record<string, number | string> = { 'run none (s)': run.none };
    for (const mode of modes.filter((m) => m !== 'none')) {
      extra[`${mode} +%`] = Number((100 * (wall[mode] / wall.none - 1)).toFixed(1));
      extra[`run ${mode} (s)`] = run[mode];
    }
    return [
      {
        section: 'sandbox',
        name: `check --python correct.py, sandbox none vs ${modes.slice(1).join(', ')} (best of ${ROUNDS})`,
        ours: wall.none,
        peers: Object.fromEntries(modes.filter((m) => m !== 'none').map((m) => [m, wall[m]])),
        extra,
        unit: 's per check run (whole process)',
      },
    ];
  },
};
