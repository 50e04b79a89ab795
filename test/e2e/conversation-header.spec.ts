import { mkdir } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { messagesWebhook, TEST_CUSTOMER, textMessage } from '../support/whatsapp-webhooks';
import { expect, rowOf, signIn, test, watchForProblems, type AgentHub } from './agent-fixtures';

/**
 * The conversation header on laptop screens (issue 12, item 2): the customer's name, the reply
 * window's state and countdown and the next message's cost stay fully visible, never cut off or
 * ellipsised, with an SLA target, a long name, badges and labels crowding the strip, beside the
 * inbox list and the order panel.
 */

const SHOTS = process.env['HEADER_SHOTS'] ?? 'test-results/screenshots/header';
/** Monday 23 November 2026, 09:00 UTC. */
const START = Date.parse('2026-11-23T09:00:00Z');
const MINUTE = 60_000;
const LONG_NAME = 'Maria Fernanda Gonçalves de Albuquerque';

const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

const POLICY = {
  name: 'WhatsApp first reply',
  channel: 'whatsapp',
  priority: null,
  firstResponseMs: 30 * MINUTE,
  nextResponseMs: 60 * MINUTE,
  resolutionMs: null,
  hours: 'always',
  enabled: true,
};

const ORDER = {
  number: '1043',
  status: 'shipped' as const,
  customerName: LONG_NAME,
  phone: `+${TEST_CUSTOMER.waId}`,
  email: 'maria@example.com',
  items: [{ title: 'Linen shirt (M)', quantity: 2, sku: 'LS-M', price: 39.5 }],
  currency: 'EUR',
  carrier: 'DHL',
  trackingNumber: 'JJD0001043',
  trackingUrl: 'https://www.dhl.com/track?id=JJD0001043',
  createdAt: START - 3 * 24 * 60 * MINUTE,
};

/**
 * The element is wholly inside the viewport and inside the conversation header (whose strip
 * hides what overflows it), and its text is not cut by an ellipsis.
 */
async function expectFullyShown(page: Page, element: Locator, what: string): Promise<void> {
  await expect(element, what).toBeVisible();
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const box = await element.boundingBox();
  const header = await page.getByTestId('conversation-header').boundingBox();
  if (!box || !header) throw new Error(`${what}: no box`);
  const inside = (outer: { x: number; y: number; width: number; height: number }) =>
    box.x >= outer.x - 0.5 &&
    box.y >= outer.y - 0.5 &&
    box.x + box.width <= outer.x + outer.width + 0.5 &&
    box.y + box.height <= outer.y + outer.height + 0.5;
  expect(inside({ x: 0, y: 0, ...viewport }), `${what} inside the viewport`).toBe(true);
  expect(inside(header), `${what} inside the header`).toBe(true);
  const clip = await element.evaluate((el) => ({
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
    text: el.textContent,
  }));
  expect(clip.scrollWidth, `${what} ("${clip.text}") not ellipsised`).toBeLessThanOrEqual(
    clip.clientWidth,
  );
}

/** Every fact the header must never lose. */
async function expectKeyFactsShown(page: Page, { sla }: { sla: boolean }): Promise<void> {
  const header = page.getByTestId('conversation-header');
  await expectFullyShown(page, header.getByTestId('customer-name'), 'the customer name');
  await expectFullyShown(page, header.getByTestId('window-state'), 'the window state');
  await expectFullyShown(page, header.getByTestId('window-countdown'), 'the countdown');
  await expectFullyShown(page, header.getByTestId('next-message-cost'), 'the next cost');
  if (sla) await expectFullyShown(page, header.getByTestId('sla-countdown'), 'the SLA target');
}

async function crowdedConversation(page: Page, agentHub: AgentHub): Promise<void> {
  agentHub.clock.at = START;
  await page.clock.install({ time: START });
  await agentHub.addOrders([ORDER]);
  const token = await login(agentHub.url);
  const created = await api(agentHub.url, token, '/api/sla/policies', {
    method: 'POST',
    body: POLICY,
  });
  expect(created.status).toBe(201);
  await signIn(page, agentHub.url);
  const status = await agentHub.webhook(
    messagesWebhook(
      textMessage('Olá! Where is my order #1043? It said shipped three days ago.', {
        timestamp: START / 1000,
        name: LONG_NAME,
      }),
    ),
  );
  expect(status).toBe(200);
  await rowOf(page, LONG_NAME).click();
  await expect(page.getByTestId('order-panel').getByTestId('order-card')).toHaveCount(1);
  await expect(page.getByTestId('sla-countdown')).toBeVisible();

  // Urgent and labelled: more badges in both rows of the header.
  await page.getByTestId('priority-button').click();
  await page.getByRole('menuitem', { name: 'Urgent' }).click();
  await expect(page.getByTestId('priority-button')).toHaveAttribute('data-priority', 'urgent');
  await page.getByTestId('labels-button').click();
  const labels = page.getByRole('combobox', { name: 'Labels' });
  for (const label of ['returns', 'vip customer']) {
    await labels.fill(label);
    await labels.press('Enter');
  }
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('window-strip')).toContainText('vip customer');
}

