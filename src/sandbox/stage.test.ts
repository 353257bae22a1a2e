/**
 * The staging folder (stage.ts), and engines that live in a private (0700, `mktemp -d`) folder: Python, a JS module
 * importing dnn-verify from its own node_modules, a TypeScript module through tsx, and a command engine, each
 * answering under rlimits and under bubblewrap (issue 24). PYTHONPATH's folders are neither passed nor bound
 * unless asked for (issue 23).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { commandEngine, moduleEngine, pythonEngine } from '../adapters/index.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { sandboxEnv } from './env.ts';
import { bwrapUsable, isRoot, pythonFiles } from './probe.ts';
import { createSandbox, type Sandbox, SandboxError } from './sandbox.ts';
import { bindScript, mountNamespaceUsable, Stage, StageError, sweepStages } from './stage.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const mode = (p: string) => statSync(p).mode & 0o7777;

describe('the staging folder', () => {
  it("one engine's files staged together stay siblings (the runner imports protocol.py beside it); another engine's files get a folder of their own", () => {
    const src = mkdtempSync(join(tmpdir(), 'stage-src-')); // 0700, as mktemp -d
    const stage = new Stage();
    try {
      const py = join(src, 'python');
      mkdirSync(join(py, 'standins'), { recursive: true });
      for (const f of ['python/runner.py', 'python/protocol.py', 'python/standins/dnn_utils.py', 'a.py', 'b.py'])
        writeFileSync(join(src, f), '#\n');
      const [runner, protocol, , a] = stage.addAll([
        join(py, 'runner.py'),
        join(py, 'protocol.py'),
        join(py, 'standins'),
        join(src, 'a.py'),
      ]);
      expect(dirname(protocol)).toBe(dirname(runner));
      expect(existsSync(join(dirname(runner), 'standins', 'dnn_utils.py'))).toBe(true);
      expect(existsSync(a)).toBe(true);
      const [b] = stage.addAll([join(src, 'b.py')]);
      expect(dirname(b)).not.toBe(dirname(runner));
      expect(existsSync(join(dirname(b), 'a.py'))).toBe(false); // a classmate's file is not beside it
      expect(dirname(a)).not.toBe(dirname(b));
    } finally {
      stage.dispose();
      rmSync(src, { recursive: true, force: true });
    }
  });

  it('mirrors a tree at its absolute path: files linked (same inode), modes kept, writable files copied, links mapped, .git and hidden folders left out', () => {
    const src = mkdtempSync(join(tmpdir(), 'stage-src-')); // 0700, as mktemp -d
    const stage = new Stage([join(src, 'proj', 'reports')]);
    try {
      const proj = join(src, 'proj');
      mkdirSync(join(proj, 'lib', 'private'), { recursive: true });
      mkdirSync(join(proj, '.git'));
      mkdirSync(join(proj, 'reports'));
      writeFileSync(join(proj, 'lib', 'a.js'), 'a');
      writeFileSync(join(proj, 'lib', 'secret.txt'), 's', { mode: 0o600 });
      writeFileSync(join(proj, 'lib', 'shared.txt'), 'w');
      chmodSync(join(proj, 'lib', 'shared.txt'), 0o666);
      chmodSync(join(proj, 'lib', 'private'), 0o700);
      writeFileSync(join(proj, '.git', 'config'), 'x');
      writeFileSync(join(proj, 'reports', 'report.json'), '{}');
      symlinkSync(join(proj, 'lib', 'a.js'), join(proj, 'abs-link'));
      symlinkSync('lib/a.js', join(proj, 'rel-link'));
      symlinkSync('/etc/hostname', join(proj, 'outside-link'));

      const at = stage.add(proj);
      expect(at).toBe(stage.root + proj);
      expect(mode(stage.root)).toBe(0o755);
      expect(mode(stage.root + src)).toBe(0o755); // the private parent is 0755 in the stage
      expect(mode(at)).toBe(0o755);
      // a file linked: the same inode, so its own owner and mode (an owner-only file stays owner-only)
      expect(statSync(join(at, 'lib', 'a.js')).ino).toBe(statSync(join(proj, 'lib', 'a.js')).ino);
      expect(mode(join(at, 'lib', 'secret.txt'))).toBe(0o600);
      expect(mode(join(at, 'lib', 'private'))).toBe(0o700);
      // a world-writable file is copied without its write bits: the engine cannot write the original through it
      expect(statSync(join(at, 'lib', 'shared.txt')).ino).not.toBe(statSync(join(proj, 'lib', 'shared.txt')).ino);
      expect(mode(join(at, 'lib', 'shared.txt'))).toBe(0o644);
      expect(readlinkSync(join(at, 'abs-link'))).toBe(stage.root + join(proj, 'lib', 'a.js'));
      expect(readlinkSync(join(at, 'rel-link'))).toBe('lib/a.js');
      expect(readlinkSync(join(at, 'outside-link'))).toBe('/etc/hostname');
      expect(existsSync(join(at, '.git'))).toBe(false);
      expect(existsSync(join(at, 'reports'))).toBe(false);
      expect(stage.stats.linked).toBeGreaterThanOrEqual(2);

      expect(stage.map(join(proj, 'lib', 'a.js'))).toBe(join(at, 'lib', 'a.js'));
      expect(stage.map('/usr/bin/env')).toBe('/usr/bin/env');
      expect(stage.mapArg(pathToFileURL(join(proj, 'lib', 'a.js')).href)).toBe(
        pathToFileURL(join(at, 'lib', 'a.js')).href,
      );
      expect(stage.mapArg('{"a": 1}')).toBe('{"a": 1}');

      // files staged alone (two engines of one class folder) are not siblings in the stage
      writeFileSync(join(src, 'alice.py'), 'a');
      writeFileSync(join(src, 'h5py.py'), 'b');
      const alice = stage.add(join(src, 'alice.py'));
      const planted = stage.add(join(src, 'h5py.py'));
      expect(alice.endsWith(join(src, 'alice.py'))).toBe(true);
      expect(readFileSync(alice, 'utf8')).toBe('a');
      expect(dirname(alice)).not.toBe(dirname(planted));
      expect(readdirSync(dirname(alice))).toEqual(['alice.py']);
      expect(stage.map(join(src, 'alice.py'))).toBe(alice);

      // a tree inside a folder of the suite's own name (the tarball test's dnn-verify-tarball-*) is staged whole
      const named = mkdtempSync(join(tmpdir(), 'dnn-verify-tarball-'));
      try {
        mkdirSync(join(named, 'p', 'node_modules'), { recursive: true });
        writeFileSync(join(named, 'p', 'node_modules', 'm.js'), 'm');
        const p = stage.add(join(named, 'p'));
        expect(readFileSync(join(p, 'node_modules', 'm.js'), 'utf8')).toBe('m');
      } finally {
        rmSync(named, { recursive: true, force: true });
      }

      // an engine's own file that only its owner may read is refused, never made readable
      writeFileSync(join(src, 'engine.py'), 'x', { mode: 0o600 });
      expect(() => stage.add(join(src, 'engine.py'))).toThrow(StageError);
      expect(() => stage.add(join(src, 'engine.py'))).toThrow(/engine\.py is readable by its owner only \(mode 0600\)/);
    } finally {
      stage.dispose();
      rmSync(src, { recursive: true, force: true });
    }
    expect(existsSync(stage.root)).toBe(false);
  });

  it('the stage of a suite that was killed is removed by the next sweep; a living suite’s is kept', async () => {
    const dead = await new Promise<number>((resolve) => {
      const c = spawn('true');
      c.on('exit', () => resolve(c.pid!));
    });
    const orphan = mkdtempSync(join(tmpdir(), `dnn-verify-stage-${dead}-`));
    writeFileSync(join(orphan, 'f'), 'x');
    const mine = new Stage();
    try {
      expect(sweepStages()).toBeGreaterThanOrEqual(1);
      expect(existsSync(orphan)).toBe(false);
      expect(existsSync(mine.root)).toBe(true);
    } finally {
      mine.dispose();
      rmSync(orphan, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!mountNamespaceUsable())(
  `trees staged as mount points ${mountNamespaceUsable() ? '' : 'skipped: needs root and a mount namespace (unshare --mount)'}`,
  () => {
    it('are bound read-only in the engine’s own mount namespace, seen by its uid, invisible to the host', () => {
      const src = mkdtempSync(join(tmpdir(), "stage-bind-'q-")); // private, with a quote in its name
      const tree = join(src, 'tree');
      mkdirSync(tree);
      writeFileSync(join(tree, 'f.txt'), 'bound');
      chmodSync(join(tree, 'f.txt'), 0o666); // writable by all: read-only through the bind all the same
      const stage = new Stage();
      try {
        const [at] = stage.addAll([tree], true);
        expect(readdirSync(at)).toEqual([]); // an empty mount point on the host
        const mounts = stage.mounts([tree]);
        expect(mounts).toEqual([[tree, at]]);
        const r = spawnSync(
          'unshare',
          [
            '--mount',
            '--propagation',
            'private',
            '--',
            '/bin/sh',
            '-c',
            bindScript(mounts),
            'x',
            'setpriv',
            '--reuid=611112',
            '--regid=611112',
            '--clear-groups',
            '--inh-caps=-all',
            '/bin/sh',
            '-c',
            'cat "$1"; echo more >> "$1" 2>/dev/null && echo WROTE',
            'x',
            join(at, 'f.txt'),
          ],
          { encoding: 'utf8', timeout: 30_000 },
        );
        expect(r.stdout.trim()).toBe('bound');
        expect(readFileSync(join(tree, 'f.txt'), 'utf8')).toBe('bound');
        expect(readdirSync(at)).toEqual([]); // the bind was the engine's alone
      } finally {
        stage.dispose();
        rmSync(src, { recursive: true, force: true });
      }
    }, 60_000);
  },
);

describe('PYTHONPATH', () => {
  it('is neither passed nor read (nor bound under bubblewrap) unless --pass-env PYTHONPATH', () => {
    const planted = mkdtempSync(join(tmpdir(), 'pythonpath-'));
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = planted;
    try {
      expect(sandboxEnv(process.env, [], {}).PYTHONPATH).toBeUndefined();
      expect(sandboxEnv(process.env, ['PYTHONPATH'], {}).PYTHONPATH).toBe(planted);
      expect(pythonFiles('python3').dirs).not.toContain(planted);
      expect(pythonFiles('python3', true).dirs).toContain(planted);
      if (bwrapUsable().ok) {
        const jail = (passEnv: string[]) => {
          const j = createSandbox({ mode: 'bwrap', passEnv }).jail({
            command: 'python3',
            args: [],
            read: [],
            python: true,
          });
          const args = j.launch().args;
          j.disposeSync();
          return args;
        };
        expect(jail([])).not.toContain(planted);
        expect(jail(['PYTHONPATH'])).toContain(planted);
      }
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
      rmSync(planted, { recursive: true, force: true });
    }
  }, 60_000);
});

/** A protocol program in JavaScript (a command engine): hello lists linear_forward; each call answers 42. */
const COMMAND_ENGINE = `import { createInterface } from 'node:readline';
for await (const line of createInterface({ input: process.stdin })) {
  const req = JSON.parse(line);
  const value = req.op === 'hello' ? { __dict__: { name: 'cmd', functions: ['linear_forward'] } } : 42;
  process.stdout.write(JSON.stringify({ id: req.id, ok: true, value }) + '\\n');
  if (req.op === 'bye') process.exit(0);
}
`;

