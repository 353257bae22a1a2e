/**
 * planar_utils.load_planar_dataset, regenerated from its seed: np.random.seed(1), m = 400 points, two petals'
 * classes of N = 200, theta = linspace(j*3.12, (j+1)*3.12, N) + randn(N)*0.2, r = 4 sin(4 theta) + randn(N)*0.2,
 * x = (r sin theta, r cos theta). X is (2, 400), Y (1, 400) of 0/1. NumPy's draws are reproduced bit for bit
 * (RandomState); linspace follows NumPy's formula (i * step + start, the last point set to stop).
 */
import { NDArray } from '../../tensor/ndarray.ts';
import { RandomState } from '../../random/index.ts';
import { cosCR, sinCR } from './trig.ts';

/** np.linspace(start, stop, num) as NumPy >= 1.16 computes it. */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const div = num - 1;
  const step = (stop - start) / div;
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (num > 1) out[num - 1] = stop;
  return out;
}

export function loadPlanarDataset(rng = new RandomState(1)): { X: NDArray; Y: NDArray } {
  rng.seed(1);
  const m = 400;
  const N = m / 2;
  const a = 4;
  const X = new Float64Array(2 * m); // row-major (2, m): X.T of the notebook's (m, 2)
  const Y = new Float64Array(m);
  for (let j = 0; j < 2; j++) {
    const base = linspace(j * 3.12, (j + 1) * 3.12, N);
    const noiseT = rng.randn(N).data;
    const t = base.map((v, i) => v + noiseT[i] * 0.2);
    const noiseR = rng.randn(N).data;
    for (let i = 0; i < N; i++) {
      const r = a * sinCR(4 * t[i]) + noiseR[i] * 0.2;
      X[N * j + i] = r * sinCR(t[i]);
      X[m + N * j + i] = r * cosCR(t[i]);
      Y[N * j + i] = j;
    }
  }
  return { X: new NDArray(X, [2, m]), Y: new NDArray(Y, [1, m]) };
}
