import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  cachedOrdersOf,
  createDataLayer,
  type DataLayer,
  type OrderSourceState,
} from '../../../src/renderer/src/data/data-layer';
import { openCache } from '../../../src/renderer/src/data/db';
import type { Order } from '../../../src/shared/domain/model';
import { conversation, T0 } from '../fixtures';
import { order } from '../orders/fixtures';
import { newIndexedDb } from './support';

/**
 * The app's order lookup against a local HTTP fake of the hub's order routes as
 * notes/shops-api.md writes them (issue #17): GET /api/orders/sources?conversation=, GET
 * /api/orders?conversation=&source=[&refresh=1] (200 with state 'error' and the hub's cached
 * orders when a shop fails), POST / DELETE /api/orders/links, and an older hub without sources
 * (404) that answers GET /api/orders?conversation= merged.
 */

const TOKEN = 'session-token-orders';
const SOURCES = [
  { id: 'demo', name: 'Built-in store', kind: 'demo' },
  { id: 'shop-eu', name: 'Acme EU', kind: 'shopify' },
  { id: 'shop-us', name: 'Acme US', kind: 'woocommerce' },
];

const demoOrder = order('o-demo', { provider: 'demo', number: '1001' });
const euOrder = order('o-eu', { provider: 'shop-eu', number: '#2001', shopName: 'Acme EU' });
const usOrder = order('o-us', { provider: 'shop-us', number: '3001', shopName: 'Acme US' });
const usLinked = order('o-us-linked', {
  provider: 'shop-us',
  number: '3999',
  shopName: 'Acme US',
  email: 'someone-else@example.com',
});

interface SourceAnswer {
  orders: Order[];
  state: 'ok' | 'error';
  error: string | null;
  fetchedAt: number | null;
  stale: boolean;
}

let server: Server;
let hubUrl: string;
const requests: { method: string; path: string; body: unknown }[] = [];
/** Per source: what it answers now, and a gate the test opens to let it answer. */
let answers: Map<string, SourceAnswer>;
let gates: Map<string, Promise<void>>;
let olderHub = false;

function ok(orders: Order[]): SourceAnswer {
  return { orders, state: 'ok', error: null, fetchedAt: T0, stale: false };
}