/** A JS module engine of its own project, importing dnn-verify/tensor from its node_modules (a link to this package). */
const JS_ENGINE = `import { NDArray } from 'dnn-verify/tensor';
export function linear_forward(A, W, b) {
  let z = b.data[0];
  for (let k = 0; k < W.shape[1]; k++) z += W.data[k] * A.data[k];
  return [new NDArray(Float64Array.of(z), [1, 1]), [A, W, b]];
}
`;

const TS_ENGINE = `import type { NDArray } from 'dnn-verify/tensor';
import { dot1 } from './helper.ts';
export function linear_forward(A: NDArray, W: NDArray, b: NDArray): [NDArray, unknown] {
  const Z = b.copy();
  Z.data[0] = dot1(W.data, A.data) + b.data[0];
  return [Z, [A, W, b]];
}
`;

const HELPER = `export const dot1 = (w: Float64Array, a: Float64Array): number => w.reduce((s, x, k) => s + x * a[k], 0);
`;

const ARGS = () => [NDArray.from([[1], [2]]), NDArray.from([[3, 4]]), NDArray.from([[0.5]])];

const bwrap = bwrapUsable();
const distBuilt = existsSync(join(ROOT, 'dist', 'src', 'tensor', 'index.js'));

for (const m of ['rlimits', 'bwrap'] as const) {
  const skip = m === 'bwrap' && !bwrap.ok;
  describe.skipIf(skip)(
    `engines in a private (0700) folder under ${m}${isRoot() ? ' as root (a jail uid of their own)' : ''} ${skip ? `skipped: ${bwrap.reason}` : ''}`,
    () => {
      // made when the tests run, not when they are collected (a skipped mode makes nothing)
      let dir: string;
      let sandbox: Sandbox;
      beforeAll(() => {
        dir = mkdtempSync(join(tmpdir(), 'private-')); // 0700, as mktemp -d makes it
        sandbox = createSandbox({ mode: m });
      });
      afterAll(() => {
        sandbox?.dispose();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      it.skipIf(!hasNumpy())(
        `a Python engine answers ${numpySkipReason()}`,
        async () => {
          expect(mode(dir)).toBe(0o700);
          mkdirSync(join(dir, 'py'));
          copyFileSync(join(ROOT, 'fixtures', 'engines', 'correct.py'), join(dir, 'py', 'engine.py'));
          const e = pythonEngine(join(dir, 'py', 'engine.py'), { sandbox, timeoutMs: 60_000 });
          try {
            const [Z] = (await e.call('linear_forward', ARGS())) as [NDArray];
            expect(Array.from(Z.data)).toEqual([11.5]);
          } finally {
            await e.close();
          }
        },
        180_000,
      );

      it.skipIf(!distBuilt)(
        `a JS module engine of its own project answers, importing dnn-verify from its node_modules ${distBuilt ? '' : 'skipped: dist/ is not built (npm run build)'}`,
        async () => {
          const proj = join(dir, 'js');
          mkdirSync(join(proj, 'node_modules'), { recursive: true });
          writeFileSync(join(proj, 'package.json'), '{"name": "js-engine", "type": "module"}');
          symlinkSync(ROOT, join(proj, 'node_modules', 'dnn-verify'));
          writeFileSync(join(proj, 'engine.mjs'), JS_ENGINE);
          const e = moduleEngine(join(proj, 'engine.mjs'), { sandbox, timeoutMs: 60_000 });
          try {
            const [Z] = (await e.call('linear_forward', ARGS())) as [NDArray];
            expect(Array.from(Z.data)).toEqual([11.5]);
          } finally {
            await e.close();
          }
        },
        180_000,
      );

      it('a TypeScript module engine answers through tsx, importing a file beside it', async () => {
        mkdirSync(join(dir, 'ts'));
        writeFileSync(join(dir, 'ts', 'engine.ts'), TS_ENGINE);
        writeFileSync(join(dir, 'ts', 'helper.ts'), HELPER);
        const e = moduleEngine(join(dir, 'ts', 'engine.ts'), { sandbox, timeoutMs: 60_000 });
        try {
          const [Z] = (await e.call('linear_forward', ARGS())) as [NDArray];
          expect(Array.from(Z.data)).toEqual([11.5]);
        } finally {
          await e.close();
        }
      }, 180_000);

      it('a command engine answers, started in the private folder itself', async () => {
        writeFileSync(join(dir, 'cmd-engine.mjs'), COMMAND_ENGINE);
        const cwd = process.cwd();
        process.chdir(dir);
        let e: ReturnType<typeof commandEngine>;
        try {
          e = commandEngine('node cmd-engine.mjs', { sandbox, timeoutMs: 60_000 });
        } finally {
          process.chdir(cwd);
        }
        try {
          expect(await e.call('linear_forward', ARGS())).toBe(42);
        } finally {
          await e.close();
        }
      }, 180_000);
    },
  );
}

describe.skipIf(!isRoot())(
  `a mode that cannot stage stops before the run ${isRoot() ? '' : 'skipped: needs root (a jail uid of its own)'}`,
  () => {
    it('names the folder and the fix (an engine file only its owner may read)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'private-'));
      const sandbox = createSandbox({ mode: 'rlimits' });
      try {
        writeFileSync(join(dir, 'engine.py'), 'def relu(Z):\n    return Z\n', { mode: 0o600 });
        let err: unknown;
        try {
          pythonEngine(join(dir, 'engine.py'), { sandbox });
        } catch (e) {
          err = e;
        }
        expect(err).toBeInstanceOf(SandboxError);
        expect((err as Error).message).toContain(`cannot enter ${dir}`);
        expect((err as Error).message).toMatch(/readable by its owner only \(mode 0600\): chmod o\+r /);
      } finally {
        sandbox.dispose();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe('the stage at the suite’s exit', () => {
  it('is removed when the suite exits, and by its watchdog when the suite was killed', async () => {
    const run = (script: string) =>
      new Promise<string>((resolve) => {
        const c = spawn(process.execPath, [
          '--import',
          import.meta.resolve('tsx'),
          '--input-type=module',
          '-e',
          script,
        ]);
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        c.on('exit', () => resolve(out.trim()));
      });
    const url = pathToFileURL(join(import.meta.dirname, 'stage.ts')).href;
    const exited = await run(
      `import { Stage } from '${url}'; const s = new Stage(); s.add('/etc/hostname'); console.log(s.root);`,
    );
    expect(exited).toMatch(/dnn-verify-stage-/);
    expect(existsSync(exited)).toBe(false);
    const killed = await run(
      `import { Stage } from '${url}'; const s = new Stage(); s.add('/etc/hostname'); console.log(s.root); process.kill(process.pid, 'SIGKILL');`,
    );
    // the watchdog removes it once the process is gone (tail --pid wakes within a second)
    expect(killed).toMatch(/dnn-verify-stage-/);
    const deadline = Date.now() + 15_000;
    while (existsSync(killed) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(killed)).toBe(false);
  }, 60_000);
});
