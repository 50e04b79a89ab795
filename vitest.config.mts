import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    // Hubs open a real PGlite in beforeAll: several seconds, more on a loaded CI machine.
    hookTimeout: 60_000,
    // Two cores on CI: keep the pool small so suites that start servers stay responsive.
    maxWorkers: 2,
  },
});
