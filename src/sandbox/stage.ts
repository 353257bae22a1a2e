/**
 * The staging folder: what an engine running as a jail uid of its own (root's sandboxes) must read, made reachable
 * without reading anything else. A file that lives under a private folder (a `mktemp -d` clone, /root/.pyenv, both
 * 0700) cannot be opened by the jail's uid, and a capability that reads everything (CAP_DAC_READ_SEARCH) would open
 * every other file too. Instead each such path is mirrored under one root-owned folder, at the same absolute path
 * below it (`<stage>/root/.pyenv/versions/3.11.7/...`), so that relative paths between staged trees still hold:
 *
 * - directories are made afresh (root-owned, the original's mode without group/other write; a staged root itself
 *   0755, its parents 0755: nothing depends on the original parents' modes);
 * - files are hard links where the filesystem allows (the same inode: its owner and mode, so the jail reads only
 *   what other users could read there and writes nothing, as under bubblewrap's read-only binds); a file that is
 *   group/other-writable or set-id, or on another filesystem, is copied (mode without those bits);
 * - a staged root that is a file (the engine's own file) must be readable by others where it is (a link to a
 *   root-only file is refused, never made readable); it gets a folder of its own (`<stage>/file-N/<its path>`), so
 *   that files staged for other engines are not its siblings;
 * - symbolic links are recreated, absolute ones into a staged tree pointing into the stage;
 * - `.git` folders, hidden folders (the report directory) and the suite's own temporary folders are left out.
 *
 * Where root can make a mount namespace, interpreters' trees are not linked but bound: the stage holds an empty mount
 * point, and each engine's process binds the tree on it read-only in a mount namespace of its own before it drops to
 * its uid (`bindScript`); the host sees no mount.
 *
 * One stage serves every engine of a sandbox; interpreters' trees (Python's prefix, some 60 000 files) go to one
 * process-wide stage (`toolchainStage`), staged once however many sandboxes the process creates. A stage is removed
 * by `dispose()`, at the suite's exit, by a watchdog once the suite's process is gone (killed), and by the next
 * sandbox's sweep (`sweepStages`: the folder's name carries the suite's pid).
 */
import {
  chmodSync,
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alive } from './kill.ts';

const PREFIX = 'dnn-verify-stage-';
/** entries staged per sandbox at most: staging a home folder by mistake stops with a message, not a full disk */
export const MAX_STAGED_ENTRIES = 300_000;

export class StageError extends Error {
  override name = 'StageError';
}

/** What staging cost, for the tests and the measurements. */
export interface StageStats {
  linked: number;
  copied: number;
  dirs: number;
  links: number;
  ms: number;
}

const live = new Set<Stage>();
let exitHook = false;

const inside = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

export class Stage {
  readonly root: string;
  readonly stats: StageStats = { linked: 0, copied: 0, dirs: 0, links: 0, ms: 0 };
  /** the source paths staged whole, real and absolute */
  private readonly staged: string[] = [];
  private readonly skip: string[];
  /** files staged alone, and where each is */
  private readonly files = new Map<string, string>();
  /** calls of addAll so far: the folder of each call's files */
  private groups = 0;
  /** trees staged as mount points, bound read-only in each engine's own mount namespace (`mounts`) */
  private readonly binds = new Map<string, string>();

