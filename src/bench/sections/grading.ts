/**
 * Grading a class: `dnn-verify grade` (the CLI, one Node process, --jobs = the cores) on a class built from the
 * committed variants (src/bench/sample-class.ts: >= 100 students, the 32 mutants and 4 correct variants in turn,
 * a third of them as notebooks, plus a hanging, a crashing and an unparsable submission), against the course's
 * grader on the same files in the same run: public_tests.py + test_utils.py of W4A1 when
 * DNN_VERIFY_COURSE_GRADER names a folder holding them (other people's code, never committed), else our own
 * course-style stand-in (src/bench/course_grader.py, mode "own"). The row says which one was timed.
 *
 * Environment: DNN_VERIFY_GRADE_CLASS (class size, default 105 + the 3 misbehaving), DNN_VERIFY_GRADE_RUNS
 * (--runs, default the grading profile).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy } from '../../../test/oracle/numpy.ts';
import { writeSampleClass } from '../sample-class.ts';
import { GRADE_RUNS } from '../../grade/profile.ts';
import type { GradeRow } from '../../grade/row.ts';
import { childrenCpuMs } from '../../grade/index.ts';
import type { BenchRow, BenchSection } from '../types.ts';
import { PACKAGE_ROOT } from '../../paths.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export const section: BenchSection = {
  name: 'grading',
  async run(): Promise<BenchRow[]> {
    if (!hasNumpy()) {
      process.stderr.write('grading: skipped, python3 with NumPy is needed to run the submissions\n');
      return [];
    }
    const size = Number(process.env.DNN_VERIFY_GRADE_CLASS ?? 105);
    const runs = Number(process.env.DNN_VERIFY_GRADE_RUNS ?? GRADE_RUNS);
    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-grading-'));
    try {
      const students = writeSampleClass(join(dir, 'class'), size);
      const files = readdirSync(join(dir, 'class')).map((f) => join(dir, 'class', f));
      const jobs = availableParallelism();
      const env = { ...process.env, CI: '1' };
      const cpu0 = childrenCpuMs();
      const t0 = performance.now();
      const ours = spawnSync(
        process.execPath,
        [
          join(ROOT, 'src', 'cli', 'bin.js'),
          'grade',
          join(dir, 'class'),
          '--report-dir',
          join(dir, 'out'),
          '--jobs',
          String(jobs),
          '--runs',
          String(runs),
        ],
        { env, encoding: 'utf8' },
      );
      const oursSeconds = (performance.now() - t0) / 1000;
      // CPU of the grade process and every engine process it waited for
      const cpu1 = childrenCpuMs();
      const oursCpu = cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / 1000 : Number.NaN;
      if (ours.status !== 0) throw new Error(`dnn-verify grade failed: ${ours.stderr.slice(-2000)}`);
      const state = JSON.parse(readFileSync(join(dir, 'out', 'class.json'), 'utf8')) as { rows: GradeRow[] };
      const row = (file: string) => state.rows.find((r) => r.id === file)!;

      const grader = process.env.DNN_VERIFY_COURSE_GRADER;
      const course = grader && existsSync(join(grader, 'public_tests.py')) && existsSync(join(grader, 'test_utils.py'));
      const peerName = course ? "course's public_tests.py (W4A1)" : 'own course-style grader (np.allclose)';
      const peer = spawnSync(
        'python3',
        [
          join(ROOT, 'src', 'bench', 'course_grader.py'),
          course ? 'course' : 'own',
          course ? grader! : join(PACKAGE_ROOT, 'fixtures', 'engines', 'correct.py'),
          ...files,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      const cpu2 = childrenCpuMs();
      const peerCpu = cpu1 !== undefined && cpu2 !== undefined ? (cpu2 - cpu1) / 1000 : Number.NaN;
      if (peer.status !== 0) throw new Error(`the course grader failed: ${peer.stderr.slice(-2000)}`);
      const peerOut = JSON.parse(peer.stdout) as { seconds: number; rows: { file: string; passed: string[] }[] };
      const peerRow = (file: string) => peerOut.rows.find((r) => r.file === file)!;

      // mutants whose buggy exercise lost its points (helpers such as relu_backward count through their callers)
      const mutants = students.filter((s) => s.kind === 'mutant');
      const caughtBy = (lost: (s: (typeof students)[number]) => boolean) => mutants.filter(lost).length;
      const oursCaught = caughtBy((s) => row(s.file).score < row(s.file).maxScore);
      const oursFailed = caughtBy((s) => row(s.file).verdict === 'fail' || row(s.file).verdict === 'error');
      const peerCaught = caughtBy((s) => peerRow(s.file).passed.length < 10);
      const bad = ['zz-hangs.py', 'zz-crashes.py', 'zz-unparsable.ipynb'].map((f) => row(f));
      process.stderr.write(
        `grading: ${files.length} submissions, ${jobs} jobs, runs ${runs}: ours ${oursSeconds.toFixed(1)} s (CPU ${oursCpu.toFixed(1)} s), ${peerName} ${peerOut.seconds.toFixed(1)} s (CPU ${peerCpu.toFixed(1)} s); load average ${loadavg()[0].toFixed(1)}\n`,
      );
      return [
        {
          section: 'grading',
          name: `grade ${files.length} submissions (${jobs} jobs, runs ${runs})`,
          ours: oursSeconds,
          peers: { [peerName]: peerOut.seconds },
          extra: {
            'per submission s': oursSeconds / files.length,
            'CPU s (ours, Node + engines)': oursCpu,
            'CPU s (peer)': peerCpu,
            // what two otherwise idle cores would take: the CPU time spread over the cores
            'CPU-bound wall on 2 idle cores, per 100': (oursCpu / 2) * (100 / files.length),
            'mutants failed (ours)': `${oursFailed}/${mutants.length}`,
            'goal 100 in 60 s': oursSeconds * (100 / files.length) <= 60 ? 'met' : 'missed',
            'mutants losing points (ours)': `${oursCaught}/${mutants.length}`,
            'mutants losing points (peer)': `${peerCaught}/${mutants.length}`,
            'load average (1 min) at the end': loadavg()[0],
            'hang/crash/unparsable s': bad.map((r) => (r.durationMs / 1000).toFixed(1)).join('/'),
          },
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
