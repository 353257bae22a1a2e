/**
 * One training iteration (forward, cost, backward, update) of each Application model at full size, as it runs inside
 * a training (steady state: see below), and full trainings (2500 iterations), ours against NumPy in the same run
 * (random data of the cat set's shape).
 *
 * Our models skip dA0 (the gradient w.r.t. X, never used: src/app/models.ts). NumPy is timed on the same program
 * (the ratio's peer) and on the notebook's literal one, which computes dA0 (shown beside it). The JavaScript peers
 * (src/bench/js-peers.ts) run the same program with their own operations, for one iteration; mathjs once only.
 */
import { RandomState } from '../../random/index.ts';
import { NDArray } from '../../tensor/ndarray.ts';
import { lLayerModel, twoLayerModel } from '../../app/models.ts';
import { bestOf, numpyBestOf } from '../peers.ts';
import { mathjsIteration, tfIteration, tfPeers, toTensor } from '../js-peers.ts';
import { initializeParameters, initializeParametersDeep } from '../../engine/reference/index.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const NUMPY_MODEL = `
X = np.random.rand(12288, 209); Y = (np.random.rand(1, 209) < 0.34).astype(float)
def init(dims):
    np.random.seed(1); p = {}
    for l in range(1, len(dims)):
        p['W%d' % l] = np.random.randn(dims[l], dims[l-1]) / np.sqrt(dims[l-1]); p['b%d' % l] = np.zeros((dims[l], 1))
    return p
def step(p, X, Y, lr=0.0075, dA0=False):
    L = len(p) // 2; A = X; caches = []
    for l in range(1, L + 1):
        Z = p['W%d' % l] @ A + p['b%d' % l]; caches.append((A, Z)); A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
    m = X.shape[1]; cost = np.squeeze((1. / m) * (-np.dot(Y, np.log(A).T) - np.dot(1 - Y, np.log(1 - A).T)))
    dA = -(np.divide(Y, A) - np.divide(1 - Y, 1 - A)); g = {}
    for l in range(L, 0, -1):
        Ap, Z = caches[l - 1]
        if l == L: s = 1 / (1 + np.exp(-Z)); dZ = dA * s * (1 - s)
        else: dZ = np.array(dA, copy=True); dZ[Z <= 0] = 0
        g['dW%d' % l] = 1. / m * np.dot(dZ, Ap.T); g['db%d' % l] = 1. / m * np.sum(dZ, axis=1, keepdims=True)
        if l > 1 or dA0: dA = p['W%d' % l].T @ dZ
    return {k: p[k] - lr * g['d' + k] for k in p}
`;

export const section: BenchSection = {
  name: 'training',
  async run(): Promise<BenchRow[]> {
    const rs = new RandomState(2);
    const X = rs.rand(12288, 209);
    const Y = new NDArray(
      rs.rand(1, 209).data.map((u) => (u < 0.34 ? 1 : 0)),
      [1, 209],
    );
    const rows: BenchRow[] = [];
    /** our two_layer_model for (n, h, 1), L_layer_model for any other dims */
    const train = (dims: readonly number[], iterations?: number) =>
      dims.length === 3
        ? twoLayerModel(X, Y, [dims[0], dims[1], dims[2]], { iterations })
        : lLayerModel(X, Y, [...dims], { iterations });
    // full trainings first, before the JavaScript peers fill the heap (mathjs's nested copies of X slow every later GC)
    for (const [name, dims] of [
      ['two-layer', [12288, 7, 1]],
      ['L-layer', [12288, 20, 7, 5, 1]],
    ] as const) {
      const ours = bestOf(1, () => train(dims));
      const np = numpyBestOf(
        NUMPY_MODEL,
        `p = init(${JSON.stringify(dims)})\n    for _ in range(2500): p = step(p, X, Y)`,
        1,
      );
      rows.push({
        section: 'training',
        name: `${name}, full training (2500 iterations)`,
        ours,
        peers: np ? { 'numpy+OpenBLAS': np } : {},
      });
    }
    for (const [name, dims] of [
      ['two-layer (12288, 7, 1)', [12288, 7, 1]],
      ['L-layer [12288, 20, 7, 5, 1]', [12288, 20, 7, 5, 1]],
    ] as const) {
      const run = (iterations: number) => train(dims, iterations);
      run(20); // start the kernel threads and let the kernels tier up
      // per iteration in a running training: the difference of 30 and 10 iterations, so that what a training does
      // once (pinning X, the first W1·X) is left out, as NumPy's loop below has none of it
      const ours = (bestOf(3, () => run(30)) - bestOf(3, () => run(10))) / 20;
      const setup = `${NUMPY_MODEL}\np = init(${JSON.stringify(dims)})`;
      const np = numpyBestOf(setup, 'for _ in range(10): p = step(p, X, Y)', 3);
      const literal = numpyBestOf(setup, 'for _ in range(10): p = step(p, X, Y, dA0=True)', 3);
      const peers: Record<string, number> = np ? { 'numpy+OpenBLAS': np / 10 } : {};
      const params =
        dims.length === 3
          ? initializeParameters(dims[0], dims[1], dims[2], { seed: 1 })
          : initializeParametersDeep([...dims], 'application');
      const ordered = dims.slice(1).flatMap((_, l) => [params[`W${l + 1}`], params[`b${l + 1}`]]); // [W1, b1, W2, ...]
      for (const peer of await tfPeers()) {
        await peer.use();
        const { tf } = peer;
        let p = ordered.map((a) => toTensor(tf, a));
        const [tx, ty] = [toTensor(tf, X), toTensor(tf, Y)];
        const step = () => {
          const next = tfIteration(tf, p, tx, ty);
          p.forEach((t) => t.dispose());
          p = next;
        };
        step();
        peers[peer.name] = bestOf(3, step);
        [...p, tx, ty].forEach((t) => t.dispose());
      }
      const math = await import('mathjs');
      const [mp, mx, my] = [
        ordered.map((a) => math.matrix(a.toNested() as number[][])),
        math.matrix(X.toNested() as number[][]),
        math.matrix(Y.toNested() as number[][]),
      ];
      peers.mathjs = bestOf(1, () => mathjsIteration(math, mp, mx, my));
      rows.push({
        section: 'training',
        name: `one iteration, ${name}`,
        ours,
        peers,
        extra: literal
          ? {
              'numpy with dA0 (notebook literal)': `${((literal / 10) * 1e3).toFixed(3)} ms (ratio ${(literal / 10 / ours).toFixed(2)})`,
            }
          : undefined,
      });
    }
    return rows;
  },
};