function json(res: ServerResponse, status: number, body?: unknown): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      const body: unknown = raw === '' ? undefined : JSON.parse(raw);
      const url = new URL(req.url ?? '/', 'http://hub');
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        json(res, 401, { error: 'unauthorized', message: 'Sign in again.' });
        return;
      }
      if (url.pathname === '/api/orders/sources') {
        if (olderHub) json(res, 404, { error: 'not_found', message: 'No such route.' });
        else json(res, 200, { sources: SOURCES });
        return;
      }
      if (url.pathname === '/api/orders' && req.method === 'GET') {
        const sourceId = url.searchParams.get('source');
        if (sourceId === null) {
          json(res, 200, { orders: [demoOrder, euOrder] });
          return;
        }
        const source = SOURCES.find((s) => s.id === sourceId);
        const answer = answers.get(sourceId);
        if (!source || !answer) {
          json(res, 404, { error: 'not_found', message: 'No such source.' });
          return;
        }
        void (gates.get(sourceId) ?? Promise.resolve()).then(() =>
          json(res, 200, {
            orders: answer.orders,
            source: { ...source, ...answer, orders: undefined },
          }),
        );
        return;
      }
      if (url.pathname === '/api/orders/links') {
        const link = body as { conversation: string; source: string; number: string };
        if (req.method === 'DELETE') {
          json(res, 204);
          return;
        }
        if (link.source === 'shop-us' && link.number === '3999') {
          json(res, 201, { order: usLinked });
          return;
        }
        json(res, 404, { error: 'not_found', message: `Acme US has no order ${link.number}.` });
        return;
      }
      json(res, 404, { error: 'not_found', message: 'No such route.' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const layers: DataLayer[] = [];
let hubUp = true;

beforeEach(() => {
  requests.length = 0;
  olderHub = false;
  hubUp = true;
  answers = new Map([
    ['demo', ok([demoOrder])],
    ['shop-eu', ok([euOrder])],
    ['shop-us', ok([usOrder])],
  ]);
  gates = new Map();
});

afterEach(() => {
  for (const layer of layers.splice(0)) layer.close();
});

const chat = conversation('c1', {
  customer: {
    id: 'cus-anna',
    name: 'Anna de Vries',
    phone: '+31612345678',
    email: 'anna@example.com',
    country: 'NL',
    language: null,
  },
});

/** A data layer (never started: no sync) with the conversation cached. */
async function layerWithConversation(): Promise<DataLayer> {
  const layer = createDataLayer({
    hubUrl,
    token: TOKEN,
    me: { id: 'me', name: 'Maya', role: 'agent', email: null },
    dexie: newIndexedDb(),
    fetch: (input, init) =>
      hubUp ? fetch(input, init) : Promise.reject(new TypeError('Failed to fetch')),
  });
  layers.push(layer);
  await openCache(layer.db);
  await layer.db.conversations.put(chat);
  return layer;
}

const summary = (states: readonly OrderSourceState[] | null) =>
  states?.map((s) => `${s.id}:${s.state}${s.error ? ` (${s.error})` : ''}`);

const idsOf = (orders: readonly Order[]) => orders.map((o) => o.id).sort();

function gate(sourceId: string): () => void {
  let open = (): void => undefined;
  gates.set(sourceId, new Promise<void>((resolve) => (open = resolve)));
  return open;
}

describe('the order lookup per source', () => {
  it('asks every source at once and tells each answer as it comes', async () => {
    const layer = await layerWithConversation();
    const releaseUs = gate('shop-us');
    const seen: string[][] = [];
    const done = layer.lookupOrders('c1', {
      onSources: (states) => {
        seen.push(summary(states) ?? []);
        // The slow shop answers once the two others have.
        if (states.filter((s) => s.state === 'ok').length === 2) releaseUs();
      },
    });
    const states = await done;
    expect(seen[0]).toEqual(['demo:loading', 'shop-eu:loading', 'shop-us:loading']);
    expect(seen).toContainEqual(
      expect.arrayContaining(['demo:ok', 'shop-eu:ok', 'shop-us:loading']),
    );
    expect(seen.at(-1)).toEqual(['demo:ok', 'shop-eu:ok', 'shop-us:ok']);
    expect(summary(states)).toEqual(['demo:ok', 'shop-eu:ok', 'shop-us:ok']);
    expect(states?.[1]).toEqual({
      id: 'shop-eu',
      name: 'Acme EU',
      kind: 'shopify',
      state: 'ok',
      error: null,
      fetchedAt: T0,
      stale: false,
    });
    expect(requests.map((r) => r.path).sort()).toEqual([
      '/api/orders/sources?conversation=c1',
      '/api/orders?conversation=c1&source=demo',
      '/api/orders?conversation=c1&source=shop-eu',
      '/api/orders?conversation=c1&source=shop-us',
    ]);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-demo', 'o-eu', 'o-us']);
  });

  it('keeps a failing shop’s cached orders, with the hub’s reason, and prunes only answered shops', async () => {
    const layer = await layerWithConversation();
    await layer.lookupOrders('c1');
    // Next time: Acme US refuses the token and the hub has nothing cached; Acme EU no longer
    // finds the customer's order.
    answers.set('shop-us', {
      orders: [],
      state: 'error',
      error: 'Shopify refused the access token (401).',
      fetchedAt: T0 - 60_000,
      stale: true,
    });
    answers.set('shop-eu', ok([]));
    const states = await layer.lookupOrders('c1');
    expect(summary(states)).toEqual([
      'demo:ok',
      'shop-eu:ok',
      'shop-us:error (Shopify refused the access token (401).)',
    ]);
    expect(states?.[2]?.fetchedAt).toBe(T0 - 60_000);
    expect(states?.[2]?.stale).toBe(true);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-demo', 'o-us']);
  });

  it('asks past the hub’s cache on refresh', async () => {
    const layer = await layerWithConversation();
    await layer.lookupOrders('c1', { refresh: true });
    expect(requests.filter((r) => r.path.includes('source=')).map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/orders?conversation=c1&source=demo&refresh=1',
        '/api/orders?conversation=c1&source=shop-eu&refresh=1',
        '/api/orders?conversation=c1&source=shop-us&refresh=1',
      ]),
    );
    expect(requests).toHaveLength(4);
  });

  it('falls back to the merged lookup on an older hub without sources', async () => {
    olderHub = true;
    const layer = await layerWithConversation();
    expect(await layer.lookupOrders('c1')).toBeNull();
    expect(requests.map((r) => r.path)).toEqual([
      '/api/orders/sources?conversation=c1',
      '/api/orders?conversation=c1',
    ]);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-demo', 'o-eu']);
  });

  it('rejects when the hub cannot be reached, and the cache still has the orders', async () => {
    const layer = await layerWithConversation();
    await layer.lookupOrders('c1');
    hubUp = false;
    await expect(layer.lookupOrders('c1')).rejects.toThrow('The hub cannot be reached.');
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-demo', 'o-eu', 'o-us']);
  });

  it('reads orders cached before the shop details with their defaults', async () => {
    const layer = await layerWithConversation();
    const {
      shopName: _shop,
      financialStatus: _financial,
      fulfillmentStatus: _fulfillment,
      shippingAddress: _address,
      shipping: _shipping,
      fulfillments: _fulfillments,
      refunds: _refunds,
      returns: _returns,
      notes: _notes,
      adminUrl: _admin,
      ...before
    } = demoOrder;
    await layer.db.orders.put({
      ...before,
      items: before.items.map(({ variant: _v, imageUrl: _i, ...item }) => item),
      customerKeys: ['customer:cus-anna'],
    } as never);
    const [read] = await cachedOrdersOf(layer.db, 'cus-anna');
    expect(read?.fulfillments).toEqual([]);
    expect(read?.shopName).toBeNull();
    expect(read?.items[0]?.variant).toBeNull();
    expect(read?.items[0]?.imageUrl).toBeNull();
    expect(read?.number).toBe('1001');
  });
});

describe('linking an order to the customer', () => {
  it('links by source and number, and the order is among the customer’s at once', async () => {
    const layer = await layerWithConversation();
    const linked = await layer.linkOrder('c1', 'shop-us', '3999');
    expect(linked.id).toBe('o-us-linked');
    expect(requests.at(-1)).toEqual({
      method: 'POST',
      path: '/api/orders/links',
      body: { conversation: 'c1', source: 'shop-us', number: '3999' },
    });
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-us-linked']);
  });

  it('says why the hub refused a link', async () => {
    const layer = await layerWithConversation();
    await expect(layer.linkOrder('c1', 'shop-us', '4040')).rejects.toThrow(
      'Acme US has no order 4040.',
    );
  });

  it('unlinks: the order leaves the customer’s cached orders', async () => {
    const layer = await layerWithConversation();
    await layer.linkOrder('c1', 'shop-us', '3999');
    await layer.unlinkOrder('c1', 'shop-us', '3999');
    expect(requests.at(-1)).toEqual({
      method: 'DELETE',
      path: '/api/orders/links',
      body: { conversation: 'c1', source: 'shop-us', number: '3999' },
    });
    expect(await cachedOrdersOf(layer.db, 'cus-anna')).toEqual([]);
  });
});
