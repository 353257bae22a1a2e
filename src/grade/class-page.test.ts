/**
 * class.html and gradebook.csv from rows made by hand (no engine needed): pass rates and diagnosis counts
 * counted by hand, escaping of what students control, CSV quoting; and the page rendered by headless Chromium
 * (skipped with a message where Chromium is absent).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonDiagnoses, passRates, renderClassPage } from './class-page.ts';
import { csvField, parseCsv, renderGradebook } from './gradebook.ts';
import { COURSE_POINTS } from './points.ts';
import { score, type FunctionStatus, type GradeRow } from './row.ts';

const GRADED = Object.keys(COURSE_POINTS);
const DB_AXIS = 'db summed over axis 0 where axis 1 belongs';

function row(
  id: string,
  broken: Record<string, FunctionStatus>,
  diagnoses: GradeRow['diagnoses'] = [],
  more: Partial<GradeRow> = {},
): GradeRow {
  const functions = Object.fromEntries(GRADED.map((f) => [f, broken[f] ?? 'pass'])) as Record<string, FunctionStatus>;
  const bad = Object.values(broken).some((s) => s === 'fail' || s === 'error');
  return {
    id,
    dir: `submissions/${id.replace(/[^A-Za-z0-9._-]+/g, '_')}`,
    verdict: bad ? 'fail' : 'pass',
    functions,
    warnings: 0,
    checks: { pass: 70, fail: bad ? 3 : 0, error: 0, skip: 1, warn: 0 },
    durationMs: 1000,
    ...score(functions, COURSE_POINTS),
    diagnoses,
    contentHash: 'c',
    optionsHash: 'o',
    gradedAt: '2026-11-30T00:00:00.000Z',
    ...more,
  };
}

const dbBug = { linear_backward: 'fail', linear_activation_backward: 'fail', L_model_backward: 'fail' } as const;
const rows: GradeRow[] = [
  row('ana.ipynb', {}),
  row('ben.ipynb', dbBug, [{ function: 'linear_backward', text: DB_AXIS }], { durationMs: 9000 }),
  row('cleo.py', dbBug, [{ function: 'linear_backward', text: DB_AXIS }]),
  row('<script>alert(1)</script>.py', dbBug, [{ function: 'linear_backward', text: DB_AXIS }]),
  row('dora.py', { compute_cost: 'fail' }, [{ function: 'compute_cost', text: 'cost without the minus sign' }]),
  {
    ...row('eve.ipynb', {}),
    verdict: 'error',
    reason: 'the submission did not load: hello: crash: exited with code 1',
    functions: {},
    score: 0,
    earned: {},
    checks: { pass: 0, fail: 0, error: 0, skip: 0, warn: 0 },
    diagnoses: [{ function: '', text: 'the submission did not load: hello: crash: exited with code 1' }],
  },
];

describe('class.html', () => {
  it('counts diagnoses and pass rates as counted by hand', () => {
    const groups = commonDiagnoses(rows);
    expect(groups.map((g) => [g.function, g.ids.length])).toEqual([
      ['linear_backward', 3],
      ['', 1],
      ['compute_cost', 1],
    ]);
    const rates = Object.fromEntries(passRates(rows, GRADED).map((p) => [p.fn, p]));
    // 6 students: 3 with the db bug, 1 not loaded
    expect(rates.linear_backward).toMatchObject({ pass: 2, fail: 3, missing: 1 });
    expect(rates.linear_backward.rate).toBeCloseTo(2 / 6, 12);
    expect(rates.compute_cost).toMatchObject({ pass: 4, fail: 1, missing: 1 });
    expect(rates.initialize_parameters.rate).toBeCloseTo(5 / 6, 12);
  });

  it('escapes what students control and links each report', () => {
    const html = renderClassPage(rows, COURSE_POINTS, { seed: 0, runs: 10 });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.py');
    expect(html).toContain('href="submissions/ben.ipynb/report.html"');
    // a submission that produced no report is not linked
    expect(html).not.toContain('submissions/eve.ipynb/report.html');
    expect(html).toMatch(/<b>3<\/b><\/td><td>linear_backward<\/td><td>db summed over axis 0/);
    expect(html).not.toMatch(/<link|<script|src="http/);
  });

  it('shows only graded exercises, with a legend that says "warn" is full marks, and the flags', () => {
    const helpers = rows.map((r) =>
      r.verdict === 'error'
        ? r
        : { ...r, functions: { ...r.functions, relu: 'fail' as const, sigmoid: 'pass' as const } },
    );
    const flagged = [
      ...helpers,
      row('José Ñúñez_1_assignsubmission_file_/W4A1.ipynb', {}, [], {
        student: 'José Ñúñez',
        flags: ['byte-identical to ana.ipynb'],
      }),
    ];
    const html = renderClassPage(flagged, { ...COURSE_POINTS, update_parameters: 0 }, { seed: 0, runs: 10 });
    const heads = [...html.matchAll(/<th class="small" title="([^"]+)">/g)].map((m) => m[1]);
    expect(heads).toEqual(GRADED.filter((f) => f !== 'update_parameters'));
    expect(html).not.toMatch(/<td>relu<\/td>|title="sigmoid"/);
    expect(html).toContain('<h2>Legend</h2>');
    expect(html).toContain('full marks (the policy: warnings cost nothing)');
    expect(html).toContain('callers lose');
    expect(html).toMatch(/<h2>Flags for the TA \(1\)<\/h2>/);
    expect(html).toContain('José Ñúñez<br>');
    expect(html).toContain('byte-identical to ana.ipynb');
    const costly = renderClassPage(rows, COURSE_POINTS, {
      seed: 0,
      runs: 10,
      policy: { callers: 'keep', warningPenalty: 0.5 },
    });
    expect(costly).toContain('it costs 50% of the function&#39;s points');
    expect(costly).toContain('callers keep');
  });

  it('renders in headless Chromium', () => {
    const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
      (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0,
    );
    if (!chromium) {
      console.log('skipped: headless Chromium not installed (Debian: apt-get install -y chromium)');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'dnn-verify-class-html-'));
    try {
      const page = join(dir, 'class.html');
      writeFileSync(page, renderClassPage(rows, COURSE_POINTS, { seed: 0, runs: 10, wallMs: 12_300, jobs: 2 }));
      const flags = [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${join(dir, 'profile')}`,
      ];
      const dom = spawnSync(chromium, [...flags, '--dump-dom', `file://${page}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(dom.status, dom.stderr).toBe(0);
      // the browser's DOM: the tables parsed as written (6 submissions, 3 diagnoses, 10 graded functions), the
      // flags and the legend
      expect(dom.stdout.match(/<h2>/g)?.length).toBe(7);
      expect(dom.stdout).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.py');
      const shot = join(process.env.DNN_VERIFY_SCREENSHOT_DIR ?? dir, 'class.png');
      const r = spawnSync(chromium, [...flags, `--screenshot=${shot}`, '--window-size=1280,1800', `file://${page}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(existsSync(shot)).toBe(true);
      expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(shot).size).toBeGreaterThan(20_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('gradebook.csv', () => {
  it('one row per submission, quoted where needed, spreadsheet formulas defused', () => {
    const withComma = row('smith, jo.py', {}, [], { reason: 'said "hi"' });
    const formula = row('=HYPERLINK("x").py', {});
    const csv = renderGradebook([withComma, formula], COURSE_POINTS);
    const parsed = parseCsv(csv);
    expect(parsed.length).toBe(3);
    expect(parsed[1][0]).toBe('smith, jo.py');
    expect(parsed[1][parsed[0].indexOf('reason')]).toBe('said "hi"');
    expect(parsed[2][0]).toBe(`'=HYPERLINK("x").py`);
    expect(csvField('a"b')).toBe('"a""b"');
    expect(csvField(70)).toBe('70');
  });
});

describe('a class of several assignments', () => {
  const step = row('s.py', dbBug, [{ function: 'linear_backward', text: DB_AXIS }], { assignment: 'step-by-step' });
  const app: GradeRow = {
    ...row('a.ipynb', {}, [], { assignment: 'application' }),
    functions: { two_layer_model: 'pass', L_layer_model: 'fail' },
    ...score({ two_layer_model: 'pass', L_layer_model: 'fail' }, { two_layer_model: 10, L_layer_model: 10 }),
  };
  const none = { ...row('x.py', {}), functions: {}, verdict: 'error' as const, reason: 'did not load' };
  const pointsOf = (a: string | undefined) =>
    a === 'application' ? { two_layer_model: 10, L_layer_model: 10 } : { ...COURSE_POINTS };

  it("gradebook.csv: an assignment column, each assignment's columns prefixed, empty under the others'", () => {
    const csv = parseCsv(renderGradebook([step, app, none], pointsOf));
    const [header, s, a, x] = csv;
    expect(header.slice(0, 5)).toEqual(['id', 'assignment', 'verdict', 'score', 'max_score']);
    const fns = header.slice(5, header.indexOf('warnings'));
    expect(fns).toEqual([
      ...GRADED.map((f) => `step-by-step:${f}`),
      'application:two_layer_model',
      'application:L_layer_model',
    ]);
    expect(s.slice(1, 5)).toEqual(['step-by-step', 'fail', '70', '100']);
    expect(a.slice(1, 5)).toEqual(['application', 'pass', '10', '20']);
    expect(a[header.indexOf('step-by-step:linear_backward')]).toBe('');
    expect(a[header.indexOf('application:L_layer_model')]).toBe('fail');
    expect(s[header.indexOf('application:two_layer_model')]).toBe('');
    expect(x[1]).toBe('');
  });

  it('class.html: a section per assignment with its own pass rates and diagnoses', () => {
    const html = renderClassPage([step, app, none], pointsOf, { seed: 0, runs: 10 });
    const at = (s: string) => html.indexOf(s);
    const stepSection = at('<h2 id="a-step-by-step">');
    const appSection = at('<h2 id="a-application">');
    expect(stepSection).toBeGreaterThan(0);
    expect(appSection).toBeGreaterThan(stepSection);
    expect(html).toContain(
      'Building your Deep Neural Network: Step by Step (step-by-step, Course 1, week 4 (W4A1)): 1 submission',
    );
    // the db diagnosis is in step by step's section, L_layer_model's pass rate in the Application's
    expect(at(DB_AXIS)).toBeGreaterThan(stepSection);
    expect(at(DB_AXIS)).toBeLessThan(appSection);
    expect(html.indexOf('<td>L_layer_model</td><td class="num">10</td><td class="num">0%</td>')).toBeGreaterThan(
      appSection,
    );
    expect(html).toContain('Submissions of no assignment (1)');
  });
});

describe('a submission of an assignment worth no points', () => {
  it('is scored against the class graded assignment (max 100, not 0/0) and flagged', async () => {
    const { writeClassFiles } = await import('./index.ts');
    const { classState } = await import('./state.ts');
    const { pointsFor } = await import('./points.ts');
    const dir = mkdtempSync(join(tmpdir(), 'class-zero-'));
    try {
      const softmaxOnly: GradeRow = {
        ...row('mallory.py', {}),
        assignment: 'softmax',
        verdict: 'incomplete',
        functions: { softmax: 'pass' },
        ...score({ softmax: 'pass' }, pointsFor('softmax')),
      };
      const honest = [
        row('ana.py', {}, [], { assignment: 'step-by-step' }),
        row('ben.py', {}, [], { assignment: 'step-by-step' }),
      ];
      const options = { seed: 0, runs: 1, timeoutMs: 1000, budgetMs: 1000 };
      writeClassFiles(dir, classState(options, undefined, 3, [...honest, softmaxOnly]), (a) => pointsFor(a), {});
      const rows = JSON.parse(readFileSync(join(dir, 'class.json'), 'utf8')).rows as GradeRow[];
      const mallory = rows.find((r) => r.id === 'mallory.py')!;
      expect([mallory.score, mallory.maxScore]).toEqual([0, 100]);
      expect(mallory.flags?.join(' ')).toMatch(
        /detected as softmax, which carries no points: scored against step-by-step/,
      );
      expect(rows.find((r) => r.id === 'ana.py')!.maxScore).toBe(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