  /** `skip`: folders never staged (the report directory), even inside one that is */
  constructor(skip: readonly string[] = []) {
    this.root = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
    chmodSync(this.root, 0o755);
    // never stage the suite's own temporary folders (other jails' scratch, other stages) nor the skipped ones
    this.skip = skip.map((s) => resolve(s));
    live.add(this);
    this.watch();
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const s of live) s.dispose();
      });
    }
  }

  /**
   * A watchdog that removes the stage once this process is gone, however it ended: the exit hook does not run when
   * the suite is killed (SIGKILL, an OOM kill, a test runner ending its workers). `tail --pid` sleeps in the kernel
   * until the process ends; where it is missing, a 5 s poll.
   */
  private watch(): void {
    if (process.platform !== 'linux') return;
    try {
      spawn(
        '/bin/sh',
        [
          '-c',
          'while kill -0 "$1" 2>/dev/null; do tail --pid="$1" -f /dev/null 2>/dev/null || sleep 5; done; rm -rf -- "$2"',
          'dnn-verify-stage-watch',
          String(process.pid),
          this.root,
        ],
        { detached: true, stdio: 'ignore' },
      ).unref();
    } catch {
      // the exit hook and the next sandbox's sweep remain
    }
  }

  /** Whether `p` lies in a tree already staged. */
  has(p: string): boolean {
    return this.staged.some((s) => inside(p, s));
  }

  /**
   * Stages `p` (a real absolute path) and everything under it, once; returns where it is in the stage. Throws a
   * StageError naming the path when it cannot (too many entries, a file it cannot read, a full disk).
   */
  add(p: string): string {
    return this.addAll([p])[0];
  }

  /**
   * Stages several trees together: an absolute symbolic link in one (node_modules/dnn-verify -> the package) that
   * points into another is mapped into the stage whichever is copied first.
   */
  addAll(paths: readonly string[], bind = false): string[] {
    const fresh = [...new Set(paths)].filter((p) => !this.has(p));
    const before = this.staged.length;
    this.staged.push(...fresh);
    try {
      // a file alone in its folder among this call's paths (an engine's own file) gets a folder of its own; files
      // staged with their siblings (the runner, protocol.py and the stand-ins beside them) keep their places
      const group = ++this.groups;
      const folders = fresh.map((p) => dirname(p));
      const alone = (p: string) => folders.filter((d) => d === dirname(p)).length === 1;
      for (const p of fresh) bind ? this.mountPoint(p) : this.stageOne(p, alone(p) ? group : undefined);
    } catch (err) {
      this.staged.splice(before);
      for (const p of fresh) {
        this.files.delete(p);
        this.binds.delete(p);
      }
      throw err;
    }
    return paths.map((p) => this.map(p));
  }

  /**
   * `p` staged as an empty mount point (a folder, or an empty file): the engine's process binds `p` on it read-only
   * in a mount namespace of its own (`mounts`) before it drops to its uid. Costs a few system calls where linking
   * Python's prefix costs seconds; only where root can make a mount namespace (`mountNamespaceUsable`).
   */
  private mountPoint(p: string): void {
    const target = this.root + p;
    for (let d = dirname(target); d.length > this.root.length; d = dirname(d)) {
      mkdirSync(d, { recursive: true, mode: 0o755 });
      chmodSync(d, 0o755);
    }
    if (statSync(p).isDirectory()) mkdirSync(target, { recursive: true, mode: 0o755 });
    else writeFileSync(target, '', { mode: 0o644 });
    this.binds.set(p, target);
  }

  /** The bind mounts (source, mount point) that the given staged paths need, for `bindScript`. */
  mounts(paths: readonly string[]): [string, string][] {
    return paths.flatMap((p) => {
      const at = this.binds.get(p);
      return at ? [[p, at] as [string, string]] : [];
    });
  }

  private stageOne(p: string, group?: number): void {
    const t0 = performance.now();
    let target = this.root + p;
    // a file staged alone (an engine's own file) gets a folder of its own: files staged beside it for other engines
    // (classmates in one class folder) are not its siblings, so not importable from it
    if (group !== undefined && lstatSync(p).isFile()) {
      target = `${this.root}/file-${group}${p}`;
      this.files.set(p, target);
    }
    try {
      for (let d = dirname(target); d.length > this.root.length; d = dirname(d)) {
        if (this.existsDir(d)) break;
        mkdirSync(d, { recursive: true, mode: 0o755 });
      }
      // parents made 0755 whatever the originals' modes (mkdir honours the umask: set it)
      for (let d = dirname(target); d.length > this.root.length; d = dirname(d)) chmodSync(d, 0o755);
      this.copy(p, target, true);
    } catch (err) {
      if (err instanceof StageError) throw err;
      throw new StageError(`cannot stage ${p}: ${(err as Error).message}`);
    }
    this.stats.ms += performance.now() - t0;
  }

  /** Where `p` is seen in the stage: its staged path when it lies in a staged tree, else `p` itself. */
  map(p: string): string {
    return this.files.get(p) ?? (this.has(p) ? this.root + p : p);
  }

  /** An argument of a command line: an absolute path or a file: URL in a staged tree is mapped, the rest kept. */
  mapArg(arg: string): string {
    if (arg.startsWith('/')) return this.map(existsSync(arg) ? realpathSync(arg) : arg);
    if (arg.startsWith('file:///')) {
      let p = fileURLToPath(arg);
      if (existsSync(p)) p = realpathSync(p);
      return this.has(p) ? pathToFileURL(this.map(p)).href : arg;
    }
    return arg;
  }

  dispose(): void {
    if (this === toolchain) toolchain = undefined;
    live.delete(this);
    rmSync(this.root, { recursive: true, force: true });
  }

  private existsDir(d: string): boolean {
    try {
      return lstatSync(d).isDirectory();
    } catch {
      return false;
    }
  }

  private count(): void {
    const s = this.stats;
    if (s.linked + s.copied + s.dirs + s.links > MAX_STAGED_ENTRIES)
      throw new StageError(`more than ${MAX_STAGED_ENTRIES} files and folders to stage`);
  }

  /** `src` to `dst`; `top` for the staged root itself. */
  private copy(src: string, dst: string, top: boolean): void {
    const st = lstatSync(src);
    if (st.isSymbolicLink()) {
      const to = readlinkSync(src);
      const mapped = to.startsWith('/') && this.has(to) ? this.map(to) : to;
      try {
        symlinkSync(mapped, dst);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      this.stats.links++;
    } else if (st.isDirectory()) {
      if (!top && (this.skip.some((s) => inside(src, s)) || src.endsWith(`${sep}.git`) || suiteOwn(src))) return;
      if (!this.existsDir(dst)) mkdirSync(dst);
      this.stats.dirs++;
      this.count();
      for (const name of readdirSync(src)) this.copy(join(src, name), join(dst, name), false);
      // after its entries (root writes anyway): the original's mode without group/other write, a root 0755
      chmodSync(dst, top ? 0o755 : st.mode & 0o755);
    } else if (st.isFile()) {
      this.count();
      // the engine's own file: read as others may read it (a link to a root-only file must not become readable)
      if (top && (st.mode & 0o004) === 0)
        throw new StageError(
          `${src} is readable by its owner only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): chmod o+r ${src}`,
        );
      // group/other-writable or set-id files are copied: a link would let the jail write (or run set-id) the original
      if (st.mode & 0o7022) {
        this.copyFile(src, dst, st.mode & 0o755);
        return;
      }
      try {
        linkSync(src, dst);
        this.stats.linked++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') return;
        if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw err;
        this.copyFile(src, dst, st.mode & 0o755);
      }
    }
    // sockets, FIFOs and devices are not staged
  }

  private copyFile(src: string, dst: string, mode: number): void {
    copyFileSync(src, dst);
    chmodSync(dst, mode);
    this.stats.copied++;
  }
}