test.describe('the conversation header on laptop screens', () => {
  test.describe.configure({ timeout: 120_000 });

  test.beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
  });

  test('keeps the name, the window state, the countdown and the next cost in view with an SLA target, a long name and the order panel open', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize(SIZES[0]);
    await crowdedConversation(page, agentHub);
    await expect(page.getByTestId('order-panel')).toBeVisible();

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SHOTS}/header-sla-${size.width}x${size.height}.png` });
      await expectKeyFactsShown(page, { sla: true });
      await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
        LONG_NAME,
      );
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({
        path: `${SHOTS}/header-sla-${size.width}x${size.height}-dark.png`,
        animations: 'disabled',
      });
      await expectKeyFactsShown(page, { sla: true });
    }
    expect(problems).toEqual([]);
  });

  test('shows a resolved conversation’s name and status in full', async ({ page, agentHub }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize(SIZES[0]);
    await crowdedConversation(page, agentHub);
    await page.getByRole('button', { name: 'Resolve' }).click();
    const status = page.getByTestId('conversation-status');
    await expect(status).toHaveText('Resolved');

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SHOTS}/header-resolved-${size.width}x${size.height}.png` });
      await expectFullyShown(page, status, 'the status badge');
      await expectKeyFactsShown(page, { sla: false });
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SHOTS}/header-resolved-${SIZES[1].width}x${SIZES[1].height}-dark.png`,
      animations: 'disabled',
    });
    expect(problems).toEqual([]);
  });
});

test.describe('snoozing to a chosen day and time', () => {
  // Snoozes are wall-clock times in the agent's zone; Berlin is UTC+1 in November.
  test.use({ timezoneId: 'Europe/Berlin' });
  test.describe.configure({ timeout: 120_000 });

  test('refuses a time that has passed, and sends the hub the instant picked', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize(SIZES[0]);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await signIn(page, agentHub.url);
    const status = await agentHub.webhook(
      messagesWebhook(
        textMessage('Can you call me back on Wednesday?', { timestamp: START / 1000 }),
      ),
    );
    expect(status).toBe(200);
    await rowOf(page).click();
    const conversationId = await page
      .getByTestId('conversation-pane')
      .getAttribute('data-conversation-id');

    await page.getByTestId('snooze-button').click();
    await page.getByTestId('snooze-custom').click();
    const picker = page.getByRole('dialog', { name: 'Snooze until a day and time' });
    const day = picker.getByLabel('Day');
    const time = picker.getByLabel('Time');
    // It starts at tomorrow morning, Tuesday 24 November, 09:00 in Berlin.
    await expect(day).toBeFocused();
    await expect(day).toHaveValue('2026-11-24');
    await expect(time).toHaveValue('09:00');

    // Today at 08:00 is two hours ago (it is 10:00 in Berlin): refused beside the field.
    await day.fill('2026-11-23');
    await time.fill('08:00');
    await expect(picker.getByText('That time has passed: pick a later one.')).toBeVisible();
    await expect(picker.getByTestId('snooze-custom-submit')).toBeDisabled();
    await time.press('Enter');
    await expect(picker).toBeVisible();

    await day.fill('2026-11-25');
    await time.fill('14:30');
    await expect(picker.getByTestId('snooze-custom-preview')).toHaveText(
      'Back Wed, Nov 25, 14:30, in 2d 4h',
    );
    await page.screenshot({
      path: `${SHOTS}/snooze-custom-${SIZES[0].width}x${SIZES[0].height}.png`,
    });
    await time.press('Enter');
    await expect(picker).toHaveCount(0);

    const chosen = Date.parse('2026-11-25T14:30:00+01:00');
    const header = page.getByTestId('conversation-header');
    await expect(header.getByTestId('conversation-status')).toHaveText('Snoozed until Wed 14:30');
    await expectFullyShown(page, header.getByTestId('conversation-status'), 'the snoozed badge');
    await page.screenshot({
      path: `${SHOTS}/header-snoozed-${SIZES[0].width}x${SIZES[0].height}.png`,
    });
    const token = await login(agentHub.url);
    await expect
      .poll(async () => {
        const answer = await api<{ conversation: { status: string; snoozedUntil: number | null } }>(
          agentHub.url,
          token,
          `/api/conversations/${conversationId}`,
        );
        return answer.body.conversation;
      })
      .toMatchObject({ status: 'snoozed', snoozedUntil: chosen });
    expect(problems).toEqual([]);
  });
});
