/**
 * The escapers of every output channel, for text an engine or a file name controls (messages, returned values,
 * function names, submission ids). Each writer calls the one for its channel at the place it builds its output:
 *
 * - `showControls`: control characters shown as visible escapes (`\x1b`, `\u202e`), never emitted raw;
 * - `termLine` / `termBlock`: a terminal or CI log: the above, GitHub/Azure workflow commands defused, and engine
 *   text that spans lines prefixed so that it never starts a line of its own;
 * - `escapeHtml`: report.html and class.html, content and (double-quoted) attributes;
 * - `mdText` / `mdCode` / `mdFence`: summary.md: prose escaped, engine text in code spans and fences;
 * - `escapeXml`: junit.xml, text and attributes, only characters of XML 1.0's Char production;
 * - `csvField`: gradebook.csv, every text field quoted and defused for spreadsheets, whatever the delimiter.
 */

/**
 * Characters never written raw: C0 controls but the line feed (the callers decide about it), DEL, C1 controls, the
 * bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E-200F, U+202A-202E, U+2066-2069), the
 * line and paragraph separators, the noncharacters U+FFFE and U+FFFF, and lone surrogates.
 */
const UNSAFE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_OR_NEWLINE = new RegExp(`\\n|${UNSAFE.source}`, 'g');

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The visible form of one character: `\t`, `\n`, `\r`, `\x1b` (up to U+00FF), `\u202e`. */
function visible(c: string): string {
  const code = c.charCodeAt(0);
  return (
    NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** `s` with every unsafe character (and, unless `keepNewlines`, every line feed) shown as a visible escape. */
export function showControls(s: string, keepNewlines = true): string {
  return String(s).replace(keepNewlines ? UNSAFE : UNSAFE_OR_NEWLINE, visible);
}

/**
 * Defuses CI log commands in one line: GitHub's `::command::` at the start of a line (after any white space, which
 * the runner trims) and the `##[command]` / Azure `##vso[command]` forms anywhere in it.
 */
export function defuseCi(line: string): string {
  return line
    .replace(/##(vso)?\[/gi, (_m, vso: string | undefined) => `##${vso ?? ''}\\[`)
    .replace(/^(\s*)::/, '$1\\::');
}

/** Engine text inside one terminal line: controls and line breaks visible, CI commands defused. */
export function termLine(s: string): string {
  return defuseCi(showControls(s, false));
}

/**
 * Engine text that may span lines, for a terminal or CI log: the first line goes after the caller's own text on
 * its line; every later line is prefixed `${pad}| `, so that none starts a line of its own (a workflow command,
 * a fake verdict line), and controls are visible.
 */
export function termBlock(s: string, pad = '  '): string {
  return showControls(s)
    .split('\n')
    .map((l, i) => (i === 0 ? defuseCi(l) : `${pad}| ${defuseCi(l)}`))
    .join('\n');
}

/**
 * Text we wrote that embeds engine values across lines (a Python replay, an array): every line indented by
 * `pad`, controls visible, CI commands defused (the runner trims the indentation before it looks for `::`).
 */
export function termIndent(s: string, pad: string): string {
  return showControls(s)
    .split('\n')
    .map((l) => pad + defuseCi(l))
    .join('\n');
}

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML content or a quoted attribute value: & < > " ' as entities, controls visible (line feeds kept). */
export function escapeHtml(s: string): string {
  return showControls(s).replace(/[&<>"']/g, (c) => HTML[c]);
}

/**
 * The Content-Security-Policy of our static pages (report.html, class.html): no script, no fetch, no frame, no
 * form, no external resource of any kind; inline styles (the pages' own) and data: images only. A second line of
 * defence behind `escapeHtml`.
 */
export const CSP_META = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`;

const XML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * XML 1.0 text or attribute value: & < > " ' as entities; characters outside the Char production (and the other
 * unsafe ones) shown as visible escapes; in attributes (`attr`), tab and line feed as character references so
 * that a parser's attribute-value normalisation keeps them.
 */
export function escapeXml(s: string, attr = false): string {
  const x = showControls(s).replace(/[&<>"']/g, (c) => XML[c]);
  return attr ? x.replace(/\n/g, '&#10;') : x;
}

const MD_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Markdown prose from engine text (a headline that quotes an exception), on one line: & < > as entities (no raw
 * HTML, comment or entity of its own), backslash-escaped \\ ` * ~ | [ ] (no code span, emphasis, table cell, link
 * or image) and _ at a word's edge; autolinks broken (`https\://`, `www\.`, `\@`); a block marker at its start
 * (# - + = 1.) and a workflow command's `::` escaped; controls and line breaks visible. Plain words and identifiers (`linear_forward`) stay as
 * they are.
 */
export function mdText(s: string): string {
  return showControls(s, false)
    .replace(/[\\`*~|[\]]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\$&')
    .replace(/[&<>]/g, (c) => MD_ENTITY[c])
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@')
    .replace(/^(\s*)([#+\-=]|::)/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/** The longest run of backticks in `s`. */
const longestRun = (s: string) => Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));

/**
 * A Markdown code span (nothing inside is interpreted: no HTML, link, image or entity): one line, controls and line
 * breaks visible, fenced by more backticks than any run inside. In a table (`cell`), `|` is escaped as GFM wants.
 */
export function mdCode(s: string, cell = false): string {
  let body = showControls(s, false);
  if (cell) body = body.replace(/\|/g, '\\|');
  if (body === '') return '` `';
  const fence = '`'.repeat(longestRun(body) + 1);
  // a leading or trailing backtick or space would merge with the fence or be stripped: pad both ends
  const pad = /^[` ]|[` ]$/.test(body) && body.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/**
 * A fenced Markdown code block: a fence longer than any backtick run inside (at least 3), controls visible, and CI
 * commands defused on each line (should the file be printed to a CI log).
 */
export function mdFence(s: string, info = ''): string {
  const body = showControls(s).split('\n').map(defuseCi).join('\n');
  const fence = '`'.repeat(Math.max(3, longestRun(body) + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * A gradebook.csv field (RFC 4180). Numbers stay plain numbers. Every text field is quoted, quotes doubled, on one
 * line (controls and line breaks shown as `\t`, `\n`, ...): no comma inside can start a cell. A field whose
 * content starts with = + - @ (after any spaces and quotes) gets an apostrophe there, as OWASP's CSV injection
 * guidance recommends, and so does such a start right after a `;` or `|` inside it: a spreadsheet that splits on
 * those (a semicolon locale) and takes our quotes literally mid-cell still sees text, never a formula.
 */
export function csvField(v: string | number): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
  const s = showControls(v, false)
    .replace(/^([\s"']*)(?=[=+\-@])/, "$1'")
    .replace(/([;|])([\s"']*)(?=[=+\-@])/g, "$1$2'");
  return `"${s.replace(/"/g, '""')}"`;
}
