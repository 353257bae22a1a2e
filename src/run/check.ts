/**
 * Moved: the contract of a check lives in src/check/types.ts, below the suites and the runner. This re-export
 * keeps the imports of src/report, src/grade, src/cli and the hostile-engine test working until they import
 * src/check directly; then it goes.
 */
export * from '../check/types.ts';
