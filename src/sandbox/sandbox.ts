/**
 * The sandbox every process engine runs in (src/sandbox/README.md). `createSandbox` resolves the mode once
 * (bubblewrap where it works, "rlimits only" where it does not, or none when asked); `sandbox.jail(spec)` gives
 * one engine its uid, scratch directory and the command line that starts it; `jail.kill()` ends every process
 * that engine started, `jail.dispose()` removes what it wrote.
 */
import {
  chownSync,
  closeSync,
  existsSync,
  openSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import {
  bindScript,
  mountNamespaceUsable,
  privateFolder,
  Stage,
  StageError,
  sweepStages,
  toolchainStage,
} from './stage.ts';
import { DEFAULT_LIMITS, formatSize, type Limits } from './limits.ts';
import { sandboxEnv } from './env.ts';
import {
  bwrapUsable,
  isRoot,
  namespaceArgs,
  outermost,
  pythonFiles,
  readableByOthers,
  systemBinds,
  netUnshareUsable,
  which,
} from './probe.ts';
import {
  cpuOfTree,
  cpuOfUid,
  killGroup,
  killMarked,
  killMarkedSync,
  killUid,
  killUidSync,
  pidsOfUid,
  sweepOrphans,
  tasksOfCurrentUser,
  uidInUse,
} from './kill.ts';
import {
  addressSpaceLimit,
  cgroupParent,
  cgroupUnavailable,
  MemoryCgroup,
  preludeArgs,
  sweepCgroups,
} from './cgroup.ts';
import { cleanHostState, privateArgs, privateNamespacesUsable, sweepScratch } from './namespaces.ts';

export type SandboxMode = 'auto' | 'bwrap' | 'rlimits' | 'none';

/** The one options object through which the CLI and the grader choose a sandbox and its limits. */
export interface SandboxOptions {
  /** default 'auto': bubblewrap where it works, else rlimits only */
  mode?: SandboxMode;
  limits?: Partial<Limits>;
  /** extra environment variables passed by name (--pass-env) */
  passEnv?: readonly string[];
  /** directories the engine must not see even when they lie inside one it reads (the report directory) */
  hide?: readonly string[];
  /** tests only: turn off the memory cgroup or the fallback's private namespaces, to exercise what replaces them */
  contain?: { cgroup?: boolean; namespaces?: boolean };
}

/** What one engine needs: its program, and the files it reads. */
export interface JailSpec {
  command: string;
  args: string[];
  /** run `command` through /bin/sh -c (for --command "CMD") */
  shell?: boolean;
  /** working directory; the default is the scratch directory */
  cwd?: string;
  /** files and directories the engine reads (bound read-only; nothing else of the suite is visible) */
  read: string[];
  /** `command` is this Python interpreter: its real executable is run and its install is made readable */
  python?: boolean;
}

/** How to spawn one engine process. */
export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  shell: boolean;
  /** in a session (and process group) of its own, so that the group can be killed */
  detached: boolean;
  /**
   * the process (bubblewrap, or a namespace's init) exits with 128 + N when the engine is killed by signal N (an
   * init cannot kill itself by a signal): read such a code as that signal
   */
  exitCodeIsSignal?: boolean;
}

export interface Jail {
  /** a fresh start: a new scratch directory (the previous one is removed) and the command line */
  launch(): Launch;
  /** ends every process of this engine (the spawned one is `pid`); resolves when they are gone (bounded wait) */
  kill(pid?: number): Promise<void>;
  /** the same, blocking (for the suite's exit handler) */
  killSync(pid?: number): void;
  /** CPU seconds used so far by this engine's processes, where it can be measured */
  cpuSeconds(pid?: number): number | undefined;
  /** kill, then remove the scratch directory */
  dispose(pid?: number): Promise<void>;
  /** the same, blocking (at the suite's exit, where nothing asynchronous runs any more) */
  disposeSync(pid?: number): void;
  /** whether the current process's memory cgroup saw an out-of-memory kill (a memory-limit breach) */
  memoryBreached?(): boolean;
}

