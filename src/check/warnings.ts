/**
 * The warning kinds: deviations from a stricter contract that the notebook's own program tolerates. The values are
 * still checked; a warning never hides a failure. `--strict` turns warnings into failures.
 */
import { EngineFault, type Engine, type LoadInfo } from '../engine/engine.ts';
import type { CheckResult, CheckWarning, RunWarning, WarningKind } from './types.ts';

export const WARNING_KINDS: Record<WarningKind, { title: string; why: string }> = {
  'mutates-input': {
    title: 'changes its arguments in place',
    why: "the notebook's training loop rebinds the result (parameters = update_parameters(...)) and does not notice, but a caller that keeps the arguments (the previous parameters, a cache, a test's inputs) sees them changed; return new arrays instead",
  },
  'relu-subgradient-at-0': {
    title: "uses relu'(0) = 1",
    why: "ReLU has no derivative at Z == 0 and the notebook takes 0 there (dZ[Z <= 0] = 0); with 1 the gradient differs only where Z is exactly 0, which training almost never meets, but results are no longer bit-comparable with the notebook's",
  },
  'scalar-type': {
    title: 'returns a 0-d array where the notebook prints a float',
    why: 'the notebook accepts it (np.squeeze gives a 0-d array; cost.shape == ()), but a 0-d array is not a Python float: isinstance(cost, float) and json.dumps(cost) reject it; float(cost) or cost.item() gives a plain number',
  },
  'single-layer-network': {
    title: 'raises for a 1-layer network',
    why: "the notebook's programs build L >= 2 layers, so they never meet it; a 1-layer network (logistic regression) is still a network of the function's contract, e.g. the loop variable used after `for l in range(1, L)` is unbound when L = 1",
  },
  'int-bias': {
    title: 'initialises b as an int (b = 0) where the notebook has a float',
    why: "week 2's notebooks up to v6a print b = 0 and accept an int; W2A2 (2021 on) asserts type(b) == float in initialize_with_zeros_test, so the course's grader of that version rejects it. Every value computed from it is the same (b becomes a float after the first update); write b = 0. or b = 0.0",
  },
  'reads-test-global': {
    title: "reads a global that only the file's test code sets",
    why: "full marks: in the notebook the test cell has already run, so the name exists and the function works (the course's grader passes it too), but the function depends on that cell: in a fresh kernel (Restart & Run the function alone), or once the test line is removed, it raises NameError, and a grader that runs the function on its own would fail it. Use the function's own variable (e.g. the cost it computed in the loop), not the test's",
  },
  'softmax-per-example': {
    title: 'normalises softmax per example (column), where the seed normalises the whole array',
    why: "the seed 003's softmax divides by np.sum(exps) over the whole array; for one example (one column) the two agree. Normalising each column (np.sum(exps, axis=0, keepdims=True)) is the usual softmax, and the one whose delta (softmax(Z) - onehot) / m is the derivative of its cross-entropy for any m; values differ from the seed's code only when m > 1",
  },
};

/** A function's reads-test-global warnings, from what the loader saw in its source (LoadInfo.testGlobals). */
export function testGlobalWarnings(load: LoadInfo | undefined, fn: string): CheckWarning[] {
  return (load?.testGlobals?.[fn] ?? []).map((g) => ({
    kind: 'reads-test-global',
    function: fn,
    message: g.unset
      ? `${fn} reads the global \`${g.name}\`, which only the file's test code sets (${g.where}: \`${g.text}\`), a line that needs the course's test data and could not run here: the checks ran with a stand-in for \`${g.name}\` that raises on any use of its value, so a check that passed never depended on it; in a fresh kernel, or without that line, it raises NameError`
      : `${fn} reads the global \`${g.name}\`, which only the file's test code sets (${g.where}: \`${g.text}\`); in a fresh kernel, or without that line, it raises NameError`,
  }));
}

/**
 * Thrown in place of an engine's exception on an input the notebook's programs never build (a 1-layer network for
 * L_model_forward / L_model_backward): the check skips that case (fast-check: a failed precondition; differential:
 * the next case; otherwise the check is skipped) and the run carries a single-layer-network warning.
 */
export class OutsideNotebook extends Error {
  override name = 'OutsideNotebook';
}

function singleLayer(fn: string, args: readonly unknown[]): boolean {
  const p = args[1];
  if (fn === 'L_model_forward')
    return !!p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).sort().join() === 'W1,b1';
  if (fn === 'L_model_backward') return Array.isArray(args[2]) && args[2].length === 1;
  return false;
}

/** The engine as a check sees it: an exception on a 1-layer network becomes a warning and OutsideNotebook. */
export function withinNotebookRange(engine: Engine, warn: (w: CheckWarning) => void): Engine {
  return {
    name: engine.name,
    functions: () => engine.functions(),
    async call(fn, args, kwargs) {
      try {
        return await engine.call(fn, args, kwargs);
      } catch (err) {
        if (!(err instanceof EngineFault && err.kind === 'exception' && singleLayer(fn, args))) throw err;
        const what = err.message.replace(/^[^:]*: exception: /, '').split('\n')[0];
        warn({ kind: 'single-layer-network', function: fn, message: `${fn} raises for a 1-layer network (${what})` });
        throw new OutsideNotebook(`${fn} raises for a 1-layer network, which the notebook's programs never build`);
      }
    },
    seed: engine.seed ? (s) => engine.seed!(s) : undefined,
    takeNotices: engine.takeNotices ? () => engine.takeNotices!() : undefined,
    loadInfo: engine.loadInfo ? () => engine.loadInfo!() : undefined,
    close: () => engine.close(),
  };
}

/** A check's status once its warnings are known: a pass with warnings is 'warn'; failures stay failures. */
export function withWarnings(r: CheckResult, warnings: CheckWarning[]): CheckResult {
  if (!warnings.length) return r;
  const seen = new Set<string>();
  const unique: CheckWarning[] = [];
  for (const w of warnings) {
    const k = `${w.kind}\u0000${w.function}\u0000${w.message}`;
    if (!seen.has(k)) unique.push(w);
    seen.add(k);
  }
  return { ...r, status: r.status === 'pass' ? 'warn' : r.status, warnings: [...(r.warnings ?? []), ...unique] };
}

/** The run's warnings: one per kind and function, naming every check that saw it. */
export function collectWarnings(checks: CheckResult[]): RunWarning[] {
  const byKey = new Map<string, RunWarning>();
  for (const c of checks)
    for (const w of c.warnings ?? []) {
      const key = `${w.kind}\u0000${w.function}`;
      const got = byKey.get(key);
      if (got) {
        if (!got.checks.includes(c.id)) got.checks.push(c.id);
      } else byKey.set(key, { ...w, why: WARNING_KINDS[w.kind]?.why ?? '', checks: [c.id] });
    }
  return [...byKey.values()];
}

/** One line per warning, for terminals and Markdown. */
export function describeWarning(w: RunWarning): string {
  return `WARN ${w.kind} ${w.function}: ${w.message} (${w.checks.length} check${w.checks.length === 1 ? '' : 's'})`;
}
