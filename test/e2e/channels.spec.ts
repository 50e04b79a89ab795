import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { RunningHub } from '../../src/server/hub';
import { ADMIN, startTestHub } from '../support/hub';
import {
  createTestConnector,
  signTestBody,
  TEST_CHANNEL,
  withTestConnector,
} from '../support/test-connector';

const SCREENSHOTS = 'test-results/screenshots';
const SECRET = 'a-test-signing-secret';

/**
 * Issue #14 item 1: the Channels page draws any connector from the settings it declares — here
 * the registry's and a test-only connector given through the hub's options.
 */
const test = base.extend<object, { hub: RunningHub }>({
  hub: [
    // Playwright requires fixtures to destructure their first argument, even when unused.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const hub = await startTestHub({
        rendererDir: path.resolve('out/renderer'),
        graphUrl: 'http://127.0.0.1:9',
        connectors: withTestConnector(CONNECTORS, createTestConnector()),
      });
      await use(hub);
      await hub.close();
    },
    { scope: 'worker' },
  ],
});

async function signIn(page: Page, hubUrl: string): Promise<void> {
  await page.goto(`${hubUrl}/#/channels`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

test('a connector the page has never seen is configured from its declared settings', async ({
  page,
  hub,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  const card = page.locator(`[data-testid="channel-card"][data-channel="${TEST_CHANNEL}"]`);
  await expect(card).toContainText('Test channel');
  await expect(card).toContainText('Not configured');
  await expect(card.getByTestId('webhook-url')).toHaveText(`${hub.url}/webhooks/${TEST_CHANNEL}`);
  await expect(card.getByTestId('setting-unset-signingSecret')).toHaveText('Not set');
  await expect(card.getByTestId('setting-unset-accountId')).toHaveText('Not set');
  await expect(card.getByLabel(/Signing secret/)).toHaveAttribute('type', 'password');
  // The environment-only base URL is not on the page.
  await expect(card).not.toContainText('Base URL');
  await card.getByLabel(/Account id/).fill('7');
  await card.getByRole('button', { name: 'Save settings' }).click();
  await expect(card).toContainText('“acct-” and digits');
  await page.screenshot({ path: `${SCREENSHOTS}/channels-generic-unconfigured-1280.png` });

  await card.getByLabel(/Account id/).fill('acct-7');
  await card.getByLabel(/Signing secret/).fill(SECRET);
  await card.getByRole('button', { name: 'Save settings' }).click();
  await expect(card).toContainText('Connected');
  await expect(card.getByTestId('secret-set-signingSecret')).toHaveText('Set');
  await expect(card.getByLabel(/Account id/)).toHaveAttribute('placeholder', 'acct-7');
  await expect(page.locator('body')).not.toContainText(SECRET);
  await expect(card.getByText('Never', { exact: true })).toHaveCount(1);

  // Its webhook now takes deliveries, and the card shows the last event after a reload.
  const body = JSON.stringify({
    messages: [{ id: 'e2e-1', from: 'tg-1', name: 'Ana', text: 'Hi', at: Date.now() }],
  });
  const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-signature': signTestBody(body, SECRET) },
    body,
  });
  expect(res.status).toBe(200);
  await page.reload();
  await expect(card).toContainText('Connected');
  await expect(card.getByText('Never', { exact: true })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/channels-generic-1280.png` });
});

test('a long optional setting is typed on several lines, saved, and removed again', async ({
  page,
  hub,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  const card = page.locator('[data-testid="channel-card"][data-channel="viber"]');
  const welcome = card.getByLabel(/Welcome message/);
  await expect(welcome).toHaveJSProperty('tagName', 'TEXTAREA');
  await welcome.fill('Welkom bij Replydesk Shop!\nStel gerust je vraag over je bestelling.');
  await card.getByRole('button', { name: 'Save settings' }).click();
  await expect(card.getByTestId('setting-set-welcomeMessage')).toHaveText('Set');
  await expect(welcome).toHaveAttribute(
    'placeholder',
    'Welkom bij Replydesk Shop!\nStel gerust je vraag over je bestelling.',
  );
  await welcome.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}/channels-viber-welcome-1280.png` });
  await card.getByTestId('setting-remove-welcomeMessage').click();
  await expect(card.getByTestId('setting-unset-welcomeMessage')).toHaveText('Not set');
  await expect(card.getByTestId('setting-remove-welcomeMessage')).toHaveCount(0);
});
