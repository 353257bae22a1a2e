/**
 * One gradebook from the report dirs of `grade --shard i/n` runs: the shards must come from the same options and
 * shard count, each index once, no submission twice. Each shard's per-submission reports are copied under the
 * merged dir, so that class.html's links work there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { copyReportTree } from '../io/report-files.ts';
import { join, resolve } from 'node:path';
import type { ClassState } from './state.ts';
import type { ClassPoints, Points } from './points.ts';
import { DEFAULT_POLICY, type GradingPolicy } from './policy.ts';
import { rescore, writeClassFiles } from './index.ts';

export class ClassMergeError extends Error {
  override name = 'ClassMergeError';
}

export function readClassState(dir: string): ClassState {
  const path = join(dir, 'class.json');
  if (!existsSync(path)) throw new ClassMergeError(`${dir} has no class.json (is it the --report-dir of a grade run?)`);
  let state: ClassState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as ClassState;
  } catch {
    throw new ClassMergeError(`${path} is not JSON`);
  }
  if (state.format !== 'dnn-verify-class/1' || !Array.isArray(state.rows))
    throw new ClassMergeError(`${path} is not a dnn-verify class.json`);
  return state;
}

export function mergeClassStates(states: { dir: string; state: ClassState }[]): ClassState {
  if (states.length === 0) throw new ClassMergeError('no shard to merge');
  const first = states[0].state;
  const count = first.shard?.count;
  if (count === undefined) throw new ClassMergeError(`${states[0].dir} is not a shard (it was graded without --shard)`);
  const seen = new Set<number>();
  for (const { dir, state } of states) {
    if (state.optionsHash !== first.optionsHash)
      throw new ClassMergeError(
        `${dir} was graded with other options (seed, runs, timeout, ...) than ${states[0].dir}`,
      );
    if (state.shard?.count !== count)
      throw new ClassMergeError(
        `${dir} is shard ${state.shard ? `${state.shard.index}/${state.shard.count}` : '(none)'}, not one of ${count}`,
      );
    if (state.total !== first.total)
      throw new ClassMergeError(
        `${dir} was given ${state.total} submissions, ${states[0].dir} ${first.total}: not the same class`,
      );
    if (seen.has(state.shard.index)) throw new ClassMergeError(`shard ${state.shard.index}/${count} is given twice`);
    seen.add(state.shard.index);
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length)
    throw new ClassMergeError(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${count} missing`);
  const ids = new Set<string>();
  const rows = states.flatMap(({ state }) => state.rows);
  for (const r of rows) {
    if (ids.has(r.id)) throw new ClassMergeError(`submission ${r.id} is in two shards`);
    ids.add(r.id);
  }
  if (rows.length !== first.total)
    throw new ClassMergeError(`the shards hold ${rows.length} submissions, the class ${first.total}`);
  return { ...first, shard: undefined, rows };
}

/**
 * Merges grade shards, each row rescored: `points` is each assignment's points (a row's assignment id in; the
 * class's --assignment for a row of none), or one map for all; `policy` how statuses become points.
 */
export function mergeClassDirs(
  dirs: string[],
  out: string,
  points: Points | ClassPoints,
  policy: GradingPolicy = DEFAULT_POLICY,
): string[] {
  const pointsOf: ClassPoints = typeof points === 'function' ? points : () => points;
  const states = dirs.map((dir) => ({ dir, state: readClassState(dir) }));
  const merged = mergeClassStates(states);
  for (const { dir } of states)
    if (resolve(dir) !== resolve(out) && existsSync(join(dir, 'submissions')))
      copyReportTree(join(dir, 'submissions'), join(out, 'submissions'));
  merged.rows = merged.rows.map((r) => rescore(r, pointsOf(r.assignment ?? merged.options.assignment), policy));
  return writeClassFiles(out, merged, pointsOf, {}, policy);
}
