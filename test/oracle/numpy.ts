/**
 * NumPy through python3, as an oracle for tests and a peer for benchmarks. Tests that need it must skip with
 * `NUMPY_SKIP_REASON` where it is absent; committed golden files cover the rest.
 */
import { spawnSync } from 'node:child_process';

const PYTHON = process.env.DNN_VERIFY_PYTHON ?? 'python3';

let probed: { ok: boolean; version?: string; reason?: string } | undefined;

function probe() {
  if (probed) return probed;
  const r = spawnSync(PYTHON, ['-c', 'import numpy, sys; print(numpy.__version__)'], { encoding: 'utf8' });
  if (r.error) probed = { ok: false, reason: `${PYTHON} not found (${r.error.message})` };
  else if (r.status !== 0)
    probed = { ok: false, reason: `numpy is not importable by ${PYTHON}: ${r.stderr.trim().split('\n').pop()}` };
  else probed = { ok: true, version: r.stdout.trim() };
  return probed;
}

/** True when python3 with numpy can be run here. */
export function hasNumpy(): boolean {
  return probe().ok;
}

export function numpyVersion(): string | undefined {
  return probe().version;
}

/** Why NumPy-backed tests are skipped, for `it.skipIf(!hasNumpy())` messages. */
export function numpySkipReason(): string {
  const p = probe();
  return p.ok ? '' : `skipped: NumPy oracle unavailable: ${p.reason}`;
}

/**
 * Run a Python program with `input` on stdin; returns stdout as a Buffer (binary-safe).
 * Throws with the program's stderr when it fails.
 */
export function runPython(
  code: string,
  input?: string | Buffer,
  options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Buffer {
  const r = spawnSync(PYTHON, ['-c', code], {
    input,
    maxBuffer: 1 << 30,
    timeout: options.timeoutMs ?? 600_000,
    env: options.env ?? process.env,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`python3 failed (${r.status ?? r.signal}): ${r.stderr.toString().trim()}`);
  return r.stdout;
}

export { PYTHON };
