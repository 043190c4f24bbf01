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
    // A guard against a hang, not a time budget: many tests do a fixed amount of work (processes spawned from
    // the TypeScript sources, counted property runs, rebuilds on worker threads) whose time grows with whatever
    // else wants the two cores. At 30 s, a busy machine (a CPU hog beside the suite, load 13 from other work)
    // failed sound runs of the CLI, rebuild-equivalence and graceful-shutdown tests, which took 25-30 s there
    // and 2-10 s on an idle machine. Waits for a condition keep their own, shorter deadlines.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests that spawn processes or run Redis share two cores: keep files from starving each other.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
