/**
 * Detection (detect.ts): names first (each assignment's marks), then the probe where names leave a tie, with the
 * reason given; a file matching none is a NoAssignmentError naming what it defines and the assignments considered.
 * Week 2 and week 3 are stand-ins (test/helpers/assignment-files.ts) until their declarations merge.
 */
import { describe, expect, it } from 'vitest';
import { inProcessEngine } from '../adapters/in-process.ts';
import { ReferenceEngine } from '../engine/reference-engine.ts';
import { ASSIGNMENTS, assignmentById } from './index.ts';
import { detectAssignment, NoAssignmentError } from './detect.ts';
import { stepByStep } from './step-by-step/index.ts';
import { application } from './application/index.ts';
import {
  applicationFile,
  fakeLogistic,
  fakePlanar,
  sigmoidOnlyWeek2,
  sigmoidOnlyWeek4,
  unrelatedFile,
  week2File,
  week3File,
} from '../../test/helpers/assignment-files.ts';

// the order the lead's registry will have once every assignment is merged
const ALL = [fakeLogistic, fakePlanar, stepByStep, application];
const detect = (file: Record<string, unknown>, among = ALL) => detectAssignment(inProcessEngine(file), among);

describe('detectAssignment', () => {
  it("a week-2 file is week 2's, from the names only week 2 defines", async () => {
    const d = await detect(week2File);
    expect(d.assignment.id).toBe('logistic');
    expect(d.why).toBe('defines initialize_with_zeros, propagate and optimize');
  });

  it("a week-3 file is week 3's although it defines week 4's initialize_parameters, compute_cost and update_parameters", async () => {
    const d = await detect(week3File);
    expect(d.assignment.id).toBe('planar');
    expect(d.why).toBe('defines layer_sizes, forward_propagation, backward_propagation and nn_model');
  });

  it('a file defining only sigmoid is decided by what sigmoid returns: one array (week 2), a tuple (week 4)', async () => {
    const w2 = await detect(sigmoidOnlyWeek2);
    expect([w2.assignment.id, w2.why]).toEqual(['logistic', 'its sigmoid returns one array']);
    const w4 = await detect(sigmoidOnlyWeek4);
    expect([w4.assignment.id, w4.why]).toEqual(['step-by-step', 'its sigmoid returns the tuple (A, cache)']);
    // the probes' evidence is in the scores
    expect(w4.scores.find((s) => s.id === 'step-by-step')?.probe?.score).toBe(1);
    expect(w4.scores.find((s) => s.id === 'logistic')?.probe).toBeUndefined();
  });

  it('the reference engine (every week-4 function, and the seed extras) is step by step', async () => {
    const d = await detectAssignment(new ReferenceEngine(), ALL);
    expect(d.assignment.id).toBe('step-by-step');
    expect(d.why).toMatch(/^defines initialize_parameters_deep, linear_forward, .* and relu_backward$/);
  });

  it('an Application notebook is the Application', async () => {
    const d = await detect(applicationFile);
    expect([d.assignment.id, d.why]).toEqual(['application', 'defines two_layer_model and L_layer_model']);
  });

  it('a file matching none is a NoAssignmentError naming what it defines and the assignments considered', async () => {
    const err = await detect(unrelatedFile).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoAssignmentError);
    expect((err as Error).message).toBe(
      'the file matches no assignment: it defines none of the functions of logistic, planar, step-by-step or application (it defines helper, load_dataset; translated names need --map)',
    );
  });

  it('a tie that nothing breaks goes to the first registered, and the reason says so', async () => {
    // compute_cost alone: week 3's and week 4's, no mark, no probe
    const d = await detect({ compute_cost: () => 0 });
    expect(d.assignment.id).toBe('planar');
    expect(d.why).toBe(
      'defines 1 of its functions (compute_cost); as much evidence for step-by-step or application, the first registered was taken (name it with --assignment)',
    );
  });
});

describe('the registry', () => {
  it('lists step by step and the Application, found by id', () => {
    expect(ASSIGNMENTS.map((a) => a.id)).toEqual(expect.arrayContaining(['step-by-step', 'application']));
    expect(new Set(ASSIGNMENTS.map((a) => a.id)).size).toBe(ASSIGNMENTS.length);
    expect(assignmentById('application')).toBe(application);
    expect(assignmentById('week5')).toBeUndefined();
  });

  it("each assignment's functions are unique, its marks among them, and no mark is another assignment's", () => {
    for (const a of [...ASSIGNMENTS, fakeLogistic, fakePlanar]) {
      const names = a.functions.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const m of a.marks) expect(names).toContain(m);
      for (const other of ALL.filter((o) => o.id !== a.id))
        expect(other.marks.filter((m) => a.marks.includes(m))).toEqual([]);
      for (const [caller, callees] of Object.entries(a.calls))
        expect([caller, ...callees].filter((n) => !names.includes(n))).toEqual([]);
    }
  });

  it("the course's points: step by step's ten graded exercises at 10, the Application's two models", () => {
    const graded = (a: typeof stepByStep) =>
      Object.fromEntries(a.functions.filter((f) => f.points > 0).map((f) => [f.name, f.points]));
    // W4A1: nbgrader "points": 10 on each of the ten exercises' test cells
    expect(graded(stepByStep)).toEqual({
      initialize_parameters: 10,
      initialize_parameters_deep: 10,
      linear_forward: 10,
      linear_activation_forward: 10,
      L_model_forward: 10,
      compute_cost: 10,
      linear_backward: 10,
      linear_activation_backward: 10,
      L_model_backward: 10,
      update_parameters: 10,
    });
    // W4A2: nbgrader "points": 10 on each model's test cell, nothing else graded
    expect(graded(application)).toEqual({ two_layer_model: 10, L_layer_model: 10 });
  });
});
