import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import type { RunningHub } from '../../src/server/hub';
import { formatBytes } from '../../src/renderer/src/format/files';
import { startFakeMessengerApi, type FakeMessengerApi } from '../support/fake-messenger-api';
import { startTestHub } from '../support/hub';
import { until } from '../support/until';
import { MESSENGER, metaSettings, postMetaWebhook } from '../support/meta-webhooks';
import { signIn, watchForProblems } from './agent-fixtures';
import { screenshotsIn } from './screenshots';

/**
 * Issue #14 remainders in the app: an admin attaches a PDF to a quick reply, an agent uses it
 * with `/` on Messenger and the message shows the PDF (uploaded to Meta once, sent once); and a
 * Messenger message with two reply buttons, shown under it, and the customer's tap.
 */
const test = base.extend<{ hub: RunningHub; meta: FakeMessengerApi }>({
  // eslint-disable-next-line no-empty-pattern
  meta: async ({}, use) => {
    const meta = await startFakeMessengerApi({
      pageAccessToken: MESSENGER.pageAccessToken,
      pageIds: [MESSENGER.pageId],
    });
    await use(meta);
    await meta.close();
  },
  hub: async ({ meta }, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      channels: { messenger: metaSettings(MESSENGER, meta.url, 'no') },
    });
    await use(hub);
    await hub.close();
  },
});
test.describe.configure({ timeout: 90_000 });

const SHOTS = 'test-results/screenshots/quick-reply-files';
const SIZE = { width: 1280, height: 720 } as const;

const screenshots = screenshotsIn(SHOTS);

/** Light and dark at 1,280 × 720. */
async function shot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(SIZE);
  await screenshots(page, `${name}-1280`);
}

async function customerWrites(hub: RunningHub, psid: string, message: object): Promise<void> {
  const event = {
    sender: { id: psid },
    recipient: { id: MESSENGER.pageId },
    timestamp: Date.now(),
    message,
  };
  expect(await postMetaWebhook(hub.url, 'messenger', [event])).toBe(200);
}

const sends = (meta: FakeMessengerApi) =>
  meta.requests.filter((r) => r.path.startsWith('/v') && r.response?.status === 200);

test('an admin attaches a PDF to a quick reply; an agent uses it with / and the message shows the PDF', async ({
  page,
  hub,
  meta,
}) => {
  const problems = watchForProblems(page);
  const pdf = await readFile('resources/demo/return-form.pdf');
  const psid = '7000000000000601';
  await customerWrites(hub, psid, { mid: 'm_e2e_qr1', text: 'The shoes are too small.' });
  await page.setViewportSize(SIZE);
  await signIn(page, hub.url);

  // The admin's editor: the file uploaded to the hub, shown with its name, type and size.
  await page.getByRole('link', { name: 'Templates' }).click();
  await expect(page.getByTestId('templates-page')).toBeVisible();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Quick reply' }).click();
  await page.getByLabel('Title').fill('Returns label');
  await page.getByLabel('Shortcut').fill('label');
  await page
    .getByTestId('template-body')
    .fill('Here is your returns label: print it and stick it on the box.');
  await page.getByTestId('quick-reply-file-input').setInputFiles({
    name: 'return-form.pdf',
    mimeType: 'application/pdf',
    buffer: pdf,
  });
  const file = page.getByTestId('quick-reply-file');
  await expect(file.getByTestId('quick-reply-file-name')).toHaveText('return-form.pdf');
  await expect(file.getByTestId('quick-reply-file-details')).toHaveText(
    `PDF · ${formatBytes(pdf.length)}`,
  );
  // A channel of the reply that takes no PDF is named before Save; without it, nothing is.
  const attachmentError = page
    .getByTestId('field-error')
    .filter({ hasText: 'WeChat does not accept application/pdf files.' });
  await expect(attachmentError).toHaveCount(1);
  await shot(page, 'editor-file-refused');
  await page
    .locator('.mantine-Pill-root', { hasText: 'WeChat' })
    .locator('.mantine-Pill-remove')
    .click();
  await expect(attachmentError).toHaveCount(0);
  await shot(page, 'editor-file');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('template-notice')).toContainText('Version 1 is live');
  // Nothing reached Meta: the file waits at the hub until an agent sends it.
  expect(meta.requests).toHaveLength(0);

  // The agent: `/label` fills the text and attaches the reply's file, removable before sending.
  await page.getByRole('link', { name: 'Inbox' }).click();
  await page.getByTestId('conversation-row').filter({ hasText: psid }).click();
  const input = page.getByTestId('composer-input');
  await input.click();
  await input.pressSequentially('/label');
  await expect(page.getByTestId('quick-reply-option')).toHaveCount(1);
  await input.press('Enter');
  // Inserted with a space after it, as every quick reply is.
  await expect(input).toHaveValue('Here is your returns label: print it and stick it on the box. ');
  const staged = page.getByTestId('composer-attachment');
  await expect(staged).toHaveAttribute('data-source', 'quick-reply');
  await expect(staged.getByTestId('attachment-name')).toHaveText('return-form.pdf');
  await expect(staged.getByTestId('attachment-details')).toHaveText(
    `PDF · ${formatBytes(pdf.length)} · Messenger takes no caption here: your text follows as its own message.`,
  );
  await shot(page, 'composer-quick-reply-file');
  await page.getByTestId('composer-send').click();

  // The file, then the text (Messenger takes no captions), each once.
  const document = page.getByTestId('media-document');
  await expect(document.getByTestId('document-name')).toHaveText('return-form.pdf');
  await expect(document.getByTestId('document-details')).toHaveText(
    `PDF · ${formatBytes(pdf.length)}`,
  );
  await until(
    async () => sends(meta).length,
    (n) => n === 3,
  );
  const calls = sends(meta);
  expect(calls.map((r) => r.path)).toEqual([
    `/v23.0/${MESSENGER.pageId}/message_attachments`,
    `/v23.0/${MESSENGER.pageId}/messages`,
    `/v23.0/${MESSENGER.pageId}/messages`,
  ]);
  const attachmentId = (calls[0]?.response?.body as { attachment_id: string }).attachment_id;
  expect(calls[1]?.body).toMatchObject({
    recipient: { id: psid },
    message: { attachment: { type: 'file', payload: { attachment_id: attachmentId } } },
  });
  expect(calls[2]?.body).toMatchObject({
    recipient: { id: psid },
    message: { text: 'Here is your returns label: print it and stick it on the box.' },
  });
  await expect(
    page.getByTestId('message').filter({ hasText: 'stick it on the box' }),
  ).toHaveAttribute('data-status', 'sent');
  await shot(page, 'timeline-quick-reply-file');
  expect(problems).toEqual([]);
});

