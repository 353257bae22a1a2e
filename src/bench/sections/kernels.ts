/**
 * dot at the Application's shapes: ours (float64) against NumPy + OpenBLAS (float64, both cores), TensorFlow.js's
 * CPU and WebAssembly backends (float32 only: not comparable in precision) and mathjs (float64, nested arrays),
 * in one run. Ratios are peer time / our time.
 *
 * Ours is timed twice where X is an operand: as `dot` on ordinary arrays (X copied into the kernels' memory on
 * every call) and with X pinned there, as the training programs do. The last row is our SIMD kernel's own ceiling
 * per core (operands in L2, no copies, one thread): wasm has 128-bit vectors and no FMA, a quarter of what
 * this CPU's AVX-512 FMA units (which OpenBLAS uses) do per cycle.
 */
import { dot, pinned } from '../../tensor/linalg.ts';
import { gemmWasm, pin } from '../../tensor/kernels/gemm-wasm.ts';
import { FirstLayer } from '../../tensor/kernels/first-layer.ts';
import { RandomState } from '../../random/index.ts';
import { bestOf, numpyBestOf } from '../peers.ts';
import { tfPeers, toTensor } from '../js-peers.ts';
import type { BenchRow, BenchSection } from '../types.ts';

interface Case {
  name: string;
  a: [number, number];
  b: [number, number];
  transA: boolean;
  transB: boolean;
  numpy: string;
  /** B is the training set X: also time it pinned */
  bIsX?: boolean;
}

const CASES: Case[] = [
  {
    name: 'W1·X (20x12288 · 12288x209)',
    a: [20, 12288],
    b: [12288, 209],
    transA: false,
    transB: false,
    numpy: 'A @ B',
    bIsX: true,
  },
  {
    name: 'dZ1·Xᵀ (20x209 · (12288x209)ᵀ)',
    a: [20, 209],
    b: [12288, 209],
    transA: false,
    transB: true,
    numpy: 'A @ B.T',
    bIsX: true,
  },
  {
    name: 'W1ᵀ·dZ1 ((20x12288)ᵀ · 20x209)',
    a: [20, 12288],
    b: [20, 209],
    transA: true,
    transB: false,
    numpy: 'A.T @ B',
  },
  {
    name: 'W1·X two-layer (7x12288 · 12288x209)',
    a: [7, 12288],
    b: [12288, 209],
    transA: false,
    transB: false,
    numpy: 'A @ B',
    bIsX: true,
  },
];

/**
 * Our kernel on one thread on a 20x256 · 256x209 block (both in L2, pinned): what the SIMD code does per core when
 * memory is not the limit. (Two threads on a block this small would time the wake-up, not the kernel.)
 */
function ceiling(rs: RandomState): BenchRow {
  const [m, k, n] = [20, 256, 209];
  const a = pin(rs.randn(m * k).data);
  const b = pin(rs.randn(k * n).data);
  const c = new Float64Array(m * n);
  const reps = 50;
  const t =
    bestOf(10, () => {
      for (let r = 0; r < reps; r++) gemmWasm(m, n, k, a, false, b, false, c, { parts: 1 });
    }) / reps;
  return {
    section: 'kernels',
    name: `kernel ceiling, 1 thread (${m}x${k} · ${k}x${n} in L2)`,
    ours: t,
    peers: {},
    extra: { 'GFLOP/s': (2 * m * n * k) / t / 1e9 },
  };
}

/**
 * The training's first-layer pass (src/tensor/kernels/first-layer.ts): dW1 = (1/m)·dZ1·Xᵀ, W1 - lr·dW1, then the next
 * W1·X, in one pass over a pinned X; NumPy runs the same three statements.
 */
function firstLayerPass(rs: RandomState, h: number): BenchRow {
  const [n0, m] = [12288, 209];
  const X = pin(rs.rand(n0 * m).data);
  const dZ = rs.randn(h * m).data;
  const layer = new FirstLayer(X, n0, m, rs.randn(h * n0).data, h);
  layer.forward();
  const ours = bestOf(20, () => layer.descend(dZ, 0.0075, true));
  layer.dispose();
  const np = numpyBestOf(
    `X = np.random.rand(${n0}, ${m}); W = np.random.randn(${h}, ${n0}); dZ = np.random.randn(${h}, ${m})`,
    'dW = 1. / X.shape[1] * np.dot(dZ, X.T); W = W - 0.0075 * dW; P = np.dot(W, X)',
    20,
  );
  const flops = 4 * h * n0 * m;
  return {
    section: 'kernels',
    name: `first-layer pass, h = ${h}: dW1, update, next W1·X (X pinned)`,
    ours,
    peers: np ? { 'numpy+OpenBLAS': np } : {},
    extra: { 'GFLOP/s': flops / ours / 1e9, 'numpy GFLOP/s': np ? flops / np / 1e9 : 'n/a' },
  };
}

export const section: BenchSection = {
  name: 'kernels',
  async run(): Promise<BenchRow[]> {
    const rs = new RandomState(0);
    const tfs = await tfPeers();
    const math = await import('mathjs');
    const rows: BenchRow[] = [];
    for (const c of CASES) {
      const A = rs.randn(...c.a);
      const B = rs.randn(...c.b);
      const flops = 2 * (c.transA ? c.a[1] : c.a[0]) * (c.transA ? c.a[0] : c.a[1]) * (c.transB ? c.b[0] : c.b[1]);
      const ours = bestOf(20, () => dot(A, B, c.transA, c.transB)); // the first calls start threads and tier up
      const peers: Record<string, number> = {};
      const np = numpyBestOf(
        `A = np.random.randn(${c.a.join(', ')}); B = np.random.randn(${c.b.join(', ')})`,
        c.numpy,
        20,
      );
      if (np !== undefined) peers['numpy+OpenBLAS'] = np;
      for (const peer of tfs) {
        await peer.use();
        const { tf } = peer;
        const ta = toTensor(tf, A);
        const tb = toTensor(tf, B);
        const mul = () => {
          const r = tf.matMul(ta, tb, c.transA, c.transB);
          r.dataSync();
          r.dispose();
        };
        mul(); // first call compiles / allocates
        peers[peer.name] = bestOf(5, mul);
        ta.dispose();
        tb.dispose();
      }
      if (c.a[0] * c.b[1] <= 20 * 209) {
        // mathjs on nested arrays is slow: one run
        const ma = math.matrix(A.toNested() as number[][]);
        const mb = math.matrix(B.toNested() as number[][]);
        peers.mathjs = bestOf(1, () =>
          math.multiply(c.transA ? math.transpose(ma) : ma, c.transB ? math.transpose(mb) : mb),
        );
      }
      const extra = { 'GFLOP/s': flops / ours / 1e9, 'numpy GFLOP/s': np ? flops / np / 1e9 : 'n/a' };
      rows.push({ section: 'kernels', name: c.name, ours, peers, extra });
      if (c.bIsX) {
        const Xp = pinned(B);
        const t = bestOf(20, () => dot(A, Xp, c.transA, c.transB));
        rows.push({
          section: 'kernels',
          name: `  the same, X pinned (as in training)`,
          ours: t,
          peers: np ? { 'numpy+OpenBLAS': np } : {},
          extra: { 'GFLOP/s': flops / t / 1e9 },
        });
      }
    }
    rows.push(firstLayerPass(rs, 20), firstLayerPass(rs, 7));
    rows.push(ceiling(rs));
    return rows;
  },
};
