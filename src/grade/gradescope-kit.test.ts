/**
 * The Gradescope kit end to end, in a simulated /autograder (a temp folder with source/, submission/, results/;
 * DNN_VERIFY_AUTOGRADER points run_autograder at it): `dnn-verify gradescope DIR` writes the kit, autograder.zip is
 * extracted into source/ as Gradescope does (modes kept), and the generated run_autograder runs on a correct
 * notebook, two notebooks, a PDF, an empty upload, a python3 without NumPy, a results folder that cannot be made,
 * and a dnn-verify that does not start. Every run leaves a results.json; the grader's faults withhold the score.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { COURSE_POINTS } from './points.ts';
import { asNotebook, correctSource } from '../bench/sample-class.ts';
import { main } from '../cli/main.ts';

const REPO = join(import.meta.dirname, '..', '..');
const DNN_VERIFY = `${process.execPath} --import ${import.meta.resolve('tsx')} ${join(REPO, 'src', 'cli', 'bin.ts')}`;
const BARE = '/usr/bin/python3';
const bareLacksNumpy = existsSync(BARE) && spawnSync(BARE, ['-c', 'import numpy']).status !== 0;
const GRADED = Object.keys(COURSE_POINTS);

let tmp: string;
let kit: string;

async function quietly(argv: string[]): Promise<{ code: number; out: string }> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(argv);
    return { code, out: out.mock.calls.map((c) => String(c[0])).join('') };
  } finally {
    out.mockRestore();
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'dnn-verify-gradescope-'));
  kit = join(tmp, 'kit');
  // a stand-in for the npm pack tarball: the test runs dnn-verify from its sources (DNN_VERIFY_BIN)
  writeFileSync(join(tmp, 'dnn-verify-0.1.0.tgz'), 'not a real tarball\n');
  const { code } = await quietly([
    'gradescope',
    kit,
    '--tarball',
    join(tmp, 'dnn-verify-0.1.0.tgz'),
    '--runs',
    '3',
    '--timeout',
    '10000',
  ]);
  expect(code).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh /autograder: autograder.zip extracted into source/ with the modes it carries, as Gradescope does. */
function autograderRoot(name: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'submission'), { recursive: true });
  const py = spawnSync(
    'python3',
    [
      '-c',
      `import zipfile, os, sys
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    p = z.extract(i, sys.argv[2])
    os.chmod(p, (i.external_attr >> 16) & 0o777)`,
      join(kit, 'autograder.zip'),
      join(root, 'source'),
    ],
    { encoding: 'utf8' },
  );
  expect(py.stderr).toBe('');
  return root;
}

function runAutograder(root: string, env: Record<string, string> = {}) {
  const r = spawnSync(join(root, 'source', 'run_autograder'), [], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, DNN_VERIFY_AUTOGRADER: root, DNN_VERIFY_BIN: DNN_VERIFY, ...env },
  });
  const file = join(root, 'results', 'results.json');
  const results = existsSync(file) && statSync(file).isFile() ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, results };
}

