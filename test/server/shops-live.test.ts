import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain/model';
import type { ShopView, SourceOrders } from '../../src/shared/protocol/shops';
import type { RunningHub } from '../../src/server/hub';
import { startFakeShopify, type FakeShopify } from '../support/fake-shopify';
import { startFakeWooCommerce, type FakeWooCommerce } from '../support/fake-woocommerce';
import { api, login, startTestHub } from '../support/hub';

/**
 * Issue #17 end to end in the hub: an admin connects a Shopify and a WooCommerce shop (the
 * fakes, real HTTP), agents see a customer's orders from both with tracking, Shopify's
 * throttle is waited out, a refused token shows the reason beside the cached orders, product
 * pictures come through the hub, and a catalog cart becomes a Shopify draft order.
 */

const TOKEN = 'shpat_live_0123456789';
const KEY = 'ck_live_0123456789';
const SECRET = 'cs_live_0123456789';
// The smallest PNG: the signature, IHDR, IDAT, IEND.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

let hub: RunningHub;
let admin: string;
let shopify: FakeShopify;
let woo: FakeWooCommerce;
let cdn: http.Server;
let cdnUrl: string;
const waits: number[] = [];
let shopifyId: string;
let wooId: string;

const lookup = (source: string, refresh = false) =>
  api<SourceOrders>(
    hub.url,
    admin,
    `/api/orders?conversation=wa1&source=${source}${refresh ? '&refresh=1' : ''}`,
  );

const tracking = (orders: readonly Order[]) =>
  orders.map((o) => [
    o.number,
    o.shopName,
    o.fulfillments.map((f) => [f.carrier, f.trackingNumber, f.trackingUrl]),
  ]);

