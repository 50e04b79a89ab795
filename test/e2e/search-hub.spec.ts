import type { Page } from '@playwright/test';
import { newId } from '../../src/server/ids';
import { messagesWebhook, TEST_CUSTOMER, textMessage } from '../support/whatsapp-webhooks';
import { expect, rowOf, signIn, test, watchForProblems, type AgentHub } from './agent-fixtures';

/**
 * Searching the hub from the app (issue #20 item 4): the inbox searches the cache first, then
 * the hub, and lists under "On the hub" what the cache did not find; opening such a result loads
 * the conversation's older history until the message is there, and shows it.
 *
 * The message the cache lacks is written straight into the hub's database after the app's first
 * sync, with no event: the app learns of it only through the hub's search.
 */

const SHOTS = 'test-results/screenshots';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PIET = { waId: '31612345678', name: 'Piet de Vries' };

async function writes(
  hub: AgentHub,
  body: string,
  at: number,
  from: { waId: string; name: string } = TEST_CUSTOMER,
): Promise<void> {
  const fixture = textMessage(body, { from: from.waId, name: from.name, timestamp: at / 1000 });
  expect(await hub.webhook(messagesWebhook(fixture))).toBe(200);
}

/** An inbound text in the customer's conversation, older than all others, that no event announces. */
async function insertSilently(hub: AgentHub, body: string, at: number): Promise<string> {
  const id = newId('msg', at);
  const { rows } = await hub.current.db.query<{ id: string }>(
    `insert into messages (id, conversation_id, channel, direction, content, external_id, status,
       sent_at, updated_at)
     select $1, m.conversation_id, m.channel, m.direction, $2::jsonb, m.external_id || '-older',
       m.status, $3, $3
     from messages m join conversations c on c.id = m.conversation_id
       join customers u on u.id = c.customer_id
     where m.direction = 'inbound' and u.name = $4
     order by m.sent_at limit 1
     returning id`,
    [id, JSON.stringify({ type: 'text', body }), at, TEST_CUSTOMER.name],
  );
  expect(rows.map((row) => row.id)).toEqual([id]);
  return id;
}

async function screens(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-1280-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('searching the hub', () => {
  // A hub, a sign-in and a first sync each: slow on a busy 2-core machine.
  test.describe.configure({ timeout: 90_000 });

  test('a message the cache lacks is found on the hub and opening it shows it', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const now = Date.now();
    await writes(agentHub, 'Is the invoice for my last order ready?', now - 3 * HOUR, PIET);
    await writes(agentHub, 'Where is my parcel?', now - 2 * HOUR);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('conversation-row')).toHaveCount(2);
    const messageId = await insertSilently(
      agentHub,
      'Could you send the invoice for order 1043 again? The first one never arrived.',
      now - 30 * DAY,
    );

    await page.getByTestId('inbox-search').fill('invoice');
    // The cache finds Piet; the hub finds Piet too (not listed twice) and Sheena's old message.
    await expect(rowOf(page, PIET.name)).toHaveCount(1);
    await expect(page.getByTestId('conversation-row')).toHaveCount(1);
    await expect(page.getByTestId('hub-search-count')).toHaveText(
      '1 in this app · 1 more on the hub',
    );
    const hit = page.getByTestId('hub-hit');
    await expect(hit).toHaveCount(1);
    await expect(hit).toHaveAttribute('data-message-id', messageId);
    await expect(hit.getByTestId('hub-hit-customer')).toHaveText(TEST_CUSTOMER.name);
    await expect(hit.getByTestId('hub-hit-snippet')).toContainText('send the invoice for order');
    await expect(hit.getByTestId('search-mark')).toHaveText('invoice');
    await screens(page, 'search-hub-results');

    await hit.click();
    await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
      TEST_CUSTOMER.name,
    );
    const list = page.getByTestId('message-list');
    const bubble = list.locator('.rd-message-bubble', { hasText: 'The first one never arrived.' });
    await expect(bubble).toBeVisible();
    await expect(bubble).toHaveAttribute('data-flash', 'true');
    await expect(list).toContainText('Where is my parcel?');
    await screens(page, 'search-hub-opened');
    expect(problems).toEqual([]);
  });

  test('with the hub unreachable the search says so quietly and keeps the cached results', async ({
    page,
    agentHub,
  }) => {
    const now = Date.now();
    await writes(agentHub, 'Is the invoice for my last order ready?', now - HOUR, PIET);
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('conversation-row')).toHaveCount(1);
    await agentHub.stop();

    await page.getByTestId('inbox-search').fill('invoice');
    await expect(rowOf(page, PIET.name)).toHaveCount(1);
    await expect(page.getByTestId('hub-search-status')).toHaveText('The hub could not be searched');
    await expect(page.getByTestId('hub-hit')).toHaveCount(0);
    await screens(page, 'search-hub-offline');
  });
});
