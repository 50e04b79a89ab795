import {
  messagesWebhook,
  statusesWebhook,
  statusUpdate,
  TEST_CUSTOMER,
  textMessage,
} from '../support/whatsapp-webhooks';
import {
  advance,
  customerWrites,
  expect,
  rowOf,
  signIn,
  test,
  watchForProblems,
} from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const START = Date.parse('2026-11-21T09:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const CUSTOMER_PHONE = `+${TEST_CUSTOMER.waId}`;

const ORDER = {
  number: '1043',
  status: 'shipped' as const,
  customerName: TEST_CUSTOMER.name,
  phone: CUSTOMER_PHONE,
  email: 'sheena@example.com',
  items: [
    { title: 'Linen shirt (M)', quantity: 2, sku: 'LS-M', price: 39.5 },
    { title: 'Canvas tote', quantity: 1, sku: 'CT-1', price: 12 },
  ],
  currency: 'EUR',
  carrier: 'DHL',
  trackingNumber: 'JJD0001043',
  trackingUrl: 'https://www.dhl.com/track?id=JJD0001043',
  createdAt: START - 3 * 24 * HOUR,
};

test.describe('the agent app against a team hub', () => {
  test('a signed WhatsApp message arrives live with its timer, which counts down through closing to closed', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('inbox-empty')).toBeVisible();

    await customerWrites(agentHub, 'Hi! Where is my order #1043?', START);
    const row = rowOf(page);
    await expect(row).toBeVisible({ timeout: 1_000 });
    const timer = row.getByTestId('window-timer');
    await expect(timer).toHaveAttribute('data-window-state', 'open');
    await expect(timer).toHaveText(/^(24h 0m|23h 59m)$/);

    // 23 h 30 min later the window is inside the 1 h threshold: closing, 30 minutes left.
    await advance(page, agentHub, 23 * HOUR + 30 * MINUTE);
    await expect(timer).toHaveAttribute('data-window-state', 'closing');
    await expect(timer).toHaveText(/^(30m|29m)$/);
    await row.click();
    await expect(page.getByTestId('window-countdown')).toHaveAttribute(
      'data-window-state',
      'closing',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/conversation-closing.png` });

    // 31 minutes on it has closed.
    await advance(page, agentHub, 31 * MINUTE);
    await expect(timer).toHaveAttribute('data-window-state', 'closed');
    await expect(timer).toHaveText(/^closed (1|2)m ago$/);
    await expect(page.getByTestId('window-countdown')).toHaveAttribute(
      'data-window-state',
      'closed',
    );
    expect(problems).toEqual([]);
  });

  test('finds the customer’s orders by phone, and sends a quick reply filled from the order exactly as shown; the delivered tick follows', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addOrders([ORDER]);
    await agentHub.addStarterTemplates();
    await customerWrites(agentHub, 'Hi! Where is my order #1043?', Date.now());
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const panel = page.getByTestId('order-panel');
    await expect(panel.getByTestId('order-card')).toHaveCount(1);
    await expect(panel.getByTestId('order-card')).toContainText('1043');
    await expect(panel.getByTestId('order-card')).toContainText('Linen shirt (M)');
    // The customer's only order fills the reply without a click (issue 12, item 5).
    await expect(panel.getByTestId('order-in-reply')).toHaveText(
      'In reply · fills the order variables',
    );

    const input = page.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially('/stat');
    await expect(page.getByTestId('quick-replies')).toBeVisible();
    await expect(page.getByTestId('quick-reply-option').first()).toContainText('Order status');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('unfilled-variable')).toHaveCount(0);
    const text = await input.inputValue();
    expect(text).toContain('1043');
    expect(text).toContain('https://www.dhl.com/track?id=JJD0001043');
    expect(text).not.toContain('{{');
    await page.screenshot({ path: `${SCREENSHOTS}/conversation-open-window.png` });

    await page.keyboard.press('Enter');
    await expect
      .poll(() => agentHub.graph.requests.filter((r) => r.response?.status === 200).length)
      .toBe(1);
    const sent = agentHub.graph.requests[0]?.body as { type: string; text: { body: string } };
    expect(sent.type).toBe('text');
    expect(sent.text.body).toBe(text.trim());

    const outbound = page.locator('[data-testid="message"][data-direction="outbound"]');
    await expect(outbound).toHaveCount(1);
    await expect(outbound.getByTestId('delivery-status')).toHaveAttribute('aria-label', 'Sent');
    const wamid = agentHub.graph.sentMessageIds[0] ?? '';
    expect(await agentHub.webhook(statusesWebhook(statusUpdate('delivered', { id: wamid })))).toBe(
      200,
    );
    await expect(outbound.getByTestId('delivery-status')).toHaveAttribute(
      'aria-label',
      'Delivered',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/order-panel.png` });
    expect(problems).toEqual([]);
  });

  test('after the window closes, free text is blocked and a template goes out with its cost shown first', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await agentHub.addStarterTemplates();
    await customerWrites(agentHub, 'Is my parcel on its way?', START - 25 * HOUR);
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    await expect(page.getByTestId('window-countdown')).toHaveAttribute(
      'data-window-state',
      'closed',
    );
    await expect(page.getByTestId('composer')).toHaveAttribute('data-mode', 'template');
    await expect(page.getByTestId('composer-input')).toHaveCount(0);
    await expect(page.getByTestId('composer-notice')).toContainText(/template/i);

    const picker = page.getByTestId('template-picker');
    await picker.getByTestId('template-option').filter({ hasText: 'order_update' }).click();
    const parameters = picker.getByTestId('template-parameter');
    await expect(parameters).toHaveCount(3);
    await parameters.nth(0).fill('Sheena');
    await parameters.nth(1).fill('1043');
    await parameters.nth(2).fill('on its way');
    await expect(picker.getByTestId('template-preview')).toContainText(
      'Hello Sheena, there is an update on your order 1043: it is now on its way.',
    );
    await expect(picker.getByTestId('template-cost')).toContainText('$');
    await page.screenshot({ path: `${SCREENSHOTS}/conversation-closed-template.png` });
    await picker.getByTestId('template-send').click();
    // A paid template asks once, with its price (issue 12, item 6).
    await page.getByTestId('template-confirm-send').click();

    await expect
      .poll(() => agentHub.graph.requests.filter((r) => r.response?.status === 200).length)
      .toBe(1);
    const sent = agentHub.graph.requests[0]?.body as {
      type: string;
      template: { name: string; components: { parameters: { text: string }[] }[] };
    };
    expect(sent.type).toBe('template');
    expect(sent.template.name).toBe('order_update');
    expect(sent.template.components[0]?.parameters.map((p) => p.text)).toEqual([
      'Sheena',
      '1043',
      'on its way',
    ]);
    expect(problems).toEqual([]);
  });

  test('moves between conversations from the keyboard, and runs actions from the command palette', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const now = Date.now();
    for (const [index, name] of ['Ana Lima', 'Ben Okafor', 'Chloé Martin'].entries()) {
      const fixture = textMessage(`Question ${index + 1}`, {
        from: `3161234567${index}`,
        name,
        timestamp: (now - (3 - index) * MINUTE) / 1000,
      });
      expect(await agentHub.webhook(messagesWebhook(fixture))).toBe(200);
    }
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('conversation-row')).toHaveCount(3);

    // Newest first: j selects the first row, then the next; k goes back.
    await page.keyboard.press('j');
    await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
      'Chloé Martin',
    );
    await page.keyboard.press('j');
    await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
      'Ben Okafor',
    );
    await page.keyboard.press('k');
    await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
      'Chloé Martin',
    );

    await page.keyboard.press('ControlOrMeta+k');
    const palette = page.getByRole('dialog');
    await expect(palette).toBeVisible();
    await page.keyboard.type('assign to me');
    await page.screenshot({ path: `${SCREENSHOTS}/command-palette.png` });
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(page.getByTestId('assign-button')).toContainText('You');

    // r focuses the reply box; ? opens the help sheet.
    await page.keyboard.press('r');
    await expect(page.getByTestId('composer-input')).toBeFocused();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+?');
    await expect(page.getByRole('dialog', { name: /shortcuts/i })).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/shortcuts-help.png` });
    expect(problems).toEqual([]);
  });
});
