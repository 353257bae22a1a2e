/**
 * Duplicates in a class: byte-identical files (the same SHA-256), and code that is near-identical once
 * normalised. Flags for the TA to look at; grades never change.
 *
 * Normalised: a notebook's code cells only (no outputs, no markdown, no execution counts, no `%magic`/`!shell`
 * lines), comments and whitespace dropped, every string literal one token, every name the file chooses renamed by
 * order of first appearance (so renaming `dA_prev` to `d_prev` changes nothing), Python's keywords, builtins,
 * attributes after a dot and the notebook's function names kept. The fingerprint is the set of 8-token windows
 * (hashed); windows that many classmates share (the course's template, the one-line solutions everyone writes)
 * are dropped before comparing, as MOSS does. Similarity is the Jaccard index of two fingerprints.
 * Thresholds, measured on the week-4 corpus: docs/measurements/lms-class-2026-12-06.md.
 */
import { FUNCTION_NAMES } from '../engine/catalogue.ts';

/** Tokens per window. */
export const WINDOW = 8;
/** Two submissions at or above this similarity are flagged as near-identical. */
export const NEAR_THRESHOLD = 0.9;
/**
 * Below this many readable submissions the shared windows cannot be told from the template (two correct files of
 * the same notebook share most of it): only byte-identical files are flagged.
 */
export const NEAR_MIN_CLASS = 5;
/**
 * A window shared by more than this share of the class (and by more than 3 submissions, so that a ring of three copies still shows) is the template's or
 * everyone's, not evidence of copying.
 */
export const COMMON_SHARE = 0.1;

const KEEP = new Set([
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
  ...'abs all any bool dict enumerate float int len list max min print range reversed round set sorted str sum tuple zip self np numpy math copy'.split(
    ' ',
  ),
  ...FUNCTION_NAMES,
]);

/** The code of a file: a notebook's code cells, or a module's text; undefined when a notebook is not JSON. */
export function codeOf(text: string, isNotebook: boolean): string | undefined {
  if (!isNotebook) return text;
  try {
    const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    return (nb.cells ?? [])
      .filter((c) => c.cell_type === 'code')
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : (c.source ?? '')))
      .join('\n');
  } catch {
    return undefined;
  }
}

const TOKEN =
  /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(#[^\n]*)|([A-Za-z_\p{L}][\w\p{L}\p{N}]*)|(\d[\w.]*)|(\*\*|\/\/|==|!=|<=|>=|->|[+\-*/%@=<>()[\]{}:,.;~^&|])|(\s+)|(.)/gu;

/** The normalised tokens of some Python code. */
export function normalise(code: string): string[] {
  const lines = code.split('\n').filter((l) => !/^\s*[%!]/.test(l));
  const text = lines.join('\n');
  const names = new Map<string, string>();
  const out: string[] = [];
  let prev = '';
  for (const m of text.matchAll(TOKEN)) {
    const [, str, comment, name, num, op, space] = m;
    if (comment !== undefined || space !== undefined) continue;
    let t: string;
    if (str !== undefined) t = 'S';
    else if (name !== undefined) {
      if (KEEP.has(name) || prev === '.') t = name;
      else {
        if (!names.has(name)) names.set(name, `v${names.size}`);
        t = names.get(name)!;
      }
    } else if (num !== undefined) t = num;
    else t = op ?? m[0];
    out.push(t);
    prev = t;
  }
  return out;
}

/** Token ids shared by every fingerprint of the process: a window is hashed from 8 numbers, not built as text. */
const TOKEN_IDS = new Map<string, number>();

/** The fingerprint: a 53-bit hash of every WINDOW-token window (two 32-bit multiplicative hashes combined). */
export function fingerprint(tokens: string[]): Set<number> {
  const ids = tokens.map((t) => {
    let id = TOKEN_IDS.get(t);
    if (id === undefined) {
      id = TOKEN_IDS.size + 1;
      TOKEN_IDS.set(t, id);
    }
    return id;
  });
  const out = new Set<number>();
  for (let i = 0; i + WINDOW <= ids.length; i++) {
    let h1 = 0x811c9dc5;
    let h2 = 0x41c6ce57;
    for (let k = i; k < i + WINDOW; k++) {
      h1 = Math.imul(h1 ^ ids[k], 2654435761);
      h2 = Math.imul(h2 ^ ids[k], 1597334677);
    }
    out.add((h2 & 0x1fffff) * 4294967296 + (h1 >>> 0));
  }
  return out;
}

export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let both = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) both++;
  return both / (a.size + b.size - both);
}

export interface Fingerprinted {
  id: string;
  /** SHA-256 of the bytes */
  sha256: string;
  /** the normalised code's windows; undefined when the file could not be read as code */
  windows?: Set<number>;
}

export interface DuplicatePair {
  a: string;
  b: string;
  kind: 'identical' | 'near';
  /** Jaccard similarity of the fingerprints after common windows are dropped (1 for identical bytes) */
  similarity: number;
}

/** Every pair of the class that is byte-identical, or near-identical at NEAR_THRESHOLD or above. */
export function findDuplicates(items: Fingerprinted[], threshold = NEAR_THRESHOLD): DuplicatePair[] {
  const pairs: DuplicatePair[] = [];
  const count = new Map<number, number>();
  for (const it of items) for (const w of it.windows ?? []) count.set(w, (count.get(w) ?? 0) + 1);
  const limit = Math.max(3, COMMON_SHARE * items.length);
  // the code of each submission without what the class shares widely
  const own = items.map((it) =>
    it.windows ? new Set([...it.windows].filter((w) => (count.get(w) ?? 0) <= limit)) : undefined,
  );
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      const [a, b] = [items[i], items[j]];
      if (a.sha256 && a.sha256 === b.sha256) {
        pairs.push({ a: a.id, b: b.id, kind: 'identical', similarity: 1 });
        continue;
      }
      if (items.length < NEAR_MIN_CLASS) continue;
      const [wa, wb] = [own[i], own[j]];
      if (!wa || !wb || wa.size === 0 || wb.size === 0) continue;
      const s = jaccard(wa, wb);
      if (s >= threshold) pairs.push({ a: a.id, b: b.id, kind: 'near', similarity: s });
    }
  return pairs;
}

/** The flags each submission gets from the pairs: "identical to bob/W4A1.ipynb", "near-identical (93%) to ...". */
export function duplicateFlags(pairs: DuplicatePair[], label: (id: string) => string = (id) => id) {
  const flags = new Map<string, string[]>();
  const add = (id: string, text: string) => flags.set(id, [...(flags.get(id) ?? []), text]);
  for (const p of pairs) {
    const what =
      p.kind === 'identical' ? 'byte-identical to' : `near-identical (${Math.round(p.similarity * 100)}%) to`;
    add(p.a, `${what} ${label(p.b)}`);
    add(p.b, `${what} ${label(p.a)}`);
  }
  return flags;
}
