/** Writes a run's reports: report.json, junit.xml, summary.md and report.html. */
import { prepareReportDir, writeReportFile } from '../io/report-files.ts';
import type { RunReport } from '../check/types.ts';
import { renderJUnit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { renderHtml } from './html.ts';
import { rootCauses } from '../diagnose/root-cause.ts';

export function writeReports(report: RunReport, dir: string): string[] {
  prepareReportDir(dir);
  const files: [string, string][] = [
    // every check, plus the root-cause groups the other files lead with
    ['report.json', `${JSON.stringify({ ...report, rootCauses: report.rootCauses ?? rootCauses(report) }, null, 1)}\n`],
    ['junit.xml', renderJUnit(report)],
    ['summary.md', renderMarkdown(report)],
    ['report.html', renderHtml(report)],
  ];
  return files.map(([name, text]) => writeReportFile(dir, name, text));
}
