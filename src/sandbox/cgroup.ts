/**
 * A memory cgroup per engine process: the one limit that counts every page the engine's processes charge, shared
 * memory included (anonymous MAP_SHARED mappings, /dev/shm and other tmpfs files, SysV segments), which
 * RLIMIT_DATA does not. cgroup v1's memory controller (memory.limit_in_bytes, and memory.memsw.limit_in_bytes so
 * that swap is no way around it), or v2's memory.max/memory.swap.max where v2 holds the memory controller and the
 * suite's cgroup already delegates it to children. Made under the suite's own cgroup as
 * `dnn-verify-<suite pid>-<id>`; the engine joins it before it runs anything (a shell writes its own pid into
 * cgroup.procs, then execs the rest of the command line), so everything it starts is counted. A breach is the
 * kernel's OOM kill inside it, read from memory.oom_control (v1) or memory.events (v2). Removed once its
 * processes are gone; cgroups of suites that died are removed by the next sandbox (`sweepCgroups`).
 * After systemd-run's transient scopes and isolate's/nsjail's per-box cgroups.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isRoot } from './probe.ts';
import { alive } from './kill.ts';

type Kind = 'v1' | 'v2';

interface Parent {
  kind: Kind;
  /** the suite's own memory cgroup, where the engines' cgroups are made */
  dir: string;
  /** swap can be limited too (memsw in v1, swap.max in v2) */
  swap: boolean;
}

let parent: Parent | null | undefined;
let why = '';

/** The suite's memory cgroup as /proc/self/cgroup names it, under the mount points the kernel uses. */
function ownCgroup(): Parent | undefined {
  let lines: string[];
  try {
    lines = readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
  } catch {
    why = 'no /proc/self/cgroup';
    return undefined;
  }
  for (const line of lines) {
    const [, controllers, path] = line.split(':');
    if (controllers?.split(',').includes('memory')) {
      const dir = join('/sys/fs/cgroup/memory', path);
      return { kind: 'v1', dir, swap: exists(join(dir, 'memory.memsw.limit_in_bytes')) };
    }
  }
  const unified = lines.find((l) => l.startsWith('0::'));
  if (unified) {
    const path = unified.slice(3);
    for (const mount of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
      const dir = join(mount, path);
      // children get a memory controller only where the parent already hands it down: a cgroup with processes
      // (the suite's) cannot enable it for its children itself (cgroup v2's no-internal-process rule)
      if (read(join(dir, 'cgroup.subtree_control'))?.split(/\s+/).includes('memory'))
        return { kind: 'v2', dir, swap: true };
    }
  }
  why = 'no memory cgroup controller the suite can delegate (cgroup v1 memory, or v2 with memory in subtree_control)';
  return undefined;
}

