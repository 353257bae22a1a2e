/**
 * Which files a `grade` run checks: files, folders (searched recursively) and quoted globs (`*`, `**`, `?`,
 * `[...]`) of .ipynb and .py files, each with a stable id (its path relative to the folder the submissions share)
 * and a directory name for its reports that is safe on any file system and unique within the class.
 *
 * Nothing is read here: a candidate that is a link, a FIFO, a device or a socket is listed with the folder it
 * was found in (`folder`), and `checkInputFile` (src/io/input-files.ts) decides, before anything reads it, whether
 * it is graded or becomes an error row of its own. Links to folders are not followed.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { groupByStudent } from './students.ts';

export interface Submission {
  /** path relative to the submissions' common folder, with '/' separators, e.g. "alice/W4A1.ipynb" */
  id: string;
  /** absolute path */
  file: string;
  /** directory name of its reports under DIR/submissions/ */
  dirName: string;
  /** the class folder it was found in (a folder or glob argument, or the common folder of file arguments) */
  folder: string;
  /** why it cannot be graded, known at discovery (a folder that could not be listed) */
  problem?: string;
  /** the student it belongs to (src/grade/students.ts): a folder of the class, an LMS file-name prefix, or the file */
  student?: string;
  /** the student's other notebooks/modules, not graded (ids), when their folder held more than one */
  others?: string[];
}

export interface DiscoverOptions {
  /**
   * 'students' (default): a folder of the class folder is one student, graded once (one notebook chosen by
   * `chooseSubmission`); LMS file names (Canvas) group a flat folder by student. 'files': every file is a row.
   */
  layout?: 'students' | 'files';
}

export class SubmissionError extends Error {
  override name = 'SubmissionError';
}

const EXTENSIONS = /\.(ipynb|py)$/i;
/** folders never searched: editors' and tools' droppings, not submissions */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', '.ipynb_checkpoints', '.git', '__MACOSX']);
/** the course's helper and test modules sit beside notebooks; they are not submissions */
const HELPERS =
  /^(dnn_utils(_v\d+)?|dnn_app_utils(_v\d+)?|testCases(_v\d+[a-z]?)?|public_tests|test_utils|lr_utils)\.py$/;

/**
 * Candidates under `dir`: every non-folder entry named *.ipynb / *.py (links and special files included, to be
 * refused with a reason by the checks), folders searched but links to folders not followed. A folder that cannot
 * be listed is reported in `problems`.
 */
function walk(dir: string, out: string[], problems?: Map<string, string>): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (!problems) throw err;
    problems.set(`${dir}${sep}`, `the folder ${dir} could not be listed (${(err as NodeJS.ErrnoException).code})`);
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, out, problems);
    } else if (EXTENSIONS.test(entry.name) && !HELPERS.test(entry.name)) out.push(path);
  }
}

/** Bytes of a report folder's name (file systems allow 255; room is left for a "~N" suffix). */
export const DIR_NAME_BYTES = 200;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** The longest prefix (from the left) or suffix of `s` within `max` bytes, cut between code points. */
function fitBytes(s: string, max: number, fromEnd: boolean): string {
  const cps = Array.from(s);
  let out = '';
  let used = 0;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[fromEnd ? cps.length - 1 - i : i];
    used += bytes(c);
    if (used > max) break;
    out = fromEnd ? c + out : out + c;
  }
  return out;
}

/**
 * A report folder name for a submission id: letters and digits of any script kept (Unicode intact, NFC), path
 * separators and anything else that is not a letter, digit, mark, '.', '_', '-' become '_', no leading dot (so
 * never '.' or '..'); longer than DIR_NAME_BYTES bytes, the middle is replaced by a short hash of the whole id.
 */
export function safeDirName(id: string): string {
  let name = id
    .normalize('NFC')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '_');
  if (bytes(name) > DIR_NAME_BYTES) {
    const tag = `~${createHash('sha256').update(id).digest('hex').slice(0, 8)}~`;
    const half = Math.floor((DIR_NAME_BYTES - tag.length) / 2);
    name = `${fitBytes(name, half, false)}${tag}${fitBytes(name, half, true)}`;
  }
  return name || '_';
}

