import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../../src/server/hub';
import { pruneEvents } from '../../../src/server/store/events';
import type { Conversation, Message } from '../../../src/shared/domain/model';
import {
  createDataLayer,
  mergeWithOutbox,
  type DataLayer,
  type DataLayerOptions,
} from '../../../src/renderer/src/data/data-layer';
import {
  mergeMessage,
  readConversations,
  readMessages,
} from '../../../src/renderer/src/data/cache-writes';
import {
  readMeta,
  type DexieDependencies,
  type ReplydeskDb,
} from '../../../src/renderer/src/data/db';
import type { WakeSignals } from '../../../src/renderer/src/data/sync-engine';
import type { Me, SyncStatus } from '../../../src/renderer/src/data/types';
import type { Timers } from '../../../src/renderer/src/data/realtime';
import { api, login, startTestHub } from '../../support/hub';
import {
  createTestNetwork,
  hubHead,
  inbound,
  meOf,
  newIndexedDb,
  seed,
  waitFor,
  type TestNetwork,
} from './support';

/**
 * The data layer against a REAL hub (PGlite in memory), with fake-indexeddb as IndexedDB and
 * `ws` as the socket: first sync, exactly-once events, restarts, the outbox, resets.
 */

let hub: RunningHub;
let token: string;
let me: Me;
const HEARTBEAT_MS = 300;

/** Real timers, 5× faster: backoffs and the dead-socket watchdog without slow tests. */
const fastTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms / 5),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const layers: DataLayer[] = [];
function makeLayer(
  deps: DexieDependencies,
  network: TestNetwork,
  overrides: Partial<DataLayerOptions> = {},
): DataLayer {
  const layer = createDataLayer({
    hubUrl: hub.url,
    token,
    me,
    dexie: deps,
    fetch: network.fetch,
    openSocket: network.openSocket,
    timers: fastTimers,
    wake: null,
    random: () => 0.5,
    conversationPageSize: 2,
    messagePageSize: 5,
    ...overrides,
  });
  layers.push(layer);
  return layer;
}

const live = (layer: DataLayer) =>
  waitFor(() => layer.getStatus().phase === 'live', 'the layer to be live');

async function hubConversations(): Promise<Conversation[]> {
  return (
    await api<{ conversations: Conversation[] }>(hub.url, token, '/api/conversations?limit=500')
  ).body.conversations;
}