function exists(path: string): boolean {
  return read(path) !== undefined;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Where engines' memory cgroups can be made: as root, under the suite's own memory cgroup, when a probe cgroup
 * can be made, limited and removed there (not where the cgroup filesystem is read-only, as in most containers).
 * Probed once; undefined otherwise (`cgroupUnavailable()` says why).
 */
export function cgroupParent(): Parent | undefined {
  if (parent !== undefined) return parent ?? undefined;
  parent = null;
  if (process.platform !== 'linux') why = 'not Linux';
  else if (!isRoot()) why = 'not root (no writable cgroup)';
  else {
    const p = ownCgroup();
    if (p) {
      const probe = join(p.dir, `dnn-verify-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
      try {
        mkdirSync(probe);
        try {
          writeFileSync(join(probe, p.kind === 'v1' ? 'memory.limit_in_bytes' : 'memory.max'), String(64 * 1024 ** 2));
          parent = p;
        } finally {
          rmdirSync(probe);
        }
      } catch (err) {
        why = `cannot make a memory cgroup under ${p.dir}: ${(err as Error).message}`;
      }
    }
  }
  sweepCgroups();
  return parent ?? undefined;
}

/** Why engines get no memory cgroup here (empty when they do). */
export function cgroupUnavailable(): string {
  cgroupParent();
  return parent ? '' : why;
}

/** One engine process's memory cgroup. */
export class MemoryCgroup {
  private removed = false;

  private constructor(
    readonly dir: string,
    private readonly kind: Kind,
  ) {}

  /** A fresh cgroup limited to `bytes` (memory and memory+swap), or undefined where none can be made. */
  static create(bytes: number): MemoryCgroup | undefined {
    const p = cgroupParent();
    if (!p) return undefined;
    const dir = join(p.dir, `dnn-verify-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      mkdirSync(dir);
    } catch {
      return undefined;
    }
    const cg = new MemoryCgroup(dir, p.kind);
    try {
      if (p.kind === 'v1') {
        writeFileSync(join(dir, 'memory.limit_in_bytes'), String(bytes));
        // memory + swap no higher than memory alone: a hog cannot move its pages to swap
        if (p.swap) writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), String(bytes));
      } else {
        writeFileSync(join(dir, 'memory.max'), String(bytes));
        if (p.swap) writeFileSync(join(dir, 'memory.swap.max'), '0');
      }
    } catch {
      cg.remove();
      return undefined;
    }
    return cg;
  }

  /** Where a process writes its pid to join. */
  get procs(): string {
    return join(this.dir, 'cgroup.procs');
  }

  /** Whether the kernel killed a process of this cgroup for going past its limit. */
  oomKilled(): boolean {
    if (this.removed) return false;
    const text = read(join(this.dir, this.kind === 'v1' ? 'memory.oom_control' : 'memory.events')) ?? '';
    const m = /^oom_kill (\d+)$/m.exec(text);
    return m !== null && Number(m[1]) > 0;
  }

  /** Processes still in the cgroup (zombies not yet reaped included, in v1). */
  pids(): number[] {
    return (read(join(this.dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean).map(Number);
  }

  /** SIGKILL every process still in it. */
  killAll(): void {
    for (const pid of this.pids())
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
  }

  /** Removes the cgroup (it must have no process left); true when it is gone. */
  remove(): boolean {
    if (this.removed) return true;
    try {
      rmdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    }
    this.removed = true;
    return true;
  }

  /** Kills what is left in it and removes it, waiting (without blocking) at most `waitMs`. */
  async dispose(waitMs = 2000): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.killAll();
      if (this.remove() || Date.now() > deadline) return this.removed;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** The same, blocking (the suite's exit handler). */
  disposeSync(waitMs = 2000): boolean {
    const deadline = Date.now() + waitMs;
    for (;;) {
      this.killAll();
      if (this.remove() || Date.now() > deadline) return this.removed;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * The command-line prefix every sandboxed engine starts with: a shell that sets the umask to 077 (what the engine
 * creates in a shared place is its own: classmates' jails cannot read it), puts itself in the engine's memory
 * cgroup when there is one (its own pid into cgroup.procs), then execs the rest: same pid, so the suite's kill
 * by pid still reaches it, and nothing of the engine runs outside the cgroup.
 */
export function preludeArgs(cgroup?: MemoryCgroup): string[] {
  return cgroup
    ? ['/bin/sh', '-c', 'umask 077 && echo $$ > "$0" && exec "$@"', cgroup.procs]
    : ['/bin/sh', '-c', 'umask 077 && exec "$@"', 'sh'];
}

/** Removes the engines' cgroups left by suites that are gone (killed before they could): their processes first. */
export function sweepCgroups(): number {
  const p = parent;
  if (!p) return 0;
  let swept = 0;
  let names: string[];
  try {
    names = readdirSync(p.dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^dnn-verify-(?:probe-)?(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const dir = join(p.dir, name);
    for (const pid of (read(join(dir, 'cgroup.procs')) ?? '').split('\n').filter(Boolean))
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* gone */
      }
    try {
      rmdirSync(dir);
      swept++;
    } catch {
      /* its processes are still dying: the next sweep removes it */
    }
  }
  return swept;
}

const vmPeaks = new Map<string, number>();

/**
 * Where no cgroup can be made: the address-space limit (RLIMIT_AS) a Python engine gets, so that shared memory it
 * maps (mmap(-1, n), SysV segments attached, /dev/shm files mapped) is refused past it, as RLIMIT_DATA refuses
 * private memory. The headroom is measured, not guessed: the interpreter's own peak address space with NumPy
 * loaded and BLAS started (libraries, arenas, BLAS threads' buffers; asked of it once), plus a default thread
 * stack (RLIMIT_STACK, at most 8 MiB) per allowed process. Not for JavaScript engines (V8 reserves many GiB of
 * address space it never uses) nor commands (unknown); files written to /dev/shm without mapping them are not
 * counted by any rlimit.
 */
export function addressSpaceLimit(python: string, memoryBytes: number, processes: number): number | undefined {
  let peak = vmPeaks.get(python);
  if (peak === undefined) {
    const r = spawnSync(
      python,
      [
        '-c',
        "import numpy as n\nx = n.ones((256, 256)); x @ x\nprint([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmPeak')][0])",
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    peak = r.status === 0 ? Number(r.stdout.trim()) * 1024 : Number.NaN;
    vmPeaks.set(python, peak);
  }
  if (!Number.isFinite(peak)) return undefined;
  return memoryBytes + peak + processes * 8 * 1024 ** 2;
}