export interface Sandbox {
  readonly mode: 'bwrap' | 'rlimits' | 'none';
  /** as report.json says it: "bwrap", "rlimits only" or "none" */
  readonly label: 'bwrap' | 'rlimits only' | 'none';
  readonly limits: Limits;
  /** why the mode is what it is (e.g. why bubblewrap is not used), for the terminal */
  readonly note?: string;
  jail(spec: JailSpec): Jail;
  /** removes what the sandbox staged for its engines (also done at the suite's exit); jails made later stage anew */
  dispose(): void;
  /** one line for the terminal */
  describe(): string;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const wanted = options.mode ?? 'auto';
  let mode: Sandbox['mode'];
  let note: string | undefined;
  if (wanted === 'none') mode = 'none';
  else if (wanted === 'rlimits') mode = 'rlimits';
  else {
    const probe = bwrapUsable();
    if (probe.ok) mode = 'bwrap';
    else if (wanted === 'bwrap') throw new SandboxError(`--sandbox bwrap: ${probe.reason}`);
    else {
      mode = 'rlimits';
      note = probe.reason;
    }
  }
  if (mode === 'rlimits' && process.platform === 'linux' && !netUnshareUsable())
    note = `${note ? `${note}; ` : ''}no network namespace (not root, or unshare refused): the engine can reach the network`;
  if (mode === 'rlimits' && !which('prlimit') && process.platform === 'linux')
    note = `${note ? `${note}; ` : ''}prlimit not found: limits set through sh's ulimit`;
  const contain = {
    cgroup: mode !== 'none' && options.contain?.cgroup !== false && cgroupParent() !== undefined,
    namespaces: mode === 'rlimits' && options.contain?.namespaces !== false && privateNamespacesUsable(),
  };
  if (mode !== 'none' && process.platform === 'linux' && !contain.cgroup)
    note = `${note ? `${note}; ` : ''}no memory cgroup (${cgroupUnavailable() || 'turned off'}): memory counted per process, Python engines' shared mappings refused past an address-space limit, files in /dev/shm and SysV segments not counted`;
  if (mode === 'rlimits' && process.platform === 'linux' && !contain.namespaces)
    note = `${note ? `${note}; ` : ''}no private IPC, /tmp, /dev/shm, /run or /proc (not root, or unshare refused): the engine sees other processes and reaches unix sockets there${isRoot() ? '; what its uid leaves there is removed after it' : ', and what it leaves there stays'}`;
  const label = mode === 'rlimits' ? 'rlimits only' : mode;
  if (mode !== 'none') {
    sweepOrphans();
    sweepCgroups();
    sweepScratch(tmpdir());
    sweepStages();
  }
  // what engines running as a jail uid must read but cannot reach where it lives, staged once for all of them
  let stage: Stage | undefined;
  const staging = () => {
    stage ??= new Stage(options.hide ?? []);
    return stage;
  };
  const sandbox: Sandbox = {
    mode,
    label,
    limits,
    note,
    jail: (spec) =>
      mode === 'none'
        ? noneJail(spec)
        : new SandboxJail(mode, spec, limits, options.passEnv ?? [], options.hide ?? [], contain, staging),
    dispose() {
      stage?.dispose();
      stage = undefined;
    },
    describe() {
      if (mode === 'none') return 'sandbox: none (the engine runs with the suite’s environment, files and rights)';
      const l = limits;
      const memory = contain.cgroup ? 'per engine (a cgroup: shared memory included)' : 'per process';
      return `sandbox: ${label}${note ? ` (${note})` : ''}; limits: memory ${formatSize(l.memoryBytes)} ${memory}, CPU ${l.cpuSecondsPerCall} s per call, files ${formatSize(l.fileSizeBytes)}, ${l.processes} processes, output ${formatSize(l.outputBytes)} per call`;
    },
  };
  return sandbox;
}

/** The explicit opt-out: the engine as the suite would spawn it without a sandbox. */
function noneJail(spec: JailSpec): Jail {
  return {
    launch: () => ({
      command: spec.command,
      args: spec.args,
      env: { ...(process.env as Record<string, string>) },
      cwd: spec.cwd,
      shell: spec.shell ?? false,
      detached: false,
    }),
    kill: async (pid) => killOne(pid),
    killSync: killOne,
    cpuSeconds: () => undefined,
    dispose: async () => {},
    disposeSync: () => {},
  };
}

