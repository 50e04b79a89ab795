import { z } from 'zod';
import {
  messageSchema,
  roleSchema,
  templateSchema,
  type Conversation,
} from '../../../shared/domain/model';
import { parseRateCard, RateCardError } from '../../../shared/pricing';
import { activityPageSchema } from '../../../shared/protocol/activity';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  CLOSE_CODES,
  REALTIME_SUBPROTOCOL,
  type ServerFrame,
} from '../../../shared/protocol/realtime';
import {
  conversationPageSchema,
  parseServerFrame,
  realtimeUrl,
  retryDelay,
  type AppEvent,
  type Timers,
} from './realtime';
import {
  applyEventBatch,
  storeActivity,
  compactConversations,
  readConversations,
  storeConversations,
  storeSyncPage,
} from './cache-writes';
import { createConversationStore, type ConversationStore } from './conversation-store';
import { clearCache, openCache, readMeta, type ReplydeskDb } from './db';
import {
  countWaiting,
  createOutboxSender,
  type OutboxSender,
  type OutboxSenderOptions,
} from './outbox';
import type { PresenceLink } from './presence';
import type { SyncStatus } from './types';

/**
 * The sync engine (DESIGN.md "Rules of the data"; docs/protocol.md): keeps the Dexie cache equal
 * to the hub. The first sync pages conversations, then messages, templates, teammates and the
 * rate card into the cache with a visible progress, and resumes from the FIRST conversation
 * page's `headSeq` (anything that changed while paging has a later seq, so the socket brings
 * it). From then on one WebSocket resumes from the stored `lastSeq`; each `events` frame is
 * applied in one transaction together with the new `lastSeq`, so every event is applied exactly
 * once across reconnects, reloads and crashes. After a restart the app renders from the cache at
 * once and resumes; it never runs the first sync again unless the hub says `resync` or the agent
 * resets the cache. The outbox is sent over the same socket (outbox.ts).
 *
 * Framework-free: fetch, the socket, timers, the clock and the page's wake signals are injected,
 * so tests drive it against a real hub in Node.
 */

/** What the engine needs from a WebSocket: the browser's in the app, `ws` in tests. */
export interface RealtimeSocket {
  /** False when the socket cannot take the frame (not open). */
  send(data: string): boolean;
  close(code?: number, reason?: string): void;
}
export interface RealtimeSocketHandlers {
  message(data: unknown): void;
  close(code: number, reason: string): void;
}
export type OpenRealtimeSocket = (
  url: string,
  protocols: string[],
  handlers: RealtimeSocketHandlers,
) => RealtimeSocket;

/** The page telling the engine that now is a good time to try again. */
export interface WakeSignals {
  /**
   * `online`: the network came back. `visible`: the page is visible again after `hiddenForMs`
   * hidden (the machine may have slept). Returns the unsubscribe function.
   */
  subscribe(listener: (signal: 'online' | 'visible', hiddenForMs: number) => void): () => void;
}

export interface SyncEngineOptions {
  readonly db: ReplydeskDb;
  /** The cache already being opened and read (`openCacheEarly`); else the engine does it. */
  readonly opening?: Promise<OpenedCache>;
  readonly hubUrl: string;
  readonly token: string;
  /** Told the hub's clock and the local instant it corresponds to (`setHubTime`). */
  readonly onHubTime?: (hubTime: number, localTime: number) => void;
  /** The hub refused the token (401 or close 4001): the session is over. */
  readonly onSessionEnded?: () => void;
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  readonly openSocket?: OpenRealtimeSocket;
  readonly timers?: Timers;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly wake?: WakeSignals | null;
  readonly conversationPageSize?: number;
  readonly messagePageSize?: number;
  /** The first sync stops after this many messages; older ones load per conversation. */
  readonly maxMessages?: number;
  /** Heartbeat assumed when the hub does not announce one. */
  readonly heartbeatMs?: number;
  readonly ackTimeoutMs?: number;
  /** Told of every live event batch once it is stored (dashboards refresh their figures). */
  readonly onEvents?: (events: readonly AppEvent[]) => void;
  /** Who else is where (presence.ts): told when the socket is live or gone, and its frames. */
  readonly presence?: PresenceLink;
  /** Uploads the file of an outbox entry before its command (OutboxSenderOptions.upload). */
  readonly upload?: OutboxSenderOptions['upload'];
}

