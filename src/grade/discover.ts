/**
 * Which files a `grade` run checks: files, folders (searched recursively) and quoted globs (`*`, `**`, `?`,
 * `[...]`) of .ipynb and .py files, each with a stable id (its path relative to the folder the submissions share)
 * and a directory name for its reports that is safe on any file system and unique within the class.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface Submission {
  /** path relative to the submissions' common folder, with '/' separators, e.g. "alice/W4A1.ipynb" */
  id: string;
  /** absolute path */
  file: string;
  /** directory name of its reports under DIR/submissions/ */
  dirName: string;
}

export class SubmissionError extends Error {
  override name = 'SubmissionError';
}

const EXTENSIONS = /\.(ipynb|py)$/i;
/** folders never searched: editors' and tools' droppings, not submissions */
const SKIP_DIRS = new Set(['node_modules', '__pycache__', '.ipynb_checkpoints', '.git']);
/** the course's helper and test modules sit beside notebooks; they are not submissions */
const HELPERS =
  /^(dnn_utils(_v\d+)?|dnn_app_utils(_v\d+)?|testCases(_v\d+[a-z]?)?|public_tests|test_utils|lr_utils)\.py$/;

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(path, out);
    } else if (entry.isFile() && EXTENSIONS.test(entry.name) && !HELPERS.test(entry.name)) out.push(path);
  }
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

function expandGlob(pattern: string): string[] {
  const abs = resolve(pattern).split(sep).join('/');
  const parts = abs.split('/');
  const firstWild = parts.findIndex((p) => /[*?[]/.test(p));
  const base = parts.slice(0, firstWild).join('/') || '/';
  if (!existsSync(base)) return [];
  const re = globToRegExp(abs);
  const all: string[] = [];
  walk(base, all);
  return all.filter((f) => re.test(f.split(sep).join('/')));
}

/** The submissions named by `args`, sorted by id; an argument that names nothing is an error that says so. */
export function discoverSubmissions(args: string[]): Submission[] {
  const files = new Set<string>();
  for (const arg of args) {
    if (/[*?[]/.test(arg) && !existsSync(arg)) {
      const found = expandGlob(arg);
      if (found.length === 0) throw new SubmissionError(`no .ipynb or .py file matches ${arg}`);
      for (const f of found) files.add(f);
      continue;
    }
    if (!existsSync(arg)) throw new SubmissionError(`no such file or folder: ${arg}`);
    const path = resolve(arg);
    if (statSync(path).isDirectory()) {
      const found: string[] = [];
      walk(path, found);
      if (found.length === 0) throw new SubmissionError(`the folder ${arg} holds no .ipynb or .py file`);
      for (const f of found) files.add(f);
    } else {
      if (!EXTENSIONS.test(path)) throw new SubmissionError(`${arg} is neither a .ipynb nor a .py file`);
      files.add(path);
    }
  }
  const list = [...files].sort();
  const root = commonFolder(list);
  const used = new Set<string>();
  return list.map((file) => {
    const id = relative(root, file).split(sep).join('/');
    let dirName = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
    for (let k = 2; used.has(dirName.toLowerCase()); k++) dirName = `${dirName}~${k}`;
    used.add(dirName.toLowerCase());
    return { id, file, dirName };
  });
}

function commonFolder(files: string[]): string {
  if (files.length === 0) return process.cwd();
  let root = dirname(files[0]);
  for (const f of files) while (!f.startsWith(root.endsWith(sep) ? root : root + sep)) root = dirname(root);
  return root;
}
