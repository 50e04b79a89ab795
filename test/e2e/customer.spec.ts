import type { Page } from '@playwright/test';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { ADMIN } from '../support/hub';
import { expect, test } from './fixtures';
import { screenshotsIn } from './screenshots';

const shoot = screenshotsIn('test-results/screenshots');
let counter = 0;

function inbound(
  channel: InboundMessage['channel'],
  customer: InboundMessage['customer'],
  body: string,
): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-shop`,
    externalId: `${channel}.e2e.${counter}`,
    customer,
    sentAt: Date.now() - (10 - counter) * 60_000,
    content: { type: 'text', body },
  };
}

async function conversationIdOf(hub: RunningHub, externalId: string): Promise<string> {
  const { rows } = await hub.db.query<{ id: string }>(
    'select id from conversations where customer_external_id = $1',
    [externalId],
  );
  return rows[0]?.id ?? '';
}

async function signIn(page: Page, hubUrl: string, hash: string): Promise<void> {
  await page.goto(`${hubUrl}/${hash}`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

test.describe('one customer across channels', () => {
  test.describe.configure({ timeout: 90_000 });

  test('a WhatsApp and an Instagram customer are proposed, merged, shown together, unmerged', async ({
    page,
    hub,
  }) => {
    const WA = { externalId: '31612345678', name: 'Anna de Vries', phone: '31612345678' };
    const IG = { externalId: '17841400000000001', name: 'anna.vries', phone: null };
    await hub.ingestor.ingest(inbound('whatsapp', WA, 'Where is my order #1043?'));
    await hub.ingestor.ingest(inbound('instagram', IG, 'Hi! Did you get my DM about the shoes?'));
    const wa = await conversationIdOf(hub, WA.externalId);
    const ig = await conversationIdOf(hub, IG.externalId);

    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, hub.url, `#/inbox/${ig}`);
    await page.getByTestId('side-panel-switch').getByText('Customer').click();
    const panel = page.getByTestId('customer-panel');
    await expect(panel.getByTestId('customer-name')).toHaveText('anna.vries');
    await expect(panel.getByTestId('merge-candidate')).toHaveCount(0);

    // The agent adds the phone the customer gave on Instagram, written their way.
    await panel.getByTestId('customer-edit').click();
    await panel.getByLabel('Phone').fill('+31 6 1234 5678');
    await panel.getByTestId('customer-save').click();
    await expect(panel.getByTestId('customer-phone')).toHaveText('+31 6 1234 5678');
    const candidate = panel.getByTestId('merge-candidate');
    await expect(candidate).toHaveText(/Same phone as Anna de Vries on WhatsApp/);
    await panel.getByTestId('customer-note').fill('Prefers Dutch. Ordered the red shoes twice.');
    await panel.getByTestId('customer-note-save').click();
    await expect(panel.getByTestId('customer-note-save')).toHaveCount(0);
    await shoot(page, 'customer-proposal-1280');

    // Merged: the older WhatsApp customer is kept by default.
    await candidate.getByRole('button', { name: 'Merge' }).click();
    await expect(page.getByRole('radio', { name: 'Anna de Vries (older)' })).toBeChecked();
    await page.getByTestId('merge-confirm').click();
    await expect(panel.getByTestId('customer-name')).toHaveText('Anna de Vries');
    const lines = panel.getByTestId('customer-conversation');
    await expect(lines).toHaveCount(2);
    expect(
      await lines.evaluateAll((els) => els.map((el) => el.getAttribute('data-conversation-id'))),
    ).toEqual([ig, wa]);
    await expect(lines.nth(0)).toContainText('Instagram');
    await expect(lines.nth(1)).toContainText('WhatsApp');
    await expect(panel.getByTestId('customer-identity')).toHaveCount(2);
    await expect(panel.getByTestId('merged-customer')).toHaveText(/anna\.vries · Instagram/);
    await expect(panel.getByTestId('customer-note')).toHaveValue(
      'Prefers Dutch. Ordered the red shoes twice.',
    );
    await expect(panel.getByTestId('merge-candidate')).toHaveCount(0);
    await shoot(page, 'customer-merged-1280');

    // Each conversation is its own: opening the WhatsApp one from the profile.
    await lines.nth(1).click();
    await expect(page).toHaveURL(new RegExp(`#/inbox/${wa}$`));
    await expect(panel.getByTestId('customer-conversation')).toHaveCount(2);

    // Unmerged: the split as it was, and the proposal back.
    await panel.getByTestId('unmerge').click();
    await expect(panel.getByTestId('customer-conversation')).toHaveCount(1);
    await expect(panel.getByTestId('customer-conversation')).toHaveAttribute(
      'data-conversation-id',
      wa,
    );
    await expect(panel.getByTestId('merge-candidate')).toHaveText(
      /Same phone as anna\.vries on Instagram/,
    );
    const { rows } = await hub.db.query<{ id: string; customer_id: string }>(
      'select id, customer_id from conversations order by id',
    );
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(2);
  });
});
