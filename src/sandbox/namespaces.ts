/**
 * The host state an engine in the "rlimits only" fallback could otherwise share with the grader and its
 * classmates: SysV IPC, /dev/shm, /tmp, /var/tmp, /run (and the unix sockets in them), and the other processes
 * under /proc. As root where the kernel allows namespaces, `unshare` gives the engine its own IPC, mount and pid
 * namespaces (and network, as before): a small shell as the namespace's init mounts a tmpfs over each of those
 * directories (bind-mounting back only the engine's own files and scratch directory that live there), then runs
 * the engine, whose /proc shows its own namespace only; everything goes with the namespace. Where namespaces are
 * refused, the same places are cleaned after the engine ends (`cleanHostState`: what the jail's uid owns), and
 * what stays reachable is said on the terminal line. After bubblewrap's and nsjail's mount setup, in shell.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isRoot, which } from './probe.ts';
import { alive } from './kill.ts';

/** The directories every process may write or connect to, made private (a tmpfs each) in the namespace. */
export const SHARED_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run'];

let usable: boolean | undefined;

/**
 * Whether the fallback can give the engine private IPC, mounts and pids: root, `unshare` and `mount` (util-linux),
 * and a kernel that allows it (asked once with the flags used).
 */
export function privateNamespacesUsable(): boolean {
  if (usable === undefined)
    usable =
      process.platform === 'linux' &&
      isRoot() &&
      which('unshare') !== undefined &&
      which('mount') !== undefined &&
      spawnSync('unshare', [...UNSHARE, '--', '/bin/sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /tmp'], {
        timeout: 5000,
        stdio: 'ignore',
      }).status === 0;
  return usable;
}

const UNSHARE = ['--ipc', '--mount', '--pid', '--fork', '--kill-child', '--mount-proc'];

/** Single-quoted for sh. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface PrivateOptions {
  /** paths of the host the engine must still see (its files, interpreter, scratch directory) */
  keep: readonly string[];
  /** size of each private tmpfs */
  tmpfsBytes: number;
  /** also a network namespace of its own */
  net: boolean;
  /** the engine's working directory (the init changes directories to mount) */
  cwd: string;
}

/**
 * The command-line prefix that runs what follows in namespaces of its own. `unshare` forks (the new pid
 * namespace needs a child); the child, as the namespace's init, a shell that mounts the private directories,
 * runs the rest and reaps the orphans reparented to it (a plain engine as pid 1 would not, and would ignore
 * signals); `--kill-child` ends the namespace, and so every process in it, when `unshare` is killed, and
 * `unshare` gets SIGKILL when the suite dies.
 */
export function privateArgs(o: PrivateOptions): string[] {
  const lines: string[] = [];
  const dirs = [
    ...new Set(
      SHARED_DIRS.flatMap((d) => {
        try {
          const real = realpathSync(d);
          return statSync(real).isDirectory() ? [real] : [];
        } catch {
          return [];
        }
      }),
    ),
  ];
  for (const dir of dirs) {
    const mode = dir === '/run' ? '755' : '1777';
    // cd first: the host's directory stays reachable as "." under the new mount, for the binds back (mount -c:
    // the relative source is not made absolute, which would name the new tmpfs)
    lines.push(`cd ${q(dir)}`, `mount -t tmpfs -o size=${o.tmpfsBytes},mode=${mode},nosuid,nodev tmpfs ${q(dir)}`);
    for (const p of o.keep) {
      if (p !== dir && !p.startsWith(dir + sep)) continue;
      const rel = relative(dir, p);
      let isDir: boolean;
      try {
        isDir = statSync(p).isDirectory();
      } catch {
        continue;
      }
      const target = q(p);
      if (rel !== '' && isDir) lines.push(`mkdir -p ${target}`);
      if (rel !== '' && !isDir) lines.push(`mkdir -p ${q(join(p, '..'))}`, `: > ${target}`);
      lines.push(`mount -c --bind ${q(rel === '' ? '.' : `./${rel}`)} ${target}`);
    }
  }
  // every step must succeed (set -e: a failed mount ends the start, never an engine with the host's /tmp); the
  // engine's exit status is the init's own ($? is 128 + the signal for a killed engine)
  // the folders made for the binds back are 0755 (the engine's umask, 077, would leave its uid outside them); the
  // engine gets its 077 back before it runs
  const script = `set -e\numask 022\n${lines.join('\n')}\ncd ${q(o.cwd)}\numask 077\nset +e\n"$@"\nexit $?`;
  // unshare dies with the suite (the parent death signal survives its exec), and the namespace with unshare: no
  // engine outlives a suite that was killed
  const die = which('setpriv') ? ['setpriv', '--pdeathsig=KILL', '--'] : [];
  return [...die, 'unshare', ...(o.net ? ['--net'] : []), ...UNSHARE, '--', '/bin/sh', '-c', script, 'sh'];
}

/** SysV IPC objects (shm, msg, sem) whose owner is `uid`, as ipcrm options ("-m 42"). */
function ipcOf(uid: number): string[][] {
  const found: string[][] = [];
  for (const [kind, flag] of [
    ['shm', '-m'],
    ['msg', '-q'],
    ['sem', '-s'],
  ] as const) {
    let text: string;
    try {
      text = readFileSync(`/proc/sysvipc/${kind}`, 'utf8');
    } catch {
      continue;
    }
    const [head, ...rows] = text.trim().split('\n');
    const cols = head.trim().split(/\s+/);
    const idCol = cols.indexOf(kind === 'shm' ? 'shmid' : kind === 'msg' ? 'msqid' : 'semid');
    const uidCol = cols.indexOf('uid');
    for (const row of rows) {
      const f = row.trim().split(/\s+/);
      if (Number(f[uidCol]) === uid) found.push([flag, f[idCol]]);
    }
  }
  return found;
}

/** Entries owned by `uid` under `dir` (not following links; at most `depth` levels), deepest first. */
function ownedBy(uid: number, dir: string, depth: number): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.uid === uid) out.push(p);
    else if (st.isDirectory() && depth > 0) out.push(...ownedBy(uid, p, depth - 1));
  }
  return out;
}

/**
 * Without namespaces (as root): removes what the jail's uid left in the shared places once its processes are
 * gone: its SysV segments, queues and semaphores, and its files and directories in /dev/shm, /tmp, /var/tmp
 * /run, /dev/mqueue. Returns what was removed, for the tests.
 */
export function cleanHostState(uid: number): string[] {
  const removed: string[] = [];
  for (const [flag, id] of ipcOf(uid)) {
    if (spawnSync('ipcrm', [flag, id], { stdio: 'ignore', timeout: 5000 }).status === 0)
      removed.push(`ipc ${flag} ${id}`);
  }
  for (const dir of [...SHARED_DIRS, '/dev/mqueue'])
    for (const p of ownedBy(uid, dir, 4)) {
      try {
        rmSync(p, { recursive: true, force: true });
        removed.push(p);
      } catch {
        /* gone */
      }
    }
  return removed;
}

/**
 * Removes the scratch directories (`dnn-verify-engine-<suite pid>-*` under `dir`) of suites that are gone: a suite
 * killed by SIGKILL cannot remove its own. Returns how many.
 */
export function sweepScratch(dir: string): number {
  let swept = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^dnn-verify-engine-(\d+)-/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
    swept++;
  }
  return swept;
}