export interface SyncEngine {
  /** Open the cache (once) and connect. */
  start(): void;
  stop(): void;
  /** Resolves once the cache is open and its conversations are in memory. */
  readonly ready: Promise<void>;
  /** Skip the wait of a pending reconnect. */
  reconnectNow(): void;
  /** Drop the cache (not the outbox or drafts) and rebuild it from the hub. */
  resetLocalData(): Promise<void>;
  /** Something was written to the outbox: send it when live; resolves once `outboxSize` is current. */
  kickOutbox(): Promise<void>;
  /** Stop the running upload of an outbox entry (it was cancelled). */
  abortUpload(clientId: string): void;
  subscribe(listener: () => void): () => void;
  getStatus(): SyncStatus;
  readonly conversations: ConversationStore;
}

export const CONVERSATION_PAGE_SIZE = 500;
export const MESSAGE_PAGE_SIZE = 2000;
export const MAX_FIRST_SYNC_MESSAGES = 200_000;
export const DEFAULT_HEARTBEAT_MS = 30_000;
/** Conversations written since the chunked copy past which a start compacts it. */
export const COMPACT_AFTER = 500;
/** How long after a start or a first sync the compaction waits (the inbox first). */
const COMPACT_DELAY_MS = 2_000;
/** Frames received and not yet stored: past this, drop the socket and resume from the log. */
export const MAX_PENDING_FRAMES = 100;
/** Failed attempts in a row after which we say "offline" rather than "reconnecting". */
const OFFLINE_AFTER_FAILURES = 3;
/** A page hidden this long may have slept: check the socket when it is visible again. */
const WAKE_AFTER_HIDDEN_MS = 10_000;

const conversationsPageSchema = conversationPageSchema.extend({
  total: z.number().int().min(0).optional(),
});
const messagesPageSchema = z.object({
  messages: z.array(messageSchema),
  nextCursor: z.string().nullable(),
  headSeq: z.number().int().min(0),
  hubTime: z.number(),
  total: z.number().int().min(0).optional(),
});
const templatesSchema = z.object({ templates: z.array(templateSchema) });
const usersSchema = z.object({
  users: z.array(
    z.object({ id: z.string(), name: z.string(), role: roleSchema, disabled: z.boolean() }),
  ),
});
const rateCardAnswerSchema = z.object({ rateCard: z.unknown() });
const hubErrorSchema = z.object({ message: z.string() });

class Unauthorized extends Error {}
class NotFound extends Error {}
/** A newer attempt (or stop) took over: this one ends quietly. */
class Superseded extends Error {}

async function failureOf(response: Response): Promise<string> {
  try {
    const parsed = hubErrorSchema.safeParse(await response.json());
    if (parsed.success) return `${parsed.data.message} (HTTP ${response.status})`;
  } catch {
    // Not JSON (a proxy's error page): the status is all there is.
  }
  return `The hub answered HTTP ${response.status}.`;
}

export const browserRealtimeSocket: OpenRealtimeSocket = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols);
  socket.onmessage = (event) => handlers.message(event.data);
  // Browsers always follow `error` with `close`; the close carries what we need.
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  return {
    send(data) {
      if (socket.readyState !== WebSocket.OPEN) return false;
      socket.send(data);
      return true;
    },
    close: (code, reason) => socket.close(code, reason),
  };
};