test('a Messenger message with two reply buttons shows them, and the customer’s tap names the one chosen', async ({
  page,
  hub,
  meta,
}) => {
  const problems = watchForProblems(page);
  const psid = '7000000000000602';
  await customerWrites(hub, psid, { mid: 'm_e2e_b1', text: 'Die Schuhe sind zu klein.' });
  await page.setViewportSize(SIZE);
  await signIn(page, hub.url);
  await page.getByTestId('conversation-row').filter({ hasText: psid }).click();

  await page
    .getByTestId('composer-input')
    .fill('Möchten Sie die Schuhe zurücksenden oder behalten?');
  await page.getByTestId('composer-buttons').click();
  const titles = page.getByTestId('reply-button-title');
  await expect(titles).toHaveCount(1);
  await titles.nth(0).fill('Zurücksenden');
  await page.getByTestId('reply-button-add').click();
  await titles.nth(1).fill('Behalten');
  // A long German title is cut at Messenger's 20 characters as it is typed.
  await page.getByTestId('reply-button-add').click();
  await titles.nth(2).fill('Rücksendeetikett anfordern');
  await expect(titles.nth(2)).toHaveValue('Rücksendeetikett anf');
  const counters = page.getByTestId('reply-button-counter');
  await expect(counters).toHaveText(['12 / 20', '8 / 20', '20 / 20']);
  await expect(page.getByTestId('reply-buttons-count')).toHaveText('3 of 13');
  await shot(page, 'composer-buttons');
  await page.getByRole('button', { name: 'Remove button 3' }).click();
  await expect(titles).toHaveCount(2);
  await page.getByTestId('composer-send').click();

  const sent = page
    .locator('[data-testid="message"][data-direction="outbound"]')
    .filter({ hasText: 'zurücksenden oder behalten' });
  await expect(sent.getByTestId('reply-button-sent')).toHaveText(['Zurücksenden', 'Behalten']);
  await expect(page.getByTestId('reply-buttons')).toHaveCount(0);
  await until(
    async () => sends(meta).length,
    (n) => n === 1,
  );
  const body = sends(meta)[0]?.body as {
    message: { quick_replies: { content_type: string; title: string; payload: string }[] };
  };
  expect(body.message.quick_replies.map((q) => [q.content_type, q.title])).toEqual([
    ['text', 'Zurücksenden'],
    ['text', 'Behalten'],
  ]);
  const [zurueck] = body.message.quick_replies;
  expect(zurueck?.payload).toMatch(/^b_[0-9a-z]{10}$/);

  // The customer taps "Zurücksenden": Meta posts its title with its payload.
  await customerWrites(hub, psid, {
    mid: 'm_e2e_b2',
    text: 'Zurücksenden',
    quick_reply: { payload: zurueck?.payload },
  });
  await expect(page.getByTestId('tapped-button')).toHaveText('Zurücksenden');
  // The agent's message marks the chosen button and mutes the other; the tap answers it.
  const offered = sent.getByTestId('reply-buttons-sent');
  await expect(offered).toHaveAttribute('data-answered', 'true');
  await expect(offered).toHaveAttribute(
    'aria-label',
    'Reply buttons: the customer chose “Zurücksenden”',
  );
  await expect(sent.locator('[data-testid="reply-button-sent"][data-chosen]')).toHaveText(
    'Zurücksenden',
  );
  await expect(sent.locator('[data-testid="reply-button-sent"]:not([data-chosen])')).toHaveText(
    'Behalten',
  );
  const tapRow = page.getByTestId('message').filter({ has: page.getByTestId('tapped-button') });
  const quote = tapRow.getByTestId('message-quote');
  await expect(quote).toHaveText('Möchten Sie die Schuhe zurücksenden oder behalten?');
  await expect(quote).toHaveAttribute(
    'data-quoted-id',
    (await sent.getAttribute('data-message-id')) ?? '',
  );
  await shot(page, 'timeline-buttons');
  expect(problems).toEqual([]);
});

