/**
 * The escapers of src/text/escape.ts, as properties over every string (any UTF-16 code unit, lone surrogates
 * included, mixed with the hostile payloads): what each channel's reader would see. junit.xml's escaper is checked
 * by a real XML parser (Python's expat, strict about XML 1.0's Char production) and by the Char production itself.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import {
  csvField,
  escapeHtml,
  escapeXml,
  mdCode,
  mdFence,
  mdText,
  showControls,
  termBlock,
  termIndent,
  termLine,
} from './escape.ts';
import { parseCsv } from '../grade/gradebook.ts';

const PIECES = [
  '\x1b[2J',
  '\x1b]52;c;ZWNobyBwd25lZA==\x07',
  '\x1b]8;;https://evil.example/\x1b\\',
  '\n::error file=a.py::forged\n',
  '::add-mask::x',
  '\ndnn-verify: PASS\n',
  '##[error]',
  '##vso[task.setvariable variable=x]1',
  '<img src=x onerror=alert(1)>',
  '<!--',
  '[a](https://evil.example)',
  '![i](https://evil.example/p.png)',
  'www.evil.example',
  'a@evil.example',
  '\uffff',
  '\ufffe',
  '\u202e',
  '\u2066',
  '\ud800',
  '\udfff',
  '\r',
  '\t',
  '\x85',
  '\x7f',
  '`',
  '```',
  '|',
  '"',
  "'",
  '=cmd|',
  ';=',
  ' +1',
  '@SUM',
  '-2',
  'Łukasz_ñ_学生',
  '😀',
  '&amp;',
];
/** any UTF-16 string: single code units (so lone surrogates too), whole code points, and the payloads above */
const anyString = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
      fc.constantFrom(...PIECES),
      fc.string(),
    ),
    { maxLength: 12 },
  )
  .map((a) => a.join(''));

const RUNS = { numRuns: 400 };
/** C0 but \n, DEL, C1, bidi controls, line/paragraph separators, U+FFFE/FFFF, lone surrogates */
const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** GitHub's runner trims leading white space (.NET's, which JavaScript's \s covers) before it looks for "::" */
const ciCommand = (line: string) => /^\s*::/.test(line) || /##\[|##vso\[/i.test(line);

/** XML 1.0's Char production: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
function allXmlChars(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) return false;
  }
  return true;
}

describe('terminal and CI log', () => {
  it('showControls leaves no raw control character (line feeds kept or shown, as asked)', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(showControls(s)).not.toMatch(RAW_CONTROL);
        expect(showControls(s, false)).not.toMatch(new RegExp(`${RAW_CONTROL.source}|\\n`));
      }),
      RUNS,
    );
    expect(showControls('\x1b[2J\u202e\ud800\t')).toBe('\\x1b[2J\\u202e\\ud800\\t');
  });

  it('termLine is one line with no control character and no CI command', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const out = termLine(s);
        expect(out).not.toMatch(/[\n\r]/);
        expect(out).not.toMatch(RAW_CONTROL);
        expect(ciCommand(out)).toBe(false);
      }),
      RUNS,
    );
    expect(termLine('::error::x')).toBe('\\::error::x');
  });

  it('termBlock: every later line starts with the prefix, none is a CI command or a verdict line', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const lines = `FAIL x: ${termBlock(s, '   ')}`.split('\n');
        expect(lines[0].startsWith('FAIL x: ')).toBe(true);
        for (const l of lines.slice(1)) expect(l.startsWith('   | ')).toBe(true);
        for (const l of lines) {
          expect(l).not.toMatch(RAW_CONTROL);
          expect(l).not.toMatch(/\r/);
          expect(ciCommand(l)).toBe(false);
          expect(l.startsWith('dnn-verify')).toBe(false);
        }
        const indented = termIndent(s, '  ').split('\n');
        for (const l of indented) expect(ciCommand(l) || !l.startsWith('  ')).toBe(false);
      }),
      RUNS,
    );
    // what a student wrote stays readable
    expect(termBlock('ValueError: shapes (3,4) and (5,) not aligned\n  in Łukasz_ñ_学生.py')).toBe(
      'ValueError: shapes (3,4) and (5,) not aligned\n  |   in Łukasz_ñ_学生.py',
    );
  });
});

describe('HTML', () => {
  it('escapeHtml leaves no markup character and no raw control', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(out).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
        expect(out).not.toMatch(RAW_CONTROL);
      }),
      RUNS,
    );
    expect(escapeHtml(`<img src=x onerror='a'>&"`)).toBe('&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;');
  });
});

describe('XML (junit.xml)', () => {
  it('every string escapes to XML 1.0 Chars that expat parses back, in text and in attributes', () => {
    const samples = fc.sample(anyString, { numRuns: 600, seed: 23 });
    samples.push('', '\uffff', '\ud800x', 'a\r\nb\tc', '\x1b]52;c;x\x07', ']]>', '&#0;', '<!--');
    const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<r>${samples
      .map((s) => `<e a="${escapeXml(s, true)}">${escapeXml(s)}</e>`)
      .join('\n')}</r>`;
    expect(allXmlChars(doc)).toBe(true);
    const py = spawnSync(
      'python3',
      [
        '-c',
        'import sys, json, xml.dom.minidom as m\nd = m.parseString(sys.stdin.buffer.read())\nprint(json.dumps([[e.getAttribute("a"), "".join(t.data for t in e.childNodes)] for e in d.getElementsByTagName("e")]))',
      ],
      { input: Buffer.from(doc, 'utf8'), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    expect(py.status, py.stderr).toBe(0);
    const back = JSON.parse(py.stdout) as [string, string][];
    expect(back.length).toBe(samples.length);
    // what a reader gets is the string with its controls made visible (the identity on ordinary text)
    back.forEach(([a, t], i) => {
      expect(t).toBe(showControls(samples[i]));
      expect(a).toBe(showControls(samples[i]));
    });
    expect(escapeXml('Łukasz_ñ_学生 "x" & <y>')).toBe('Łukasz_ñ_学生 &quot;x&quot; &amp; &lt;y&gt;');
  }, 60_000);
});

/** The code spans of one Markdown line (CommonMark: a backtick run closes at the next run of the same length). */
function outsideCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    const run = /^`+/.exec(line.slice(i));
    if (!run) {
      out += line[i++];
      continue;
    }
    const close = line.slice(i + run[0].length).search(new RegExp(`(?<!\`)\`{${run[0].length}}(?!\`)`));
    if (close < 0) {
      out += run[0];
      i += run[0].length;
    } else i += run[0].length + close + run[0].length;
  }
  return out;
}

