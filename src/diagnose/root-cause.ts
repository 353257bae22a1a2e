/**
 * Root causes of a run's failures: one headline per function whose bug is its own, with the failures of the
 * functions that call it (the notebook's call graph, src/engine/catalogue.ts) grouped under it. A db summed over
 * axis 0 in linear_backward fails linear_backward, linear_activation_backward, L_model_backward and the
 * gradient checks; the report leads with linear_backward and says that the others fail because of it.
 * Pure: a RunReport in, the groups out (report.json keeps every check as well).
 */
import { CALLS, CATALOGUE } from '../engine/catalogue.ts';
import type { Assignment } from '../check/assignment.ts';
import type { CheckResult, RootCause, RunReport } from '../check/types.ts';

export type { RootCause };
import { classify } from './classify.ts';
import { evidenceOf } from './evidence.ts';

const bad = (c: CheckResult) => c.status === 'fail' || c.status === 'error';
/** Which checks' evidence speaks most directly of the function itself. */
const KIND_ORDER = ['differential', 'fixture', 'property', 'contract', 'gradcheck'];
const rank = (c: CheckResult) => KIND_ORDER.indexOf(c.kind) * 2 + (c.status === 'fail' ? 0 : 1);

/** What root causes need of an assignment: its functions' order and who calls whom. */
export interface CallGraph {
  readonly functions: readonly { readonly name: string }[];
  readonly calls: Assignment['calls'];
}
/** Where no assignment is given (reports read back from disk): week 4's catalogue. */
const WEEK4: CallGraph = { functions: CATALOGUE, calls: CALLS };

/** Every function `name` calls in `calls`, directly or through others. */
export function calleesIn(calls: CallGraph['calls'], name: string): Set<string> {
  const out = new Set<string>();
  const visit = (f: string) => {
    for (const g of calls[f] ?? []) {
      if (out.has(g)) continue;
      out.add(g);
      visit(g);
    }
  };
  visit(name);
  return out;
}
/** Sentences that only say what happened, not which line is wrong: any specific one is preferred. */
const GENERIC = new Set(['differs', 'raises', 'crash', 'timeout', 'zero']);

