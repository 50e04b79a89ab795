import { z } from 'zod';
import { conversationSchema, type Conversation } from '../../../../shared/domain/model';
import type { SequencedEvent } from '../../../../shared/protocol/events';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  CLOSE_CODES,
  REALTIME_PATH,
  REALTIME_SUBPROTOCOL,
  serverFrameSchema,
  type ServerFrame,
} from '../../../../shared/protocol/realtime';

/**
 * The inbox's live copy of the hub's conversations (docs/protocol.md): a first sync pages
 * through `GET /api/conversations`, then one WebSocket resumes from the seq that page was
 * consistent with and applies every event exactly once, in order. Framework-free: React reads it
 * through `subscribe`/`getSnapshot` (useSyncExternalStore), and tests drive it with fakes.
 */

export type HubConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface HubSnapshot {
  readonly status: HubConnectionStatus;
  /** By conversation id. A new Map whenever a conversation changes; unchanged ones keep their object. */
  readonly conversations: ReadonlyMap<string, Conversation>;
  /**
   * When the next connection attempt starts, in the app clock's time (hub-corrected, like
   * `useNow()`); `null` while connected or connecting.
   */
  readonly retryAt: number | null;
  /** The first page of conversations has arrived (an empty inbox is then really empty). */
  readonly loaded: boolean;
  /** The hub holds more conversations than the first sync loads. */
  readonly truncated: boolean;
  /** The seq of the last event applied (DESIGN.md rule 2). */
  readonly lastSeq: number;
  /** Why the last attempt failed, in words; `null` once connected. */
  readonly error: string | null;
}

export interface HubClient {
  start(): void;
  stop(): void;
  /** Skip the wait of a pending retry. */
  reconnectNow(): void;
  subscribe(listener: () => void): () => void;
  getSnapshot(): HubSnapshot;
}

/** What the client needs from a WebSocket; the browser's in the app, a fake in tests. */
export interface SocketHandlers {
  message(data: unknown): void;
  close(code: number, reason: string): void;
}
export type OpenSocket = (
  url: string,
  protocols: string[],
  handlers: SocketHandlers,
) => { close(code?: number, reason?: string): void };

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface HubClientOptions {
  readonly hubUrl: string;
  readonly token: string;
  /** Told the hub's clock (epoch ms) and the local instant it corresponds to: `setHubTime`. */
  readonly onHubTime: (hubTime: number, localTime: number) => void;
  /** The hub refused the token (401 or close 4001): the session is over. */
  readonly onSessionEnded: () => void;
  readonly fetch?: (input: string, init?: RequestInit) => Promise<Response>;
  readonly openSocket?: OpenSocket;
  readonly timers?: Timers;
  readonly now?: () => number;
  /** Jitter for the backoff, [0, 1). */
  readonly random?: () => number;
  readonly pageSize?: number;
  /** The first sync stops after this many conversations; newer events still arrive. */
  readonly maxConversations?: number;
}

export const PAGE_SIZE = 200;
export const MAX_INITIAL_CONVERSATIONS = 2_000;
export const MIN_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;
/** Failed attempts in a row after which we stop saying "reconnecting" and say "offline". */
const OFFLINE_AFTER_FAILURES = 3;

export const conversationPageSchema = z.object({
  conversations: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
  headSeq: z.number().int().min(0),
  hubTime: z.number(),
});

// ---------------------------------------------------------------------------------------------
// Pure parts
// ---------------------------------------------------------------------------------------------

export interface AppliedState {
  readonly conversations: ReadonlyMap<string, Conversation>;
  readonly lastSeq: number;
}

/**
 * Apply a batch of events after `lastSeq`. Events at or below it were applied already and are
 * skipped (a resumed socket may repeat the seam). A hole in the seqs is never papered over: the
 * events before it are applied and `gap` tells the caller to resume from `lastSeq`, where the
 * hub's log fills it. Only `conversation.updated` changes the inbox; every other event just
 * advances the seq. The map is copied only when something changed, so an unchanged snapshot
 * keeps its identity.
 */
export function applyEvents(
  state: AppliedState,
  events: readonly SequencedEvent[],
): AppliedState & { readonly gap: boolean } {
  let conversations = state.conversations;
  let lastSeq = state.lastSeq;
  let copy: Map<string, Conversation> | null = null;
  for (const { seq, event } of events) {
    if (seq <= lastSeq) continue;
    if (seq !== lastSeq + 1) return { conversations, lastSeq, gap: true };
    lastSeq = seq;
    if (event.type === 'conversation.updated') {
      if (copy === null) {
        copy = new Map(conversations);
        conversations = copy;
      }
      copy.set(event.conversation.id, event.conversation);
    }
  }
  return { conversations, lastSeq, gap: false };
}

