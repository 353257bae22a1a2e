/**
 * A run is one assignment's run (verify.ts, runner.ts): the assignment detected or named is in
 * report.detected.assignment with its reason; only its functions are checked; its required functions decide
 * what is missing; a file of no assignment is no evidence (exit 2) with detection's reason; root causes follow the
 * assignment's call graph.
 */
import { describe, expect, it } from 'vitest';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { inProcessEngine } from '../adapters/in-process.ts';
import type { CheckResult, DetectedAssignment } from '../check/types.ts';
import { rootCauses } from '../diagnose/root-cause.ts';
import { exitCode, verify } from './verify.ts';
import { UnknownAssignmentError } from './choose.ts';
import { assignmentSentence } from '../report/verdict.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { renderHtml } from '../report/html.ts';
import { fakeLogistic } from '../../test/helpers/assignment-files.ts';
import { ASSIGNMENTS } from '../assignments/index.ts';

// every registered assignment, as messages list them (the lead's merge adds more)
const IDS = ASSIGNMENTS.map((a) => a.id);
const OR = `${IDS.slice(0, -1).join(', ')} or ${IDS.at(-1)}`;

const ref = new ReferenceEngine();
const settings = { runs: 3, functions: ['sigmoid', 'relu'] };
const assignmentOf = (r: { detected: Record<string, unknown> }) => r.detected.assignment as DetectedAssignment;

describe('a run is one assignment', () => {
  it('detected: step by step for the reference, with the reason in report.json and every report', async () => {
    const report = await verify(new ReferenceEngine(), settings);
    expect(assignmentOf(report)).toEqual({
      id: 'step-by-step',
      title: 'Building your Deep Neural Network: Step by Step',
      why: expect.stringMatching(/^defines initialize_parameters_deep, linear_forward, .* and relu_backward$/),
    });
    const line = assignmentSentence(report)!;
    expect(line).toMatch(
      /^assignment: step-by-step, "Building your Deep Neural Network: Step by Step" \(why: defines initialize_parameters_deep, /,
    );
    expect(renderMarkdown(report)).toContain(line);
    expect(renderHtml(report)).toContain('<p class="assignment">assignment: step-by-step, &quot;Building');
  });

  it("only the assignment's functions are checked: the seed's softmax extras are not week 4's", async () => {
    const all = await verify(new ReferenceEngine(), { runs: 3 });
    const fns = new Set(all.checks.map((c) => c.function));
    expect((await ref.functions()).has('delta_cross_entropy_one_hot')).toBe(true);
    expect(fns.has('delta_cross_entropy_one_hot')).toBe(false);
    expect(fns.has('L_model_backward')).toBe(true);
    expect(all.verdict).toBe('pass');
  });

  it('named: --assignment wins over detection, and says so', async () => {
    const report = await verify(new ReferenceEngine(), { ...settings, assignment: 'application' });
    expect(assignmentOf(report)).toMatchObject({ id: 'application', why: 'named with --assignment application' });
    await expect(verify(new ReferenceEngine(), { ...settings, assignment: 'week5' })).rejects.toThrow(
      UnknownAssignmentError,
    );
    await expect(verify(new ReferenceEngine(), { ...settings, assignment: 'week5' })).rejects.toThrow(
      `unknown assignment 'week5': the assignments are ${IDS.join(', ')}`,
    );
  });

  it('an Application notebook: its models are required and checked; a required function no check verifies is said so', async () => {
    const helpers = Object.fromEntries(
      ['relu', 'relu_backward'].map((f) => [f, (...args: never[]) => ref.call(f, args)]),
    );
    const stubs = { two_layer_model: () => null, L_layer_model: () => null };
    const report = await verify(inProcessEngine({ ...helpers, ...stubs }), { runs: 3 });
    expect(assignmentOf(report)).toMatchObject({ id: 'application', why: 'defines two_layer_model and L_layer_model' });
    // models that return nothing fail their own checks; the helpers pass theirs
    expect(report.verdict).toBe('fail');
    expect(report.rootCauses?.map((c) => c.function)).toEqual(['two_layer_model', 'L_layer_model']);
    expect(report.checks.filter((c) => c.function === 'relu').every((c) => c.status === 'pass')).toBe(true);
    // with no check family at all, the models are not verified: missing, with the reason, never a pass
    const bare = await verify(inProcessEngine({ ...helpers, ...stubs }), { runs: 3, suites: [] });
    expect(bare.verdict).toBe('error');
    expect(bare.missing).toEqual([
      { function: 'two_layer_model', reason: 'defined, but no check of it exists yet' },
      { function: 'L_layer_model', reason: 'defined, but no check of it exists yet' },
    ]);
    // the step-by-step functions it does not define are the course's (dnn_app_utils_v3), not missing
    const steps = await verify(inProcessEngine(helpers), { runs: 3, assignment: 'application' });
    expect(steps.missing?.map((m) => m.function)).toEqual(['two_layer_model', 'L_layer_model']);
  });

  it('a file of no assignment: no evidence, exit 2, with what it defines and the assignments considered', async () => {
    const report = await verify(inProcessEngine({ load_dataset: () => 0 }), settings);
    expect(report.verdict).toBe('error');
    expect(report.reason).toBe(
      `the file matches no assignment: it defines none of the functions of ${OR} (it defines load_dataset; translated names need --map)`,
    );
    expect(assignmentOf(report)).toEqual({
      id: null,
      why: report.reason,
      considered: IDS,
    });
    expect(assignmentSentence(report)).toBe(`assignment: none matched (considered: ${IDS.join(', ')})`);
    expect(exitCode(report)).toBe(2);
  });
});

describe("root causes follow the assignment's call graph", () => {
  const failing = (fn: string): CheckResult => ({
    id: `differential:${fn}`,
    function: fn,
    kind: 'differential',
    status: 'fail',
    message: `${fn} differs from the reference`,
    durationMs: 0,
  });
  const checks = [failing('propagate'), failing('sigmoid')];

  it("week 2's propagate calls sigmoid: one root cause, sigmoid, with propagate under it", () => {
    const groups = rootCauses({ checks }, fakeLogistic);
    expect(groups.map((g) => [g.function, g.callers.map((c) => c.function)])).toEqual([['sigmoid', ['propagate']]]);
  });

  it("under week 4's graph the same failures are two causes (propagate calls nothing there)", () => {
    expect(rootCauses({ checks }).map((g) => g.function)).toEqual(['sigmoid', 'propagate']);
  });
});