/** A word for sh -c, quoted. */
const quote = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;

/**
 * The sh script that binds each source read-only on its mount point, then execs the rest of its arguments (run as
 * root inside `unshare --mount --propagation private`, before setpriv drops to the engine's uid).
 */
export function bindScript(mounts: readonly [string, string][]): string {
  const steps = mounts.map(
    ([src, dst]) => `mount --bind ${quote(src)} ${quote(dst)} && mount -o remount,bind,ro ${quote(dst)}`,
  );
  return `${[...steps, 'exec "$@"'].join(' && ')}`;
}

let mountNs: boolean | undefined;

/** Whether root can give an engine a mount namespace of its own here (asked once: `unshare --mount`). */
export function mountNamespaceUsable(): boolean {
  if (mountNs === undefined)
    mountNs =
      process.getuid?.() === 0 &&
      process.platform === 'linux' &&
      // a real bind (of the temporary folder on itself, inside the probe's own namespace), as an engine's would be
      spawnSync('unshare', ['--mount', '--propagation', 'private', '--', 'mount', '--bind', tmpdir(), tmpdir()], {
        timeout: 5000,
      }).status === 0;
  return mountNs;
}

/** The suite's own folders in the temporary directory: other jails' scratch directories, other stages. */
function suiteOwn(dir: string): boolean {
  return dirname(dir) === tmpdir() && /^dnn-verify-(engine|stage)-/.test(basename(dir));
}

let toolchain: Stage | undefined;

/**
 * The process-wide stage of interpreters' trees (Python's prefix: some 60 000 files): staged once per process
 * however many sandboxes it creates (the tests create dozens), removed at its exit.
 */
export function toolchainStage(): Stage {
  toolchain ??= new Stage([]);
  return toolchain;
}

/** Removes the stages of suites that are no longer running (killed before their exit hook ran). Returns how many. */
export function sweepStages(): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
    const path = join(tmpdir(), name);
    try {
      if (!statSync(path).isDirectory() || lstatSync(path).uid !== process.getuid?.()) continue;
    } catch {
      continue;
    }
    rmSync(path, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

/** The first folder on the way to `path` that users other than its owner cannot enter (for messages). */
export function privateFolder(path: string): string | undefined {
  let p = '';
  for (const part of path.split(sep).filter(Boolean)) {
    p += sep + part;
    try {
      const st = statSync(p);
      if (st.isDirectory() && (st.mode & 0o001) === 0) return p;
    } catch {
      return p;
    }
  }
  return undefined;
}
