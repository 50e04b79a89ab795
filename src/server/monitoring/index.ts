import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SequencedEvent } from '../../shared/protocol/events';
import type { UserService } from '../auth/users';
import type { MetricsConfig } from '../config';
import { bearer } from '../http/auth';
import type { ClientAddressResolver } from '../http/client-address';
import type { EventBus } from '../realtime/event-bus';
import type { SharedEventBus } from '../realtime/shared-bus';
import type { Db } from '../store/db';
import { headSeq } from '../store/events';
import { outboundDepth, type OutboundDepth } from '../store/monitoring';
import { PostgresDb } from '../store/postgres';

/**
 * What an operator watches (docs/deploy.md): `/healthz` with the database, the event listener and
 * the outbound queue, and Prometheus counters and gauges on `/metrics`.
 */

/** A database that does not answer `select 1` within this long counts as unreachable. */
const PROBE_TIMEOUT_MS = 2_000;

export interface Health {
  readonly status: 'ok' | 'unavailable';
  readonly time: string;
  readonly database: {
    readonly kind: 'pglite' | 'postgresql';
    readonly reachable: boolean;
    readonly latencyMs: number | null;
  };
  readonly listener: {
    /** `postgresql`: LISTEN on the shared server; `in-process`: one hub on PGlite. */
    readonly kind: 'postgresql' | 'in-process';
    readonly connected: boolean;
    readonly lastNotificationAgeMs: number | null;
    readonly deliveredSeq: number;
    readonly headSeq: number | null;
  };
  readonly queue: OutboundDepth | null;
}

export interface Monitor {
  /** The hub's bus with its commits and deliveries counted; use it in place of `bus`. */
  readonly bus: EventBus;
  /** Count a webhook delivery answered with `status`. */
  webhook(channel: string, status: number): void;
  health(): Promise<Health>;
  /** Who may read `/metrics`: 200, or the refusal (401 or 403, or 404 when off). */
  authorizeMetrics(req: IncomingMessage): Promise<200 | 401 | 403 | 404>;
  metrics(): Promise<string>;
}

