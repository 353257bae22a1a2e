/** Timing helpers shared by the bench sections: best-of-N wall time for ours, and NumPy timed inside python3. */
import { runPython, hasNumpy } from '../../test/oracle/numpy.ts';

/** Best of `repeats` wall-clock seconds for fn(). */
export function bestOf(repeats: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/**
 * Best-of time of a NumPy statement, measured inside python3 with perf_counter (`setup` runs once).
 * OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are unset for this subprocess only: they are set on some machines here
 * as a workaround for old OpenBLAS builds and slow a current numpy down.
 */
export function numpyBestOf(setup: string, stmt: string, repeats: number): number | undefined {
  if (!hasNumpy()) return undefined;
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const code = `
import time, numpy as np
${setup}
best = float('inf')
for _ in range(${repeats}):
    t0 = time.perf_counter()
    ${stmt}
    best = min(best, time.perf_counter() - t0)
print(best)
`;
  return Number(runPython(code, undefined, { env }).toString().trim());
}
