import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { channelKindSchema, CHANNEL_INFO, type ChannelKind } from '../../shared/domain/channels';
import { parseRateCard, RateCardError, type RateCard } from '../../shared/pricing';
import {
  channelSettingsInputSchema,
  type ChannelConnection,
  type ChannelSetting,
  type SecretState,
  type SendQuotaAnswer,
  type WebhookRegistrationAnswer,
  type ConnectionTestAnswer,
  webhookRegistrationInputSchema,
} from '../../shared/protocol/admin';
import type { HubEvent } from '../../shared/protocol/events';
import {
  isConfigured,
  type ChannelConnector,
  type ChannelSettings,
  type SettingSpec,
} from '../channels/connector';
import type { HubContext } from '../context';
import { countDeadLetters, keepDeadLetter, listDeadLetters } from '../store/dead-letters';
import { badRequest, notFound } from '../http/errors';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { WebhookMonitor } from '../http/webhooks';
import { appendEvents } from '../store/events';

/**
 * Channel connections and the rate card (issue 5 build item 5, issue #14 item 1). Every connector
 * of the registry is configured the same way, from the settings it declares: an admin's values
 * are sealed (SecretBox) into the database and read by the webhook and the sender at once;
 * secrets are never answered back, logged or put in an event: answers say `{ set: true }` only.
 * The rate card an admin saves replaces the file the hub started with, and survives restarts.
 */

interface Health {
  verifiedAt: number | null;
  lastError: { message: string; at: number } | null;
}

export interface ChannelAdmin {
  /** A channel's settings in force: the admin's, else the environment's, else the defaults. */
  readonly settingsOf: (channel: ChannelKind) => ChannelSettings;
  /** Where a channel's webhook records verification, refusals and dead letters. */
  readonly monitorOf: (channel: ChannelKind) => WebhookMonitor;
}

/** `bigint` columns come back as strings or numbers; absent is null. */
const numberOrNull = (value: number | string | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);

/** The settings an admin sees and writes (environment-only ones, such as base URLs, are not). */
const editable = (connector: ChannelConnector): readonly SettingSpec[] =>
  connector.settings.filter((spec) => !spec.envOnly);