test('an image quick reply shows its thumbnail in the editor, the / menu and the composer', async ({
  page,
  hub,
  browser,
}) => {
  const problems = watchForProblems(page);
  const psid = '7000000000000603';
  await customerWrites(hub, psid, { mid: 'm_e2e_qr3', text: 'Which size should I order?' });
  const jpeg = await sharp({
    create: { width: 640, height: 480, channels: 3, background: '#1c7ed6' },
  })
    .jpeg()
    .toBuffer();
  await page.setViewportSize(SIZE);
  await signIn(page, hub.url);
  await page.getByRole('link', { name: 'Templates' }).click();
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Quick reply' }).click();
  await page.getByLabel('Title').fill('Size chart');
  await page.getByLabel('Shortcut').fill('chart');
  await page.getByTestId('template-body').fill('Here is our size chart.');
  await page.getByTestId('quick-reply-file-input').setInputFiles({
    name: 'size-chart.jpg',
    mimeType: 'image/jpeg',
    buffer: jpeg,
  });
  // The editor shows the photo itself: uploaded from this computer, it is in the cache.
  const editorThumb = page.getByTestId('quick-reply-file-thumb');
  await expect(editorThumb).toHaveJSProperty('naturalWidth', 640);
  await shot(page, 'editor-image-file');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('template-notice')).toContainText('Version 1 is live');

  // Another computer (a fresh cache): the menu and the tray show the hub's 480 px thumbnail.
  const context = await browser.newContext({ viewport: SIZE });
  const agent = await context.newPage();
  const agentProblems = watchForProblems(agent);
  const thumbs: string[] = [];
  agent.on('request', (r) => {
    if (r.url().includes('/api/media/')) thumbs.push(new URL(r.url()).search);
  });
  await signIn(agent, hub.url);
  await agent.getByTestId('conversation-row').filter({ hasText: psid }).click();
  const input = agent.getByTestId('composer-input');
  await input.click();
  await input.pressSequentially('/chart');
  const option = agent.getByTestId('quick-reply-option');
  await expect(option).toHaveCount(1);
  await expect(option.getByTestId('quick-reply-option-file')).toHaveAttribute(
    'title',
    'With size-chart.jpg',
  );
  await expect(option.getByTestId('quick-reply-option-thumb')).toHaveJSProperty(
    'naturalWidth',
    480,
  );
  await agent.screenshot({
    path: `${SHOTS}/menu-image-file-1280.png`,
    animations: 'disabled',
  });
  await input.press('Enter');
  const staged = agent.getByTestId('composer-attachment');
  await expect(staged).toHaveAttribute('data-source', 'quick-reply');
  await expect(staged.getByTestId('composer-attachment-thumb')).toHaveJSProperty(
    'naturalWidth',
    480,
  );
  await screenshotsIn(SHOTS)(agent, 'composer-image-file-1280');
  // One download of the thumbnail: the tray read it from the cache.
  expect(thumbs).toEqual(['?size=thumb']);
  await context.close();
  expect(problems).toEqual([]);
  expect(agentProblems).toEqual([]);
});
