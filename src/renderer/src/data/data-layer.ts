import { z } from 'zod';
import { fieldErrorDetailsSchema, type FieldError } from '../../../shared/protocol/field-errors';
import { messageSchema, orderSchema, type Message, type Order } from '../../../shared/domain/model';
import {
  BUILT_IN_SOURCE_ID,
  numberSearchSchema,
  orderSourcesSchema,
  sourceOrdersSchema,
  type OrderSource,
  type SourceState,
} from '../../../shared/protocol/shops';
import type { Command, OutgoingContent } from '../../../shared/protocol/commands';
import type { AppEvent, Timers } from './realtime';
import { activityPageSchema } from '../../../shared/protocol/activity';
import { matchingLine, readMessages, storeActivity, storeMessages } from './cache-writes';
import type { ConversationStore } from './conversation-store';
import {
  cacheName,
  ReplydeskDb,
  type CachedOrder,
  type DexieDependencies,
  type MessageText,
  type PageText,
} from './db';
import {
  cancelEntry,
  discardEntry,
  enqueueCommand,
  newClientId,
  retryEntry,
  sendMessageCommand,
} from './outbox';
import { createMediaCache, MediaDb, mediaCacheName } from './media-cache';
import { createMediaService, sha256Hex, type MediaService, type Uploader } from './media';
import {
  createSyncEngine,
  type OpenRealtimeSocket,
  type SyncEngine,
  type WakeSignals,
} from './sync-engine';
import type { DataActions, Me, SyncStatus } from './types';
import { createMessageFeeds, type MessageFeeds } from './message-feeds';
import { takeEarlyCache } from './early-cache';
import { createPresence, type Presence } from './presence';

export { mergeWithOutbox, renderPositional } from './message-feeds';

/**
 * The app's data layer for one signed-in session: the cache, the sync engine and the outbox
 * behind the `DataActions` the screens call, plus the reads that go to the hub on demand
 * (older history, orders). Screens reach it through `DataProvider` / `useData()` and the hooks
 * in hooks.ts.
 */

export interface DataLayerOptions {
  readonly hubUrl: string;
  readonly token: string;
  readonly me: Me;
  /** IndexedDB for Dexie (fake-indexeddb in tests); the browser's by default. */
  readonly dexie?: DexieDependencies;
  readonly onHubTime?: (hubTime: number, localTime: number) => void;
  readonly onSessionEnded?: () => void;
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  readonly openSocket?: OpenRealtimeSocket;
  readonly timers?: Timers;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly wake?: WakeSignals | null;
  readonly clientId?: () => string;
  readonly conversationPageSize?: number;
  readonly messagePageSize?: number;
  readonly maxMessages?: number;
  readonly ackTimeoutMs?: number;
  /** Sends file uploads (XMLHttpRequest, for its progress, by default). */
  readonly uploader?: Uploader;
}

export interface OlderMessages {
  /** Messages added to the cache. */
  readonly loaded: number;
  /** The hub has nothing older. */
  readonly complete: boolean;
}

