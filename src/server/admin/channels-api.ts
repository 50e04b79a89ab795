import { z } from 'zod';
import { channelKindSchema, CHANNEL_INFO } from '../../shared/domain/channels';
import { parseRateCard, RateCardError, type RateCard } from '../../shared/pricing';
import {
  WHATSAPP_SECRET_NAMES,
  whatsappSettingsInputSchema,
  type ChannelConnection,
  type SecretState,
} from '../../shared/protocol/admin';
import type { HubEvent } from '../../shared/protocol/events';
import type { WhatsAppConfig } from '../config';
import type { HubContext } from '../context';
import { countDeadLetters, keepDeadLetter, listDeadLetters } from '../store/dead-letters';
import { badRequest, notFound } from '../http/errors';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { WebhookMonitor, WhatsAppWebhookConfig } from '../http/webhooks';
import { appendEvents } from '../store/events';

/**
 * Channel connections and the rate card (issue 5, build item 5). Secrets (app secret, verify
 * token, access token) are written by admins into the database and read by the webhook at once;
 * they are never answered back, logged or put in an event: answers say `{ set: true }` only.
 * The rate card an admin saves replaces the file the hub started with, and survives restarts.
 */

type SettingName = (typeof WHATSAPP_SECRET_NAMES)[number] | 'phoneNumberId';

interface Health {
  verifiedAt: number | null;
  lastError: { message: string; at: number } | null;
}

export interface ChannelAdmin {
  /** The WhatsApp webhook secrets in force: the admin's, else the hub's configuration. */
  readonly whatsappWebhook: () => WhatsAppWebhookConfig | null;
  /** The Graph API access token in force: the admin's, else the hub's configuration. */
  readonly whatsappAccessToken: () => string;
  readonly webhookMonitor: WebhookMonitor;
}

const WHATSAPP = 'whatsapp';

/** `bigint` columns come back as strings or numbers; absent is null. */
const numberOrNull = (value: number | string | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);

