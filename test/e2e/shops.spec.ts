import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import type { ShopView } from '../../src/shared/protocol/shops';
import { startFakeShopify, type FakeShopify } from '../support/fake-shopify';
import { ADMIN, api, login, startTestHub } from '../support/hub';

const SCREENSHOTS = 'test-results/screenshots';
const TOKEN = 'shpat_e2e_right_token';
const WRONG = 'shpat_e2e_wrong_token';

/** A hub serving the built app, and a fake Shopify shop on loopback; both closed after. */
const test = base.extend<{ hub: RunningHub; shopify: FakeShopify }>({
  // Playwright requires fixtures to destructure their first argument, even when unused.
  // eslint-disable-next-line no-empty-pattern
  shopify: async ({}, use) => {
    const shopify = await startFakeShopify({ token: TOKEN, shopName: 'Acme Europe' });
    await use(shopify);
    await shopify.close();
  },
  // eslint-disable-next-line no-empty-pattern
  hub: async ({}, use) => {
    const hub = await startTestHub({ rendererDir: path.resolve('out/renderer') });
    await use(hub);
    await hub.close();
  },
});

async function signIn(page: Page, hubUrl: string, who = ADMIN): Promise<void> {
  await page.goto(`${hubUrl}/#/orders`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

async function shopsOf(
  hub: RunningHub,
): Promise<{ status: number; text: string; shops: ShopView[] }> {
  const admin = await login(hub.url);
  const res = await api<{ shops: ShopView[] }>(hub.url, admin, '/api/admin/shops');
  return { status: res.status, text: JSON.stringify(res.body), shops: res.body.shops };
}

test.describe('the Orders admin page', () => {
  test.describe.configure({ timeout: 90_000 });

  test('an admin connects a Shopify shop, and its test shows the shop’s name or the exact error', async ({
    page,
    hub,
    shopify,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, hub.url);
    // Under Channels in the navigation.
    const nav = page.locator('nav a');
    const labels = await nav.evaluateAll((links) => links.map((a) => a.getAttribute('aria-label')));
    expect(labels.indexOf('Orders')).toBe(labels.indexOf('Channels and rates') + 1);
    await expect(page.getByTestId('shops-empty')).toContainText('No shop connected yet');
    await expect(page.getByTestId('built-in-store')).toContainText('Always on');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}/shops-empty-1280.png` });

    // The form's own check, beside each field; nothing reaches the hub.
    await page.getByTestId('connect-shop').click();
    const dialog = page.getByRole('dialog', { name: 'Connect a shop' });
    await dialog.getByTestId('shop-save').click();
    await expect(dialog).toContainText('Give the shop a name agents will recognise.');
    await expect(dialog).toContainText(
      'Enter the shop’s address, such as https://acme.myshopify.com.',
    );
    await expect(dialog).toContainText('Enter the admin API access token.');
    expect((await shopsOf(hub)).shops).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/shops-form-errors-1280.png` });

    // Connected with a token Shopify refuses: the test says Shopify's reason, as the hub keeps it.
    await dialog.getByLabel('Name').fill('EU store');
    await dialog.getByLabel('Address').fill(shopify.url);
    await dialog.getByTestId('shop-credential-input-accessToken').fill(WRONG);
    await dialog.getByTestId('shop-save').click();
    await expect(dialog.getByTestId('shop-saved')).toContainText('EU store was added');
    await dialog.getByTestId('shop-test').click();
    const result = dialog.getByTestId('shop-test-result');
    await expect(result).toHaveAttribute('data-ok', 'false');
    const refused = await shopsOf(hub);
    expect(refused.shops).toHaveLength(1);
    const stored = refused.shops[0]?.lastError?.message ?? '';
    expect(stored).toBe('Shopify refused the access token (401).');
    await expect(result).toHaveText(stored);
    await page.screenshot({ path: `${SCREENSHOTS}/shops-test-error-1280.png` });

    // The right token replaces the wrong one (the only field sent), and the test names the shop.
    await dialog.getByRole('button', { name: 'Edit again' }).click();
    const editor = page.getByRole('dialog', { name: 'Edit “EU store”' });
    const token = editor.getByTestId('shop-credential-input-accessToken');
    await expect(token).toHaveValue('');
    await expect(token).toHaveAttribute('type', 'password');
    await expect(token).toHaveAttribute('placeholder', 'Set — enter a new value to replace');
    await token.fill(TOKEN);
    await editor.getByTestId('shop-save').click();
    await expect(editor.getByTestId('shop-saved')).toContainText('Changes saved');
    await editor.getByTestId('shop-test').click();
    await expect(editor.getByTestId('shop-test-result')).toHaveAttribute('data-ok', 'true');
    await expect(editor.getByTestId('shop-test-result')).toHaveText('Connected to Acme Europe');
    const asked = shopify.requests.at(-1);
    expect([asked?.operationName, asked?.headers['x-shopify-access-token']]).toEqual([
      'ReplydeskShop',
      TOKEN,
    ]);
    await editor.getByTestId('shop-done').click();

    const card = page.getByTestId('shop-card');
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('shop-name')).toHaveText('EU store');
    await expect(card.getByTestId('shop-own-name')).toContainText('Acme Europe');
    await expect(card.getByTestId('shop-channels')).toHaveText('All channels');
    await expect(card.getByTestId('shop-status')).toHaveText('Connected');
    await expect(card.getByTestId('shop-credential-accessToken')).toHaveAttribute(
      'data-set',
      'true',
    );
    // Written, never shown back: neither token is on the page or in the hub's answers.
    for (const secret of [TOKEN, WRONG]) {
      await expect(page.locator('body')).not.toContainText(secret);
      expect((await shopsOf(hub)).text).not.toContain(secret);
    }
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}/shops-list-light-1280.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/shops-list-dark-1280.png`,
      animations: 'disabled',
    });
    await card.getByTestId('shop-edit').click();
    await expect(page.getByRole('dialog', { name: 'Edit “EU store”' })).toBeVisible();
    await page.screenshot({
      path: `${SCREENSHOTS}/shops-form-dark-1280.png`,
      animations: 'disabled',
    });
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });

    // Switched off: the hub stops looking it up, and the card says so.
    await card.getByTestId('shop-enabled').click({ force: true });
    await expect(card.getByTestId('shop-status')).toHaveText('Off');
    await expect(card.getByTestId('shop-enabled')).not.toBeChecked();
    expect((await shopsOf(hub)).shops.map((s) => s.enabled)).toEqual([false]);

    // Removed after confirming: the hub forgets it, the empty state is back.
    await card.getByTestId('shop-remove').click();
    await page.getByTestId('shop-remove-confirm').click();
    await expect(page.getByTestId('shops-empty')).toBeVisible();
    expect((await shopsOf(hub)).shops).toEqual([]);
  });

  test('an agent has no Orders page', async ({ page, hub }) => {
    const agent = { email: 'ana@shop.example', password: 'correct horse battery' };
    const created = await api(hub.url, await login(hub.url), '/api/admin/users', {
      method: 'POST',
      body: { ...agent, name: 'Ana Silva', role: 'agent' },
    });
    expect(created.status).toBe(201);
    await signIn(page, hub.url, agent);
    await expect(page.getByTestId('not-for-role')).toContainText('Orders is not available to you');
    await expect(page.getByRole('link', { name: 'Orders', exact: true })).toHaveCount(0);
    expect((await api(hub.url, await login(hub.url, agent), '/api/admin/shops')).status).toBe(403);
  });
});
