import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/domain/model';
import { storeMessages, storeSyncPage } from '../../../src/renderer/src/data/cache-writes';
import { createDataLayer, type DataLayer } from '../../../src/renderer/src/data/data-layer';
import { openCache } from '../../../src/renderer/src/data/db';
import { T0 } from '../fixtures';
import { newIndexedDb } from './support';

function text(id: string, conversationId: string, body: string, sentAt: number): Message {
  return {
    id,
    conversationId,
    direction: 'inbound',
    content: { type: 'text', body },
    externalId: null,
    clientId: null,
    authorId: null,
    status: 'delivered',
    failureCode: null,
    failureReason: null,
    cost: null,
    tag: null,
    sentAt,
    updatedAt: sentAt,
  };
}

const layers: DataLayer[] = [];
afterEach(() => {
  for (const layer of layers.splice(0)) layer.close();
});

/** A data layer that is never started: the search reads only the cache. */
async function cachedLayer(): Promise<DataLayer> {
  const layer = createDataLayer({
    hubUrl: 'http://127.0.0.1:9',
    token: 't',
    me: { id: 'me', name: 'Maya', role: 'agent', email: null },
    dexie: newIndexedDb(),
  });
  layers.push(layer);
  await openCache(layer.db);
  // The first sync's pages: grouped by conversation, newest first.
  await storeSyncPage(
    layer.db,
    [
      text('a2', 'a', 'Thanks, it came today!', T0 - 1_000),
      text('a1', 'a', 'Where is my parcel? The Tracking page says nothing', T0 - 90_000),
      text('b1', 'b', 'Can I change my tracking address?', T0 - 50_000),
      text('c1', 'c', 'Hello', T0 - 40_000),
    ],
    0,
  );
  // A live event later: newer than the page.
  await storeMessages(layer.db, [text('b2', 'b', 'TRACKING still stuck', T0)], { newer: true });
  return layer;
}

describe('the message search', () => {
  it('finds each conversation with the line of its newest matching message, as written', async () => {
    const layer = await cachedLayer();
    expect([...(await layer.searchMessages('tracking'))]).toEqual([
      ['b', 'TRACKING still stuck'],
      ['a', 'Where is my parcel? The Tracking page says nothing'],
    ]);
    expect([...(await layer.searchMessages('  MY  PARCEL '))]).toEqual([
      ['a', 'Where is my parcel? The Tracking page says nothing'],
    ]);
    expect(await layer.searchMessageConversations('HELLO')).toEqual(['c']);
    expect((await layer.searchMessages('   ')).size).toBe(0);
  });

  it('stops when the agent has typed on', async () => {
    const layer = await cachedLayer();
    const typedOn = new AbortController();
    typedOn.abort();
    await expect(layer.searchMessages('tracking', typedOn.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
