/**
 * A class of submissions built from the committed variants (fixtures/engines/correct.py and the mutants and
 * correct variants of mutants.json), for the bench, the tests and the runs-scaling measurement. Each student's
 * file is one variant with a comment naming the student (so no two files are the same), as a .py module or as
 * a Jupyter notebook (a cell per function, with a magic, a plot import and test calls between them), plus three
 * misbehaving submissions: one that hangs, one that crashes and one that does not parse.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../paths.ts';

// the committed variants live in the repository's fixtures/, also when this runs compiled from dist/
const ENGINES = join(PACKAGE_ROOT, 'fixtures', 'engines');

export interface Variant {
  id: string;
  /** notebook functions the bug is in; empty for correct variants */
  functions: string[];
  source: string;
  notebook?: boolean;
}

export interface SampleStudent {
  file: string;
  variant: string;
  /** notebook functions the bug is in ([] for a correct one); undefined for the three misbehaving ones */
  functions?: string[];
  kind: 'correct' | 'mutant' | 'hang' | 'crash' | 'unparsable';
}

export function correctSource(): string {
  return readFileSync(join(ENGINES, 'correct.py'), 'utf8');
}

function applyReplacements(base: string, replace: [string, string][], id: string): string {
  let src = base;
  for (const [from, to] of replace) {
    if (!src.includes(from)) throw new Error(`${id}: mutation anchor not found: ${JSON.stringify(from.slice(0, 60))}`);
    src = src.replace(from, to);
  }
  return src;
}

/** The committed variants: every mutant (with the functions it breaks) and every correct variant. */
export function variants(): Variant[] {
  const corpus = JSON.parse(readFileSync(join(ENGINES, 'mutants.json'), 'utf8')) as {
    mutants: { id: string; functions: string[]; replace: [string, string][] }[];
    variants: { id: string; replace: [string, string][]; notebook?: boolean }[];
  };
  const base = correctSource();
  return [
    ...corpus.variants.map((v) => ({
      id: v.id,
      functions: [],
      source: applyReplacements(base, v.replace, v.id),
      notebook: v.notebook,
    })),
    ...corpus.mutants.map((m) => ({
      id: m.id,
      functions: m.functions,
      source: applyReplacements(base, m.replace, m.id),
    })),
  ];
}

/** The source as a notebook: a cell per function, with a magic, a plot import and test calls around them. */
export function asNotebook(src: string): string {
  const cell = (s: string) => ({
    cell_type: 'code',
    metadata: {},
    outputs: [],
    execution_count: null,
    source: s.split('\n').map((l, i, a) => (i < a.length - 1 ? `${l}\n` : l)),
  });
  const chunks = src.split(/\n(?=def )/);
  const cells = [
    cell(`${chunks[0]}\nimport matplotlib.pyplot as plt\n%matplotlib inline`),
    ...chunks.slice(1).flatMap((c) => [cell(c), cell('print("a test call")\nX = np.random.randn(3, 2)')]),
    { cell_type: 'markdown', metadata: {}, source: ['# notes'] },
  ];
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 4 });
}

/** Replaces a function's first line with itself plus `body` (an early statement in the function). */
function inject(src: string, header: string, body: string): string {
  if (!src.includes(header)) throw new Error(`no ${header} in correct.py`);
  return src.replace(header, `${header}\n${body}`);
}

export const MISBEHAVING = {
  /** linear_forward never returns: everything that reaches it hangs */
  hang: () => inject(correctSource(), 'def linear_forward(A, W, b):', '    while True:\n        pass'),
  /** compute_cost kills its process on every call */
  crash: () => inject(correctSource(), 'def compute_cost(AL, Y):', '    import os\n    os._exit(3)'),
  /** a notebook file that is not JSON (a truncated upload) */
  unparsable: () => correctSource().slice(0, 400),
};

/**
 * Writes `size` students into `dir` (variants in turn; every third one a notebook), plus the hanging, crashing
 * and unparsable ones when `misbehaving` (the default). Returns what each file is.
 */
export function writeSampleClass(dir: string, size: number, options: { misbehaving?: boolean; only?: string[] } = {}) {
  mkdirSync(dir, { recursive: true });
  const all = variants().filter((v) => !options.only || options.only.includes(v.id));
  const students: SampleStudent[] = [];
  for (let i = 0; i < size; i++) {
    const v = all[i % all.length];
    const nb = v.notebook || i % 3 === 2;
    const name = `student-${String(i + 1).padStart(3, '0')}-${v.id.replace(/\W+/g, '_')}.${nb ? 'ipynb' : 'py'}`;
    const src = `# submitted by student ${i + 1}\n${v.source}`;
    writeFileSync(join(dir, name), nb ? asNotebook(src) : src);
    students.push({
      file: name,
      variant: v.id,
      functions: v.functions,
      kind: v.functions.length ? 'mutant' : 'correct',
    });
  }
  if (options.misbehaving ?? true) {
    writeFileSync(join(dir, 'zz-hangs.py'), MISBEHAVING.hang());
    writeFileSync(join(dir, 'zz-crashes.py'), MISBEHAVING.crash());
    writeFileSync(join(dir, 'zz-unparsable.ipynb'), MISBEHAVING.unparsable());
    students.push(
      { file: 'zz-hangs.py', variant: 'hang', kind: 'hang' },
      { file: 'zz-crashes.py', variant: 'crash', kind: 'crash' },
      { file: 'zz-unparsable.ipynb', variant: 'unparsable', kind: 'unparsable' },
    );
  }
  return students;
}
