/**
 * load_planar_dataset against NumPy itself (python3 through test/oracle): the course's construction, written here
 * from its description, run by NumPy; ours must give the same float64 bits.
 */
import { describe, expect, it } from 'vitest';
import { hasNumpy, numpySkipReason, runPython } from '../../../test/oracle/numpy.ts';
import { loadPlanarDataset } from './flower.ts';

const FLOWER = `
import sys, numpy as np
np.random.seed(1)
N = 200
X = np.zeros((2 * N, 2))
Y = np.zeros((2 * N, 1))
for j in range(2):
    t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + np.random.randn(N) * 0.2
    r = 4 * np.sin(4 * t) + np.random.randn(N) * 0.2
    X[N * j:N * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
    Y[N * j:N * (j + 1)] = j
sys.stdout.buffer.write(np.ascontiguousarray(X.T, dtype='<f8').tobytes() + np.ascontiguousarray(Y.T, dtype='<f8').tobytes())
`;

describe.skipIf(!hasNumpy())(`the flower against NumPy ${numpySkipReason()}`, () => {
  it('is the same 1200 float64 values, bit for bit', () => {
    const out = runPython(FLOWER);
    const theirs = new Float64Array(Uint8Array.from(out).buffer);
    const { X, Y } = loadPlanarDataset();
    const ours = [...X.data, ...Y.data];
    expect(theirs.length).toBe(ours.length);
    const differing = ours.filter((v, i) => !Object.is(v, theirs[i])).length;
    expect(differing).toBe(0);
  });
});
