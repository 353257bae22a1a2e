/**
 * Who a file belongs to, in the shapes LMS exports take, and which of a student's files is graded.
 *
 * - A folder of the class folder is one student (Moodle's "download in folders"
 *   `Full Name_123456_assignsubmission_file_/`, Coursera-like and hand-made `alice/` folders, at any depth below).
 * - In a flat folder, names carry the student: Canvas `name_[LATE_]userid_submissionid_original.ipynb`, Moodle
 *   without folders `Full Name_123456_assignsubmission_file_original.ipynb`, Blackboard
 *   `Assignment_username_attempt_YYYY-MM-DD-HH-MM-SS_original.ipynb`. Any other file is a student of its own.
 *
 * A student with several files gets one row: the file chosen by `chooseSubmission` (a documented order, the same on
 * every machine), with the others listed on the row. Nothing is read here but file sizes.
 */
import { relative, sep } from 'node:path';
import type { Submission } from './discover.ts';

export interface StudentKey {
  /** groups files: 'dir:<folder>', 'canvas:<name>_<userid>', ... or 'file:<id>' */
  key: string;
  /** the student as a TA reads it: the LMS's name without its ids and suffixes */
  name: string;
  /** Blackboard's attempt time (sortable text), when the name carries one */
  attempt?: string;
}

const MOODLE_FOLDER = /^(.+?)_(\d+)_assignsubmission_[a-z]+_?$/u;
const MOODLE_FILE = /^(.+?)_(\d+)_assignsubmission_[a-z]+_(.+)$/u;
const CANVAS_FILE = /^(\p{L}[\p{L}\p{M}-]*?)(?:_LATE)?_(\d+)_(\d+)_(.+)$/iu;
const BLACKBOARD_FILE = /^(.*?)_([^_]+)_attempt_(\d{4}(?:-\d\d){5})(?:_(.+))?$/u;

/** The student of a file whose path below the class folder is `parts` (folders..., file name). */
export function studentOf(parts: string[]): StudentKey {
  if (parts.length > 1) {
    const folder = parts[0];
    const m = MOODLE_FOLDER.exec(folder);
    return { key: `dir:${folder}`, name: m ? m[1] : folder };
  }
  const file = parts[0];
  let m = MOODLE_FILE.exec(file);
  if (m) return { key: `moodle:${m[1]}_${m[2]}`, name: m[1] };
  m = BLACKBOARD_FILE.exec(file);
  if (m) return { key: `blackboard:${m[2]}`, name: m[2], attempt: m[3] };
  m = CANVAS_FILE.exec(file);
  if (m) return { key: `canvas:${m[1].toLowerCase()}_${m[2]}`, name: m[1] };
  return { key: `file:${file}`, name: file };
}

/** Names that say "not the one to grade": an editor's copy, a draft, a backup, a browser's "(1)". */
const DRAFT = /untitled|copy|draft|backup|\bold\b|_old|-checkpoint|\(\d+\)/i;

export interface Candidate {
  id: string;
  /** folders between the student's folder and the file */
  depth: number;
  size: number;
  attempt?: string;
}

/**
 * The file graded among a student's candidates, by this order (the first rule that tells them apart decides):
 * 1. a notebook (.ipynb) before a module (.py);
 * 2. a name without a draft mark (untitled, copy, draft, backup, old, "(1)") before one with it;
 * 3. Blackboard: the latest attempt;
 * 4. the fewest folders below the student's folder;
 * 5. the larger file;
 * 6. the id in code-point order.
 */
export function chooseSubmission<T extends Candidate>(candidates: T[]): T {
  const base = (id: string) => id.slice(id.lastIndexOf('/') + 1);
  const keyOf = (c: Candidate): (number | string)[] => [
    /\.ipynb$/i.test(c.id) ? 0 : 1,
    DRAFT.test(base(c.id)) ? 1 : 0,
    // latest attempt first: compare the negated order through the text's sort below
    c.attempt ? `~${c.attempt}` : '',
    c.depth,
    -c.size,
    c.id,
  ];
  const cmp = (a: T, b: T) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === kb[i]) continue;
      if (i === 2) return ka[i] < kb[i] ? 1 : -1; // later attempt first
      return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
  };
  return [...candidates].sort(cmp)[0];
}

/** One submission per student: their files grouped (studentOf), one chosen (chooseSubmission), the others named. */
export function groupByStudent(subs: Submission[], sizeOf: (file: string) => number): Submission[] {
  const groups = new Map<string, { name: string; members: (Submission & Candidate)[] }>();
  const out: Submission[] = [];
  for (const s of subs) {
    if (s.problem !== undefined) {
      out.push({ ...s, student: s.id });
      continue;
    }
    const parts = relative(s.folder, s.file).split(sep);
    const who = studentOf(parts);
    const g = groups.get(who.key) ?? { name: who.name, members: [] };
    g.members.push({ ...s, depth: Math.max(0, parts.length - 2), size: sizeOf(s.file), attempt: who.attempt });
    groups.set(who.key, g);
  }
  for (const { name, members } of groups.values()) {
    const chosen = chooseSubmission(members);
    const { depth: _d, size: _s, attempt: _a, ...sub } = chosen;
    const others = members.filter((m) => m !== chosen).map((m) => m.id);
    out.push(others.length ? { ...sub, student: name, others } : { ...sub, student: name });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The row's note about a student's other files, or undefined when there was one. */
export function othersFlag(sub: Pick<Submission, 'id' | 'others'>): string | undefined {
  if (!sub.others?.length) return undefined;
  const n = sub.others.length + 1;
  return `${n} files for this student: graded ${sub.id}; not graded: ${sub.others.join(', ')} (the rule: docs/guide/grading.md, "Which file is graded")`;
}
