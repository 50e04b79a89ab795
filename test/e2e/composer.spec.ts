import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { TEST_CUSTOMER } from '../support/whatsapp-webhooks';
import {
  customerWrites,
  expect,
  rowOf,
  signIn,
  test,
  watchForProblems,
  type AgentHub,
} from './agent-fixtures';

/** Issue 12, items 4–6: quick replies, orders and paid templates in the composer. */

// A hub, a browser and screenshots at two sizes share two loaded cores: give them room.
test.describe.configure({ timeout: 90_000 });

const SHOTS = process.env['COMPOSER_SHOTS'] ?? 'test-results/screenshots/composer';
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

async function screenshots(page: Page, name: string, { dark = false } = {}): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}.png`, animations: 'disabled' });
  }
  if (dark) {
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });
  }
}

/** Sends of the hub to the (fake) WhatsApp API that it accepted. */
const accepted = (hub: AgentHub) =>
  hub.graph.requests.filter((r) => r.response?.status === 200).length;

async function setCustomerLanguage(hub: AgentHub, language: string): Promise<void> {
  await hub.current.db.query('update customers set language = $1', [language]);
}

test.describe('quick replies in the customer’s language', () => {
  test('a Dutch customer’s / menu lists every quick reply, the Dutch one first and marked; an unknown /shortcut is never sent', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addStarterTemplates();
    const token = await login(agentHub.url);
    const created = await api(agentHub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'quick_reply',
        name: 'Bedankt',
        shortcut: 'bedankt',
        body: 'Bedankt voor je bericht, {{customer.first_name|daar}}! We kijken het meteen na.',
        language: 'nl',
        channels: ['whatsapp'],
      },
    });
    expect(created.status).toBe(201);
    await customerWrites(agentHub, 'Hoi! Waar blijft mijn bestelling?', Date.now());
    await setCustomerLanguage(agentHub, 'nl');
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const input = page.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially('/');
    const menu = page.getByTestId('quick-replies');
    const options = menu.getByTestId('quick-reply-option');
    // All four, not just the one in Dutch; Dutch first, then by shortcut.
    await expect(options).toHaveCount(4);
    await expect(options.nth(0)).toHaveAttribute('data-shortcut', 'bedankt');
    await expect(options.nth(1)).toHaveAttribute('data-shortcut', 'hi');
    await expect(options.nth(2)).toHaveAttribute('data-shortcut', 'return');
    await expect(options.nth(3)).toHaveAttribute('data-shortcut', 'status');
    await expect(menu.getByTestId('quick-reply-language')).toHaveCount(1);
    await expect(options.nth(0).getByTestId('quick-reply-language')).toHaveText('NL');
    await expect(menu.getByTestId('quick-replies-count')).toHaveText('4 available · Dutch first');
    await screenshots(page, 'quick-replies-language', { dark: true });

    // The English /status is no longer hidden: it is found and inserted.
    await input.pressSequentially('status');
    await expect(options.first()).toHaveAttribute('data-shortcut', 'status');
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue(/^Hi Sheena, your order \{\{order\.number\}\}/);

    // A shortcut that names no quick reply: Enter sends nothing and says so.
    await input.fill('');
    await input.pressSequentially('/zoom');
    await expect(menu).toContainText('No quick reply matches “zoom”.');
    await page.keyboard.press('Enter');
    const notice = page.getByTestId('composer-shortcut-notice');
    await expect(notice).toHaveText('No quick reply /zoom — nothing was sent.Send as text');
    await expect(input).toHaveValue('/zoom');
    // With the list closed, too.
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await page.keyboard.press('Enter');
    await expect(notice).toBeVisible();
    await expect(input).toHaveValue('/zoom');
    await page.setViewportSize(SIZES[0]);
    await page.screenshot({ path: `${SHOTS}/shortcut-unknown-1280.png` });

    // A known shortcut left unexpanded (the list closed with Esc) is expanded, not sent.
    await input.fill('');
    await input.pressSequentially('/hi');
    await expect(menu).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await expect(notice).toBeHidden();
    await page.keyboard.press('Enter');
    const greeting = /^Hi Sheena, this is .* from customer service\. How can I help\?\s*$/;
    await expect(input).toHaveValue(greeting);

    // The first message the customer receives is the expanded greeting.
    await page.keyboard.press('Enter');
    await expect.poll(() => accepted(agentHub)).toBe(1);
    const sent = agentHub.graph.requests[0]?.body as { text: { body: string } };
    expect(sent.text.body).toMatch(greeting);
    expect(agentHub.graph.requests).toHaveLength(1);
    // Escape closed the list once; the next message's "/" opens it again.
    await expect(input).toHaveValue('');
    await input.pressSequentially('/');
    await expect(menu).toBeVisible();
    expect(problems).toEqual([]);
  });
});

const ORDER_1043 = {
  number: '1043',
  status: 'shipped' as const,
  customerName: TEST_CUSTOMER.name,
  phone: `+${TEST_CUSTOMER.waId}`,
  email: 'sheena@example.com',
  items: [{ title: 'Linen shirt (M)', quantity: 2, sku: 'LS-M', price: 39.5 }],
  currency: 'EUR',
  carrier: 'DHL',
  trackingNumber: 'JJD0001043',
  trackingUrl: 'https://www.dhl.com/track?id=JJD0001043',
  createdAt: Date.now() - 3 * 86_400_000,
};
/** Someone else's order, one digit away from a number the agent might type. */
const ORDER_1044 = {
  ...ORDER_1043,
  number: '1044',
  status: 'processing' as const,
  customerName: 'Jan de Vries',
  phone: '+31612345678',
  email: 'jan@example.nl',
  carrier: null,
  trackingNumber: null,
  trackingUrl: null,
};

test.describe('orders in the reply', () => {
  test('the customer’s only order fills the reply at once; “Use in reply” writes it into an empty reply; another customer’s order is marked and asks first', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addOrders([ORDER_1043, ORDER_1044]);
    await agentHub.addStarterTemplates();
    await customerWrites(agentHub, 'Hi! Where is my order?', Date.now());
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const panel = page.getByTestId('order-panel');
    const own = panel.locator('[data-testid="order-card"]', { hasText: '#1043' });
    await expect(own).toHaveAttribute('data-selected', 'true');
    await expect(own.getByTestId('order-in-reply')).toHaveText(
      'In reply · fills the order variables',
    );
    await screenshots(page, 'order-in-reply');

    // No click on the order first: /status is filled from it.
    const input = page.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially('/status');
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue(
      'Hi Sheena, your order 1043 is shipped. You can follow it with DHL: https://www.dhl.com/track?id=JJD0001043 ',
    );
    await expect(page.getByTestId('unfilled-variable')).toHaveCount(0);

    // "Use in reply" on an empty reply writes the order in.
    await input.fill('');
    await own.getByTestId('order-use').click();
    await expect(input).toHaveValue(
      'Your order #1043 has shipped. Track it with DHL: https://www.dhl.com/track?id=JJD0001043',
    );
    // In a reply being written, the reference goes at the caret.
    await input.fill('Thanks! About  we will check.');
    await input.evaluate((element: HTMLTextAreaElement) => element.setSelectionRange(14, 14));
    await own.getByTestId('order-use').click();
    await expect(input).toHaveValue('Thanks! About #1043 we will check.');

    // Another customer's order, found by number, is marked and needs a confirmation.
    await input.fill('');
    const search = panel.getByTestId('order-search');
    await search.fill('1044');
    await search.press('Enter');
    const other = panel.locator('[data-testid="order-card"]', { hasText: '#1044' });
    await expect(other.getByTestId('order-foreign')).toHaveText(
      'Another customer’s order — Jan de Vries',
    );
    await other.getByTestId('order-use').click();
    const confirm = other.getByTestId('order-use-confirm');
    await expect(confirm).toContainText(
      'This order is not Sheena Nelson’s. Use it in the reply anyway?',
    );
    await expect(input).toHaveValue('');
    await expect(other).not.toHaveAttribute('data-selected', 'true');
    await screenshots(page, 'order-another-customer', { dark: true });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm).toBeHidden();
    await expect(input).toHaveValue('');

    await other.getByTestId('order-use').click();
    await other.getByTestId('order-use-anyway').click();
    await expect(other).toHaveAttribute('data-selected', 'true');
    await expect(input).toHaveValue('Your order #1044 is being prepared.');
    expect(problems).toEqual([]);
  });
});

test.describe('orders in the reply, several of them', () => {
  test('of the customer’s orders, the one they named fills the reply', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const ORDER_1045 = { ...ORDER_1043, number: '1045', status: 'delivered' as const };
    await agentHub.addOrders([ORDER_1043, ORDER_1045]);
    await agentHub.addStarterTemplates();
    await customerWrites(
      agentHub,
      'Hello, order #1045 says delivered but it is not here',
      Date.now(),
    );
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const panel = page.getByTestId('order-panel');
    await expect(panel.getByTestId('order-card')).toHaveCount(2);
    const named = panel.locator('[data-testid="order-card"]', { hasText: '#1045' });
    await expect(named).toHaveAttribute('data-selected', 'true');
    await expect(panel.locator('[data-selected="true"]')).toHaveCount(1);
    const input = page.getByTestId('composer-input');
    await input.click();
    await input.pressSequentially('/status');
    await page.keyboard.press('Enter');
    await expect(input).toHaveValue(/^Hi Sheena, your order 1045 is delivered\./);
    expect(problems).toEqual([]);
  });
});

test.describe('paid templates', () => {
  test('a paid template asks once with its price, the picker starts over after sending, and “Don’t ask again” turns the question off', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addStarterTemplates();
    // The window closed an hour ago: only (paid) templates may be sent.
    await customerWrites(agentHub, 'Is my parcel on its way?', Date.now() - 25 * 3_600_000);
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const picker = page.getByTestId('template-picker');
    const selectedOption = picker.locator('[data-testid="template-option"][aria-selected="true"]');
    const parameters = picker.getByTestId('template-parameter');
    // Nothing is chosen for the agent.
    await expect(picker.getByTestId('template-option')).toHaveCount(2);
    await expect(selectedOption).toHaveCount(0);
    await expect(picker.getByTestId('template-send')).toHaveCount(0);

    const fill = async () => {
      await picker.getByTestId('template-option').filter({ hasText: 'order_update' }).click();
      await parameters.nth(0).fill('Sheena');
      await parameters.nth(1).fill('1043');
      await parameters.nth(2).fill('on its way');
    };
    await fill();
    const cost = picker.getByTestId('template-cost');
    await expect(cost).toHaveAttribute('data-tone', 'charged');
    const price = (await cost.locator('.rd-tpl-cost-amount').textContent()) ?? '';
    expect(price).toMatch(/^\$0\.\d+$/);

    // A double-click on Send only asks: its second click never lands on the paid answer.
    await picker.getByTestId('template-send').dblclick();
    const confirm = page.getByTestId('template-confirm');
    await expect(confirm).toBeVisible();
    await expect(confirm.getByTestId('template-confirm-stop-asking')).not.toBeChecked();
    await expect(parameters.nth(1)).toHaveValue('1043');
    await confirm.getByTestId('template-confirm-cancel').click();
    await expect(confirm).toBeHidden();

    await picker.getByTestId('template-send').click();
    await expect(confirm).toContainText(`Send order_update for ${price}?`);
    await expect(confirm.getByTestId('template-confirm-price')).toHaveText(price);
    await expect(confirm.getByTestId('template-confirm-send')).toHaveText(`Send for ${price}`);
    await expect(confirm.getByTestId('template-confirm-send')).toBeFocused();
    // The preview of what the customer receives is in view, above the question, while they decide.
    const preview = await picker.getByTestId('template-preview').boundingBox();
    const question = await confirm.boundingBox();
    expect(preview && question && preview.y + preview.height <= question.y).toBe(true);
    // Opened at each size, as an agent would see it there (the pane scrolls when it opens).
    for (const [size, dark] of [
      [SIZES[0], false],
      [SIZES[1], false],
      [SIZES[1], true],
    ] as const) {
      await page.keyboard.press('Escape');
      await page.setViewportSize(size);
      if (dark) await page.emulateMedia({ colorScheme: 'dark' });
      await picker.getByTestId('template-send').click();
      await expect(confirm.getByTestId('template-confirm-send')).toBeFocused();
      const name = `template-paid-confirm-${dark ? 'dark' : size.width}`;
      await page.screenshot({ path: `${SHOTS}/${name}.png`, animations: 'disabled' });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(picker.getByTestId('template-send')).toBeFocused();
    expect(accepted(agentHub)).toBe(0);

    // Asked once, answered with Enter.
    await page.keyboard.press('Enter');
    await expect(confirm.getByTestId('template-confirm-send')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect.poll(() => accepted(agentHub)).toBe(1);
    // The picker starts over: no template chosen, no values kept.
    await expect(selectedOption).toHaveCount(0);
    await expect(parameters).toHaveCount(0);
    await expect(picker.getByRole('textbox', { name: 'Search templates' })).toHaveValue('');
    await expect(picker.getByTestId('template-option').first()).toBeVisible();
    await picker.getByTestId('template-option').filter({ hasText: 'order_update' }).click();
    await expect(parameters.nth(1)).toHaveValue('');

    // "Don't ask again": this one still asks, the next goes out on Send.
    await fill();
    await picker.getByTestId('template-send').click();
    await confirm.getByTestId('template-confirm-stop-asking').check();
    await confirm.getByTestId('template-confirm-send').click();
    await expect.poll(() => accepted(agentHub)).toBe(2);
    await fill();
    await picker.getByTestId('template-send').click();
    await expect.poll(() => accepted(agentHub)).toBe(3);
    await expect(confirm).toBeHidden();

    // …and Settings shows the question turned off, where it can be turned on again.
    await page.keyboard.press('ControlOrMeta+Comma');
    const setting = page.getByTestId('setting-confirm-paid-templates');
    await expect(setting).not.toBeChecked();
    await page.setViewportSize(SIZES[0]);
    await page
      .getByTestId('settings-modal')
      .getByText('Confirm paid templates')
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/settings-confirm-paid-1280.png` });
    await setting.check({ force: true });
    await expect(setting).toBeChecked();
    // Three templates went out, each on purpose: not one more.
    expect(agentHub.graph.requests).toHaveLength(3);
    expect(problems).toEqual([]);
  });
});