export async function registerChannelApi(
  router: Router,
  context: HubContext,
  connectors: readonly ChannelConnector[],
  /** Each connector's settings from the environment (`settingsFromEnv`), by channel. */
  fromEnvironment: (channel: ChannelKind) => ChannelSettings,
): Promise<ChannelAdmin> {
  const { db, now, auth, bus } = context;
  const byChannel = new Map(connectors.map((connector) => [connector.channel, connector]));

  // Settings and health are read on every webhook, so they live in memory, written through.
  const saved = new Map<ChannelKind, Map<string, { value: string; updatedAt: number }>>();
  const savedOf = (channel: ChannelKind): Map<string, { value: string; updatedAt: number }> => {
    let map = saved.get(channel);
    if (!map) {
      map = new Map();
      saved.set(channel, map);
    }
    return map;
  };
  const { rows: stored } = await db.query<{
    channel: ChannelKind;
    name: string;
    value: string;
    updated_at: number;
  }>('select channel, name, value, updated_at from channel_secrets');
  for (const row of stored) {
    const value = context.secrets.open(row.value);
    savedOf(row.channel).set(row.name, { value, updatedAt: Number(row.updated_at) });
    // Stored before encryption, or sealed with a key since rotated: sealed again with this one.
    if (context.secrets.needsResealing(row.value))
      await db.query('update channel_secrets set value = $3 where channel = $1 and name = $2', [
        row.channel,
        row.name,
        context.secrets.seal(value),
      ]);
  }
  const health = new Map<ChannelKind, Health>();
  const healthOf = (channel: ChannelKind): Health => {
    let entry = health.get(channel);
    if (!entry) {
      entry = { verifiedAt: null, lastError: null };
      health.set(channel, entry);
    }
    return entry;
  };
  const { rows: healthRows } = await db.query<{
    channel: ChannelKind;
    verified_at: number | null;
    last_error: string | null;
    last_error_at: number | null;
  }>('select channel, verified_at, last_error, last_error_at from channel_health');
  for (const row of healthRows) {
    const entry = healthOf(row.channel);
    entry.verifiedAt = numberOrNull(row.verified_at);
    entry.lastError =
      row.last_error === null ? null : { message: row.last_error, at: Number(row.last_error_at) };
  }

  const { rows: cards } = await db.query<{ card: unknown }>(
    'select card from rate_card where id = 1',
  );
  if (cards[0]) {
    try {
      context.setRateCard(parseRateCard(cards[0].card));
    } catch (error) {
      // A card saved by an older hub that this one cannot read: keep the file's, say so.
      console.error(
        'hub: the saved rate card is not valid; using the file:',
        error instanceof Error ? error.message : error,
      );
    }
  }

  const settingsOf = (channel: ChannelKind): ChannelSettings => {
    const values: Record<string, string> = { ...fromEnvironment(channel) };
    for (const [name, entry] of saved.get(channel) ?? []) values[name] = entry.value;
    return values;
  };

  const saveHealth = (channel: ChannelKind): void => {
    const entry = healthOf(channel);
    db.query(
      `insert into channel_health (channel, verified_at, last_error, last_error_at)
       values ($1, $2, $3, $4)
       on conflict (channel) do update set verified_at = excluded.verified_at,
         last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
      [channel, entry.verifiedAt, entry.lastError?.message ?? null, entry.lastError?.at ?? null],
    ).catch((error: unknown) => {
      console.error(
        'hub: could not record the channel status:',
        error instanceof Error ? error.message : error,
      );
    });
  };

  const monitors = new Map<ChannelKind, WebhookMonitor>();
  const monitorOf = (channel: ChannelKind): WebhookMonitor => {
    const existing = monitors.get(channel);
    if (existing) return existing;
    const monitor: WebhookMonitor = {
      verified() {
        healthOf(channel).verifiedAt = now();
        saveHealth(channel);
      },
      failed(reason) {
        healthOf(channel).lastError = { message: reason, at: now() };
        saveHealth(channel);
      },
      async keep(raw, reasons) {
        await keepDeadLetter(db, { channel, raw, reasons }, now());
        monitor.failed(
          `A signed delivery could not be stored in full and was kept for you: ${reasons[0] ?? ''}`,
        );
      },
    };
    monitors.set(channel, monitor);
    return monitor;
  };

  const settingState = (connector: ChannelConnector, name: string): SecretState => {
    const entry = saved.get(connector.channel)?.get(name);
    if (entry) return { set: true, source: 'settings', updatedAt: entry.updatedAt };
    return (fromEnvironment(connector.channel)[name] ?? '') !== ''
      ? { set: true, source: 'environment', updatedAt: null }
      : { set: false, source: null, updatedAt: null };
  };

  async function connections(origin: string): Promise<ChannelConnection[]> {
    const { rows } = await db.query<{ kind: string; demo: boolean; last_event_at: number | null }>(
      `select kind, account_id like 'demo-%' as demo, max(last_event_at) as last_event_at
       from channels group by kind, account_id like 'demo-%' order by kind`,
    );
    const deadLetters = await countDeadLetters(db);
    const list: ChannelConnection[] = connectors.map((connector) => {
      const channel = connector.channel;
      const values = settingsOf(channel);
      const secrets: Record<string, SecretState> = {};
      const settings: ChannelSetting[] = editable(connector).map((spec) => {
        const state = settingState(connector, spec.name);
        if (spec.secret) secrets[spec.name] = state;
        return {
          name: spec.name,
          label: spec.label,
          secret: spec.secret,
          required: spec.required,
          ...(spec.env === undefined ? {} : { env: spec.env }),
          ...(spec.pattern === undefined ? {} : { pattern: spec.pattern }),
          ...(spec.help === undefined ? {} : { help: spec.help }),
          ...(spec.multiline === undefined ? {} : { multiline: spec.multiline }),
          ...(spec.maxLength === undefined ? {} : { maxLength: spec.maxLength }),
          state,
          value: spec.secret || !state.set ? null : (values[spec.name] ?? null),
        };
      });
      const { verifiedAt, lastError } = healthOf(channel);
      return {
        id: channel,
        channel,
        provider: connector.provider,
        name: connector.name,
        configured: isConfigured(connector, values),
        webhookHandshake: connector.handshake !== undefined,
        webhookVerifiedAt: verifiedAt,
        lastEventAt: numberOrNull(
          rows.find((row) => row.kind === channel && !row.demo)?.last_event_at,
        ),
        lastError,
        secrets,
        settings,
        webhookPath: `/webhooks/${channel}`,
        webhookUrl: `${origin}/webhooks/${channel}`,
        deadLetters: deadLetters.get(channel) ?? { count: 0, lastAt: null },
        webhookRegistration: connector.registerWebhook !== undefined,
        connectionTest: connector.testConnection !== undefined,
      };
    });
    for (const row of rows) {
      const kind = channelKindSchema.safeParse(row.kind);
      if (!row.demo || !kind.success) continue;
      list.push({
        id: `demo-${kind.data}`,
        channel: kind.data,
        provider: 'demo',
        name: `${CHANNEL_INFO[kind.data].label} (demo simulator)`,
        configured: true,
        webhookHandshake: false,
        webhookVerifiedAt: null,
        lastEventAt: numberOrNull(row.last_event_at),
        lastError: null,
        secrets: null,
        settings: null,
        webhookPath: null,
        webhookUrl: null,
        deadLetters: { count: 0, lastAt: null },
      });
    }
    return list;
  }

  /**
   * The origin webhook URLs are shown under: the hub's public address when it has one (behind a
   * proxy the admin may reach it by another name), else the origin the admin reached it at.
   */
  const originOf = (req: IncomingMessage): string => {
    const publicUrl = context.publicUrl();
    if (publicUrl) return publicUrl.replace(/\/+$/, '');
    const host = req.headers.host ?? 'localhost';
    const loopback = /^(localhost|127\.[\d.]+|\[::1\])(:\d+)?$/i.test(host);
    return `${loopback ? 'http' : 'https'}://${host}`;
  };

  const connectorOf = (id: string | undefined): ChannelConnector => {
    const kind = channelKindSchema.safeParse(id);
    const connector = kind.success ? byChannel.get(kind.data) : undefined;
    if (!connector) throw notFound(`The channel ${id ?? ''} has no settings to change.`);
    return connector;
  };

  router.get('/api/admin/channels', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'manage channels');
    sendJson(res, 200, { channels: await connections(originOf(req)) });
  });

  router.get('/api/admin/channels/:id', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], 'manage channels');
    const connector = connectorOf(params['id']);
    const channel = (await connections(originOf(req))).find((c) => c.id === connector.channel);
    sendJson(res, 200, { channel });
  });

  router.get('/api/admin/dead-letters', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'see undeliverable webhooks');
    sendJson(res, 200, { deadLetters: await listDeadLetters(db, 100) });
  });

  router.put('/api/admin/channels/:id', async ({ req, res, params }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change channels');
    const connector = connectorOf(params['id']);
    const input = await readJson(req, channelSettingsInputSchema(editable(connector)));
    const at = now();
    const entries = Object.entries(input).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, value] as const],
    );
    await db.transaction(async (tx) => {
      if (entries.length > 0)
        await context.audit.record(
          {
            req,
            action: 'channel.credentials_changed',
            actor: { id: admin.id, name: admin.name },
            target: { type: 'channel', id: connector.channel, label: connector.name },
            detail: entries
              .map(([name, value]) => (value === null ? `${name} removed` : `${name} set`))
              .join(', '),
          },
          tx,
        );
      for (const [name, value] of entries) {
        if (value === null) {
          await tx.query('delete from channel_secrets where channel = $1 and name = $2', [
            connector.channel,
            name,
          ]);
          continue;
        }
        await tx.query(
          `insert into channel_secrets (channel, name, value, updated_at, updated_by)
           values ($1, $2, $3, $4, $5)
           on conflict (channel, name) do update set value = excluded.value,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [connector.channel, name, context.secrets.seal(value), at, admin.id],
        );
      }
    });
    for (const [name, value] of entries) {
      if (value === null) savedOf(connector.channel).delete(name);
      else savedOf(connector.channel).set(name, { value, updatedAt: at });
    }
    const channel = (await connections(originOf(req))).find((c) => c.id === connector.channel);
    sendJson(res, 200, { channel });
  });

  // A channel's monthly send quota (LINE), for every signed-in agent: read from the platform at
  // most once a minute per channel, so a busy inbox does not spend the platform's rate limit.
  const quotas = new Map<ChannelKind, { answer: SendQuotaAnswer; until: number }>();
  router.get('/api/channels/:id/quota', async ({ req, res, params }) => {
    await auth.requireUser(req);
    const connector = connectorOf(params['id']);
    const channel = connector.channel;
    const values = settingsOf(channel);
    if (!connector.sendQuota || !isConfigured(connector, values)) {
      sendJson(res, 200, { channel, quota: null, readAt: null, error: null });
      return;
    }
    const at = now();
    const cached = quotas.get(channel);
    if (cached && cached.until > at) {
      sendJson(res, 200, cached.answer);
      return;
    }
    let answer: SendQuotaAnswer;
    try {
      const quota = await connector.sendQuota(values, { timeoutMs: 10_000 });
      answer = { channel, quota, readAt: at, error: null };
    } catch (error) {
      answer = {
        channel,
        quota: cached?.answer.quota ?? null,
        readAt: cached?.answer.readAt ?? null,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    quotas.set(channel, { answer, until: at + 60_000 });
    sendJson(res, 200, answer);
  });

  // The Channels page's "Register webhook": the platform is told the URL the admin sees.
  router.post('/api/admin/channels/:id/webhook', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], 'change channels');
    const connector = connectorOf(params['id']);
    const { url } = await readJson(req, webhookRegistrationInputSchema);
    if (!connector.registerWebhook)
      throw notFound(`${connector.name} has no webhook registration: give the platform the URL.`);
    const values = settingsOf(connector.channel);
    if (!isConfigured(connector, values))
      throw badRequest(`Save ${connector.name}'s settings first: registering needs them.`);
    let answer: WebhookRegistrationAnswer;
    try {
      const result = await connector.registerWebhook(url, values, { timeoutMs: 15_000 });
      answer = result.ok
        ? { ok: true, detail: result.detail, url }
        : { ok: false, reason: result.message, url };
    } catch (error) {
      answer = {
        ok: false,
        reason: `${connector.name} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        url,
      };
    }
    if (!answer.ok)
      monitorOf(connector.channel).failed(`Registering the webhook: ${answer.reason}`);
    sendJson(res, 200, answer);
  });

  // The Channels page's "Test connection": one harmless call with the saved credentials.
  router.post('/api/admin/channels/:id/test', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], 'change channels');
    const connector = connectorOf(params['id']);
    if (!connector.testConnection) throw notFound(`${connector.name} has no connection test.`);
    const values = settingsOf(connector.channel);
    if (!isConfigured(connector, values))
      throw badRequest(`Save ${connector.name}'s settings first: the test uses them.`);
    let answer: ConnectionTestAnswer;
    try {
      const result = await connector.testConnection(values, { timeoutMs: 15_000 });
      answer = result.ok
        ? { ok: true, detail: result.detail }
        : { ok: false, reason: result.message };
    } catch (error) {
      answer = {
        ok: false,
        reason: `${connector.name} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (!answer.ok) monitorOf(connector.channel).failed(`Testing the connection: ${answer.reason}`);
    sendJson(res, 200, answer);
  });

  // ---- the rate card ------------------------------------------------------------------------

  async function saveRateCard(card: RateCard, userId: string): Promise<void> {
    const at = now();
    const event: HubEvent = { type: 'rate_card.updated', rateCard: card };
    const events = await db.transaction(async (tx) => {
      await tx.query(
        `insert into rate_card (id, card, updated_at, updated_by) values (1, $1::jsonb, $2, $3)
         on conflict (id) do update set card = excluded.card, updated_at = excluded.updated_at,
           updated_by = excluded.updated_by`,
        [JSON.stringify(card), at, userId],
      );
      return appendEvents(tx, [event], at);
    });
    context.setRateCard(card);
    bus.publish(events);
  }

  router.put('/api/admin/rate-card', async ({ req, res }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change the rate card');
    const body = await readJson(req, z.object({ rateCard: z.unknown() }));
    let card: RateCard;
    try {
      card = parseRateCard(body.rateCard);
    } catch (error) {
      if (error instanceof RateCardError) {
        throw badRequest(error.message, {
          issues: error.issues,
          fields: error.issues.map((issue) => ({ path: issue.field, message: issue.message })),
        });
      }
      throw error;
    }
    await saveRateCard(card, admin.id);
    sendJson(res, 200, { rateCard: card });
  });

  // The reported 2026-10-01 change (CHANNELS.md) is a dated rule set in the card: this switch
  // turns one on or off without touching the rest.
  router.put('/api/admin/rate-card/rule-sets/:id', async ({ req, res, params }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change the rate card');
    const body = await readJson(req, z.object({ enabled: z.boolean() }));
    const current = context.rateCard();
    const id = params['id'] ?? '';
    if (!current.ruleSets.some((set) => set.id === id)) throw notFound(`No rule set ${id}.`);
    const card = parseRateCard({
      ...current,
      ruleSets: current.ruleSets.map((set) =>
        set.id === id ? { ...set, enabled: body.enabled } : set,
      ),
    });
    await saveRateCard(card, admin.id);
    sendJson(res, 200, { rateCard: card });
  });

  return { settingsOf, monitorOf };
}
