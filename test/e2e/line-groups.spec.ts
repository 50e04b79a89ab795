import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startFakeLineApi, type FakeLineApi } from '../support/fake-line-api';
import { deliverLine, LINE, lineEvent, lineSettings } from '../support/line-webhooks';
import { startTestHub } from '../support/hub';
import { signIn } from './agent-fixtures';
import { screenshotsIn } from './screenshots';

/**
 * Issue #15, LINE group chats in the app: a group is one conversation in the inbox, named from
 * LINE's group summary, each message headed by the member who wrote it; past the reply token
 * the composer prices the push from the rate card's LINE row once the plan's free quota is
 * used, and the reply goes to the group as a push recorded at that price. The account leaving
 * the group closes the composer with the reason. The rate card's LINE row on the Channels page.
 */

const SHOTS = 'test-results/screenshots/line-groups';
const GROUP = 'C0000000000000000000000000000ee01';
const AIKO = `U${'a1'.repeat(16)}`;
const KEN = `U${'b2'.repeat(16)}`;

const test = base.extend<object, { fixture: { hub: RunningHub; line: FakeLineApi } }>({
  fixture: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const line = await startFakeLineApi({
        channelAccessToken: LINE.channelAccessToken,
        channelSecret: LINE.channelSecret,
        botUserId: LINE.botUserId,
      });
      // Standard plan: a sending limit of 35,000 above its 30,000 free, all 30,000 used.
      line.setQuota({ type: 'limited', value: 35_000 }, 30_000);
      line.groups.set(GROUP, {
        groupName: 'Sofa order #1042',
        members: new Map([
          [AIKO, 'Aiko Tanaka'],
          [KEN, 'Ken Mori'],
        ]),
      });
      const hub = await startTestHub({
        rendererDir: path.resolve('out/renderer'),
        sendTimeoutMs: 5000,
        selfPublicUrl: true,
        channels: { line: lineSettings(line.url) },
      });
      await mkdir(SHOTS, { recursive: true });
      await use({ hub, line });
      await hub.close();
      await line.close();
    },
    { scope: 'worker' },
  ],
});
test.describe.configure({ timeout: 60_000, mode: 'serial' });

async function deliver(hub: RunningHub, events: readonly object[]): Promise<void> {
  expect((await deliverLine(hub.url, events)).status).toBe(200);
}

const inGroup = (line: FakeLineApi, member: string, id: string, text: string, at: number) => ({
  ...lineEvent('message', member, at, {
    replyToken: line.issueReplyToken(GROUP),
    message: { id, type: 'text', text },
  }),
  source: { type: 'group', groupId: GROUP, userId: member },
});

const shots = screenshotsIn(SHOTS);

const groupRow = (page: Page): Locator =>
  page.getByTestId('conversation-row').filter({ hasText: 'Sofa order #1042' });

test('a LINE group in the inbox: its name, each member’s name, and a push priced beyond the quota', async ({
  page,
  fixture: { hub, line },
}) => {
  const now = Date.now();
  // Written two minutes ago: the reply token is past the 50 s the hub uses it for.
  await deliver(hub, [
    inGroup(line, AIKO, '9100000000001', 'Is the blue sofa still in stock?', now - 125_000),
    inGroup(line, KEN, '9100000000002', 'We would need it before the 20th', now - 122_000),
    inGroup(line, KEN, '9100000000003', 'And two cushions, please', now - 121_000),
    inGroup(line, AIKO, '9100000000004', 'Can it be delivered to Osaka?', now - 120_000),
  ]);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  const row = groupRow(page);
  await expect(row.getByTestId('customer-name')).toHaveText('Sofa order #1042');
  await expect(page.getByTestId('conversation-row')).toHaveCount(1);
  await row.click();
  // Each run of messages is headed by the member who wrote it.
  await expect(page.getByTestId('message-sender')).toHaveText([
    'Aiko Tanaka',
    'Ken Mori',
    'Aiko Tanaka',
  ]);
  await expect(page.getByTestId('composer-cost')).toHaveText(
    'This message costs ¥3 as a push beyond the plan’s quota',
  );
  // The header agrees: the next message is a push at the card's price.
  await expect(page.getByTestId('next-message-cost')).toHaveText('Next: ¥3 push beyond the quota');
  await shots(page, 'group-conversation');

  const before = line.sent.length;
  await page.getByTestId('composer-input').fill('Yes, and we deliver to Osaka on Friday.');
  await page.getByTestId('composer-send').click();
  const sent = page
    .getByTestId('message')
    .filter({ hasText: 'Yes, and we deliver to Osaka on Friday.' });
  await expect(sent).toHaveAttribute('data-status', 'sent', { timeout: 15_000 });
  await expect(sent.getByTestId('message-send-label')).toHaveText(
    'Push (beyond the plan’s monthly quota) ·',
  );
  await expect(sent).toContainText('¥3');
  expect(line.sent.slice(before).map((s) => [s.via, s.to, s.messages])).toEqual([
    ['push', GROUP, [{ type: 'text', text: 'Yes, and we deliver to Osaka on Friday.' }]],
  ]);
  await shots(page, 'group-pushed');

  // The account is removed from the group: the composer closes, saying why.
  await deliver(hub, [
    { ...lineEvent('leave', AIKO, Date.now()), source: { type: 'group', groupId: GROUP } },
  ]);
  await expect(page.getByTestId('composer-notice')).toHaveText(
    'The LINE account was removed from this group: messages cannot be sent here until a member adds it again.',
  );
  await expect(page.getByTestId('composer-input')).toBeDisabled();
  await expect(row.getByTestId('window-timer')).toHaveText('closed');
  await expect(page.getByTestId('window-countdown')).toContainText(
    'The account is no longer in this chat',
  );
  await shots(page, 'group-left');
});

test('the rate card’s LINE row: the plan’s free quota and the price beyond it, checked beside the field', async ({
  page,
  fixture: { hub },
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.goto(`${hub.url}/#/channels`);
  const editor = page.getByTestId('rate-card-editor');
  await expect(editor.getByTestId('rate-table')).toBeVisible();
  await editor.getByLabel('Period').click();
  await page.getByRole('option', { name: /LINE · push quota/ }).click();
  const plan = editor.getByTestId('rate-card-line-plan');
  const quota = plan.getByLabel('Free push messages a month');
  await expect(quota).toHaveValue('30,000');
  await expect(plan.getByRole('switch')).toBeChecked();
  await expect(editor.getByLabel('default push')).toHaveValue('3');
  await editor.scrollIntoViewIfNeeded();
  await shots(page, 'rate-card-line');
  await quota.fill('-5');
  await quota.blur();
  await expect(plan.getByText('The monthly quota cannot be negative')).toBeVisible();
  await quota.fill('5000');
  await quota.blur();
  await expect(plan.getByText('The monthly quota cannot be negative')).toHaveCount(0);
  await editor.getByRole('button', { name: 'Save rate card' }).click();
  await expect(editor.getByText('Saved; apps reprice now')).toBeVisible();
  await expect(quota).toHaveValue('5,000');
  await shots(page, 'rate-card-line-saved');
});
