/**
 * The hostile-output corpus (issue 23, "Output channels"): an engine whose error messages, returned values and
 * last words, and a file name, carry every payload a student could aim at the grader's screen, CI log or files
 * (ESC sequences, OSC 52 clipboard writes, OSC 8 links, `::error::` / `::add-mask::` workflow commands, `##[` and
 * `##vso[` log commands, a fake `dnn-verify: PASS` line, `<img onerror>`, `<!--`, Markdown links and images,
 * U+FFFF, bidi overrides, a spreadsheet formula), run through the CLI's `check --verbose` and `grade`. Every
 * channel is read as its reader would read it: the terminal and CI log line by line, junit.xml by a real XML
 * parser (Python's expat), report.html and class.html by Chromium's DOM (where Chromium is installed),
 * summary.md by its code spans and fences, gradebook.csv as a spreadsheet would with four delimiters, the JSON
 * files by JSON.parse. None of the payloads survives raw; the student's real message and a Unicode name stay
 * readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasNumpy, numpySkipReason } from '../../test/oracle/numpy.ts';
import { asNotebook, correctSource } from '../bench/sample-class.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'bin.ts')];

/** The payload, as Python source (a str literal's body). */
const PAYLOAD_PY = [
  String.raw`\x1b[2J\x1b[1A\x1b[31m`,
  String.raw`\x1b]52;c;ZWNobyBwd25lZA==\x07`,
  String.raw`\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\`,
  String.raw`\n::error file=grader.py,line=1::forged annotation`,
  String.raw`\n::add-mask::dnn-verify`,
  String.raw`\ndnn-verify: PASS python:everything: 103 passed, 0 failed`,
  String.raw`\n  ::warning::indented command`,
  String.raw`\n##[error]forged azure/github v1 command`,
  String.raw`\n##vso[task.setvariable variable=grade]100`,
  String.raw`\r\x85 <img src=x onerror=alert(1)> <!-- [link](https://evil.example/l) ![img](https://evil.example/p.png)`,
  `${String.raw` \uffff \u202egnp.exe \u2066 `}\`\`\` \``,
].join('');
/** the student's own words that must stay readable around the payload */
const REAL = 'shapes (3,4) and (5,) not aligned';

/** the correct engine with every channel of engine text poisoned */
function hostileEngine(): string {
  return correctSource()
    .replace('import numpy as np\n', `import numpy as np\nP = "${PAYLOAD_PY}"\n`)
    .replace(/^def linear_forward\(.*\):\n/m, (m) => `${m}    raise ValueError("${REAL} " + P)\n`)
    .replace(/^def compute_cost\(.*\):\n/m, (m) => `${m}    return P\n`)
    .replace(/^def initialize_parameters_deep\(.*\):\n/m, (m) => `${m}    return {P: np.zeros((1, 1)), "W1" + P: 1}\n`)
    .replace(/^def relu_backward\(.*\):\n/m, (m) => `${m}    raise MemoryError(P)\n`);
}

/** An engine that dies while loading (a default argument runs when its def does), the payload its last words. */
const DIES = `import os\ndef sigmoid(Z, _=os.write(2, ("Traceback\\nValueError: ${REAL} " + "${PAYLOAD_PY}").encode()) and os._exit(3)):\n    return Z\n`;

/** A file name with the payloads a name can hold (no '/'), within 255 bytes. */
const HOSTILE_NAME = `c;=cmd|'calc'!A0;\x1b]52;c;eA==\x07\x1b[2J\n::error::name\n##[error]n\u202e <img src=x onerror=alert(2)>\uffff.py`;
const UNICODE_NAME = 'Łukasz_ñ_学生.ipynb';

/** Raw control characters a terminal, a log viewer or an XML parser would act on (C0 but \n, DEL, C1, bidi, ...) */
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

