import { Dexie, type EntityTable, type Table } from 'dexie';
import type { Conversation, Message, Order, Template } from '../../../shared/domain/model';
import type { CustomerProfile } from '../../../shared/protocol/customers';
import type { Activity } from '../../../shared/protocol/activity';
import type { OutboxEntry, Teammate } from './types';

/**
 * The app's local cache (DESIGN.md rule 1: the hub is the truth, this is a cache that can be
 * dropped and rebuilt): one IndexedDB database per hub origin and signed-in user, so two accounts
 * or two hubs never mix. The outbox and the drafts are the agent's unsent work, not cache: a
 * schema change or a reset rebuilds everything else and keeps them.
 */

/**
 * Bump when the cached shapes or indexes change incompatibly. Opening a database written by an
 * older version clears the cache tables (the next start syncs them from the hub again) and keeps
 * the outbox and drafts; Dexie migrates the indexes itself.
 */
export const CACHE_SCHEMA_VERSION = 3;

/** The tables that are only a copy of the hub: cleared by a reset or a schema change. */
export const CACHE_TABLES = [
  'conversations',
  'conversationChunks',
  'messages',
  'messagePages',
  'messagePageIndex',
  'messageText',
  'pageText',
  'templates',
  'orders',
  'users',
  'meta',
  // Customers' profiles (issue #20 item 2: `customer.updated`, `GET /api/customers/:id`).
  'customers',
  'activity',
] as const;
/** The agent's own work: kept across resets and schema changes. */
export const KEPT_TABLES = ['outbox', 'drafts'] as const;

const SCHEMA: Record<(typeof CACHE_TABLES)[number] | (typeof KEPT_TABLES)[number], string> = {
  conversations: 'id, lastMessageAt, assigneeId, status, channel, *labels',
  // Every conversation again, a thousand per record, for opening the inbox (`readConversations`).
  conversationChunks: 'chunk',
  // Ties in sentAt come back in id order (IndexedDB orders equal index keys by primary key).
  messages: 'id, [conversationId+sentAt], clientId, externalId',
  // The first sync's messages: a few records per page of 2,000 (MessagePage).
  messagePages: 'batch',
  messagePageIndex: 'batch',
  messageText: 'conversationId',
  pageText: 'batch',
  templates: 'id',
  orders: 'id, phone, email, number, *customerKeys',
  users: 'id',
  meta: 'key',
  outbox: '++order, &clientId, conversationId',
  drafts: 'conversationId',
  customers: 'id, mergedInto',
  // Activity lines (assignment, status, priority, labels, missed SLA targets) by conversation.
  activity: 'id, conversationId',
};

/** A draft reply, per conversation. */
export interface Draft {
  readonly conversationId: string;
  readonly text: string;
  readonly updatedAt: number;
}

/**
 * The searchable text of a conversation's cached messages, as written, joined: searching
 * 200,000 messages then reads one small row per conversation instead of every message.
 */
export interface MessageText {
  readonly conversationId: string;
  readonly text: string;
}

/**
 * A thousand cached conversations in one record. Opening the app reads every conversation, and
 * IndexedDB's cost is per record: 20,000 rows take over a second to read here, 20 chunks a
 * fraction of that. `conversations` stays the table every write goes to; the chunks are a copy
 * made by `compactConversations`, and the ids written since (the `dirtyConversations` meta row,
 * updated in the same transaction as each write) say which rows are newer than the copy.
 */
export interface ConversationChunk {
  readonly chunk: number;
  readonly conversations: readonly Conversation[];
}

/**
 * One page of the first sync (`GET /api/sync/messages`, grouped by conversation) as one record:
 * `messages[i]` is the JSON of `conversationIds[i]`'s messages in it (newest first, as sent).
 * IndexedDB's cost is per record and per index entry, hardly per byte: a record per message caps
 * a first sync at a few thousand messages a second on a slow machine, and even a record per
 * conversation per page at about five thousand. A page as one record of strings costs little
 * more than the JSON it holds; a conversation's share is parsed only when it is opened.
 * Everything later (events, sends, history pages) is stored per message in `messages`; a reader
 * merges both (`readMessages`), the newer snapshot of a message winning (`mergeMessage`).
 */
export interface MessagePage extends MessagePageIndex {
  readonly messages: readonly string[];
}

/** Which conversations a `MessagePage` holds: small, read whole to find a conversation's pages. */
export interface MessagePageIndex {
  /** The page's place in its sync run: a first sync that starts again overwrites its pages. */
  readonly batch: number;
  readonly conversationIds: readonly string[];
}

/**
 * The searchable text of one first-sync page, per conversation in it (`conversationIds[i]`'s
 * text is `texts[i]`): one record per page, so the search index costs a first sync nothing
 * per conversation.
 */
export interface PageText extends MessagePageIndex {
  readonly texts: readonly string[];
}

/** An order as the hub found it, with the customers it was found for (offline lookups). */
export interface CachedOrder extends Order {
  /** `customer:<customer id>` of every customer whose lookup returned it. */
  readonly customerKeys: readonly string[];
}

export interface MetaRow {
  readonly key: MetaKey;
  readonly value: unknown;
}