/** The devices an engine may use: no tty (it could read or inject keystrokes), no /dev/shm. */
const DEVICES = [
  '--perms',
  '0755',
  '--tmpfs',
  '/dev',
  ...['null', 'zero', 'full', 'random', 'urandom'].flatMap((d) => ['--dev-bind', `/dev/${d}`, `/dev/${d}`]),
  ...['--symlink', '/proc/self/fd', '/dev/fd'],
  ...['stdin', 'stdout', 'stderr'].flatMap((d, i) => ['--symlink', `/proc/self/fd/${i}`, `/dev/${d}`]),
];

let terminal: boolean | undefined;

/** Whether the suite has a controlling terminal (a process in its session could open /dev/tty). */
function hasControllingTerminal(): boolean {
  if (terminal === undefined) {
    try {
      closeSync(openSync('/dev/tty', 'r'));
      terminal = true;
    } catch {
      terminal = false;
    }
  }
  return terminal;
}

function killOne(pid?: number): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

const UID_BASE = 610_000;
const UID_SPAN = 80_000;

/** A uid no process uses now, for one engine (as root only). */
function freshUid(): number {
  for (;;) {
    const uid = UID_BASE + (randomBytes(4).readUInt32LE() % UID_SPAN);
    if (!uidInUse(uid)) return uid;
  }
}

class SandboxJail implements Jail {
  private uid?: number;
  /** carried in every process's environment: found by killMarked, and by sweepOrphans once the suite is gone */
  private readonly marker = `DNN_VERIFY_JAIL=${process.pid}:${randomBytes(8).toString('hex')}`;
  private scratch?: string;
  private readonly read: string[];
  private readonly command: string;
  /** the memory cgroup of the current process, and those of ended ones not removed yet */
  private cgroup?: MemoryCgroup;
  private oldCgroups: MemoryCgroup[] = [];
  /** without a cgroup, a Python engine's address-space limit (shared mappings counted), bytes */
  private readonly addressSpace?: number;
  /** read paths the jail's uid cannot reach where they live, and their staged copies (root only; see stage.ts) */
  private readonly staged = new Map<string, string>();
  /** the stages this engine's staged paths are in: the process-wide one (interpreters), the sandbox's own */
  private readonly stages: Stage[] = [];
  /** the interpreter's trees (Python's prefix): staged once per process, they do not change during a run */
  private readonly toolchain: string[] = [];

  constructor(
    private readonly mode: 'bwrap' | 'rlimits',
    private readonly spec: JailSpec,
    private readonly limits: Limits,
    private readonly passEnv: readonly string[],
    private readonly hide: readonly string[],
    private readonly contain: { cgroup: boolean; namespaces: boolean },
    staging: () => Stage,
  ) {
    // a uid of its own needs setpriv (util-linux) to switch to it; without it the marker and the group remain
    if (isRoot() && which('setpriv')) this.uid = freshUid();
    const read = spec.read.filter((p) => existsSync(p)).map((p) => realpathSync(p));
    let command = spec.command;
    if (spec.python) {
      const py = pythonFiles(spec.command, passEnv.includes('PYTHONPATH'));
      command = py.executable;
      read.push(...py.dirs);
      this.toolchain.push(...py.dirs);
    }
    if (spec.cwd) read.push(realpathSync(spec.cwd));
    this.read = outermost(read);
    this.command = command;
    if (!contain.cgroup && spec.python)
      this.addressSpace = addressSpaceLimit(command, limits.memoryBytes, limits.processes);
    if (this.uid !== undefined) this.stageUnreachable(staging);
  }

