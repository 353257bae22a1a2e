/** The sandbox's command-line options (for `check`, and for any command that runs engines, e.g. `grade`). */
import { UsageError } from './errors.ts';
import { isEnvName } from '../sandbox/env.ts';
import { DEFAULT_LIMITS, formatSize, parseSize, type Limits } from '../sandbox/limits.ts';
import type { SandboxMode, SandboxOptions } from '../sandbox/sandbox.ts';

export const SANDBOX_OPTIONS = {
  sandbox: { type: 'string' },
  'pass-env': { type: 'string', multiple: true },
  'memory-limit': { type: 'string' },
  'cpu-limit': { type: 'string' },
  'file-size-limit': { type: 'string' },
  'process-limit': { type: 'string' },
  'output-limit': { type: 'string' },
} as const;

const d = DEFAULT_LIMITS;
export const SANDBOX_HELP = `  --sandbox MODE     how engine processes are contained: auto (default: bwrap where it works, else rlimits),
                     bwrap (bubblewrap: namespaces, read-only files, no network; fails if unusable),
                     rlimits (resource limits, an environment allowlist, a uid of its own as root),
                     none (the explicit opt-out: the engine runs with the suite's rights and environment)
  --pass-env NAME    pass this environment variable to the engine (repeatable; the default is an allowlist)
  --memory-limit SIZE       writable memory per engine process (default ${formatSize(d.memoryBytes).replace(' ', '')})
  --cpu-limit SECONDS       CPU time of the engine's processes per call (default ${d.cpuSecondsPerCall}), on top of --timeout
  --file-size-limit SIZE    largest file the engine may write (default ${formatSize(d.fileSizeBytes).replace(' ', '')})
  --process-limit N         processes and threads the engine may run (default ${d.processes})
  --output-limit SIZE       bytes of output read for one call (default ${formatSize(d.outputBytes).replace(' ', '')})
                     A breach is an error on the function called ("memory limit 2 GiB exceeded in compute_cost").
`;

/** The SandboxOptions the command line asks for; `hide` the directories the engine must not see. */
export function sandboxOptions(values: Record<string, unknown>, hide: string[]): SandboxOptions {
  const mode = (values.sandbox ?? 'auto') as string;
  if (!['auto', 'bwrap', 'rlimits', 'none'].includes(mode))
    throw new UsageError(`--sandbox must be auto, bwrap, rlimits or none, got '${mode}'`);
  const passEnv = (values['pass-env'] as string[] | undefined) ?? [];
  for (const name of passEnv)
    if (!isEnvName(name)) throw new UsageError(`--pass-env takes a variable name, got '${name}'`);
  const limits: Partial<Limits> = {};
  const size = (flag: string, key: 'memoryBytes' | 'fileSizeBytes' | 'outputBytes') => {
    const v = values[flag];
    if (v === undefined) return;
    const bytes = parseSize(String(v));
    if (bytes === undefined) throw new UsageError(`--${flag} takes a size such as 2G or 512M, got '${v}'`);
    limits[key] = bytes;
  };
  size('memory-limit', 'memoryBytes');
  size('file-size-limit', 'fileSizeBytes');
  size('output-limit', 'outputBytes');
  if (values['cpu-limit'] !== undefined) {
    const s = Number(values['cpu-limit']);
    if (!(s > 0)) throw new UsageError(`--cpu-limit takes seconds > 0, got '${values['cpu-limit']}'`);
    limits.cpuSecondsPerCall = s;
  }
  if (values['process-limit'] !== undefined) {
    const n = String(values['process-limit']);
    if (!/^\d+$/.test(n) || Number(n) < 1) throw new UsageError(`--process-limit takes an integer >= 1, got '${n}'`);
    limits.processes = Number(n);
  }
  return { mode: mode as SandboxMode, passEnv, limits, hide };
}
