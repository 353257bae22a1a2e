#!/usr/bin/env node
// Who imports whom between the top-level folders of src/ (and properties/): the layers of docs/architecture.md.
//
//   node scripts/layers.mjs               the edges and any cycle; exit 1 on a cycle
//   node scripts/layers.mjs --table       the import table as Markdown
//   node scripts/layers.mjs --write-docs  rewrites the table in docs/architecture.md (between its layers-table markers)
//
// A unit is a top-level folder of src/ (src/run, src/tensor, ...), a file directly in src/ (src/index.ts), or
// properties/. Only the shipped code counts: tests (*.test.ts, *.vitest.ts, *.shared.ts) may import any layer, and
// are listed apart ("tests reach up") so that a test never hides a cycle nor makes one. Relative imports only
// (static `from '...'`, `import '...'`, dynamic `import('...')`, `export ... from '...'`).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOPS = ['src', 'properties'];
const TEST = /\.(test|vitest|shared)\.ts$/;

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p, out);
    } else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.as.ts') && !e.name.endsWith('.d.ts'))
      out.push(p);
  }
  return out;
}

/** The unit a repository path belongs to, or undefined outside src/ and properties/. */
export function unitOf(path) {
  const parts = relative(ROOT, path).split(sep);
  if (parts[0] === 'properties') return 'properties';
  if (parts[0] !== 'src') return undefined;
  return `src/${parts[1]}`; // a folder, or a file directly in src/
}

const SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Edges between units: Map<from, Map<to, string[] (the importing files)>>, for shipped code and for tests apart. */
export function scan() {
  const code = new Map();
  const tests = new Map();
  const add = (m, a, b, file) => {
    if (!m.has(a)) m.set(a, new Map());
    const row = m.get(a);
    if (!row.has(b)) row.set(b, []);
    if (!row.get(b).includes(file)) row.get(b).push(file);
  };
  for (const top of TOPS)
    for (const file of walk(join(ROOT, top))) {
      const from = unitOf(file);
      // comments out (a doc comment's example import is not an import)
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const m of text.matchAll(SPEC)) {
        const to = unitOf(resolve(dirname(file), m[1]));
        if (!to || to === from) continue;
        add(TEST.test(file) ? tests : code, from, to, relative(ROOT, file));
      }
      if (!code.has(from)) code.set(from, new Map());
    }
  return { code, tests };
}

/** Strongly connected components of more than one unit (Tarjan): each is a cycle of imports. */
export function cycles(edges) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** Units in layer order: each after everything it imports (ties by name). */
export function layerOrder(edges) {
  const units = new Set(edges.keys());
  for (const row of edges.values()) for (const b of row.keys()) units.add(b);
  const depth = new Map();
  const d = (u, seen = new Set()) => {
    if (depth.has(u)) return depth.get(u);
    if (seen.has(u)) return 0;
    seen.add(u);
    const x = Math.max(0, ...[...(edges.get(u)?.keys() ?? [])].map((b) => d(b, seen) + 1));
    depth.set(u, x);
    return x;
  };
  return [...units].sort((a, b) => d(a) - d(b) || a.localeCompare(b)).map((u) => ({ unit: u, layer: d(u) }));
}

export function table({ code, tests }) {
  const rows = ['| unit | layer | imports | imported by | its tests also import |', '| --- | --- | --- | --- | --- |'];
  for (const { unit, layer } of layerOrder(code)) {
    const imports = [...(code.get(unit)?.keys() ?? [])].sort();
    const by = [...code.entries()]
      .filter(([, row]) => row.has(unit))
      .map(([a]) => a)
      .sort();
    const t = [...(tests.get(unit)?.keys() ?? [])].filter((b) => !imports.includes(b)).sort();
    const list = (xs) => (xs.length ? xs.map((x) => `\`${x}\``).join(', ') : '-');
    rows.push(`| \`${unit}\` | ${layer} | ${list(imports)} | ${list(by)} | ${list(t)} |`);
  }
  return rows.join('\n');
}

const BEGIN = '<!-- layers-table: generated by node scripts/layers.mjs --write-docs -->';
const END = '<!-- /layers-table -->';

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = scan();
  if (process.argv.includes('--table')) console.log(table(s));
  else if (process.argv.includes('--write-docs')) {
    const path = join(ROOT, 'docs', 'architecture.md');
    const doc = readFileSync(path, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${path}: no ${BEGIN} ... ${END} markers`);
    writeFileSync(path, `${doc.slice(0, a + BEGIN.length)}\n\n${table(s)}\n\n${doc.slice(b)}`);
    // aligned as biome formats Markdown, so that `biome ci .` accepts the page as written
    const biome = join(ROOT, 'node_modules', '.bin', 'biome');
    if (existsSync(biome)) execFileSync(biome, ['format', '--write', path], { stdio: 'ignore' });
    console.log(`${relative(process.cwd(), path)}: table rewritten`);
  } else {
    for (const [a, row] of [...s.code.entries()].sort())
      for (const [b, files] of [...row.entries()].sort()) console.log(`${a} -> ${b}  (${files.join(', ')})`);
    const found = cycles(s.code);
    for (const c of found) console.log(`CYCLE: ${c.join(' <-> ')}`);
    if (found.length === 0) console.log('no cycles');
    process.exitCode = found.length ? 1 : 0;
  }
}
