import path from 'node:path';
import { test as base } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startTestHub } from '../support/hub';

interface Fixtures {
  /** The desktop app's own hub: embedded (signs the local admin in) with the demo simulator. */
  demoHub: RunningHub;
  /** A team hub: no demo traffic, users sign in with a password (`ADMIN` of test/support/hub). */
  teamHub: RunningHub;
}

const rendererDir = path.resolve('out/renderer');

/** Real hubs on loopback, port 0, serving the built renderer; closed when the test ends. */
export const test = base.extend<Fixtures>({
  // Playwright requires fixtures to destructure their first argument, even when unused.
  // eslint-disable-next-line no-empty-pattern
  demoHub: async ({}, use) => {
    const hub = await startTestHub({ demo: true, embedded: true, rendererDir });
    await use(hub);
    await hub.close();
  },
  // eslint-disable-next-line no-empty-pattern
  teamHub: async ({}, use) => {
    const hub = await startTestHub({ rendererDir });
    await use(hub);
    await hub.close();
  },
});

export { expect } from '@playwright/test';