export interface DataLayer extends DataActions {
  readonly db: ReplydeskDb;
  readonly me: Me;
  readonly conversations: ConversationStore;
  /** Conversations' message lists, live and kept warm (`useMessages`). */
  readonly messageFeeds: MessageFeeds;
  /** Resolves once the cache is open and the cached conversations are in memory. */
  readonly ready: Promise<void>;
  start(): void;
  stop(): void;
  /** Stop and close the database (sign-out). */
  close(): void;
  subscribeStatus(listener: () => void): () => void;
  getStatus(): SyncStatus;
  /** Load the page of a conversation's history older than its oldest cached message. */
  loadOlderMessages(conversationId: string, limit?: number): Promise<OlderMessages>;
  /**
   * Fetch a conversation's activity lines into the cache (`GET /api/conversations/:id/activity`,
   * every page); events keep them current afterwards.
   */
  loadActivity(conversationId: string): Promise<void>;
  /** Ids of conversations whose cached messages contain `text` (case-insensitive). */
  searchMessageConversations(text: string): Promise<string[]>;
  /**
   * The conversations whose cached messages contain `text` (case-insensitive), each with the
   * line of its newest matching message as written (what a search result shows). Rejects with
   * an `AbortError` as soon as `signal` aborts (the agent typed on).
   */
  searchMessages(text: string, signal?: AbortSignal): Promise<ReadonlyMap<string, string>>;
  /** The orders of a conversation's customer, from the hub, cached for offline reading. */
  fetchOrders(conversationId: string): Promise<Order[]>;
  /** Orders by number; from the cache when the hub cannot be reached. */
  searchOrders(number: string): Promise<Order[]>;
  /**
   * The customer's orders source by source (issue #17): the shops serving the conversation
   * (`GET /api/orders/sources`), then each one's orders at once, cached as each answers and told
   * to `onSources`. A shop that fails is a source in state `error` with the hub's reason; the
   * cache keeps its orders. `null`: an older hub without sources, asked the merged way
   * (`fetchOrders`). Rejects when the hub cannot be reached at all.
   */
  lookupOrders(
    conversationId: string,
    options?: {
      /** Skip the hub's cache (`refresh=1`). */
      readonly refresh?: boolean;
      readonly onSources?: (sources: readonly OrderSourceState[]) => void;
    },
  ): Promise<readonly OrderSourceState[] | null>;
  /** Link the order `number` of `sourceId` to the conversation's customer; the hub remembers. */
  linkOrder(conversationId: string, sourceId: string, number: string): Promise<Order>;
  /** Undo `linkOrder`: the order stops being among the customer's. */
  unlinkOrder(conversationId: string, sourceId: string, number: string): Promise<void>;
  /**
   * A request to the hub's HTTP API as the signed-in user (the admin and dashboard screens,
   * which read from the hub rather than the cache). The answer is parsed with `schema`; a
   * refusal throws `HubRequestError` with the hub's message (and `status`).
   */
  request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.infer<S>>;
  /**
   * A file from the hub's HTTP API as the signed-in user (the dashboard's CSV): the token goes in
   * the header, never in a URL a download would leave in history or logs.
   */
  download(path: string): Promise<{ blob: Blob; filename: string | null }>;
  /** Told of every live event batch once the cache has it; returns the unsubscribe function. */
  subscribeEvents(listener: (events: readonly AppEvent[]) => void): () => void;
  /** Who else views or types where, and what this agent tells the others (`usePresence`). */
  readonly presence: Presence;
  /** Files of messages: the local media cache, downloads and uploads (`useMediaFile`). */
  readonly media: MediaService;
}

const messagesPageSchema = z.object({
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
});
const ordersSchema = z.object({ orders: z.array(orderSchema) });
const linkedOrderSchema = z.object({ order: orderSchema });

/** What one source answered for a customer (`SourceState`), or `loading` while it has not. */
export interface OrderSourceState extends Omit<SourceState, 'state'> {
  readonly state: SourceState['state'] | 'loading';
  /** Numbers of the orders an agent linked to this customer from this source. */
  readonly linkedNumbers: readonly string[];
}

/**
 * The source an order belongs to among `sourceIds`: its `provider` (a shop's id), or the
 * built-in store for the demo store's and imported orders whose provider names no shop.
 */
export function orderSourceOf(
  order: Pick<Order, 'provider'>,
  sourceIds: ReadonlySet<string>,
): string {
  return sourceIds.has(order.provider) ? order.provider : BUILT_IN_SOURCE_ID;
}

const hubErrorSchema = z.object({
  message: z.string(),
  error: z.string().optional(),
  // Field errors are a bonus: a body without them (or with others) still gives its message.
  details: fieldErrorDetailsSchema.optional().catch(undefined),
});

/** The hub could not answer (offline: `status` 0, or an error it explained). */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly status = 0,
    /** The hub's error code (`forbidden`, `bad_request`…) when it gave one. */
    readonly code: string | null = null,
    /** The fields the hub refused (`details.fields`), for a form to show beside each. */
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'HubRequestError';
  }
}

/** Rows of the search table read per step: bounded memory whatever the cache holds. */
const SEARCH_CHUNK = 1000;
/** First-sync search pages read per step (each holds a sync page's text, up to 2,000 messages). */
const SEARCH_PAGES = 20;

const customerKey = (customerId: string): string => `customer:${customerId}`;
/**
 * A cached row as an Order. Rows cached before issue #17 lack the shop details: the schema's
 * defaults fill them; a row the schema no longer reads is left out rather than breaking the panel.
 */
