import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { startFakeShopify, type FakeShopify } from '../support/fake-shopify';
import { startFakeWooCommerce, type FakeWooCommerce } from '../support/fake-woocommerce';
import { api, login } from '../support/hub';
import { messagesWebhook, orderMessage, TEST_CUSTOMER } from '../support/whatsapp-webhooks';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Issue #17's "Must show" in the app: a conversation whose customer has orders in two shops (the
 * Shopify and WooCommerce fakes, connected through the admin API) shows both with tracking; an
 * order fills a quick reply; a WhatsApp catalog cart shows the shop's product names and pictures
 * and becomes a Shopify draft order.
 */

const SHOTS = 'test-results/screenshots/orders-from-shops';
const TOKEN = 'shpat_e2e_0123456789';
const KEY = 'ck_e2e_0123456789';
const SECRET = 'cs_e2e_0123456789';
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const DAY = 86_400_000;

let shopify: FakeShopify;
let woo: FakeWooCommerce;
let cdn: http.Server;
let cdnUrl = '';

test.beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  cdn = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
    res.end(PNG);
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  const created = (daysAgo: number): string => new Date(Date.now() - daysAgo * DAY).toISOString();

  shopify = await startFakeShopify({ token: TOKEN, shopName: 'Northwind EU' });
  const sheena = shopify.seedCustomer({
    displayName: TEST_CUSTOMER.name,
    phone: `+${TEST_CUSTOMER.waId}`,
    country: 'US',
  });
  shopify.seedOrder({
    name: '#1043',
    customerId: sheena.id,
    email: 'sheena@example.com',
    createdAt: created(3),
    total: '91.00',
    currency: 'EUR',
    fulfillmentStatus: 'FULFILLED',
    lineItems: [
      {
        title: 'Linen shirt',
        variantTitle: 'M / Sand',
        sku: 'LS-M',
        quantity: 2,
        price: '39.50',
        imageUrl: `${cdnUrl}/shirt.png`,
      },
      { title: 'Canvas tote', sku: 'CT-1', quantity: 1, price: '12.00' },
    ],
    shippingLines: [{ title: 'Standard', price: '0.00' }],
    fulfillments: [
      {
        displayStatus: 'IN_TRANSIT',
        tracking: [
          { company: 'DHL', number: 'JJD0001043', url: 'https://www.dhl.com/track?id=JJD0001043' },
        ],
      },
    ],
  });
  shopify.seedVariant({
    productTitle: 'Linen shirt',
    title: 'M / Sand',
    sku: 'LS-M',
    price: '39.50',
    imageUrl: `${cdnUrl}/shirt.png`,
  });

  woo = await startFakeWooCommerce({ key: KEY, secret: SECRET, siteName: 'Northwind Outlet' });
  woo.seedOrder({
    id: 310,
    number: '5520',
    status: 'processing',
    date_created_gmt: created(1).slice(0, 19),
    // WooCommerce keeps the phone as the customer typed it at checkout.
    billing: {
      first_name: 'Sheena',
      last_name: 'Nelson',
      phone: '(650) 555-1234',
      country: 'US',
    },
    line_items: [{ name: 'Wool socks', quantity: 3, price: 9 }],
    tracking: [
      {
        tracking_provider: 'UPS',
        tracking_number: '1Z999AA10123456784',
        tracking_link: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      },
    ],
  });
});

test.afterAll(async () => {
  await shopify?.close();
  await woo?.close();
  await new Promise((resolve) => cdn?.close(resolve));
});

