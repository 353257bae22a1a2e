/**
 * `dnn-verify grade` on small classes: each misbehaving submission (hangs, crashes, will not load, does not
 * parse) costs only its own row; unchanged submissions are skipped and --force redoes them; shards merge into
 * the unsharded gradebook; points files; Gradescope's results.json. Expected scores come from the course's rule
 * (10 points per exercise whose function is right) applied by hand to the bug each file has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { discoverSubmissions } from './discover.ts';
import { gradeClass, type GradeSettings } from './index.ts';
import { COURSE_POINTS, readPoints } from './points.ts';
import { asNotebook, correctSource } from '../bench/sample-class.ts';
import { parseCsv } from './gradebook.ts';
import { mergeClassDirs } from './merge-class.ts';
import type { GradeRow } from './row.ts';
import { main } from '../cli/main.ts';

const GRADED = Object.keys(COURSE_POINTS);
const correct = correctSource();
const withBody = (header: string, body: string) => {
  if (!correct.includes(header)) throw new Error(header);
  return correct.replace(header, `${header}\n${body}`);
};
const DW_WITHOUT_1_OVER_M = correct.replace('dW = 1. / m * np.dot(dZ, A_prev.T)', 'dW = np.dot(dZ, A_prev.T)');

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dnn-verify-grade-'));
  process.env.OPENBLAS_NUM_THREADS = '1';
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function settings(reportDir: string, more: Partial<GradeSettings> = {}): GradeSettings {
  return {
    reportDir,
    jobs: 2,
    points: { ...COURSE_POINTS },
    force: false,
    seed: 0,
    runs: 3,
    timeoutMs: 8000,
    budgetMs: 90_000,
    write: () => {},
    ...more,
  };
}

const byId = (rows: GradeRow[]) => Object.fromEntries(rows.map((r) => [r.id, r]));

describe.skipIf(!hasNumpy())(`grade a class ${numpySkipReason()}`, () => {
  it('grades 8 submissions; the hanging, crashing and unloadable ones cost only their own rows', async () => {
    const dir = join(root, 'class');
    mkdirSync(join(dir, 'bob'), { recursive: true });
    expect(DW_WITHOUT_1_OVER_M).not.toBe(correct);
    writeFileSync(join(dir, 'alice.py'), correct);
    writeFileSync(join(dir, 'bob', 'W4A1.ipynb'), asNotebook(correct));
    writeFileSync(join(dir, 'bob', 'dnn_utils.py'), '# a course helper beside the notebook: not a submission\n');
    writeFileSync(join(dir, 'carol.py'), DW_WITHOUT_1_OVER_M);
    // update_parameters never returns: only it (nothing calls it) may lose its points
    writeFileSync(
      join(dir, 'dan-hangs.py'),
      withBody('def update_parameters(params, grads, learning_rate):', '    while True:\n        pass'),
    );
    writeFileSync(join(dir, 'erin-crashes.py'), withBody('def compute_cost(AL, Y):', '    import os\n    os._exit(3)'));
    writeFileSync(join(dir, 'frank-truncated.ipynb'), correct.slice(0, 300));
    writeFileSync(join(dir, 'gina-syntax.py'), 'def linear_forward(A, W, b:\n    return A\n');
    writeFileSync(
      join(dir, 'hal-memory.py'),
      withBody('def relu_backward(dA, cache):', '    big = np.ones((10**6, 10**6))'),
    );

    const subs = discoverSubmissions([dir]);
    expect(subs.map((s) => s.id)).toEqual([
      'alice.py',
      'bob/W4A1.ipynb',
      'carol.py',
      'dan-hangs.py',
      'erin-crashes.py',
      'frank-truncated.ipynb',
      'gina-syntax.py',
      'hal-memory.py',
    ]);
    const out = await gradeClass(subs, settings(join(root, 'out')));
    const rows = byId(out.rows);
    const fns = (r: GradeRow, s: string) => GRADED.filter((f) => r.functions[f] === s);

    for (const id of ['alice.py', 'bob/W4A1.ipynb']) {
      expect(rows[id].verdict, id).toBe('pass');
      expect(rows[id].score).toBe(100);
    }
    // dW without 1/m: linear_backward and both callers are wrong, as the course's tests of them would say
    expect(rows['carol.py'].verdict).toBe('fail');
    expect(fns(rows['carol.py'], 'fail').sort()).toEqual(
      ['L_model_backward', 'linear_activation_backward', 'linear_backward'].sort(),
    );
    expect(rows['carol.py'].score).toBe(70);
    // the hang: update_parameters loses its points (timed out), every other exercise keeps them
    expect(rows['dan-hangs.py'].functions.update_parameters).toMatch(/fail|error/);
    expect(rows['dan-hangs.py'].score).toBe(90);
    expect(rows['dan-hangs.py'].durationMs).toBeLessThan(60_000);
    // the crash: compute_cost loses its points; functions that never call it keep their points
    expect(rows['erin-crashes.py'].functions.compute_cost).toMatch(/fail|error/);
    for (const f of ['initialize_parameters', 'linear_forward', 'linear_backward', 'update_parameters'])
      expect(rows['erin-crashes.py'].functions[f], f).toBe('pass');
    // not loadable at all: an error row with the reason, no points, no pass
    for (const id of ['frank-truncated.ipynb', 'gina-syntax.py']) {
      expect(rows[id].verdict, id).toBe('error');
      expect(rows[id].score).toBe(0);
      expect(rows[id].reason).toBeTruthy();
    }
    expect(rows['frank-truncated.ipynb'].reason).toMatch(/could not be loaded: JSONDecodeError/);
    // a MemoryError is the function's own failure
    expect(rows['hal-memory.py'].functions.relu_backward).toMatch(/fail|error/);
    expect(rows['hal-memory.py'].functions.linear_forward).toBe('pass');

    // the class's files
    const csv = parseCsv(readFileSync(join(root, 'out', 'gradebook.csv'), 'utf8'));
    expect(csv[0].slice(0, 5)).toEqual(['id', 'assignment', 'verdict', 'score', 'max_score']);
    expect(csv[0].slice(5, 15)).toEqual(GRADED);
    expect(csv.length).toBe(9);
    const carol = csv.find((r) => r[0] === 'carol.py')!;
    expect(carol.slice(1, 5)).toEqual(['step-by-step', 'fail', '70', '100']);
    expect(carol[5 + GRADED.indexOf('linear_backward')]).toBe('fail');
    const html = readFileSync(join(root, 'out', 'class.html'), 'utf8');
    expect(html).toContain('href="submissions/carol.py/report.html"');
    expect(existsSync(join(root, 'out', 'submissions', 'carol.py', 'report.html'))).toBe(true);
    expect(existsSync(join(root, 'out', 'submissions', 'bob_W4A1.ipynb', 'junit.xml'))).toBe(true);

    // Gradescope's results.json: one test per graded exercise, the score their sum
    const gs = JSON.parse(readFileSync(join(root, 'out', 'submissions', 'carol.py', 'results.json'), 'utf8'));
    expect(gs.tests.map((t: { name: string }) => t.name)).toEqual(GRADED);
    for (const t of gs.tests) {
      expect(Object.keys(t).sort()).toEqual([
        'max_score',
        'name',
        'name_format',
        'number',
        'output',
        'output_format',
        'score',
        'status',
        'visibility',
      ]);
      // Markdown built with escapers (no raw HTML from a student's exception), names as plain text
      expect([t.output_format, t.name_format]).toEqual(['md', 'text']);
      expect(t.max_score).toBe(10);
      expect(t.visibility).toBe('visible');
    }
    expect(gs.score).toBe(70);
    expect(gs.tests.reduce((s: number, t: { score: number }) => s + t.score, 0)).toBe(70);
    expect(typeof gs.execution_time).toBe('number');
    const lb = gs.tests.find((t: { name: string }) => t.name === 'linear_backward');
    expect(lb.score).toBe(0);
    expect(lb.status).toBe('failed');
    expect(lb.output).toMatch(/linear_backward/);
    const frank = JSON.parse(
      readFileSync(join(root, 'out', 'submissions', 'frank-truncated.ipynb', 'results.json'), 'utf8'),
    );
    expect(frank.score).toBe(0);
    expect(frank.output).toMatch(/could not check/);
  }, 240_000);

  it('skips unchanged submissions, re-checks a changed one, --force redoes all; points apply without re-checking', async () => {
    const dir = join(root, 'rerun');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.py'), correct);
    writeFileSync(join(dir, 'b.py'), DW_WITHOUT_1_OVER_M);
    const out = join(root, 'rerun-out');
    const first = await gradeClass(discoverSubmissions([dir]), settings(out));
    expect([first.graded, first.skipped]).toEqual([2, 0]);
    const again = await gradeClass(discoverSubmissions([dir]), settings(out));
    expect([again.graded, again.skipped]).toEqual([0, 2]);
    expect(again.rows.map((r) => [r.id, r.verdict, r.score])).toEqual(
      first.rows.map((r) => [r.id, r.verdict, r.score]),
    );
    // other options (seed) are other checks: everything is re-checked
    const reseeded = await gradeClass(discoverSubmissions([dir]), settings(out, { seed: 1 }));
    expect(reseeded.graded).toBe(2);
    writeFileSync(join(dir, 'b.py'), correct);
    const changed = await gradeClass(discoverSubmissions([dir]), settings(out, { seed: 1 }));
    expect([changed.graded, changed.skipped]).toEqual([1, 1]);
    expect(byId(changed.rows)['b.py'].score).toBe(100);
    const forced = await gradeClass(discoverSubmissions([dir]), settings(out, { seed: 1, force: true }));
    expect(forced.graded).toBe(2);
    // a points file changes scores, not checks: nothing is re-checked; it changes the weights it names, the
    // others keep the course's 10 (100 - 10 - 10 + 5 + 2.5 = 87.5)
    const pointsFile = join(root, 'points.json');
    writeFileSync(pointsFile, JSON.stringify({ linear_backward: 5, compute_cost: 2.5 }));
    const points = readPoints(pointsFile);
    writeFileSync(join(dir, 'b.py'), DW_WITHOUT_1_OVER_M);
    const rescored = await gradeClass(discoverSubmissions([dir]), settings(out, { seed: 1, points }));
    expect(rescored.graded).toBe(1);
    expect(byId(rescored.rows)['a.py']).toMatchObject({ score: 87.5, maxScore: 87.5 });
    // linear_backward (5) and its callers linear_activation_backward and L_model_backward (10 each) lost
    expect(byId(rescored.rows)['b.py']).toMatchObject({ score: 62.5, maxScore: 87.5 });
    const gs = JSON.parse(readFileSync(join(out, 'submissions', 'a.py', 'results.json'), 'utf8'));
    const maxOf = Object.fromEntries(gs.tests.map((t: { name: string; max_score: number }) => [t.name, t.max_score]));
    expect(maxOf).toMatchObject({ linear_backward: 5, compute_cost: 2.5, linear_forward: 10 });
    const csv = parseCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    expect(csv[0].slice(0, 5)).toEqual(['id', 'assignment', 'verdict', 'score', 'max_score']);
    expect(csv[0]).toContain('linear_backward');
  }, 240_000);

  it("a mixed folder: each submission graded against its own assignment, with that assignment's points", async () => {
    const dir = join(root, 'mixed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'step.py'), correct);
    // an Application notebook's own code (written for this test): its two models, the rest imported from the
    // course's dnn_app_utils_v3
    writeFileSync(
      join(dir, 'app.py'),
      [
        'import numpy as np',
        'from dnn_app_utils_v3 import *',
        '',
        '',
        'def two_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):',
        '    np.random.seed(1)',
        '    grads = {}',
        '    costs = []',
        '    (n_x, n_h, n_y) = layers_dims',
        '    parameters = initialize_parameters(n_x, n_h, n_y)',
        '    W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]',
        '    for i in range(0, num_iterations):',
        '        A1, cache1 = linear_activation_forward(X, W1, b1, "relu")',
        '        A2, cache2 = linear_activation_forward(A1, W2, b2, "sigmoid")',
        '        cost = compute_cost(A2, Y)',
        '        dA2 = - (np.divide(Y, A2) - np.divide(1 - Y, 1 - A2))',
        '        dA1, dW2, db2 = linear_activation_backward(dA2, cache2, "sigmoid")',
        '        dA0, dW1, db1 = linear_activation_backward(dA1, cache1, "relu")',
        "        grads['dW1'], grads['db1'], grads['dW2'], grads['db2'] = dW1, db1, dW2, db2",
        '        parameters = update_parameters(parameters, grads, learning_rate)',
        '        W1, b1, W2, b2 = parameters["W1"], parameters["b1"], parameters["W2"], parameters["b2"]',
        '        if i % 100 == 0:',
        '            costs.append(cost)',
        '    return parameters, costs',
        '',
        '',
        'def L_layer_model(X, Y, layers_dims, learning_rate=0.0075, num_iterations=3000, print_cost=False):',
        '    np.random.seed(1)',
        '    costs = []',
        '    parameters = initialize_parameters_deep(layers_dims)',
        '    for i in range(0, num_iterations):',
        '        AL, caches = L_model_forward(X, parameters)',
        '        cost = compute_cost(AL, Y)',
        '        grads = L_model_backward(AL, Y, caches)',
        '        parameters = update_parameters(parameters, grads, learning_rate)',
        '        if i % 100 == 0:',
        '            costs.append(cost)',
        '    return parameters, costs',
        '',
      ].join('\n'),
    );
    const out = join(root, 'mixed-out');
    const outcome = await gradeClass(discoverSubmissions([dir]), settings(out, { points: undefined }));
    const rows = byId(outcome.rows);
    expect(rows['step.py']).toMatchObject({ assignment: 'step-by-step', verdict: 'pass', score: 100, maxScore: 100 });
    // the Application's graded exercises are its two models, 10 points each (W4A2's nbgrader metadata)
    expect(rows['app.py']).toMatchObject({ assignment: 'application', verdict: 'pass', score: 20, maxScore: 20 });
    const csv = parseCsv(readFileSync(join(out, 'gradebook.csv'), 'utf8'));
    const header = csv[0];
    expect(header.slice(0, 5)).toEqual(['id', 'assignment', 'verdict', 'score', 'max_score']);
    expect(header.filter((h) => h.startsWith('application:'))).toEqual([
      'application:two_layer_model',
      'application:L_layer_model',
    ]);
    expect(header.filter((h) => h.startsWith('step-by-step:')).slice(0, 10)).toEqual(
      GRADED.map((f) => `step-by-step:${f}`),
    );
    const app = csv.find((r) => r[0] === 'app.py')!;
    expect(app[1]).toBe('application');
    expect(app[header.indexOf('step-by-step:linear_forward')]).toBe('');
    expect(app[header.indexOf('application:two_layer_model')]).toBe('pass');
    const html = readFileSync(join(out, 'class.html'), 'utf8');
    expect(html).toContain('<h2 id="a-step-by-step">Building your Deep Neural Network: Step by Step');
    expect(html).toContain('<h2 id="a-application">Deep Neural Network for Image Classification: Application');
  }, 240_000);

  it('shards merge into the gradebook of the unsharded run', async () => {
    const dir = join(root, 'shards');
    mkdirSync(dir, { recursive: true });
    const files = {
      'p1.py': correct,
      'p2.py': DW_WITHOUT_1_OVER_M,
      'p3.py': correct.replace('cost = np.squeeze(cost)', 'cost = np.squeeze(cost) * 2'),
      'p4.ipynb': asNotebook(correct),
    };
    expect(files['p3.py']).not.toBe(correct);
    for (const [f, s] of Object.entries(files)) writeFileSync(join(dir, f), s);
    const subs = discoverSubmissions([dir]);
    await gradeClass(subs, settings(join(root, 'whole'), { jobs: 2 }));
    const shardDirs = [0, 1, 2].map((i) => join(root, `shard-${i}`));
    const sizes: number[] = [];
    for (const [i, d] of shardDirs.entries()) {
      const o = await gradeClass(subs, settings(d, { shard: { index: i, count: 3 } }));
      sizes.push(o.rows.length);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(4);
    mergeClassDirs(shardDirs, join(root, 'merged'), { ...COURSE_POINTS });
    const strip = (csv: string) =>
      parseCsv(csv).map((r, i, all) => r.filter((_, k) => all[0][k] !== 'seconds' || i < 0));
    expect(strip(readFileSync(join(root, 'merged', 'gradebook.csv'), 'utf8'))).toEqual(
      strip(readFileSync(join(root, 'whole', 'gradebook.csv'), 'utf8')),
    );
    expect(existsSync(join(root, 'merged', 'submissions', 'p2.py', 'report.html'))).toBe(true);
    // a shard missing, or given twice, is an error that says so
    expect(() => mergeClassDirs(shardDirs.slice(0, 2), join(root, 'bad'), COURSE_POINTS)).toThrow(
      /shard 2 of 3 missing/,
    );
    expect(() => mergeClassDirs([shardDirs[0], shardDirs[0], shardDirs[1]], join(root, 'bad'), COURSE_POINTS)).toThrow(
      /given twice/,
    );
    expect(() => mergeClassDirs([join(root, 'whole')], join(root, 'bad'), COURSE_POINTS)).toThrow(/not a shard/);
  }, 240_000);
});

describe.skipIf(!hasNumpy())(`the grade command ${numpySkipReason()}`, () => {
  it('writes the class files and, with --results-json, the Gradescope file where the autograder wants it', async () => {
    const dir = join(root, 'cli');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'only.py'), DW_WITHOUT_1_OVER_M);
    const results = join(root, 'cli-results.json');
    const out: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => {
      out.push(String(s));
      return true;
    }) as typeof process.stdout.write;
    let code: number;
    try {
      code = await main([
        'grade',
        join(dir, 'only.py'),
        '--report-dir',
        join(root, 'cli-out'),
        '--runs',
        '2',
        '--results-json',
        results,
      ]);
    } finally {
      process.stdout.write = write;
    }
    expect(code).toBe(0);
    expect(out.join('')).toMatch(/1 submissions \(1 checked, 0 unchanged\).*1 fail/);
    const gs = JSON.parse(readFileSync(results, 'utf8'));
    expect(gs.score).toBe(70);
    expect(gs.tests).toHaveLength(10);
    for (const f of ['gradebook.csv', 'class.html', 'class.json'])
      expect(existsSync(join(root, 'cli-out', f)), f).toBe(true);
  }, 120_000);
});

describe('grade: usage errors name what is wrong', () => {
  const run = async (args: string[]) => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => {
      err.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    try {
      return { code: await main(args), err: err.join('') };
    } finally {
      process.stderr.write = write;
    }
  };
  it('no submissions, a missing file, a bad points file, a bad shard', async () => {
    expect(await run(['grade'])).toMatchObject({ code: 2, err: expect.stringMatching(/name the submissions/) });
    expect(await run(['grade', join(tmpdir(), 'no-such-dnn-verify-file.py')])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no such file or folder/),
    });
    const pts = join(tmpdir(), `dnn-verify-points-${process.pid}.json`);
    writeFileSync(pts, JSON.stringify({ linear_fwd: 10 }));
    expect(await run(['grade', '--points', pts, '.'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/'linear_fwd' is not a function of any assignment/),
    });
    writeFileSync(pts, JSON.stringify({ linear_forward: -1 }));
    expect((await run(['grade', '--points', pts, '.'])).err).toMatch(/must be a number >= 0/);
    rmSync(pts);
    expect((await run(['grade', '--shard', '2/2', '.'])).err).toMatch(/--shard must be i\/n/);
  });
});
