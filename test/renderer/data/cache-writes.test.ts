import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/domain/model';
import type { SequencedEvent } from '../../../src/shared/protocol/events';
import {
  applyEventBatch,
  compactConversations,
  CONVERSATION_CHUNK,
  mergeMessage,
  readConversations,
  readMessages,
  searchableText,
  storeConversations,
  storeMessages,
  storeSyncPage,
} from '../../../src/renderer/src/data/cache-writes';
import {
  CACHE_SCHEMA_VERSION,
  clearCache,
  openCache,
  readMeta,
  ReplydeskDb,
} from '../../../src/renderer/src/data/db';
import { mergeWithOutbox, renderPositional } from '../../../src/renderer/src/data/data-layer';
import type { OutboxEntry } from '../../../src/renderer/src/data/types';
import { conversation, T0 } from '../fixtures';
import { newIndexedDb } from './support';
import { Dexie } from 'dexie';

function message(id: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'a',
    direction: 'outbound',
    content: { type: 'text', body: `Body of ${id}` },
    externalId: null,
    clientId: null,
    authorId: null,
    status: 'queued',
    failureCode: null,
    failureReason: null,
    cost: null,
    tag: null,
    sentAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

const created = (seq: number, m: Message): SequencedEvent => ({
  seq,
  at: T0,
  event: { type: 'message.created', message: m },
});
const changed = (seq: number, m: Message): SequencedEvent => ({
  seq,
  at: T0,
  event: { type: 'message.updated', message: m },
});
const conv = (seq: number, unreadCount: number): SequencedEvent => ({
  seq,
  at: T0,
  event: {
    type: 'conversation.updated',
    conversation: conversation('a', { unreadCount, updatedAt: T0 + seq }),
  },
});

const open: ReplydeskDb[] = [];
async function freshDb(): Promise<ReplydeskDb> {
  const db = new ReplydeskDb('replydesk:test', newIndexedDb());
  await openCache(db);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('mergeMessage', () => {
  it('never takes a message back to an earlier delivery status', () => {
    const read = message('m', { status: 'read', updatedAt: T0 + 2 });
    const lateDelivered = message('m', { status: 'delivered', updatedAt: T0 + 3 });
    expect(mergeMessage(read, lateDelivered)).toBe(read);
    expect(mergeMessage(lateDelivered, read)).toBe(read);
  });

  it('keeps the newer snapshot at the same status, and takes anything over nothing', () => {
    const older = message('m', { status: 'sent', updatedAt: T0 });
    const newer = message('m', { status: 'sent', externalId: 'wamid.1', updatedAt: T0 + 1 });
    expect(mergeMessage(newer, older)).toBe(newer);
    expect(mergeMessage(older, newer)).toBe(newer);
    expect(mergeMessage(undefined, older)).toBe(older);
  });
});

describe('applyEventBatch', () => {
  it('applies a frame and stores its last seq in the same transaction', async () => {
    const db = await freshDb();
    const result = await applyEventBatch(db, [created(1, message('m1')), conv(2, 1)]);
    expect(result).toMatchObject({ lastSeq: 2, applied: 2, gap: false });
    expect(await readMeta(db, 'lastSeq')).toBe(2);
    expect(await db.messages.count()).toBe(1);
    expect((await db.conversations.get('a'))?.unreadCount).toBe(1);
  });

  it('steps over an event type it does not know: its seq counts, so no gap follows', async () => {
    const db = await freshDb();
    const result = await applyEventBatch(db, [
      conv(1, 1),
      { seq: 2, at: T0, event: { type: 'unknown', name: 'queue.paused' } },
      conv(3, 4),
    ]);
    expect(result).toMatchObject({ lastSeq: 3, applied: 3, gap: false });
    expect(await readMeta(db, 'lastSeq')).toBe(3);
    expect((await db.conversations.get('a'))?.unreadCount).toBe(4);
  });

  it('skips a repeated seam: events at or below the stored seq change nothing', async () => {
    const db = await freshDb();
    await applyEventBatch(db, [conv(1, 1), conv(2, 2)]);
    const replay = await applyEventBatch(db, [conv(1, 99), conv(2, 98), conv(3, 3)]);
    expect(replay).toMatchObject({ lastSeq: 3, applied: 1 });
    expect((await db.conversations.get('a'))?.unreadCount).toBe(3);
    const again = await applyEventBatch(db, [conv(3, 97)]);
    expect(again).toMatchObject({ lastSeq: 3, applied: 0, conversations: [] });
    expect((await db.conversations.get('a'))?.unreadCount).toBe(3);
  });

  it('stops at a hole, keeping what came before it, and says so', async () => {
    const db = await freshDb();
    const result = await applyEventBatch(db, [conv(1, 1), conv(3, 3), conv(4, 4)]);
    expect(result).toMatchObject({ lastSeq: 1, applied: 1, gap: true });
    expect(await readMeta(db, 'lastSeq')).toBe(1);
    expect((await db.conversations.get('a'))?.unreadCount).toBe(1);
  });

  it('never downgrades a delivery status, within a frame or across frames', async () => {
    const db = await freshDb();
    await applyEventBatch(db, [
      created(1, message('m1', { status: 'queued' })),
      changed(2, message('m1', { status: 'read', updatedAt: T0 + 5 })),
      changed(3, message('m1', { status: 'sent', updatedAt: T0 + 6 })),
    ]);
    expect((await db.messages.get('m1'))?.status).toBe('read');
    await applyEventBatch(db, [changed(4, message('m1', { status: 'delivered' }))]);
    expect((await db.messages.get('m1'))?.status).toBe('read');
  });

  it('keeps the newest template version and removes deleted templates', async () => {
    const db = await freshDb();
    const template = {
      id: 't1',
      kind: 'quick_reply' as const,
      name: 'Thanks',
      shortcut: null,
      body: 'Thanks!',
      language: 'en',
      category: null,
      channels: [],
      status: 'approved' as const,
      version: 2,
      updatedAt: T0,
      updatedBy: null,
      folder: null,
      tags: [],
      header: null,
      footer: null,
      buttons: [],
      examples: [],
      rejectionReason: null,
    };
    await db.templates.put(template);
    await applyEventBatch(db, [
      {
        seq: 1,
        at: T0,
        event: { type: 'template.updated', template: { ...template, version: 1 } },
      },
    ]);
    expect((await db.templates.get('t1'))?.version).toBe(2);
    await applyEventBatch(db, [
      { seq: 2, at: T0, event: { type: 'template.deleted', templateId: 't1' } },
    ]);
    expect(await db.templates.get('t1')).toBeUndefined();
  });

  it('indexes the text of new messages once for search', async () => {
    const db = await freshDb();
    await applyEventBatch(db, [
      created(1, message('m1', { content: { type: 'text', body: 'Where is my PARCEL?' } })),
      changed(
        2,
        message('m1', { status: 'sent', content: { type: 'text', body: 'Where is my PARCEL?' } }),
      ),
    ]);
    expect((await db.messageText.get('a'))?.text).toBe('Where is my PARCEL?');
  });
});

describe("the first sync's batches", () => {
  // A page as the hub sends it: grouped by conversation, newest first within one.
  const page = [
    message('b3', {
      conversationId: 'b',
      sentAt: T0 + 3,
      content: { type: 'text', body: 'Refund?' },
    }),
    message('b1', { conversationId: 'b', sentAt: T0 + 1 }),
    message('a2', { sentAt: T0 + 2, status: 'delivered', updatedAt: T0 + 2 }),
    message('a1', { sentAt: T0 + 1, content: { type: 'text', body: 'Where is my PARCEL?' } }),
  ];

  it('stores a page as three records: its messages, which conversations it holds, its search text', async () => {
    const db = await freshDb();
    await storeSyncPage(db, page, 0);
    expect(await db.messagePages.count()).toBe(1);
    expect((await db.messagePageIndex.get(0))?.conversationIds).toEqual(['b', 'a']);
    expect(await db.messages.count()).toBe(0);
    expect(await db.messageText.count()).toBe(0);
    const text = await db.pageText.get(0);
    expect(text?.conversationIds).toEqual(['b', 'a']);
    expect(text?.texts[1]).toBe('Body of a2\nWhere is my PARCEL?');
    expect((await readMessages(db, 'a')).map((m) => m.id)).toEqual(['a1', 'a2']);
    expect((await readMessages(db, 'b')).map((m) => m.id)).toEqual(['b1', 'b3']);
    expect(await readMessages(db, 'c')).toEqual([]);
  });

  it('reads each message once, its newest snapshot winning, across pages, a restarted sync and events', async () => {
    const db = await freshDb();
    await storeSyncPage(db, page, 0);
    // A first sync that started again put a2 into another page as well.
    await storeSyncPage(
      db,
      [message('a2', { sentAt: T0 + 2, status: 'sent', updatedAt: T0 + 1 })],
      1,
    );
    // Live: a2 is read, a new reply a3 arrives, and a late `delivered` for a2 changes nothing.
    await applyEventBatch(db, [
      changed(1, message('a2', { sentAt: T0 + 2, status: 'read', updatedAt: T0 + 5 })),
      created(2, message('a3', { sentAt: T0 + 4, content: { type: 'text', body: 'On its way' } })),
      changed(3, message('a2', { sentAt: T0 + 2, status: 'delivered', updatedAt: T0 + 6 })),
    ]);
    const messages = await readMessages(db, 'a');
    expect(messages.map((m) => [m.id, m.status])).toEqual([
      ['a1', 'queued'],
      ['a2', 'read'],
      ['a3', 'queued'],
    ]);
    // Only the new message's words were indexed again: a2's update added none.
    expect((await db.messageText.get('a'))?.text).toBe('On its way');
  });

  it('breaks ties in time by id, as the per-message index does', async () => {
    const db = await freshDb();
    await storeSyncPage(db, [message('x2', { sentAt: T0 }), message('x1', { sentAt: T0 })], 0);
    await storeMessages(db, [message('x0', { sentAt: T0 })]);
    expect((await readMessages(db, 'a')).map((m) => m.id)).toEqual(['x0', 'x1', 'x2']);
  });

  it('is emptied by clearCache with the rest of the copy of the hub', async () => {
    const db = await freshDb();
    await storeSyncPage(db, page, 0);
    await clearCache(db);
    expect(await db.messagePages.count()).toBe(0);
    expect(await db.messagePageIndex.count()).toBe(0);
    expect(await db.pageText.count()).toBe(0);
  });
});

describe('the chunked copy of the conversations', () => {
  const many = (count: number, updatedAt: number) =>
    Array.from({ length: count }, (_, i) =>
      conversation(`c${String(i).padStart(5, '0')}`, { updatedAt, unreadCount: updatedAt - T0 }),
    );

  it('reads every conversation whether it is in the copy, written since, or both', async () => {
    const db = await freshDb();
    await storeConversations(db, many(CONVERSATION_CHUNK + 5, T0));
    expect((await readConversations(db)).dirty).toBe(CONVERSATION_CHUNK + 5);
    expect(await compactConversations(db)).toBe(CONVERSATION_CHUNK + 5);
    expect(await db.conversationChunks.count()).toBe(2);
    // After the copy: one changes (through an event), one is new.
    await applyEventBatch(db, [
      {
        seq: 1,
        at: T0,
        event: {
          type: 'conversation.updated',
          conversation: conversation('c00003', { updatedAt: T0 + 9, unreadCount: 9 }),
        },
      },
      {
        seq: 2,
        at: T0,
        event: {
          type: 'conversation.updated',
          conversation: conversation('new', { updatedAt: T0 }),
        },
      },
    ]);
    const read = await readConversations(db);
    expect(read.dirty).toBe(2);
    expect(read.conversations).toHaveLength(CONVERSATION_CHUNK + 6);
    const byId = new Map(read.conversations.map((c) => [c.id, c]));
    expect(byId.get('c00003')?.unreadCount).toBe(9);
    expect(byId.get('new')).toBeDefined();
    // Compacted again, the copy alone holds the same.
    await compactConversations(db);
    const again = await readConversations(db);
    expect(again.dirty).toBe(0);
    expect(new Map(again.conversations.map((c) => [c.id, c]))).toEqual(byId);
    expect(await db.conversations.count()).toBe(CONVERSATION_CHUNK + 6);
  });

  it('keeps the copy newest first, the order the inbox lists them in', async () => {
    const db = await freshDb();
    await storeConversations(db, [
      conversation('old', { lastMessageAt: T0 - 3 }),
      conversation('new', { lastMessageAt: T0 + 3 }),
      conversation('mid', { lastMessageAt: T0 }),
    ]);
    await compactConversations(db);
    expect((await readConversations(db)).conversations.map((c) => c.id)).toEqual([
      'new',
      'mid',
      'old',
    ]);
  });

  it('marks nothing dirty when a write is refused as older', async () => {
    const db = await freshDb();
    await storeConversations(db, many(3, T0 + 5));
    await compactConversations(db);
    expect(await storeConversations(db, many(3, T0))).toEqual([]);
    const read = await readConversations(db);
    expect(read.dirty).toBe(0);
    expect(read.conversations.every((c) => c.unreadCount === 5)).toBe(true);
  });

  it('is emptied by clearCache', async () => {
    const db = await freshDb();
    await storeConversations(db, many(3, T0));
    await compactConversations(db);
    await clearCache(db);
    expect(await readConversations(db)).toEqual({ conversations: [], dirty: 0 });
  });
});

describe('searchableText', () => {
  it('reads the words of every kind of content, as written (a result shows them)', () => {
    expect(searchableText({ type: 'text', body: 'Hello THERE' })).toBe('Hello THERE');
    expect(searchableText({ type: 'image', media: { mediaId: 'x', caption: 'Broken Box' } })).toBe(
      'Broken Box',
    );
    expect(searchableText({ type: 'reaction', emoji: '👍', targetExternalId: 'w' })).toBe('');
  });
});

describe('the cache schema', () => {
  it('clears the cache but keeps the outbox and drafts when an older schema is opened', async () => {
    const deps = newIndexedDb();
    // An "older app" wrote version CACHE_SCHEMA_VERSION - 1 … emulate with a raw older database.
    const old = new Dexie('replydesk:schema', deps);
    old.version(Math.max(0.1, CACHE_SCHEMA_VERSION - 0.5)).stores({
      conversations: 'id',
      meta: 'key',
      outbox: '++order, &clientId, conversationId',
      drafts: 'conversationId',
    });
    await old.open();
    await old.table('conversations').put(conversation('a'));
    await old.table('meta').put({ key: 'lastSeq', value: 40 });
    await old.table('meta').put({ key: 'firstSyncComplete', value: true });
    await old.table('drafts').put({ conversationId: 'a', text: 'half a reply', updatedAt: T0 });
    await old
      .table('outbox')
      .add({ clientId: 'c_keep-me-1', conversationId: 'a', state: 'queued' });
    old.close();

    const db = new ReplydeskDb('replydesk:schema', deps);
    await openCache(db);
    open.push(db);
    expect(await db.conversations.count()).toBe(0);
    expect(await readMeta(db, 'lastSeq')).toBeUndefined();
    expect(await readMeta(db, 'firstSyncComplete')).toBeUndefined();
    expect((await db.drafts.get('a'))?.text).toBe('half a reply');
    expect((await db.outbox.toArray()).map((e) => e.clientId)).toEqual(['c_keep-me-1']);
  });

  it('drops the cache of a newer app but keeps its outbox and drafts', async () => {
    const deps = newIndexedDb();
    const newer = new Dexie('replydesk:newer', deps);
    newer.version(CACHE_SCHEMA_VERSION + 5).stores({
      conversations: 'id, lastMessageAt, assigneeId, status, channel, *labels, tier',
      messages: 'id, [conversationId+sentAt], clientId, externalId',
      messageText: 'conversationId',
      templates: 'id',
      orders: 'id, phone, email, number, *customerKeys',
      users: 'id',
      meta: 'key',
      outbox: '++order, &clientId, conversationId',
      drafts: 'conversationId',
    });
    await newer.open();
    await newer.table('conversations').put({ ...conversation('a'), tier: 'gold' });
    await newer.table('meta').put({ key: 'cacheSchemaVersion', value: CACHE_SCHEMA_VERSION + 5 });
    await newer
      .table('outbox')
      .add({ clientId: 'c_from-newer', conversationId: 'a', state: 'queued' });
    await newer.table('drafts').put({ conversationId: 'a', text: 'draft', updatedAt: T0 });
    newer.close();

    const db = new ReplydeskDb('replydesk:newer', deps);
    await openCache(db);
    open.push(db);
    expect(await db.conversations.count()).toBe(0);
    expect((await db.outbox.toArray()).map((e) => e.clientId)).toEqual(['c_from-newer']);
    expect((await db.drafts.get('a'))?.text).toBe('draft');
  });

  it('clearCache empties the copy of the hub and nothing else', async () => {
    const db = await freshDb();
    await applyEventBatch(db, [conv(1, 1), created(2, message('m1'))]);
    await db.drafts.put({ conversationId: 'a', text: 'x', updatedAt: T0 });
    await clearCache(db);
    expect(await db.conversations.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await db.messageText.count()).toBe(0);
    expect(await readMeta(db, 'lastSeq')).toBeUndefined();
    expect(await db.drafts.count()).toBe(1);
  });
});

describe('mergeWithOutbox', () => {
  const entry = (
    clientId: string,
    order: number,
    overrides: Partial<OutboxEntry> = {},
  ): OutboxEntry => ({
    clientId,
    order,
    conversationId: 'a',
    command: {
      type: 'send_message',
      conversationId: 'a',
      content: { type: 'text', body: clientId },
    },
    createdAt: T0 - 1_000_000,
    state: 'queued',
    error: null,
    attempts: 0,
    ...overrides,
  });

  it('shows pending replies after the hub messages, in outbox order, as queued or failed', () => {
    const hub = [message('m1', { sentAt: T0 })];
    const merged = mergeWithOutbox(
      hub,
      [
        entry('c_second-1', 2, {
          state: 'failed',
          error: { code: 'window_closed', message: 'The window closed.' },
        }),
        entry('c_first-01', 1),
        {
          ...entry('c_assign-1', 3),
          command: { type: 'assign', conversationId: 'a', assigneeId: null },
        },
      ],
      new Map(),
      'usr-1',
    );
    expect(merged.map((m) => [m.id, m.status, m.failureReason])).toEqual([
      ['m1', 'queued', null],
      ['local:c_first-01', 'queued', null],
      ['local:c_second-1', 'failed', 'The window closed.'],
    ]);
    expect(merged[1]).toMatchObject({
      direction: 'outbound',
      authorId: 'usr-1',
      clientId: 'c_first-01',
    });
  });

  it('replaces a pending reply by the hub message with its client id', () => {
    const merged = mergeWithOutbox(
      [message('m1', { clientId: 'c_first-01' })],
      [entry('c_first-01', 1)],
      new Map(),
      null,
    );
    expect(merged.map((m) => m.id)).toEqual(['m1']);
  });

  it('renders a queued template with its parameters', () => {
    expect(renderPositional('Hi {{1}}, order {{2}} {{3}}', ['Anna', '#1043'])).toBe(
      'Hi Anna, order #1043 {{3}}',
    );
  });
});
