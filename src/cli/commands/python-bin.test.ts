/**
 * `check --python-bin PATH`: the interpreter of a --python engine is the one named (examples/torch/engine.test.ts
 * runs a real engine through it where torch is installed).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts')];
const dir = mkdtempSync(join(tmpdir(), 'python-bin-'));
const engine = join(dir, 'engine.py');
writeFileSync(engine, 'def compute_cost(AL, Y):\n    return 0.0\n');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [...BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('check --python-bin', () => {
  it('runs the engine with the interpreter named: one that does not exist is named in the error', () => {
    const missing = join(dir, 'no-such-python3');
    const r = cli([
      'check',
      '--python',
      engine,
      '--python-bin',
      missing,
      '--sandbox',
      'none',
      '--report-dir',
      join(dir, 'r'),
    ]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`could not start ${missing}`);
  });

  it('applies to --python only', () => {
    const r = cli(['check', '--module', engine, '--python-bin', 'python3']);
    expect(r.code).toBe(2);
    expect(r.out).toContain('--python-bin applies to --python FILE only');
  });
});
