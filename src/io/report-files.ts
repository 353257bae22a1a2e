/**
 * The one writer of report files (report.json, junit.xml, summary.md, report.html, results.json, grade.json,
 * gradebook.csv, class.html, class.json): folders are created and checked by the suite before any engine starts,
 * and no file is ever written through a link.
 *
 * - `prepareReportDir(dir)` creates the folder (and its missing parents) with mkdir, one level at a time, or checks
 *   the folder that is already there: a real folder (not a symlink), owned by the suite's user, not writable by
 *   others (group or world) unless the sticky bit is set; every existing ancestor must be owned by root or the
 *   suite's user and not writable by others unless sticky (else someone else could swap the folder for a link).
 *   Anything else is a `ReportDirError` naming the folder and the fix (the CLI's exit 2).
 * - `writeReportFile(dir, name, text)` writes to a fresh temporary name in that folder, opened with O_CREAT|O_EXCL|
 *   O_NOFOLLOW, then renames it over `name`; an existing `name` that is not a regular file (a symlink, a FIFO, a
 *   folder) is refused, never followed.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

export class ReportDirError extends Error {
  override name = 'ReportDirError';
}

/** The files of one run's (or one submission's) report folder. */
export const REPORT_FILES = ['report.json', 'junit.xml', 'summary.md', 'report.html', 'results.json', 'grade.json'];
/** The files of a class's report folder. */
export const CLASS_FILES = ['gradebook.csv', 'class.html', 'class.json'];

const uid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** Folders checked in this process (they cannot change hands afterwards: their ancestors are checked too). */
const checked = new Set<string>();

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReportDirError(`cannot inspect the report folder ${path}: ${(err as Error).message}`);
  }
}

/** Why a folder the suite writes into is unsafe, or undefined when it is fine. */
function unsafeFolder(path: string, st: Stats, own: boolean): string | undefined {
  if (st.isSymbolicLink())
    return `${path} is a symbolic link: reports are never written through a link (give the real folder, or a new path)`;
  if (!st.isDirectory()) return `${path} is not a folder`;
  const me = uid();
  if (me !== undefined) {
    if (own && st.uid !== me)
      return `the report folder ${path} belongs to uid ${st.uid}, not to this user (uid ${me}): remove it or give a new --report-dir`;
    if (!own && st.uid !== me && st.uid !== 0)
      return `${path}, above the report folder, belongs to uid ${st.uid}, who could replace the folder: choose a report folder elsewhere`;
  }
  if (st.mode & 0o022 && !(st.mode & 0o1000))
    return `${own ? 'the report folder ' : ''}${path}${own ? '' : ', above the report folder,'} is writable by others (mode ${(st.mode & 0o7777).toString(8)}): ${own ? `chmod go-w ${path}` : 'choose a report folder elsewhere'}`;
  return undefined;
}

/**
 * Creates or checks the report folder `dir` (see the module's comment); returns its absolute path. Call it before
 * any engine starts; `writeReportFile` calls it too (once per folder).
 */
export function prepareReportDir(dir: string, names: readonly string[] = []): string {
  const abs = preparedFolder(dir);
  // the files it will hold: each absent or a regular file (a link planted there is named, never followed)
  for (const name of names) {
    const path = join(abs, name);
    const st = lstatOrUndefined(path);
    if (st && !st.isFile())
      throw new ReportDirError(
        `${path} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: reports are never written through it; remove it (rm ${path}) or give a new --report-dir`,
      );
  }
  return abs;
}

function preparedFolder(dir: string): string {
  const abs = resolve(dir);
  if (checked.has(abs)) {
    // checked before, with its ancestors: the folder itself is looked at again (a test or a user may have
    // replaced it since)
    const st = lstatOrUndefined(abs);
    const why = st === undefined ? undefined : unsafeFolder(abs, st, true);
    if (why) throw new ReportDirError(why);
    if (st !== undefined) return abs;
    checked.delete(abs);
  }
  // the chain from / down: existing ancestors are checked, missing ones created by us with mkdir (not -p)
  const chain: string[] = [];
  for (let p = abs; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const [i, p] of chain.entries()) {
    const own = i === chain.length - 1;
    let st = lstatOrUndefined(p);
    let created = false;
    if (st === undefined) {
      try {
        mkdirSync(p, { mode: 0o755 });
        created = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new ReportDirError(`cannot create the report folder ${p}: ${(err as Error).message}`);
      }
      st = lstatOrUndefined(p);
      if (st === undefined) throw new ReportDirError(`the report folder ${p} vanished while it was being created`);
    }
    // a symlink above the folder (e.g. /tmp -> /private/tmp) is followed only if it is root's or ours and
    // cannot be replaced; the folder itself must not be a link
    if (!own && st.isSymbolicLink()) {
      const me = uid();
      if (me !== undefined && st.uid !== 0 && st.uid !== me)
        throw new ReportDirError(
          `${p}, above the report folder, is a link that belongs to uid ${st.uid}: choose a report folder elsewhere`,
        );
      continue;
    }
    // what we created ourselves is ours (and checked like the rest: the umask may have left it open)
    const why = unsafeFolder(p, st, own || created);
    if (why) throw new ReportDirError(why);
  }
  checked.add(abs);
  return abs;
}

/** Writes `text` to `dir/name` without following any link (see the module's comment); returns the path. */
export function writeReportFile(dir: string, name: string, text: string | Uint8Array): string {
  if (name.includes('/') || name === '.' || name === '..' || name === '')
    throw new ReportDirError(`not a report file name: ${JSON.stringify(name)}`);
  const folder = prepareReportDir(dir);
  const path = join(folder, name);
  const existing = lstatOrUndefined(path);
  if (existing && !existing.isFile())
    throw new ReportDirError(
      `${path} exists and is ${existing.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}: reports are never written through it (remove it)`,
    );
  const tmp = join(folder, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (err) {
    unlinkSync(tmp);
    throw err;
  }
  return path;
}

/** Removes `dir/name` if it is a regular file (a stale grade.json); a link there is left alone, never followed. */
export function removeReportFile(dir: string, name: string): void {
  const path = join(resolve(dir), name);
  if (lstatOrUndefined(path)?.isFile()) unlinkSync(path);
}

/**
 * Copies the regular files of the folder tree `from` into `to` through `writeReportFile` (grade --merge copying a
 * shard's per-submission reports): links and special files in `from` are skipped, never followed.
 */
export function copyReportTree(from: string, to: string): void {
  prepareReportDir(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const src = join(from, entry.name);
    if (entry.isDirectory()) copyReportTree(src, join(to, entry.name));
    else if (entry.isFile()) {
      const fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      try {
        const st = fstatSync(fd);
        if (!st.isFile()) continue;
        const buf = Buffer.alloc(st.size);
        let off = 0;
        for (let n = 1; off < st.size && n > 0; off += n) n = readSync(fd, buf, off, st.size - off, null);
        writeReportFile(to, entry.name, buf.subarray(0, off));
      } finally {
        closeSync(fd);
      }
    }
  }
}
