import path from 'node:path';
import { test as base } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startTestHub } from '../support/hub';

/** The hub's clock, which tests move together with the page's (Playwright's clock control). */
export interface HubClock {
  /** `null` follows the real time. */
  at: number | null;
}

interface Fixtures {
  hub: RunningHub;
  hubClock: HubClock;
}

/** A real hub on loopback, port 0, serving the built renderer; closed when the test ends. */
export const test = base.extend<Fixtures>({
  // Playwright requires fixtures to destructure their first argument, even when unused.
  // eslint-disable-next-line no-empty-pattern
  hubClock: async ({}, use) => {
    await use({ at: null });
  },
  hub: async ({ hubClock }, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      now: () => hubClock.at ?? Date.now(),
    });
    await use(hub);
    await hub.close();
  },
});

export { expect } from '@playwright/test';
