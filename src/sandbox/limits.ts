/** The resource limits of a sandboxed engine: defaults, parsing of the CLI's sizes, and their names in messages. */

export interface Limits {
  /** writable private memory per engine process (RLIMIT_DATA), bytes */
  memoryBytes: number;
  /** CPU seconds the engine's processes may use while one call is pending (on top of the wall timeout) */
  cpuSecondsPerCall: number;
  /** largest file an engine process may write (RLIMIT_FSIZE); under bubblewrap the scratch dir holds 4 times it */
  fileSizeBytes: number;
  /** processes and threads the engine may run at once (RLIMIT_NPROC, counted per sandbox uid) */
  processes: number;
  /** bytes of output (stdout + stderr) the suite reads for one call; more is a breach */
  outputBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  memoryBytes: 2 * 1024 ** 3,
  cpuSecondsPerCall: 20,
  fileSizeBytes: 64 * 1024 ** 2,
  processes: 64,
  outputBytes: 256 * 1024 ** 2,
};

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** "2G", "512M", "1.5GiB", "65536" -> bytes; undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Math.round(Number(m[1]) * UNITS[m[2].toUpperCase()]);
  return bytes > 0 ? bytes : undefined;
}

/** 2147483648 -> "2 GiB", 1536 MiB -> "1.5 GiB", 1000 -> "1000 B". */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [
    ['TiB', 1024 ** 4],
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}

export type LimitName = 'memory' | 'cpu' | 'file size' | 'process' | 'output';

/** How a breach is named in a fault message: "memory limit 2 GiB exceeded in compute_cost". */
export function describeBreach(limit: LimitName, limits: Limits, fn: string): string {
  const value = {
    memory: formatSize(limits.memoryBytes),
    cpu: `${limits.cpuSecondsPerCall} s`,
    'file size': formatSize(limits.fileSizeBytes),
    process: String(limits.processes),
    output: formatSize(limits.outputBytes),
  }[limit];
  return `${limit === 'cpu' ? 'CPU time' : limit} limit ${value} exceeded in ${fn}`;
}

/**
 * Which limit, if any, an engine's error text shows it ran into: Python's MemoryError, errno texts of failed
 * writes and forks, Node's out-of-memory aborts. `signal` is how the process died, when it did.
 */
export function breachIn(text: string, signal?: string | null): LimitName | undefined {
  if (signal === 'SIGXFSZ' || /\bFile too large\b|\bEFBIG\b|No space left on device|\bENOSPC\b/.test(text))
    return 'file size';
  if (signal === 'SIGXCPU') return 'cpu';
  if (
    /\bMemoryError\b|Cannot allocate memory|\bENOMEM\b|out of memory|bad_alloc|Array buffer allocation failed/i.test(
      text,
    )
  )
    return 'memory';
  if (/Resource temporarily unavailable|\bEAGAIN\b|can't start new thread|fork: retry/i.test(text)) return 'process';
  return undefined;
}