function cachedOrder({ customerKeys: _keys, ...row }: CachedOrder): Order | null {
  const parsed = orderSchema.safeParse(row);
  return parsed.success ? parsed.data : null;
}
const cachedOrders = (rows: readonly CachedOrder[]): Order[] =>
  rows.map(cachedOrder).filter((order): order is Order => order !== null);
const newestFirst = (a: Order, b: Order): number => b.createdAt - a.createdAt;

export function createDataLayer(options: DataLayerOptions): DataLayer {
  // A test's private IndexedDB never matches the window's early-opened cache.
  const early =
    options.dexie === undefined ? takeEarlyCache(cacheName(options.hubUrl, options.me.id)) : null;
  const db = early?.db ?? new ReplydeskDb(cacheName(options.hubUrl, options.me.id), options.dexie);
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const eventListeners = new Set<(events: readonly AppEvent[]) => void>();
  const presence = createPresence({
    me: options.me,
    now,
    timers: options.timers ?? {
      setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  });
  const mediaCache = createMediaCache(
    new MediaDb(mediaCacheName(options.hubUrl, options.me.id), options.dexie),
    now,
  );
  const media = createMediaService({
    hubUrl: options.hubUrl,
    token: options.token,
    cache: mediaCache,
    fetch: doFetch,
    uploader: options.uploader,
    onSessionEnded: options.onSessionEnded,
  });
  const engine: SyncEngine = createSyncEngine({
    presence,
    upload: (entry, signal) => media.uploadEntry(entry, signal),
    db,
    opening: early?.opening,
    hubUrl: options.hubUrl,
    token: options.token,
    onHubTime: options.onHubTime,
    onSessionEnded: options.onSessionEnded,
    fetch: options.fetch,
    openSocket: options.openSocket,
    timers: options.timers,
    now,
    random: options.random,
    wake: options.wake,
    conversationPageSize: options.conversationPageSize,
    messagePageSize: options.messagePageSize,
    maxMessages: options.maxMessages,
    ackTimeoutMs: options.ackTimeoutMs,
    onEvents(events) {
      for (const listener of eventListeners) listener(events);
    },
  });

  async function fetchOk(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${options.hubUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new HubRequestError('The hub cannot be reached.');
    }
    if (response.status === 401) options.onSessionEnded?.();
    if (!response.ok) {
      let message = `The hub answered HTTP ${response.status}.`;
      let code: string | null = null;
      let fields: readonly FieldError[] = [];
      try {
        const parsed = hubErrorSchema.safeParse(await response.json());
        if (parsed.success) {
          message = parsed.data.message;
          code = parsed.data.error ?? null;
          fields = parsed.data.details?.fields ?? [];
        }
      } catch {
        // keep the status
      }
      throw new HubRequestError(message, response.status, code, fields);
    }
    return response;
  }
  const send = async (method: string, path: string, body?: unknown): Promise<unknown> =>
    (await fetchOk(method, path, body)).json();
  const get = (path: string): Promise<unknown> => send('GET', path);

  async function enqueue(command: Command): Promise<string> {
    await engine.ready;
    const clientId = await enqueueCommand(db, command, { now, clientId: options.clientId });
    await engine.kickOutbox();
    return clientId;
  }

  /**
   * Keep `orders` as found for `customerId`. Those of the customer's cached orders that `stale`
   * selects (all by default) and that are not among `orders` stop showing for them.
   */
  async function cacheOrders(
    orders: readonly Order[],
    customerId: string | null,
    stale: (order: CachedOrder) => boolean = () => true,
  ): Promise<void> {
    await db.transaction('rw', db.orders, async () => {
      const cached = await db.orders.bulkGet(orders.map((o) => o.id));
      const key = customerId === null ? null : customerKey(customerId);
      await db.orders.bulkPut(
        orders.map((order, i) => {
          const keys = new Set(cached[i]?.customerKeys ?? []);
          if (key !== null) keys.add(key);
          return { ...order, customerKeys: [...keys] };
        }),
      );
      if (key === null) return;
      // Orders the hub no longer finds for this customer stop showing for them.
      const found = new Set(orders.map((o) => o.id));
      await db.orders
        .where('customerKeys')
        .equals(key)
        .and((order) => !found.has(order.id) && stale(order))
        .modify((order: { customerKeys: readonly string[] }) => {
          order.customerKeys = order.customerKeys.filter((k) => k !== key);
        });
    });
  }

  const conversationOf = async (conversationId: string) =>
    engine.conversations.getSnapshot().get(conversationId) ??
    (await db.conversations.get(conversationId));

  const messageFeeds = createMessageFeeds(db, options.me.id);

  const layer: DataLayer = {
    db,
    me: options.me,
    conversations: engine.conversations,
    messageFeeds,
    presence,
    media,
    ready: engine.ready,
    start() {
      engine.start();
      void engine.ready.then(
        () => db.meta.put({ key: 'me', value: options.me }),
        () => undefined,
      );
    },
    stop: () => engine.stop(),
    close() {
      engine.stop();
      presence.stop();
      messageFeeds.close();
      db.close();
      mediaCache.close();
    },
    subscribeStatus: (listener) => engine.subscribe(listener),
    getStatus: () => engine.getStatus(),

    sendMessage(conversationId: string, content: OutgoingContent, sendOptions) {
      return enqueue(sendMessageCommand(conversationId, content, sendOptions));
    },
    runCommand(command) {
      return enqueue(command);
    },
    async retry(clientId) {
      await retryEntry(db, clientId);
      await engine.kickOutbox();
    },
    async sendAttachment(conversationId, attachment, sendOptions) {
      await engine.ready;
      const { blob, filename, mimeType, kind, caption, channel } = attachment;
      const sha256 = blob === null ? (attachment.sha256 ?? '') : await sha256Hex(blob);
      const clientId = (options.clientId ?? newClientId)();
      // The bytes are stored before the entry that needs them, so the sender never finds one
      // without the other; the cache copy shows the reply's file at once, offline too. A file
      // the hub holds already (a quick reply's) has neither: its command goes without upload.
      if (blob !== null) {
        await mediaCache.keepOutgoing({ clientId, blob, filename, mimeType });
        await mediaCache.put(sha256, blob, mimeType).catch(() => undefined);
      }
      const trimmed = caption?.trim() ?? '';
      const command = sendMessageCommand(
        conversationId,
        {
          type: kind,
          media: {
            mediaId: sha256,
            sha256,
            mimeType,
            filename,
            ...(trimmed === '' ? {} : { caption: trimmed }),
          },
        },
        sendOptions,
      );
      try {
        await enqueueCommand(db, command, {
          now,
          clientId: () => clientId,
          ...(blob === null
            ? {}
            : { upload: { sha256, channel, filename, mimeType, size: blob.size, done: false } }),
        });
      } catch (error) {
        if (blob !== null) await mediaCache.dropOutgoing(clientId);
        throw error;
      }
      await engine.kickOutbox();
      return clientId;
    },
    async cancelUpload(clientId) {
      engine.abortUpload(clientId);
      if (await cancelEntry(db, clientId)) await mediaCache.dropOutgoing(clientId);
      await engine.kickOutbox();
    },
    async discard(clientId) {
      await discardEntry(db, clientId);
      if (!(await db.outbox.where('clientId').equals(clientId).count())) {
        await mediaCache.dropOutgoing(clientId);
      }
      await engine.kickOutbox();
    },
    async saveDraft(conversationId, text) {
      if (text.trim() === '') await db.drafts.delete(conversationId);
      else await db.drafts.put({ conversationId, text, updatedAt: now() });
    },
    reconnectNow: () => engine.reconnectNow(),
    resetLocalData: () => engine.resetLocalData(),

    async loadOlderMessages(conversationId, limit = 200) {
      const [oldest] = await readMessages(db, conversationId);
      const query = new URLSearchParams({ limit: String(limit) });
      if (oldest) query.set('olderThan', oldest.id);
      const parsed = messagesPageSchema.safeParse(
        await get(`/api/conversations/${encodeURIComponent(conversationId)}/messages?${query}`),
      );
      if (!parsed.success) throw new HubRequestError('The hub sent messages this app cannot read.');
      await storeMessages(db, parsed.data.messages as Message[], { newer: false });
      return { loaded: parsed.data.messages.length, complete: parsed.data.nextCursor === null };
    },

    async loadActivity(conversationId) {
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '2000' });
        if (cursor !== null) query.set('cursor', cursor);
        const parsed = activityPageSchema.safeParse(
          await get(`/api/conversations/${encodeURIComponent(conversationId)}/activity?${query}`),
        );
        if (!parsed.success) {
          throw new HubRequestError('The hub sent activity lines this app cannot read.');
        }
        await storeActivity(db, parsed.data.activity);
        cursor = parsed.data.nextCursor;
      } while (cursor !== null);
    },

    async searchMessageConversations(text) {
      return [...(await layer.searchMessages(text)).keys()];
    },

    async searchMessages(text, signal) {
      const needle = text.trim().replace(/\s+/g, ' ').toLowerCase();
      const found = new Map<string, string>();
      if (needle === '') return found;
      // What events and sends added, one row per conversation (newest text first)…
      let after: string | null = null;
      for (;;) {
        signal?.throwIfAborted();
        const chunk: MessageText[] = await (
          after === null ? db.messageText.orderBy(':id') : db.messageText.where(':id').above(after)
        )
          .limit(SEARCH_CHUNK)
          .toArray();
        for (const row of chunk) {
          const line = matchingLine(row.text, needle);
          if (line !== null) found.set(row.conversationId, line);
        }
        const last: MessageText | undefined = chunk[chunk.length - 1];
        if (chunk.length < SEARCH_CHUNK || !last) break;
        after = last.conversationId;
      }
      // …and what the first sync stored (older), one row per page.
      let afterBatch = -Infinity;
      for (;;) {
        signal?.throwIfAborted();
        const pages: PageText[] = await db.pageText
          .where(':id')
          .above(afterBatch)
          .limit(SEARCH_PAGES)
          .toArray();
        for (const page of pages) {
          page.texts.forEach((words, i) => {
            const id = page.conversationIds[i];
            if (id === undefined || found.has(id)) return;
            const line = matchingLine(words, needle);
            if (line !== null) found.set(id, line);
          });
        }
        const last: PageText | undefined = pages[pages.length - 1];
        if (pages.length < SEARCH_PAGES || !last) break;
        afterBatch = last.batch;
      }
      signal?.throwIfAborted();
      return found;
    },

    async fetchOrders(conversationId) {
      const conversation = await conversationOf(conversationId);
      const parsed = ordersSchema.safeParse(
        await get(`/api/orders?conversation=${encodeURIComponent(conversationId)}`),
      );
      if (!parsed.success) throw new HubRequestError('The hub sent orders this app cannot read.');
      await cacheOrders(parsed.data.orders, conversation?.customer.id ?? null);
      return [...parsed.data.orders].sort(newestFirst);
    },

    async searchOrders(number) {
      const wanted = number.trim();
      if (wanted === '') return [];
      try {
        const parsed = numberSearchSchema.safeParse(
          await get(`/api/orders?number=${encodeURIComponent(wanted)}`),
        );
        if (!parsed.success) throw new HubRequestError('The hub sent orders this app cannot read.');
        const { orders, errors } = parsed.data;
        // Found nowhere, but a shop could not be asked: "not found" would be a guess.
        if (orders.length === 0 && errors.length > 0) {
          throw new HubRequestError(errors.map((e) => `${e.name}: ${e.error}`).join(' '));
        }
        await cacheOrders(orders, null);
        return [...orders].sort(newestFirst);
      } catch (error) {
        if (!(error instanceof HubRequestError)) throw error;
        // Offline: what the cache knows, with or without the leading '#'.
        const bare = wanted.replace(/^#/, '');
        const cached = await db.orders
          .where('number')
          .anyOf([bare, `#${bare}`])
          .toArray();
        if (cached.length === 0) throw error;
        return cachedOrders(cached).sort(newestFirst);
      }
    },

    async lookupOrders(conversationId, lookup = {}) {
      const conversationQuery = `conversation=${encodeURIComponent(conversationId)}`;
      let sources: OrderSource[];
      try {
        const parsed = orderSourcesSchema.safeParse(
          await get(`/api/orders/sources?${conversationQuery}`),
        );
        if (!parsed.success)
          throw new HubRequestError('The hub sent sources this app cannot read.');
        sources = parsed.data.sources;
      } catch (error) {
        // A hub from before issue #17 has no sources: its one merged answer, as before.
        if (!(error instanceof HubRequestError) || error.status !== 404) throw error;
        await layer.fetchOrders(conversationId);
        return null;
      }
      const customerId = (await conversationOf(conversationId))?.customer.id ?? null;
      const sourceIds = new Set(sources.map((source) => source.id));
      const states: OrderSourceState[] = sources.map((source) => ({
        ...source,
        state: 'loading',
        error: null,
        fetchedAt: null,
        stale: false,
        linkedNumbers: [],
      }));
      lookup.onSources?.([...states]);
      const refresh = lookup.refresh ? '&refresh=1' : '';
      await Promise.all(
        sources.map(async (source, index) => {
          let state: OrderSourceState;
          try {
            const parsed = sourceOrdersSchema.safeParse(
              await get(
                `/api/orders?${conversationQuery}&source=${encodeURIComponent(source.id)}${refresh}`,
              ),
            );
            if (!parsed.success) {
              throw new HubRequestError('The hub sent orders this app cannot read.');
            }
            const { orders, source: answered, linkedNumbers } = parsed.data;
            // After a shop's error the hub sends what it has cached: the app's cache keeps more.
            await cacheOrders(
              orders,
              customerId,
              answered.state === 'ok'
                ? (cached) => orderSourceOf(cached, sourceIds) === source.id
                : () => false,
            );
            state = { ...source, ...answered, id: source.id, linkedNumbers };
          } catch (error) {
            if (!(error instanceof HubRequestError)) throw error;
            state = {
              ...source,
              state: 'error',
              error: error.message,
              fetchedAt: null,
              stale: true,
              linkedNumbers: [],
            };
          }
          states[index] = state;
          lookup.onSources?.([...states]);
        }),
      );
      return states;
    },

    async linkOrder(conversationId, sourceId, number) {
      const parsed = linkedOrderSchema.safeParse(
        await send('POST', '/api/orders/links', {
          conversation: conversationId,
          source: sourceId,
          number,
        }),
      );
      if (!parsed.success) throw new HubRequestError('The hub sent an order this app cannot read.');
      const customerId = (await conversationOf(conversationId))?.customer.id ?? null;
      await cacheOrders([parsed.data.order], customerId, () => false);
      return parsed.data.order;
    },

    async unlinkOrder(conversationId, sourceId, number) {
      const link = new URLSearchParams({ conversation: conversationId, source: sourceId, number });
      await fetchOk('DELETE', `/api/orders/links?${link}`);
      const customerId = (await conversationOf(conversationId))?.customer.id;
      if (customerId === undefined) return;
      const key = customerKey(customerId);
      const sourceIds = new Set([sourceId]);
      await db.orders
        .where('customerKeys')
        .equals(key)
        .and((order) => order.number === number && orderSourceOf(order, sourceIds) === sourceId)
        .modify((order: { customerKeys: readonly string[] }) => {
          order.customerKeys = order.customerKeys.filter((k) => k !== key);
        });
    },

    async request(method, path, schema, body) {
      const parsed = schema.safeParse(await send(method, path, body));
      if (!parsed.success)
        throw new HubRequestError('The hub sent an answer this app cannot read.');
      return parsed.data;
    },

    async download(path) {
      const response = await fetchOk('GET', path);
      const disposition = response.headers.get('content-disposition') ?? '';
      return {
        blob: await response.blob(),
        filename: /filename="([^"]+)"/.exec(disposition)?.[1] ?? null,
      };
    },

    subscribeEvents(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
  };
  return layer;
}

/** Orders cached for a customer, newest first (offline reading of the order panel). */
export async function cachedOrdersOf(db: ReplydeskDb, customerId: string): Promise<Order[]> {
  const rows = await db.orders.where('customerKeys').equals(customerKey(customerId)).toArray();
  return cachedOrders(rows).sort(newestFirst);
}

/**
 * Cached orders whose number starts with `prefix` (with or without its "#", any case), newest
 * first, at most `limit`: the command palette's order search, offline as online. Read through
 * the `number` index, so it costs the same with ten orders cached or ten thousand.
 */
export async function cachedOrdersByNumber(
  db: ReplydeskDb,
  prefix: string,
  limit = 5,
): Promise<CachedOrder[]> {
  const bare = prefix.trim().replace(/^#/, '');
  if (bare === '') return [];
  const rows = await db.orders
    .where('number')
    .startsWithAnyOfIgnoreCase([bare, `#${bare}`])
    .limit(limit * 4)
    .toArray();
  return rows.sort((a, b) => b.createdAt - a.createdAt).slice(0, limit);
}
