import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources. dist/ holds no tests; examples/ are separate projects with their own
// vitest, run against the packed tarball by src/packaging/tarball.test.ts.
//
// Two tiers (vitest projects), each with its own timeout:
// - unit: in-process tests, the inner loop (`npm run test:unit`, under a minute): nothing here starts a process, a
//   sandbox, the CLI, chromium or python3. A new in-process test file is added to UNIT by hand.
// - integration: everything else (process engines, the sandbox and hostile engines, grading a class, the CLI, the
//   tarball, NumPy as an oracle through python3, the mutant corpus, the Application's full trainings). A file that
//   mixes both kinds stays here. `npm test` runs both.
const UNIT = [
  'src/adapters/in-process.test.ts',
  'src/app/models.test.ts',
  'src/assignments/logistic/logistic.test.ts',
  'src/engine/autodiff.test.ts',
  'src/assignments/*.test.ts',
  'src/cli/run-flags.test.ts',
  'src/diagnose/notebook-global.test.ts',
  'src/engine/reference-engine.test.ts',
  'src/gradcheck/*.test.ts',
  'src/grade/discover.test.ts',
  'src/grade/row.test.ts',
  'src/grade/students.test.ts',
  'src/grade/similarity.test.ts',
  'src/grade/policy.test.ts',
  'src/check/precision.test.ts',
  'src/packs/compare.test.ts',
  'src/random/errors.test.ts',
  'src/report/report.test.ts',
  'src/report/exercises.test.ts',
  'src/run/assignment.test.ts',
  'src/run/verdict.test.ts',
  'src/assignments/planar/planar.test.ts',
  'src/tensor/ulp.test.ts',
  'src/tensor/ndarray.test.ts',
  'src/protocol/codec.test.ts',
  'src/tensor/kernels/*.test.ts',
  'properties/properties.test.ts',
  'scripts/*.test.ts',
];
const EXCLUDE = ['**/node_modules/**', '**/.git/**', 'dist/**', 'examples/js-engine/**'];

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: UNIT, exclude: EXCLUDE, testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.test.ts'],
          exclude: [...EXCLUDE, ...UNIT],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
