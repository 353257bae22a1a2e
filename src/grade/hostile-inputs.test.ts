/**
 * The run as a whole against a hostile class (hostile-class.ts), in each sandbox mode where an engine runs: files
 * that must not be read (3 GiB sparse, FIFO, link to /dev/zero, link to a root-only secret) cost their own row
 * only and nothing of them is quoted; deep and non-ASCII names keep their rows and their names; a submission
 * that floods the protocol channel with 200 MiB and no newline stalls no classmate; rows that failed for a reason
 * that is not the submission's are not cached; report folders are created and checked before any engine starts
 * and nothing is ever written through a link.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { createSandbox } from '../sandbox/sandbox.ts';
import { bwrapUsable } from '../sandbox/probe.ts';
import { main } from '../cli/main.ts';
import { discoverSubmissions, safeDirName } from './discover.ts';
import { gradeClass, type GradeSettings } from './index.ts';
import { COURSE_POINTS } from './points.ts';
import { optionsHash } from './state.ts';
import { correctSource } from '../bench/sample-class.ts';
import { shortenMiddle } from './progress.ts';
import { hostileClass, SECRET, type HostileClass } from '../../test/grade/hostile-class.ts';
import { checkInputFile } from '../io/input-files.ts';
import { prepareReportDir, REPORT_FILES, writeReportFile } from '../io/report-files.ts';
import type { GradeRow } from './row.ts';

const isRoot = process.getuid?.() === 0;
const MODES = (['bwrap', 'rlimits'] as const).filter((m) => m !== 'bwrap' || bwrapUsable().ok);

function settings(reportDir: string, more: Partial<GradeSettings> = {}): GradeSettings {
  return {
    reportDir,
    jobs: 3,
    points: { ...COURSE_POINTS },
    force: false,
    seed: 0,
    runs: 3,
    timeoutMs: 3000,
    budgetMs: 45_000,
    write: () => {},
    ...more,
  };
}

/** Every file under `dir` (links not followed), with its text. */
function allFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else if (e.isFile()) out.push({ path: p, text: readFileSync(p, 'utf8') });
  }
  return out;
}

async function cli(args: string[]): Promise<{ code: number; err: string; out: string }> {
  const err: string[] = [];
  const out: string[] = [];
  const [we, wo] = [process.stderr.write.bind(process.stderr), process.stdout.write.bind(process.stdout)];
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  try {
    return { code: await main(args), err: err.join(''), out: out.join('') };
  } finally {
    process.stderr.write = we;
    process.stdout.write = wo;
  }
}

/** A submission that, when loaded, plants links to `sentinel` named like the reports wherever it can. */
function planterSource(reportDir: string, sentinel: string): string {
  return `import os
for d in [${JSON.stringify(reportDir)}, os.path.join(${JSON.stringify(reportDir)}, 'submissions', 'planter.py')]:
    for name in ['report.json', 'results.json', 'grade.json', 'summary.md', 'gradebook.csv', 'class.json']:
        try:
            os.symlink(${JSON.stringify(sentinel)}, os.path.join(d, name))
        except OSError:
            pass
${correctSource()}`;
}

