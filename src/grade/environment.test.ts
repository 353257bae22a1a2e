/**
 * The grader's environment is checked before grading: a python3 without NumPy, a missing interpreter or a folder
 * that cannot be written is the grader's fault (exit 2, the reason and the fix), never every student's 0.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPython, checkPythonInSandbox, checkWritable, gradeEnvironmentFault } from './environment.ts';
import { createSandbox } from '../sandbox/sandbox.ts';
import { asNotebook, correctSource } from '../bench/sample-class.ts';
import { main } from '../cli/main.ts';

/** Debian's own python3 has no NumPy on this machine (pyenv's python3 has it): a grader's misconfiguration. */
const BARE = '/usr/bin/python3';
const bareLacksNumpy = existsSync(BARE) && spawnSync(BARE, ['-c', 'import numpy']).status !== 0;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-env-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the grader environment', () => {
  it('names a missing interpreter and how to install one', () => {
    const f = checkPython(join(root, 'no-such-python3'));
    expect(f?.reason).toMatch(/cannot be started \(ENOENT\)/);
    expect(f?.fix).toMatch(/apt-get install python3 python3-numpy/);
  });

  it.skipIf(!bareLacksNumpy)('names an interpreter without NumPy, and the fix', () => {
    const f = checkPython(BARE);
    expect(f?.reason).toBe(`NumPy is not importable by ${BARE} (ModuleNotFoundError: No module named 'numpy')`);
    expect(f?.fix).toMatch(/apt-get install python3-numpy or \/usr\/bin\/python3 -m pip install numpy/);
  });

  it.skipIf(!bareLacksNumpy)('checks NumPy inside the sandbox too, as the engines will run the interpreter', () => {
    const sandbox = createSandbox();
    expect(checkPythonInSandbox(sandbox)).toBeUndefined();
    const f = checkPythonInSandbox(sandbox, BARE);
    expect(f?.reason).toBe(
      `NumPy does not import inside the sandbox (${sandbox.label}) with ${BARE}: ModuleNotFoundError: No module named 'numpy'`,
    );
    expect(f?.fix).toMatch(/readable by other users/);
  });

  it('creates a missing folder, and reports one that cannot be created or written', () => {
    expect(checkWritable(join(root, 'a', 'b'), 'results folder')).toBeUndefined();
    expect(existsSync(join(root, 'a', 'b'))).toBe(true);
    writeFileSync(join(root, 'file'), '');
    expect(checkWritable(join(root, 'file', 'results'), 'results folder')?.reason).toMatch(
      /^the results folder .*file\/results cannot be created \(ENOTDIR\)$/,
    );
    // a read-only place: /proc refuses new files even to root
    expect(checkWritable('/proc', 'report folder')?.reason).toMatch(/^the report folder \/proc is not writable/);
    expect(gradeEnvironmentFault({ folders: [{ dir: '/proc', what: 'report folder' }] })?.reason).toMatch(
      /not writable/,
    );
  });

  it.skipIf(!bareLacksNumpy)(
    'grade exits 2 with the reason and the fix when the engines’ python3 lacks NumPy; no student is scored',
    async () => {
      const subs = join(root, 'class');
      mkdirSync(subs, { recursive: true });
      writeFileSync(join(subs, 'alice.ipynb'), asNotebook(correctSource()));
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const before = process.env.DNN_VERIFY_PYTHON;
      process.env.DNN_VERIFY_PYTHON = BARE;
      let code: number;
      let said = '';
      try {
        code = await main(['grade', subs, '--report-dir', join(root, 'grades'), '--runs', '2']);
      } finally {
        if (before === undefined) delete process.env.DNN_VERIFY_PYTHON;
        else process.env.DNN_VERIFY_PYTHON = before;
        said = err.mock.calls.map((c) => String(c[0])).join('');
        err.mockRestore();
        out.mockRestore();
      }
      expect(code).toBe(2);
      expect(said).toMatch(/dnn-verify grade: the grader's environment is not ready: NumPy is not importable by/);
      expect(said).toMatch(/Fix: install NumPy for \/usr\/bin\/python3/);
      expect(existsSync(join(root, 'grades', 'gradebook.csv'))).toBe(false);
    },
  );
});
