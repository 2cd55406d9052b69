import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/fast-check-seed.ts', 'test/setup/yield-between-tests.ts'],
    globalSetup: ['test/setup/build.ts'],
    // Real-tree tests load Linux (about a second per arch); give them room on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // The CLI keeps sessions in ~/.cache by default: the suite runs without (test/cache turns it on in a scratch folder).
    env: { KCONFSAT_CACHE: 'off' },
  },
});
