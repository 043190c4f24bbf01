import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `@hru/source` export condition), so tests
// never need a build.
const conditions = ['@hru/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/bench/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests that spawn processes or run Redis share two cores: keep files from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