/** A glob as a regular expression over '/'-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // '**/' matches any number of folders, including none
      re += glob[i + 2] === '/' ? '(?:[^/]*/)*' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function expandGlob(pattern: string): { base: string; files: string[]; problems: Map<string, string> } {
  const abs = resolve(pattern).split(sep).join('/');
  const parts = abs.split('/');
  const firstWild = parts.findIndex((p) => /[*?[]/.test(p));
  const base = parts.slice(0, firstWild).join('/') || '/';
  if (!existsSync(base)) return { base, files: [], problems: new Map() };
  const re = globToRegExp(abs);
  const all: string[] = [];
  const problems = new Map<string, string>();
  walk(base, all, problems);
  return { base, files: all.filter((f) => re.test(f.split(sep).join('/'))), problems };
}

/** The submissions named by `args`, sorted by id; an argument that names nothing is an error that says so. */
export function discoverSubmissions(args: string[], options: DiscoverOptions = {}): Submission[] {
  /** file -> the class folder it was found in */
  const files = new Map<string, string>();
  const problems = new Map<string, string>();
  const given: string[] = [];
  for (const arg of args) {
    if (/[*?[]/.test(arg) && !existsSync(arg)) {
      const found = expandGlob(arg);
      if (found.files.length === 0 && found.problems.size === 0)
        throw new SubmissionError(`no .ipynb or .py file matches ${arg}`);
      for (const f of found.files) if (!files.has(f)) files.set(f, found.base);
      for (const [k, v] of found.problems) problems.set(k, v);
      continue;
    }
    // a dangling link given on the command line is named as such by the checks, not here
    if (!existsSync(arg) && !isLink(arg)) throw new SubmissionError(`no such file or folder: ${arg}`);
    const path = resolve(arg);
    if (existsSync(path) && statSync(path).isDirectory()) {
      const found: string[] = [];
      const before = problems.size;
      walk(path, found, problems);
      if (found.length === 0 && problems.size === before)
        throw new SubmissionError(`the folder ${arg} holds no .ipynb or .py file`);
      for (const f of found) if (!files.has(f)) files.set(f, path);
    } else {
      if (!EXTENSIONS.test(path)) throw new SubmissionError(`${arg} is neither a .ipynb nor a .py file`);
      given.push(path);
    }
  }
  // files named one by one (a shell's glob): their class folder is the folder they share
  const givenFolder = commonFolder(given);
  for (const f of given) if (!files.has(f)) files.set(f, givenFolder);
  const list = [...files.keys(), ...problems.keys()].sort();
  const root = commonFolder(list.map((f) => (f.endsWith(sep) ? f.slice(0, -1) : f)));
  const used = new Set<string>();
  const all: Submission[] = list.map((file) => {
    const id = relative(root, file).split(sep).join('/') + (file.endsWith(sep) ? '/' : '');
    const dirName = uniqueName(safeDirName(id), used);
    const problem = problems.get(file);
    return problem !== undefined
      ? { id, file, dirName, folder: root, problem }
      : { id, file, dirName, folder: files.get(file)! };
  });
  return options.layout === 'files' ? all.map((s) => ({ ...s, student: s.id })) : groupByStudent(all, sizeOf);
}

function sizeOf(file: string): number {
  try {
    return lstatSync(file).size;
  } catch {
    return 0;
  }
}

/** `name`, or `name~2`, `name~3`, ... : unique (ignoring case) among `used`, which it joins. */
function uniqueName(name: string, used: Set<string>): string {
  let out = name;
  for (let k = 2; used.has(out.toLowerCase()); k++) out = `${name}~${k}`;
  used.add(out.toLowerCase());
  return out;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function commonFolder(files: string[]): string {
  if (files.length === 0) return process.cwd();
  let root = dirname(files[0]);
  for (const f of files) while (!f.startsWith(root.endsWith(sep) ? root : root + sep)) root = dirname(root);
  return root;
}
