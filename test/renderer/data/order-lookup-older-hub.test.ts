import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  cachedOrdersOf,
  createDataLayer,
  type DataLayer,
} from '../../../src/renderer/src/data/data-layer';
import { openCache } from '../../../src/renderer/src/data/db';
import type { Order } from '../../../src/shared/domain/model';
import { conversation } from '../fixtures';
import { order } from '../orders/fixtures';
import { newIndexedDb } from './support';

/**
 * What no hub of this version can show: a hub from before issue #17, without order sources
 * (GET /api/orders/sources answers 404), whose GET /api/orders?conversation= merges them all;
 * and orders the app cached before the shop details existed.
 */

const TOKEN = 'session-token-older-hub';
const demoOrder = order('o-demo', { number: '1001' });
const importedOrder = order('o-import', { provider: 'import-2025', number: '1002' });

let server: Server;
let hubUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://hub');
    const merged = url.pathname === '/api/orders' && url.searchParams.has('conversation');
    const authorized = req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(authorized && merged ? 200 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        authorized && merged
          ? { orders: [demoOrder, importedOrder] }
          : { error: 'not_found', message: 'Not found.' },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const layers: DataLayer[] = [];
afterEach(() => {
  for (const layer of layers.splice(0)) layer.close();
});

async function layerWithConversation(): Promise<DataLayer> {
  const layer = createDataLayer({
    hubUrl,
    token: TOKEN,
    me: { id: 'me', name: 'Maya', role: 'agent', email: null },
    dexie: newIndexedDb(),
  });
  layers.push(layer);
  await openCache(layer.db);
  const chat = conversation('c1');
  await layer.db.conversations.put({ ...chat, customer: { ...chat.customer, id: 'cus-anna' } });
  return layer;
}

const idsOf = (orders: readonly Order[]) => orders.map((o) => o.id).sort();

describe('the order lookup with an older hub', () => {
  it('falls back to the merged lookup when the hub has no sources', async () => {
    requests.length = 0;
    const layer = await layerWithConversation();
    expect(await layer.lookupOrders('c1')).toBeNull();
    expect(requests).toEqual([
      '/api/orders/sources?conversation=c1',
      '/api/orders?conversation=c1',
    ]);
    expect(idsOf(await cachedOrdersOf(layer.db, 'cus-anna'))).toEqual(['o-demo', 'o-import']);
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
