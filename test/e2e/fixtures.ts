import path from 'node:path';
import { test as base } from '@playwright/test';
import { startHubServer, type RunningHub } from '../../src/server/http-server';

/** A real hub on loopback, port 0, serving the built renderer; closed when the worker ends. */
export const test = base.extend<object, { hub: RunningHub }>({
  hub: [
    // Playwright requires fixtures to destructure their first argument, even when unused.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const hub = await startHubServer({
        host: '127.0.0.1',
        port: 0,
        rendererDir: path.resolve('out/renderer'),
      });
      await use(hub);
      await hub.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