describe('Markdown (summary.md)', () => {
  it('mdCode is one code span holding exactly the visible text', () => {
    fc.assert(
      fc.property(anyString, fc.boolean(), (s, cell) => {
        const out = mdCode(s, cell);
        expect(out).not.toMatch(/\n/);
        const fence = /^`+/.exec(out)![0];
        expect(out.endsWith(fence)).toBe(true);
        let inner = out.slice(fence.length, out.length - fence.length);
        // nothing inside closes the span early
        expect(inner).not.toMatch(new RegExp(`(?<!\`)\`{${fence.length}}(?!\`)`));
        if (/^ .* $/.test(inner) && inner.trim() !== '') inner = inner.slice(1, -1);
        const visible = showControls(s, false) || ' ';
        expect(cell ? inner.replace(/\\\|/g, '|') : inner).toBe(visible);
        if (cell) expect(inner).not.toMatch(/(?<!\\)\|/);
        expect(outsideCode(out)).toBe('');
      }),
      RUNS,
    );
  });

  it('mdText has no raw HTML, link, image, autolink, code span or table cell', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const out = mdText(s);
        expect(out).not.toMatch(/[<>\n]/);
        expect(out).not.toMatch(RAW_CONTROL);
        // every [ ] ` | * is escaped; autolink triggers broken
        expect(out).not.toMatch(/(?<!\\)(\\\\)*[[\]`|*]/);
        expect(out).not.toMatch(/(?<!\\):\/\/|www\.|(?<!\\)@/i);
        expect(ciCommand(out)).toBe(false);
      }),
      RUNS,
    );
    expect(mdText('linear_backward: db is summed over axis 0 (axis=1, keepdims=True)')).toBe(
      'linear_backward: db is summed over axis 0 (axis=1, keepdims=True)',
    );
  });

  it('mdFence: no line inside can close the fence, none is a CI command', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        const lines = mdFence(s, 'python').split('\n');
        const fence = /^`+/.exec(lines[0])![0];
        expect(fence.length).toBeGreaterThanOrEqual(3);
        expect(lines.at(-1)).toBe(fence);
        for (const l of lines.slice(1, -1)) {
          expect(l).not.toMatch(new RegExp(`^ {0,3}\`{${fence.length},}`));
          expect(ciCommand(l)).toBe(false);
          expect(l).not.toMatch(RAW_CONTROL);
        }
      }),
      RUNS,
    );
  });
});

describe('CSV (gradebook.csv)', () => {
  /** a spreadsheet's reading of one line with this delimiter (quotes only at the start of a cell, as RFC 4180) */
  function cells(line: string, delimiter: string): string[] {
    const out: string[] = [];
    let cell = '';
    let quoted = false;
    let start = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (quoted) {
        if (c === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (c === '"') quoted = false;
        else cell += c;
      } else if (c === '"' && start) quoted = true;
      else if (c === delimiter) {
        out.push(cell);
        cell = '';
        start = true;
        continue;
      } else cell += c;
      start = false;
    }
    out.push(cell);
    return out;
  }
  const formula = (cell: string) => /^[\s"']*[=+\-@]/.test(cell) && !/^[\s"']*'/.test(cell);

  it('every text field is quoted, reads back, and no delimiter makes a formula cell of it', () => {
    fc.assert(
      fc.property(fc.array(anyString, { minLength: 1, maxLength: 4 }), (fields) => {
        const line = [...fields.map(csvField), csvField(70), csvField(-1.5)].join(',');
        expect(line).not.toMatch(/[\r\n]/);
        const back = parseCsv(`${line}\r\n`)[0];
        expect(back.length).toBe(fields.length + 2);
        back.slice(0, fields.length).forEach((cell, i) => {
          expect(csvField(fields[i]).startsWith('"')).toBe(true);
          expect(cell.replace(/(^[\s"']*|[;|][\s"']*)'(?=[=+\-@])/g, '$1')).toBe(showControls(fields[i], false));
        });
        expect(back.slice(-2)).toEqual(['70', '-1.5']);
        for (const d of [',', ';', '\t', '|'])
          for (const cell of cells(line, d)) if (!/^-?\d+(\.\d+)?$/.test(cell)) expect(formula(cell)).toBe(false);
      }),
      RUNS,
    );
    expect(csvField("c;=cmd|'calc'!A0;d.py")).toBe(`"c;'=cmd|'calc'!A0;d.py"`);
    expect(csvField('Łukasz_ñ_学生.ipynb')).toBe('"Łukasz_ñ_学生.ipynb"');
    expect(csvField(100)).toBe('100');
  });
});
