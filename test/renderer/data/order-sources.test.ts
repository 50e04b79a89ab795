import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cachedOrdersOf,
  createDataLayer,
  type DataLayer,
  type OrderSourceState,
} from '../../../src/renderer/src/data/data-layer';
import { openCache } from '../../../src/renderer/src/data/db';
import type { Order } from '../../../src/shared/domain/model';
import type { ShopView } from '../../../src/shared/protocol/shops';
import { ShopError } from '../../../src/server/orders/provider';
import type { RunningHub } from '../../../src/server/hub';
import { api, login, startTestHub } from '../../support/hub';
import { shopOrder, testShopAt, testShopKind, type TestShop } from '../../support/test-shop';
import { conversation } from '../fixtures';
import { createTestNetwork, meOf, newIndexedDb, type TestNetwork } from './support';

/**
 * The app's order lookup against a real hub with two connected shops (issue #17; the in-memory
 * test shop kind behind the hub's own service and routes): each source asked at once and told
 * as it answers, a failing shop's reason with its cached orders, refresh past the hub's cache,
 * links by number, and the search by number when a shop cannot be asked.
 */

let hub: RunningHub;
let token: string;
let eu: TestShop;
let us: TestShop;
let euId: string;
let usId: string;

async function customerConversation(id: string, phone: string): Promise<void> {
  await hub.db.query(
    `insert into customers (id, name, phone, email, country, created_at, updated_at)
     values ($1, 'Anna de Vries', $2, null, 'NL', 0, 0)`,
    [`cus_${id}`, phone],
  );
  await hub.db.query(
    `insert into conversations (id, channel, channel_account_id, customer_id,
       customer_external_id, last_message_at, created_at, updated_at)
     values ($1, 'whatsapp', 'acct', $2, $1, 0, 0, 0)`,
    [id, `cus_${id}`],
  );
}

async function connect(name: string, url: string, accessToken: string): Promise<string> {
  const res = await api<{ shop: ShopView }>(hub.url, token, '/api/admin/shops', {
    method: 'POST',
    body: { kind: 'shopify', name, url, credentials: { accessToken } },
  });
  expect(res.status).toBe(201);
  return res.body.shop.id;
}

beforeAll(async () => {
  hub = await startTestHub({ shops: { kinds: [testShopKind] } });
  token = await login(hub.url);
  eu = testShopAt('https://eu.acme.test', 'Acme EU', 'tok-eu');
  us = testShopAt('https://us.acme.test', 'Acme US', 'tok-us');
  eu.orders = [
    shopOrder('1001', { id: 'eu-1001', phone: '+31612345678' }),
    shopOrder('2001', { id: 'eu-2001', email: 'joe@example.com', phone: '+4915112345678' }),
  ];
  us.orders = [shopOrder('3001', { id: 'us-3001', phone: '+31612345678' })];
  euId = await connect('Acme EU', 'https://eu.acme.test', 'tok-eu');
  usId = await connect('Acme US', 'https://us.acme.test', 'tok-us');
  for (const id of ['c-live', 'c-fail', 'c-refresh', 'c-link', 'c-offline']) {
    await customerConversation(id, '+31612345678');
  }
});

afterAll(async () => {
  await hub?.close();
});

const layers: DataLayer[] = [];
afterEach(() => {
  eu.gate = null;
  eu.failWith = null;
  us.gate = null;
  us.failWith = null;
  for (const layer of layers.splice(0)) layer.close();
});

/** A data layer (not started: no sync) with the conversation cached as the sync would. */
async function layerFor(conversationId: string, network?: TestNetwork): Promise<DataLayer> {
  const layer = createDataLayer({
    hubUrl: hub.url,
    token,
    me: await meOf(hub.url, token),
    dexie: newIndexedDb(),
    fetch: network?.fetch,
  });
  layers.push(layer);
  await openCache(layer.db);
  await layer.db.conversations.put(
    conversation(conversationId, {
      customer: {
        id: `cus_${conversationId}`,
        name: 'Anna de Vries',
        phone: '+31612345678',
        email: null,
        country: 'NL',
        language: null,
      },
    }),
  );
  return layer;
}

const summary = (states: readonly OrderSourceState[] | null) =>
  states?.map((s) => `${s.name}:${s.state}${s.error ? ` (${s.error})` : ''}`);

const idsOf = (orders: readonly Order[]) => orders.map((o) => o.id).sort();

function hold(shop: TestShop): () => void {
  let open = (): void => undefined;
  shop.gate = new Promise<void>((resolve) => (open = resolve));
  return open;
}

