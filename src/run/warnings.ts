/**
 * Moved: the warning kinds live in src/check/warnings.ts, below the suites and the runner. This re-export keeps the
 * imports of src/report working until they import src/check directly; then it goes.
 */
export * from '../check/warnings.ts';
