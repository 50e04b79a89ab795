import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_HINT, findChromium } from './test/e2e/chromium';

const executablePath = findChromium(process.env);
if (!executablePath) {
  // Stop the run with one actionable line rather than skipping the browser tests.
  console.error(CHROMIUM_HINT);
  process.exit(1);
}

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    viewport: { width: 1360, height: 860 },
    // The browser build registers a service worker (its offline shell), which would answer the
    // requests `page.route` serves in some tests: off, but where a test is about the worker.
    serviceWorkers: 'block',
    trace: 'retain-on-failure',
  },
});
