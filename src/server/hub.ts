import { ZodError } from 'zod';
import { describeSchemaError } from '../shared/ipc/contract';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelKind } from '../shared/domain/channels';
import type { Conversation } from '../shared/domain/model';
import type { WindowOptions } from '../shared/reply-window';
import { parseRateCard, type RateCard } from '../shared/pricing';
import { templateUpdated } from '../shared/protocol/events';
import { buildContentSecurityPolicy } from '../shared/security/csp';
import { createEmbeddedSignIn } from './auth/embedded-sign-in';
import { createUserService } from './auth/users';
import type { ChannelMedia, ChannelSender, InboundEvent } from './channels/types';
import {
  isConfigured,
  settingsFromEnv,
  type ChannelConnector,
  type ChannelSettings,
} from './channels/connector';
import { CONNECTORS } from './channels/registry';
import type { HubConfig } from './config';
import type { HubContext, HubService } from './context';
import { createAuditLog } from './audit/log';
import { registerAuditApi } from './audit/routes';
import { registerNoteApi } from './notes/routes';
import { registerCustomerApi } from './customers/routes';
import { registerActivityApi } from './activity/routes';
import { registerExportApi } from './exports/routes';
import { registerSearchApi } from './search/routes';
import { createClientAddressResolver, parseTrustedProxies } from './http/client-address';
import { registerAdminApi } from './admin';
import { registerDashboardApi } from './dashboard';
import { registerSlaApi, startSla } from './sla';
import { registerCsatApi } from './csat/routes';
import { scheduleOnStatusChange, startCsat } from './csat/service';
import { registerTemplateApi } from './templates';
import { createAuth } from './http/auth';
import { createCommandService } from './core/commands';
import { createIngestor, type Ingestor } from './core/ingest';
import { startOutboundQueue, type OutboundQueue } from './core/outbound';
import { createDemoSender } from './demo/demo-sender';
import { createDemoMedia } from './demo/demo-media';
import { registerMediaApi } from './http/media';
import { createPublicLinks } from './media/public-links';
import { createSessionEnder } from './core/end-session';
import { createTypingRelay } from './core/typing';
import { startProfileLookups } from './core/profiles';
import { startMediaDownloads, type MediaDownloads } from './media/downloads';
import { startDemo, type DemoRunner } from './demo/runner';
import { throughConnector } from './demo/through-connector';
import { createDemoTeam } from './demo/team';
import { registerApi } from './http/api';
import { badRequest, HttpError } from './http/errors';
import { sendError, sendJson } from './http/io';
import { createRouter } from './http/router';
import { createHubServer, DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './http/server';
import { loadSecretBox } from './secrets/secret-box';
import { checkOneConnectorPerChannel, registerChannelWebhooks } from './http/webhooks';
import { newId } from './ids';
import { ordersOfChannelCustomer } from './orders/channel-customer';
import { createDemoOrderStore } from './orders/demo-store';
import { SHOP_KIND_SPECS } from './orders/kinds';
import { registerOrderApi } from './orders/routes';
import { createOrderService, type OrderServiceOptions } from './orders/shops/service';
import { createEventBus, type EventBus } from './realtime/event-bus';
import { startRealtime, type RealtimeServer } from './realtime/ws-server';
import { createRequestGuard } from './request-guard';
import { applyCors } from './http/cors';
import { STARTER_TEMPLATES } from './seed-templates';
import { createStaticSite } from './static-files';
import { openPglite, type Db } from './store/db';
import { appendEvents, pruneEvents } from './store/events';
import { holdLock, LOCK_CLASS } from './store/hub-locks';
import { migrate } from './store/migrations';
import { openPostgres, PostgresDb } from './store/postgres';
import { startSharedEventBus, type SharedEventBus } from './realtime/shared-bus';
import { insertTemplate, listTemplates } from './store/templates';
import { createMonitor } from './monitoring';
import { headSeq } from './store/events';

export interface HubOptions extends HubConfig {
  /**
   * Embedded mode: the secret the desktop shell generated for this launch; the local admin's
   * token goes only to whoever presents it (or a one-time sign-in token, `RunningHub.signInUrl`).
   */
  readonly embeddedSecret?: string;
  readonly now?: () => number;
  /** Tests: the hub's own loopback URL serves as its public address (`publicUrl`). */
  readonly selfPublicUrl?: boolean;
  /** Events kept for resuming apps (default 500,000); older resumes are told to resync. */
  readonly eventRetention?: number;
  /** Outbound queue timings (tests shorten them). */
  readonly outbound?: {
    readonly baseDelayMs?: number;
    readonly pollMs?: number;
    readonly maxAttempts?: number;
    readonly concurrency?: number;
    readonly reconcileMs?: number;
  };
  /**
   * The channel connectors this hub runs (default the registry's, `channels/registry.ts`); tests
   * add a test-only connector here.
   */
  readonly connectors?: readonly ChannelConnector[];
  /** Shop lookups (`orders/shops/service.ts`): tests shorten the cache, record waits, add a kind. */
  readonly shops?: Partial<Pick<OrderServiceOptions, 'freshMs' | 'sleep' | 'timeoutMs' | 'kinds'>>;
  /** How long a channel send may take (default the sender's 15 s; tests shorten it). */
  readonly sendTimeoutMs?: number;
  /** Inbound file downloads (`media/downloads.ts`; tests shorten the timings). */
  readonly media?: {
    readonly baseDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly pollMs?: number;
    readonly maxAttempts?: number;
    readonly timeoutMs?: number;
    readonly concurrency?: number;
    /** How long an upload of an agent's file to the channel may take. */
    readonly uploadTimeoutMs?: number;
  };
  /** Webhook deliveries handled at once before 503 (default `DEFAULT_WEBHOOKS_IN_FLIGHT`). */
  readonly webhooksInFlight?: number;
  /** Headers and body timeouts (`http/server.ts`; tests shorten them). */
  readonly httpTimeouts?: Partial<HttpTimeouts>;
  /**
   * How often a hub that does not lead tries the leader lock (default 1 s; tests shorten it):
   * SLA breach recording and the demo simulator run on the leader only.
   */
  readonly leaderRetryMs?: number;
  /** Told each time this hub starts or stops leading (tests; `test/support/hub-process.ts`). */
  readonly onLeadership?: (leading: boolean) => void;
  /**
   * An in-memory PGlite (no data folder) starts from this data folder tarball (PGlite's
   * `dumpDataDir`) instead of creating its cluster: tests make a fresh one once per process
   * rather than once per hub (creating one costs 1.5–2.5 s here, loading it about 0.5 s).
   */
  readonly pgliteStartFrom?: Blob;
  readonly realtime?: {
    readonly maxBufferedBytes?: number;
    readonly closeGraceMs?: number;
    readonly heartbeatMs?: number;
    readonly maxPayloadBytes?: number;
  };
}

export interface RunningHub {
  readonly url: string;
  readonly port: number;
  readonly db: Db;
  readonly bus: EventBus;
  readonly ingestor: Ingestor;
  readonly outbound: OutboundQueue;
  /** The inbound file download worker. */
  readonly downloads: MediaDownloads;
  readonly realtime: RealtimeServer;
  /** Whether this hub leads: records SLA breaches and runs the demo simulator. */
  leading(): boolean;
  /**
   * Embedded mode: a new one-time sign-in URL for a browser (`npm start`'s fallback prints one),
   * `<url>/#/sign-in?token=…`; null on a team hub.
   */
  signInUrl(): string | null;
  /** The HTTP routes, as registered. */
  readonly routes: () => readonly { method: string; path: string }[];
  close(): Promise<void>;
}

const LOCAL_ADMIN_EMAIL = 'local-admin@replydesk.invalid';

/**
 * Start a hub: storage, ingestion, the outbound queue, the HTTP API, webhooks, the realtime
 * channel, the app for browsers and (optionally) the demo simulator.
 */
export async function startHub(options: HubOptions): Promise<RunningHub> {
  const now = options.now ?? Date.now;
  const connectors = options.connectors ?? CONNECTORS;
  checkOneConnectorPerChannel(connectors);
  const db = options.databaseUrl
    ? await openPostgres(options.databaseUrl, { poolSize: options.databasePoolSize })
    : await openPglite(
        options.dataDir,
        options.dataDir === null && options.pgliteStartFrom
          ? { loadDataDir: options.pgliteStartFrom }
          : {},
      );
  const secrets = await loadSecretBox({
    key: options.secretsKey,
    previousKeys: options.previousSecretsKeys,
    dataDir: options.dataDir,
  });
  await migrate(db);
  // On a PostgreSQL server other hubs may share, events fan out through LISTEN/NOTIFY.
  const sharedBus: SharedEventBus | null =
    db instanceof PostgresDb ? await startSharedEventBus(db) : null;
  const rawBus: EventBus = sharedBus ?? createEventBus();
  // The realtime server starts after the routes are registered; until then no one is connected.
  let realtimeServer: RealtimeServer | null = null;
  const users = createUserService(db, now);
  // One reading of who asked, by address, for sign-in limits, the audit log and /metrics.
  const clientAddress = createClientAddressResolver(
    options.trustedProxies ? parseTrustedProxies(options.trustedProxies).list : null,
  );
  // Counts this hub's commits and deliveries for /metrics (docs/deploy.md).
  const monitor = createMonitor({
    db,
    bus: rawBus,
    sharedBus,
    sockets: () => realtimeServer?.clientCount() ?? 0,
    users,
    now,
    config: options.metrics,
    clientAddress,
    startSeq: await headSeq(db),
  });
  const bus: EventBus = monitor.bus;
  // While this lock is held, the other hubs on the database know this one runs.
  const instanceId = newId('hub', now());
  const instanceLock = await holdLock(db, [LOCK_CLASS.instance, instanceId]);
  if (options.admin) await users.ensureAdmin(options.admin.email, options.admin.password);
  const localAdmin = options.embedded
    ? await users.ensureAdmin(
        LOCAL_ADMIN_EMAIL,
        randomBytes(24).toString('base64url'),
        'Local admin',
      )
    : null;

  let rateCard: RateCard = parseRateCard(
    JSON.parse(await readFile(options.rateCardPath, 'utf8')) as unknown,
  );
  const ingestor = createIngestor(db, bus, now);
  const orders = createDemoOrderStore(db);
  const orderService = createOrderService({
    db,
    secrets,
    now,
    builtIn: orders,
    kinds: SHOP_KIND_SPECS,
    ...options.shops,
  });

  if ((options.demo || options.embedded) && (await listTemplates(db)).length === 0) {
    const at = now();
    const events = await db.transaction(async (tx) => {
      // Demo hubs starting together on one server: the first seeds, the others find it done.
      await tx.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [
        'replydesk.starter-templates',
      ]);
      const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from templates');
      if (Number(rows[0]?.n) > 0) return [];
      const saved = [];
      for (const input of STARTER_TEMPLATES)
        saved.push(await insertTemplate(tx, newId('tpl', at), input, null, at));
      return appendEvents(tx, saved.map(templateUpdated), at);
    });
    bus.publish(events);
  }

  const timers = new Set<ReturnType<typeof setTimeout>>();
  const schedule = (delayMs: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delayMs);
    timers.add(timer);
  };
  const ingestQuietly = (event: InboundEvent): void => {
    ingestor.ingest(event).catch((error: unknown) => {
      console.error('hub: demo status failed:', error instanceof Error ? error.message : error);
    });
  };
  // Files sent by link (LINE, Viber): served under the hub's public address.
  let selfUrl: string | null = null;
  const publicUrl = (): string | null => (options.selfPublicUrl ? selfUrl : options.publicUrl);
  const publicLinks = createPublicLinks({ db, now, publicUrl });
  const demoSenders = new Map<ChannelKind, ChannelSender>();
  const fromEnvironment = (channel: ChannelKind): ChannelSettings => {
    const connector = connectors.find((c) => c.channel === channel);
    return options.channels[channel] ?? (connector ? settingsFromEnv(connector, {}).settings : {});
  };
  // The admin's saved settings once the channel settings are loaded (below), else the environment's.
  let settingsOf = fromEnvironment;
  const senders = new Map(
    connectors.map((connector) => [
      connector.channel,
      {
        connector,
        sender: connector.createSender({
          settings: () => settingsOf(connector.channel),
          publishFile: (file) => publicLinks.publish(file),
          ...(options.sendTimeoutMs === undefined ? {} : { timeoutMs: options.sendTimeoutMs }),
        }),
      },
    ]),
  );
  const senderFor = (channel: ChannelKind, accountId: string): ChannelSender | null => {
    if (accountId.startsWith('demo-')) {
      let sender = demoSenders.get(channel);
      if (!sender) {
        sender = createDemoSender(channel, {
          schedule,
          onStatus: ingestQuietly,
          now,
          seed: options.demoSeed,
        });
        demoSenders.set(channel, sender);
      }
      return sender;
    }
    const entry = senders.get(channel);
    return entry && isConfigured(entry.connector, settingsOf(channel)) ? entry.sender : null;
  };

  // Files: the demo channels' own, else the connector's media part when it is configured.
  const demoMedia = createDemoMedia();
  const channelMedia = new Map(
    connectors.flatMap((connector) =>
      connector.createMedia
        ? [
            [
              connector.channel,
              connector.createMedia({
                settings: () => settingsOf(connector.channel),
                publishFile: (file) => publicLinks.publish(file),
              }),
            ] as const,
          ]
        : [],
    ),
  );
  const mediaFor = (channel: ChannelKind, accountId: string): ChannelMedia | null => {
    if (accountId.startsWith('demo-')) return demoMedia;
    const entry = senders.get(channel);
    return entry && isConfigured(entry.connector, settingsOf(channel))
      ? (channelMedia.get(channel) ?? null)
      : null;
  };
  const { uploadTimeoutMs, ...downloadOptions } = options.media ?? {};

  const outbound = startOutboundQueue({
    db,
    bus,
    now,
    senderFor,
    instanceId,
    mediaFor,
    rateCard: () => rateCard,
    ...(uploadTimeoutMs === undefined ? {} : { uploadTimeoutMs }),
    ...options.outbound,
  });
  const downloads = startMediaDownloads({ db, bus, now, mediaFor, instanceId, ...downloadOptions });
  // The demo's accounts are not a real Page's: the engine's defaults apply to them.
  const windowOptionsFor = ({ channel, channelAccountId }: Conversation): WindowOptions => {
    const connector = senders.get(channel)?.connector;
    return connector?.windowOptions && !channelAccountId.startsWith('demo-')
      ? connector.windowOptions(settingsOf(channel))
      : {};
  };
  const commands = createCommandService({
    db,
    bus,
    now,
    rateCard: () => rateCard,
    onQueued: () => outbound.wake(),
    windowOptionsFor,
    // CSAT: a resolve schedules the question, a re-open cancels it (csat/service.ts).
    onStatusChange: scheduleOnStatusChange,
  });
  const context: HubContext = {
    db,
    bus,
    now,
    users,
    auth: createAuth(users),
    commands,
    orders: orderService,
    rateCard: () => rateCard,
    setRateCard(card) {
      rateCard = card;
    },
    endSessionsOf: (userId) => realtimeServer?.disconnectUser(userId),
    secrets,
    endSession: (token) => realtimeServer?.disconnectSession(token),
    publicUrl,
    clientAddress,
    audit: createAuditLog({ db, now, clientAddress }),
  };

  let port = options.port;
  const guard = createRequestGuard({ port: () => port, publicHosts: options.publicHosts });
  const router = createRouter();
  const embeddedSignIn = localAdmin ? createEmbeddedSignIn(options.embeddedSecret ?? null) : null;
  registerApi(router, {
    ...context,
    embedded:
      localAdmin && embeddedSignIn
        ? { adminId: async () => localAdmin.id, signIn: embeddedSignIn }
        : null,
  });
  registerTemplateApi(router, context);
  registerAuditApi(router, context);
  registerNoteApi(router, context);
  registerCustomerApi(router, context);
  registerOrderApi(router, context, orderService);
  const admin = await registerAdminApi(router, context, connectors, fromEnvironment);
  settingsOf = admin.settingsOf;
  registerSlaApi(router, context);
  registerCsatApi(router, context);
  registerDashboardApi(router, context);
  registerActivityApi(router, context);
  registerExportApi(router, context);
  registerMediaApi(router, context, publicLinks);
  registerSearchApi(router, context);
  const webhooks = registerChannelWebhooks(router, {
    connectors,
    settingsOf: admin.settingsOf,
    monitorOf: admin.monitorOf,
    ingestor,
    tools: { now, ordersOf: (lookup) => ordersOfChannelCustomer(db, orderService, lookup) },
    ...(options.webhooksInFlight === undefined ? {} : { maxInFlight: options.webhooksInFlight }),
  });
  const site = createStaticSite(
    options.rendererDir,
    buildContentSecurityPolicy({ hubOrigins: [] }),
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    // Webhooks are authenticated by their signature and reach a team hub under its public name.
    if (!url.pathname.startsWith('/webhooks/')) {
      const verdict = guard.check(req.headers);
      if (!verdict.ok) return sendJson(res, 403, { error: 'forbidden', message: verdict.reason });
    }
    if (applyCors(req, res, url.pathname)) return undefined;
    if (url.pathname.startsWith('/webhooks/') && req.method === 'POST') {
      const channel = url.pathname.split('/')[2] ?? '';
      res.once('finish', () => monitor.webhook(channel, res.statusCode));
    }
    if (url.pathname === '/healthz') {
      const health = await monitor.health();
      // `?ready`: 503 while the database or the listener is down (load balancers, systemd).
      const ready = url.searchParams.has('ready');
      return sendJson(res, ready && health.status !== 'ok' ? 503 : 200, {
        ...health,
        status: ready ? health.status : 'ok',
      });
    }
    if (url.pathname === '/metrics') {
      const verdict = await monitor.authorizeMetrics(req);
      if (verdict !== 200) {
        const message = {
          401: 'Metrics need the metrics token or an admin session, or a request from this machine.',
          403: 'Metrics are for admins.',
          404: 'Metrics are off (REPLYDESK_METRICS=off).',
        }[verdict];
        const error = { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[verdict];
        return sendJson(res, verdict, { error, message });
      }
      const text = await monitor.metrics();
      res.writeHead(200, {
        'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(text);
      return undefined;
    }
    const match = router.match(req.method ?? 'GET', url.pathname);
    if (match === 'method') {
      return sendJson(res, 405, {
        error: 'bad_request',
        message: `${req.method} is not allowed on ${url.pathname}.`,
      });
    }
    if (match) return match.handler({ req, res, url, params: match.params });
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/webhooks/')) {
      return sendJson(res, 404, { error: 'not_found', message: `No route ${url.pathname}.` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, { error: 'bad_request', message: 'Only GET is served here.' });
    }
    if (await site.serve(url.pathname, res)) return undefined;
    return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${url.pathname}.` });
  }

  const server = createHubServer(
    (req, res) =>
      void handle(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpError) return sendError(res, error);
        // A schema's parse deep in a service is still the client's bad input, not the hub's fault.
        if (error instanceof ZodError)
          return sendError(res, badRequest(describeSchemaError(error)));
        console.error('hub: request failed:', error instanceof Error ? error.message : error);
        return sendJson(res, 500, { error: 'internal', message: 'Internal error.' });
      }),
    { ...DEFAULT_HTTP_TIMEOUTS, ...options.httpTimeouts },
  );

  // Set as the leader lock is taken and lost (below); read by the work only the leader does.
  let leadingNow = false;
  const profiles = startProfileLookups({
    db,
    bus,
    now,
    active: () => leadingNow,
    connectorOf: (channel) => senders.get(channel)?.connector ?? null,
    settingsOf: (channel) => settingsOf(channel),
  });
  const sessionEnder = createSessionEnder({
    db,
    bus,
    now,
    connectorOf: (channel) => senders.get(channel)?.connector ?? null,
    settingsOf: (channel) => settingsOf(channel),
  });
  // The agent's "End chat session" (KakaoTalk): the channel ends it, then the conversation shows it.
  router.post('/api/conversations/:id/end-session', async ({ req, res, params }) => {
    await context.auth.requireRole(req, ['agent', 'lead', 'admin'], 'end chat sessions');
    const conversation = await sessionEnder.end(params['id'] ?? '');
    sendJson(res, 200, { conversation });
  });
  const typingRelay = createTypingRelay({
    db,
    now,
    connectorOf: (channel) => senders.get(channel)?.connector ?? null,
    settingsOf: (channel) => settingsOf(channel),
  });
  const realtime = startRealtime({
    server,
    db,
    bus,
    guard,
    now,
    onTyping: (conversationId) => {
      typingRelay.typing(conversationId).catch((error: unknown) => {
        console.error('hub: typing indicator:', error instanceof Error ? error.message : error);
      });
    },
    authenticate: (token) => users.authenticate(token),
    execute: (command, context) => commands.execute(command, context),
    ...options.realtime,
  });
  realtimeServer = realtime;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const displayHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;
  selfUrl = url;

  // SLA breach recording and the demo simulator run on one hub at a time: the one holding the
  // leader lock (store/hub-locks.ts). Another takes over when it dies; on PGlite the only hub
  // leads. Starting and stopping run one after the other, in the order leadership changed.
  let closed = false;
  let sla: HubService | null = null;
  let csat: HubService | null = null;
  let demo: DemoRunner | null = null;
  let leaderWork: Promise<void> = Promise.resolve();
  const lead = (leading: boolean): void => {
    leadingNow = leading;
    leaderWork = leaderWork
      .then(async () => {
        if (leading && !sla && !closed) {
          sla = startSla(context);
          csat = startCsat(context, { onQueued: () => outbound.wake(), windowOptionsFor });
          demo = options.demo
            ? await startDemo({
                seed: options.demoSeed,
                now,
                // Messenger / Instagram customers through their connectors' signed webhooks
                // and mapping.
                ingest: async (event) =>
                  void (await Promise.all(
                    throughConnector(connectors, event).map((e) => ingestor.ingest(e)),
                  )),
                orders,
                team: createDemoTeam({ db, bus, now, commands }),
              })
            : null;
        } else if (!leading && sla) {
          demo?.stop();
          demo = null;
          const stopping = sla;
          sla = null;
          await stopping.close();
          await csat?.close();
          csat = null;
        } else return;
        options.onLeadership?.(leading);
      })
      .catch((error: unknown) => {
        console.error('hub: leading failed:', error instanceof Error ? error.message : error);
      });
  };
  const leaderLock = await holdLock(db, [LOCK_CLASS.leader, 'workspace'], {
    onChange: lead,
    ...(options.leaderRetryMs === undefined ? {} : { retryMs: options.leaderRetryMs }),
  });
  // On PGlite (and a first hub) the demo's history is written before the hub reports ready.
  await leaderWork;

  // The log keeps the newest events for resumes; older gaps get `resync` (docs/protocol.md).
  const retention = options.eventRetention ?? 500_000;
  const pruner = setInterval(() => {
    pruneEvents(db, retention).catch((error: unknown) => {
      console.error('hub: pruning events failed:', error instanceof Error ? error.message : error);
    });
  }, 10 * 60_000);
  pruner.unref();

  return {
    url,
    port,
    db,
    bus,
    ingestor,
    outbound,
    downloads,
    realtime,
    leading: () => sla !== null,
    signInUrl: () =>
      embeddedSignIn ? `${url}/#/sign-in?token=${embeddedSignIn.mintOneTimeToken()}` : null,
    routes: () => router.list(),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(pruner);
      await leaderLock.close();
      await leaderWork;
      for (const timer of timers) clearTimeout(timer);
      await realtime.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await webhooks.settle();
      await outbound.stop();
      await ingestor.drain();
      await downloads.stop();
      await profiles.close();
      await sharedBus?.close();
      await instanceLock.close();
      await db.close();
    },
  };
}