describe('the order lookup per source', () => {
  it('asks every source at once and tells each answer as it comes', async () => {
    const layer = await layerFor('c-live');
    const releaseUs = hold(us);
    const seen: string[][] = [];
    const states = await layer.lookupOrders('c-live', {
      onSources: (now) => {
        seen.push(summary(now) ?? []);
        // The slow shop answers once the others have.
        if (now.filter((s) => s.state === 'ok').length === 2) releaseUs();
      },
    });
    expect(seen[0]).toEqual(['Built-in store:loading', 'Acme EU:loading', 'Acme US:loading']);
    expect(seen).toContainEqual(['Built-in store:ok', 'Acme EU:ok', 'Acme US:loading']);
    expect(summary(states)).toEqual(['Built-in store:ok', 'Acme EU:ok', 'Acme US:ok']);
    expect(states?.[1]).toMatchObject({ id: euId, kind: 'shopify', stale: false });
    const cached = await cachedOrdersOf(layer.db, 'cus_c-live');
    expect(idsOf(cached)).toEqual(['eu-1001', 'us-3001']);
    expect(cached.find((o) => o.id === 'us-3001')).toMatchObject({
      provider: usId,
      shopName: 'Acme US',
    });
  });

  it('keeps a failing shop’s orders, with the shop’s reason and when they were fetched', async () => {
    const layer = await layerFor('c-fail');
    const first = await layer.lookupOrders('c-fail');
    eu.failWith = new ShopError('unauthorized', 'Shopify refused the access token (401).', 401);
    const states = await layer.lookupOrders('c-fail', { refresh: true });
    expect(summary(states)).toEqual([
      'Built-in store:ok',
      'Acme EU:error (Shopify refused the access token (401).)',
      'Acme US:ok',
    ]);
    expect(states?.[1]?.stale).toBe(true);
    expect(states?.[1]?.fetchedAt).toBe(first?.[1]?.fetchedAt);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-fail'))).toEqual(['eu-1001', 'us-3001']);
  });

  it('asks the shops again past the hub’s cache on refresh', async () => {
    const layer = await layerFor('c-refresh');
    await layer.lookupOrders('c-refresh');
    const calls = () => us.calls.filter((c) => c.method === 'findByCustomer').length;
    const before = calls();
    await layer.lookupOrders('c-refresh');
    expect(calls()).toBe(before);
    await layer.lookupOrders('c-refresh', { refresh: true });
    expect(calls()).toBe(before + 1);
  });

  it('rejects when the hub cannot be reached, and the cache still has the orders', async () => {
    const network = createTestNetwork();
    const layer = await layerFor('c-offline', network);
    await layer.lookupOrders('c-offline');
    network.down();
    await expect(layer.lookupOrders('c-offline')).rejects.toThrow('The hub cannot be reached.');
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-offline'))).toEqual(['eu-1001', 'us-3001']);
  });
});

describe('linking an order to the customer', () => {
  it('links an order found by number; it stays among the customer’s until unlinked', async () => {
    const layer = await layerFor('c-link');
    const [found] = await layer.searchOrders('#2001');
    expect(found).toMatchObject({ id: 'eu-2001', provider: euId, shopName: 'Acme EU' });
    const linked = await layer.linkOrder('c-link', euId, '2001');
    expect(linked.id).toBe('eu-2001');
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-link'))).toEqual(['eu-2001']);

    const states = await layer.lookupOrders('c-link');
    expect(states?.find((s) => s.id === euId)?.linkedNumbers).toEqual(['2001']);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-link'))).toEqual([
      'eu-1001',
      'eu-2001',
      'us-3001',
    ]);

    await layer.unlinkOrder('c-link', euId, '2001');
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-link'))).toEqual(['eu-1001', 'us-3001']);
    const after = await layer.lookupOrders('c-link');
    expect(after?.find((s) => s.id === euId)?.linkedNumbers).toEqual([]);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus_c-link'))).toEqual(['eu-1001', 'us-3001']);
  });

  it('says why the hub refused a link', async () => {
    const layer = await layerFor('c-link');
    await expect(layer.linkOrder('c-link', usId, '4040')).rejects.toThrow(
      'No order #4040 in this shop.',
    );
  });

  it('does not call an order missing when a shop could not be searched', async () => {
    const layer = await layerFor('c-link');
    us.failWith = new ShopError('unavailable', 'Acme US is down (503).', 503);
    await expect(layer.searchOrders('9999')).rejects.toThrow('Acme US: Acme US is down (503).');
    // Found elsewhere: the results show.
    expect((await layer.searchOrders('1001')).map((o) => o.id)).toEqual(['eu-1001']);
  });
});
