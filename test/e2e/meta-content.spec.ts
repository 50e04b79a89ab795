import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startTestHub } from '../support/hub';
import { INSTAGRAM, MESSENGER, metaSettings, postMetaWebhook } from '../support/meta-webhooks';
import { signIn } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';

/**
 * Issue #14 items 2–3: what Messenger and Instagram deliver that WhatsApp does not is drawn in the
 * conversation — a story reply and a story mention with the story's link, an unsent message as
 * removed, an ad referral as the entry point, a shared link, and an echo typed in Meta Business
 * Suite as the business's own message.
 */
const test = base.extend<{ hub: RunningHub }>({
  // eslint-disable-next-line no-empty-pattern
  hub: async ({}, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      channels: {
        messenger: metaSettings(MESSENGER, 'http://127.0.0.1:9', 'no'),
        instagram: metaSettings(INSTAGRAM, 'http://127.0.0.1:9', 'no'),
      },
    });
    await use(hub);
    await hub.close();
  },
});
test.describe.configure({ timeout: 90_000 });

async function deliver(
  hub: RunningHub,
  channel: 'messenger' | 'instagram',
  events: readonly object[],
): Promise<void> {
  expect(await postMetaWebhook(hub.url, channel, events)).toBe(200);
}

test('Instagram stories, an unsent message and a Messenger ad referral show in the conversation', async ({
  page,
  hub,
}) => {
  const now = Date.now();
  const story = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1790&signature=abc';
  const ig = (at: number) => ({
    sender: { id: '2900000000000077' },
    recipient: { id: INSTAGRAM.accountId },
    timestamp: at,
  });
  await deliver(hub, 'instagram', [
    { ...ig(now - 50_000), message: { mid: 'ig_e1', text: 'Is this jacket waterproof?' } },
    {
      ...ig(now - 40_000),
      message: { mid: 'ig_e2', text: 'Love it!', reply_to: { story: { id: '1790', url: story } } },
    },
    {
      ...ig(now - 30_000),
      message: { mid: 'ig_e3', attachments: [{ type: 'story_mention', payload: { url: story } }] },
    },
    { ...ig(now - 20_000), message: { mid: 'ig_e1', is_deleted: true } },
  ]);
  const fb = (at: number) => ({
    sender: { id: '7000000000000077' },
    recipient: { id: MESSENGER.pageId },
    timestamp: at,
  });
  await deliver(hub, 'messenger', [
    {
      ...fb(now - 60_000),
      referral: {
        source: 'ADS',
        ref: 'winter',
        ad_id: '6045',
        ads_context_data: { ad_title: 'Winter sale' },
      },
    },
    { ...fb(now - 50_000), message: { mid: 'm_e1', text: 'Do you have it in blue?' } },
    {
      ...fb(now - 40_000),
      message: {
        mid: 'm_e2',
        attachments: [
          {
            type: 'fallback',
            title: 'Blue jacket',
            url: 'https://shop.example/blue',
            payload: null,
          },
        ],
      },
    },
    {
      sender: { id: MESSENGER.pageId },
      recipient: { id: '7000000000000077' },
      timestamp: now - 30_000,
      message: { mid: 'm_e3', is_echo: true, app_id: 263902037430900, text: 'Yes, in stock!' },
    },
  ]);

  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.getByTestId('conversation-row').filter({ hasText: '2900000000000077' }).click();
  await expect(page.getByTestId('removed-message')).toHaveText(
    'The customer removed this message.',
  );
  const stories = page.getByTestId('story-card');
  await expect(stories).toHaveCount(2);
  await expect(stories.nth(0)).toContainText('Replied to your story');
  await expect(stories.nth(0)).toContainText('Love it!');
  await expect(stories.nth(1)).toContainText('Mentioned you in their story');
  await expect(stories.nth(0).getByRole('link', { name: 'View the story' })).toHaveAttribute(
    'href',
    story,
  );
  await page.screenshot({ path: `${SCREENSHOTS}/instagram-stories-removed-1280.png` });

  await page.getByTestId('conversation-row').filter({ hasText: '7000000000000077' }).click();
  await expect(page.getByTestId('referral-line')).toHaveText(
    'Opened the conversation from an ad · Winter sale · ref winter',
  );
  await expect(page.getByTestId('share-card')).toContainText('Blue jacket');
  await expect(page.getByTestId('message-list').getByText('Yes, in stock!')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/messenger-referral-share-echo-1280.png` });
});

test('the Channels page connects Messenger and Instagram from their declared settings', async ({
  page,
  hub,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.goto(`${hub.url}/#/channels`);
  for (const channel of ['messenger', 'instagram']) {
    const card = page.locator(`[data-testid="channel-card"][data-channel="${channel}"]`);
    await expect(card.getByTestId('webhook-url')).toHaveText(`${hub.url}/webhooks/${channel}`);
    // The value in force (from the environment here) is shown as the field's placeholder.
    await expect(card.getByLabel(/Page ID/)).toHaveAttribute(
      'placeholder',
      channel === 'messenger' ? MESSENGER.pageId : INSTAGRAM.pageId,
    );
    await expect(card.getByLabel(/Page access token/)).toHaveAttribute('type', 'password');
    await expect(card.getByLabel(/App secret/)).toHaveAttribute('type', 'password');
    await expect(card.getByLabel(/Verify token/)).toHaveAttribute('type', 'password');
    await expect(card.getByLabel(/Human Agent permission/)).toHaveAttribute('placeholder', 'no');
    // Environment-only settings are not on the page.
    await expect(card).not.toContainText('Graph API URL');
  }
  await page
    .locator('[data-testid="channel-card"][data-channel="messenger"]')
    .screenshot({ path: `${SCREENSHOTS}/channels-messenger-1280.png` });
});
