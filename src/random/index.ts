/**
 * NumPy's legacy `np.random`, bit for bit (Linux x86_64, glibc with FMA): the bit generator (./mt19937.ts), the
 * legacy distributions (./legacy.ts) and glibc's log (./glibc-log.ts) kept apart as NumPy keeps them.
 */
import { RandomState } from './legacy.ts';

export { RandomState, ValueError, type SeedLike, type Size, type LegacyState } from './legacy.ts';
export { IntNDArray, INT_DTYPES, type IntDType } from './int-array.ts';
export { glibcLog } from './glibc-log.ts';

/** The global state behind `np.random.seed` / `np.random.randn` (the notebooks' initialisers use it). */
export const globalRandom = new RandomState(0);