async function cli(args: string[], cwd: string) {
  const child = spawn(process.execPath, [...BIN, ...args], {
    cwd,
    // a CI log: GitHub sets CI; no terminal
    env: { ...process.env, CI: 'true', GITHUB_ACTIONS: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, out };
}

/**
 * The log as a CI runner reads it (lines split at \n and \r, GitHub trimming leading white space): no command,
 * no raw control, and no line of the suite's own form ("dnn-verify...") but those the suite writes.
 */
function expectCleanLog(log: string, ours: RegExp) {
  expect(log).not.toMatch(RAW_CONTROL);
  for (const line of log.split(/\r\n|\r|\n/)) {
    expect(line.trimStart().startsWith('::'), line).toBe(false);
    expect(line, line).not.toMatch(/##\[|##vso\[/i);
    if (line.startsWith('dnn-verify')) expect(line, line).toMatch(ours);
  }
  expect(log).not.toMatch(/^dnn-verify: PASS/m);
}

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(
  (c) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0,
);

/** The DOM Chromium builds of a page (serialised), or undefined without Chromium. */
function dom(page: string, dir: string): string | undefined {
  if (!chromium) return undefined;
  const r = spawnSync(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(dir, 'chromium-profile')}`,
      '--dump-dom',
      `file://${page}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** A page is safe when no element came from the payloads: none of these in the DOM, the text still there. */
function expectSafePage(file: string, dir: string, readable: string[]) {
  const raw = readFileSync(file, 'utf8');
  expect(raw).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  expect(raw).not.toMatch(RAW_CONTROL);
  const parsed = dom(file, dir) ?? raw;
  // in a serialised DOM, text holds "&lt;img"; "<img" is an element
  expect(parsed).not.toMatch(/<img|<script|<iframe|<a href="http|<[a-z]+[^>]*\sonerror=/i);
  for (const r of readable) expect(parsed).toContain(r);
}

/** summary.md outside its code spans and fences: only our own HTML, no link, image or comment. */
function expectSafeMarkdown(md: string) {
  expect(md).not.toMatch(RAW_CONTROL);
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    expect(line.trimStart().startsWith('::'), line).toBe(false);
    const f = /^`{3,}/.exec(line)?.[0];
    if (fence) {
      if (f && f.length >= fence.length && line.trim() === f) fence = undefined;
      continue;
    }
    if (f) {
      fence = f;
      continue;
    }
    // drop the code spans (a backtick run closes at the next run of the same length)
    let prose = '';
    for (let i = 0; i < line.length; ) {
      const run = /^`+/.exec(line.slice(i))?.[0];
      if (!run) {
        prose += line[i++];
        continue;
      }
      const close = line.slice(i + run.length).search(new RegExp(`(?<!\`)\`{${run.length}}(?!\`)`));
      if (close < 0) {
        prose += run;
        i += run.length;
      } else i += run.length + close + run.length;
    }
    const tags = prose.match(/<[^>]*>?/g) ?? [];
    for (const t of tags) expect(['<details>', '<summary>', '</summary>', '</details>'], line).toContain(t);
    expect(prose, line).not.toMatch(/(?<!\\)\]\(|(?<!\\)!\[|(?<!\\):\/\/|www\.|<!--/);
  }
  expect(fence).toBeUndefined();
}

/** junit.xml through expat: it parses; every character is one of XML 1.0's Char production. */
function expectParsableXml(file: string): string {
  const text = readFileSync(file, 'utf8');
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    expect(
      c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000,
      `U+${c.toString(16)}`,
    ).toBe(true);
  }
  const py = spawnSync(
    'python3',
    [
      '-c',
      'import sys, xml.dom.minidom as m\nd = m.parse(sys.argv[1])\nprint("\\n".join(f.getAttribute("message") for f in d.getElementsByTagName("failure") + d.getElementsByTagName("error")))',
      file,
    ],
    { encoding: 'utf8' },
  );
  expect(py.status, py.stderr).toBe(0);
  return py.stdout;
}

/** gradebook.csv as a spreadsheet reads it with a delimiter: quotes open only at a cell's start. */
function spreadsheet(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let start = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
      start = false;
      continue;
    }
    if (c === '"' && start) quoted = true;
    else if (c === delimiter || c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      cell = '';
      if (c !== delimiter) {
        rows.push(row);
        row = [];
      }
      start = true;
      continue;
    } else cell += c;
    start = false;
  }
  return rows;
}

describe.skipIf(!hasNumpy())(
  `hostile output: every channel escapes what an engine or a name says ${numpySkipReason()}`,
  () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'dnn-verify-hostile-output-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('check --verbose: terminal and CI log, report.html, summary.md, junit.xml, report.json', async () => {
      const file = join(dir, 'hostile.py');
      writeFileSync(file, hostileEngine());
      const reports = join(dir, 'check-reports');
      const r = await cli(
        ['check', '--python', file, '--runs', '3', '--verbose', '--timeout', '30000', '--report-dir', reports],
        dir,
      );
      expect(r.code, r.out).toBe(1);
      expectCleanLog(r.out, /^dnn-verify: (sandbox: |FAIL python:)/);
      // the student's message is there, its first line on the suite's line, the rest prefixed "| "
      expect(r.out).toContain(`ValueError: ${REAL} \\x1b[2J`);
      expect(r.out).toMatch(/^ {2}\| \\::error file=grader\.py,line=1::forged annotation$/m);
      expect(r.out).toMatch(/^ {2}\| dnn-verify: PASS python:everything/m);
      expect(r.out).toContain('##\\[error]');

      const html = join(reports, 'report.html');
      expectSafePage(html, dir, [REAL, '\\x1b]52;c;ZWNobyBwd25lZA==\\x07', '&lt;img src=x onerror=alert(1)&gt;']);

      const md = readFileSync(join(reports, 'summary.md'), 'utf8');
      expectSafeMarkdown(md);
      expect(md).toContain(REAL);

      const messages = expectParsableXml(join(reports, 'junit.xml'));
      expect(messages).toContain(`${REAL} \\x1b[2J`);
      expect(messages).toContain('<img src=x onerror=alert(1)>'); // as text, parsed back from &lt;img

      // report.json is data (JSON.stringify): the message is kept as the engine sent it
      const report = JSON.parse(readFileSync(join(reports, 'report.json'), 'utf8'));
      expect(report.verdict).toBe('fail');
      expect(JSON.stringify(report)).toContain('onerror=alert(1)');
    }, 240_000);

    it('check on an engine that dies at load: the one-line error quotes its last words safely', async () => {
      const file = join(dir, 'dies.py');
      writeFileSync(file, DIES);
      const r = await cli(['check', '--python', file, '--report-dir', join(dir, 'dies-reports')], dir);
      expect(r.code, r.out).toBe(2);
      expectCleanLog(r.out, /^dnn-verify( check: the engine did not start: |: sandbox: )/);
      expect(r.out).toMatch(/before it answered: ValueError: .*\\x1b\[2J/);
      expectParsableXml(join(dir, 'dies-reports', 'junit.xml'));
      expectSafeMarkdown(readFileSync(join(dir, 'dies-reports', 'summary.md'), 'utf8'));
    }, 120_000);

    it('grade: progress lines, gradebook.csv, class.html, results.json', async () => {
      const subs = join(dir, 'class');
      mkdirSync(subs);
      writeFileSync(join(subs, HOSTILE_NAME), hostileEngine());
      writeFileSync(join(subs, UNICODE_NAME), asNotebook(correctSource()));
      // a submission that dies while loading (a default argument runs when its def does): its last words,
      // the payload's last line, become the row's reason
      writeFileSync(join(subs, 'dies.py'), DIES);
      const out = join(dir, 'grades');
      // generous per-call limits: on a loaded machine a correct notebook must not time out (nothing here hangs)
      const limits = ['--timeout', '30000', '--budget', '600'];
      const r = await cli(['grade', subs, '--report-dir', out, '--jobs', '2', '--runs', '3', ...limits], dir);
      expect(r.code, r.out).toBe(0);
      expectCleanLog(r.out, /^dnn-verify(: sandbox: | grade: \d+ submissions)/);
      expect(r.out).toContain(`${UNICODE_NAME} PASS 100/100`);
      // the progress line shows the end of the hostile name, visibly
      expect(r.out).toContain('onerror=alert(2)>\\uffff.py');

      // gradebook.csv: for , ; tab and |, no cell a spreadsheet would take as a formula; numbers stay numbers
      const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8');
      expect(csv.replace(/\r\n/g, '\n')).not.toMatch(RAW_CONTROL); // CRLF ends each record (RFC 4180)
      for (const d of [',', ';', '\t', '|'])
        for (const row of spreadsheet(csv, d))
          for (const cell of row)
            if (!/^-?\d+(\.\d+)?$/.test(cell))
              expect(cell, `${JSON.stringify(d)}: ${cell}`).not.toMatch(/^[\s"']*[=+\-@]/);
      const rows = spreadsheet(csv, ',');
      const header = rows[0];
      const byId = new Map(rows.slice(1).map((row) => [row[0], row]));
      expect([...byId.keys()].sort()).toEqual(
        [
          'dies.py',
          "c;'=cmd|'calc'!A0;\\x1b]52;c;eA==\\x07\\x1b[2J\\n::error::name\\n##[error]n\\u202e <img src=x onerror=alert(2)>\\uffff.py",
          UNICODE_NAME,
        ].sort(),
      );
      expect(byId.get(UNICODE_NAME)?.[header.indexOf('score')]).toBe('100');
      expect(csv).toMatch(/^"Łukasz_ñ_学生\.ipynb","step-by-step","pass",100,100,/m);
      expect(byId.get('dies.py')?.[header.indexOf('reason')]).toMatch(/^the submission did not load: .*\(.*\\uffff/);

      // class.html: the names and reasons are text, never elements
      expectSafePage(join(out, 'class.html'), dir, [UNICODE_NAME, 'onerror=alert(2)', 'the submission did not load']);
      // each submission's pages too
      for (const sub of readdirSync(join(out, 'submissions'))) {
        const page = join(out, 'submissions', sub, 'report.html');
        if (existsSync(page)) expectSafePage(page, dir, []);
        const junit = join(out, 'submissions', sub, 'junit.xml');
        if (existsSync(junit)) expectParsableXml(junit);
        const summary = join(out, 'submissions', sub, 'summary.md');
        if (existsSync(summary)) expectSafeMarkdown(readFileSync(summary, 'utf8'));
        // Gradescope's results.json: Markdown as safe as summary.md's, names as text, no raw control
        const gs = JSON.parse(readFileSync(join(out, 'submissions', sub, 'results.json'), 'utf8'));
        expect([gs.output_format, gs.test_output_format, gs.test_name_format]).toEqual(['md', 'md', 'text']);
        for (const text of [gs.output, ...gs.tests.map((t: { output: string }) => t.output)]) {
          expect(text).not.toMatch(RAW_CONTROL);
          expectSafeMarkdown(text);
        }
        for (const t of gs.tests) expect([t.output_format, t.name_format]).toEqual(['md', 'text']);
      }
      JSON.parse(readFileSync(join(out, 'class.json'), 'utf8'));
    }, 400_000);
  },
);