export type MetaKey =
  /** The CACHE_SCHEMA_VERSION the cache was written with. */
  | 'cacheSchemaVersion'
  /** The seq of the last event applied (DESIGN.md rule 2). */
  | 'lastSeq'
  /** A first sync (or a rebuild) completed: from here on, resuming from `lastSeq` suffices. */
  | 'firstSyncComplete'
  /** The hub's rate card, as `GET /api/rate-card` answered it. */
  | 'rateCard'
  /** The signed-in user. */
  | 'me'
  /** The first sync stopped at its cap: older history is loaded per conversation. */
  | 'historyTruncated'
  /** The SLA policies and business calendar (`GET /api/sla`, `sla.updated`). */
  | 'sla'
  /** Ids of conversations written since `conversationChunks` were made (ConversationChunk). */
  | 'dirtyConversations';

export class ReplydeskDb extends Dexie {
  declare conversations: EntityTable<Conversation, 'id'>;
  declare messages: EntityTable<Message, 'id'>;
  declare conversationChunks: EntityTable<ConversationChunk, 'chunk'>;
  declare messagePages: EntityTable<MessagePage, 'batch'>;
  declare messagePageIndex: EntityTable<MessagePageIndex, 'batch'>;
  declare messageText: EntityTable<MessageText, 'conversationId'>;
  declare pageText: EntityTable<PageText, 'batch'>;
  declare templates: EntityTable<Template, 'id'>;
  declare orders: EntityTable<CachedOrder, 'id'>;
  declare users: EntityTable<Teammate, 'id'>;
  declare meta: Table<MetaRow, MetaKey>;
  declare outbox: EntityTable<OutboxEntry, 'order'>;
  declare drafts: EntityTable<Draft, 'conversationId'>;
  declare customers: EntityTable<CustomerProfile, 'id'>;
  declare activity: EntityTable<Activity, 'id'>;

  constructor(
    name: string,
    readonly dependencies?: DexieDependencies,
  ) {
    // Results are never mutated in place: Dexie need not clone them for its live-query cache.
    super(name, { ...dependencies, cache: 'immutable' });
    this.version(CACHE_SCHEMA_VERSION)
      .stores(SCHEMA)
      .upgrade(async (tx) => {
        // Data of an older cache schema is not read: the hub fills the cache again.
        await Promise.all(CACHE_TABLES.map((table) => tx.table(table).clear()));
      });
  }
}

/** IndexedDB itself: the browser's by default, fake-indexeddb in tests. */
export interface DexieDependencies {
  readonly indexedDB?: { open: (...args: never[]) => unknown };
  readonly IDBKeyRange?: {
    bound: (...args: never[]) => unknown;
    lowerBound: (...args: never[]) => unknown;
    upperBound: (...args: never[]) => unknown;
  };
}

/** `replydesk:<hub origin>:<user id>`: a cache per hub and user. */
export function cacheName(hubUrl: string, userId: string): string {
  return `replydesk:${new URL(hubUrl).origin}:${userId}`;
}

/**
 * Open the cache. A database written by a NEWER app (the agent went back to an older version)
 * cannot be opened at this schema: its outbox and drafts are rescued, the database is
 * recreated, and they are put back, so not even a downgrade loses a reply.
 */
export async function openCache(db: ReplydeskDb): Promise<void> {
  try {
    await db.open();
  } catch (error) {
    if (!(error instanceof Dexie.VersionError)) throw error;
    await recreateKeepingUnsentWork(db);
  }
  // Dexie 4 also opens a database of a newer version when it can; its cache rows may have
  // shapes this app does not know, so any cache not written at this schema is dropped.
  if ((await readMeta(db, 'cacheSchemaVersion')) !== CACHE_SCHEMA_VERSION) await clearCache(db);
}

async function recreateKeepingUnsentWork(db: ReplydeskDb): Promise<void> {
  db.close();
  const rescued = await rescueUnsentWork(db.name, db.dependencies);
  await db.delete();
  await db.open();
  await db.transaction('rw', db.outbox, db.drafts, async () => {
    await db.outbox.bulkPut(rescued.outbox);
    await db.drafts.bulkPut(rescued.drafts);
  });
}

async function rescueUnsentWork(
  name: string,
  deps?: DexieDependencies,
): Promise<{ outbox: OutboxEntry[]; drafts: Draft[] }> {
  // Without declared versions Dexie opens whatever schema the database has.
  const raw = new Dexie(name, deps);
  try {
    await raw.open();
    const has = (table: string) => raw.tables.some((t) => t.name === table);
    return {
      outbox: has('outbox') ? ((await raw.table('outbox').toArray()) as OutboxEntry[]) : [],
      drafts: has('drafts') ? ((await raw.table('drafts').toArray()) as Draft[]) : [],
    };
  } finally {
    raw.close();
  }
}

/** Empty every cache table at once; the outbox and drafts stay. */
export async function clearCache(db: ReplydeskDb): Promise<void> {
  await db.transaction(
    'rw',
    CACHE_TABLES.map((table) => db.table(table)),
    async () => {
      await Promise.all(CACHE_TABLES.map((table) => db.table(table).clear()));
      await db.meta.put({ key: 'cacheSchemaVersion', value: CACHE_SCHEMA_VERSION });
    },
  );
}

export async function readMeta<T>(db: ReplydeskDb, key: MetaKey): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}
