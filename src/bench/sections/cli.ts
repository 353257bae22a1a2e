/**
 * The command as a user runs it (compiled JavaScript, a fresh process each time), best of N wall-clock runs:
 * - `dnn-verify --help` start-up, beside Node's own (`node -e 0`);
 * - `dnn-verify random` end to end, randn, 2e7 draws to .npy, against NumPy's np.save in the same run;
 * - 2e7 draws in chunks in a fresh process: the first call (cold: wasm compile, first-touch pages) and the second.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hasNumpy } from '../../../test/oracle/numpy.ts';
import { PACKAGE_ROOT } from '../../paths.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const N = 20_000_000;
const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'bin.js');
const NPY = join(PACKAGE_ROOT, 'dist', 'src', 'io', 'npy.js');
const RANDOM = join(PACKAGE_ROOT, 'dist', 'src', 'random', 'index.js');

/** Best of `repeats` wall-clock seconds of a process, which must succeed. */
function bestRun(repeats: number, command: string, args: string[]): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const t = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
    best = Math.min(best, t);
  }
  return best;
}

/** In a fresh process: two chunked fills of N normals, each timed. */
const COLD_WARM = `
const { RandomState } = await import(${JSON.stringify(pathToFileURL(RANDOM).href)});
const { NPY_CHUNK } = await import(${JSON.stringify(pathToFileURL(NPY).href)});
const rs = new RandomState(1);
const chunk = new Float64Array(NPY_CHUNK);
const times = [];
for (let pass = 0; pass < 2; pass++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let done = 0; done < ${N}; done += chunk.length) rs.fillStandardNormal(chunk);
  const c = process.cpuUsage(c0);
  times.push([(performance.now() - t0) / 1e3, (c.user + c.system) / 1e6]);
}
process.stdout.write(JSON.stringify(times));
`;

export const section: BenchSection = {
  name: 'cli',
  async run(): Promise<BenchRow[]> {
    if (!existsSync(BIN)) {
      process.stderr.write(`bench cli: ${BIN} is missing (npm run build); section skipped\n`);
      return [];
    }
    const rows: BenchRow[] = [];
    const help = bestRun(20, process.execPath, [BIN, '--help']);
    const node = bestRun(20, process.execPath, ['-e', '0']);
    rows.push({
      section: 'cli',
      name: 'dnn-verify --help (start-up)',
      ours: help,
      peers: {},
      extra: { 'node -e 0': `${(node * 1e3).toFixed(1)} ms` },
    });

    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-bench-cli-'));
    try {
      const out = join(dir, 'ours.npy');
      const ours = bestRun(3, process.execPath, [
        BIN,
        'random',
        '--seed',
        '1',
        '--method',
        'randn',
        '--size',
        String(N),
        '--out',
        out,
      ]);
      const peers: Record<string, number> = {};
      if (hasNumpy()) {
        const theirs = join(dir, 'numpy.npy');
        const code = `import numpy as np; np.random.seed(1); np.save(${JSON.stringify(theirs)}, np.random.randn(${N}))`;
        peers.numpy = bestRun(3, process.env.DNN_VERIFY_PYTHON ?? 'python3', ['-c', code]);
      }
      rows.push({
        section: 'cli',
        name: `dnn-verify random randn ${N} -> .npy (end to end)`,
        ours,
        peers,
        extra: { 'MB/s': (8 * N) / 1e6 / ours },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const r = spawnSync(process.execPath, ['--input-type=module', '-e', COLD_WARM], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold/warm child failed: ${r.stderr}`);
    // CPU time beside wall time: on a machine shared with other work, the wall times of two calls can differ by
    // what the others did meanwhile
    const [[cold, coldCpu], [warm, warmCpu]] = JSON.parse(r.stdout) as number[][];
    const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
    rows.push({
      section: 'cli',
      name: `randn ${N} in chunks, first call of a process`,
      ours: cold,
      peers: {},
      extra: {
        'second call': ms(warm),
        'CPU first': ms(coldCpu),
        'CPU second': ms(warmCpu),
        'cold/warm CPU': coldCpu / warmCpu,
      },
    });
    return rows;
  },
};
