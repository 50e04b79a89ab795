import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub } from '../support/hub';
import { signIn } from './agent-fixtures';

/**
 * Issue #16 item 3 in the app: an SMS conversation's composer shows the encoding, the segments
 * and the price as the agent types, and an emoji turns it into UCS-2 with the price changing.
 * A German number (+49): the example card's per-segment price for DE (€0.07).
 *
 * The SMS connectors land separately; the customer's message is put in through the hub's own
 * ingestion, exactly as a connector hands it over.
 */

const DOCS = 'docs/screenshots';

const test = base.extend<object, { hub: RunningHub }>({
  hub: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const hub = await startTestHub({ rendererDir: path.resolve('out/renderer') });
      const token = await login(hub.url);
      const created = await api(hub.url, token, '/api/templates', {
        method: 'POST',
        body: {
          kind: 'quick_reply',
          name: 'Shipped',
          shortcut: 'shipped',
          body: 'Good news: your order has shipped and arrives tomorrow 🚚',
          language: 'en',
          channels: ['sms'],
        },
      });
      expect(created.status).toBe(201);
      await hub.ingestor.ingest({
        kind: 'message',
        channel: 'sms',
        channelAccountId: '+4930123456',
        externalId: 'sms-e2e-1',
        customer: {
          externalId: '+4915112345678',
          name: 'Jonas Weber',
          phone: '+4915112345678',
          country: null,
        },
        sentAt: Date.now() - 5 * 60_000,
        content: { type: 'text', body: 'Hi, where is my order 1043?' },
      });
      await use(hub);
      await hub.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ timeout: 60_000 });

async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${DOCS}/${name}.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${DOCS}/${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
}

test('the SMS composer counts segments and prices them as the agent types; an emoji makes it UCS-2', async ({
  page,
  hub,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.locator('[data-testid="conversation-row"][data-channel="sms"]').click();

  const input = page.getByTestId('composer-input');
  const line = page.getByTestId('composer-sms');
  await expect(line).toHaveText('GSM-7 · €0.07 per segment (example)');
  await expect(line).toHaveAttribute(
    'title',
    /^€0.07 per segment \(DE\)\. One SMS holds 160 GSM-7 characters/,
  );

  await input.click();
  await input.pressSequentially('Your order 1043 left our warehouse today.');
  await expect(line).toHaveText('GSM-7 · 1 segment · 119 left · €0.07 (example)');
  await expect(line).toHaveAttribute('data-segments', '1');

  await expect(line).toHaveAttribute('title', /^1 segment × €0.07 \(DE\)\./);
  // GSM-7: nothing to point out.
  await expect(page.getByTestId('composer-sms-culprit')).toHaveCount(0);

  await input.pressSequentially(' 😀');
  await expect(line).toHaveAttribute('data-encoding', 'ucs2');
  await expect(line).toHaveText('UCS-2 (because of “😀”) · 1 segment · 26 left · €0.07 (example)');

  // Longer than 70 UCS-2 units: two segments, twice the price.
  await input.pressSequentially(' See you soon, thanks for waiting!');
  await expect(line).toHaveText('UCS-2 (because of “😀”) · 2 segments · 56 left · €0.14 (example)');
  await expect(line).toHaveAttribute('data-segments', '2');

  // The culprit is pointed out: a click selects it in the text.
  await page.getByTestId('composer-sms-culprit').click();
  await expect
    .poll(() =>
      input.evaluate((el: HTMLTextAreaElement) =>
        el.value.slice(el.selectionStart, el.selectionEnd),
      ),
    )
    .toBe('😀');
  await shots(page, 'sms-composer');

  // Removing the emoji goes back to GSM-7: one segment again.
  await input.press('Backspace');
  await expect(line).toHaveText('GSM-7 · 1 segment · 84 left · €0.07 (example)');

  // A quick reply shows what the text would cost with it, before it is inserted.
  await input.fill('');
  await input.pressSequentially('/ship');
  const preview = page.getByTestId('quick-reply-sms');
  await expect(preview).toContainText('With “Shipped”:');
  await expect(page.getByTestId('quick-reply-sms-line')).toHaveText(
    'UCS-2 (because of “🚚”) · 1 segment · 13 left · €0.07',
  );
  await page.screenshot({ path: `${DOCS}/sms-quick-reply.png`, animations: 'disabled' });
  await input.press('Enter');
  await expect(line).toHaveText('UCS-2 (because of “🚚”) · 1 segment · 13 left · €0.07 (example)');

  // Typographic quotes alone: the plain-quotes action makes it GSM-7 again.
  await input.fill('');
  await input.pressSequentially('It’s on its way – “tomorrow”.');
  await expect(line).toContainText('UCS-2 (because of “’”) · 1 segment · 41 left · €0.07');
  await expect(page.getByTestId('composer-sms-fix')).toHaveText('Use plain quotes → GSM-7');
  await page.screenshot({ path: `${DOCS}/sms-plain-quotes.png`, animations: 'disabled' });
  await page.getByTestId('composer-sms-fix').click();
  await expect(input).toHaveValue('It\'s on its way - "tomorrow".');
  await expect(line).toHaveText('GSM-7 · 1 segment · 131 left · €0.07 (example)');
});

test('the rate card editor edits the SMS price per segment and country', async ({ page, hub }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.goto(`${hub.url}/#/channels`);
  const editor = page.getByTestId('rate-card-editor');
  await editor.getByLabel('Period').click();
  await page.getByRole('option', { name: 'SMS · per segment · from 2026-07-01' }).click();
  const table = editor.getByTestId('rate-table');
  await expect(table.getByRole('columnheader', { name: 'Per segment (EUR)' })).toBeVisible();
  await expect(editor.getByTestId('rate-card-sms-note')).toContainText(
    'a text costs its segments × this price',
  );
  await expect(editor).toContainText('EXAMPLE per-segment prices dated 2026-07-01');
  const de = editor.getByRole('textbox', { name: 'DE segment' });
  await expect(de).toHaveValue('0.07');
  await de.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${DOCS}/sms-rate-card.png`, animations: 'disabled' });

  await de.fill('0.08');
  await editor.getByRole('button', { name: 'Save rate card' }).click();
  await expect(editor).toContainText('Saved; apps reprice now');
  const token = await login(hub.url);
  const card = await api<{
    rateCard: { periods: { channel: string; effectiveFrom: string; rates: object }[] };
  }>(hub.url, token, '/api/rate-card');
  const sms = card.body.rateCard.periods.find(
    (p) => p.channel === 'sms' && p.effectiveFrom === '2026-07-01',
  );
  expect(sms?.rates).toMatchObject({ DE: { segment: 0.08 }, default: { segment: 0.06 } });
});
