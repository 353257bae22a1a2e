/**
 * What this machine offers a sandbox, probed once per process: bubblewrap (and whether it can make the
 * namespaces), util-linux's prlimit and setpriv, whether the suite runs as root, where an interpreter's files are.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join, sep } from 'node:path';

const found = new Map<string, string | undefined>();

/** The absolute path of a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  if (program.includes('/')) return existsSync(program) ? program : undefined;
  if (!found.has(program)) {
    let hit: string | undefined;
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      const p = join(dir, program);
      try {
        accessSync(p, constants.X_OK);
        if (statSync(p).isFile()) {
          hit = p;
          break;
        }
      } catch {
        /* not here */
      }
    }
    found.set(program, hit);
  }
  return found.get(program);
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** The top-level directories that hold programs and libraries, as bubblewrap must recreate them. */
export function systemBinds(): string[] {
  const args: string[] = [];
  for (const dir of ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(dir);
    } catch {
      continue;
    }
    // merged-/usr systems link /bin -> usr/bin: keep the link, it costs no mount
    if (st.isSymbolicLink()) args.push('--symlink', realpathSync(dir), dir);
    else if (st.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  // the dynamic loader's cache, the time zone, OpenSSL's configuration (Node reads it at start-up); nothing else
  // of /etc (no passwd, no credentials). /etc itself must be searchable: bubblewrap would make it 0700
  args.push('--perms', '0755', '--dir', '/etc');
  for (const f of [
    '/etc/ld.so.cache',
    '/etc/ld.so.conf',
    '/etc/ld.so.conf.d',
    '/etc/localtime',
    '/etc/alternatives',
    '/etc/ssl/openssl.cnf',
  ])
    if (existsSync(f)) {
      if (dirname(f) !== '/etc') args.push('--perms', '0755', '--dir', dirname(f));
      args.push('--ro-bind', f, f);
    }
  return args;
}

/** The namespaces the sandbox asks of bubblewrap: as root, no user namespace (uids are changed by setpriv). */
export function namespaceArgs(root = isRoot()): string[] {
  return root
    ? ['--unshare-ipc', '--unshare-pid', '--unshare-net', '--unshare-uts', '--unshare-cgroup-try']
    : ['--unshare-all'];
}

let bwrapProbe: { ok: boolean; reason?: string } | undefined;

/** Whether bubblewrap is installed and can build this sandbox's namespaces here (it cannot in some containers). */
export function bwrapUsable(): { ok: boolean; reason?: string } {
  if (bwrapProbe) return bwrapProbe;
  const bwrap = which('bwrap');
  const missing = ['prlimit', ...(isRoot() ? ['setpriv'] : [])].filter((p) => !which(p));
  if (!bwrap) bwrapProbe = { ok: false, reason: 'bwrap is not installed (apt-get install bubblewrap)' };
  else if (missing.length) bwrapProbe = { ok: false, reason: `${missing.join(', ')} not found (util-linux)` };
  else {
    const r = spawnSync(
      bwrap,
      [...namespaceArgs(), '--die-with-parent', ...systemBinds(), '--proc', '/proc', '--dev', '/dev', '--', 'true'],
      { encoding: 'utf8', timeout: 10_000 },
    );
    bwrapProbe =
      r.status === 0
        ? { ok: true }
        : { ok: false, reason: `bwrap cannot create namespaces here: ${(r.stderr || String(r.error)).trim()}` };
  }
  return bwrapProbe;
}

export interface InterpreterFiles {
  /** the real program (a pyenv shim or a symlink resolved), run directly inside the sandbox */
  executable: string;
  /** directories the interpreter reads: its prefix, sys.path entries outside /usr, NumPy */
  dirs: string[];
}

const interpreters = new Map<string, InterpreterFiles>();

const PROBE = `import json, os, sys
dirs = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix] + [p for p in sys.path if p]
try:
    import numpy
    dirs.append(os.path.dirname(os.path.dirname(numpy.__file__)))
except Exception:
    pass
print(json.dumps({"executable": os.path.realpath(sys.executable), "dirs": dirs}))`;

/**
 * Where a Python interpreter's files are (asked of the interpreter itself, once). PYTHONPATH's folders are among
 * them only when the engine gets PYTHONPATH (`--pass-env PYTHONPATH`): otherwise they are neither passed nor read.
 */
export function pythonFiles(python: string, withPythonPath = false): InterpreterFiles {
  const key = `${withPythonPath ? 'PYTHONPATH:' : ''}${python}`;
  let files = interpreters.get(key);
  if (!files) {
    const env = { ...process.env };
    if (!withPythonPath) delete env.PYTHONPATH;
    const r = spawnSync(python, ['-c', PROBE], { encoding: 'utf8', timeout: 60_000, env });
    if (r.status !== 0)
      throw new Error(`could not start ${python}: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { executable: string; dirs: string[] };
    const dirs = out.dirs.filter((d) => d.startsWith('/') && existsSync(d)).map((d) => realpathSync(d));
    files = { executable: out.executable, dirs: [dirname(dirname(out.executable)), ...dirs] };
    interpreters.set(key, files);
  }
  return files;
}

/** `paths` without duplicates and without those inside another one (or inside /usr, bound whole). */
export function outermost(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  const kept: string[] = [];
  for (const p of sorted) {
    const inside = (q: string) => p === q || p.startsWith(q.endsWith(sep) ? q : q + sep);
    if (inside('/usr') || kept.some(inside)) continue;
    kept.push(p);
  }
  return kept;
}

/** Whether a user other than the owner can reach `path`: every directory on the way searchable by others. */
export function readableByOthers(path: string): boolean {
  const parts = path.split(sep).filter(Boolean);
  let p = '';
  for (const [i, part] of parts.entries()) {
    p += sep + part;
    try {
      const st = statSync(p);
      const need = i === parts.length - 1 && !st.isDirectory() ? 0o004 : 0o001;
      if ((st.mode & need) === 0) return false;
    } catch {
      return false;
    }
  }
  return true;
}

let netUnshare: boolean | undefined;
/**
 * Whether the "rlimits only" fallback can still take the engine off the network: as root, `unshare --net` (util-linux)
 * gives the process an empty network namespace of its own (loopback down, no interfaces) and then execs the engine,
 * so its pid is the engine's. Asked once; false where namespaces are refused (the reason bwrap may be missing).
 */
export function netUnshareUsable(): boolean {
  if (netUnshare === undefined)
    netUnshare =
      isRoot() &&
      which('unshare') !== undefined &&
      spawnSync('unshare', ['--net', 'true'], { timeout: 5000 }).status === 0;
  return netUnshare;
}
