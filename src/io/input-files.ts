/**
 * Checks an input file (a submission, an engine module) before anything reads it: a regular file (FIFOs, devices,
 * sockets and folders refused), no larger than a cap, and, when a folder is given, inside that folder once every
 * link is resolved (a link given on the command line, or one in the class folder, that leads out of it is refused:
 * the suite may be able to read what the submitter must not). The file is opened once with O_NOFOLLOW|O_NONBLOCK
 * (a FIFO cannot hang the open) and fstat'd through that descriptor, so that what is checked is what is read; its
 * SHA-256 is computed from bounded chunked reads (never a whole-file read of unbounded size).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve, sep } from 'node:path';
import { formatSize } from '../sandbox/limits.ts';

/** The default cap on an input file (a notebook with its outputs is rarely above a few MiB). */
export const DEFAULT_INPUT_LIMIT = 20 * 1024 ** 2;

export class InputError extends Error {
  override name = 'InputError';
}

export interface CheckedInput {
  /** the file's real path (links inside the folder resolved): what the engine is given */
  path: string;
  size: number;
  /** hex SHA-256 of the bytes */
  sha256: string;
}

function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * Checks `file` (see the module's comment) and returns its real path, size and hash; an `InputError` says what is
 * wrong in one line that names the file (never the target of a link, nor any of its content).
 */
export function checkInputFile(
  file: string,
  options: { folder?: string; maxBytes?: number; optionName?: string; name?: string } = {},
): CheckedInput {
  const maxBytes = options.maxBytes ?? DEFAULT_INPUT_LIMIT;
  // how messages name the file (grade: the submission's id, not the grader's paths)
  const shown = options.name ?? file;
  const abs = resolve(file);
  let link: boolean;
  try {
    link = lstatSync(abs).isSymbolicLink();
  } catch (err) {
    throw new InputError(`${shown} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let real: string;
  try {
    real = realpathSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      link ? `${shown} is a symbolic link that leads nowhere (${code})` : `${shown} cannot be read: ${code}`,
    );
  }
  if (options.folder !== undefined) {
    let folder: string;
    try {
      folder = realpathSync(options.folder);
    } catch {
      folder = resolve(options.folder);
    }
    if (!inside(real, folder))
      throw new InputError(
        `${shown} ${link ? 'is a symbolic link to a file' : 'lies, through a linked folder,'} outside the class folder${options.name === undefined ? ` ${options.folder}` : ''}: links are not followed out of it (copy the file in if it is a submission)`,
      );
  }
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    throw new InputError(`${shown} cannot be opened: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${shown} is ${kindOf(st)}, not a regular file: not read`);
    const limitText = `${formatSize(maxBytes)}${options.optionName ? ` (${options.optionName})` : ''}`;
    if (st.size > maxBytes)
      throw new InputError(`${shown} is ${formatSize(st.size)}, over the input limit of ${limitText}: not read`);
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(Math.min(1024 ** 2, maxBytes + 1));
    let size = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      size += n;
      // the file grew while it was read
      if (size > maxBytes) throw new InputError(`${shown} grew over the input limit of ${limitText} while it was read`);
      hash.update(chunk.subarray(0, n));
    }
    return { path: real, size, sha256: hash.digest('hex') };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${shown} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}
