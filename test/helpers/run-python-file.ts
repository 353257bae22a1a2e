/**
 * Writes `src` as `dir/name` and runs an assignment's suites on it through the Python engine (seed 1, runs 3, every
 * function of the assignment): the report a test asserts on.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pythonEngine } from '../../src/adapters/index.ts';
import type { Assignment } from '../../src/check/assignment.ts';
import type { RunReport } from '../../src/check/types.ts';
import { runSuites } from '../../src/run/runner.ts';

export async function runPythonFile(
  dir: string,
  name: string,
  src: string,
  assignment: Assignment,
): Promise<RunReport> {
  const file = join(dir, name);
  writeFileSync(file, src);
  const engine = pythonEngine(file, { timeoutMs: 10_000 });
  try {
    return await runSuites(engine, assignment.reference(), assignment.suites(), {
      seed: 1,
      assignment,
      runs: 3,
      functions: assignment.functions.map((f) => f.name),
    });
  } finally {
    await engine.close();
  }
}
