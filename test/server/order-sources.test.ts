import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain/model';
import type { ShopView, SourceOrders } from '../../src/shared/protocol/shops';
import { ShopError } from '../../src/server/orders/provider';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub } from '../support/hub';
import { shopOrder, testShopAt, testShopKind, type TestShop } from '../support/test-shop';
import { until } from '../support/until';

/**
 * Order sources through the hub (issue #17): shops connected by an admin, looked up per
 * conversation with the hub's cache, failures, links and catalog products. The shop is the
 * in-memory test kind (test/support/test-shop.ts); Shopify and WooCommerce against their fakes
 * are in shopify-provider / woocommerce-provider and shops-live.
 */

const T0 = Date.parse('2026-12-01T09:00:00Z');
const FRESH_MS = 60_000;
const SHOP_URL = 'https://acme.shop.test';

let hub: RunningHub;
let admin: string;
let agent: string;
let clock = T0;
let shop: TestShop;

async function conversation(id: string, channel: string, phone: string | null): Promise<void> {
  await hub.db.query(
    `insert into customers (id, name, phone, email, country, created_at, updated_at)
     values ($1, $2, $3, null, 'NL', 0, 0)`,
    [`cus_${id}`, `Customer ${id}`, phone],
  );
  await hub.db.query(
    `insert into conversations (id, channel, channel_account_id, customer_id,
       customer_external_id, last_message_at, created_at, updated_at)
     values ($1, $2, 'acct', $3, $1, 0, 0, 0)`,
    [id, channel, `cus_${id}`],
  );
}

async function connect(body: Record<string, unknown>): Promise<ShopView> {
  const res = await api<{ shop: ShopView }>(hub.url, admin, '/api/admin/shops', {
    method: 'POST',
    body,
  });
  expect(res.status).toBe(201);
  return res.body.shop;
}

const lookup = (conversationId: string, source: string, refresh = false) =>
  api<SourceOrders>(
    hub.url,
    agent,
    `/api/orders?conversation=${conversationId}&source=${source}${refresh ? '&refresh=1' : ''}`,
  );

const numbers = (orders: readonly Order[]): string[] => orders.map((o) => o.number);

beforeAll(async () => {
  hub = await startTestHub({
    now: () => clock,
    shops: { kinds: [testShopKind], freshMs: FRESH_MS },
  });
  admin = await login(hub.url);
  const created = await api(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: {
      email: 'agent@shop.example',
      name: 'Agent',
      role: 'agent',
      password: 'a long enough password',
    },
  });
  expect(created.status).toBe(201);
  agent = await login(hub.url, { email: 'agent@shop.example', password: 'a long enough password' });
  shop = testShopAt(SHOP_URL, 'Acme EU', 'tok-secret-123');
  shop.orders = [
    shopOrder('1001', { createdAt: T0 - 3 * 86_400_000 }),
    shopOrder('1002', { createdAt: T0 - 86_400_000 }),
    shopOrder('2001', { email: 'someone@else.example', phone: '+4915112345678' }),
  ];
  shop.products = [
    {
      retailerId: 'LS-1',
      title: 'Linen shirt',
      variant: 'M',
      sku: 'LS-1',
      imageUrl: 'https://cdn.shop.test/ls.jpg',
      price: 40,
      currency: 'EUR',
    },
  ];
  await conversation('wa1', 'whatsapp', '+31612345678');
  await conversation('ms1', 'messenger', '+31612345678');
  await conversation('tg1', 'telegram', null);
});

afterAll(async () => {
  await hub?.close();
});