beforeAll(async () => {
  cdn = http.createServer((req, res) => {
    if (req.url === '/mug.png') {
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
      res.end(PNG);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => cdn.listen(0, '127.0.0.1', resolve));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;

  shopify = await startFakeShopify({ token: TOKEN, shopName: 'Acme EU' });
  const ann = shopify.seedCustomer({
    displayName: 'Ann Jansen',
    phone: '+31612345678',
    country: 'NL',
  });
  shopify.seedOrder({
    name: '#1001',
    customerId: ann.id,
    createdAt: '2026-11-20T10:00:00Z',
    total: '59.90',
    fulfillmentStatus: 'FULFILLED',
    lineItems: [{ title: 'Mug', quantity: 2, price: '29.95', imageUrl: `${cdnUrl}/mug.png` }],
    fulfillments: [
      {
        displayStatus: 'IN_TRANSIT',
        tracking: [
          { company: 'PostNL', number: '3SABC123', url: 'https://postnl.example/3SABC123' },
        ],
      },
    ],
  });
  shopify.seedVariant({ productTitle: 'Mug', title: 'Blue', sku: 'MUG-BLUE', price: '29.95' });

  woo = await startFakeWooCommerce({ key: KEY, secret: SECRET, siteName: 'Acme Outlet' });
  woo.seedOrder({
    id: 77,
    number: '2002',
    status: 'processing',
    date_created_gmt: '2026-11-25T08:00:00',
    billing: { first_name: 'Ann', last_name: 'Jansen', phone: '06 1234 5678', country: 'NL' },
    line_items: [{ name: 'Tea towel', quantity: 1, price: 12.5 }],
    tracking: [
      {
        tracking_provider: 'DHL',
        tracking_number: 'JJD000123',
        tracking_link: 'https://dhl.example/JJD000123',
      },
    ],
  });

  hub = await startTestHub({
    shops: {
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
  });
  admin = await login(hub.url);
  await hub.db.query(
    `insert into customers (id, name, phone, country, created_at, updated_at)
     values ('cus_ann', 'Ann Jansen', '+31612345678', 'NL', 0, 0)`,
  );
  await hub.db.query(
    `insert into conversations (id, channel, channel_account_id, customer_id,
       customer_external_id, last_message_at, created_at, updated_at)
     values ('wa1', 'whatsapp', 'acct', 'cus_ann', '31612345678', 0, 0, 0)`,
  );
});

afterAll(async () => {
  await hub?.close();
  await shopify?.close();
  await woo?.close();
  await new Promise((resolve) => cdn?.close(resolve));
});

describe('two real shop kinds through the hub', () => {
  it('connects both, and each test names the shop', async () => {
    const a = await api<{ shop: ShopView }>(hub.url, admin, '/api/admin/shops', {
      method: 'POST',
      body: {
        kind: 'shopify',
        name: 'Shopify EU',
        url: shopify.url,
        credentials: { accessToken: TOKEN },
      },
    });
    const b = await api<{ shop: ShopView }>(hub.url, admin, '/api/admin/shops', {
      method: 'POST',
      body: {
        kind: 'woocommerce',
        name: 'Outlet',
        url: woo.url,
        credentials: { consumerKey: KEY, consumerSecret: SECRET },
      },
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    shopifyId = a.body.shop.id;
    wooId = b.body.shop.id;
    expect(b.body.shop.credentials).toEqual({
      consumerKey: { set: true },
      consumerSecret: { set: true },
    });
    const tests = await Promise.all(
      [shopifyId, wooId].map((id) =>
        api(hub.url, admin, `/api/admin/shops/${id}/test`, { method: 'POST' }),
      ),
    );
    expect(tests.map((t) => t.body)).toEqual([
      { ok: true, shopName: 'Acme EU' },
      { ok: true, shopName: 'Acme Outlet' },
    ]);
    const listed = await api(hub.url, admin, '/api/admin/shops');
    const text = JSON.stringify(listed.body);
    for (const secret of [TOKEN, KEY, SECRET]) expect(text).not.toContain(secret);
  });

  it('shows the customer’s orders from both shops, with tracking', async () => {
    const [fromShopify, fromWoo] = await Promise.all([lookup(shopifyId), lookup(wooId)]);
    expect(tracking(fromShopify.body.orders)).toEqual([
      ['1001', 'Shopify EU', [['PostNL', '3SABC123', 'https://postnl.example/3SABC123']]],
    ]);
    // WooCommerce keeps the phone as typed, national: read in the order's country.
    expect(tracking(fromWoo.body.orders)).toEqual([
      ['2002', 'Outlet', [['DHL', 'JJD000123', 'https://dhl.example/JJD000123']]],
    ]);
    const all = await api<{ orders: Order[] }>(hub.url, admin, '/api/orders?conversation=wa1');
    expect(all.body.orders.map((o) => o.number)).toEqual(['2002', '1001']);
  });

  it('waits out Shopify’s throttle and then answers', async () => {
    waits.length = 0;
    // The phone lookup's first query (customers by phone, 7 points) finds the bucket empty.
    shopify.throttleNext(1, { available: 0 });
    const answer = await lookup(shopifyId, true);
    expect(answer.body.source.state).toBe('ok');
    expect(answer.body.orders.map((o) => o.number)).toEqual(['1001']);
    // (7 requested − 0 available) / 100 points per second.
    expect(waits).toEqual([70]);
  });

  it('shows a refused token’s reason beside the cached orders', async () => {
    shopify.answerNext({
      status: 401,
      body: {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      },
    });
    const refused = await lookup(shopifyId, true);
    expect(refused.status).toBe(200);
    expect(refused.body.source).toMatchObject({
      state: 'error',
      error: 'Shopify refused the access token (401).',
      stale: true,
    });
    expect(refused.body.orders.map((o) => o.number)).toEqual(['1001']);
    expect(JSON.stringify(refused.body)).not.toContain(TOKEN);
  });

  it('hands the app a shop’s product picture, and nothing else', async () => {
    const src = encodeURIComponent(`${cdnUrl}/mug.png`);
    const res = await fetch(`${hub.url}/api/orders/image?src=${src}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    const other = encodeURIComponent(`${cdnUrl}/secret.png`);
    const refused = await api(hub.url, admin, `/api/orders/image?src=${other}`);
    expect(refused.status).toBe(404);
    const anonymous = await fetch(`${hub.url}/api/orders/image?src=${src}`);
    expect(anonymous.status).toBe(401);
  });

  it('resolves a catalog cart and makes it a Shopify draft order', async () => {
    const products = await api<{
      products: { retailerId: string; title: string; variant: string | null }[];
      sources: { id: string; drafts: boolean }[];
    }>(hub.url, admin, '/api/orders/products?conversation=wa1&ids=MUG-BLUE');
    expect(products.body.products.map((p) => [p.retailerId, p.title, p.variant])).toEqual([
      ['MUG-BLUE', 'Mug', 'Blue'],
    ]);
    expect(products.body.sources).toEqual([
      { id: shopifyId, name: 'Shopify EU', kind: 'shopify', drafts: true },
    ]);
    const draft = await api<{ draft: { name: string; adminUrl: string } }>(
      hub.url,
      admin,
      '/api/orders/drafts',
      {
        method: 'POST',
        body: {
          conversation: 'wa1',
          source: shopifyId,
          lines: [{ retailerId: 'MUG-BLUE', quantity: 2 }],
        },
      },
    );
    expect(draft.status).toBe(201);
    expect(draft.body.draft.name).toBe('#D1');
    expect(shopify.draftOrders.map((d) => d.name)).toEqual(['#D1']);
  });
});
