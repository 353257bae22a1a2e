/**
 * A hostile class folder for the tests of the run as a whole (hostile-inputs.test.ts): files that must not be read
 * (a 3 GiB sparse notebook, a FIFO, a link to /dev/zero, a link to a root-only secret outside the folder), names
 * that must survive (deeply nested, non-ASCII), a submission that floods the protocol channel, and correct
 * classmates graded beside them. Every special file is made here and removed with the folder (`dispose`).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asNotebook, correctSource } from '../../src/bench/sample-class.ts';

export const SECRET = `root-only-secret-${process.pid}-${Date.now()}`;

/**
 * A correct submission that, while it loads (a class body runs then: the runner keeps definitions), writes `mib`
 * MiB with no newline to every pipe above stderr it may write to, the protocol channel among them. The first answer
 * (to hello) waits for the engine's start-up allowance (60 s), the longest window a flooder gets.
 */
export function flooderSource(mib = 200): string {
  return `import os

def _flood():
    # the protocol channel is some descriptor above 2: write ${mib} MiB with no newline to each writable one
    blob = b'x' * (1 << 20)
    for fd in range(3, 64):
        try:
            for _ in range(${mib}):
                os.write(fd, blob)
        except OSError:
            continue

class _Flood:
    _flood()

${correctSource()}`;
}

export interface HostileClass {
  root: string;
  /** the class folder */
  dir: string;
  /** a folder beside it: the secret, the sentinel */
  outside: string;
  secretFile: string;
  sentinel: string;
  sentinelText: string;
  /** the id of the deeply nested notebook */
  nestedId: string;
  dispose(): void;
}

/**
 * Builds the class under a fresh temporary folder. `flood` adds the protocol flooder (flood.py); the correct
 * classmates are alice.py, bob/W4A1.ipynb, the nested notebook and the non-ASCII one.
 */
export function hostileClass(options: { flood?: boolean } = {}): HostileClass {
  const root = mkdtempSync(join(tmpdir(), 'dnn-verify-hostile-inputs-'));
  chmodSync(root, 0o755);
  const dir = join(root, 'class');
  const outside = join(root, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  const correct = correctSource();
  writeFileSync(join(dir, 'alice.py'), correct);
  mkdirSync(join(dir, 'bob'));
  writeFileSync(join(dir, 'bob', 'W4A1.ipynb'), asNotebook(correct));
  // non-ASCII names stay intact (issue 22: "A non-ASCII file name becomes _4_.ipynb")
  mkdirSync(join(dir, 'José Ñúñez'));
  writeFileSync(join(dir, 'José Ñúñez', 'W4A1 学生.ipynb'), asNotebook(correct));
  // nested 12 deep: the flattened name is > 255 bytes (it threw ENAMETOOLONG)
  const parts = Array.from({ length: 12 }, (_, i) => `level-${i}-${'n'.repeat(20)}`);
  mkdirSync(join(dir, ...parts), { recursive: true });
  writeFileSync(join(dir, ...parts, 'W4A1.ipynb'), asNotebook(correct));
  // a 3 GiB sparse notebook: no disk used, but it threw ERR_FS_FILE_TOO_LARGE while hashing
  writeFileSync(join(dir, 'sparse.ipynb'), '');
  truncateSync(join(dir, 'sparse.ipynb'), 3 * 1024 ** 3);
  // a FIFO named *.py hung the run
  execFileSync('mkfifo', [join(dir, 'fifo.py')]);
  // a link to /dev/zero grew the suite to 23.7 GB
  symlinkSync('/dev/zero', join(dir, 'zero.py'));
  // a link to a file the suite's user can read and the submitter must not: its content was quoted in the reports
  const secretFile = join(outside, 'secret.py');
  writeFileSync(secretFile, `${SECRET} = 1\nthis is not python: ${SECRET}\n`);
  chmodSync(secretFile, 0o600);
  symlinkSync(secretFile, join(dir, 'secret.py'));
  if (options.flood) writeFileSync(join(dir, 'flood.py'), flooderSource());
  const sentinel = join(outside, 'authorized_keys');
  const sentinelText = 'ssh-ed25519 AAAA-the-only-key\n';
  writeFileSync(sentinel, sentinelText);
  return {
    root,
    dir,
    outside,
    secretFile,
    sentinel,
    sentinelText,
    nestedId: [...parts, 'W4A1.ipynb'].join('/'),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}