async function hubMessages(conversationId: string): Promise<Message[]> {
  return (
    await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversationId}/messages?limit=1000`,
    )
  ).body.messages;
}

async function hubMessageCount(): Promise<number> {
  return (await api<{ total: number }>(hub.url, token, '/api/sync/messages?limit=1')).body.total;
}

/**
 * The cache holds exactly what the hub holds, and the seq it is consistent with. Polled: the
 * demo sender keeps reporting delivery statuses for a while after each reply.
 */
async function expectInSync(layer: DataLayer): Promise<void> {
  const differences = async (): Promise<string[]> => {
    const head = await hubHead(hub.url, token);
    const problems: string[] = [];
    if (layer.getStatus().lastSeq !== head)
      problems.push(`lastSeq ${layer.getStatus().lastSeq} ≠ ${head}`);
    if ((await readMeta(layer.db, 'lastSeq')) !== head) problems.push('stored lastSeq');
    const conversations = await hubConversations();
    if ((await layer.db.conversations.count()) !== conversations.length)
      problems.push('conversation count');
    if (layer.conversations.getSnapshot().size !== conversations.length)
      problems.push('in-memory count');
    for (const c of conversations) {
      const { window: _w, ...bare } = c as Conversation & { window: unknown };
      if (JSON.stringify(await layer.db.conversations.get(c.id)) !== JSON.stringify(bare))
        problems.push(`conversation ${c.id}`);
      if (JSON.stringify(layer.conversations.getSnapshot().get(c.id)) !== JSON.stringify(bare))
        problems.push(`in-memory conversation ${c.id}`);
    }
    if ((await cachedMessages(layer.db)).length !== (await hubMessageCount()))
      problems.push('message count');
    return problems;
  };
  let last: string[] = [];
  try {
    await waitFor(
      async () => (last = await differences()).length === 0,
      'the cache to match the hub',
    );
  } catch {
    expect(last).toEqual([]);
  }
}

async function telegramConversation(tag: string): Promise<Conversation> {
  const found = (await hubConversations()).find((c) => c.customer.name === `Customer ${tag}`);
  if (!found) throw new Error(`no conversation for ${tag}`);
  return found;
}

/** Every message the cache holds (first-sync pages and per-message rows), each once. */
async function cachedMessages(db: ReplydeskDb): Promise<Message[]> {
  const byId = new Map<string, Message>();
  for (const page of await db.messagePages.toArray())
    for (const json of page.messages)
      for (const m of JSON.parse(json) as Message[])
        byId.set(m.id, mergeMessage(byId.get(m.id), m));
  for (const m of await db.messages.toArray()) byId.set(m.id, mergeMessage(byId.get(m.id), m));
  return [...byId.values()];
}

beforeAll(async () => {
  hub = await startTestHub({ realtime: { heartbeatMs: HEARTBEAT_MS } });
  token = await login(hub.url);
  me = await meOf(hub.url, token);
  await seed(hub, 3, 4, 'first');
});

afterEach(() => {
  for (const layer of layers.splice(0)) layer.close();
});

afterAll(async () => {
  await hub.close();
});

describe('the first sync', () => {
  it('fills the cache page by page with a visible progress, then goes live', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    const statuses: SyncStatus[] = [];
    layer.subscribeStatus(() => statuses.push(layer.getStatus()));
    layer.start();
    await live(layer);
    await expectInSync(layer);

    const progress = statuses.flatMap((s) =>
      s.phase === 'first_sync' && s.progress ? [s.progress] : [],
    );
    const conversations = (await hubConversations()).length;
    const messages = await hubMessageCount();
    expect(progress[0]).toEqual({ conversations: 0, messages: 0, totalConversations: null });
    expect(progress.some((p) => p.conversations > 0 && p.conversations < conversations)).toBe(true);
    expect(progress.some((p) => p.messages > 0 && p.messages < messages)).toBe(true);
    expect(progress[progress.length - 1]).toEqual({
      conversations,
      messages,
      totalConversations: conversations,
    });
    expect(layer.getStatus()).toMatchObject({ phase: 'live', progress: null, error: null });
    // The socket resumes from the first conversation page's headSeq.
    const firstPage = network.requests.findIndex((r) => r.startsWith('/api/conversations?'));
    expect(firstPage).toBe(0);
    expect(network.sockets).toEqual([
      expect.stringContaining(`since=${layer.getStatus().lastSeq}`),
    ]);

    expect(await layer.db.templates.count()).toBe(
      (await api<{ templates: unknown[] }>(hub.url, token, '/api/templates')).body.templates.length,
    );
    expect((await layer.db.users.toArray()).map((u) => u.id)).toContain(me.id);
    expect(await readMeta(layer.db, 'rateCard')).toMatchObject({ schemaVersion: 1 });
    expect(await readMeta(layer.db, 'firstSyncComplete')).toBe(true);
  });

  it('stops at its message cap and loads older history per conversation on demand', async () => {
    const layer = makeLayer(newIndexedDb(), createTestNetwork(), { maxMessages: 5 });
    layer.start();
    await live(layer);
    expect(await cachedMessages(layer.db)).toHaveLength(5);
    expect(await readMeta(layer.db, 'historyTruncated')).toBe(true);
    const conversation = await telegramConversation('first-0');
    const expected = (await hubMessages(conversation.id)).map((m) => m.id);
    let complete = false;
    while (!complete) ({ complete } = await layer.loadOlderMessages(conversation.id, 2));
    const cached = await readMessages(layer.db, conversation.id);
    expect(cached.map((m) => m.id)).toEqual(expected);
  });
});

describe('events', () => {
  it('are applied live, once, and keep the in-memory inbox current', async () => {
    const layer = makeLayer(newIndexedDb(), createTestNetwork());
    layer.start();
    await live(layer);
    const message = inbound('first-1', 'Is it shipped yet?');
    await hub.ingestor.ingest(message);
    const stored = await waitFor(async () => {
      const rows = await layer.db.messages.where('externalId').equals(message.externalId).toArray();
      return rows.length > 0 ? rows : null;
    }, 'the new message');
    expect(stored).toHaveLength(1);
    const conversationId = (stored[0] as Message).conversationId;
    await waitFor(
      () =>
        layer.conversations.getSnapshot().get(conversationId)?.lastMessagePreview ===
        'Is it shipped yet?',
      'the inbox preview',
    );
    await expectInSync(layer);
  });

  it('resume from the stored seq after a gap in the stream, losing nothing', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    layer.start();
    await live(layer);
    let dropped = false;
    network.filter = (text) => {
      if (!dropped && (JSON.parse(text) as { type: string }).type === 'events') {
        dropped = true;
        return null;
      }
      return text;
    };
    await hub.ingestor.ingest(inbound('first-2', 'lost in transit'));
    await hub.ingestor.ingest(inbound('first-2', 'arrives after a hole'));
    await waitFor(() => network.sockets.length >= 2, 'a resumed socket');
    await live(layer);
    await expectInSync(layer);
    expect(dropped).toBe(true);
  });

  it('change nothing when a frame is malformed', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    layer.start();
    await live(layer);
    const before = layer.getStatus().lastSeq;
    const count = await layer.db.conversations.count();
    const handlers = network.handlers();
    handlers.message('{not json');
    handlers.message(new Uint8Array([1, 2, 3]));
    handlers.message(JSON.stringify({ type: 'launch' }));
    handlers.message(
      JSON.stringify({
        type: 'events',
        events: [
          {
            seq: before + 1,
            at: 1,
            event: { type: 'conversation.updated', conversation: { id: 'evil' } },
          },
        ],
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(layer.getStatus()).toMatchObject({ phase: 'live', lastSeq: before });
    expect(await layer.db.conversations.count()).toBe(count);
    expect(await layer.db.conversations.get('evil')).toBeUndefined();
    await hub.ingestor.ingest(inbound('first-0', 'still flowing'));
    await expectInSync(layer);
  });

  it('reload from the API when the hub says resync, then resume', async () => {
    const deps = newIndexedDb();
    const first = makeLayer(deps, createTestNetwork());
    first.start();
    await live(first);
    first.stop();
    await hub.ingestor.ingest(inbound('resync-0', 'while the app was away'));
    await pruneEvents(hub.db, 0);
    const network = createTestNetwork();
    const layer = makeLayer(deps, network);
    layer.start();
    await waitFor(
      () => network.requests.some((r) => r.startsWith('/api/sync/messages')),
      'a reload',
    );
    await live(layer);
    await expectInSync(layer);
  });
});

describe('a restart', () => {
  it('renders from the cache at once and resumes from the stored seq without a first sync', async () => {
    const deps = newIndexedDb();
    const first = makeLayer(deps, createTestNetwork());
    first.start();
    await live(first);
    await expectInSync(first);
    const seq = first.getStatus().lastSeq;
    const cached = first.conversations.getSnapshot().size;
    // After its first sync the layer folds the conversations into the chunked copy, which the
    // next start reads instead of a row per conversation.
    await waitFor(
      async () => (await readConversations(first.db)).dirty === 0,
      'the conversations compacted',
    );
    expect(await first.db.conversationChunks.count()).toBeGreaterThan(0);
    first.close();
    const message = inbound('first-0', 'written while the app was closed');
    await hub.ingestor.ingest(message);

    const network = createTestNetwork();
    const layer = makeLayer(deps, network);
    layer.start();
    await layer.ready;
    expect(layer.conversations.getSnapshot().size).toBe(cached);
    expect(layer.getStatus().lastSeq).toBe(seq);
    await live(layer);
    await expectInSync(layer);
    expect(
      (await cachedMessages(layer.db)).filter((m) => m.externalId === message.externalId),
    ).toHaveLength(1);
    expect(
      network.requests.filter(
        (r) => r.startsWith('/api/conversations') || r.startsWith('/api/sync'),
      ),
    ).toEqual([]);
    expect(network.sockets[0]).toContain(`since=${seq}`);
  });
});

describe('the outbox', () => {
  it('queues replies while the hub is away, survives a restart, and sends them once, in order', async () => {
    const deps = newIndexedDb();
    const network = createTestNetwork();
    const first = makeLayer(deps, network);
    first.start();
    await live(first);
    const conversation = await telegramConversation('first-1');
    network.down();
    await waitFor(() => first.getStatus().phase !== 'live', 'the layer to notice');
    const bodies = [
      'First, sorry for the wait.',
      'Second: it ships today.',
      'Third: tracking follows.',
    ];
    const ids: string[] = [];
    for (const body of bodies)
      ids.push(await first.sendMessage(conversation.id, { type: 'text', body }));
    await waitFor(() => first.getStatus().outboxSize === 3, 'three queued');
    const shown = mergeWithOutbox(
      await readMessages(first.db, conversation.id),
      await first.db.outbox.toArray(),
      new Map(),
      me.id,
    );
    expect(shown.slice(-3).map((m) => [m.id, m.status])).toEqual(
      ids.map((id) => [`local:${id}`, 'queued']),
    );
    first.close();

    // The app restarts while the hub is still away, then the hub comes back.
    const later = createTestNetwork();
    later.up = false;
    const layer = makeLayer(deps, later);
    layer.start();
    await layer.ready;
    await waitFor(() => layer.getStatus().phase === 'offline', 'offline');
    expect(layer.getStatus()).toMatchObject({ outboxSize: 3 });
    expect(layer.getStatus().retryAt).not.toBeNull();
    later.up = true;
    layer.reconnectNow();
    await live(layer);
    await waitFor(async () => (await layer.db.outbox.count()) === 0, 'an empty outbox');

    const stored = (await hubMessages(conversation.id)).filter(
      (m) => m.clientId !== null && ids.includes(m.clientId),
    );
    expect(stored.map((m) => m.clientId)).toEqual(ids);
    expect(stored.map((m) => (m.content.type === 'text' ? m.content.body : ''))).toEqual(bodies);
    await expectInSync(layer);
    const cachedReplies = (await cachedMessages(layer.db)).filter(
      (m) => m.clientId !== null && ids.includes(m.clientId),
    );
    expect(cachedReplies).toHaveLength(3);
    expect(layer.getStatus().outboxSize).toBe(0);
  });

  it('sends again with the same client id when an answer is lost, and the hub stores it once', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network, { ackTimeoutMs: 1_500 });
    layer.start();
    await live(layer);
    const conversation = await telegramConversation('first-2');
    let swallowed = 0;
    network.filter = (text) => {
      if (swallowed === 0 && (JSON.parse(text) as { type: string }).type === 'ack') {
        swallowed += 1;
        return null;
      }
      return text;
    };
    const clientId = await layer.sendMessage(conversation.id, {
      type: 'text',
      body: 'Exactly once.',
    });
    await waitFor(
      async () => (await layer.db.outbox.count()) === 0,
      'the retried command to be acknowledged',
    );
    expect(swallowed).toBe(1);
    expect(network.sockets.length).toBeGreaterThanOrEqual(2);
    expect(
      (await hubMessages(conversation.id)).filter((m) => m.clientId === clientId),
    ).toHaveLength(1);
    await waitFor(
      async () =>
        (await cachedMessages(layer.db)).filter((m) => m.clientId === clientId).length === 1,
      'the reply in the cache',
    );
  });

  it('marks a reply the hub refuses as failed with its reason, and the next one still goes', async () => {
    const whatsapp = inbound('wa-late', 'Hello?', {
      channel: 'whatsapp',
      channelAccountId: 'demo-whatsapp',
      customer: { externalId: '31611111111', name: 'Customer wa-late', phone: '+31611111111' },
      sentAt: Date.now() - 30 * 3_600_000,
    });
    await hub.ingestor.ingest(whatsapp);
    const layer = makeLayer(newIndexedDb(), createTestNetwork());
    layer.start();
    await live(layer);
    const closed = await telegramConversation('wa-late');
    const open = await telegramConversation('first-0');
    const refused = await layer.sendMessage(closed.id, {
      type: 'text',
      body: 'Too late for free text.',
    });
    const next = await layer.sendMessage(open.id, { type: 'text', body: 'This one goes.' });
    const failed = await waitFor(
      () =>
        layer.db.outbox
          .where('clientId')
          .equals(refused)
          .and((e) => e.state === 'failed')
          .first(),
      'the refusal',
    );
    expect(failed.error?.code).toBe('window_closed');
    expect(failed.error?.message).toMatch(/reply window/i);
    await waitFor(
      async () => (await layer.db.outbox.where('clientId').equals(next).count()) === 0,
      'the next entry to go',
    );
    expect((await hubMessages(open.id)).filter((m) => m.clientId === next)).toHaveLength(1);
    expect((await hubMessages(closed.id)).filter((m) => m.clientId === refused)).toHaveLength(0);
    expect(layer.getStatus().outboxSize).toBe(0);

    const shown = mergeWithOutbox(
      await readMessages(layer.db, closed.id),
      await layer.db.outbox.toArray(),
      new Map(),
      me.id,
    );
    expect(shown[shown.length - 1]).toMatchObject({
      id: `local:${refused}`,
      status: 'failed',
      failureCode: 'window_closed',
    });

    // A retry is refused again for the same reason; a discard removes it.
    await layer.retry(refused);
    await waitFor(
      () =>
        layer.db.outbox
          .where('clientId')
          .equals(refused)
          .and((e) => e.state === 'failed' && e.attempts === 1)
          .first(),
      'the second refusal',
    );
    await layer.discard(refused);
    expect(await layer.db.outbox.count()).toBe(0);
  });

  it('refuses a malformed reply at once and queues nothing', async () => {
    const layer = makeLayer(newIndexedDb(), createTestNetwork());
    layer.start();
    await layer.ready;
    await expect(layer.sendMessage('cnv_x', { type: 'text', body: '   ' })).rejects.toThrow(
      /cannot be sent/,
    );
    expect(await layer.db.outbox.count()).toBe(0);
  });
});

describe('resetting the local data', () => {
  it('rebuilds the cache from the hub and keeps the outbox and drafts', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    layer.start();
    await live(layer);
    const conversation = await telegramConversation('first-0');
    await layer.saveDraft(conversation.id, 'Half-written answer');
    network.down();
    await waitFor(() => layer.getStatus().phase !== 'live', 'offline');
    const queued = await layer.sendMessage(conversation.id, {
      type: 'text',
      body: 'Queued before the reset.',
    });
    await layer.db.conversations.put({
      ...conversation,
      customer: { ...conversation.customer, name: 'Stale name' },
    });
    network.up = true;
    await layer.resetLocalData();
    await live(layer);
    expect((await layer.db.drafts.get(conversation.id))?.text).toBe('Half-written answer');
    await waitFor(async () => (await layer.db.outbox.count()) === 0, 'the kept entry to be sent');
    await expectInSync(layer);
    expect((await hubMessages(conversation.id)).filter((m) => m.clientId === queued)).toHaveLength(
      1,
    );
    expect(
      network.requests.filter((r) => r.startsWith('/api/sync/messages?')).length,
    ).toBeGreaterThan(1);
  });
});

describe('liveness', () => {
  it('reconnects when the hub goes silent for two heartbeats', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    layer.start();
    await live(layer);
    network.filter = () => null;
    await waitFor(() => network.sockets.length >= 2, 'a new socket', 10_000);
    network.filter = null;
    await live(layer);
    await hub.ingestor.ingest(inbound('first-1', 'after the silence'));
    await expectInSync(layer);
  });

  it('gives up on a socket whose hello never comes, even while pings arrive', async () => {
    const network = createTestNetwork();
    const layer = makeLayer(newIndexedDb(), network);
    layer.start();
    await live(layer);
    // The connection drops; on the next one only the hello is lost: pings keep arriving on a
    // socket that never became usable.
    network.filter = (data) => (data.includes('"type":"hello"') ? null : data);
    network.down();
    network.up = true;
    await waitFor(() => network.sockets.length >= 3, 'a socket after the helloless one', 10_000);
    network.filter = null;
    await live(layer);
    await hub.ingestor.ingest(inbound('first-1', 'after the lost hello'));
    await expectInSync(layer);
  });

  it('tries at once when the network comes back instead of waiting for the backoff', async () => {
    let wake: ((signal: 'online' | 'visible', hiddenForMs: number) => void) | null = null;
    const signals: WakeSignals = {
      subscribe(listener) {
        wake = listener;
        return () => undefined;
      },
    };
    const network = createTestNetwork();
    // Real timers here: the backoff really is a second or more.
    const layer = makeLayer(newIndexedDb(), network, {
      wake: signals,
      timers: {
        setTimeout: (fn, ms) => setTimeout(fn, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      },
    });
    layer.start();
    await live(layer);
    network.down();
    await waitFor(() => layer.getStatus().retryAt !== null, 'a pending retry');
    network.up = true;
    const at = Date.now();
    (wake as unknown as (signal: 'online', hiddenForMs: number) => void)('online', 0);
    await live(layer);
    expect(Date.now() - at).toBeLessThan(900);
  });
});

describe('search', () => {
  it('finds the conversations whose cached messages contain a text, ignoring case', async () => {
    const layer = makeLayer(newIndexedDb(), createTestNetwork());
    layer.start();
    await live(layer);
    const target = await telegramConversation('first-2');
    expect(await layer.searchMessageConversations('FIRST MESSAGE 3 FROM 2')).toEqual([target.id]);
    const all = await layer.searchMessageConversations('first message');
    expect(all.length).toBe(3);
    expect(await layer.searchMessageConversations('no such words anywhere')).toEqual([]);
    expect(await layer.searchMessageConversations('   ')).toEqual([]);
  });
});
