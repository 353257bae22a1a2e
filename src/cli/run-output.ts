/**
 * What `verify` and `check` print of a run: the progress log on stderr, then the terminal summary on stdout (the
 * verdict line, the verdict's lines, what was detected, the root causes, the sandbox, the report files, the gate).
 * The engine's text in it is escaped (src/text/escape.ts): it never starts a line of the log.
 */
import { describePrecision, type PrecisionInfo } from '../check/precision.ts';
import type { RunReport } from '../check/types.ts';
import { describeRootCauses } from '../diagnose/terminal.ts';
import { describeGate } from '../report/gate.ts';
import { assignmentSentence, loadModeSentence, terminalLines, verdictLabel } from '../report/verdict.ts';
import { termBlock, termLine } from '../text/escape.ts';

/** Whether stderr shows one updating progress line (a terminal, outside CI). */
export function progressTty(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

/**
 * The run's log on stderr: a failing check's own line only with --verbose (the root causes at the end say it once
 * per bug); the engine's text escaped, and its later lines prefixed.
 */
export function runLog(verbose: boolean): (line: string) => void {
  return (line) => {
    if (verbose || !/^(FAIL|ERROR) /.test(line)) process.stderr.write(`${termBlock(line)}\n`);
  };
}

/** Prints the end of a run: the summary on stdout, and the no-evidence line on stderr. */
export function printRun(report: RunReport, files: string[]): void {
  const s = report.summary;
  process.stdout.write(
    `dnn-verify: ${verdictLabel(report.verdict)} ${termLine(report.engine)}: ${s.pass} passed, ${s.warn ? `${s.warn} passed with warnings, ` : ''}${s.fail} failed, ${s.error} errors, ${s.skip} skipped in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  const assignment = assignmentSentence(report);
  if (assignment) process.stdout.write(`${termLine(assignment)}\n`);
  const loadMode = loadModeSentence(report);
  if (loadMode) process.stdout.write(`${termLine(loadMode)}\n`);
  const precision = report.detected.precision as PrecisionInfo | undefined;
  // a run below float64, or an engine that returns float32 somewhere, says so under the summary
  if (precision && (precision.precision !== 'float64' || Object.values(precision.functions).includes('float32')))
    process.stdout.write(`${termBlock(describePrecision(precision))}\n`);
  for (const line of terminalLines(report)) process.stdout.write(`${termBlock(line)}\n`);
  const { gradsConvention, initVariant } = report.detected;
  if (gradsConvention || initVariant)
    process.stdout.write(`detected: ${JSON.stringify({ gradsConvention, initVariant })}\n`);
  process.stdout.write(describeRootCauses(report));
  if (report.sandbox) process.stdout.write(`sandbox: ${report.sandbox}\n`);
  process.stdout.write(`reports: ${termLine(files.join(', '))}\n`);
  if (report.gate) process.stdout.write(`${describeGate(report.gate)}\n`);
  else if (report.verdict === 'error')
    process.stderr.write(`dnn-verify: no evidence: ${termLine(report.reason ?? '')}\n`);
}
