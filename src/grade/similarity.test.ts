/**
 * Duplicates: byte-identical files, and code near-identical once comments, whitespace, outputs and names are set
 * aside, in a class whose members share a template (as the course's notebooks do). The classes are written here.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { codeOf, duplicateFlags, findDuplicates, fingerprint, normalise, type Fingerprinted } from './similarity.ts';

const TEMPLATE = `import numpy as np
from testCases import *

def initialize_parameters(n_x, n_h, n_y):
    """Argument: n_x -- size of the input layer"""
    np.random.seed(1)
    ### START CODE HERE ###
{INIT}
    ### END CODE HERE ###
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters

def linear_forward(A, W, b):
    ### START CODE HERE ###
{FWD}
    ### END CODE HERE ###
    cache = (A, W, b)
    return Z, cache
`;
const fill = (init: string, fwd: string) => TEMPLATE.replace('{INIT}', init).replace('{FWD}', fwd);
/** six students' own answers: each writes the same things differently */
const ANSWERS: [string, string][] = [
  [
    '    W1 = np.random.randn(n_h, n_x) * 0.01\n    b1 = np.zeros((n_h, 1))\n    W2 = np.random.randn(n_y, n_h) * 0.01\n    b2 = np.zeros((n_y, 1))',
    '    Z = np.dot(W, A) + b',
  ],
  [
    '    W1 = 0.01 * np.random.randn(n_h, n_x)\n    W2 = 0.01 * np.random.randn(n_y, n_h)\n    b1 = np.zeros(shape=(n_h, 1))\n    b2 = np.zeros(shape=(n_y, 1))',
    '    Z = W @ A + b',
  ],
  [
    '    shape1 = (n_h, n_x)\n    W1 = np.random.randn(*shape1) / 100\n    b1 = np.zeros([n_h, 1], dtype=float)\n    W2 = np.random.randn(n_y, n_h) / 100\n    b2 = np.zeros([n_y, 1], dtype=float)',
    '    Z = np.matmul(W, A)\n    Z = Z + b',
  ],
  [
    '    W1, b1 = np.random.randn(n_h, n_x) * .01, np.zeros((n_h, 1))\n    W2, b2 = np.random.randn(n_y, n_h) * .01, np.zeros((n_y, 1))',
    '    Z = W.dot(A) + b\n    assert Z.shape == (W.shape[0], A.shape[1])',
  ],
  [
    '    scale = 0.01\n    W1 = scale * np.random.randn(n_h, n_x)\n    b1 = np.zeros((n_h, 1)) + 0\n    W2 = scale * np.random.randn(n_y, n_h)\n    b2 = np.zeros((n_y, 1)) + 0',
    '    Z = np.add(np.dot(W, A), b)',
  ],
  [
    '    W1 = np.random.normal(size=(n_h, n_x)) * 0.01\n    b1 = np.zeros((n_h, 1))\n    W2 = np.random.normal(size=(n_y, n_h)) * 0.01\n    b2 = np.zeros((n_y, 1))',
    '    Z = sum([W[:, k:k+1] * A[k:k+1, :] for k in range(W.shape[1])]) + b',
  ],
];

const item = (id: string, text: string): Fingerprinted => ({
  id,
  sha256: createHash('sha256').update(text).digest('hex'),
  windows: fingerprint(normalise(codeOf(text, id.endsWith('.ipynb'))!)),
});
const notebook = (code: string, outputs: unknown[] = []) =>
  JSON.stringify({
    cells: [
      { cell_type: 'markdown', source: ['# Step by step'] },
      ...code.split('\n\n').map((src, i) => ({ cell_type: 'code', execution_count: i, source: src, outputs })),
    ],
  });

describe('duplicates', () => {
  const own = ANSWERS.map(([a, b], i) => item(`s${i}.py`, fill(a, b)));
  it('classmates who share only the template and the usual one-liners are not flagged', () => {
    expect(findDuplicates(own)).toEqual([]);
  });
  it('a byte-identical copy and a renamed, re-commented, reformatted copy are flagged; no grade is involved', () => {
    const copied = fill(...ANSWERS[2]);
    const disguised = copied
      .replace(/shape1/g, 'my_shape')
      .replace(/Z = np.matmul/g, 'Z   =   np.matmul')
      .replace(/### START CODE HERE ###/g, '# I wrote this myself')
      .replace(/\n\n/g, '\n\n\n');
    // as a notebook: outputs and execution counts do not matter
    const asNotebook = notebook(disguised, [{ output_type: 'stream', text: ['different output'] }]);
    const cls = [...own, item('copy.py', copied), item('disguised.ipynb', asNotebook)];
    const pairs = findDuplicates(cls);
    expect(pairs.map((p) => [p.a, p.b, p.kind])).toEqual([
      ['s2.py', 'copy.py', 'identical'],
      ['s2.py', 'disguised.ipynb', 'near'],
      ['copy.py', 'disguised.ipynb', 'near'],
    ]);
    expect(pairs[1].similarity).toBe(1);
    const flags = duplicateFlags(pairs, (id) => `student ${id}`);
    expect(flags.get('copy.py')).toEqual([
      'byte-identical to student s2.py',
      'near-identical (100%) to student disguised.ipynb',
    ]);
    expect(flags.has('s0.py')).toBe(false);
  });
  it('normalising: comments, whitespace, strings and chosen names set aside; keywords, numpy and attributes kept', () => {
    expect(normalise('x = np.dot(W, a)  # c\ny = "s"')).toEqual(normalise("alpha=np.dot( W , b )\n\nbeta = 'other'"));
    expect(normalise('x = np.dot(W, a)')).not.toEqual(normalise('x = np.add(W, a)'));
    expect(normalise('%matplotlib inline\nx = 1')).toEqual(normalise('x = 1'));
  });
  it('a class too small to tell the template apart flags identical bytes only', () => {
    const a = fill(...ANSWERS[0]);
    const b = a.replace(/W1 = /, 'W1 =  ').replace('# ', '#');
    expect(findDuplicates([item('a.py', a), item('b.py', b)])).toEqual([]);
    expect(findDuplicates([item('a.py', a), item('c.py', a)]).map((p) => p.kind)).toEqual(['identical']);
  });
});
