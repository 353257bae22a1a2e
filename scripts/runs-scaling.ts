/**
 * Measures the grading profile: grades the committed variants (32 mutants, 4 correct variants) at each
 * `--runs` value and seed, and counts the mutants caught against the right function (the rule of
 * fixtures/engines/mutation.test.ts: some failing function is the buggy one, and every failing function is it or
 * one of its callers) and the correct variants that pass. Also reports the CPU and wall time per submission.
 *
 *   node --import tsx scripts/runs-scaling.ts --runs 1,2,5,10,20 --seeds 0,1,2 [--jobs 2] [--timeout 10000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverSubmissions } from '../src/grade/discover.ts';
import { gradeClass } from '../src/grade/index.ts';
import { COURSE_POINTS } from '../src/grade/points.ts';
import { callersOf } from '../src/engine/catalogue.ts';
import { variants, writeSampleClass } from '../src/bench/sample-class.ts';

export interface ScalingResult {
  runs: number;
  seed: number;
  killed: number;
  mutants: number;
  passed: number;
  correct: number;
  problems: string[];
  wallMs: number;
  cpuMs: number;
}

export async function measureRuns(runs: number, seed: number, jobs: number, timeoutMs: number): Promise<ScalingResult> {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-scaling-'));
  try {
    const vs = variants();
    const students = writeSampleClass(join(dir, 'class'), vs.length, { misbehaving: false });
    const cpu0 = process.cpuUsage();
    const out = await gradeClass(discoverSubmissions([join(dir, 'class')]), {
      reportDir: join(dir, 'out'),
      jobs,
      points: { ...COURSE_POINTS },
      force: true,
      seed,
      runs,
      timeoutMs,
      budgetMs: 120_000,
      write: () => {},
    });
    const cpu = process.cpuUsage(cpu0);
    const problems: string[] = [];
    let killed = 0;
    let passed = 0;
    for (const s of students) {
      const row = out.rows.find((r) => r.id === s.file)!;
      const failing = Object.entries(row.functions)
        .filter(([, st]) => st === 'fail' || st === 'error')
        .map(([f]) => f);
      if (s.kind === 'correct') {
        if (row.verdict === 'pass' || row.verdict === 'warn') passed++;
        else problems.push(`${s.variant}: false alarm on ${failing.join(', ') || row.reason}`);
        continue;
      }
      const allowed = new Set(s.functions!.flatMap((f) => [f, ...callersOf(f)]));
      const ok = failing.some((f) => s.functions!.includes(f)) && failing.every((f) => allowed.has(f));
      if (ok) killed++;
      else problems.push(`${s.variant} (${s.functions!.join('/')}): failing ${failing.join(', ') || 'nothing'}`);
    }
    return {
      runs,
      seed,
      killed,
      mutants: students.filter((s) => s.kind === 'mutant').length,
      passed,
      correct: students.filter((s) => s.kind === 'correct').length,
      problems,
      wallMs: out.wallMs,
      // Node's own CPU only: the engines' CPU is in the wall time
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '1,2,5,10,20' },
      seeds: { type: 'string', default: '0,1,2' },
      jobs: { type: 'string', default: '2' },
      timeout: { type: 'string', default: '10000' },
    },
  });
  process.env.OPENBLAS_NUM_THREADS ??= '1';
  for (const runs of values.runs.split(',').map(Number))
    for (const seed of values.seeds.split(',').map(Number)) {
      const r = await measureRuns(runs, seed, Number(values.jobs), Number(values.timeout));
      console.log(
        `runs ${String(r.runs).padStart(3)} seed ${r.seed}: ${r.killed}/${r.mutants} mutants caught, ${r.passed}/${r.correct} correct pass; ${(r.wallMs / 1000).toFixed(1)} s wall, Node CPU ${(r.cpuMs / 1000).toFixed(1)} s${r.problems.length ? `\n    ${r.problems.join('\n    ')}` : ''}`,
      );
    }
}
