// Verdict accuracy of the week-2 assignment (src/assignments/logistic) on a corpus of real submissions (issue 19).
//
//   node --import tsx scripts/logistic-corpus.ts --corpus /work/corpus/week2/manifest.json [--only id,id] [--load auto|module|notebook] [--out FILE.md]
//
// The corpus is other people's code and lives outside the repository; only this script and its results table are
// committed. Each entry is labelled correct, buggy or incomplete (the course's tests for its version, a NumPy
// reference, reading the code). Until the registry and detection land, the suite is run directly
// (runSuites(engine, assignment.reference(), assignment.suites())) through the Python engine, unsandboxed.
// A verdict is right when: correct -> pass or warn; buggy -> fail, blamed on a labelled function;
// incomplete -> incomplete or fail.
import { readFileSync, writeFileSync } from 'node:fs';
import { pythonEngine } from '../src/adapters/index.ts';
import { runSuites } from '../src/run/runner.ts';
import { assignment } from '../src/assignments/logistic/index.ts';
import type { RunReport } from '../src/check/types.ts';

interface Entry {
  id: string;
  repo: string;
  commit: string;
  path: string;
  file: string;
  version: string;
  format: string;
  label: string;
  bugs: { function: string; what: string }[];
  quirks: string[];
  grader: { verdict: string };
}

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const entries = (
  JSON.parse(readFileSync(arg('--corpus') ?? '/work/corpus/week2/manifest.json', 'utf8')) as Entry[]
).filter((e) => !arg('--only') || arg('--only')!.split(',').includes(e.id));
const NAMES = assignment.functions.map((f) => f.name);

function blamed(r: RunReport): string[] {
  const failing = new Set(r.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.function));
  for (const m of r.missing ?? []) failing.add(m.function);
  return [...failing].filter((f) => !(assignment.calls[f] ?? []).some((g) => failing.has(g)));
}

async function one(e: Entry) {
  const engine = pythonEngine(e.file, {
    timeoutMs: 10_000,
    load: (arg('--load') ?? 'auto') as 'auto' | 'module' | 'notebook',
  });
  try {
    const r = await runSuites(engine, assignment.reference(), assignment.suites(), {
      seed: 1,
      runs: 10,
      functions: NAMES,
    });
    const kind = e.label.split(':')[0];
    const roots = blamed(r);
    const labelled = new Set(e.bugs.map((b) => b.function));
    const right =
      kind === 'correct'
        ? r.verdict === 'pass' || r.verdict === 'warn'
        : kind === 'buggy'
          ? r.verdict === 'fail' && roots.some((f) => labelled.has(f))
          : r.verdict === 'incomplete' || r.verdict === 'fail';
    const why =
      r.rootCauses?.map((c) => c.headline).join(' / ') ||
      r.reason ||
      (r.warnings ?? []).map((w) => `${w.kind}: ${w.function}`).join(', ');
    return { e, kind, verdict: r.verdict, right, roots, why, warnings: (r.warnings ?? []).map((w) => w.kind) };
  } finally {
    await engine.close();
  }
}

const rows: Awaited<ReturnType<typeof one>>[] = [];
for (const e of entries) {
  const o = await one(e);
  rows.push(o);
  console.error(
    `${o.right ? 'right' : 'WRONG'} ${e.id} (${e.version}, ${o.kind}, grader ${e.grader.verdict}): ${o.verdict} ${o.roots.join(',')} ${o.why.slice(0, 200)}`,
  );
}
const right = rows.filter((r) => r.right).length;
const by = (k: string) => rows.filter((r) => r.kind === k);
const head = `${right}/${rows.length} verdicts right (correct ${by('correct').filter((r) => r.right).length}/${by('correct').length}, buggy ${by('buggy').filter((r) => r.right).length}/${by('buggy').length}, incomplete ${by('incomplete').filter((r) => r.right).length}/${by('incomplete').length}); the course grader's verdict agrees with the label on ${rows.filter((r) => (r.kind === 'correct') === (r.e.grader.verdict === 'pass')).length}/${rows.length}`;
console.log(head);
const out = arg('--out');
if (out) {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  writeFileSync(
    out,
    [
      '# Week 2 (logistic regression): verdicts on real submissions',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`node --import tsx scripts/logistic-corpus.ts --corpus /work/corpus/week2/manifest.json --out ${out}\` (seed 1, runs 10, the Python engine unsandboxed). The corpus (65 files from 60 public repositories, labelled by the course's tests for each version, a NumPy reference and a reading of the code) stays outside the repository.`,
      '',
      `**${head}.**`,
      '',
      '| repository | commit | path | version | label | course grader | ours | right | blamed: headline |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.e.repo} | ${r.e.commit.slice(0, 10)} | ${esc(r.e.path)} | ${r.e.version} | ${r.kind} | ${r.e.grader.verdict} | ${r.verdict}${r.warnings.length ? ` (${[...new Set(r.warnings)].join(', ')})` : ''} | ${r.right ? 'yes' : '**no**'} | ${esc(r.why.slice(0, 220))} |`,
      ),
      '',
    ].join('\n'),
  );
}
