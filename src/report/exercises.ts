/**
 * What a student reads about each exercise (a graded notebook function), for report.html and Gradescope's
 * results.json alike: its points, the root cause in one sentence with the inputs under which it shows, the
 * counterexample and its replay, where its definition does not parse, its warnings in the student's terms with
 * their effect on points, and the internals (check ids, detected conventions) kept apart for a fold.
 * Pure: a RunReport (and the points, when grading) in, one record per exercise out.
 */
import type { CheckResult, RootCause, RunReport, RunWarning } from '../check/types.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { describePrecision, type PrecisionInfo } from '../check/precision.ts';

export type ExerciseStatus = 'pass' | 'warn' | 'fail' | 'error' | 'missing';

/** Where a definition does not parse, as Python's SyntaxError says it. */
export interface SyntaxLocation {
  /** the notebook cell (its index, as the loader counts cells), absent for a .py file */
  cell?: number;
  line?: number;
  column?: number;
  /** the line's text */
  text: string;
  /** Python's message (invalid syntax, unexpected indent, ...) */
  message: string;
}

export interface WarningNote {
  /** what the code does, in the student's terms */
  text: string;
  /** what it costs: full marks, or the points the policy takes */
  effect: string;
}

export interface ExerciseFeedback {
  function: string;
  status: ExerciseStatus;
  points?: { earned: number; possible: number };
  checks: { total: number; failed: number };
  /** one sentence: this exercise's own bug, or the function whose bug makes it fail */
  cause?: string;
  /** the inputs under which it fails, from which checks failed and which passed */
  conditions?: string;
  /** why it was not checked (not defined, its SyntaxError) */
  missing?: string;
  syntax?: SyntaxLocation;
  counterexample?: { description: string; expected?: string; actual?: string; python?: string };
  warnings: WarningNote[];
  /** for the staff, below a fold: failing check ids, the check the sentence came from */
  internals: string[];
}

const RANK: Record<ExerciseStatus, number> = { missing: 0, pass: 1, warn: 2, error: 3, fail: 4 };
const bad = (c: CheckResult) => c.status === 'fail' || c.status === 'error';

function statusOf(checks: CheckResult[]): ExerciseStatus {
  let s: ExerciseStatus = 'missing';
  for (const c of checks) if (c.status !== 'skip' && RANK[c.status] > RANK[s]) s = c.status;
  return s;
}

/** `SyntaxError at cell 4 line 7, column 12: Z = np.dot(W A) + b (invalid syntax)` and the older form without a column. */
export function syntaxLocation(reason: string | undefined): SyntaxLocation | undefined {
  const m =
    /SyntaxError at (?:cell (\d+) )?line (\d+|None)(?:, column (\d+|None))?: (.*?)(?: \(([^()]*(?:\([^()]*\))?[^()]*)\))?$/.exec(
      reason ?? '',
    );
  if (!m) return undefined;
  const int = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : undefined);
  return { cell: int(m[1]), line: int(m[2]), column: int(m[3]), text: m[4], message: m[5] ?? 'invalid syntax' };
}