export function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The headline of a function from its failing checks: the most specific sentence any of them supports. */
export function headline(fn: string, checks: CheckResult[]): { headline: string; cause: string; from: CheckResult } {
  // a function that hung fails fast afterwards ("not called again"): the check in which it hung speaks first
  const failFast = (c: CheckResult) => (c.message.includes('not called again') ? 100 : 0);
  const ordered = [...checks].sort((a, b) => failFast(a) + rank(a) - (failFast(b) + rank(b)));
  let fallback: { headline: string; cause: string; from: CheckResult } | undefined;
  for (const c of ordered) {
    // an assignment's own diagnosis of the check (src/assignments/<id>/), when it recognised the bug
    const own = c.details?.diagnosis;
    if (typeof own === 'string' && own)
      return { headline: own.startsWith(`${fn} `) ? own : `${fn}: ${own}`, cause: 'assignment', from: c };
    const d = classify(fn, evidenceOf(c.details), c.message);
    if (!d) continue;
    if (!GENERIC.has(d.cause)) return { headline: d.sentence, cause: d.cause, from: c };
    fallback ??= { headline: d.sentence, cause: d.cause, from: c };
  }
  if (fallback) return fallback;
  const first = ordered[0];
  // the replay coordinates of a shrunk property are in the counterexample, not in the sentence
  const message = first.message.split('\n')[0].replace(/ \(shrunk after .*$/, '');
  const named = fn && !message.startsWith(fn) ? `${fn}: ${message}` : message;
  return { headline: named, cause: 'message', from: first };
}

/**
 * The root causes of `report`'s failures, in the order of `graph`'s functions, callers grouped under the callee
 * they call (the run's assignment; default week 4's catalogue).
 */
export function rootCauses(
  report: Pick<RunReport, 'checks'> & Partial<Pick<RunReport, 'detected'>>,
  graph: CallGraph = WEEK4,
): RootCause[] {
  const ORDER = new Map(graph.functions.map((f, i) => [f.name, i]));
  // the notebook's call graph, narrowed to the calls the file's own source makes where the runner read them
  // (detected.callGraph): a function that never calls linear_backward is not failing because of it
  const own = report.detected?.callGraph as Record<string, string[]> | undefined;
  const calleesOf = (name: string) => {
    const notebook = calleesIn(graph.calls, name);
    const reached = own?.[name];
    return reached ? new Set([...notebook].filter((g) => reached.includes(g))) : notebook;
  };
  const size = graph.functions.length;
  const byFunction = new Map<string, CheckResult[]>();
  for (const c of report.checks.filter(bad)) {
    const list = byFunction.get(c.function) ?? [];
    list.push(c);
    byFunction.set(c.function, list);
  }
  const failing = new Set(byFunction.keys());
  // the grads-key convention is detected through the engine's own L_model_forward: when that could not be done,
  // L_model_backward's checks depend on the forward chain too
  const undetected = report.detected?.gradsConvention === 'not detected';
  const calls = (f: string) =>
    f === 'L_model_backward' && undetected
      ? new Set([...calleesOf(f), 'L_model_forward', ...calleesOf('L_model_forward')])
      : calleesOf(f);
  const failingCallees = (f: string) => [...calls(f)].filter((g) => failing.has(g));
  const isRoot = (f: string) => failingCallees(f).length === 0;
  const order = (f: string) => ORDER.get(f) ?? (f ? size : size + 1);
  const roots = [...failing].filter(isRoot).sort((a, b) => order(a) - order(b));
  const groups = new Map<string, RootCause>();
  for (const f of roots) {
    const checks = byFunction.get(f)!;
    const h = headline(f, checks);
    if (h.cause === 'name') h.headline = notebookGlobal(h.headline, report.detected?.dropped) ?? h.headline;
    // the last pack in run order is the newest course version's (fixtures/packs sort so)
    // (a hang's is the call that hung, never a notebook case that only failed fast after it)
    const hang = h.cause === 'timeout' && h.from.counterexample?.description.startsWith('the call that hung');
    const shown = hang
      ? h.from
      : ([...checks].reverse().find((c) => c.kind === 'fixture' && c.counterexample) ?? h.from);
    groups.set(f, {
      function: f,
      headline: h.headline,
      cause: h.cause,
      checks: checks.map((c) => c.id),
      callers: [],
      evidence: h.from.id,
      from: shown.id,
      counterexample: shown.counterexample,
    });
  }
  // a caller goes under the first failing root it calls, in the notebook's order
  for (const f of [...failing].filter((g) => !isRoot(g)).sort((a, b) => order(a) - order(b))) {
    const root = failingCallees(f)
      .filter(isRoot)
      .sort((a, b) => order(a) - order(b))[0];
    groups.get(root)!.callers.push({ function: f, checks: byFunction.get(f)!.map((c) => c.id) });
  }
  for (const g of groups.values()) {
    if (!g.callers.length) continue;
    const n = g.callers.reduce((t, c) => t + c.checks.length, 0);
    const names = g.callers.map((c) => c.function);
    const through = names.includes('L_model_backward') && undetected && !calleesOf('L_model_backward').has(g.function);
    g.because = `${listNames(names)} ${names.length === 1 ? 'fails' : 'fail'} because of this (${n} check${n === 1 ? '' : 's'}; ${names.length === 1 ? 'it calls' : 'they call'} ${g.function}${through ? ", and L_model_backward's grads keys could not be detected through the failing forward pass" : ''})`;
  }
  return [...groups.values()];
}

/**
 * A NameError's name that a line of the file binds, where that line could not run here (it reads the course's data
 * set, or was test code): not a misspelling but a notebook global, e.g. model sizing w from `num_px`, which the
 * notebook computes from the cat images. Says so, with the line; undefined when no dropped line binds the name.
 */
export function notebookGlobal(sentence: string, dropped: unknown): string | undefined {
  const m = /^(\S+) uses '(\w+)', which is not defined/.exec(sentence);
  if (!m || !Array.isArray(dropped)) return undefined;
  const [, fn, name] = m;
  const binds = new RegExp(`^\\(?[\\w\\s,()]*\\b${name}\\b[\\w\\s,()]*\\)?\\s*=(?!=)`);
  const line = (dropped as { where?: unknown; text?: unknown; why?: unknown }[]).find(
    (d) => typeof d.text === 'string' && binds.test(d.text.trim()),
  );
  if (!line) return undefined;
  const why = typeof line.why === 'string' && line.why.startsWith('raised') ? `: it ${line.why}` : '';
  return `${fn} reads the notebook global '${name}', which only ${String(line.where)} of the file binds (\`${String(line.text).trim()}\`), a line that could not run here${why}; the function depends on the notebook's state: compute it from the function's own arguments`;
}
