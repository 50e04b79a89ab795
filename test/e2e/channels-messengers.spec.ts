import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startFakeLineApi, type FakeLineApi } from '../support/fake-line-api';
import { startFakeTelegramApi, type FakeTelegramApi } from '../support/fake-telegram-api';
import { startFakeViberApi, type FakeViberApi } from '../support/fake-viber-api';
import { LINE, lineEvent, lineSettings, lineWebhook, signedLine } from '../support/line-webhooks';
import { startTestHub } from '../support/hub';
import {
  message,
  postUpdate,
  telegramSettings,
  TELEGRAM,
  update,
  type Person,
} from '../support/telegram-webhooks';
import {
  messageCallback,
  signedViber,
  VIBER,
  viberSettings,
  type ViberUser,
} from '../support/viber-webhooks';
import { signIn } from './agent-fixtures';

/**
 * Issue #15's "Must show" in the app: one conversation per messenger in the unified inbox, each
 * with its own reply-window state (Telegram none, LINE's short free-reply token, Viber's 24 h
 * session), its photo downloaded by the hub from the platform and shown as an image, and a
 * reply sent on each from the composer through the real connector to the platform's local fake. Then LINE after the
 * token (push, against the quota), a Telegram customer who blocked the bot, and the Channels
 * page's "Register webhook".
 *
 * The hub runs on the real clock (LINE's reply token is measured on it): the customers write
 * "just now" or some hours ago, and the assertions allow for the seconds the test takes.
 */

const SHOTS = 'test-results/screenshots/channels-messengers';

interface Messengers {
  readonly hub: RunningHub;
  readonly telegram: FakeTelegramApi;
  readonly line: FakeLineApi;
  readonly viber: FakeViberApi;
}

const test = base.extend<object, { messengers: Messengers }>({
  messengers: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const telegram = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
      const line = await startFakeLineApi({
        channelAccessToken: LINE.channelAccessToken,
        channelSecret: LINE.channelSecret,
        botUserId: LINE.botUserId,
      });
      line.setQuota({ type: 'limited', value: 5000 }, 50);
      const viber = await startFakeViberApi({ authToken: VIBER.authToken });
      const hub = await startTestHub({
        rendererDir: path.resolve('out/renderer'),
        sendTimeoutMs: 5000,
        selfPublicUrl: true,
        channels: {
          telegram: telegramSettings(telegram.url),
          line: lineSettings(line.url),
          viber: viberSettings(viber.url),
        },
      });
      await mkdir(SHOTS, { recursive: true });
      await use({ hub, telegram, line, viber });
      await hub.close();
      await telegram.close();
      await line.close();
      await viber.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ timeout: 60_000 });

// ---- the customers' side: signed deliveries through /webhooks/<channel> ----------------------

let updateId = 710_000;

async function telegramUpdate(hub: RunningHub, fields: Record<string, unknown>): Promise<void> {
  updateId += 1;
  expect((await postUpdate(hub.url, update(updateId, fields))).status).toBe(200);
}

async function lineDelivery(hub: RunningHub, events: readonly object[]): Promise<void> {
  const signed = signedLine(lineWebhook(events));
  const res = await fetch(`${hub.url}/webhooks/line`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

async function viberCallback(hub: RunningHub, raw: string): Promise<void> {
  const signed = signedViber(raw);
  const res = await fetch(`${hub.url}/webhooks/viber`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

const lineUser = (n: number): string => `U${String(n).padStart(32, 'a')}`;

/** A LINE text message with a reply token the fake issued now. */
function lineText(line: FakeLineApi, userId: string, id: string, body: string, at: number) {
  return lineEvent('message', userId, at, {
    replyToken: line.issueReplyToken(userId),
    message: { id, type: 'text', text: body, quoteToken: `q-${id}` },
  });
}

/** A 640×480 JPEG drawn in the browser: what the customer photographed. */
async function photo(page: Page, label: string, colour: string): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ label, colour }) => {
      const canvas = new OffscreenCanvas(640, 480);
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.fillStyle = colour;
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#8a6a43';
      g.fillRect(160, 120, 320, 240);
      g.fillStyle = '#ffffff';
      g.font = 'bold 40px sans-serif';
      g.textAlign = 'center';
      g.fillText(label, 320, 255);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let binary = '';
      for (const byte of bytes) binary += String.fromCharCode(byte);
      return btoa(binary);
    },
    { label, colour },
  );
  return Buffer.from(base64, 'base64');
}

