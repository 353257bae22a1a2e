/**
 * Gradient checking at real size: parameters checked per second by the incremental check on the Application's
 * network, against the naive check (two full forward passes per parameter) timed on a sample of coordinates.
 */
import { randomProblem, REAL_SIZE } from '../../gradcheck/suite.ts';
import { incrementalNumericGradient } from '../../gradcheck/incremental.ts';
import { lModelForward, computeCost } from '../../engine/reference/index.ts';
import type { BenchRow, BenchSection } from '../types.ts';

export const section: BenchSection = {
  name: 'gradcheck',
  async run(): Promise<BenchRow[]> {
    const [dims, m] = REAL_SIZE;
    const p = randomProblem(dims, m, 1);
    const t0 = performance.now();
    const r = incrementalNumericGradient(p.X, p.Y, p.parameters, 1e-6);
    const incremental = (performance.now() - t0) / 1000;
    // naive: J(θ+ε) and J(θ-ε) by full forward passes, timed on 20 coordinates and extrapolated
    const W1 = p.parameters.W1.data;
    const t1 = performance.now();
    const sample = 20;
    for (let k = 0; k < sample; k++) {
      const old = W1[k];
      W1[k] = old + 1e-6;
      computeCost(lModelForward(p.X, p.parameters)[0], p.Y);
      W1[k] = old - 1e-6;
      computeCost(lModelForward(p.X, p.parameters)[0], p.Y);
      W1[k] = old;
    }
    const naivePerParam = (performance.now() - t1) / 1000 / sample;
    const naive = naivePerParam * r.layout.size;
    return [
      {
        section: 'gradcheck',
        name: `full check ${JSON.stringify(dims)}, m=${m}`,
        ours: incremental,
        peers: { 'naive full-forward (extrapolated)': naive },
        extra: { parameters: r.layout.size, 'params/s': r.layout.size / incremental },
      },
    ];
  },
};