  /**
   * As root the engine runs as a uid of its own, which cannot enter private folders (a `mktemp -d` clone, /root):
   * what it must read there is staged (stage.ts) and the engine is started from the staged copy; nothing grants it
   * a right to read everything. Under bubblewrap only a bound path's own mode matters (its parents are made 0755
   * inside), so only a private path itself is staged and its copy bound in its place. Stops before the run, naming
   * the folder and the fix, where staging cannot be done.
   */
  private stageUnreachable(staging: () => Stage): void {
    const unreachable = (p: string) => {
      if (this.mode === 'rlimits') return !readableByOthers(p);
      const st = statSync(p);
      const need = st.isDirectory() ? 0o005 : 0o004;
      return (st.mode & need) !== need;
    };
    const needed = this.read.filter(unreachable);
    if (needed.length === 0) return;
    // (under bubblewrap, which binds the trees itself, the rare private root is staged with the sandbox's own)
    const ofToolchain = (p: string) =>
      this.mode === 'rlimits' && this.toolchain.some((t) => p === t || p.startsWith(t + sep));
    try {
      // the interpreter's trees are bound in the engine's own mount namespace where root can make one (rlimits)
      const bind = this.mode === 'rlimits' && mountNamespaceUsable();
      for (const [stage, paths, binds] of [
        [toolchainStage, needed.filter(ofToolchain), bind],
        [staging, needed.filter((p) => !ofToolchain(p)), false],
      ] as const) {
        if (paths.length === 0) continue;
        const st = stage();
        this.stages.push(st);
        const at = st.addAll(paths, binds);
        paths.forEach((p, i) => this.staged.set(p, at[i]));
      }
    } catch (err) {
      if (!(err instanceof StageError)) throw err;
      const p = /cannot stage (\S+)|^(\S+) is readable/.exec(err.message)?.slice(1).find(Boolean) ?? needed[0];
      const folder = privateFolder(p) ?? p;
      throw new SandboxError(
        `the engine runs as a uid of its own, which cannot enter ${folder}, and ${p} could not be staged for it (${err.message}): move the engine to a folder other users can enter (or chmod o+x ${folder}), or run dnn-verify as a user other than root`,
      );
    }
  }

  launch(): Launch {
    this.removeScratch();
    if (this.cgroup) this.oldCgroups.push(this.cgroup);
    this.cgroup = this.contain.cgroup ? MemoryCgroup.create(this.limits.memoryBytes) : undefined;
    const launch = this.mode === 'bwrap' ? this.bwrapLaunch() : this.rlimitsLaunch();
    // umask 077 and the memory cgroup, before anything of the engine runs
    const prelude = preludeArgs(this.cgroup);
    return { ...launch, command: prelude[0], args: [...prelude.slice(1), launch.command, ...launch.args] };
  }

  memoryBreached(): boolean {
    return this.cgroup?.oomKilled() ?? false;
  }

  /** The program and its arguments, run through sh for --command. */
  private program(): string[] {
    return this.spec.shell ? ['/bin/sh', '-c', this.command] : [this.command, ...this.spec.args];
  }

  private prlimit(nproc: number): string[] {
    const l = this.limits;
    const as = this.addressSpace === undefined ? [] : [`--as=${this.addressSpace}`];
    return [
      'prlimit',
      `--data=${l.memoryBytes}`,
      ...as,
      `--fsize=${l.fileSizeBytes}`,
      `--nproc=${nproc}`,
      '--core=0',
      '--',
    ];
  }

  private setpriv(): string[] {
    if (this.uid === undefined) return [];
    const u = this.uid;
    return [
      'setpriv',
      `--reuid=${u}`,
      `--regid=${u}`,
      '--clear-groups',
      '--inh-caps=-all',
      '--no-new-privs',
      '--pdeathsig=KILL',
      '--',
    ];
  }

