/**
 * A real engine checked end to end, as a maintainer gates it: `dnn-verify check --module examples/tfjs/engine.ts`
 * (TensorFlow.js, CPU backend, then wasm) with the functions it defines, default runs, in the default sandbox.
 * Wall-clock seconds of the whole command (start-up, loading TensorFlow.js, every check, the reports); one run
 * each. Skipped where the TensorFlow.js packages or the example are absent (examples/ is not in the npm package).
 * Held at float32's tolerances where the CLI has --precision; a run held to float64 fails most checks, and a
 * failing run also diagnoses and shrinks, so its time is labelled.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../paths.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const BIN = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'bin.js');
const FUNCTIONS =
  'linear_forward,sigmoid,relu,linear_activation_forward,L_model_forward,compute_cost,linear_backward,' +
  'sigmoid_backward,relu_backward,linear_activation_backward,L_model_backward,update_parameters';

export const section: BenchSection = {
  name: 'real-engines',
  async run(): Promise<BenchRow[]> {
    const example = join(PACKAGE_ROOT, 'examples', 'tfjs');
    try {
      createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('@tensorflow/tfjs');
    } catch {
      process.stderr.write('bench real-engines: @tensorflow/tfjs is not installed; section skipped\n');
      return [];
    }
    if (!existsSync(BIN) || !existsSync(example)) {
      process.stderr.write(`bench real-engines: ${existsSync(BIN) ? example : BIN} is missing; section skipped\n`);
      return [];
    }
    const help = spawnSync(process.execPath, [BIN, 'check', '--help'], { encoding: 'utf8' }).stdout;
    const precision = help.includes('--precision') ? ['--precision', 'float32'] : [];
    const rows: BenchRow[] = [];
    for (const [backend, file] of [
      ['cpu', 'engine.ts'],
      ['wasm', 'engine-wasm.ts'],
    ]) {
      const out = mkdtempSync(join(tmpdir(), 'bench-real-engines-'));
      const t0 = process.hrtime.bigint();
      const r = spawnSync(
        process.execPath,
        [BIN, 'check', '--module', join(example, file), '--functions', FUNCTIONS, '--report-dir', out, ...precision],
        { encoding: 'utf8' },
      );
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      rmSync(out, { recursive: true, force: true });
      const verdict = /dnn-verify: (\w+) module:/.exec(r.stderr + r.stdout)?.[1] ?? `exit ${r.status}`;
      rows.push({
        section: 'real-engines',
        name: `check --module examples/tfjs/${file} (${backend}${precision.length ? ', --precision float32' : ', held to float64'})`,
        ours: seconds,
        peers: {},
        extra: { verdict, goal: '< 30 s' },
        unit: 's per run',
      });
    }
    return rows;
  },
};
