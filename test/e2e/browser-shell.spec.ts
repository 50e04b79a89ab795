import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Route } from '@playwright/test';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * The browser build as a hub serves it: its offline shell (a service worker keeps the app's files,
 * so a reload while the hub is down opens the cached inbox) and a header badge that says what
 * the page says about the hub.
 */
const SCREENSHOTS = 'test-results/screenshots';
// Each test starts a hub on a PGlite data folder (the first can be stopped and started again),
// stops or holds it, and takes screenshots at two sizes: more than the default on a busy machine.
test.describe.configure({ timeout: 90_000 });
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

async function screenshots(page: Page, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${size.width}.png` });
  }
}

/** The manifest the build wrote into sw.js: this build's version and files. */
async function builtShell(): Promise<{ version: string; files: string[] }> {
  const worker = await readFile(path.resolve('out/renderer/sw.js'), 'utf8');
  const json = /\{"version":"[0-9a-f]+","files":\[[^\]]*\]\}/.exec(worker)?.[0];
  if (!json) throw new Error('out/renderer/sw.js has no manifest: run `npx electron-vite build`.');
  return JSON.parse(json) as { version: string; files: string[] };
}

test.describe('the offline shell', () => {
  // Blocked in every other test (playwright.config.ts); this one is about the worker.
  test.use({ serviceWorkers: 'allow' });

  test('reloaded while the hub is down, the browser app opens the cached inbox, says it is offline, and reconnects', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const shell = await builtShell();
    await customerWrites(agentHub, 'Where is my parcel? It has been a week.', Date.now());
    await signIn(page, agentHub.url);
    await expect(rowOf(page)).toBeVisible();

    // The worker installs once the page has loaded: every file of the build, in this build's
    // cache, and nothing from the API.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const kept = await page.evaluate(async () => {
      const names = await caches.keys();
      const paths: string[] = [];
      for (const name of names) {
        for (const request of await (await caches.open(name)).keys()) {
          paths.push(new URL(request.url).pathname);
        }
      }
      return { names, paths: paths.sort() };
    });
    expect(kept.names).toEqual([`replydesk-shell-${shell.version}`]);
    expect(kept.paths).toEqual(shell.files.map((file) => `/${file}`).sort());

    await agentHub.stop();
    await page.reload();
    await expect(page.getByTestId('workspace')).toBeVisible();
    await expect(rowOf(page)).toBeVisible();
    await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'offline');
    await screenshots(page, 'browser-offline-reload');

    await agentHub.restart();
    await page.getByRole('button', { name: 'Retry now' }).click();
    await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
      timeout: 20_000,
    });
    await expect(page.getByTestId('offline-banner')).toBeHidden();
    expect(problems).toEqual([]);
  });
});

test('the hub badge says what the page says: checking, unreachable, then connected on the sign-in page', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  const badge = page.getByTestId('hub-status');
  // Hold the session request: the page stays on "Checking the hub…" while the hub's health
  // check, which the badge once polled on its own, has long answered.
  let arrived: (route: Route) => void = () => undefined;
  const held = new Promise<Route>((resolve) => (arrived = resolve));
  await page.route('**/api/auth/embedded', (route) => arrived(route));
  await page.goto(`${agentHub.url}/#/inbox`);
  const request = await held;
  await expect(page.getByText(`Checking the hub at ${new URL(agentHub.url).host}…`)).toBeVisible();
  await expect(badge).toHaveText('Checking hub…');
  await screenshots(page, 'browser-checking-hub');

  // The session request fails while the health check works: the page says the hub cannot be
  // reached, and so does the badge (it said "Hub connected").
  await request.abort('connectionrefused');
  await page.unroute('**/api/auth/embedded');
  await expect(page.getByTestId('hub-unreachable')).toBeVisible();
  await expect(badge).toHaveText('Hub unreachable');

  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByLabel('E-mail')).toBeVisible();
  await expect(badge).toHaveText('Hub connected');
  await screenshots(page, 'browser-sign-in');
  expect(problems).toEqual([]);
});
