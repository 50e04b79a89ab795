import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { ADMIN, startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

const SCREENSHOTS = 'test-results/screenshots';

const test = base.extend<{ hub: RunningHub }>({
  // eslint-disable-next-line no-empty-pattern
  hub: async ({}, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      graphUrl: 'http://127.0.0.1:9',
    });
    await use(hub);
    await hub.close();
  },
});

test('an admin sees a signed delivery that could not be stored, with its reason and payload', async ({
  page,
  hub,
}) => {
  // A message without an id cannot be stored (nothing would deduplicate its redeliveries).
  const broken = textMessage('Is my parcel lost?', { from: '31612345678', id: '' });
  const signed = signedWebhook(messagesWebhook(broken), WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ received: 0, stored: 0, deadLettered: 1 });

  for (const size of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    await page.setViewportSize(size);
    if (size.width === 1280) {
      await page.goto(`${hub.url}/#/channels`);
      await page.getByLabel('E-mail').fill(ADMIN.email);
      await page.getByLabel(/^Password/).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    const whatsapp = page.locator('[data-testid="channel-card"][data-channel="whatsapp"]');
    await expect(whatsapp).toContainText('1 delivery not stored');
    await expect(whatsapp).toContainText('Needs attention');
    await page.screenshot({ path: `${SCREENSHOTS}/dead-letters-card-${size.width}.png` });
  }
  const whatsapp = page.locator('[data-testid="channel-card"][data-channel="whatsapp"]');
  await whatsapp.getByRole('button', { name: 'Show' }).click();
  const letter = page.getByTestId('dead-letter');
  await expect(letter).toHaveCount(1);
  await expect(letter).toContainText('(message skipped)');
  await expect(letter).toContainText('Is my parcel lost?');
  await page.screenshot({ path: `${SCREENSHOTS}/dead-letters-list.png`, animations: 'disabled' });
});
