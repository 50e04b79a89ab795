import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startFakeTelegramApi, type FakeTelegramApi } from '../support/fake-telegram-api';
import { startTestHub } from '../support/hub';
import {
  message,
  postUpdate,
  telegramSettings,
  TELEGRAM,
  update,
  type Person,
} from '../support/telegram-webhooks';
import { signIn } from './agent-fixtures';

/**
 * Replying to one message of several (issue #15): a Telegram customer asks two things; the agent
 * hovers the first, presses Reply, sees the quote chip above the composer (× / Escape would drop
 * it), sends; the hub sends `reply_parameters` naming the customer's message to the Bot API's
 * fake, and the timeline shows the agent's message with the quote above it, which scrolls to
 * and highlights the quoted message when clicked. Screenshots at 1280×720, light and dark.
 */

const SHOTS = 'test-results/screenshots/reply-to';

interface World {
  readonly hub: RunningHub;
  readonly telegram: FakeTelegramApi;
}

const test = base.extend<object, { world: World }>({
  world: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const telegram = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
      const hub = await startTestHub({
        rendererDir: path.resolve('out/renderer'),
        sendTimeoutMs: 5000,
        channels: { telegram: telegramSettings(telegram.url) },
      });
      await mkdir(SHOTS, { recursive: true });
      await use({ hub, telegram });
      await hub.close();
      await telegram.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ timeout: 60_000 });

let updateId = 720_000;
async function telegramUpdate(hub: RunningHub, fields: Record<string, unknown>): Promise<void> {
  updateId += 1;
  expect((await postUpdate(hub.url, update(updateId, fields))).status).toBe(200);
}

/** Light, then dark, at the page's size. */
async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
}

const NOA: Person = { id: 4500001, first_name: 'Noa', last_name: 'Levi', username: 'noalevi' };

test('an agent replies to one Telegram message of several, quoted, and the timeline shows the quote', async ({
  page,
  world: { hub, telegram },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const now = Date.now();
  telegram.addChat(NOA.id);
  for (const id of [11, 12, 13]) telegram.addMessage(NOA.id, id);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  telegram.addFile('BQACAgQAAxkBAAIBnoa-receipt', pdf, { filePath: 'documents/file_7.pdf' });
  await telegramUpdate(hub, {
    message: message(NOA, 11, seconds(now - 6 * 60_000), {
      text: 'Is the linen shirt also available in navy?',
    }),
  });
  await telegramUpdate(hub, {
    message: message(NOA, 12, seconds(now - 5 * 60_000), {
      text: 'And can I still change the address for order #1043?',
    }),
  });
  await telegramUpdate(hub, {
    message: message(NOA, 13, seconds(now - 4 * 60_000), {
      document: {
        file_id: 'BQACAgQAAxkBAAIBnoa-receipt',
        file_name: 'receipt-1043.pdf',
        mime_type: 'application/pdf',
        file_size: pdf.length,
      },
    }),
  });

  await signIn(page, hub.url);
  await page.getByTestId('conversation-row').filter({ hasText: 'Noa Levi' }).click();
  const list = page.getByTestId('message-list');
  const asked = list
    .getByTestId('message')
    .filter({ hasText: 'Is the linen shirt also available in navy?' });
  await expect(asked).toHaveAttribute('data-direction', 'inbound');
  // By its id: once answered, the agent's reply quotes its text too.
  const first = list.locator(`[data-message-id="${await asked.getAttribute('data-message-id')}"]`);

  // Reply on the first question: the chip shows it, Escape drops it, Reply again brings it back.
  await first.hover();
  await expect(first.getByTestId('message-reply')).toHaveCSS('opacity', '1');
  await page.screenshot({ path: `${SHOTS}/reply-action.png`, animations: 'disabled' });
  await first.getByTestId('message-reply').click();
  const chip = page.getByTestId('composer-quote');
  await expect(chip.getByTestId('composer-quote-text')).toHaveText(
    'Is the linen shirt also available in navy?',
  );
  await expect(page.getByTestId('composer-input')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(chip).toHaveCount(0);
  // The document offers Reply too; its chip names the file.
  const receipt = list.getByTestId('message').filter({ hasText: 'receipt-1043.pdf' });
  await receipt.hover();
  await receipt.getByTestId('message-reply').click();
  await expect(chip.getByTestId('composer-quote-text')).toHaveText('receipt-1043.pdf');
  await first.hover();
  await first.getByTestId('message-reply').click();
  await expect(chip.getByTestId('composer-quote-text')).toHaveText(
    'Is the linen shirt also available in navy?',
  );
  await page.getByTestId('composer-input').fill('Yes — navy is in stock in S to XL.');
  await page.mouse.move(640, 700);
  await shots(page, 'quote-chip');

  await page.getByTestId('composer-send').click();
  await expect(chip).toHaveCount(0);
  const sent = list
    .getByTestId('message')
    .filter({ hasText: 'Yes — navy is in stock in S to XL.' });
  await expect(sent).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
  const quote = sent.getByTestId('message-quote');
  await expect(quote).toHaveText('Is the linen shirt also available in navy?');

  // The Bot API got exactly the reply to Noa's message 11.
  const sends = telegram.requests.filter(
    (r) => r.method === 'sendMessage' && r.params['chat_id'] === NOA.id,
  );
  expect(sends.map((r) => r.params)).toEqual([
    {
      chat_id: NOA.id,
      text: 'Yes — navy is in stock in S to XL.',
      reply_parameters: { message_id: 11, allow_sending_without_reply: true },
    },
  ]);

  // The quote leads to the quoted message, which glows.
  await quote.click();
  await expect(first.locator('.rd-message-bubble')).toHaveAttribute('data-flash', 'true');
  await expect(first).toBeInViewport();
  await page.mouse.move(640, 700);
  await shots(page, 'quote-in-timeline');
});
