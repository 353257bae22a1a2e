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

/** The line of initialize_with_zeros that makes b an int, e.g. "b = 0", or undefined. */
export function intBiasLine(source: string): string | undefined {
  const body = functionBody(source, 'initialize_with_zeros');
  if (!body) return undefined;
  const code = body
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trimEnd())
    .filter((l) => l.trim());
  const last = (re: RegExp) =>
    code
      .filter((l) => re.test(l))
      .at(-1)
      ?.trim();
  const assigned = last(/^\s*b\s*=/);
  if (assigned && /^b\s*=\s*(\d+|int\(\s*\d*\s*\))$/.test(assigned)) return assigned;
  const ret = last(/^\s*return\b/);
  if (ret && /^return\s*\(?\s*\w+\s*,\s*\d+\s*\)?$/.test(ret)) return ret;
  return undefined;
}
