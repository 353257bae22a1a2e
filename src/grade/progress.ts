/**
 * Progress over submissions: on a terminal one updating line with a bar, counts and the ETA (from the mean time
 * per finished submission and the jobs in flight); in CI or a pipe one plain line per finished submission.
 * Written to stderr, as the runner's progress is (src/run/runner.ts). A submission's id (its file name) is shown
 * with its control characters visible and CI commands defused (src/text/escape.ts).
 */
import { termLine } from '../text/escape.ts';

export interface Progress {
  done(id: string, outcome: string, ms: number): void;
  finish(): void;
}

export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** The bar line, e.g. "[#####-----] 50/100  skipped 3  ETA 00:31  alice.ipynb FAIL 70/100". */
export function barLine(done: number, total: number, skipped: number, etaMs: number, last: string, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${skipped ? `  skipped ${skipped}` : ''}  ETA ${formatEta(etaMs)}  ${last}`;
}

/**
 * `text` within `max` code points: the start and the end kept (a student's folder and the file), the middle
 * replaced by '…'; never cut inside a character.
 */
export function shortenMiddle(text: string, max: number): string {
  const cps = Array.from(text);
  if (cps.length <= max) return text;
  const head = Math.ceil((max - 1) / 2);
  const tail = max - 1 - head;
  return `${cps.slice(0, head).join('')}…${tail > 0 ? cps.slice(-tail).join('') : ''}`;
}

/**
 * A submission as a progress line names it, within `max` code points: the student's name whole (an LMS folder's or
 * file name's) and the file's path cut in the middle; without a student, the file name whole and the folders cut.
 * Only what does not fit otherwise is cut in the middle.
 */
export function progressName(id: string, student?: string, max = 64): string {
  if (student && student !== id) {
    const name = shortenMiddle(student, Math.max(16, max - 14));
    const room = Math.max(10, max - Array.from(name).length - 3);
    return `${name} (${shortenMiddle(id, room)})`;
  }
  if (Array.from(id).length <= max) return id;
  const slash = id.lastIndexOf('/');
  const file = id.slice(slash + 1);
  const fileLen = Array.from(file).length;
  if (slash < 0 || fileLen > max - 6) return shortenMiddle(id, max);
  return `${shortenMiddle(id.slice(0, slash), max - fileLen - 1)}/${file}`;
}

export function progress(
  total: number,
  options: { tty: boolean; jobs: number; write: (s: string) => void; skipped?: number },
): Progress {
  const t0 = performance.now();
  let done = 0;
  let graded = 0;
  const skipped = options.skipped ?? 0;
  if (options.tty && total > 0) options.write(`\r\x1b[K${barLine(0, total, skipped, Number.NaN, 'starting')}`);
  return {
    done(id, outcome, ms) {
      done++;
      if (ms >= 0) graded++;
      const elapsed = performance.now() - t0;
      // wall time per submission so far, with the jobs in parallel
      const eta = graded ? (elapsed / graded) * (total - done) : Number.NaN;
      const last = `${termLine(shortenMiddle(id, 96))} ${termLine(outcome)}`;
      if (options.tty) options.write(`\r\x1b[K${barLine(done, total, skipped, eta, last)}`);
      else
        options.write(
          `[${done}/${total}] ${last}${ms >= 0 ? ` (${(ms / 1000).toFixed(1)} s)` : ' (unchanged, skipped)'}\n`,
        );
    },
    finish() {
      if (options.tty) options.write('\n');
    },
  };
}
