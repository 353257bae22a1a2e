/**
 * The grading profile: how many random cases each property runs when a class is graded (`grade --runs`
 * overrides it; `check` and `verify` keep 100). Chosen by measurement on the mutant corpus
 * (fixtures/engines/mutants.json): see src/grade/README.md, "Right-sized runs".
 */
export const GRADE_RUNS = 5;