test('a customer’s orders from two shops with tracking, filling a reply; a catalog cart becomes a draft order', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  const admin = await login(agentHub.url);
  for (const body of [
    {
      kind: 'shopify',
      name: 'Northwind EU',
      url: shopify.url,
      credentials: { accessToken: TOKEN },
    },
    {
      kind: 'woocommerce',
      name: 'Outlet',
      url: woo.url,
      credentials: { consumerKey: KEY, consumerSecret: SECRET },
    },
  ]) {
    const answer = await api(agentHub.url, admin, '/api/admin/shops', { method: 'POST', body });
    expect(answer.status).toBe(201);
  }
  await agentHub.addStarterTemplates();
  await customerWrites(agentHub, 'Hi! Where are my orders?', Date.now());
  await signIn(page, agentHub.url);
  await rowOf(page).click();

  const panel = page.getByTestId('order-panel');
  const cards = panel.getByTestId('order-card');
  await expect(cards).toHaveCount(2);
  // Each shop's orders under its name, as each answered.
  await expect(
    panel.locator('[data-testid="order-source"][aria-label="Orders from Outlet"]'),
  ).toContainText('5520');
  await expect(
    panel.locator('[data-testid="order-source"][aria-label="Orders from Northwind EU"]'),
  ).toContainText('1043');
  await page.screenshot({ path: `${SHOTS}/panel-two-shops.png` });

  // The Shopify order, opened: its items and its tracking link.
  const shopifyCard = cards.filter({ hasText: '1043' });
  await shopifyCard.getByTestId('order-toggle').click();
  await expect(shopifyCard.getByTestId('order-items')).toContainText('Linen shirt');
  await expect(shopifyCard.getByTestId('order-item-variant').first()).toContainText('M / Sand');
  await expect(shopifyCard.getByTestId('order-tracking-number')).toHaveText('JJD0001043');
  await expect(shopifyCard.getByTestId('order-tracking-link')).toHaveAttribute(
    'href',
    'https://www.dhl.com/track?id=JJD0001043',
  );
  await expect(shopifyCard.getByTestId('order-item-image')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/panel-order-open.png` });

  // "Use in reply": the order's summary is written into the reply, and it fills the variables.
  const input = page.getByTestId('composer-input');
  await shopifyCard.getByTestId('order-use').click();
  await expect(input).toHaveValue(/1043/);
  await page.screenshot({ path: `${SHOTS}/use-in-reply.png` });
  await input.fill('');
  // A quick reply filled from the order in reply.
  await input.click();
  await input.pressSequentially('/stat');
  await expect(page.getByTestId('quick-replies')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('unfilled-variable')).toHaveCount(0);
  const text = await input.inputValue();
  expect(text).toContain('1043');
  expect(text).toContain('https://www.dhl.com/track?id=JJD0001043');
  await input.fill('');

  // A WhatsApp template's parameters suggested from the same order.
  await page.getByRole('button', { name: 'Template', exact: true }).click();
  const picker = page.getByTestId('template-picker');
  await picker.getByTestId('template-option').filter({ hasText: 'order_update' }).click();
  const parameters = picker.getByTestId('template-parameter');
  await expect(parameters).toHaveCount(3);
  await expect(parameters.nth(1)).toHaveValue('1043');
  await expect(parameters.nth(2)).toHaveValue('shipped');
  await page.screenshot({ path: `${SHOTS}/template-from-order.png` });
  await page.keyboard.press('Escape');

  // The customer sends a catalog cart: the shop's names and picture, then a draft order.
  const cartStatus = await agentHub.webhook(
    messagesWebhook(
      orderMessage({
        items: [{ product_retailer_id: 'LS-M', quantity: 2, item_price: 39.5, currency: 'EUR' }],
      }),
    ),
  );
  expect(cartStatus).toBe(200);
  const cart = page.getByTestId('order-cart');
  await expect(cart.getByTestId('order-cart-title')).toHaveText('Linen shirt · M / Sand');
  await expect(cart.getByTestId('order-cart-picture')).toBeVisible();
  await cart.getByRole('button', { name: 'Create draft order in Northwind EU' }).click();
  await expect(cart.getByTestId('draft-order-created')).toContainText('Draft order #D1 created');
  expect(shopify.draftOrders.map((d) => d.name)).toEqual(['#D1']);
  await page.screenshot({ path: `${SHOTS}/catalog-cart-draft.png` });
  expect(problems).toEqual([]);
});
