/** `dnn-verify merge SHARD/report.json... [--out DIR] [--baseline FILE]`: one verdict from sharded runs. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '../args.ts';
import { UsageError, EXIT_FAILURES, EXIT_OK, EXIT_USAGE } from '../errors.ts';
import { exitCodeOf } from '../../run/runner.ts';
import { terminalLines, verdictLabel } from '../../report/verdict.ts';
import { mergeReports, MergeError } from '../../report/merge-shards.ts';
import { writeReports } from '../../report/index.ts';
import { describeGate, gate } from '../../report/gate.ts';
import type { RunReport } from '../../check/types.ts';
import { ClassMergeError, mergeClassDirs } from '../../grade/merge-class.ts';
import { pointsFor } from '../../grade/points.ts';
import { termBlock, termLine } from '../../text/escape.ts';
import { readReport } from '../run-flags.ts';
import { assignmentById } from '../../assignments/index.ts';
import { rootCauses } from '../../diagnose/root-cause.ts';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { out: { type: 'string' }, baseline: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help || positionals.length === 0) {
    process.stdout.write(
      'usage: dnn-verify merge SHARD_DIR/report.json ... [--out DIR] [--baseline report.json]\n       dnn-verify merge GRADE_SHARD_DIR ... [--out DIR]   (report dirs of grade --shard runs; see grade --merge)\n',
    );
    return values.help ? EXIT_OK : 2;
  }
  // report dirs of `grade --shard` runs (each with a class.json): one gradebook, as `grade --merge` makes
  if (positionals.every((p) => existsSync(join(p, 'class.json')))) {
    try {
      const files = mergeClassDirs(positionals, values.out ?? join(process.cwd(), 'grades'), (a) => pointsFor(a));
      process.stdout.write(
        `dnn-verify merge: ${positionals.length} grade shards\nclass: ${termLine(files.join(', '))}\n`,
      );
      return EXIT_OK;
    } catch (err) {
      if (err instanceof ClassMergeError) throw new UsageError(err.message);
      throw err;
    }
  }
  let merged: RunReport;
  try {
    merged = mergeReports(positionals.map(readReport));
  } catch (err) {
    if (err instanceof MergeError) throw new UsageError(err.message);
    throw err;
  }
  // the root causes follow the shards' assignment's call graph (week 4's catalogue for reports of before)
  const assignment = assignmentById(String((merged.detected.assignment as { id?: unknown } | undefined)?.id));
  merged.rootCauses = assignment ? rootCauses(merged, assignment) : rootCauses(merged);
  const files = writeReports(merged, values.out ?? join(process.cwd(), 'reports'));
  const s = merged.summary;
  process.stdout.write(
    `dnn-verify merge: ${verdictLabel(merged.verdict)} ${termLine(merged.engine)}: ${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped from ${positionals.length} shards\n`,
  );
  for (const line of terminalLines(merged)) process.stdout.write(`${termBlock(line)}\n`);
  process.stdout.write(`reports: ${termLine(files.join(', '))}\n`);
  if (values.baseline) {
    const g = gate(merged, readReport(values.baseline));
    process.stdout.write(`${describeGate(g)}\n`);
    return g.passed ? EXIT_OK : merged.verdict === 'error' ? EXIT_USAGE : EXIT_FAILURES;
  }
  // the one verdict rule and its exit codes, as for an unsharded run
  return exitCodeOf(merged.verdict);
}
