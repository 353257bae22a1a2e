/**
 * The environment of a sandboxed engine is an allowlist: what a shell, Python and NumPy/OpenBLAS need to start
 * and to compute the same bits as outside. Everything else (tokens, keys, the grader's settings) stays out;
 * `--pass-env NAME` adds a variable by name.
 */

/** Passed when set in the suite's environment. */
const ALLOWED = [
  'PATH',
  'LANG',
  'LANGUAGE',
  'TZ',
  // Python's own switches (no paths to secrets)
  'PYTHONUNBUFFERED',
  'PYTHONDONTWRITEBYTECODE',
  'PYTHONHASHSEED',
  'PYTHONIOENCODING',
  // not PYTHONPATH: its folders would be importable (and, under bubblewrap, bound) for every engine; --pass-env
  // PYTHONPATH passes it and makes them readable
  'PYTHONHOME',
  // NumPy's BLAS: the kernel choice and cache size (needed on some CPUs), thread counts
  'OPENBLAS_CORETYPE',
  'OPENBLAS_L2_SIZE',
  'OPENBLAS_NUM_THREADS',
  'OPENBLAS_VERBOSE',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'NUMEXPR_NUM_THREADS',
  'NPY_DISABLE_CPU_FEATURES',
];

/** Names passed by prefix: the locale categories. */
const ALLOWED_PREFIXES = ['LC_'];

/** A variable name as `--pass-env` accepts it. */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/**
 * The engine's environment: the allowlist and `passEnv` taken from `from`, then `fixed` (HOME, TMPDIR, ...)
 * on top.
 */
export function sandboxEnv(
  from: NodeJS.ProcessEnv,
  passEnv: readonly string[],
  fixed: Record<string, string>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (ALLOWED.includes(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p)) || passEnv.includes(name))
      env[name] = value;
  }
  return { ...env, ...fixed };
}
