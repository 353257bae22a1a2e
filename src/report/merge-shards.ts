/** Merges the reports of `--shard i/n` runs into the report of the unsharded run. */
import type { RunReport } from '../check/types.ts';
import { count, reasonOf, verdictOf } from '../check/verdict.ts';
import { collectWarnings } from '../check/warnings.ts';

export class MergeError extends Error {
  override name = 'MergeError';
}

export function mergeReports(shards: RunReport[]): RunReport {
  if (shards.length === 0) throw new MergeError('no reports to merge');
  const first = shards[0];
  const n = first.shard?.count;
  if (!n) throw new MergeError('the first report is not from a sharded run (no "shard" field)');
  for (const s of shards) {
    if (!s.shard) throw new MergeError('a report is not from a sharded run');
    for (const k of ['engine', 'seed', 'runs'] as const) {
      if (s[k] !== first[k])
        throw new MergeError(`reports disagree on ${k}: ${JSON.stringify(first[k])} vs ${JSON.stringify(s[k])}`);
    }
    if (s.shard.count !== n) throw new MergeError(`reports come from different shard counts: ${n} vs ${s.shard.count}`);
  }
  const indices = shards.map((s) => s.shard!.index).sort((a, b) => a - b);
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !indices.includes(i));
  if (missing.length) throw new MergeError(`shards missing: ${missing.map((i) => `${i}/${n}`).join(', ')}`);
  if (new Set(indices).size !== indices.length) throw new MergeError(`a shard appears twice: ${indices.join(', ')}`);
  const checks = shards.flatMap((s) => s.checks);
  const ids = new Set<string>();
  for (const c of checks) {
    if (ids.has(c.id)) throw new MergeError(`check ${c.id} appears in two shards`);
    ids.add(c.id);
  }
  checks.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const summary = count(checks);
  // every shard saw the same engine (its functions, what loading left out) under the same --strict
  const body = {
    summary,
    warnings: collectWarnings(checks),
    missing: first.missing ?? [],
    noEvidence: shards.find((s) => s.noEvidence)?.noEvidence,
    strict: shards.some((s) => s.strict) || undefined,
  };
  return {
    verdict: verdictOf(body),
    reason: reasonOf(body),
    ...body,
    engine: first.engine,
    seed: first.seed,
    runs: first.runs,
    startedAt: shards.map((s) => s.startedAt).sort()[0],
    durationMs: shards.reduce((t, s) => Math.max(t, s.durationMs), 0),
    summary,
    detected: first.detected,
    checks,
  };
}