// ---- the agent's side ------------------------------------------------------------------------

const rowOf = (page: Page, channel: string): Locator =>
  page.locator(`[data-testid="conversation-row"][data-channel="${channel}"]`);

/** Light and dark, at the size the page has. */
async function shots(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
}

/**
 * The conversation's photo is an image the browser decoded, not a placeholder card: the hub's
 * thumbnail of the 640 px photo, 480 px on its long side.
 */
async function expectPhoto(page: Page): Promise<void> {
  const thumb = page.getByTestId('message-list').getByTestId('media-thumbnail');
  await expect(thumb).toHaveCount(1, { timeout: 15_000 });
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 })
    .toBe(480);
}

async function reply(page: Page, text: string): Promise<Locator> {
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('composer-send').click();
  const sent = page.getByTestId('message').filter({ hasText: text });
  await expect(sent).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
  return sent;
}

const ANN: Person = { id: 4400001, first_name: 'Ann', last_name: 'Lee', username: 'annlee' };
const MARTA: ViberUser = { id: 'q7R2mK9pX4wZbT1cL8vN0A==', name: 'Marta Nowak', country: 'PL' };
const IVY: Person = { id: 4400002, first_name: 'Ivy', last_name: 'Ng' };

test('one conversation per messenger: its own window state, its photo shown, a reply sent on each', async ({
  page,
  messengers: { hub, telegram, line, viber },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('about:blank');
  const [tgPhoto, linePhoto, viberPhoto] = [
    await photo(page, 'TELEGRAM PHOTO', '#7fb2d9'),
    await photo(page, 'LINE PHOTO', '#8fd19e'),
    await photo(page, 'VIBER PHOTO', '#b7a3e0'),
  ];
  const now = Date.now();
  const seconds = (ms: number) => Math.floor(ms / 1000);

  // Telegram: Ann writes, then sends a photo (Telegram holds it; the hub asks getFile).
  telegram.addChat(ANN.id);
  telegram.addFile('AgACAgQAAxkBAAIBcrushedbox', tgPhoto, { filePath: 'photos/file_41.jpg' });
  await telegramUpdate(hub, {
    message: message(ANN, 1, seconds(now - 30 * 60_000), {
      text: 'Hi, my parcel arrived damaged',
    }),
  });
  await telegramUpdate(hub, {
    message: message(ANN, 2, seconds(now - 29 * 60_000), {
      photo: [
        { file_id: 'AgACAgQAAxkBAAIBthumb', file_unique_id: 't', width: 90, height: 68 },
        {
          file_id: 'AgACAgQAAxkBAAIBcrushedbox',
          file_unique_id: 'c',
          width: 640,
          height: 480,
          file_size: tgPhoto.length,
        },
      ],
      caption: 'The box',
    }),
  });

  // Viber: Marta wrote two hours ago, then a picture (the hub fetches it from Viber's CDN).
  const picture = viber.serveFile('wrong-size.jpg', viberPhoto, 'image/jpeg');
  await viberCallback(
    hub,
    messageCallback('5098034272017990101', now - 2 * 3_600_000 - 60_000, MARTA, {
      type: 'text',
      text: 'I ordered size M but got an L',
    }),
  );
  await viberCallback(
    hub,
    messageCallback('5098034272017990102', now - 2 * 3_600_000, MARTA, {
      type: 'picture',
      media: picture,
      text: 'The label',
      file_name: 'wrong-size.jpg',
      thumbnail: picture,
    }),
  );

  // LINE: a customer writes just now, then sends a photo (content from the data API).
  const lineCustomer = lineUser(1);
  line.serveContent('7100000000001', linePhoto, 'image/jpeg');
  await lineDelivery(hub, [
    lineText(line, lineCustomer, '7100000000000', 'Do you ship to Osaka?', now - 3000),
    lineEvent('message', lineCustomer, now - 2000, {
      replyToken: line.issueReplyToken(lineCustomer),
      message: { id: '7100000000001', type: 'image', contentProvider: { type: 'line' } },
    }),
  ]);

  await signIn(page, hub.url);
  const rows = page.getByTestId('conversation-row');
  await expect(rows).toHaveCount(3);
  const tgRow = rowOf(page, 'telegram');
  const lineRow = rowOf(page, 'line');
  const viberRow = rowOf(page, 'viber');
  await expect(tgRow.getByTestId('customer-name')).toHaveText('Ann Lee');
  await expect(tgRow.getByLabel('Telegram')).toBeVisible();
  await expect(tgRow.getByTestId('window-timer')).toHaveText('no window');
  await expect(tgRow.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'unlimited');
  await expect(lineRow.getByLabel('LINE')).toBeVisible();
  // 50 s of free reply from the photo, two seconds before the delivery: a few seconds pass here.
  await expect(lineRow.getByTestId('window-timer')).toHaveText(/^(3\d|4[0-8])s$/);
  await expect(lineRow.getByTestId('window-timer')).toHaveAttribute(
    'data-window-state',
    /^(open|closing)$/,
  );
  await expect(viberRow.getByTestId('customer-name')).toHaveText('Marta Nowak');
  await expect(viberRow.getByLabel('Viber')).toBeVisible();
  // The 24 h session from her picture, two hours ago.
  await expect(viberRow.getByTestId('window-timer')).toHaveText('21h 59m');
  await expect(viberRow.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'open');
  await shots(page, 'inbox-1280');
  await page.setViewportSize({ width: 1440, height: 900 });
  await shots(page, 'inbox-1440');
  await page.setViewportSize({ width: 1280, height: 720 });

  // LINE first, inside its reply token's life: the reply goes as a reply, free.
  await lineRow.click();
  await expectPhoto(page);
  await expect(page.getByTestId('next-message-cost')).toHaveText('Next: Free reply');
  // Free: the composer names no cost.
  await expect(page.getByTestId('composer-cost')).toHaveCount(0);
  await shots(page, 'line-conversation');
  const lineSentBefore = line.sent.length;
  const lineReply = await reply(page, 'Yes, we ship to Osaka in two days.');
  await expect(lineReply.getByTestId('message-send-label')).toHaveText('Reply (free) ·');
  expect(line.sent.slice(lineSentBefore).map((s) => [s.via, s.to, s.messages])).toEqual([
    ['reply', lineCustomer, [{ type: 'text', text: 'Yes, we ship to Osaka in two days.' }]],
  ]);
  await shots(page, 'line-replied');

  // Telegram: no window, free; the reply is one sendMessage.
  await tgRow.click();
  await expectPhoto(page);
  await expect(page.getByTestId('window-countdown-value')).toHaveText('No window');
  await expect(page.getByTestId('window-countdown')).toContainText('Telegram has no reply window');
  await expect(page.getByTestId('next-message-cost')).toHaveText('Next: Free reply');
  await expect(page.getByTestId('composer-cost')).toHaveCount(0);
  await shots(page, 'telegram-conversation');
  await reply(page, 'Sorry about that, Ann. A replacement ships today.');
  expect(
    telegram.requests
      .filter((r) => r.method === 'sendMessage')
      .map((r) => [r.params['chat_id'], r.params['text'], r.response?.status]),
  ).toEqual([[ANN.id, 'Sorry about that, Ann. A replacement ships today.', 200]]);
  await shots(page, 'telegram-replied');

  // Viber: inside the 24 h session, free; the reply is one send_message.
  await viberRow.click();
  await expectPhoto(page);
  await expect(page.getByTestId('window-countdown-value')).toHaveText(/^21:5\d:\d\d$/);
  await expect(page.getByTestId('next-message-cost')).toHaveText('Next: Free reply');
  await expect(page.getByTestId('composer-cost')).toHaveCount(0);
  await shots(page, 'viber-conversation');
  await reply(page, 'Sorry, Marta! Size M is on its way; keep the L.');
  expect(
    viber.requests
      .filter((r) => r.path === '/pa/send_message')
      .map((r) => {
        const body = r.body as Record<string, unknown>;
        return [body['receiver'], body['type'], body['text']];
      }),
  ).toEqual([[MARTA.id, 'text', 'Sorry, Marta! Size M is on its way; keep the L.']]);
  await shots(page, 'viber-replied');
});

test('LINE after the reply token: the composer says push against the quota, and it goes as push', async ({
  page,
  messengers: { hub, line },
}) => {
  const customer = lineUser(2);
  // Written two minutes ago: its reply token is past the 50 s the hub uses it for.
  await lineDelivery(hub, [
    lineText(line, customer, '7200000000000', 'Is my order 1043 on its way?', Date.now() - 120_000),
  ]);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  const row = page
    .getByTestId('conversation-row')
    .filter({ has: page.getByTestId('row-preview').getByText('Is my order 1043 on its way?') });
  await expect(row.getByTestId('window-timer')).toHaveText('closed 1m ago');
  await row.click();
  await expect(page.getByTestId('composer-cost')).toHaveText(
    'Push: counts against the quota (4,950 of 5,000 left this month)',
  );
  // The header agrees: a push, no fee but counted against the quota.
  await expect(page.getByTestId('send-allowance')).toHaveText('Any message · push');
  await expect(page.getByTestId('next-message-cost')).toHaveText(
    'Next: Push counts against the quota',
  );
  await shots(page, 'line-push');
  const before = line.sent.length;
  const sent = await reply(page, 'It left our warehouse this morning.');
  await expect(sent.getByTestId('message-send-label')).toHaveText(
    'Push (counts against the monthly quota) ·',
  );
  expect(line.sent.slice(before).map((s) => [s.via, s.to, s.messages])).toEqual([
    ['push', customer, [{ type: 'text', text: 'It left our warehouse this morning.' }]],
  ]);
  await shots(page, 'line-pushed');
});

test('a Telegram customer who blocked the bot: the composer is closed with why; the Channels page registers webhooks', async ({
  page,
  messengers: { hub, telegram },
}) => {
  telegram.addChat(IVY.id);
  const at = Math.floor(Date.now() / 1000);
  await telegramUpdate(hub, { message: message(IVY, 1, at - 4 * 3600, { text: 'Please stop' }) });
  const bot = { id: telegram.botId, is_bot: true, first_name: 'Shop bot' };
  await telegramUpdate(hub, {
    my_chat_member: {
      chat: { id: IVY.id, type: 'private', first_name: 'Ivy', last_name: 'Ng' },
      from: { id: IVY.id, is_bot: false, first_name: 'Ivy', last_name: 'Ng' },
      // Three and a half hours ago: "3 h ago" whatever minute the composer's clock is on.
      date: at - 3.5 * 3600,
      old_chat_member: { status: 'member', user: bot },
      new_chat_member: { status: 'kicked', user: bot },
    },
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  const ivyRow = page.getByTestId('conversation-row').filter({ hasText: 'Ivy Ng' });
  // The row and the header say so too, not a countdown.
  await expect(ivyRow.getByTestId('window-timer')).toHaveText('blocked');
  await ivyRow.click();
  await expect(page.getByTestId('window-countdown-value')).toHaveText('Blocked');
  await expect(page.getByTestId('window-countdown')).toContainText(
    'Ivy Ng blocked this account on Telegram',
  );
  await expect(page.getByTestId('next-message-cost')).toHaveCount(0);
  await expect(page.getByTestId('send-allowance')).toHaveCount(0);
  await expect(page.getByTestId('composer')).toHaveAttribute('data-mode', 'blocked');
  await expect(page.getByTestId('composer-notice')).toHaveText(
    'Ivy Ng blocked this account on Telegram 3 h ago. Messages cannot reach them until they unblock it.',
  );
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await shots(page, 'telegram-blocked');

  await page.goto(`${hub.url}/#/channels`);
  await expect(page.getByRole('heading', { name: 'Channels and rates' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/channels-page.png` });
  for (const channel of ['telegram', 'line', 'viber']) {
    const card = page.locator(`[data-testid="channel-card"][data-channel="${channel}"]`);
    await expect(card.getByTestId('webhook-url')).toHaveText(`${hub.url}/webhooks/${channel}`);
    await expect(card.getByRole('button', { name: 'Register webhook' })).toBeEnabled();
  }
  const card = page.locator('[data-testid="channel-card"][data-channel="telegram"]');
  await card.getByRole('button', { name: 'Register webhook' }).click();
  // The hub is on loopback, so its URL is http://; Telegram takes HTTPS webhooks only.
  await expect(card.getByTestId('register-webhook-result')).toHaveText(
    'Telegram refused the webhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook.',
  );
  expect(telegram.webhook).toBe(null);
  await card.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/channels-telegram-register.png` });
  const viberCard = page.locator('[data-testid="channel-card"][data-channel="viber"]');
  await viberCard.getByRole('button', { name: 'Test connection' }).click();
  await expect(viberCard.getByTestId('test-connection-result')).toHaveText(
    /^ ?Connected to Replydesk Shop \(replydeskshop\) · 3 subscribers · delivers to http/,
  );
  await viberCard.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/channels-line-viber.png` });
});