  private bwrapLaunch(): Launch {
    const scratch = '/scratch';
    // no --new-session: a session of its own is also a scheduling group of its own (autogroup), which made every
    // call a slow hop between groups on a busy machine; the terminal is out of reach anyway, as the sandbox has no
    // tty device and no descriptor of one
    const args = [...namespaceArgs(), '--die-with-parent', ...systemBinds()];
    if (this.uid !== undefined) args.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID');
    // bubblewrap makes the parents of mount points 0700: make them traversable for the engine's uid
    const parents = new Set<string>();
    for (const p of this.read) for (let d = dirname(p); d !== '/' && !parents.has(d); d = dirname(d)) parents.add(d);
    for (const d of [...parents].sort())
      if (!this.read.some((r) => d.startsWith(r + sep))) args.push('--perms', '0755', '--dir', d);
    for (const p of this.read) args.push('--ro-bind', this.staged.get(p) ?? p, p);
    for (const h of this.hide) {
      const real = existsSync(h) ? realpathSync(h) : undefined;
      if (real && statSync(real).isDirectory() && this.read.some((r) => real.startsWith(r + sep) || real === r))
        args.push('--tmpfs', real);
    }
    args.push('--proc', '/proc', ...DEVICES);
    // the scratch directory holds a few files of the largest size, in memory, gone with the sandbox
    args.push('--perms', '1777', '--size', String(4 * this.limits.fileSizeBytes), '--tmpfs', scratch);
    args.push('--perms', '1777', '--dir', `${scratch}/home`, '--perms', '1777', '--dir', `${scratch}/tmp`);
    args.push('--chdir', this.spec.cwd ? realpathSync(this.spec.cwd) : scratch);
    // the process count is the sandbox's own: as root through a uid of its own, else inside its user namespace
    args.push('--', ...this.prlimit(this.limits.processes), ...this.setpriv(), ...this.program());
    return {
      command: which('bwrap')!,
      args,
      env: sandboxEnv(process.env, this.passEnv, {
        HOME: `${scratch}/home`,
        TMPDIR: `${scratch}/tmp`,
        DNN_VERIFY_JAIL: this.marker.split('=')[1],
      }),
      shell: false,
      detached: false,
      // bubblewrap passes on the engine's death by signal N as exit code 128 + N
      exitCodeIsSignal: true,
    };
  }

  private rlimitsLaunch(): Launch {
    // named with the suite's pid: the scratch directories of a suite that was killed are swept by the next one
    const scratch = mkdtempSync(join(tmpdir(), `dnn-verify-engine-${process.pid}-`));
    this.scratch = scratch;
    for (const d of ['home', 'tmp']) mkdirSync(join(scratch, d));
    if (this.uid !== undefined) for (const d of ['', 'home', 'tmp']) chownSync(join(scratch, d), this.uid, this.uid);
    // without a uid of its own, RLIMIT_NPROC counts every process of the user: allow the engine `processes` more
    const nproc = this.uid !== undefined ? this.limits.processes : tasksOfCurrentUser() + this.limits.processes;
    const env = sandboxEnv(process.env, this.passEnv, {
      HOME: join(scratch, 'home'),
      TMPDIR: join(scratch, 'tmp'),
      DNN_VERIFY_JAIL: this.marker.split('=')[1],
      ...this.stagedLibraries(),
    });
    // no network where the OS still offers a namespace for it (root): `unshare` execs what follows (same pid), and
    // comes before setpriv, which drops the right to unshare
    // where trees are staged as mount points, they are bound read-only in the engine's own mount namespace (as
    // root, before setpriv)
    const mounts = this.stages.flatMap((st) => st.mounts([...this.staged.keys()]));
    const binds = mounts.length ? ['/bin/sh', '-c', bindScript(mounts), 'dnn-verify-mounts'] : [];
    const cwd = this.spec.cwd ? this.mapPath(realpathSync(this.spec.cwd)) : scratch;
    // as root where namespaces are allowed: private IPC, /tmp, /var/tmp, /dev/shm, /run, /proc (namespaces.ts), the
    // staged copies bound back in; else no network where the OS still offers a namespace for it
    const spaces = [
      ...(netUnshareUsable() ? ['--net'] : []),
      ...(mounts.length ? ['--mount', '--propagation', 'private'] : []),
    ];
    const net = this.contain.namespaces
      ? [
          ...privateArgs({
            keep: [...this.read, ...this.staged.values(), ...mounts.map(([, dst]) => dst), scratch],
            tmpfsBytes: 4 * this.limits.fileSizeBytes,
            net: netUnshareUsable(),
            cwd,
          }),
          ...binds,
        ]
      : [...(spaces.length ? ['unshare', ...spaces, '--'] : []), ...binds];
    // started from the staged copies of what its uid cannot reach where it lives
    const own = this.program().map((a) => this.stages.reduce((x, st) => st.mapArg(x), a));
    const program = [...net, ...own];
    const wrapped = which('prlimit')
      ? [...this.prlimit(nproc), ...net, ...this.setpriv(), ...own]
      : [
          '/bin/sh',
          '-c',
          `ulimit -d ${Math.floor(this.limits.memoryBytes / 1024)}${this.addressSpace === undefined ? '' : ` -v ${Math.floor(this.addressSpace / 1024)}`} -f ${Math.floor(this.limits.fileSizeBytes / 512)} -u ${nproc} -c 0 2>/dev/null; exec "$@"`,
          'sh',
          ...program,
        ];
    return {
      command: wrapped[0],
      args: wrapped.slice(1),
      env,
      cwd,
      shell: false,
      exitCodeIsSignal: this.contain.namespaces,
      // a session of its own keeps the engine from the suite's terminal and makes its group killable; as root
      // without a terminal the uid does both, and the engine stays in the suite's scheduling group (see bwrap)
      detached: this.uid === undefined || hasControllingTerminal(),
    };
  }

