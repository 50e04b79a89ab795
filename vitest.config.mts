import { defineConfig } from 'vitest/config';

/**
 * Hub suites that run a second time on PostgreSQL (the `postgres` project): those that start
 * their hubs with `startTestHub`. The others test PGlite itself, or pieces without a hub.
 */
const PGLITE_ONLY = [
  'test/server/pglite-session.test.ts',
  'test/server/demo.test.ts',
  'test/server/orders.test.ts',
  'test/server/whatsapp-sender.test.ts',
  'test/server/whatsapp-webhook.test.ts',
  'test/server/outbound-crash.test.ts',
  'test/server/media-restart.test.ts',
  // The embedded folder's backup and restore.
  'test/server/backup-restore.test.ts',
  // Shop providers against their fakes, no hub.
  'test/server/shopify-provider.test.ts',
  'test/server/woocommerce-provider.test.ts',
];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    // Hubs open a real PGlite in beforeAll: several seconds, more on a loaded CI machine.
    hookTimeout: 60_000,
    // Two cores on CI: keep the pool small so suites that start servers stay responsive.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/server/**/*.test.ts'],
          exclude: PGLITE_ONLY,
          // One throwaway cluster for the run; every hub gets a fresh database on it.
          globalSetup: ['test/support/postgres-project.ts'],
          setupFiles: ['test/support/postgres-env.ts'],
        },
      },
    ],
  },
});
