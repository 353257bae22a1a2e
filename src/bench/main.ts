/**
 * `npm run bench [-- SECTION...]`: runs every module in ./sections (each exports `section: BenchSection`),
 * timing ours and the peers (NumPy through python3, other JavaScript engines) in one run, and prints ratios
 * peer_time / our_time (>= 1.0 means we are at least as fast). Results also go to reports/bench.json.
 */
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSection } from './types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(join(here, 'sections')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
const rows: BenchRow[] = [];
for (const file of files) {
  const { section } = (await import(join(here, 'sections', file))) as { section: BenchSection };
  if (wanted.length > 0 && !wanted.includes(section.name)) continue;
  process.stdout.write(`\n== ${section.name}\n`);
  for (const row of await section.run()) {
    rows.push(row);
    const ratios = Object.entries(row.peers)
      .map(([peer, t]) => `${peer} ${fmt(t)} (ratio ${(t / row.ours).toFixed(2)})`)
      .join(', ');
    const extra = row.extra ? '  ' + Object.entries(row.extra).map(([k, v]) => `${k}=${typeof v === 'number' ? v.toPrecision(3) : v}`).join(' ') : '';
    process.stdout.write(`${row.name.padEnd(44)} ours ${fmt(row.ours)}${ratios ? '; ' + ratios : ''}${extra}\n`);
  }
}
const root = join(here, '..', '..');
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports', 'bench.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
process.stdout.write('\nratio = peer time / our time; >= 1.0 means ours is at least as fast. Written to reports/bench.json\n');

function fmt(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(3)} s`;
  if (seconds >= 1e-3) return `${(seconds * 1e3).toFixed(3)} ms`;
  return `${(seconds * 1e6).toFixed(3)} us`;
}