const browserTimers: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** `online` and visibility events of the page, when there is one. */
export function browserWakeSignals(now: () => number = Date.now): WakeSignals | null {
  if (typeof window === 'undefined' || typeof document === 'undefined') return null;
  return {
    subscribe(listener) {
      let hiddenAt: number | null = document.visibilityState === 'hidden' ? now() : null;
      const onOnline = (): void => listener('online', 0);
      const onVisibility = (): void => {
        if (document.visibilityState === 'hidden') {
          hiddenAt = now();
        } else if (hiddenAt !== null) {
          const hiddenFor = now() - hiddenAt;
          hiddenAt = null;
          listener('visible', hiddenFor);
        }
      };
      window.addEventListener('online', onOnline);
      document.addEventListener('visibilitychange', onVisibility);
      return () => {
        window.removeEventListener('online', onOnline);
        document.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}

/** What a start reads from the cache before anything is shown. */
export interface OpenedCache {
  readonly lastSeq: number | undefined;
  readonly complete: boolean | undefined;
  readonly cached: { readonly conversations: Conversation[]; readonly dirty: number };
  readonly outboxSize: number;
}

/** Open the cache (migrating or dropping an old one) and read what a start shows first. */
export async function openAndReadCache(db: ReplydeskDb): Promise<OpenedCache> {
  await openCache(db);
  const [lastSeq, complete, cached, outboxSize] = await Promise.all([
    readMeta<number>(db, 'lastSeq'),
    readMeta<boolean>(db, 'firstSyncComplete'),
    readConversations(db),
    countWaiting(db),
  ]);
  return { lastSeq, complete, cached, outboxSize };
}

const INITIAL_STATUS: SyncStatus = {
  phase: 'opening',
  progress: null,
  retryAt: null,
  error: null,
  lastSeq: 0,
  outboxSize: 0,
};

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db } = options;
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const openSocket = options.openSocket ?? browserRealtimeSocket;
  const timers = options.timers ?? browserTimers;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const conversationPageSize = options.conversationPageSize ?? CONVERSATION_PAGE_SIZE;
  const messagePageSize = options.messagePageSize ?? MESSAGE_PAGE_SIZE;
  const maxMessages = options.maxMessages ?? MAX_FIRST_SYNC_MESSAGES;
  const wake = options.wake === undefined ? browserWakeSignals(now) : options.wake;
  const auth = { authorization: `Bearer ${options.token}` };
  const conversations = createConversationStore();

  let status = INITIAL_STATUS;
  const listeners = new Set<() => void>();
  let running = false;
  /** Bumped by every attempt, reset and stop: callbacks of an older attempt do nothing. */
  let generation = 0;
  let socket: RealtimeSocket | null = null;
  let retryTimer: unknown = null;
  let deadTimer: unknown = null;
  let heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  /**
   * Watch the socket for silence: always until the hello (a hung handshake), then only if the
   * hub announced its heartbeat (an older hub sends no ping frames, so silence means nothing).
   */
  let watchSilence = true;
  /**
   * Between opening a socket and its hello: the handshake deadline set when the socket opened
   * stands, whatever else arrives (a ping does not make a socket without a hello usable).
   */
  let handshaking = false;
  let lastFrameAt = 0;
  let failures = 0;
  let everLive = false;
  /** The next attempt loads from the API first (no first sync yet, `resync`, reset). */
  let needsLoad = true;
  /** The next load empties the cache first (a reset, or a hub that lost its data). */
  let clearFirst = false;
  /** `resync` answers in a row: a hub that keeps saying it is not retried in a tight loop. */
  let resyncs = 0;
  /** The last socket closed before its hello: check the token before trying again. */
  let checkToken = false;
  /** Hub time minus local time: puts `retryAt` on the app clock. */
  let skewMs = 0;
  /** Frames of the current socket, stored one after the other. */
  let chain: Promise<void> = Promise.resolve();
  let pendingFrames = 0;
  let unsubscribeWake: (() => void) | null = null;

  function commit(patch: Partial<SyncStatus>): void {
    status = { ...status, ...patch };
    for (const listener of [...listeners]) listener();
  }

  function noteHubTime(hubTime: number, localTime: number): void {
    skewMs = hubTime - localTime;
    options.onHubTime?.(hubTime, localTime);
  }

  function refreshOutboxSize(): Promise<void> {
    return countWaiting(db).then(
      (outboxSize) => {
        if (outboxSize !== status.outboxSize) commit({ outboxSize });
      },
      () => undefined,
    );
  }

  const outbox: OutboxSender = createOutboxSender({
    db,
    timers,
    random,
    ackTimeoutMs: options.ackTimeoutMs,
    onChange: () => void refreshOutboxSize(),
    onStuck: () => dropSocket('The hub stopped answering; reconnecting.'),
    upload: options.upload,
  });

  function clearDeadTimer(): void {
    if (deadTimer !== null) timers.clearTimeout(deadTimer);
    deadTimer = null;
  }

  function closeSocket(): void {
    clearDeadTimer();
    outbox.disconnected();
    options.presence?.disconnected();
    const current = socket;
    socket = null;
    current?.close(1000, 'client closing');
  }

  function endSession(): void {
    running = false;
    generation += 1;
    closeSocket();
    commit({ phase: 'offline', retryAt: null, error: 'The session has ended.' });
    options.onSessionEnded?.();
  }

  function scheduleRetry(error: string): void {
    if (!running) return;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    failures += 1;
    const delay = retryDelay(failures, random);
    commit({
      phase: everLive && failures < OFFLINE_AFTER_FAILURES ? 'reconnecting' : 'offline',
      progress: null,
      retryAt: now() + skewMs + delay,
      error,
    });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void attempt();
    }, delay);
  }

  /** Give up the current socket (dead, stuck, a gap) and try again after the backoff. */
  function dropSocket(reason: string): void {
    if (!running) return;
    generation += 1;
    closeSocket();
    scheduleRetry(reason);
  }

  async function request(path: string, gen: number): Promise<unknown> {
    const response = await doFetch(`${options.hubUrl}${path}`, {
      headers: auth,
      cache: 'no-store',
    });
    if (gen !== generation) throw new Superseded();
    if (response.status === 401) throw new Unauthorized();
    if (response.status === 404) throw new NotFound(await failureOf(response));
    if (!response.ok) throw new Error(await failureOf(response));
    const body: unknown = await response.json();
    if (gen !== generation) throw new Superseded();
    return body;
  }

  function parse<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`The hub sent ${what} this app cannot read.`);
    return parsed.data;
  }

  /**
   * The first sync's activity lines (`GET /api/sync/activity`), newest conversations first, up
   * to the message cap; older conversations' lines are loaded when they are opened. A hub that
   * predates activity lines (404) has none to send.
   */
  async function loadActivity(gen: number): Promise<void> {
    let cursor: string | null = null;
    let loaded = 0;
    do {
      const query: string = `limit=2000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      let body: unknown;
      try {
        body = await request(`/api/sync/activity?${query}`, gen);
      } catch (error) {
        if (error instanceof NotFound) return;
        throw error;
      }
      const page = parse(activityPageSchema, body, 'activity lines');
      await storeActivity(db, page.activity);
      if (gen !== generation) throw new Superseded();
      loaded += page.activity.length;
      cursor = page.nextCursor;
    } while (cursor !== null && loaded < maxMessages);
  }

  /**
   * The first sync, or a rebuild. Pages are written as they come (the inbox fills while it
   * runs); `lastSeq` and the first-sync flag are stored only at the end, so a sync cut short
   * starts again rather than resuming from a seq the cache does not match.
   */
  async function load(gen: number): Promise<void> {
    const progress = { conversations: 0, messages: 0, totalConversations: null as number | null };
    commit({ phase: 'first_sync', progress: { ...progress }, retryAt: null });
    if (clearFirst) {
      await clearCache(db);
      conversations.replaceAll([]);
      commit({ lastSeq: 0 });
      clearFirst = false;
    }
    if (gen !== generation) throw new Superseded();

    let headSeq: number | null = null;
    let cursor: string | null = null;
    do {
      const query: string = `limit=${conversationPageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const sentAt = now();
      const page: z.infer<typeof conversationsPageSchema> = parse(
        conversationsPageSchema,
        await request(`/api/conversations?${query}`, gen),
        'a conversation list',
      );
      if (headSeq === null) {
        headSeq = page.headSeq;
        progress.totalConversations = page.total ?? null;
        // Assume the answer was stamped halfway through the round trip.
        noteHubTime(page.hubTime, (sentAt + now()) / 2);
      }
      const stored = await storeConversations(db, page.conversations);
      if (gen !== generation) throw new Superseded();
      conversations.upsert(stored);
      progress.conversations += page.conversations.length;
      commit({ progress: { ...progress } });
      cursor = page.nextCursor;
    } while (cursor !== null);

    cursor = null;
    let truncated = false;
    let batch = 0;
    do {
      const query: string = `limit=${messagePageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: z.infer<typeof messagesPageSchema> = parse(
        messagesPageSchema,
        await request(`/api/sync/messages?${query}`, gen),
        'a message page',
      );
      await storeSyncPage(db, page.messages, batch);
      batch += 1;
      if (gen !== generation) throw new Superseded();
      progress.messages += page.messages.length;
      commit({ progress: { ...progress } });
      cursor = page.nextCursor;
      truncated = cursor !== null && progress.messages >= maxMessages;
    } while (cursor !== null && !truncated);

    await loadActivity(gen);

    const templates = parse(templatesSchema, await request('/api/templates', gen), 'templates');
    const users = parse(usersSchema, await request('/api/users', gen), 'the teammates');
    let rateCard: unknown = null;
    try {
      rateCard = parseRateCard(
        parse(rateCardAnswerSchema, await request('/api/rate-card', gen), 'a rate card').rateCard,
      );
    } catch (error) {
      // Prices are shown where known; a hub without a (valid) rate card still syncs.
      if (!(error instanceof NotFound || error instanceof RateCardError)) throw error;
      console.warn(`Replydesk: no rate card from the hub (${error.message}).`);
    }

    const finalSeq = headSeq ?? 0;
    await db.transaction('rw', [db.templates, db.users, db.meta], async () => {
      // Lists replace what was cached (a template deleted meanwhile goes); later events that
      // replay older versions are refused by the version check.
      await db.templates.clear();
      await db.templates.bulkPut(templates.templates);
      await db.users.clear();
      await db.users.bulkPut(users.users);
      if (rateCard !== null) await db.meta.put({ key: 'rateCard', value: rateCard });
      await db.meta.put({ key: 'historyTruncated', value: truncated });
      await db.meta.put({ key: 'lastSeq', value: finalSeq });
      await db.meta.put({ key: 'firstSyncComplete', value: true });
    });
    if (gen !== generation) throw new Superseded();
    commit({ lastSeq: finalSeq, progress: null });
    compactSoon();
  }

  function enqueueFrame(gen: number, task: () => Promise<void>): void {
    if (pendingFrames >= MAX_PENDING_FRAMES) {
      // The hub sends faster than this machine stores: never buffer without bound; the log
      // has everything after our seq.
      console.warn('Replydesk: falling behind the hub; resuming from the log.');
      dropSocket('Catching up with the hub.');
      return;
    }
    pendingFrames += 1;
    chain = chain
      .then(async () => {
        if (gen === generation) await task();
      })
      .catch((error: unknown) => {
        if (error instanceof Superseded) return;
        console.error('Replydesk: could not store the hub’s changes:', error);
        if (gen === generation)
          dropSocket(
            `This computer could not store the hub’s changes (${error instanceof Error ? error.message : String(error)}).`,
          );
      })
      .finally(() => {
        pendingFrames -= 1;
      });
  }

  function armDeadTimer(gen: number): void {
    clearDeadTimer();
    lastFrameAt = now();
    // No frame for two heartbeats (plus slack for a busy hub): the socket is dead even if the
    // browser has not noticed (docs/protocol.md, "Limits and liveness").
    deadTimer = timers.setTimeout(
      () => {
        deadTimer = null;
        if (gen !== generation) return;
        console.warn('Replydesk: no frame from the hub for two heartbeats; reconnecting.');
        dropSocket('The connection to the hub stopped answering.');
      },
      heartbeatMs * 2 + 5_000,
    );
  }

  function onHello(gen: number, frame: Extract<ServerFrame, { type: 'hello' }>): void {
    noteHubTime(frame.hubTime, now());
    handshaking = false;
    watchSilence = frame.limits.heartbeatMs !== undefined;
    if (frame.limits.heartbeatMs !== undefined) heartbeatMs = frame.limits.heartbeatMs;
    if (watchSilence) armDeadTimer(gen);
    else clearDeadTimer();
    if (frame.resume === 'resync') {
      // The log no longer reaches back to our seq, or the hub is behind it (its data was
      // replaced): reload from the API, then resume from the reloaded headSeq.
      resyncs += 1;
      needsLoad = true;
      if (frame.headSeq < status.lastSeq) clearFirst = true;
      generation += 1;
      closeSocket();
      if (resyncs > 2) scheduleRetry('The hub asked for a full reload again.');
      else void attempt();
      return;
    }
    resyncs = 0;
    failures = 0;
    everLive = true;
    commit({ phase: 'live', retryAt: null, error: null, progress: null });
    const current = socket;
    outbox.connected((data) => current?.send(data) ?? false, frame.limits.maxPayloadBytes);
    options.presence?.connected((data) => current?.send(data) ?? false);
  }

  function onFrame(gen: number, data: unknown): void {
    if (gen !== generation) return;
    lastFrameAt = now();
    if (watchSilence && !handshaking) armDeadTimer(gen);
    const parsed = parseServerFrame(data);
    if (!parsed.ok) {
      console.warn(`Replydesk: ignored ${parsed.error} from the hub.`);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 'hello':
        onHello(gen, frame);
        return;
      case 'ping':
        noteHubTime(frame.hubTime, now());
        return;
      case 'events':
        enqueueFrame(gen, async () => {
          const result = await applyEventBatch(db, frame.events);
          if (gen !== generation) return;
          conversations.upsert(result.conversations);
          if (result.lastSeq !== status.lastSeq) commit({ lastSeq: result.lastSeq });
          if (result.applied > 0) options.onEvents?.(frame.events);
          if (result.gap) {
            console.warn(
              `Replydesk: the hub skipped events after seq ${result.lastSeq}; resuming.`,
            );
            dropSocket('Resuming after a gap in the event stream.');
          }
        });
        return;
      case 'ack':
      case 'error':
        enqueueFrame(gen, () => outbox.handle(frame));
        return;
      case 'presence':
        // Ephemeral: not stored, so it need not wait for the frames being stored.
        options.presence?.received(frame);
        return;
    }
  }

  async function attempt(): Promise<void> {
    if (!running) return;
    generation += 1;
    const gen = generation;
    closeSocket();
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
    if (status.retryAt !== null) commit({ retryAt: null });
    try {
      // Whatever the previous socket was storing finishes first: a reload or the resume seq
      // must come after it.
      await chain;
      if (gen !== generation) return;
      if (checkToken && !needsLoad) await request('/api/me', gen);
      checkToken = false;
      if (needsLoad) {
        await load(gen);
        needsLoad = false;
      }
    } catch (error) {
      if (error instanceof Superseded || gen !== generation) return;
      if (error instanceof Unauthorized) return endSession();
      scheduleRetry(
        error instanceof TypeError
          ? 'The hub cannot be reached.'
          : error instanceof Error
            ? error.message
            : 'The hub could not be reached.',
      );
      return;
    }
    if (gen !== generation || !running) return;
    let greeted = false;
    socket = openSocket(
      realtimeUrl(options.hubUrl, status.lastSeq),
      [REALTIME_SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${options.token}`],
      {
        message(data) {
          if (gen === generation) greeted = true;
          onFrame(gen, data);
        },
        close(code, reason) {
          if (gen !== generation) return;
          socket = null;
          clearDeadTimer();
          outbox.disconnected();
          options.presence?.disconnected();
          if (code === CLOSE_CODES.sessionEnded) return endSession();
          // A socket refused in the upgrade (401) closes before any frame, and browsers do not
          // say why: ask the API whether the token still holds before the next attempt.
          if (!greeted) checkToken = true;
          generation += 1;
          scheduleRetry(
            code === CLOSE_CODES.goingAway
              ? 'The hub is restarting.'
              : code === CLOSE_CODES.slowConsumer
                ? 'Catching up with the hub.'
                : reason || 'The connection to the hub was lost.',
          );
        },
      },
    );
    watchSilence = true;
    handshaking = true;
    armDeadTimer(gen);
  }

  function onWake(signal: 'online' | 'visible', hiddenForMs: number): void {
    if (!running) return;
    if (retryTimer !== null) {
      engine.reconnectNow();
      return;
    }
    // Back from sleep with a socket that has been silent longer than a heartbeat: it is most
    // likely dead; do not wait for the watchdog.
    const silent = now() - lastFrameAt > heartbeatMs;
    if (socket !== null && silent && (signal === 'online' || hiddenForMs > WAKE_AFTER_HIDDEN_MS)) {
      generation += 1;
      closeSocket();
      void attempt();
    }
  }

  let opened: Promise<void> | null = null;
  let resolveReady: () => void = () => undefined;
  let rejectReady: (error: unknown) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A failure to open is reported through the status too; do not leave it unhandled.
  ready.catch(() => undefined);

  async function open(): Promise<void> {
    const { lastSeq, complete, cached, outboxSize } = await (options.opening ??
      openAndReadCache(db));
    conversations.replaceAll(cached.conversations);
    needsLoad = complete !== true;
    commit({ lastSeq: lastSeq ?? 0, outboxSize });
    // Many rows written since the chunked copy was made: fold them in, after this start.
    if (cached.dirty >= COMPACT_AFTER) compactSoon();
  }

  /** Fold the conversations written since into the chunked copy, off the path of anything. */
  function compactSoon(): void {
    timers.setTimeout(() => {
      if (!running) return;
      compactConversations(db).catch((error: unknown) => {
        // Only the next start is slower: every row is still read over the copy.
        console.warn('Replydesk: could not compact the cached conversations:', error);
      });
    }, COMPACT_DELAY_MS);
  }

  const engine: SyncEngine = {
    ready,
    conversations,
    start() {
      if (running) return;
      running = true;
      failures = 0;
      unsubscribeWake = wake?.subscribe(onWake) ?? null;
      opened ??= open().then(resolveReady, (error: unknown) => {
        rejectReady(error);
        throw error;
      });
      opened.then(
        () => void attempt(),
        (error: unknown) => {
          console.error('Replydesk: the local cache could not be opened:', error);
          commit({
            phase: 'offline',
            error: `The local cache could not be opened (${error instanceof Error ? error.message : String(error)}).`,
          });
        },
      );
    },
    stop() {
      running = false;
      generation += 1;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      closeSocket();
      unsubscribeWake?.();
      unsubscribeWake = null;
    },
    reconnectNow() {
      if (!running || retryTimer === null) return;
      timers.clearTimeout(retryTimer);
      retryTimer = null;
      failures = Math.max(0, failures - 1);
      void attempt();
    },
    async resetLocalData() {
      await ready;
      generation += 1;
      closeSocket();
      await chain;
      needsLoad = true;
      clearFirst = true;
      if (running) {
        await attempt();
      } else {
        await clearCache(db);
        conversations.replaceAll([]);
        clearFirst = false;
        commit({ lastSeq: 0 });
      }
    },
    kickOutbox() {
      outbox.kick();
      return refreshOutboxSize();
    },
    abortUpload: (clientId) => outbox.abortUpload(clientId),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getStatus: () => status,
  };
  return engine;
}
