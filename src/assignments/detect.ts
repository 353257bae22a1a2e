/**
 * Which assignment a file is: first from the names it defines (each assignment's `marks`, names no other
 * assignment defines), then, where that leaves a tie (or no mark at all), from how the engine behaves (each
 * assignment's `probe`: week 2's sigmoid returns one array, week 4's a tuple), then from how many of each one's
 * functions it defines. Ties left after that go to the first in registry order, and the reason says so.
 */
import type { Assignment, AssignmentId } from '../check/assignment.ts';
import type { Engine } from '../engine/engine.ts';

/** One assignment's evidence: the marks the file defines, what its probe said, how many of its names it defines. */
export interface AssignmentScore {
  id: AssignmentId;
  marks: string[];
  probe?: { score: number; why: string };
  shared: number;
}

export interface Detection {
  assignment: Assignment;
  /** one sentence, e.g. "defines propagate, optimize and initialize_with_zeros" */
  why: string;
  scores: AssignmentScore[];
}

/** The file matches no assignment: its message says what it defines and which assignments were considered. */
export class NoAssignmentError extends Error {
  override name = 'NoAssignmentError';
  constructor(
    readonly defined: readonly string[],
    readonly considered: readonly AssignmentId[],
  ) {
    const shown = [...defined].sort();
    const names = shown.length
      ? ` (it defines ${shown.slice(0, 8).join(', ')}${shown.length > 8 ? ', ...' : ''}; translated names need --map)`
      : '';
    super(
      `the file matches no assignment: it defines none of the functions of ${listOf([...considered], 'or')}${names}`,
    );
  }
}

function listOf(names: string[], and = 'and'): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names.at(-1)}`;
}

/** Lexicographic: marks, then the probe's score, then the names shared. */
function compare(a: AssignmentScore, b: AssignmentScore): number {
  return b.marks.length - a.marks.length || (b.probe?.score ?? 0) - (a.probe?.score ?? 0) || b.shared - a.shared;
}

/** The assignment `engine` implements, among `assignments` (the registry's order breaks ties). */
export async function detectAssignment(engine: Engine, assignments: readonly Assignment[]): Promise<Detection> {
  const defined = await engine.functions();
  const scores: AssignmentScore[] = assignments.map((a) => ({
    id: a.id,
    marks: a.marks.filter((m) => defined.has(m)),
    shared: a.functions.filter((f) => defined.has(f.name)).length,
  }));
  const live = scores.filter((s) => s.marks.length > 0 || s.shared > 0);
  if (!live.length)
    throw new NoAssignmentError(
      [...defined],
      assignments.map((a) => a.id),
    );
  // the probes run only where names leave a tie at the top: a probe calls the engine
  const top = Math.max(...live.map((s) => s.marks.length));
  const tied = live.filter((s) => s.marks.length === top);
  if (tied.length > 1)
    for (const s of tied) {
      const a = assignments.find((x) => x.id === s.id)!;
      const evidence = await a.probe?.(engine).catch(() => undefined);
      if (evidence && evidence.score > 0) s.probe = { score: evidence.score, why: evidence.why };
    }
  const ranked = [...live].sort(compare); // stable: registry order among equals
  const best = ranked[0];
  const assignment = assignments.find((a) => a.id === best.id)!;
  const rivals = ranked.filter((s) => s !== best && compare(s, best) === 0).map((s) => s.id);
  const reasons: string[] = [];
  if (best.marks.length) reasons.push(`defines ${listOf(best.marks)}`);
  if (best.probe) reasons.push(best.probe.why);
  if (!reasons.length)
    reasons.push(
      `defines ${best.shared} of its functions (${listOf(assignment.functions.filter((f) => defined.has(f.name)).map((f) => f.name))})`,
    );
  const why = `${reasons.join('; ')}${rivals.length ? `; as much evidence for ${listOf(rivals, 'or')}, the first registered was taken (name it with --assignment)` : ''}`;
  return { assignment, why, scores };
}