describe.skipIf(!hasNumpy())(`a hostile class, graded as a whole ${numpySkipReason()}`, () => {
  for (const mode of MODES) {
    describe(`sandbox ${mode}`, () => {
      let c: HostileClass;
      let out: string;
      let rows: Record<string, GradeRow>;
      beforeAll(async () => {
        c = hostileClass({ flood: true });
        out = join(c.root, 'out');
        writeFileSync(join(c.dir, 'planter.py'), planterSource(out, c.sentinel));
        const sandbox = createSandbox({ mode, hide: [out] });
        const t0 = performance.now();
        const outcome = await gradeClass(
          discoverSubmissions([c.dir]),
          settings(out, { isolation: { sandbox }, sandboxLabel: sandbox.label }),
        );
        rows = Object.fromEntries(outcome.rows.map((r) => [r.id, r]));
        // the 3 GiB file, the FIFO and /dev/zero were not read: the run ends (it hung or exhausted memory)
        expect(performance.now() - t0).toBeLessThan(200_000);
      }, 240_000);
      afterAll(() => c?.dispose());

      it('files that must not be read cost their own row only, each naming the file and why', () => {
        expect(rows['sparse.ipynb']).toMatchObject({ verdict: 'error', score: 0 });
        expect(rows['sparse.ipynb'].reason).toMatch(/sparse\.ipynb is 3 GiB, over the input limit of 20 MiB/);
        expect(rows['fifo.py'].reason).toMatch(/fifo\.py is a FIFO \(named pipe\), not a regular file/);
        expect(rows['zero.py'].reason).toMatch(/zero\.py is a symbolic link to a file outside the class folder/);
        expect(rows['secret.py'].reason).toMatch(/secret\.py is a symbolic link to a file outside the class folder/);
        // named by their ids: the grader's own paths are not shown to students
        for (const id of ['sparse.ipynb', 'fifo.py', 'zero.py', 'secret.py'])
          expect(rows[id].reason).not.toContain(c.root);
        // the gradebook and the class page are written, with every row
        const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8');
        for (const id of ['sparse.ipynb', 'fifo.py', 'zero.py', 'secret.py', 'alice.py']) expect(csv).toContain(id);
        expect(readFileSync(join(out, 'class.html'), 'utf8')).toContain('fifo.py');
        // each refused file has its Gradescope results.json with the reason, and nothing cached
        const gs = JSON.parse(readFileSync(join(out, rows['fifo.py'].dir, 'results.json'), 'utf8'));
        expect(gs.score).toBe(0);
        expect(JSON.stringify(gs)).toMatch(/FIFO/);
      });

      it('the root-only file behind the link is quoted nowhere', () => {
        const files = allFiles(out);
        expect(files.map((f) => f.path)).toEqual(
          expect.arrayContaining([join(out, 'gradebook.csv'), join(out, 'class.html')]),
        );
        for (const f of files) expect(f.text.includes(SECRET), f.path).toBe(false);
      });

      it('correct classmates beside the flooder, the deep path and the non-ASCII name get their full grade', () => {
        for (const id of ['alice.py', 'bob/W4A1.ipynb', 'José Ñúñez/W4A1 学生.ipynb', c.nestedId, 'planter.py']) {
          expect(rows[id], id).toBeDefined();
          expect([rows[id].verdict, rows[id].score, rows[id].reason], id).toEqual(['pass', 100, undefined]);
          // cached: a pass is the submission's own
          expect(existsSync(join(out, rows[id].dir, 'grade.json')), id).toBe(true);
        }
        // names: Unicode intact, bounded bytes, no separators
        expect(rows['José Ñúñez/W4A1 学生.ipynb'].dir).toBe('submissions/José_Ñúñez_W4A1_学生.ipynb');
        const nested = rows[c.nestedId].dir.slice('submissions/'.length);
        expect(Buffer.byteLength(nested)).toBeLessThanOrEqual(255);
        expect(nested).not.toMatch(/[/]/);
        expect(existsSync(join(out, rows[c.nestedId].dir, 'report.json'))).toBe(true);
      });

      it('the flooder gets its own error row, named by the line limit; error rows are not cached', () => {
        expect(rows['flood.py']).toMatchObject({ verdict: 'error', score: 0 });
        expect(rows['flood.py'].reason).toMatch(
          /did not load: .*answer in hello was longer than the protocol's line limit of 64 MiB/,
        );
        // no error row (budget, refused file) is kept for the next run
        for (const r of Object.values(rows))
          if (r.verdict === 'error') expect(existsSync(join(out, r.dir, 'grade.json')), r.id).toBe(false);
      });

      it('a submission planting links where its reports go changes nothing through them', () => {
        expect(readFileSync(c.sentinel, 'utf8')).toBe(c.sentinelText);
        for (const name of ['report.json', 'results.json', 'grade.json'])
          expect(lstatSync(join(out, 'submissions', 'planter.py', name)).isFile(), name).toBe(true);
        for (const name of ['gradebook.csv', 'class.json']) expect(lstatSync(join(out, name)).isFile()).toBe(true);
      });
    });
  }

  it('a row that failed on the time budget is not cached: the next run checks it again', async () => {
    const c = hostileClass();
    try {
      const dir = join(c.root, 'slow');
      mkdirSync(dir);
      writeFileSync(join(dir, 'slow.py'), `import time\ntime.sleep(0.01)\n${correctSource()}`);
      const out = join(c.root, 'slow-out');
      const first = await gradeClass(discoverSubmissions([dir]), settings(out, { budgetMs: 1 }));
      expect(first.rows[0].verdict).toBe('error');
      expect(first.rows[0].reason).toMatch(/time budget/);
      expect(existsSync(join(out, 'submissions', 'slow.py', 'grade.json'))).toBe(false);
      // as an earlier version stored it: the row is not taken as the submission's result either
      writeFileSync(
        join(out, 'submissions', 'slow.py', 'grade.json'),
        JSON.stringify({ ...first.rows[0], optionsHash: optionsHash(settings(out)) }),
      );
      const again = await gradeClass(discoverSubmissions([dir]), settings(out));
      expect([again.graded, again.skipped, again.rows[0].verdict, again.rows[0].score]).toEqual([1, 0, 'pass', 100]);
    } finally {
      c.dispose();
    }
  }, 120_000);
});

