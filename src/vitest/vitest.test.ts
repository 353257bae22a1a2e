/**
 * dnn-verify/vitest in an engine author's suite: src/vitest/describe-engine.vitest.ts is run by a vitest of
 * its own, and its JSON report read back: the planted bug fails linear_forward's tests (and no other function's)
 * with the counterexample and the replays in the message; a function the engine lacks is skipped, or fails
 * under strict.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { engineChecks, engineOf, formatFailure } from './index.ts';
import { inProcessEngine } from '../adapters/in-process.ts';
import { NDArray } from '../tensor/ndarray.ts';
import { NoAssignmentError } from '../assignments/detect.ts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
}

describe('describeEngine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-vitest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns each check into a test: failures carry the counterexample and replay, missing functions skip (or fail when strict)', () => {
    const config = join(dir, 'vitest.config.mjs');
    writeFileSync(
      config,
      `export default { test: { root: ${JSON.stringify(ROOT)}, include: ['src/vitest/*.vitest.ts'] } };\n`,
    );
    const out = join(dir, 'report.json');
    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        config,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${out}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 110_000, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
    );
    expect(run.status, run.stderr).toBe(1); // the planted bug fails the run
    const tests = (JSON.parse(readFileSync(out, 'utf8')).testResults as { assertionResults: Assertion[] }[]).flatMap(
      (f) => f.assertionResults,
    );
    const where = (suite: string, fn: string) =>
      tests.filter((t) => t.ancestorTitles[0] === `dnn-verify: ${suite}` && t.ancestorTitles[1] === fn);

    const linear = where('planted', 'linear_forward');
    const failed = linear.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(2);
    for (const t of failed) {
      const message = t.failureMessages.join('\n');
      expect(message).toContain(t.title); // the check id
      expect(message).toContain('replay:');
      expect(message).toContain(`npx vitest -t "${t.title}"`);
    }
    // a differential or property failure shows the inputs and a Python replay
    expect(failed.some((t) => /counterexample: .*\n {2}inputs: /.test(t.failureMessages.join('\n')))).toBe(true);
    expect(failed.some((t) => /python:\n {4}/.test(t.failureMessages.join('\n')))).toBe(true);

    const cost = where('planted', 'compute_cost');
    expect(cost.length).toBeGreaterThan(2);
    expect(cost.filter((t) => t.status !== 'passed')).toEqual([]);

    // the checks of linear_activation_forward (not defined) are skipped, never passed
    const missing = where('planted', 'linear_activation_forward');
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.filter((t) => t.status !== 'skipped' && t.status !== 'pending')).toEqual([]);

    // strict: the same checks fail, saying why; compute_cost's pass
    const strictMissing = where('strict', 'linear_activation_forward');
    expect(strictMissing.map((t) => t.title)).toEqual(missing.map((t) => t.title));
    for (const t of strictMissing) {
      expect(t.status).toBe('failed');
      expect(t.failureMessages.join('\n')).toMatch(/not verified \(strict\): the engine does not define/);
    }
    // a run where every check was skipped fails its evidence test; the others' evidence tests pass
    const evidence = (suite: string) =>
      tests.find(
        (t) =>
          t.ancestorTitles.length === 1 &&
          t.ancestorTitles[0] === `dnn-verify: ${suite}` &&
          /verified something/.test(t.title),
      );
    expect(evidence('planted')?.status).toBe('passed');
    expect(evidence('strict')?.status).toBe('passed');
    expect(evidence('no evidence')?.status).toBe('failed');
    expect(evidence('no evidence')?.failureMessages.join('\n')).toMatch(/none of the \d+ checks could run/);
    expect(where('no evidence', 'linear_activation_forward').every((t) => t.status === 'skipped')).toBe(true);

    const strictCost = where('strict', 'compute_cost');
    expect(strictCost.length).toBe(cost.length);
    expect(strictCost.filter((t) => t.status !== 'passed')).toEqual([]);

    // a module path runs in a worker: the hang at m = 7 fails its own test, naming the function and the inputs
    // that hung; the worker is restarted and the other functions' tests still run and pass
    const hung = where('hangs', 'L_model_backward').find((t) => t.title === 'gradcheck/full/[5,4,1]/m=7');
    expect(hung?.status).toBe('failed');
    const hangMessage = hung!.failureMessages.join('\n');
    expect(hangMessage).toMatch(/L_model_backward: timeout: no answer within 2000 ms \(L_model_backward\(AL \(1, 7\)/);
    expect(hangMessage).toMatch(/counterexample: the call that hung: L_model_backward\(AL \(1, 7\), Y \(1, 7\)/);
    const after = where('hangs', 'compute_cost');
    expect(after.length).toBeGreaterThan(2);
    expect(after.filter((t) => t.status !== 'passed')).toEqual([]);
    // the root-cause headlines close each engine's run
    expect(run.stdout).toMatch(
      /dnn-verify: 1 root cause of \d+ failing checks:\n {2}1\. L_model_backward does not return within the time limit/,
    );
    expect(run.stdout).toMatch(/ {5}counterexample \(gradcheck\/full\/\[5,4,1\]\/m=7\): the call that hung/);
  }, 120_000);

  it('refuses an object of functions unless told to run it in this thread (an endless loop there cannot be stopped)', () => {
    const fns = { compute_cost: () => 0 };
    expect(() => engineOf(fns, {})).toThrow(/pass the engine module's path.*inProcess: true/s);
    expect(engineOf(fns, { inProcess: true }).name).toBe('in-process');
    expect(engineOf(new URL('file:///engine.js'), {}).name).toBe('worker:/engine.js');
  });

  it('formatFailure puts the check, its counterexample and every replay in the message', () => {
    const text = formatFailure({
      id: 'property/relu/mask',
      function: 'relu',
      kind: 'property',
      status: 'fail',
      message: 'relu(-1) gave -1',
      counterexample: {
        description: 'Z = [[-1]]',
        inputs: { Z: [[-1]] },
        expected: [[0]],
        actual: [[-1]],
        replay: { fastCheck: { seed: 7, path: '0:1' }, python: 'Z = np.array([[-1.]])\nrelu(Z)', cli: 'dnn-verify x' },
      },
    });
    expect(text.split('\n')).toEqual([
      'fail property/relu/mask (relu): relu(-1) gave -1',
      'counterexample: Z = [[-1]]',
      '  inputs:   {"Z":[[-1]]}',
      '  expected: [[0]]',
      '  actual:   [[-1]]',
      'replay:',
      '  fast-check: {"seed":7,"path":"0:1"}',
      '  python:',
      '    Z = np.array([[-1.]])',
      '    relu(Z)',
      '  cli: dnn-verify x',
      '  vitest: npx vitest -t "property/relu/mask" (checks are deterministic for describeEngine\'s seed and runs)',
    ]);
  });

  it('engineChecks: the assignment named in the options, or detected; an engine of none is NoAssignmentError', async () => {
    const relu = (Z: NDArray) => [
      new NDArray(
        Z.data.map((v) => Math.max(0, v)),
        Z.shape,
      ),
      Z,
    ];
    const named = await engineChecks(inProcessEngine({ relu, two_layer_model: () => null }), {
      assignment: 'step-by-step',
      runs: 2,
    });
    expect([named.assignment.id, named.why]).toEqual(['step-by-step', 'named with --assignment step-by-step']);
    expect(named.ctx.assignment?.id).toBe('step-by-step');
    const detected = await engineChecks(inProcessEngine({ relu, two_layer_model: () => null }), { runs: 2 });
    expect([detected.assignment.id, detected.why]).toEqual(['application', 'defines two_layer_model']);
    expect(detected.ctx.assignment?.id).toBe('application');
    await expect(engineChecks(inProcessEngine({ helper: () => 0 }), {})).rejects.toThrow(NoAssignmentError);
  });
});
