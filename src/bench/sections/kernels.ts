/**
 * dot at the Application's shapes: ours (float64) against NumPy + OpenBLAS (float64, both cores), TensorFlow.js's
 * CPU backend (float32 only: its numbers are not comparable in precision) and mathjs (float64, nested arrays),
 * in one run. Ratios are peer time / our time.
 */
import { createRequire } from 'node:module';
import { NDArray } from '../../tensor/ndarray.ts';
import { dot } from '../../tensor/linalg.ts';
import { RandomState } from '../../random/index.ts';
import { bestOf, numpyBestOf } from '../peers.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const require = createRequire(import.meta.url);

interface Case {
  name: string;
  a: [number, number];
  b: [number, number];
  transA: boolean;
  transB: boolean;
  numpy: string;
}

const CASES: Case[] = [
  { name: 'W1·X (20x12288 · 12288x209)', a: [20, 12288], b: [12288, 209], transA: false, transB: false, numpy: 'A @ B' },
  { name: 'dZ1·Xᵀ (20x209 · (12288x209)ᵀ)', a: [20, 209], b: [12288, 209], transA: false, transB: true, numpy: 'A @ B.T' },
  { name: 'W1ᵀ·dZ1 ((20x12288)ᵀ · 20x209)', a: [20, 12288], b: [20, 209], transA: true, transB: false, numpy: 'A.T @ B' },
  { name: 'W1·X two-layer (7x12288 · 12288x209)', a: [7, 12288], b: [12288, 209], transA: false, transB: false, numpy: 'A @ B' },
];

async function tfjs() {
  try {
    const tf = require('@tensorflow/tfjs-core');
    require('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return tf;
  } catch {
    return undefined;
  }
}

export const section: BenchSection = {
  name: 'kernels',
  async run(): Promise<BenchRow[]> {
    const rs = new RandomState(0);
    const tf = await tfjs();
    const math = await import('mathjs');
    const rows: BenchRow[] = [];
    for (const c of CASES) {
      const A = rs.randn(...c.a);
      const B = rs.randn(...c.b);
      const flops = 2 * (c.transA ? c.a[1] : c.a[0]) * (c.transA ? c.a[0] : c.a[1]) * (c.transB ? c.b[0] : c.b[1]);
      const ours = bestOf(5, () => dot(A, B, c.transA, c.transB));
      const peers: Record<string, number> = {};
      const np = numpyBestOf(`A = np.random.randn(${c.a.join(', ')}); B = np.random.randn(${c.b.join(', ')})`, c.numpy, 20);
      if (np !== undefined) peers['numpy+OpenBLAS'] = np;
      if (tf) {
        const ta = tf.tensor2d(Float32Array.from(A.data), c.a);
        const tb = tf.tensor2d(Float32Array.from(B.data), c.b);
        peers['tfjs-cpu (float32)'] = bestOf(3, () => {
          const r = tf.matMul(ta, tb, c.transA, c.transB);
          r.dataSync();
          r.dispose();
        });
      }
      if (c.a[0] * c.b[1] <= 20 * 209) {
        // mathjs on nested arrays is slow: one run
        const ma = math.matrix(A.toNested() as number[][]);
        const mb = math.matrix(B.toNested() as number[][]);
        peers.mathjs = bestOf(1, () => math.multiply(c.transA ? math.transpose(ma) : ma, c.transB ? math.transpose(mb) : mb));
      }
      rows.push({ section: 'kernels', name: c.name, ours, peers, extra: { 'GFLOP/s': flops / ours / 1e9, 'numpy GFLOP/s': np ? flops / np / 1e9 : 'n/a' } });
    }
    void NDArray;
    return rows;
  },
};