describe('inputs are checked before they are read', () => {
  let c: HostileClass;
  beforeAll(() => {
    c = hostileClass();
  });
  afterAll(() => c?.dispose());

  it('files named one by one (a shell glob): a link out of their folder is refused, the others pass', () => {
    const subs = discoverSubmissions(['alice.py', 'secret.py', 'zero.py', 'fifo.py'].map((f) => join(c.dir, f)));
    const outcome = Object.fromEntries(
      subs.map((s) => {
        try {
          return [s.id, checkInputFile(s.file, { folder: s.folder }).size];
        } catch (err) {
          return [s.id, (err as Error).message];
        }
      }),
    );
    expect(outcome['alice.py']).toBe(correctSource().length);
    expect(outcome['secret.py']).toMatch(/symbolic link to a file outside the class folder/);
    expect(outcome['zero.py']).toMatch(/symbolic link to a file outside the class folder/);
    expect(outcome['fifo.py']).toMatch(/FIFO/);
    // alone on the command line, the link is still refused (its folder is the class's)
    expect(() => checkInputFile(join(c.dir, 'secret.py'), discoverSubmissions([join(c.dir, 'secret.py')])[0])).toThrow(
      /outside the class folder/,
    );
    // a link inside the folder to a classmate's file is followed (it stays inside)
    symlinkSync(join(c.dir, 'alice.py'), join(c.dir, 'alias.py'));
    expect(checkInputFile(join(c.dir, 'alias.py'), { folder: c.dir }).path).toBe(join(c.dir, 'alice.py'));
  });

  it('check refuses the same files with exit 2 and a clear line, quoting nothing of them', async () => {
    const reports = join(c.root, 'check-reports');
    for (const [file, why] of [
      ['secret.py', /symbolic link to a file outside the class folder/],
      ['zero.py', /symbolic link to a file outside/],
      ['fifo.py', /FIFO/],
      ['sparse.ipynb', /over the input limit of 20 MiB \(--input-limit\)/],
    ] as const) {
      const r = await cli(['check', '--python', join(c.dir, file), '--report-dir', reports, '--sandbox', 'none']);
      expect([r.code, r.err], file).toEqual([2, expect.stringMatching(why)]);
      expect(r.err + r.out).not.toContain(SECRET);
    }
    expect(existsSync(join(reports, 'report.json'))).toBe(false);
    const big = await cli(['check', '--python', join(c.dir, 'alice.py'), '--input-limit', '1K', '--sandbox', 'none']);
    expect([big.code, big.err]).toEqual([2, expect.stringMatching(/over the input limit of 1 KiB/)]);
  });

  it('report folder names keep Unicode, stay short and safe, and never collide', () => {
    expect(safeDirName('José Ñúñez/W4A1 学生.ipynb')).toBe('José_Ñúñez_W4A1_学生.ipynb');
    expect(safeDirName('../../etc/passwd')).toBe('__.._etc_passwd');
    expect(safeDirName('..')).toBe('_');
    const long = safeDirName(`${'学'.repeat(200)}/end.ipynb`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.startsWith('学学学')).toBe(true);
    expect(long.endsWith('_end.ipynb')).toBe(true);
    const dir = join(c.root, 'collide');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b.py'), '');
    writeFileSync(join(dir, 'a_b.py'), '');
    writeFileSync(join(dir, 'A_B.py'), '');
    const names = discoverSubmissions([dir]).map((s) => s.dirName);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
  });

  it('progress lines keep both ends of a name', () => {
    const id = 'Zoë Ångström-Øvergaard/submissions/final/W4A1_Deep_Neural_Network.ipynb';
    const line = shortenMiddle(id, 48);
    expect(Array.from(line)).toHaveLength(48);
    expect(line.startsWith('Zoë Ångström')).toBe(true);
    expect(line.endsWith('Neural_Network.ipynb')).toBe(true);
    expect(shortenMiddle('short.py', 48)).toBe('short.py');
  });
});