export function createMonitor(options: {
  readonly db: Db;
  readonly bus: EventBus;
  readonly sharedBus: SharedEventBus | null;
  readonly sockets: () => number;
  readonly users: UserService;
  readonly now: () => number;
  readonly config: MetricsConfig | undefined;
  /** Who asked, by address (`HubContext.clientAddress`): `/metrics` may be loopback-only. */
  readonly clientAddress: ClientAddressResolver;
  /** The log's head when the hub started (what it has delivered, as far as it is concerned). */
  readonly startSeq: number;
}): Monitor {
  const { db, sharedBus } = options;
  const config = options.config ?? { access: 'loopback', token: null };
  const { clientAddress } = options;
  const webhooks = new Map<string, number>();
  let committed = 0;
  let delivered = 0;
  let deliveredSeq = options.startSeq;
  let sent = 0;
  let failed = 0;

  options.bus.subscribe((events) => {
    delivered += events.length;
    deliveredSeq = (events[events.length - 1] as SequencedEvent).seq;
  });
  const bus: EventBus = {
    publish(events) {
      committed += events.length;
      for (const { event } of events)
        if (event.type === 'message.updated' && event.message.direction === 'outbound') {
          if (event.message.status === 'failed') failed++;
          else if (event.message.status === 'sent') sent++;
        }
      options.bus.publish(events);
    },
    subscribe: (listener) => options.bus.subscribe(listener),
  };

  async function probe(): Promise<{ latencyMs: number | null; head: number | null }> {
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const head = await Promise.race([
        headSeq(db),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
        }),
      ]);
      return { latencyMs: Math.round((performance.now() - started) * 100) / 100, head };
    } catch {
      return { latencyMs: null, head: null };
    } finally {
      clearTimeout(timer);
    }
  }

  const listenerState = (): { connected: boolean; age: number | null; seq: number } => {
    if (!sharedBus) return { connected: true, age: null, seq: deliveredSeq };
    const status = sharedBus.status();
    return {
      connected: status.listening,
      age: status.lastNotificationAt === null ? null : Date.now() - status.lastNotificationAt,
      seq: status.deliveredSeq,
    };
  };

  const tokenMatches = (given: string): boolean => {
    if (config.token === null) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(config.token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

  return {
    bus,
    webhook(channel, status) {
      const key = `${channel}\u0000${status}`;
      webhooks.set(key, (webhooks.get(key) ?? 0) + 1);
    },

    async health() {
      const { latencyMs, head } = await probe();
      const reachable = latencyMs !== null;
      const queue = reachable ? await outboundDepth(db).catch(() => null) : null;
      const listener = listenerState();
      return {
        status: reachable && listener.connected ? 'ok' : 'unavailable',
        time: new Date(options.now()).toISOString(),
        database: {
          kind: db instanceof PostgresDb ? 'postgresql' : 'pglite',
          reachable,
          latencyMs,
        },
        listener: {
          kind: sharedBus ? 'postgresql' : 'in-process',
          connected: listener.connected,
          lastNotificationAgeMs: listener.age,
          deliveredSeq: listener.seq,
          headSeq: head,
        },
        queue,
      };
    },

    async authorizeMetrics(req) {
      if (config.access === 'off') return 404;
      const token = bearer(req);
      if (token !== null) {
        if (tokenMatches(token)) return 200;
        const user = await options.users.authenticate(token);
        if (!user) return 401;
        return user.role === 'admin' ? 200 : 403;
      }
      if (config.access === 'token') return 401;
      // From this machine, and not relayed by a proxy that is not trusted to say who asked.
      const forwarded =
        req.headers['x-forwarded-for'] !== undefined || req.headers['forwarded'] !== undefined;
      const peer = req.socket.remoteAddress?.replace(/^::ffff:/i, '') ?? '';
      const client = clientAddress(req);
      if (forwarded && client === peer) return 401;
      return isLoopback(client) ? 200 : 401;
    },

    async metrics() {
      const { latencyMs, head } = await probe();
      const queue = latencyMs === null ? null : await outboundDepth(db).catch(() => null);
      const listener = listenerState();
      const out: string[] = [];
      const metric = (
        name: string,
        type: 'counter' | 'gauge',
        help: string,
        samples: readonly (readonly [Record<string, string>, number])[],
      ): void => {
        out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
        for (const [labels, value] of samples) {
          const text = Object.entries(labels)
            .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
            .join(',');
          out.push(`${name}${text ? `{${text}}` : ''} ${value}`);
        }
      };
      metric(
        'replydesk_webhook_requests_total',
        'counter',
        'Webhook deliveries received by this hub, by channel and HTTP status answered.',
        [...webhooks.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, n]) => {
            const [channel = '', status = ''] = key.split('\u0000');
            return [{ channel, status }, n] as const;
          }),
      );
      metric(
        'replydesk_events_committed_total',
        'counter',
        'Events this hub appended to the event log.',
        [[{}, committed]],
      );
      metric(
        'replydesk_events_delivered_total',
        'counter',
        "Events handed to this hub's app sockets (every hub's, in seq order).",
        [[{}, delivered]],
      );
      metric('replydesk_sockets', 'gauge', 'App sockets connected to this hub.', [
        [{}, options.sockets()],
      ]);
      metric(
        'replydesk_outbound_queue',
        'gauge',
        'Outgoing messages in the queue (all hubs): waiting, being sent, outcome unknown.',
        queue
          ? [
              [{ state: 'pending' }, queue.pending],
              [{ state: 'sending' }, queue.sending],
              [{ state: 'uncertain' }, queue.uncertain],
            ]
          : [],
      );
      metric(
        'replydesk_outbound_sent_total',
        'counter',
        'Outgoing messages this hub saw accepted by their channel.',
        [[{}, sent]],
      );
      metric(
        'replydesk_outbound_failed_total',
        'counter',
        'Outgoing messages this hub marked failed (refused, or retries used up).',
        [[{}, failed]],
      );
      metric('replydesk_event_log_head_seq', 'gauge', "The event log's newest seq.", [
        ...(head === null ? [] : [[{}, head] as const]),
      ]);
      metric(
        'replydesk_event_bus_lag_events',
        'gauge',
        "Committed events this hub has not yet handed to its sockets (the log's head minus the last delivered seq).",
        head === null ? [] : [[{}, Math.max(0, head - listener.seq)]],
      );
      metric(
        'replydesk_event_bus_listening',
        'gauge',
        '1 while the LISTEN connection (or, on PGlite, the in-process bus) is up.',
        [[{}, listener.connected ? 1 : 0]],
      );
      if (sharedBus) {
        metric(
          'replydesk_event_bus_last_notification_age_seconds',
          'gauge',
          'Seconds since the last NOTIFY from the event log arrived.',
          listener.age === null ? [] : [[{}, listener.age / 1000]],
        );
        metric(
          'replydesk_event_bus_reconnects_total',
          'counter',
          'Times the LISTEN connection was lost and opened again.',
          [[{}, sharedBus.status().reconnects]],
        );
      }
      metric('replydesk_database_up', 'gauge', '1 when the database answered the probe.', [
        [{}, latencyMs === null ? 0 : 1],
      ]);
      metric(
        'replydesk_database_latency_seconds',
        'gauge',
        "The probe's round trip (a read of the log's head).",
        latencyMs === null ? [] : [[{}, latencyMs / 1000]],
      );
      if (db instanceof PostgresDb) {
        metric(
          'replydesk_database_pool_connections',
          'gauge',
          "This hub's pool: open connections, idle ones, and queries waiting for one.",
          [
            [{ state: 'open' }, db.pool.totalCount],
            [{ state: 'idle' }, db.pool.idleCount],
            [{ state: 'waiting' }, db.pool.waitingCount],
          ],
        );
      }
      return `${out.join('\n')}\n`;
    },
  };
}
