/**
 * Replays aim at the user's engine: the cli line re-runs the failing function's checks on the same module (not
 * the reference engine, which passes), a JavaScript engine gets a js snippet that runs as written, and no
 * message cites a path of the project's own corpus (shared/seeds/...) or "line undefined".
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyEngine } from '../index.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import type { Value } from '../engine/engine.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const PROPERTY = 'property/relu_backward/zero-exactly-where-Z-<=-0';

describe('replays', () => {
  it('a module engine: the cli line names the module, and the js snippet runs and calls the engine', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const report = await verifyEngine(join(ROOT, 'fixtures/engines/js/relu/leaky.ts'), {
        runs: 10,
        seed: 3,
        functions: ['relu_backward'],
      });
      const property = report.checks.find((c) => c.id === PROPERTY)!;
      const replay = property.counterexample!.replay!;
      expect(replay.cli).toBe(
        'dnn-verify check --module ./fixtures/engines/js/relu/leaky.ts --functions relu_backward --seed 3 --runs 10',
      );
      expect(replay.js).toMatch(
        /^import \{ NDArray \} from 'dnn-verify\/tensor';\nimport \* as engine from ".\/fixtures\/engines\/js\/relu\/leaky.ts";\n/,
      );
      expect(replay.js).toMatch(/\nconsole\.log\(await engine\.relu_backward\(dA, Z\)\);$/);
      // the snippet, run as written beside the package (dnn-verify/tensor resolves to this package's dist/)
      const file = join(ROOT, `replay-${process.pid}.mts`);
      writeFileSync(file, replay.js!.replace("'dnn-verify/tensor'", "'./src/tensor/ndarray.ts'"));
      try {
        const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.stdout).toMatch(/NDArray/);
        // the leaky engine's answer, shown by the replay: 0.01·dA where Z <= 0
        const dA = (property.counterexample!.inputs as { dA: { data: number[] } }).dA.data;
        expect(run.stdout).toContain(String(0.01 * dA[0]));
      } finally {
        rmSync(file, { force: true });
      }
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);

  it('an object of functions: no cli line that would check another engine; the reference: dnn-verify verify', async () => {
    const ref = new ReferenceEngine();
    const planted = {
      linear_forward: async (A: NDArray, W: NDArray, b: NDArray) => {
        const [Z] = (await ref.call('linear_forward', [A, W, NDArray.zeros([...b.shape])])) as Value[];
        return [Z, [A, W, b]];
      },
    };
    const report = await verifyEngine(planted, { runs: 5, functions: ['linear_forward'] });
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.length).toBeGreaterThan(3);
    for (const c of failed) {
      expect(c.counterexample?.replay?.cli, c.id).toBeUndefined();
      const text = JSON.stringify(c);
      expect(text, c.id).not.toMatch(/shared\/seeds|undefined|dnn-verify verify/);
    }
    expect(failed.some((c) => c.counterexample?.replay?.js?.includes('engine.linear_forward(A, W, b)'))).toBe(true);
  });
});
