/**
 * Ending every process an engine started, including those that left its process group with setsid: by uid
 * (each jail runs as a uid of its own when the suite is root), by a marker in the environment (otherwise, on
 * Linux), and by process group. Also the CPU time of those processes, for the per-call CPU limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';

const HAS_PROC = (() => {
  try {
    return statSync('/proc/self/stat').isFile();
  } catch {
    return false;
  }
})();

function pids(): number[] {
  if (!HAS_PROC) return [];
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number);
}

/** Processes (not threads) whose real uid is `uid`. */
export function pidsOfUid(uid: number): number[] {
  return pids().filter((pid) => {
    try {
      return statSync(`/proc/${pid}`).uid === uid && pid !== process.pid;
    } catch {
      return false;
    }
  });
}

/** Processes whose environment holds `marker` (readable for our own uid's processes only). */
export function pidsWithMarker(marker: string): number[] {
  return pids().filter((pid) => {
    try {
      return pid !== process.pid && readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
    } catch {
      return false;
    }
  });
}

/** Whether any uid in the range is in use by a process now. */
export function uidInUse(uid: number): boolean {
  return pidsOfUid(uid).length > 0;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * SIGKILL every process of `uid`: kill(-1) run as that uid reaches exactly its processes, atomically with respect
 * to fork (the kernel holds the task list), so a fork bomb cannot outrun it. Waits (at most `waitMs`, without
 * blocking the event loop: other engines' timers keep running) until none is left, zombies included (they still
 * count against RLIMIT_NPROC until their new parent reaps them); resolves to how many are left.
 */
export async function killUid(uid: number, waitMs = 2000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = pidsOfUid(uid);
    if (left.some((pid) => !isZombie(pid)))
      await new Promise<void>((resolve) => {
        const k = spawn('/bin/sh', ['-c', 'kill -9 -1 2>/dev/null'], { uid, gid: uid, stdio: 'ignore' });
        k.on('exit', () => resolve());
        k.on('error', () => resolve());
      });
    if (left.length === 0 || Date.now() > deadline) return left.length;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The same, blocking: for the suite's exit handler, where nothing asynchronous runs any more. */
export function killUidSync(uid: number, waitMs = 2000): number {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = pidsOfUid(uid);
    if (left.some((pid) => !isZombie(pid)))
      spawnSync('/bin/sh', ['-c', 'kill -9 -1 2>/dev/null'], { uid, gid: uid, stdio: 'ignore', timeout: 5000 });
    if (left.length === 0 || Date.now() > deadline) return left.length;
    sleep(5);
  }
}

/** SIGKILL the processes carrying `marker` until none is left (bounded by `waitMs`). */
export async function killMarked(marker: string, waitMs = 2000): Promise<number> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = killMarkedOnce(marker);
    if (left === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function killMarkedSync(marker: string, waitMs = 2000): number {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = killMarkedOnce(marker);
    if (left === 0 || Date.now() > deadline) return left;
    sleep(5);
  }
}

function killMarkedOnce(marker: string): number {
  const left = pidsWithMarker(marker).filter((pid) => !isZombie(pid));
  for (const pid of left) killQuietly(pid);
  return left.length;
}

/** SIGKILL the process group led by `pid`, or `pid` alone when it leads none. */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    killQuietly(pid);
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already, or not ours */
  }
}

function isZombie(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\)/, ''));
  } catch {
    return true;
  }
}

const TICKS = 100; // USER_HZ on Linux

function cpuOf(pid: number): number {
  try {
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const f = readFileSync(`/proc/${pid}/stat`, 'latin1')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by the processes of `uid`. */
export function cpuOfUid(uid: number): number {
  return pidsOfUid(uid).reduce((s, pid) => s + cpuOf(pid), 0);
}

/** CPU seconds used so far by `pid` and its descendants (Linux; 0 without /proc). */
export function cpuOfTree(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += cpuOf(p);
    try {
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'latin1').trim();
        if (kids) stack.push(...kids.split(' ').map(Number));
      }
    } catch {
      /* gone */
    }
  }
  return total;
}

/** Threads (tasks) of `uid`'s processes, as RLIMIT_NPROC counts them. */
export function tasksOfCurrentUser(): number {
  const uid = process.getuid?.();
  if (uid === undefined) return 0;
  let n = 0;
  for (const pid of pidsOfUid(uid)) {
    try {
      n += readdirSync(`/proc/${pid}/task`).length;
    } catch {
      /* gone */
    }
  }
  return n + 1;
}

/**
 * Ends processes left by jails of suites that died abruptly (SIGKILL, an OOM kill): without bubblewrap nothing ties
 * an engine's grandchildren to the suite's life. Each jail's processes carry `DNN_VERIFY_JAIL=<suite pid>:<id>`;
 * those whose suite is gone are killed. Returns how many.
 */
export function sweepOrphans(): number {
  let killed = 0;
  for (const pid of pids()) {
    let env: string;
    try {
      env = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    const m = /(?:^|\0)DNN_VERIFY_JAIL=(\d+):/.exec(env);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    killQuietly(pid);
    killed++;
  }
  return killed;
}

/** Whether a process lives (one of another user counts: EPERM). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