/** "cell 4, line 7, column 12", only with what is known (never "line undefined"). */
export function syntaxWhere(s: SyntaxLocation): string {
  return [
    s.cell !== undefined ? `cell ${s.cell}` : '',
    s.line !== undefined ? `line ${s.line}` : '',
    s.column !== undefined ? `column ${s.column}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The number of layers of a check's network: from a gradient check's id ([5,4,1]) or the failing call's inputs. */
function layersOf(c: CheckResult): number | undefined {
  const dims = /\/\[(\d+(?:,\d+)*)\]/.exec(c.id);
  if (dims) return dims[1].split(',').length - 1;
  const inputs = (c.details?.evidence as { inputs?: Record<string, unknown> } | undefined)?.inputs;
  if (!inputs) return undefined;
  const p = inputs.parameters as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && !Array.isArray(p)) {
    const keys = Object.keys('dict' in p ? (p.dict as object) : p).filter((k) => /^W\d+$/.test(k));
    if (keys.length) return keys.length;
  }
  if (Array.isArray(inputs.layer_dims)) return inputs.layer_dims.length - 1;
  if (Array.isArray(inputs.caches)) return inputs.caches.length;
  return undefined;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * The conditions under which a bug shows, from the evidence of the checks that failed and those that passed:
 * the network depths (gradient checks name theirs), the examples' values (the ReLU kink), the number of examples.
 * Said only when the failing and passing cases separate cleanly.
 */
export function conditionsOf(checks: CheckResult[], cause?: string): string | undefined {
  if (cause === 'relu-kink') return 'only when an example has Z exactly 0 (the ReLU kink); everywhere else it agrees';
  const failing = checks.filter(bad);
  const passing = checks.filter((c) => c.status === 'pass' || c.status === 'warn');
  const depth = (cs: CheckResult[]) => cs.map(layersOf).filter((n): n is number => n !== undefined);
  const [f, p] = [depth(failing), depth(passing)];
  if (f.length && p.length) {
    const [fMin, fMax, pMin, pMax] = [Math.min(...f), Math.max(...f), Math.min(...p), Math.max(...p)];
    const passed = [...new Set(p)].sort((a, b) => a - b).join(', ');
    if (fMin > pMax)
      return `only with networks of ${fMin} or more layers (it passes with ${passed} layer${pMax === 1 && pMin === 1 ? '' : 's'})`;
    if (fMax < pMin)
      return `only with networks of ${fMax === 1 ? '1 layer' : `at most ${fMax} layers`} (it passes with ${passed} layers)`;
  }
  // the differential and fixture checks of linear_activation_* take each activation apart
  const activation = (cs: CheckResult[]) =>
    new Set(cs.map((c) => /\/linear_activation_\w+\/(relu|sigmoid)$/.exec(c.id)?.[1]).filter(Boolean));
  const [fa, pa] = [activation(failing), activation(passing)];
  if (fa.size === 1 && pa.size === 1 && [...fa][0] !== [...pa][0])
    return `only with activation = "${[...fa][0]}" (it passes with "${[...pa][0]}")`;
  const examples = (cs: CheckResult[]) =>
    cs
      .map((c) => /\/m=(\d+)/.exec(c.id)?.[1])
      .filter((m): m is string => m !== undefined)
      .map(Number);
  const [fm, pm] = [examples(failing), examples(passing)];
  if (fm.length && pm.length && fm.every((m) => m === 1) && pm.every((m) => m > 1))
    return 'only with a single example (m = 1); it passes with more';
  if (fm.length && pm.length && fm.every((m) => m > 1) && pm.every((m) => m === 1))
    return `only with more than one example (it passes with m = 1): look at the sums over examples`;
  return undefined;
}

/**
 * A warning that the notebook's own template causes, not the student's lines: the older notebooks' update_parameters
 * assigns into the dictionary it is given (`parameters["W" + str(l+1)] = ...`, the student writes the right-hand
 * side), which changes the caller's dictionary; W4A1's template copies it first (`copy.deepcopy`). Seen in 42 of 56
 * real notebooks of the corpus.
 */
export function fromTemplate(w: RunWarning): string | undefined {
  if (w.kind !== 'mutates-input' || w.function !== 'update_parameters') return undefined;
  const m = /^update_parameters changes (.*) in place$/.exec(w.message);
  const entries = m?.[1].split(', ') ?? [];
  if (
    !entries.length ||
    !entries.every((p) => /^parameters\['[Wb]\d+'\]( \(replaced or reshaped\))?$|^\.\.\.$/.test(p))
  )
    return undefined;
  return "update_parameters assigns into the parameters dictionary it is given, as the older notebooks' template does (parameters['W' + str(l+1)] = ...; W4A1's copies it first with copy.deepcopy): template code, not the student's";
}

/** A warning in the student's terms, and its effect on points. */
function warningNote(w: RunWarning, status: ExerciseStatus, lost: number): WarningNote {
  // a failing exercise loses its points to the failure; the warning is said to cost nothing of its own
  const effect =
    status === 'fail' || status === 'error'
      ? 'This warning costs nothing by itself: the points are lost to the failure above.'
      : lost > 0
        ? `This costs ${plural(lost, 'point')} under this course's policy, although the values are right.`
        : 'Full marks: the values are right.';
  const more: Record<string, [string, string]> = {
    'mutates-input': [
      `${w.message}: it changes the arrays you were given instead of returning new ones.`,
      "The notebook's training loop does not notice (it uses what you return), nor does a grader that compares only the values returned; any code that keeps the old values sees them changed. Return new arrays (W = W - learning_rate * dW rather than W -= ...).",
    ],
    'relu-subgradient-at-0': [
      `${w.message}: where Z is exactly 0 you pass the gradient on; the notebook takes 0 there (dZ[Z <= 0] = 0).`,
      'It changes a gradient only where an example has Z exactly 0, which training almost never meets: a grader with such a case (the notebook has none) would count it wrong.',
    ],
    'scalar-type': [
      `${w.message}.`,
      'The notebook accepts it (cost.shape == () holds), but a grader that checks the type (isinstance(cost, float)) would count it wrong: float(cost) or cost.item() returns a plain number.',
    ],
    'single-layer-network': [
      `${w.message}.`,
      "The notebook, and the W4A1 notebook's own tests, build only networks of 2 or more layers, so they never meet it; a 1-layer network (logistic regression) would crash it.",
    ],
  };
  const [text, why] = more[w.kind] ?? [`${w.message}.`, w.why];
  return { text, effect: `${effect} ${why}` };
}

export interface ExerciseOptions {
  /** the graded exercises and their points; without them, every notebook function the run checked */
  points?: Record<string, number>;
  /** the points each earned, as the grade computed them (its policy); by default pass and warn earn all */
  earned?: Record<string, number>;
}

/** One record per exercise, in the points' order (or the checks' order). */
export function exerciseFeedback(report: RunReport, options: ExerciseOptions = {}): ExerciseFeedback[] {
  const { points, earned } = options;
  const groups: RootCause[] = report.rootCauses ?? rootCauses(report);
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const missing = new Map((report.missing ?? []).map((m) => [m.function, m.reason]));
  const names = points
    ? Object.keys(points)
    : [...new Set([...report.checks.map((c) => c.function).filter(Boolean), ...missing.keys()])];
  return names.map((fn) => {
    const checks = report.checks.filter((c) => c.function === fn);
    const status = statusOf(checks);
    const failed = checks.filter(bad);
    const possible = points?.[fn];
    const got = earned?.[fn] ?? (possible !== undefined && (status === 'pass' || status === 'warn') ? possible : 0);
    const out: ExerciseFeedback = {
      function: fn,
      status,
      ...(possible !== undefined ? { points: { earned: got, possible } } : {}),
      checks: { total: checks.length, failed: failed.length },
      warnings: [],
      internals: [],
    };
    const own = groups.find((g) => g.function === fn);
    const through = own ? undefined : groups.find((g) => g.callers.some((c) => c.function === fn));
    const group = own ?? through;
    if (group && failed.length) {
      out.cause = own
        ? group.headline
        : `${fn} fails because ${group.function}, which it calls, fails: ${group.headline.replace(`${group.function}: `, '')}`;
      const related = report.checks.filter(
        (c) => c.function === group.function || group.callers.some((x) => x.function === c.function),
      );
      out.conditions = conditionsOf(related, group.cause);
      const ce = group.counterexample ?? byId.get(group.from)?.counterexample;
      if (ce)
        out.counterexample = {
          description: ce.description,
          ...(ce.expected !== undefined ? { expected: String(ce.expected) } : {}),
          ...(ce.actual !== undefined ? { actual: String(ce.actual) } : {}),
          ...(ce.replay?.python ? { python: ce.replay.python } : {}),
        };
      out.internals.push(
        `diagnosis from ${group.evidence} (pattern: ${group.cause})`,
        `failing checks: ${failed.map((c) => c.id).join(', ')}`,
      );
    } else if (failed.length) {
      out.cause = `${fn}: ${failed[0].message.split('\n')[0]}`;
      out.internals.push(`failing checks: ${failed.map((c) => c.id).join(', ')}`);
    }
    if (status === 'missing') {
      const own = missing.get(fn);
      out.missing = own ?? report.noEvidence ?? report.reason ?? `${fn} is not defined (or none of its checks ran)`;
      // only the function's own SyntaxError is "in its definition"; the run's (a shell line) is said as the run's
      out.syntax = syntaxLocation(own);
    }
    // points a passing exercise lost: the policy charged its warnings
    const lost = out.points && status === 'warn' ? out.points.possible - out.points.earned : 0;
    for (const w of report.warnings ?? [])
      if (w.function === fn) {
        const template = fromTemplate(w);
        // the template's own doing goes to the staff, unless the course's policy made it cost points
        if (template && lost === 0) out.internals.push(`warning ${w.kind}: ${template}`);
        else out.warnings.push(warningNote(w, status, lost));
        out.internals.push(`warning ${w.kind}: ${w.checks.length} check(s) (${w.checks.slice(0, 4).join(', ')})`);
      }
    return out;
  });
}

/** Internals of the whole run, for the staff: conventions detected, warnings on code the student did not write. */
export function runInternals(report: RunReport, graded?: Record<string, number>): string[] {
  const lines: string[] = [];
  const d = report.detected ?? {};
  for (const [k, v] of Object.entries(d))
    if (k === 'assignment' && v && typeof v === 'object') {
      const a = v as { id?: unknown; why?: unknown };
      lines.push(`assignment: ${String(a.id)} (${String(a.why)})`);
    } else if (k === 'precision' && v && typeof v === 'object') lines.push(describePrecision(v as PrecisionInfo));
    else if (k !== 'dropped' && k !== 'broken' && k !== 'functions')
      lines.push(`${k}: ${Array.isArray(v) ? v.join(', ') : v && typeof v === 'object' ? plainText(v) : String(v)}`);
  for (const w of report.warnings ?? [])
    if (graded && !(w.function in graded))
      lines.push(`warning on ${w.function} (not graded: the course's template provides it): ${w.message}`);
  const dropped = Array.isArray(d.dropped) ? (d.dropped as { where: string; text: string; why: string }[]) : [];
  if (dropped.length)
    lines.push(
      `loading left out ${dropped.length} statement(s) (test calls, prints, magics): ${dropped
        .slice(0, 5)
        .map((x) => `${x.where} "${x.text.slice(0, 30)}"`)
        .join('; ')}${dropped.length > 5 ? '; ...' : ''}`,
    );
  lines.push(`seed ${report.seed}, runs ${report.runs}; ${report.summary.total} checks`);
  return lines;
}

/** An object of report.json as "key value; key value" (loadMode: "mode notebook; why line 2 imports ..."). */
function plainText(v: object): string {
  return Object.entries(v)
    .map(([k, x]) => `${k} ${x && typeof x === 'object' ? JSON.stringify(x) : String(x)}`)
    .join('; ');
}
