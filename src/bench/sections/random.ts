/** randn: ours against np.random.randn in the same run (1e7 draws, best of 5). */
import { RandomState } from '../../random/index.ts';
import { bestOf, numpyBestOf } from '../peers.ts';
import type { BenchRow, BenchSection } from '../types.ts';

const N = 10_000_000;

export const section: BenchSection = {
  name: 'random',
  async run(): Promise<BenchRow[]> {
    const rs = new RandomState(0);
    const out = new Float64Array(N);
    rs.fillStandardNormal(out); // warm up the JIT
    const ours = bestOf(5, () => rs.fillStandardNormal(out));
    const numpy = numpyBestOf('rs = np.random.RandomState(0); rs.randn(1000)', `rs.randn(${N})`, 5);
    const oursU = bestOf(5, () => rs.rand(N));
    const numpyU = numpyBestOf('rs = np.random.RandomState(0)', `rs.rand(${N})`, 5);
    return [
      {
        section: 'random',
        name: `randn, ${N} draws`,
        ours,
        peers: numpy ? { numpy } : ({} as Record<string, number>),
        extra: { 'draws/s': N / ours },
      },
      {
        section: 'random',
        name: `rand, ${N} draws`,
        ours: oursU,
        peers: numpyU ? { numpy: numpyU } : ({} as Record<string, number>),
        extra: { 'draws/s': N / oursU },
      },
    ];
  },
};
