/**
 * `dnn-verify [verify]`: the main job. Verifies the built-in reference engine with every check family and
 * writes the reports.
 */
import { ReferenceEngine } from '../../engine/reference-engine.ts';
import { exitCode, verifyRun } from '../../run/verify.ts';
import { parseOptions } from '../args.ts';
import { EXIT_OK } from '../errors.ts';
import { RUN_HELP, RUN_OPTIONS, runFlags } from '../run-flags.ts';
import { printRun, progressTty, runLog } from '../run-output.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, RUN_OPTIONS);
  if (values.help) {
    process.stdout.write(
      `usage: dnn-verify [verify] [options]\n\nVerifies the built-in reference engine.\n\n${RUN_HELP}`,
    );
    return EXIT_OK;
  }
  const { settings, verbose } = runFlags(values);
  const { report, files } = await verifyRun(new ReferenceEngine(), {
    ...settings,
    tty: progressTty(),
    log: runLog(verbose),
  });
  printRun(report, files);
  return exitCode(report);
}