describe('report folders are created and checked before any engine starts', () => {
  let c: HostileClass;
  beforeAll(() => {
    c = hostileClass();
  });
  afterAll(() => c?.dispose());

  /** A report folder full of links named like the reports, all pointing at the sentinel. */
  const trap = (dir: string) => {
    mkdirSync(join(dir, 'submissions', 'alice.py'), { recursive: true });
    for (const name of [...REPORT_FILES, 'gradebook.csv', 'class.html', 'class.json']) {
      symlinkSync(c.sentinel, join(dir, name));
      symlinkSync(c.sentinel, join(dir, 'submissions', 'alice.py', name));
    }
  };

  it('a folder that does not exist yet is created by the suite: a real folder of its own, not writable by others', () => {
    const open = join(c.root, 'world');
    mkdirSync(open);
    chmodSync(open, 0o1777);
    const dir = join(open, 'a', 'reports');
    prepareReportDir(dir);
    for (const d of [join(open, 'a'), dir]) {
      const st = lstatSync(d);
      expect([st.isDirectory(), st.uid, st.mode & 0o022], d).toEqual([true, process.getuid?.(), 0]);
    }
  });

  it.skipIf(!isRoot)(
    'a pre-created folder of another user, full of links: exit 2 naming it, nothing written',
    async () => {
      const dir = join(c.root, 'planted');
      trap(dir);
      chownSync(dir, 65534, 65534);
      for (const args of [
        ['grade', join(c.dir, 'alice.py'), '--report-dir', dir, '--sandbox', 'none'],
        ['check', '--python', join(c.dir, 'alice.py'), '--report-dir', dir, '--sandbox', 'none'],
      ]) {
        const r = await cli(args);
        expect([r.code, r.err]).toEqual([2, expect.stringMatching(/the report folder .*planted belongs to uid 65534/)]);
      }
      expect(readFileSync(c.sentinel, 'utf8')).toBe(c.sentinelText);
    },
  );

  it('a folder of ours holding links named like the reports, one writable by others, or a link: exit 2', async () => {
    const links = join(c.root, 'links');
    trap(links);
    const grade = await cli(['grade', join(c.dir, 'alice.py'), '--report-dir', links, '--sandbox', 'none']);
    expect([grade.code, grade.err]).toEqual([2, expect.stringMatching(/gradebook\.csv is a symbolic link.*rm /)]);
    const check = await cli(['check', '--python', join(c.dir, 'alice.py'), '--report-dir', links, '--sandbox', 'none']);
    expect([check.code, check.err]).toEqual([2, expect.stringMatching(/report\.json is a symbolic link/)]);
    // the per-submission folder is checked too, before any engine starts
    const sub = join(c.root, 'sub-links');
    mkdirSync(join(sub, 'submissions', 'alice.py'), { recursive: true });
    symlinkSync(c.sentinel, join(sub, 'submissions', 'alice.py', 'results.json'));
    const g2 = await cli(['grade', join(c.dir, 'alice.py'), '--report-dir', sub, '--sandbox', 'none']);
    expect([g2.code, g2.err]).toEqual([2, expect.stringMatching(/alice\.py\/results\.json is a symbolic link/)]);
    const open = join(c.root, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const o = await cli(['check', '--python', join(c.dir, 'alice.py'), '--report-dir', open, '--sandbox', 'none']);
    expect([o.code, o.err]).toEqual([2, expect.stringMatching(/open is writable by others \(mode 777\): chmod go-w/)]);
    symlinkSync(c.outside, join(c.root, 'linked'));
    const l = await cli(['verify', '--runs', '1', '--report-dir', join(c.root, 'linked')]);
    expect([l.code, l.err]).toEqual([2, expect.stringMatching(/linked is a symbolic link/)]);
    expect(readFileSync(c.sentinel, 'utf8')).toBe(c.sentinelText);
    expect(readdirSync(c.outside).sort()).toEqual(['authorized_keys', 'secret.py']);
  });

  it('the writer never follows a link: a link in place of a report is refused, the target unchanged', () => {
    const dir = join(c.root, 'writer');
    prepareReportDir(dir);
    writeReportFile(dir, 'report.json', '{}\n');
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('{}\n');
    symlinkSync(c.sentinel, join(dir, 'summary.md'));
    expect(() => writeReportFile(dir, 'summary.md', 'x')).toThrow(/summary\.md exists and is a symbolic link/);
    expect(() => writeReportFile(dir, '../escape.json', 'x')).toThrow(/not a report file name/);
    expect(readFileSync(c.sentinel, 'utf8')).toBe(c.sentinelText);
    // no temporary file is left behind
    expect(readdirSync(dir).sort()).toEqual(['report.json', 'summary.md']);
    expect(statSync(join(dir, 'report.json')).mode & 0o777).toBe(0o644);
  });
});