/** Exponential backoff, 1 s doubling to 30 s, with ±20 % jitter so clients do not stampede a hub that restarts. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(0, failures - 1));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, jittered)));
}

/** `ws(s)://<hub>/ws?since=<seq>` for an `http(s)://` hub. */
export function realtimeUrl(hubUrl: string, since: number): string {
  const url = new URL(REALTIME_PATH, hubUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('since', String(since));
  return url.toString();
}

/** Parse a frame at the edge (DESIGN.md rule 7): anything else is reported and changes nothing. */
export function parseServerFrame(
  data: unknown,
): { ok: true; frame: ServerFrame } | { ok: false; error: string } {
  if (typeof data !== 'string') return { ok: false, error: 'a binary frame' };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, error: 'a frame that is not JSON' };
  }
  const parsed = serverFrameSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `an invalid frame (${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'unknown'})`,
    };
  }
  return { ok: true, frame: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

class Unauthorized extends Error {}

const hubErrorSchema = z.object({ message: z.string() });

/** The hub's own sentence for a failed request (docs/api.md error shape) with its status. */
async function failureOf(response: Response): Promise<string> {
  try {
    const parsed = hubErrorSchema.safeParse(await response.json());
    if (parsed.success) return `${parsed.data.message} (HTTP ${response.status})`;
  } catch {
    // Not JSON (a proxy's error page): the status is all there is.
  }
  return `The hub answered HTTP ${response.status}.`;
}

const browserSocket: OpenSocket = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols);
  socket.onmessage = (event) => handlers.message(event.data);
  // Browsers always follow `error` with `close`; the close carries what we need.
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  return { close: (code, reason) => socket.close(code, reason) };
};

const browserTimers: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const INITIAL: HubSnapshot = {
  status: 'connecting',
  conversations: new Map(),
  retryAt: null,
  loaded: false,
  truncated: false,
  lastSeq: 0,
  error: null,
};

