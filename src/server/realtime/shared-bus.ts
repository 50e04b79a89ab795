import type pg from 'pg';
import type { SequencedEvent } from '../../shared/protocol/events';
import { eventsSince, headSeq } from '../store/events';
import type { PostgresDb } from '../store/postgres';
import { EVENTS_CHANNEL } from '../store/scale-out-schema';
import { notifyListeners, type EventBus } from './event-bus';

export interface SharedBusOptions {
  /** Events read from the log per query while catching up (default 1,000). */
  readonly pageSize?: number;
  /** How soon a lost LISTEN connection is opened again, first and at most (ms). */
  readonly reconnectMs?: { readonly first: number; readonly max: number };
  /** A read of the log this often even without a notification, in case one was missed (ms). */
  readonly safetyPollMs?: number;
}

export interface SharedEventBus extends EventBus {
  /** The listener's state, for /healthz and /metrics. */
  status(): {
    listening: boolean;
    deliveredSeq: number;
    reconnects: number;
    /** When the last notification arrived (`Date.now()`), `null` before the first. */
    lastNotificationAt: number | null;
  };
  close(): Promise<void>;
}

/**
 * The event bus of a hub on a PostgreSQL server shared with other hubs (issue #18). Every hub
 * LISTENs; a trigger on the event log notifies each commit with its last seq only, and the hub
 * reads the new events from the log and hands them to its subscribers in seq order, each once.
 * Events this hub committed itself go out at once when they follow what it delivered last (no
 * read), else through the same read. Seqs are allocated under the counter row's lock, so the log
 * is always read as a gapless prefix: what a socket on one hub sees, a socket on another sees in
 * the same order. A lost LISTEN connection is opened again and the hub catches up from the last
 * seq it delivered.
 */
export async function startSharedEventBus(
  db: PostgresDb,
  options: SharedBusOptions = {},
): Promise<SharedEventBus> {
  const pageSize = options.pageSize ?? 1000;
  const reconnect = options.reconnectMs ?? { first: 100, max: 5_000 };
  const safetyPollMs = options.safetyPollMs ?? 5_000;
  const listeners = new Set<(events: readonly SequencedEvent[]) => void>();
  let delivered = 0;
  /** The highest seq known to be committed (notified, or published here). */
  let wanted = 0;
  let reading: Promise<void> | null = null;
  let readAgain = false;
  let client: pg.Client | null = null;
  let listening = false;
  let reconnects = 0;
  let lastNotificationAt: number | null = null;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set once the head is read: before that there is nothing to catch up from. */
  let started = false;

  function deliver(events: readonly SequencedEvent[]): void {
    // Only what follows what was delivered, so every subscriber sees each seq once, in order.
    const fresh = events.filter((e) => e.seq > delivered);
    if (fresh.length === 0 || fresh[0]?.seq !== delivered + 1) return;
    delivered = (fresh[fresh.length - 1] as SequencedEvent).seq;
    wanted = Math.max(wanted, delivered);
    notifyListeners(listeners, fresh);
  }

  async function readLog(): Promise<void> {
    for (;;) {
      const page = await eventsSince(db, delivered, pageSize);
      const first = page[0];
      // Pruned away while this hub was cut off (retention): go on from the oldest kept; the
      // sockets behind it are told to resync when they catch up.
      if (first && first.seq > delivered + 1 && page.every((e) => e.seq > delivered))
        delivered = first.seq - 1;
      deliver(page);
      if (page.length < pageSize) break;
    }
  }

  /** Read the log until what is known to be committed is delivered; one read at a time. */
  function catchUp(): void {
    if (closed || !started) return;
    if (reading) {
      readAgain = true;
      return;
    }
    reading = (async () => {
      do {
        readAgain = false;
        try {
          await readLog();
        } catch (error) {
          if (!closed)
            console.error(
              'hub: reading new events failed:',
              error instanceof Error ? error.message : error,
            );
          return;
        }
      } while (readAgain && !closed);
    })().finally(() => {
      reading = null;
      // A notification for events another reader had not yet seen committed: read again.
      if (wanted > delivered && !closed) setTimeout(catchUp, 100).unref();
    });
  }

  function onNotification(message: pg.Notification): void {
    if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
    lastNotificationAt = Date.now();
    let seq: unknown;
    try {
      seq = (JSON.parse(message.payload) as { seq?: unknown }).seq;
    } catch {
      return;
    }
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return;
    wanted = Math.max(wanted, seq);
    if (seq > delivered) catchUp();
  }

  async function listen(delayMs: number): Promise<void> {
    if (closed) return;
    let next: pg.Client | null = null;
    try {
      next = await db.connect();
      const opened = next;
      opened.on('notification', onNotification);
      // A server restart or a cut connection: listen again and catch up from `delivered`.
      opened.on('error', (error) => lost(opened, error));
      opened.on('end', () => lost(opened, null));
      await opened.query(`LISTEN ${EVENTS_CHANNEL}`);
      client = opened;
      listening = true;
      catchUp();
    } catch (error) {
      next?.removeAllListeners();
      await next?.end().catch(() => undefined);
      if (closed) return;
      console.error(
        'hub: listening for events failed, trying again:',
        error instanceof Error ? error.message : error,
      );
      const wait = Math.min(reconnect.max, Math.max(reconnect.first, delayMs * 2));
      retryTimer = setTimeout(() => void listen(wait), wait);
    }
  }

  function lost(which: pg.Client, error: Error | null): void {
    if (which !== client || closed) return;
    client = null;
    listening = false;
    reconnects++;
    which.removeAllListeners();
    which.on('error', () => undefined);
    void which.end().catch(() => undefined);
    console.error('hub: the event listener lost its connection:', error?.message ?? 'ended');
    retryTimer = setTimeout(() => void listen(reconnect.first), reconnect.first);
  }

  // LISTEN before reading the head, so no commit falls between the two.
  await listen(reconnect.first);
  delivered = await headSeq(db);
  wanted = Math.max(wanted, delivered);
  started = true;
  const poll = setInterval(() => {
    headSeq(db).then(
      (head) => {
        wanted = Math.max(wanted, head);
        if (head > delivered) catchUp();
      },
      () => undefined,
    );
  }, safetyPollMs);
  poll.unref();

  return {
    publish(events) {
      const last = events[events.length - 1];
      if (!last) return;
      wanted = Math.max(wanted, last.seq);
      // Committed here: send at once if nothing is missing before it, else read the log.
      if (events[0]?.seq === delivered + 1) deliver(events);
      else if (last.seq > delivered) catchUp();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({ listening, deliveredSeq: delivered, reconnects, lastNotificationAt }),
    async close() {
      closed = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      const open = client;
      client = null;
      listening = false;
      if (open) {
        open.removeAllListeners();
        open.on('error', () => undefined);
        await open.end().catch(() => undefined);
      }
      await reading;
    },
  };
}
