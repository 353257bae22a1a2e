/** Which files a grade run takes, with which ids; the progress line. Expected values written by hand. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverSubmissions, globToRegExp } from './discover.ts';
import { barLine, formatEta, progress } from './progress.ts';
import { shardOf } from './state.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-discover-'));
  for (const f of [
    'a/alice.ipynb',
    'a/dnn_utils_v2.py',
    'a/testCases_v4a.py',
    'a/.ipynb_checkpoints/alice-checkpoint.ipynb',
    'b/bob.py',
    'b/notes.txt',
    'c d/carl (1).ipynb',
    'c d/__pycache__/x.py',
  ]) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), '');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('discoverSubmissions', () => {
  it('walks folders, leaving out the course helpers, checkpoints and caches', () => {
    expect(discoverSubmissions([root]).map((s) => [s.id, s.dirName])).toEqual([
      ['a/alice.ipynb', 'a_alice.ipynb'],
      ['b/bob.py', 'b_bob.py'],
      ['c d/carl (1).ipynb', 'c_d_carl_1_.ipynb'],
    ]);
  });
  it('expands quoted globs and names what matches nothing', () => {
    expect(discoverSubmissions([join(root, '**/*.ipynb')]).map((s) => s.id)).toEqual([
      'a/alice.ipynb',
      'c d/carl (1).ipynb',
    ]);
    expect(discoverSubmissions([join(root, 'b', '*.py')]).map((s) => s.id)).toEqual(['bob.py']);
    expect(() => discoverSubmissions([join(root, '*.R')])).toThrow(/no .ipynb or .py file matches/);
    expect(() => discoverSubmissions([join(root, 'b', 'notes.txt')])).toThrow(/neither a .ipynb nor a .py/);
    expect(globToRegExp('/x/**/*.py').test('/x/a/b/c.py')).toBe(true);
    expect(globToRegExp('/x/**/*.py').test('/x/c.py')).toBe(true);
    expect(globToRegExp('/x/*.py').test('/x/a/c.py')).toBe(false);
    expect(globToRegExp('/x/s[0-9].py').test('/x/s7.py')).toBe(true);
  });
  it('gives every submission its own report folder', () => {
    const dir = join(root, 'clash');
    mkdirSync(join(dir, 'a b'), { recursive: true });
    writeFileSync(join(dir, 'a b', 'x.py'), '');
    writeFileSync(join(dir, 'a_b_x.py'), '');
    const names = discoverSubmissions([dir]).map((s) => s.dirName);
    expect(new Set(names).size).toBe(2);
  });
});

describe('progress', () => {
  it('a bar with the ETA on a terminal, plain lines otherwise', () => {
    expect(formatEta(31_000)).toBe('00:31');
    expect(formatEta(3_725_000)).toBe('1:02:05');
    expect(barLine(50, 100, 3, 31_000, 'x.py PASS', 10)).toBe('[#####-----] 50/100  skipped 3  ETA 00:31  x.py PASS');
    const out: string[] = [];
    const p = progress(2, { tty: false, jobs: 2, write: (s) => out.push(s) });
    p.done('a.py', 'PASS 100/100', 1500);
    p.finish();
    expect(out).toEqual(['[1/2] a.py PASS 100/100 (1.5 s)\n']);
    const tty: string[] = [];
    const q = progress(2, { tty: true, jobs: 2, write: (s) => tty.push(s) });
    q.done('a.py', 'PASS', 1000);
    expect(tty[0]).toBe('\r\x1b[K[------------------------] 0/2  ETA --:--  starting');
    expect(tty[1].startsWith('\r\x1b[K[############------------] 1/2')).toBe(true);
  });
  it('shards by a stable hash of the id', () => {
    // FNV-1a 32-bit of "a": 0xe40c292c = 3826002220; mod 4 = 0
    expect(shardOf('a', 4)).toBe(3826002220 % 4);
    expect(shardOf('a', 1)).toBe(0);
  });
});
