/**
 * Checking a notebook of each assignment end to end, as a student or a TA does: `dnn-verify check --python FILE`
 * on the correct engine of fixtures/engines/<assignment>/ (week 4's is fixtures/engines/correct.py), detection
 * included, default runs and sandbox. Wall-clock seconds of the whole command, the median of three; the ratio to
 * week 4's is the issue's measure ("no longer than a week-4 one"). Skipped without python3 + NumPy or dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../paths.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'bin.js');
const ENGINES = join(PACKAGE_ROOT, 'fixtures', 'engines');
const FILES: [string, string][] = [
  ['step-by-step', join(ENGINES, 'correct.py')],
  ['logistic', join(ENGINES, 'logistic', 'correct.py')],
  ['planar', join(ENGINES, 'planar', 'correct.py')],
];

function timeCheck(file: string): { seconds: number; verdict: string } {
  const out = mkdtempSync(join(tmpdir(), 'bench-assignments-'));
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'check', '--python', file, '--report-dir', out], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(out, { recursive: true, force: true });
  return { seconds, verdict: /dnn-verify: (\w+)/.exec(r.stdout + r.stderr)?.[1] ?? `exit ${r.status}` };
}

export const section: BenchSection = {
  name: 'assignments',
  async run(): Promise<BenchRow[]> {
    const numpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
    if (numpy.status !== 0 || !existsSync(BIN)) {
      process.stderr.write(
        `bench assignments: ${existsSync(BIN) ? 'python3 with NumPy is missing' : `${BIN} is missing (npm run build)`}; section skipped\n`,
      );
      return [];
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const timed = FILES.map(([id, file]) => {
      const runs = [timeCheck(file), timeCheck(file), timeCheck(file)];
      return { id, file, seconds: median(runs.map((r) => r.seconds)), verdict: runs[0].verdict };
    });
    const week4 = timed[0].seconds;
    return timed.map((t) => ({
      section: 'assignments',
      name: `check --python ${t.file.slice(PACKAGE_ROOT.length + 1)} (${t.id})`,
      ours: t.seconds,
      peers: {},
      extra: { verdict: t.verdict, 'ratio to week 4': Number((t.seconds / week4).toFixed(2)) },
      unit: 's per run',
    }));
  },
};