export async function registerChannelApi(
  router: Router,
  context: HubContext,
  config: WhatsAppConfig | null,
): Promise<ChannelAdmin> {
  const { db, now, auth, bus } = context;

  // Settings and health are read on every webhook, so they live in memory, written through.
  const settings = new Map<SettingName, { value: string; updatedAt: number }>();
  const { rows: stored } = await db.query<{ name: SettingName; value: string; updated_at: number }>(
    'select name, value, updated_at from channel_secrets where channel = $1',
    [WHATSAPP],
  );
  for (const row of stored) {
    const value = context.secrets.open(row.value);
    settings.set(row.name, { value, updatedAt: Number(row.updated_at) });
    // Stored before encryption, or sealed with a key since rotated: sealed again with this one.
    if (context.secrets.needsResealing(row.value))
      await db.query('update channel_secrets set value = $3 where channel = $1 and name = $2', [
        WHATSAPP,
        row.name,
        context.secrets.seal(value),
      ]);
  }
  const health: Health = { verifiedAt: null, lastError: null };
  const { rows: healthRows } = await db.query<{
    verified_at: number | null;
    last_error: string | null;
    last_error_at: number | null;
  }>('select verified_at, last_error, last_error_at from channel_health where channel = $1', [
    WHATSAPP,
  ]);
  const savedHealth = healthRows[0];
  if (savedHealth) {
    health.verifiedAt = savedHealth.verified_at === null ? null : Number(savedHealth.verified_at);
    health.lastError =
      savedHealth.last_error === null
        ? null
        : { message: savedHealth.last_error, at: Number(savedHealth.last_error_at) };
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

  const fromConfig = (name: SettingName): string => (config ? config[name] : '');
  const effective = (name: SettingName): string => settings.get(name)?.value ?? fromConfig(name);

  const saveHealth = (): void => {
    db.query(
      `insert into channel_health (channel, verified_at, last_error, last_error_at)
       values ($1, $2, $3, $4)
       on conflict (channel) do update set verified_at = excluded.verified_at,
         last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
      [
        WHATSAPP,
        health.verifiedAt,
        health.lastError?.message ?? null,
        health.lastError?.at ?? null,
      ],
    ).catch((error: unknown) => {
      console.error(
        'hub: could not record the channel status:',
        error instanceof Error ? error.message : error,
      );
    });
  };

  const webhookMonitor: WebhookMonitor = {
    verified() {
      health.verifiedAt = now();
      saveHealth();
    },
    failed(reason) {
      health.lastError = { message: reason, at: now() };
      saveHealth();
    },
    async keep(raw, reasons) {
      await keepDeadLetter(db, { channel: WHATSAPP, raw, reasons }, now());
      webhookMonitor.failed(
        `A signed delivery could not be stored in full and was kept for you: ${reasons[0] ?? ''}`,
      );
    },
  };

  const whatsappWebhook = (): WhatsAppWebhookConfig | null => {
    const appSecret = effective('appSecret');
    const verifyToken = effective('verifyToken');
    return appSecret && verifyToken ? { appSecret, verifyToken } : null;
  };

  const secretState = (name: SettingName): SecretState => {
    const saved = settings.get(name);
    if (saved) return { set: true, source: 'settings', updatedAt: saved.updatedAt };
    return fromConfig(name)
      ? { set: true, source: 'environment', updatedAt: null }
      : { set: false, source: null, updatedAt: null };
  };

  async function connections(): Promise<ChannelConnection[]> {
    const { rows } = await db.query<{ kind: string; demo: boolean; last_event_at: number | null }>(
      `select kind, account_id like 'demo-%' as demo, max(last_event_at) as last_event_at
       from channels group by kind, account_id like 'demo-%' order by kind`,
    );
    const whatsappEvent = rows.find((row) => row.kind === WHATSAPP && !row.demo);
    const deadLetters = await countDeadLetters(db);
    const secrets: Record<string, SecretState> = {};
    for (const name of WHATSAPP_SECRET_NAMES) secrets[name] = secretState(name);
    const phoneNumberId = effective('phoneNumberId');
    const list: ChannelConnection[] = [
      {
        id: WHATSAPP,
        channel: 'whatsapp',
        provider: 'whatsapp_cloud',
        name: 'WhatsApp Cloud API',
        configured:
          WHATSAPP_SECRET_NAMES.every((name) => effective(name) !== '') && phoneNumberId !== '',
        webhookVerifiedAt: health.verifiedAt,
        lastEventAt: numberOrNull(whatsappEvent?.last_event_at),
        lastError: health.lastError,
        secrets,
        phoneNumberId: phoneNumberId === '' ? null : phoneNumberId,
        webhookPath: '/webhooks/whatsapp',
        deadLetters: deadLetters.get(WHATSAPP) ?? { count: 0, lastAt: null },
      },
    ];
    for (const row of rows) {
      const kind = channelKindSchema.safeParse(row.kind);
      if (!row.demo || !kind.success) continue;
      list.push({
        id: `demo-${kind.data}`,
        channel: kind.data,
        provider: 'demo',
        name: `${CHANNEL_INFO[kind.data].label} (demo simulator)`,
        configured: true,
        webhookVerifiedAt: null,
        lastEventAt: numberOrNull(row.last_event_at),
        lastError: null,
        secrets: null,
        phoneNumberId: null,
        webhookPath: null,
        deadLetters: { count: 0, lastAt: null },
      });
    }
    return list;
  }

  router.get('/api/admin/channels', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'manage channels');
    sendJson(res, 200, { channels: await connections() });
  });

  router.get('/api/admin/dead-letters', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'see undeliverable webhooks');
    sendJson(res, 200, { deadLetters: await listDeadLetters(db, 100) });
  });

  router.put('/api/admin/channels/:id', async ({ req, res, params }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change channels');
    if (params['id'] !== WHATSAPP) {
      throw notFound(`The channel ${params['id']} has no settings to change.`);
    }
    const input = await readJson(req, whatsappSettingsInputSchema);
    const at = now();
    const entries = Object.entries(input) as [SettingName, string][];
    await db.transaction(async (tx) => {
      for (const [name, value] of entries) {
        await tx.query(
          `insert into channel_secrets (channel, name, value, updated_at, updated_by)
           values ($1, $2, $3, $4, $5)
           on conflict (channel, name) do update set value = excluded.value,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [WHATSAPP, name, context.secrets.seal(value), at, admin.id],
        );
      }
    });
    for (const [name, value] of entries) settings.set(name, { value, updatedAt: at });
    const channel = (await connections()).find((c) => c.id === WHATSAPP);
    sendJson(res, 200, { channel });
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

  return { whatsappWebhook, whatsappAccessToken: () => effective('accessToken'), webhookMonitor };
}
