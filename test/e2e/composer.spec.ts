import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
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
    expect(problems).toEqual([]);
  });
});