  /**
   * A staged Python finds its libpython through a RUNPATH naming its original, unreachable, prefix (and would load
   * the system's libpython instead): its staged lib folder comes first.
   */
  private stagedLibraries(): Record<string, string> {
    const staged = this.mapPath(this.command);
    if (!this.spec.python || staged === this.command) return {};
    return { LD_LIBRARY_PATH: join(dirname(dirname(staged)), 'lib') };
  }

  /** Where the engine sees `p`: its staged copy, or `p` itself. */
  private mapPath(p: string): string {
    return this.stages.find((st) => st.has(p))?.map(p) ?? p;
  }

  async kill(pid?: number): Promise<void> {
    if (pid !== undefined) killGroup(pid); // bwrap's monitor: its sandbox dies with it (--die-with-parent)
    // a uid whose processes outlive the wait (zombies nobody reaps yet) would count against the next start's
    // process limit: the next start gets a fresh one
    if (this.uid !== undefined) {
      const left = await killUid(this.uid, 1000);
      this.cleanHost();
      if (left > 0) this.uid = freshUid();
    } else if (this.mode === 'rlimits') await killMarked(this.marker);
    for (const cg of this.cgroupsToRemove()) if (!(await cg.dispose(1000))) this.oldCgroups.push(cg);
  }

  /** The cgroups of ended processes, and the current one (its process is being ended). */
  private cgroupsToRemove(): MemoryCgroup[] {
    const all = [...this.oldCgroups, ...(this.cgroup ? [this.cgroup] : [])];
    this.oldCgroups = [];
    this.cgroup = undefined;
    return all;
  }

  /** Without private namespaces, as root: what the jail's uid left in /tmp, /dev/shm, SysV IPC ... */
  private cleanHost(): void {
    if (this.mode === 'rlimits' && !this.contain.namespaces && this.uid !== undefined) cleanHostState(this.uid);
  }

  killSync(pid?: number): void {
    if (pid !== undefined) killGroup(pid);
    if (this.uid !== undefined) {
      killUidSync(this.uid, 1000);
      this.cleanHost();
    } else if (this.mode === 'rlimits') killMarkedSync(this.marker);
    for (const cg of this.cgroupsToRemove()) if (!cg.disposeSync(1000)) this.oldCgroups.push(cg);
  }

  cpuSeconds(pid?: number): number | undefined {
    if (this.uid !== undefined) return cpuOfUid(this.uid);
    return pid === undefined || process.platform !== 'linux' ? undefined : cpuOfTree(pid);
  }

  /** Processes of this engine still alive (root only), for tests and the final check. */
  alive(): number[] {
    return this.uid === undefined ? [] : pidsOfUid(this.uid);
  }

  async dispose(pid?: number): Promise<void> {
    await this.kill(pid);
    this.removeScratch();
  }

  disposeSync(pid?: number): void {
    this.killSync(pid);
    this.removeScratch();
  }

  private removeScratch(): void {
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }
}
