/**
 * What the protocol cannot carry: Python's int and float both arrive as a JSON number, so an int `b = 0` is only
 * visible in the source. A Python engine's file (a .py or the code cells of an .ipynb) is read and the body of its
 * initialize_with_zeros searched for b bound to an int literal (`b = 0`, `return w, 0`).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Engine } from '../../engine/engine.ts';
import { engineSource } from '../../engine/source.ts';

/** The Python source of an engine loaded with --python, or undefined. */
export function pythonSource(engine: Engine): string | undefined {
  const src = engineSource(engine);
  if (src?.flag !== '--python') return undefined;
  try {
    if (!statSync(src.value).isFile() || statSync(src.value).size > 20 * 1024 ** 2) return undefined;
    const text = readFileSync(src.value, 'utf8');
    if (!src.value.endsWith('.ipynb')) return text;
    const nb = JSON.parse(text) as { cells?: { cell_type?: string; source?: string | string[] }[] };
    return (nb.cells ?? [])
      .filter((c) => c.cell_type === 'code')
      .map((c) => (Array.isArray(c.source) ? c.source.join('') : (c.source ?? '')))
      .join('\n');
  } catch {
    return undefined;
  }
}

/** The body of `def name(...)` (the last definition, as Python keeps it), or undefined. */
export function functionBody(source: string, name: string): string | undefined {
  const lines = source.split('\n');
  let start = -1;
  for (let i = 0; i < lines.length; i++) if (new RegExp(`^def\\s+${name}\\s*\\(`).test(lines[i])) start = i;
  if (start < 0) return undefined;
  const body: string[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() && !/^\s/.test(l) && !l.startsWith('#')) break;
    body.push(l);
  }
  return body.join('\n');
}

/** An expression's items at its top level: split at commas outside brackets and strings, outer parentheses dropped. */
export function topLevelItems(expr: string): string[] {
  let e = expr.trim();
  while (e.startsWith('(') && e.endsWith(')') && closes(e) === e.length - 1) e = e.slice(1, -1).trim();
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < e.length; i++) {
    const c = e[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      items.push(e.slice(start, i).trim());
      start = i + 1;
    }
  }
  const tail = e.slice(start).trim();
  if (tail) items.push(tail);
  return items;
}

/** Where the bracket opening `e` closes (its index), or -1. */
function closes(e: string): number {
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    if (e[i] === '(') depth++;
    else if (e[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

const INT_LITERAL = /^(\d+|int\(\s*\d*\s*\))$/;

/** The line of initialize_with_zeros that makes b an int, e.g. "b = 0", or undefined. */
export function intBiasLine(source: string): string | undefined {
  const body = functionBody(source, 'initialize_with_zeros');
  if (!body) return undefined;
  const code = body
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  // the last binding of b, alone (`b = 0`) or in a tuple (`w, b = np.zeros((dim, 1)), 0`), and what it binds
  let bound: { line: string; value: string | undefined } | undefined;
  for (const line of code) {
    const m = /^([^=]+?)\s*=(?!=)\s*(.+)$/.exec(line);
    if (!m || /[<>!+\-*/%&|^@]$/.test(m[1])) continue;
    const targets = topLevelItems(m[1]);
    const at = targets.indexOf('b');
    if (at < 0) continue;
    const values = targets.length === 1 ? [m[2].trim()] : topLevelItems(m[2]);
    bound = { line, value: values.length === targets.length ? values[at] : undefined };
  }
  if (bound) return bound.value !== undefined && INT_LITERAL.test(bound.value) ? bound.line : undefined;
  // no b at all: the int is in the return (`return w, 0`, `return np.zeros((dim, 1)), 0`)
  const ret = code.filter((l) => /^return\b/.test(l)).at(-1);
  const items = ret ? topLevelItems(ret.replace(/^return\b/, '')) : [];
  return items.length === 2 && INT_LITERAL.test(items[1]) ? ret : undefined;
}
