import type { Page } from '@playwright/test';
import { messagesWebhook, TEST_CUSTOMER, textMessage } from '../support/whatsapp-webhooks';
import { expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Finding people (issue 12, item 7): the inbox search looks in every status and shows the
 * matching message, marked; the command palette finds customers by phone and orders by number
 * and opens their conversation.
 */

const SHOTS = 'test-results/screenshots';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PIET = { waId: '31612345678', name: 'Piet de Vries' };

async function writes(
  hub: Parameters<Parameters<typeof test>[2]>[0]['agentHub'],
  body: string,
  at: number,
  from: { waId: string; name: string } = TEST_CUSTOMER,
): Promise<void> {
  const fixture = textMessage(body, { from: from.waId, name: from.name, timestamp: at / 1000 });
  expect(await hub.webhook(messagesWebhook(fixture))).toBe(200);
}

const header = (page: Page) => page.getByTestId('conversation-header').getByTestId('customer-name');

async function screens(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 720],
    [1440, 900],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-1440-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('finding people', () => {
  // A hub, a sign-in and a first sync each: slow on a busy 2-core machine.
  test.describe.configure({ timeout: 90_000 });
  test('search finds a resolved conversation by a word of an older message, and marks it', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const now = Date.now();
    await writes(agentHub, 'Hallo, is my order already on its way?', now - 3 * HOUR, PIET);
    await signIn(page, agentHub.url);
    await writes(
      agentHub,
      'Hi! The tracking code JJD0001043 has shown nothing since Monday, can you check?',
      now - 2 * HOUR,
    );
    await writes(agentHub, 'Thanks, all sorted now!', now - HOUR);
    const sheena = rowOf(page);
    await expect(sheena).toBeVisible();

    // The agent resolves it: the working list (open and pending) no longer shows it.
    await sheena.click();
    await expect(header(page)).toHaveText(TEST_CUSTOMER.name);
    await page.getByTestId('conversation-list').focus();
    await page.keyboard.press('e');
    await expect(sheena).toBeHidden();

    const search = page.getByTestId('inbox-search');
    await search.fill('tracking code');
    await expect(sheena).toHaveCount(1);
    await expect(sheena).toHaveAttribute('data-status', 'resolved');
    await expect(sheena.getByTestId('row-status')).toHaveText('Resolved');
    const preview = sheena.getByTestId('row-preview');
    await expect(preview).toContainText('In messages ·');
    await expect(preview).toContainText('tracking code JJD0001043 has shown');
    await expect(preview).not.toContainText('all sorted');
    const mark = preview.getByTestId('search-mark');
    await expect(mark).toHaveText('tracking code');
    await expect(mark).toBeVisible();
    // Marked, and not clipped away by the row's one-line ellipsis.
    const [markBox, previewBox] = [await mark.boundingBox(), await preview.boundingBox()];
    expect(markBox !== null && previewBox !== null).toBe(true);
    if (markBox && previewBox) {
      expect(markBox.x + markBox.width).toBeLessThanOrEqual(previewBox.x + previewBox.width);
    }
    await expect(page.getByTestId('active-filters')).toContainText('1 match in any status');
    await screens(page, 'search-results');

    // A name marks the name; a search that finds nothing says where it looked.
    await search.fill('piet');
    await expect(rowOf(page, PIET.name).getByTestId('search-mark')).toHaveText('Piet');
    await search.fill('parcel refund');
    await expect(page.getByTestId('inbox-no-match')).toContainText(
      'No conversation in All matches “parcel refund” in any status.',
    );
    await screens(page, 'search-empty');
    expect(problems).toEqual([]);
  });

  test('the palette finds a customer by phone and an order by number, and opens the conversation', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const now = Date.now();
    await agentHub.addOrders([
      {
        number: '1043',
        status: 'shipped',
        customerName: TEST_CUSTOMER.name,
        phone: `+${TEST_CUSTOMER.waId}`,
        email: 'sheena@example.com',
        items: [{ title: 'Linen shirt (M)', quantity: 1, sku: 'LS-M', price: 39.5 }],
        currency: 'EUR',
        carrier: 'DHL',
        trackingNumber: 'JJD0001043',
        trackingUrl: null,
        createdAt: now - 3 * 24 * HOUR,
      },
    ]);
    await writes(agentHub, 'Where is my order?', now - 2 * HOUR);
    await writes(agentHub, 'Hallo, is my order already on its way?', now - HOUR, PIET);
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('conversation-row')).toHaveCount(2);

    // By phone, typed as people write it: "+31 6 1234" finds +31612345678.
    await page.keyboard.press('ControlOrMeta+k');
    const palette = page.getByRole('dialog');
    await expect(palette).toBeVisible();
    await page.keyboard.type('+31 6 1234');
    const found = palette.getByTestId('palette-found');
    await expect(found).toHaveCount(1);
    await expect(found).toContainText(PIET.name);
    await expect(found.getByTestId('search-mark')).toHaveText('3161234');
    // Found items come before the actions.
    await expect(
      palette.locator('[data-testid="palette-found"], [data-testid="palette-action"]').first(),
    ).toHaveAttribute('data-testid', 'palette-found');
    await screens(page, 'palette-phone');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(header(page)).toHaveText(PIET.name);

    // By order number: the order's customer's conversation opens.
    await page.keyboard.press('ControlOrMeta+k');
    await expect(palette).toBeVisible();
    await page.keyboard.type('#1043');
    const order = palette.locator('[data-testid="palette-found"][data-action^="order:"]');
    await expect(order).toHaveCount(1);
    await expect(order).toContainText('Order 1043');
    await expect(order).toContainText(TEST_CUSTOMER.name);
    // Found after a pause in typing, and still the row Enter opens.
    await expect(order).toHaveAttribute('data-selected', 'true');
    await screens(page, 'palette-order');
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(header(page)).toHaveText(TEST_CUSTOMER.name);
    await expect(
      page.locator('[data-testid="conversation-row"][aria-selected="true"]'),
    ).toContainText(TEST_CUSTOMER.name);
    expect(problems).toEqual([]);
  });
});