describe('connecting a shop', () => {
  let id: string;

  it('keeps the credentials write-only and sealed', async () => {
    const created = await connect({
      kind: 'shopify',
      url: `${SHOP_URL}/`,
      credentials: { accessToken: 'tok-secret-123' },
      channels: ['whatsapp', 'telegram'],
    });
    id = created.id;
    expect(created).toMatchObject({
      kind: 'shopify',
      name: 'acme.shop.test',
      url: SHOP_URL,
      channels: ['whatsapp', 'telegram'],
      enabled: true,
      credentials: { accessToken: { set: true } },
      shopName: null,
      lastError: null,
    });
    const listed = await api<{ shops: ShopView[]; kinds: unknown[] }>(
      hub.url,
      admin,
      '/api/admin/shops',
    );
    expect(listed.body.kinds).toEqual([
      {
        kind: 'shopify',
        label: 'Test shop',
        urlExample: 'https://shop.test',
        credentials: [{ key: 'accessToken', label: 'access token', hint: 'Any.' }],
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain('tok-secret-123');
    const { rows } = await hub.db.query<{ credentials: unknown }>('select credentials from shops');
    expect(JSON.stringify(rows)).not.toContain('tok-secret-123');
    expect(JSON.stringify(rows)).toContain('enc:v1:');
  });

  it('names each bad field and stores nothing', async () => {
    const before = await hub.db.query('select id from shops');
    const bad = await api<{ details: { fields: { path: string; message: string }[] } }>(
      hub.url,
      admin,
      '/api/admin/shops',
      { method: 'POST', body: { kind: 'shopify', url: 'http://acme.example', credentials: {} } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual([
      { path: 'url', message: 'The shop’s address must start with https://.' },
      { path: 'credentials.accessToken', message: 'Enter the access token.' },
    ]);
    const unknown = await api(hub.url, admin, '/api/admin/shops', {
      method: 'POST',
      body: { kind: 'magento', url: SHOP_URL, credentials: { accessToken: 'x' } },
    });
    expect(unknown.status).toBe(400);
    expect((await hub.db.query('select id from shops')).rows).toEqual(before.rows);
  });

  it('lets only admins see or change shops', async () => {
    expect((await api(hub.url, agent, '/api/admin/shops')).status).toBe(403);
    const change = await api(hub.url, agent, `/api/admin/shops/${id}`, {
      method: 'PATCH',
      body: { name: 'Mine' },
    });
    expect(change.status).toBe(403);
    expect(
      (await api(hub.url, agent, `/api/admin/shops/${id}/test`, { method: 'POST' })).status,
    ).toBe(403);
  });

  it('tests the connection: the shop’s name, or the exact reason', async () => {
    const good = await api(hub.url, admin, `/api/admin/shops/${id}/test`, { method: 'POST' });
    expect(good.body).toEqual({ ok: true, shopName: 'Acme EU' });
    const wrong = await connect({
      kind: 'shopify',
      name: 'Wrong token',
      url: SHOP_URL,
      credentials: { accessToken: 'tok-wrong' },
    });
    const refused = await api(hub.url, admin, `/api/admin/shops/${wrong.id}/test`, {
      method: 'POST',
    });
    expect(refused.body).toEqual({ ok: false, error: 'The shop refused the access token (401).' });
    const listed = await api<{ shops: ShopView[] }>(hub.url, admin, '/api/admin/shops');
    expect(
      listed.body.shops.map((s) => [s.name, s.shopName, s.lastError?.message ?? null]),
    ).toEqual([
      ['acme.shop.test', 'Acme EU', null],
      ['Wrong token', null, 'The shop refused the access token (401).'],
    ]);
    const removed = await api(hub.url, admin, `/api/admin/shops/${wrong.id}`, { method: 'DELETE' });
    expect(removed.body).toEqual({ deleted: wrong.id });
    expect(
      (await api(hub.url, admin, `/api/admin/shops/${wrong.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
  });
});

describe('looking up a conversation’s orders', () => {
  let shopId: string;

  beforeAll(async () => {
    const listed = await api<{ shops: ShopView[] }>(hub.url, admin, '/api/admin/shops');
    shopId = listed.body.shops[0]?.id ?? '';
  });

  it('lists the sources serving the conversation’s channel', async () => {
    const wa = await api(hub.url, agent, '/api/orders/sources?conversation=wa1');
    expect(wa.body).toEqual({
      sources: [
        { id: 'demo', name: 'Built-in store', kind: 'demo' },
        { id: shopId, name: 'acme.shop.test', kind: 'shopify' },
      ],
    });
    const ms = await api(hub.url, agent, '/api/orders/sources?conversation=ms1');
    expect(ms.body).toEqual({ sources: [{ id: 'demo', name: 'Built-in store', kind: 'demo' }] });
    expect((await lookup('ms1', shopId)).status).toBe(404);
  });

  it('answers from the shop, then from the cache, and refreshes on request', async () => {
    shop.calls = [];
    const first = await lookup('wa1', shopId);
    expect(first.status).toBe(200);
    expect(numbers(first.body.orders)).toEqual(['1002', '1001']);
    expect(first.body.orders[0]).toMatchObject({ provider: shopId, shopName: 'acme.shop.test' });
    expect(first.body.source).toEqual({
      id: shopId,
      name: 'acme.shop.test',
      kind: 'shopify',
      state: 'ok',
      error: null,
      fetchedAt: T0,
      stale: false,
    });
    clock = T0 + 10_000;
    const cached = await lookup('wa1', shopId);
    expect(cached.body.source.fetchedAt).toBe(T0);
    expect(shop.calls).toHaveLength(1);
    const fresh = await lookup('wa1', shopId, true);
    expect(fresh.body.source.fetchedAt).toBe(T0 + 10_000);
    expect(shop.calls).toHaveLength(2);
  });

  it('refreshes in the background once half the cache time is up', async () => {
    shop.calls = [];
    clock = T0 + 10_000 + FRESH_MS / 2 + 1;
    const served = await lookup('wa1', shopId);
    expect(served.body.source.fetchedAt).toBe(T0 + 10_000);
    const calls = await until(
      async () => shop.calls.length,
      (n) => n === 1,
    );
    expect(calls).toBe(1);
    const next = await until(
      async () => (await lookup('wa1', shopId)).body.source.fetchedAt,
      (at) => at === clock,
    );
    expect(next).toBe(clock);
  });

  it('asks the shop once for agents looking at the same customer together', async () => {
    shop.calls = [];
    let open = (): void => undefined;
    shop.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const answers = Promise.all([lookup('wa1', shopId, true), lookup('wa1', shopId, true)]);
    await until(
      async () => shop.calls.length,
      (n) => n >= 1,
    );
    open();
    shop.gate = null;
    const [a, b] = await answers;
    expect(numbers(a.body.orders)).toEqual(['1002', '1001']);
    expect(numbers(b.body.orders)).toEqual(['1002', '1001']);
    expect(shop.calls).toEqual([{ method: 'findByCustomer', arg: '+31612345678|' }]);
  });

  it('gives the reason and the cached orders when the shop fails', async () => {
    const before = (await lookup('wa1', shopId)).body.source.fetchedAt;
    shop.failWith = new ShopError('unavailable', 'The shop is down (503).', 503);
    clock += FRESH_MS + 1;
    const failed = await lookup('wa1', shopId);
    shop.failWith = null;
    expect(failed.status).toBe(200);
    expect(numbers(failed.body.orders)).toEqual(['1002', '1001']);
    expect(failed.body.source).toMatchObject({
      state: 'error',
      error: 'The shop is down (503).',
      fetchedAt: before,
      stale: true,
    });
    const listed = await api<{ shops: ShopView[] }>(hub.url, admin, '/api/admin/shops');
    expect(listed.body.shops[0]?.lastError).toEqual({
      message: 'The shop is down (503).',
      at: clock,
    });
    // All at once: the built-in store and the shop, merged, with each source's state.
    const all = await api<{ orders: Order[]; sources: { id: string; state: string }[] }>(
      hub.url,
      agent,
      '/api/orders?conversation=wa1',
    );
    expect(all.body.sources.map((s) => [s.id, s.state])).toEqual([
      ['demo', 'ok'],
      [shopId, 'ok'],
    ]);
    expect(numbers(all.body.orders)).toEqual(['1002', '1001']);
  });

  it('deletes cached answers older than 30 days as new ones are written', async () => {
    await hub.db.query(
      `insert into shop_lookups (source_id, customer_key, orders, fetched_at)
       values ($1, 'c:gone', '[]', $2), ($1, 'c:kept', '[]', $3)`,
      [shopId, clock - 31 * 86_400_000, clock - 29 * 86_400_000],
    );
    clock += 3_600_001;
    await lookup('wa1', shopId, true);
    const { rows } = await hub.db.query<{ customer_key: string }>(
      `select customer_key from shop_lookups where customer_key in ('c:gone', 'c:kept')`,
    );
    expect(rows.map((r) => r.customer_key)).toEqual(['c:kept']);
  });

  it('has nothing to look up for a customer without phone or email, without asking', async () => {
    shop.calls = [];
    const none = await lookup('tg1', shopId);
    expect(none.body.orders).toEqual([]);
    expect(none.body.source.state).toBe('ok');
    expect(shop.calls).toEqual([]);
  });

  it('links an order by number to the customer, and unlinks it', async () => {
    const missing = await api(hub.url, agent, '/api/orders/links', {
      method: 'POST',
      body: { conversation: 'tg1', source: shopId, number: '#9999' },
    });
    expect(missing.status).toBe(404);
    const linked = await api<{ order: Order }>(hub.url, agent, '/api/orders/links', {
      method: 'POST',
      body: { conversation: 'tg1', source: shopId, number: '#2001' },
    });
    expect(linked.status).toBe(201);
    expect(linked.body.order).toMatchObject({ number: '2001', provider: shopId });
    const after = await lookup('tg1', shopId);
    expect(numbers(after.body.orders)).toEqual(['2001']);
    expect(after.body.linkedNumbers).toEqual(['2001']);
    const unlinked = await api(
      hub.url,
      agent,
      `/api/orders/links?conversation=tg1&source=${shopId}&number=2001`,
      { method: 'DELETE' },
    );
    expect(unlinked.body).toEqual({ unlinked: true });
    expect(numbers((await lookup('tg1', shopId)).body.orders)).toEqual([]);
  });

  it('finds an order by number in every shop, and a catalog order’s products', async () => {
    const found = await api<{ orders: Order[] }>(hub.url, agent, '/api/orders?number=%231001');
    expect(found.body.orders.map((o) => [o.number, o.provider, o.shopName])).toEqual([
      ['1001', shopId, 'acme.shop.test'],
    ]);
    const products = await api(
      hub.url,
      agent,
      '/api/orders/products?conversation=wa1&ids=LS-1,NOPE',
    );
    expect(products.body).toEqual({
      products: [
        {
          source: shopId,
          retailerId: 'LS-1',
          title: 'Linen shirt',
          variant: 'M',
          sku: 'LS-1',
          imageUrl: 'https://cdn.shop.test/ls.jpg',
          price: 40,
          currency: 'EUR',
        },
      ],
      sources: [{ id: shopId, name: 'acme.shop.test', kind: 'shopify', drafts: false }],
    });
    const draft = await api(hub.url, agent, '/api/orders/drafts', {
      method: 'POST',
      body: { conversation: 'wa1', source: shopId, lines: [{ retailerId: 'LS-1', quantity: 1 }] },
    });
    expect(draft.status).toBe(400);
    expect(draft.body).toMatchObject({
      message: 'Test shop shops cannot make draft orders from here.',
    });
  });

  it('forgets the cache and the last test when the token changes', async () => {
    const changed = await api<{ shop: ShopView }>(hub.url, admin, `/api/admin/shops/${shopId}`, {
      method: 'PATCH',
      body: { credentials: { accessToken: 'tok-rotated' }, name: 'Acme' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.shop).toMatchObject({
      name: 'Acme',
      shopName: null,
      credentials: { accessToken: { set: true } },
    });
    const refused = await lookup('wa1', shopId);
    expect(refused.body.source).toMatchObject({
      state: 'error',
      error: 'The shop refused the access token (401).',
      stale: false,
    });
    expect(refused.body.orders).toEqual([]);
    shop.token = 'tok-rotated';
    expect(numbers((await lookup('wa1', shopId, true)).body.orders)).toEqual(['1002', '1001']);
  });
});