describe('dnn-verify gradescope DIR', () => {
  it('writes setup.sh, run_autograder, the tarball and autograder.zip with them at its root', () => {
    const py = spawnSync(
      'python3',
      [
        '-c',
        `import zipfile, json, sys
print(json.dumps({i.filename: (i.external_attr >> 16) & 0o777 for i in zipfile.ZipFile(sys.argv[1]).infolist()}))`,
        join(kit, 'autograder.zip'),
      ],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(py.stdout)).toEqual({ 'setup.sh': 0o755, run_autograder: 0o755, 'dnn-verify-0.1.0.tgz': 0o644 });
    for (const f of ['setup.sh', 'run_autograder']) expect(spawnSync('bash', ['-n', join(kit, f)]).status).toBe(0);
    const setup = readFileSync(join(kit, 'setup.sh'), 'utf8');
    expect(setup).toContain('npm install --global "$SOURCE/dnn-verify-0.1.0.tgz"');
    expect(setup).toContain('apt-get install -y --no-install-recommends ca-certificates curl xz-utils git python3');
    expect(setup).toContain('pip3 install numpy');
    expect(setup).toMatch(/https:\/\/nodejs\.org\/dist\/v\$\{NODE_VERSION\}\/SHASUMS256\.txt/);
    expect(readFileSync(join(kit, 'run_autograder'), 'utf8')).toContain(
      'grade --gradescope --autograder "$AUTOGRADER" --runs 3 --timeout 10000',
    );
  });

  it('--git installs from a git URL instead of shipping a tarball; --points ships points.json', async () => {
    const dir = join(tmp, 'kit-git');
    writeFileSync(join(tmp, 'points.json'), '{"linear_forward": 60, "compute_cost": 40}');
    const { code } = await quietly([
      'gradescope',
      dir,
      '--git',
      'https://example.org/course/dnn-verify.git#v0.1.0',
      '--points',
      join(tmp, 'points.json'),
    ]);
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'setup.sh'), 'utf8')).toContain(
      "npm install --global 'git+https://example.org/course/dnn-verify.git#v0.1.0'",
    );
    expect(existsSync(join(dir, 'dnn-verify-0.1.0.tgz'))).toBe(false);
    expect(readFileSync(join(dir, 'run_autograder'), 'utf8')).toContain('--points "$SOURCE/points.json"');
    expect(readFileSync(join(dir, 'points.json'), 'utf8')).toContain('"linear_forward": 60');
  });
});

