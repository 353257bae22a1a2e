import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources. dist/ holds no tests; examples/ are separate projects with their own
// vitest, run against the packed tarball by src/package/tarball.test.ts.
export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/.git/**', 'dist/**', 'examples/**'],
  },
});
