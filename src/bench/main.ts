/**
 * `npm run bench [-- SECTION...]`: runs every module in ./sections (each exports `section: BenchSection`),
 * timing ours and the peers (NumPy through python3, other JavaScript engines) in one run, and prints ratios
 * peer_time / our_time (>= 1.0 means we are at least as fast). Results also go to reports/bench.json.
 *
 * Each section runs in a process of its own, so that one section's leftovers (a JavaScript peer's heap, its
 * threads) cannot slow the next one down: measured, mathjs's copies of X made the L-layer training 50% slower.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSection } from './types.ts';
import { PACKAGE_ROOT } from '../paths.ts';

const here = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);

async function loadSection(file: string): Promise<BenchSection> {
  return ((await import(join(here, 'sections', file))) as { section: BenchSection }).section;
}

if (args[0] === '--child') {
  // a child: run one section and write its rows where the parent said
  const [, file, out] = args;
  writeFileSync(out, JSON.stringify(await (await loadSection(file)).run()));
} else {
  const files = readdirSync(join(here, 'sections'))
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.(test|d)\.ts$/.test(f))
    .sort();
  const scratch = mkdtempSync(join(tmpdir(), 'dnn-verify-bench-'));
  const rows: BenchRow[] = [];
  let failed = false;
  for (const file of files) {
    const name = file.replace(/\.(ts|js)$/, '');
    if (args.length > 0 && !args.includes(name)) continue;
    process.stdout.write(`\n== ${name}\n`);
    const out = join(scratch, `${name}.json`);
    const child = spawnSync(process.execPath, [...process.execArgv, self, '--child', file, out], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (child.status !== 0) {
      process.stderr.write(`bench section ${name} failed (exit ${child.status ?? child.signal})\n`);
      failed = true;
      continue;
    }
    for (const row of JSON.parse(readFileSync(out, 'utf8')) as BenchRow[]) {
      rows.push(row);
      const ratios = Object.entries(row.peers)
        .map(([peer, t]) => `${peer} ${fmt(t)} (ratio ${(t / row.ours).toFixed(2)})`)
        .join(', ');
      const extra = row.extra
        ? '  ' +
          Object.entries(row.extra)
            .map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : v}`)
            .join(' ')
        : '';
      process.stdout.write(`${row.name.padEnd(44)} ours ${fmt(row.ours)}${ratios ? `; ${ratios}` : ''}${extra}\n`);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(PACKAGE_ROOT, 'reports'), { recursive: true });
  writeFileSync(
    join(PACKAGE_ROOT, 'reports', 'bench.json'),
    JSON.stringify({ date: new Date().toISOString(), rows }, null, 2),
  );
  process.stdout.write(
    '\nratio = peer time / our time; >= 1.0 means ours is at least as fast. Written to reports/bench.json\n',
  );
  if (failed) process.exitCode = 1;
}

function fmt(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(3)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(3)} ms`;
  return `${(seconds * 1e6).toFixed(3)} us`;
}
