/**
 * A .py the runner reads as a notebook's cells (it imports the course's tests, reads a name nothing in it binds,
 * carries a notebook export's marks) says so, and why, in every report: report.json's `detected.loadMode`, the
 * terminal's header, summary.md and report.html. A plain module and a notebook say nothing. The files are written
 * here, in the shape of such exports, not taken from anyone's submission.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { main } from '../cli/main.ts';
import { pythonEngine } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'load-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const LINEAR_FORWARD = ['def linear_forward(A, W, b):', '    Z = W.dot(A) + b', '    return Z, (A, W, b)', ''].join(
  '\n',
);

/** `dnn-verify check` on one file in this process: its exit code, what it printed and the report files. */
async function check(path: string, name: string) {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  const reportDir = join(dir, `r-${name}`);
  let code: number;
  try {
    code = await main([
      'check',
      ...['--python', path, '--functions', 'linear_forward', '--runs', '2', '--sandbox', 'none'],
      ...['--report-dir', reportDir],
    ]);
  } finally {
    process.stdout.write = write;
    process.stderr.write = err;
  }
  const read = (f: string) => readFileSync(join(reportDir, f), 'utf8');
  const report = JSON.parse(read('report.json')) as { verdict: string; detected: Record<string, unknown> };
  return { code, stdout: out.join(''), report, md: read('summary.md'), html: read('report.html') };
}

describe.skipIf(!hasNumpy())(`a .py read as notebook cells says why, in every report ${numpySkipReason()}`, () => {
  it("imports the course's tests (testCases_v2): report.json, the terminal, summary.md and report.html say so", async () => {
    const src = [
      'import numpy as np',
      'from testCases_v2 import *',
      '',
      LINEAR_FORWARD,
      'A, W, b = linear_forward_test_case()',
      'Z, linear_cache = linear_forward(A, W, b)',
      'print("Z = " + str(Z))',
      '',
    ].join('\n');
    const r = await check(file('export.py', src), 'tests');
    expect(r.report.verdict).toBe('pass');
    expect(r.report.detected.loadMode).toEqual({
      mode: 'notebook',
      why: "line 2 imports the course's tests (testCases_v2): the file is a notebook's cells, its test calls included",
    });
    const line =
      "read as notebook cells, not imported as a Python module, because line 2 imports the course's tests (testCases_v2)";
    expect(r.stdout).toContain(line);
    // right under the assignment's line, in the header
    const lines = r.stdout.split('\n');
    expect(lines.findIndex((l) => l.startsWith(line))).toBe(lines.findIndex((l) => l.startsWith('assignment: ')) + 1);
    expect(r.md).toContain(line);
    expect(r.html).toContain(`<p class="load-mode">${line.replace(/'/g, '&#39;')}`);
    expect(r.stdout).toContain('test calls, prints and plots were skipped');
  }, 120_000);

  it('reads a notebook global it never binds: the report names the line and the name', async () => {
    const src = ['import numpy as np', 'm_train = train_x.shape[1]', '', LINEAR_FORWARD].join('\n');
    const r = await check(file('fragment.py', src), 'unbound');
    expect(r.report.verdict).toBe('pass');
    expect((r.report.detected.loadMode as { why: string }).why).toMatch(
      /^line 2 reads train_x, which nothing in the file defines: Python could not import it as a module/,
    );
    expect(r.stdout).toContain('because line 2 reads train_x, which nothing in the file defines');
  }, 120_000);

  it("carries a notebook export's cell marker: the marker's line is named", async () => {
    const src = ['import numpy as np', '', '', '# In[3]:', '', LINEAR_FORWARD].join('\n');
    const r = await check(file('marked.py', src), 'marked');
    expect((r.report.detected.loadMode as { why: string }).why).toMatch(
      /^line 4 \(# In\[3\]:\) is something only a notebook has/,
    );
  }, 120_000);

  it('a plain module and a notebook: no loadMode, no line', async () => {
    const plain = await check(file('plain.py', `import numpy as np\n\n${LINEAR_FORWARD}`), 'plain');
    expect(plain.report.verdict).toBe('pass');
    expect(plain.report.detected.loadMode).toBeUndefined();
    expect(plain.stdout).not.toContain('notebook cells');
    expect(plain.md).not.toContain('notebook cells');
    const cells = [`import numpy as np\nfrom testCases_v2 import *`, LINEAR_FORWARD];
    const nb = {
      cells: cells.map((source) => ({ cell_type: 'code', metadata: {}, outputs: [], source })),
      metadata: {},
      nbformat: 4,
      nbformat_minor: 2,
    };
    const notebook = await check(file('nb.ipynb', JSON.stringify(nb)), 'ipynb');
    expect(notebook.report.verdict).toBe('pass');
    expect(notebook.report.detected.loadMode).toBeUndefined();
    expect(notebook.html).not.toContain('class="load-mode"');
  }, 120_000);

  it("the engine's load info carries the reason; --load notebook names itself", async () => {
    const path = file('asked.py', `import numpy as np\n\n${LINEAR_FORWARD}`);
    const engine = pythonEngine(path, { load: 'notebook' });
    try {
      await engine.functions();
      expect(engine.loadInfo?.().loadMode).toEqual({ mode: 'notebook', why: '--load notebook asked for it' });
    } finally {
      await engine.close();
    }
  }, 60_000);
});
