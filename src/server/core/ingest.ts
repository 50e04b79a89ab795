import { DELIVERY_RANK, previewOf, type DeliveryStatus } from '../../shared/domain/model';
import {
  conversationUpdated,
  messageCreated,
  messageUpdated,
  type HubEvent,
  type SequencedEvent,
} from '../../shared/protocol/events';
import type { InboundEvent, InboundMessage, InboundStatus } from '../channels/types';
import { newId } from '../ids';
import type { EventBus } from '../realtime/event-bus';
import { getConversation, type ConversationRow } from '../store/conversations';
import type { Db, Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { toMessage, type MessageRow } from '../store/messages';

export type IngestResult =
  | {
      readonly kind: 'message';
      readonly outcome: 'stored' | 'duplicate';
      readonly messageId: string;
    }
  | { readonly kind: 'status'; readonly outcome: 'applied' | 'stale' | 'unknown_message' };

export interface Ingestor {
  /** Store one inbound event; resolves once it is committed (and so never lost). */
  ingest(event: InboundEvent): Promise<IngestResult>;
  /** Resolves when every accepted event has been committed. */
  drain(): Promise<void>;
}

interface Pending {
  readonly event: InboundEvent;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 256;

/**
 * Ingestion of channel events, the one path for every channel (and the demo). Events arriving
 * together are committed in one transaction (a webhook is answered 200 only after its commit),
 * which is what lets the hub sustain thousands of messages per second on PGlite. A batch that
 * fails is retried event by event, so one bad event never takes others down with it.
 */
export function createIngestor(db: Db, bus: EventBus, now: () => number): Ingestor {
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;

  async function runBatch(batch: Pending[]): Promise<void> {
    try {
      const { results, events } = await db.transaction(async (tx) => {
        const out: IngestResult[] = [];
        const hubEvents: HubEvent[] = [];
        for (const item of batch) out.push(await applyEvent(tx, item.event, hubEvents, now()));
        return { results: out, events: await appendEvents(tx, hubEvents, now()) };
      });
      bus.publish(events);
      batch.forEach((item, i) => item.resolve(results[i] as IngestResult));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const item of batch) await runBatch([item]);
    }
  }

  async function pump(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      await runBatch(batch);
    }
    running = null;
  }

  return {
    ingest(event) {
      return new Promise<IngestResult>((resolve, reject) => {
        queue.push({ event, resolve, reject });
        // Let events that arrive in the same tick join the batch.
        running ??= new Promise<void>((start) => setImmediate(start)).then(pump);
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}

async function applyEvent(
  tx: Queryable,
  event: InboundEvent,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  await tx.query(
    `insert into channels (id, kind, account_id, name, created_at, last_event_at)
     values ($1, $2, $3, $3, $4, $4)
     on conflict (kind, account_id) do update set last_event_at = excluded.last_event_at`,
    [newId('chn', at), event.channel, event.channelAccountId, at],
  );
  return event.kind === 'message'
    ? applyMessage(tx, event, out, at)
    : applyStatus(tx, event, out, at);
}

async function customerFor(tx: Queryable, message: InboundMessage, at: number): Promise<string> {
  const { customer } = message;
  const found = await tx.query<{ customer_id: string; name: string }>(
    `select i.customer_id, c.name from customer_identities i join customers c on c.id = i.customer_id
     where i.channel = $1 and i.external_id = $2`,
    [message.channel, customer.externalId],
  );
  const existing = found.rows[0];
  const name = customer.name?.trim() || customer.phone || customer.externalId;
  if (existing) {
    // A profile name arriving later replaces the phone-number placeholder.
    if (customer.name && existing.name !== customer.name.trim()) {
      await tx.query('update customers set name = $2, updated_at = $3 where id = $1', [
        existing.customer_id,
        customer.name.trim(),
        at,
      ]);
    }
    return existing.customer_id;
  }
  const id = newId('cus', at);
  await tx.query(
    `insert into customers (id, name, phone, email, country, language, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7)`,
    [
      id,
      name,
      customer.phone,
      customer.email ?? null,
      customer.country ?? null,
      customer.language ?? null,
      at,
    ],
  );
  await tx.query(
    'insert into customer_identities (channel, external_id, customer_id) values ($1, $2, $3)',
    [message.channel, customer.externalId, id],
  );
  return id;
}

async function applyMessage(
  tx: Queryable,
  message: InboundMessage,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  // Channels retry webhooks: the channel's own message id decides (DESIGN.md rule 4).
  const duplicate = await tx.query<{ id: string }>(
    'select id from messages where channel = $1 and external_id = $2',
    [message.channel, message.externalId],
  );
  if (duplicate.rows[0])
    return { kind: 'message', outcome: 'duplicate', messageId: duplicate.rows[0].id };

  const customerId = await customerFor(tx, message, at);
  const existing = await tx.query<ConversationRow>(
    `select * from conversations where channel = $1 and channel_account_id = $2 and customer_external_id = $3
     for update`,
    [message.channel, message.channelAccountId, message.customer.externalId],
  );
  const preview = previewOf(message.content);
  let conversationId: string;
  const row = existing.rows[0];
  if (!row) {
    conversationId = newId('cnv', at);
    const entry =
      message.entryPoint && message.entryPoint !== 'organic' ? message.entryPoint : 'organic';
    await tx.query(
      `insert into conversations (id, channel, channel_account_id, customer_id, customer_external_id,
         last_inbound_at, entry_point, entry_point_at, last_payment_at, last_message_at,
         last_message_preview, unread_count, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $6, $10, 1, $11, $11)`,
      [
        conversationId,
        message.channel,
        message.channelAccountId,
        customerId,
        message.customer.externalId,
        message.sentAt,
        entry,
        entry === 'organic' ? null : message.sentAt,
        message.payment ? message.sentAt : null,
        preview,
        at,
      ],
    );
  } else {
    conversationId = row.id;
    const newer = row.last_inbound_at === null || message.sentAt >= Number(row.last_inbound_at);
    const entry =
      message.entryPoint && message.entryPoint !== 'organic' ? message.entryPoint : null;
    const latest = message.sentAt >= Number(row.last_message_at);
    await tx.query(
      `update conversations set
         last_inbound_at = case when $2 then $3 else last_inbound_at end,
         sent_since_inbound = case when $2 then 0 else sent_since_inbound end,
         entry_point = coalesce($4, entry_point),
         entry_point_at = case when $4::text is null then entry_point_at else $3 end,
         first_reply_after_entry_at = case when $4::text is null then first_reply_after_entry_at else null end,
         sent_since_entry_point = case when $4::text is null then sent_since_entry_point else 0 end,
         last_payment_at = case when $5 then $3 else last_payment_at end,
         last_message_at = greatest(last_message_at, $3),
         last_message_preview = case when $6 then $7 else last_message_preview end,
         unread_count = unread_count + 1,
         -- The customer wrote again: a resolved or snoozed conversation needs attention.
         status = case when status in ('resolved', 'snoozed') then 'open' else status end,
         snoozed_until = case when status = 'snoozed' then null else snoozed_until end,
         updated_at = $8
       where id = $1`,
      [conversationId, newer, message.sentAt, entry, message.payment === true, latest, preview, at],
    );
  }

  const inserted = await tx.query<MessageRow>(
    `insert into messages (id, conversation_id, channel, direction, content, external_id, status,
       sent_at, updated_at)
     values ($1, $2, $3, 'inbound', $4::jsonb, $5, 'received', $6, $7)
     returning *`,
    [
      newId('msg', at),
      conversationId,
      message.channel,
      JSON.stringify(message.content),
      message.externalId,
      message.sentAt,
      at,
    ],
  );
  const stored = toMessage(inserted.rows[0] as MessageRow);
  out.push(messageCreated(stored));
  const conversation = await getConversation(tx, conversationId);
  if (conversation) out.push(conversationUpdated(conversation));
  return { kind: 'message', outcome: 'stored', messageId: stored.id };
}

async function applyStatus(
  tx: Queryable,
  status: InboundStatus,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  const found = await tx.query<MessageRow>(
    `select * from messages where channel = $1 and external_id = $2 and direction = 'outbound' for update`,
    [status.channel, status.externalId],
  );
  const row = found.rows[0];
  if (!row) return { kind: 'status', outcome: 'unknown_message' };
  const current = row.status;
  // Statuses can arrive out of order (and `delivered` may be skipped): never move backwards.
  // A failure reported after `sent` or `delivered` still wins: the message did not arrive.
  const advances =
    status.status === 'failed'
      ? current !== 'read' && current !== 'failed'
      : DELIVERY_RANK[status.status] > DELIVERY_RANK[current] && current !== 'failed';
  if (!advances) return { kind: 'status', outcome: 'stale' };
  const cost =
    status.pricing && row.cost
      ? {
          ...row.cost,
          amount: status.pricing.billable ? row.cost.amount : 0,
          category: status.pricing.category,
        }
      : row.cost;
  const failureReason = status.error
    ? [status.error.title, status.error.detail].filter(Boolean).join(': ')
    : null;
  const updated = await tx.query<MessageRow>(
    `update messages set status = $2, failure_code = coalesce($3, failure_code),
       failure_reason = coalesce($4, failure_reason), cost = $5::jsonb, updated_at = $6
     where id = $1 returning *`,
    [
      row.id,
      status.status as DeliveryStatus,
      status.error?.code ?? null,
      failureReason,
      JSON.stringify(cost),
      at,
    ],
  );
  out.push(messageUpdated(toMessage(updated.rows[0] as MessageRow)));
  return { kind: 'status', outcome: 'applied' };
}

export type { SequencedEvent };