describe('run_autograder in a simulated /autograder', () => {
  it.skipIf(!hasNumpy())(
    `grades one correct notebook: 100, every exercise passed ${numpySkipReason()}`,
    () => {
      const root = autograderRoot('correct');
      writeFileSync(join(root, 'submission', 'W4A1.ipynb'), asNotebook(correctSource()));
      expect(existsSync(join(root, 'results'))).toBe(false); // created by the run
      const r = runAutograder(root);
      expect(r.status, r.stderr).toBe(0);
      expect(r.results.score).toBe(100);
      expect(r.results.tests.map((t: { name: string }) => t.name)).toEqual(GRADED);
      expect(r.results.tests.every((t: { status: string }) => t.status === 'passed')).toBe(true);
      expect(r.results.output).toMatch(/^\*\*Score: 100 \/ 100\.\*\* dnn-verify verdict: PASS/);
      // Gradescope's format (docs/guide/gradescope.md): known keys only, formats it knows, Markdown per exercise
      const FORMATS = ['text', 'html', 'simple_format', 'md', 'ansi'];
      const TOP = ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format'];
      const TEST = ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format'];
      for (const k of Object.keys(r.results))
        expect([...TOP, 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard']).toContain(k);
      for (const k of ['output_format', 'test_output_format', 'test_name_format'])
        expect(FORMATS).toContain(r.results[k]);
      for (const t of r.results.tests) {
        for (const k of Object.keys(t)) expect([...TEST, 'tags', 'visibility', 'extra_data']).toContain(k);
        expect([t.output_format, t.name_format]).toEqual(['md', 'text']);
        expect(t.output).toMatch(/^\*\*10 \/ 10 points\*\*: all \d+ checks of `\w+` passed/);
        expect(t.output).not.toMatch(/report\.html|undefined/);
      }
    },
    300_000,
  );

  it('two notebooks: score 0 and "upload exactly one notebook", naming both', () => {
    const root = autograderRoot('two');
    writeFileSync(join(root, 'submission', 'a.ipynb'), asNotebook(correctSource()));
    mkdirSync(join(root, 'submission', 'old'));
    writeFileSync(join(root, 'submission', 'old', 'b.ipynb'), asNotebook(correctSource()));
    const r = runAutograder(root);
    expect(r.status).toBe(0);
    expect(r.results.score).toBe(0);
    expect(r.results.output).toBe(
      'Your submission has 2 notebooks (a.ipynb, old/b.ipynb): upload exactly one notebook (.ipynb) and submit again.',
    );
    expect(r.results.tests).toHaveLength(GRADED.length);
    expect(r.results.tests[0]).toMatchObject({ score: 0, max_score: 10, status: 'failed' });
  }, 120_000);

  it('a PDF only: score 0, and upload the .ipynb instead', () => {
    const root = autograderRoot('pdf');
    writeFileSync(join(root, 'submission', 'W4A1.pdf'), '%PDF-1.4\n');
    const r = runAutograder(root);
    expect(r.status).toBe(0);
    expect(r.results.score).toBe(0);
    expect(r.results.output).toMatch(
      /^Your submission is only a PDF \(W4A1\.pdf\), which cannot be run: upload your \.ipynb/,
    );
  }, 120_000);

  it('an empty submission: score 0, "no notebook found: upload your .ipynb"', () => {
    const root = autograderRoot('empty');
    const r = runAutograder(root);
    expect(r.status).toBe(0);
    expect(r.results.score).toBe(0);
    expect(r.results.output).toBe('No notebook found: upload your .ipynb and submit again. Your submission is empty.');
  }, 120_000);

  it.skipIf(!bareLacksNumpy)(
    'a python3 without NumPy is the grader’s fault: exit 2, the reason and the fix, the score withheld',
    () => {
      const root = autograderRoot('no-numpy');
      writeFileSync(join(root, 'submission', 'W4A1.ipynb'), asNotebook(correctSource()));
      const r = runAutograder(root, { DNN_VERIFY_PYTHON: BARE });
      expect(r.status).toBe(2);
      expect(r.results).not.toHaveProperty('score');
      expect(r.results.tests).toEqual([]);
      expect(r.results.output).toMatch(/^Your submission was not graded: the autograder is misconfigured/);
      expect(r.results.output).toContain(`NumPy is not importable by ${BARE}`);
      expect(r.results.extra_data.dnn_verify).toMatchObject({ withheld: true });
      expect(r.results.extra_data.dnn_verify.reason).toContain(
        `Fix: install NumPy for ${BARE}: apt-get install python3-numpy or ${BARE} -m pip install numpy`,
      );
      expect(r.stderr).toContain('NumPy is not importable');
    },
    120_000,
  );

  it('a results folder that cannot be created: exit 2 with the reason', () => {
    const root = autograderRoot('results-blocked');
    writeFileSync(join(root, 'submission', 'W4A1.ipynb'), asNotebook(correctSource()));
    writeFileSync(join(root, 'results'), 'a file where the folder should be');
    const r = runAutograder(root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot create the results folder .*results \(EEXIST\): no results\.json was written/);
  }, 120_000);

  it('a results.json that cannot be written: exit 2 with the reason', () => {
    const root = autograderRoot('results-unwritable');
    mkdirSync(join(root, 'results', 'results.json'), { recursive: true });
    writeFileSync(join(root, 'results', 'results.json', 'keep'), '');
    const r = runAutograder(root);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/the results folder .*results is not writable \(E[A-Z]+\)/);
  }, 120_000);

  it('no submission folder at all is the layout’s fault, not the student’s: score withheld', () => {
    const root = autograderRoot('no-submission-folder');
    rmSync(join(root, 'submission'), { recursive: true });
    const r = runAutograder(root);
    expect(r.status).toBe(2);
    expect(r.results).not.toHaveProperty('score');
    expect(r.results.extra_data.dnn_verify.reason).toMatch(
      /^there is no submission folder .*no-submission-folder\/submission\./,
    );
  }, 120_000);

  it('dnn-verify that does not start (setup failed): a results.json all the same, score withheld', () => {
    const root = autograderRoot('no-dnn-verify');
    writeFileSync(join(root, 'submission', 'W4A1.ipynb'), asNotebook(correctSource()));
    const r = runAutograder(root, { DNN_VERIFY_BIN: join(tmp, 'no-such-dnn-verify') });
    expect(r.status).toBe(127); // the shell's "command not found", passed on
    expect(r.results).not.toHaveProperty('score');
    expect(r.results.extra_data.dnn_verify).toEqual({ withheld: true, reason: 'dnn-verify did not run' });
  }, 120_000);
});