export function createHubClient(options: HubClientOptions): HubClient {
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init));
  const openSocket = options.openSocket ?? browserSocket;
  const timers = options.timers ?? browserTimers;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const maxConversations = options.maxConversations ?? MAX_INITIAL_CONVERSATIONS;
  const auth = { authorization: `Bearer ${options.token}` };

  let snapshot = INITIAL;
  const listeners = new Set<() => void>();
  let running = false;
  /** Bumped by every attempt and by stop(): callbacks of an older attempt are ignored. */
  let generation = 0;
  let socket: { close(code?: number, reason?: string): void } | null = null;
  let retryTimer: unknown = null;
  let failures = 0;
  let everLive = false;
  /** A full first sync has completed: from here on, resuming from `lastSeq` is enough. */
  let synced = false;
  /** The next attempt reloads from the API first (never synced, or `resync`). */
  let needsLoad = true;
  /** The last socket closed before its hello: check the token before trying again. */
  let checkToken = false;
  /** Hub time minus local time, from the newest hub timestamp; puts `retryAt` on the app clock. */
  let skewMs = 0;

  function commit(patch: Partial<HubSnapshot>): void {
    snapshot = { ...snapshot, ...patch };
    for (const listener of [...listeners]) listener();
  }

  function noteHubTime(hubTime: number, localTime: number): void {
    skewMs = hubTime - localTime;
    options.onHubTime(hubTime, localTime);
  }

  function closeSocket(): void {
    const current = socket;
    socket = null;
    current?.close(1000, 'client closing');
  }

  function endSession(): void {
    running = false;
    generation += 1;
    closeSocket();
    commit({ status: 'offline', retryAt: null, error: 'The session has ended.' });
    options.onSessionEnded();
  }

  function scheduleRetry(error: string): void {
    if (!running) return;
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    failures += 1;
    const delay = retryDelay(failures, random);
    const status: HubConnectionStatus =
      everLive && failures < OFFLINE_AFTER_FAILURES ? 'reconnecting' : 'offline';
    commit({ status, retryAt: now() + skewMs + delay, error });
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      void attempt();
    }, delay);
  }

  async function request(path: string): Promise<unknown> {
    const response = await doFetch(`${options.hubUrl}${path}`, {
      headers: auth,
      cache: 'no-store',
    });
    if (response.status === 401) throw new Unauthorized();
    if (!response.ok) throw new Error(await failureOf(response));
    return response.json();
  }

  /**
   * Page through the newest conversations. The seq to resume from is the FIRST page's
   * `headSeq`: a conversation that changes while we page moves to the top (out of the pages
   * still to come), and its event is after that seq, so the socket brings it.
   */
  async function load(gen: number): Promise<boolean> {
    const firstSync = !snapshot.loaded;
    const conversations = new Map<string, Conversation>();
    let headSeq: number | null = null;
    let cursor: string | null = null;
    let truncated: boolean;
    for (;;) {
      const query = `limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const sentAt = now();
      const parsed = conversationPageSchema.safeParse(await request(`/api/conversations?${query}`));
      if (gen !== generation) return false;
      if (!parsed.success)
        throw new Error('The hub sent a conversation list this app cannot read.');
      const page = parsed.data;
      if (headSeq === null) {
        headSeq = page.headSeq;
        // Assume the answer was stamped halfway through the round trip.
        noteHubTime(page.hubTime, (sentAt + now()) / 2);
      }
      for (const conversation of page.conversations) {
        if (!conversations.has(conversation.id)) conversations.set(conversation.id, conversation);
      }
      const more = page.nextCursor !== null;
      truncated = more && conversations.size >= maxConversations;
      // The first sync shows each page as it comes; a reload swaps the whole list at once.
      if (firstSync && more && !truncated)
        commit({ conversations: new Map(conversations), loaded: true });
      if (!more || truncated) break;
      cursor = page.nextCursor;
    }
    commit({ conversations, lastSeq: headSeq, loaded: true, truncated });
    synced = true;
    return true;
  }

  async function attempt(): Promise<void> {
    if (!running) return;
    generation += 1;
    const gen = generation;
    closeSocket();
    if (snapshot.retryAt !== null) commit({ retryAt: null });
    try {
      if (checkToken && !needsLoad) await request('/api/me');
      if (gen !== generation) return;
      checkToken = false;
      if (needsLoad) {
        if (!(await load(gen))) return;
        needsLoad = false;
      }
    } catch (error) {
      if (gen !== generation) return;
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
    if (gen !== generation) return;
    let greeted = false;
    socket = openSocket(
      realtimeUrl(options.hubUrl, snapshot.lastSeq),
      [REALTIME_SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${options.token}`],
      {
        message(data) {
          if (gen !== generation) return;
          const parsed = parseServerFrame(data);
          if (!parsed.ok) {
            console.warn(`Replydesk: ignored ${parsed.error} from the hub.`);
            return;
          }
          const frame = parsed.frame;
          switch (frame.type) {
            case 'hello':
              greeted = true;
              noteHubTime(frame.hubTime, now());
              if (frame.resume === 'resync') {
                // The log no longer reaches back to our seq: reload, then resume from the
                // reloaded headSeq (docs/protocol.md).
                needsLoad = true;
                void attempt();
                return;
              }
              failures = 0;
              everLive = true;
              commit({ status: 'live', retryAt: null, error: null });
              return;
            case 'events': {
              const applied = applyEvents(snapshot, frame.events);
              if (
                applied.conversations !== snapshot.conversations ||
                applied.lastSeq !== snapshot.lastSeq
              ) {
                commit({ conversations: applied.conversations, lastSeq: applied.lastSeq });
              }
              if (applied.gap) {
                console.warn(
                  `Replydesk: the hub skipped events after seq ${applied.lastSeq}; resuming.`,
                );
                // A new generation first, so this socket's own close event is not a second failure.
                generation += 1;
                closeSocket();
                scheduleRetry('Resuming after a gap in the event stream.');
              }
              return;
            }
            case 'error':
              console.warn(`Replydesk: the hub reported ${frame.code}: ${frame.message}`);
              return;
            case 'ack':
              // This read-only inbox sends no commands.
              return;
          }
        },
        close(code, reason) {
          if (gen !== generation) return;
          socket = null;
          if (code === CLOSE_CODES.sessionEnded) return endSession();
          // A socket refused in the upgrade (401) closes before any hello, and browsers do not
          // say why: ask the API whether the token still holds before the next attempt.
          if (!greeted) checkToken = true;
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
  }

  return {
    start() {
      if (running) return;
      running = true;
      // A restarted client (React StrictMode remounts it) resumes from its last seq like any
      // reconnect; only a client that never finished its first sync loads again.
      needsLoad = !synced;
      failures = 0;
      if (!everLive) commit({ status: 'connecting', retryAt: null });
      void attempt();
    },
    stop() {
      running = false;
      generation += 1;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      closeSocket();
    },
    reconnectNow() {
      if (!running || retryTimer === null) return;
      timers.clearTimeout(retryTimer);
      retryTimer = null;
      void attempt();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
  };
}
