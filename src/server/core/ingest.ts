import {
  DELIVERY_RANK,
  DELIVERY_UNKNOWN,
  previewOf,
  quotePreviewOf,
  type Attachment,
  type Customer,
  type DeliveryStatus,
  type MessageContent,
  type ReplyQuote,
} from '../../shared/domain/model';
import {
  conversationUpdated,
  messageCreated,
  messageUpdated,
  type HubEvent,
  type SequencedEvent,
} from '../../shared/protocol/events';
import { assignRoundRobin } from '../admin/assignment';
import { recordActivity } from '../activity/record';
import type {
  InboundBlock,
  InboundEcho,
  InboundEdit,
  InboundEvent,
  InboundMessage,
  InboundReceipt,
  InboundRemoval,
  InboundStatus,
} from '../channels/types';
import { newId } from '../ids';
import type { EventBus } from '../realtime/event-bus';
import { CONVERSATION_SELECT, toConversation, type ConversationRow } from '../store/conversations';
import type { Db, Queryable } from '../store/db';
import { appendEvents } from '../store/events';

import { toMessage, type MessageRow } from '../store/messages';
import { pendingAttachment } from '../media/inbound';

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
  /**
   * Whether `count` more events fit in the backlog. A hub that falls behind refuses new
   * deliveries (webhooks answer 503; channels retry them) instead of holding ever more of them in
   * memory.
   */
  hasRoomFor(count: number): boolean;
  /** Events accepted and not yet committed. */
  backlog(): number;
}

interface Pending {
  readonly event: InboundEvent;
  resolve(result: IngestResult): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 256;
/** Events waiting for their commit: about two seconds of work at the hub's sustained rate. */
export const MAX_BACKLOG = 4096;

/**
 * Ingestion of channel events, the one path for every channel (and the demo). Events arriving
 * together are committed in one transaction (a webhook is answered 200 only after its commit),
 * which is what lets the hub sustain thousands of messages per second on PGlite. A batch that
 * fails is retried event by event, so one bad event never takes others down with it.
 */
export function createIngestor(db: Db, bus: EventBus, now: () => number): Ingestor {
  let queue: Pending[] = [];
  let running: Promise<void> | null = null;
  let inBatch = 0;

  async function runBatch(batch: Pending[]): Promise<void> {
    try {
      const { results, events } = await db.transaction(async (tx) => {
        const hubEvents: HubEvent[] = [];
        const at = now();
        const out = await applyBatch(
          tx,
          batch.map((item) => item.event),
          hubEvents,
          at,
        );
        return { results: out, events: await appendEvents(tx, hubEvents, at) };
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
      inBatch = batch.length;
      await runBatch(batch);
      inBatch = 0;
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
    hasRoomFor: (count) => queue.length + inBatch + count <= MAX_BACKLOG,
    backlog: () => queue.length + inBatch,
  };
}

/**
 * How far into the future a channel's timestamp may be before the hub stops believing it. Clocks
 * drift by seconds; a timestamp in the year 33658 (seen in fuzzing) would keep a reply window
 * open for ever and offer agents free-form replies the channel then refuses.
 */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Timestamps beyond the allowed skew are replaced by the hub's receipt time; a message keeps the
 * time it claimed in `claimed_sent_at` (null when its own time was used).
 */
function clampTimestamps(event: InboundEvent, at: number): InboundEvent {
  const limit = at + MAX_FUTURE_SKEW_MS;
  if (event.kind === 'message' || event.kind === 'echo')
    return event.sentAt > limit || !Number.isFinite(event.sentAt)
      ? {
          ...event,
          sentAt: at,
          ...(Number.isSafeInteger(event.sentAt) ? { claimedSentAt: event.sentAt } : {}),
        }
      : event;
  return event.at > limit || !Number.isFinite(event.at) ? { ...event, at } : event;
}

async function applyBatch(
  tx: Queryable,
  received: readonly InboundEvent[],
  out: HubEvent[],
  at: number,
): Promise<IngestResult[]> {
  const events = received.map((event) => clampTimestamps(event, at));
  const accounts = [
    ...new Map(events.map((e) => [keyOf(e.channel, e.channelAccountId), e])).values(),
  ];
  const results: IngestResult[] = new Array<IngestResult>(events.length);
  const messageIndexes: number[] = [];
  events.forEach((event, i) => {
    if (event.kind === 'message' || event.kind === 'echo') messageIndexes.push(i);
  });
  const messageResults = await applyMessages(
    tx,
    messageIndexes.map((i) => events[i] as Written),
    accounts,
    out,
    at,
  );
  messageIndexes.forEach((index, n) => {
    results[index] = messageResults[n] as IngestResult;
  });
  for (const [i, event] of events.entries()) {
    if (event.kind === 'status') results[i] = await applyStatus(tx, event, out, at);
    else if (event.kind === 'receipt') results[i] = await applyReceipt(tx, event, out, at);
    else if (event.kind === 'removal') results[i] = await applyRemoval(tx, event, out, at);
    else if (event.kind === 'edit') results[i] = await applyEdit(tx, event, out, at);
    else if (event.kind === 'block') results[i] = await applyBlock(tx, event, out, at);
  }
  return results;
}

/**
 * What ingestion writes as a message: the customer's (`message`), or the business's own sent
 * outside the hub (`echo`: outbound, `sent`, no author, never queued).
 */
type Written = InboundMessage | InboundEcho;

interface ConversationFacts {
  last_inbound_at: number | null;
  sent_since_inbound: number;
  entry_point: string;
  entry_point_at: number | null;
  first_reply_after_entry_at: number | null;
  sent_since_entry_point: number;
  last_payment_at: number | null;
  last_message_at: number;
  last_message_preview: string;
  unread_count: number;
  status: string;
  snoozed_until: number | null;
  // SLA facts (src/shared/sla/policy.ts).
  awaiting_reply_since: number | null;
  first_reply_at: number | null;
  opened_at: number | null;
  resolved_at: number | null;
  // Issue #15: whether the customer blocked the business; LINE's newest reply token.
  blocked_at: number | null;
  reply_token: string | null;
  reply_token_expires_at: number | null;
}

const keyOf = (...parts: string[]): string => parts.join('\u0000');
const num = (value: number | null): number | null => (value === null ? null : Number(value));
const conversationKey = (m: Written): string =>
  keyOf(m.channel, m.channelAccountId, m.customer.externalId);

/**
 * Store a batch of inbound messages with a fixed number of set-based statements, whatever the
 * batch size: this is what makes thousands of webhooks a second affordable on one core. Each step
 * below is one or two statements; they run in this order inside the batch's transaction.
 */
async function applyMessages(
  tx: Queryable,
  messages: readonly Written[],
  /** The business accounts of the whole batch (statuses too): their channel rows are upserted. */
  accounts: readonly InboundEvent[],
  out: HubEvent[],
  at: number,
): Promise<IngestResult[]> {
  const results: (IngestResult | null)[] = messages.map(() => null);
  const { firstIndex, toInsert } = await dedupeMessages(tx, messages, accounts, results, at);
  if (toInsert.length > 0) {
    const batch = toInsert.map((i) => messages[i] as Written);
    const { customerIds, customers } = await upsertCustomers(tx, batch, at);
    const assigned: HubEvent[] = [];
    const conversations = await upsertConversations(tx, batch, customerIds, at, assigned);
    const updates = await foldConversationFacts(tx, conversations, at);
    const { ids, quotes } = await insertMessages(tx, batch, conversations.rows, at);
    pushIngestEvents(
      out,
      { messages, toInsert, ids, quotes, results, updates, customers },
      conversations.rows,
      at,
    );
    out.push(...assigned);
  }
  markInBatchDuplicates(messages, firstIndex, results);
  return results as IngestResult[];
}

/**
 * Step 1, duplicates: channels retry webhooks, so the channel's own id decides (DESIGN.md rule 4),
 * within the batch and against what is stored. Stored duplicates get their result here.
 */
async function dedupeMessages(
  tx: Queryable,
  messages: readonly Written[],
  accounts: readonly InboundEvent[],
  results: (IngestResult | null)[],
  at: number,
): Promise<{ firstIndex: Map<string, number>; toInsert: number[] }> {
  const firstIndex = new Map<string, number>();
  const fresh: number[] = [];
  messages.forEach((message, i) => {
    const key = keyOf(message.channel, message.externalId);
    if (firstIndex.has(key)) return;
    firstIndex.set(key, i);
    fresh.push(i);
  });
  // The same statement records the batch's business accounts (their channels, and when they last
  // had news): a round trip into the database costs about as much as either.
  const stored = await tx.query<{ channel: string; external_id: string; id: string }>(
    `with touched as (
       insert into channels (id, kind, account_id, name, created_at, last_event_at)
       select id, kind, account, account, $6, $6
       from unnest($3::text[], $4::text[], $5::text[]) as t(id, kind, account)
       on conflict (kind, account_id) do update set last_event_at = excluded.last_event_at
     )
     select m.channel, m.external_id, m.id from messages m
     join unnest($1::text[], $2::text[]) as k(channel, external_id)
       on m.channel = k.channel and m.external_id = k.external_id`,
    [
      fresh.map((i) => messages[i]?.channel),
      fresh.map((i) => messages[i]?.externalId),
      accounts.map(() => newId('chn', at)),
      accounts.map((e) => e.channel),
      accounts.map((e) => e.channelAccountId),
      at,
    ],
  );
  const storedIds = new Map(
    stored.rows.map((row) => [keyOf(row.channel, row.external_id), row.id]),
  );
  const toInsert = fresh.filter((i) => {
    const message = messages[i] as Written;
    const id = storedIds.get(keyOf(message.channel, message.externalId));
    if (id === undefined) return true;
    results[i] = { kind: 'message', outcome: 'duplicate', messageId: id };
    return false;
  });
  return { firstIndex, toInsert };
}

/** Later copies of a message within the same batch are duplicates of the first. */
function markInBatchDuplicates(
  messages: readonly Written[],
  firstIndex: ReadonlyMap<string, number>,
  results: (IngestResult | null)[],
): void {
  messages.forEach((message, i) => {
    if (results[i] !== null) return;
    const first = results[firstIndex.get(keyOf(message.channel, message.externalId)) ?? -1];
    results[i] = {
      kind: 'message',
      outcome: 'duplicate',
      messageId: first?.kind === 'message' ? first.messageId : '',
    };
  });
}

interface BatchCustomers {
  /** Customer id by channel identity (`keyOf(channel, customer external id)`). */
  readonly customerIds: Map<string, string>;
  /** The customer as events will show it, built here rather than read back. */
  readonly customers: Map<string, Customer>;
}

/** Step 2, customers, by their channel identity: found, created, or renamed. */
async function upsertCustomers(
  tx: Queryable,
  batch: readonly Written[],
  at: number,
): Promise<BatchCustomers> {
  const customerKeys = [
    ...new Map(batch.map((m) => [keyOf(m.channel, m.customer.externalId), m])).values(),
  ];
  const known = await tx.query<{
    channel: string;
    external_id: string;
    customer_id: string;
    name: string;
    phone: string | null;
    email: string | null;
    country: string | null;
    language: string | null;
    renamable: boolean;
  }>(
    // An agent's name (or a merge's) stays; so does the kept customer's, against the profile name
    // of an identity a merge gave it (src/server/customers).
    `select i.channel, i.external_id, i.customer_id, c.name, c.phone, c.email, c.country, c.language,
            not c.name_locked and coalesce(i.owner_id, i.customer_id) = i.customer_id as renamable
     from customer_identities i
     join unnest($1::text[], $2::text[]) as k(channel, external_id)
       on i.channel = k.channel and i.external_id = k.external_id
     join customers c on c.id = i.customer_id`,
    [customerKeys.map((m) => m.channel), customerKeys.map((m) => m.customer.externalId)],
  );
  const customerIds = new Map<string, string>();
  const customers = new Map<string, Customer>();
  const renames: { id: string; name: string }[] = [];
  for (const row of known.rows) {
    customerIds.set(keyOf(row.channel, row.external_id), row.customer_id);
    customers.set(row.customer_id, {
      id: row.customer_id,
      name: row.name,
      phone: row.phone,
      email: row.email,
      country: row.country,
      language: row.language,
    });
  }
  const newCustomers: { id: string; message: Written }[] = [];
  for (const message of customerKeys) {
    const key = keyOf(message.channel, message.customer.externalId);
    const existing = known.rows.find((row) => keyOf(row.channel, row.external_id) === key);
    const name = message.customer.name?.trim();
    // A profile name arriving later replaces the phone-number placeholder.
    if (existing && name && existing.renamable && existing.name !== name) {
      renames.push({ id: existing.customer_id, name });
      const customer = customers.get(existing.customer_id);
      if (customer) customers.set(customer.id, { ...customer, name });
    }
    if (!customerIds.has(key)) {
      const id = newId('cus', at);
      customerIds.set(key, id);
      newCustomers.push({ id, message });
      const c = message.customer;
      customers.set(id, {
        id,
        name: c.name?.trim() || c.phone || c.externalId,
        phone: c.phone,
        email: c.email ?? null,
        country: c.country ?? null,
        language: c.language ?? null,
      });
    }
  }
  if (newCustomers.length > 0) {
    const c = newCustomers.map((entry) => entry.message.customer);
    await tx.query(
      `insert into customers (id, name, phone, email, country, language, created_at, updated_at)
       select id, name, phone, email, country, language, $7, $7
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
         as t(id, name, phone, email, country, language)`,
      [
        newCustomers.map((entry) => entry.id),
        c.map((customer) => customer.name?.trim() || customer.phone || customer.externalId),
        c.map((customer) => customer.phone),
        c.map((customer) => customer.email ?? null),
        c.map((customer) => customer.country ?? null),
        c.map((customer) => customer.language ?? null),
        at,
      ],
    );
    await tx.query(
      `insert into customer_identities (channel, external_id, customer_id)
       select * from unnest($1::text[], $2::text[], $3::text[])`,
      [
        newCustomers.map((entry) => entry.message.channel),
        newCustomers.map((entry) => entry.message.customer.externalId),
        newCustomers.map((entry) => entry.id),
      ],
    );
  }
  if (renames.length > 0) {
    await tx.query(
      `update customers c set name = r.name, updated_at = $3
       from unnest($1::text[], $2::text[]) as r(id, name) where c.id = r.id`,
      [renames.map((r) => r.id), renames.map((r) => r.name), at],
    );
  }
  return { customerIds, customers };
}

interface BatchConversations {
  /** The batch's messages by conversation (`conversationKey`), in arrival order. */
  readonly byConversation: Map<string, Written[]>;
  /** Each conversation's row, locked for this transaction, by `conversationKey`. */
  readonly rows: Map<string, ConversationRow>;
}

/**
 * Step 3a, conversations: one per customer identity and business account, locked when they exist
 * and created (and round-robin assigned) when they do not.
 */
async function upsertConversations(
  tx: Queryable,
  batch: readonly Written[],
  customerIds: ReadonlyMap<string, string>,
  at: number,
  /** Where the rotation's activity lines go (`activity.created`). */
  activityOut: HubEvent[],
): Promise<BatchConversations> {
  const byConversation = new Map<string, Written[]>();
  for (const message of batch) {
    const list = byConversation.get(conversationKey(message)) ?? [];
    list.push(message);
    byConversation.set(conversationKey(message), list);
  }
  const groups = [...byConversation.values()].map((list) => list[0] as Written);
  const existing = await tx.query<ConversationRow>(
    `select v.* from conversations v
     join unnest($1::text[], $2::text[], $3::text[]) as k(channel, account, customer)
       on v.channel = k.channel and v.channel_account_id = k.account and v.customer_external_id = k.customer
     for update of v`,
    [
      groups.map((m) => m.channel),
      groups.map((m) => m.channelAccountId),
      groups.map((m) => m.customer.externalId),
    ],
  );
  const rows = new Map(
    existing.rows.map((row) => [
      keyOf(row.channel, row.channel_account_id, row.customer_external_id),
      row,
    ]),
  );
  const missing = groups.filter((m) => !rows.has(conversationKey(m)));
  if (missing.length > 0) {
    const created = await tx.query<ConversationRow>(
      `insert into conversations (id, channel, channel_account_id, customer_id, customer_external_id,
         last_message_at, created_at, updated_at)
       select id, channel, account, customer, external, sent_at, $7, $7
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         as t(id, channel, account, customer, external, sent_at)
       returning *`,
      [
        missing.map(() => newId('cnv', at)),
        missing.map((m) => m.channel),
        missing.map((m) => m.channelAccountId),
        missing.map((m) => customerIds.get(keyOf(m.channel, m.customer.externalId))),
        missing.map((m) => m.customer.externalId),
        missing.map((m) => m.sentAt),
        at,
      ],
    );
    // Round-robin teams take new conversations as they arrive (src/server/admin/assignment.ts).
    const assignees = await assignRoundRobin(tx, created.rows);
    // Each one's activity line: assigned by the team's rotation ("by Replydesk").
    await recordActivity(
      tx,
      [...assignees].map(([conversationId, userId]) => ({
        conversationId,
        kind: 'assignment' as const,
        via: 'round_robin' as const,
        actorId: null,
        from: null,
        to: userId,
      })),
      at,
      activityOut,
    );
    for (const row of created.rows)
      rows.set(keyOf(row.channel, row.channel_account_id, row.customer_external_id), {
        ...row,
        assignee_id: assignees.get(row.id) ?? row.assignee_id,
      });
  }
  return { byConversation, rows };
}

interface ConversationUpdate {
  readonly id: string;
  readonly facts: ConversationFacts;
  readonly row: ConversationRow;
}

/** The business's own message sent outside the hub: counted as a reply, as the hub's are. */
function foldEcho(facts: ConversationFacts, echo: InboundEcho): void {
  facts.sent_since_inbound += 1;
  facts.sent_since_entry_point += 1;
  if (facts.entry_point === 'ad_referral') facts.first_reply_after_entry_at ??= echo.sentAt;
  if (echo.sentAt >= facts.last_message_at || facts.last_message_preview === '') {
    facts.last_message_at = Math.max(facts.last_message_at, echo.sentAt);
    facts.last_message_preview = previewOf(echo.content);
  }
  facts.unread_count = 0;
  facts.first_reply_at ??= echo.sentAt;
  facts.awaiting_reply_since = null;
}

/**
 * A referral without words (Messenger `messaging_referrals`: the customer opened the thread from
 * an ad or a link): its entry point counts, but it is neither unread nor awaiting a reply, and it
 * opens no window of its own.
 */
function foldReferral(facts: ConversationFacts, message: InboundMessage): void {
  if (message.entryPoint && message.entryPoint !== 'organic') {
    facts.entry_point = message.entryPoint;
    facts.entry_point_at = message.sentAt;
    facts.first_reply_after_entry_at = null;
    facts.sent_since_entry_point = 0;
  }
  if (facts.last_message_preview === '') {
    facts.last_message_at = Math.max(facts.last_message_at, message.sentAt);
    facts.last_message_preview = previewOf(message.content);
  }
}

/** A conversation's facts folded with one more inbound message (in arrival order). */
function foldMessage(facts: ConversationFacts, written: Written): void {
  if (written.kind === 'echo') return foldEcho(facts, written);
  const message = written;
  if (message.content.type === 'referral') return foldReferral(facts, message);
  if (facts.last_inbound_at === null || message.sentAt >= facts.last_inbound_at) {
    facts.last_inbound_at = message.sentAt;
    facts.sent_since_inbound = 0;
  }
  if (message.entryPoint && message.entryPoint !== 'organic') {
    facts.entry_point = message.entryPoint;
    facts.entry_point_at = message.sentAt;
    facts.first_reply_after_entry_at = null;
    facts.sent_since_entry_point = 0;
  }
  if (message.payment) facts.last_payment_at = Math.max(facts.last_payment_at ?? 0, message.sentAt);
  if (message.sentAt >= facts.last_message_at || facts.last_message_preview === '') {
    facts.last_message_at = Math.max(facts.last_message_at, message.sentAt);
    facts.last_message_preview = previewOf(message.content);
  }
  facts.unread_count += 1;
  // The customer wrote again: a resolved or snoozed conversation needs attention.
  if (facts.status === 'resolved') {
    // A new open period: its resolution target counts from this message.
    facts.opened_at = message.sentAt;
    facts.resolved_at = null;
  }
  if (facts.status === 'resolved' || facts.status === 'snoozed') {
    facts.status = 'open';
    facts.snoozed_until = null;
  }
  // SLA response targets count from the first message an agent has not answered yet.
  facts.awaiting_reply_since =
    facts.awaiting_reply_since === null
      ? message.sentAt
      : Math.min(facts.awaiting_reply_since, message.sentAt);
  facts.opened_at ??= message.sentAt;
  // Writing to the business means it is no longer blocked (Viber: a message subscribes) — unless
  // the message is older than the block (a late redelivery): the block came after it.
  if (facts.blocked_at === null || message.sentAt >= facts.blocked_at) facts.blocked_at = null;
  // The newest reply token wins; each is single use, so an older one is never kept over it.
  if (
    message.replyToken &&
    (facts.reply_token_expires_at === null ||
      message.replyToken.expiresAt >= facts.reply_token_expires_at)
  ) {
    facts.reply_token = message.replyToken.token;
    facts.reply_token_expires_at = message.replyToken.expiresAt;
  }
}

/**
 * Step 3b, reply-window and SLA facts: each conversation's new messages folded into its facts, in
 * arrival order, and written back in one statement.
 */
async function foldConversationFacts(
  tx: Queryable,
  { byConversation, rows }: BatchConversations,
  at: number,
): Promise<ConversationUpdate[]> {
  const updates: ConversationUpdate[] = [];
  for (const [key, list] of byConversation) {
    const row = rows.get(key) as ConversationRow;
    const facts: ConversationFacts = {
      last_inbound_at: num(row.last_inbound_at),
      sent_since_inbound: Number(row.sent_since_inbound),
      entry_point: row.entry_point,
      entry_point_at: num(row.entry_point_at),
      first_reply_after_entry_at: num(row.first_reply_after_entry_at),
      sent_since_entry_point: Number(row.sent_since_entry_point),
      last_payment_at: num(row.last_payment_at),
      last_message_at: Number(row.last_message_at),
      last_message_preview: row.last_message_preview,
      unread_count: Number(row.unread_count),
      status: row.status,
      snoozed_until: num(row.snoozed_until),
      awaiting_reply_since: num(row.awaiting_reply_since),
      first_reply_at: num(row.first_reply_at),
      opened_at: num(row.opened_at),
      resolved_at: num(row.resolved_at),
      blocked_at: num(row.blocked_at),
      reply_token: row.reply_token,
      reply_token_expires_at: num(row.reply_token_expires_at),
    };
    for (const message of list) foldMessage(facts, message);
    updates.push({ id: row.id, facts, row });
  }
  const column = <K extends keyof ConversationFacts>(name: K) => updates.map((u) => u.facts[name]);
  await tx.query(
    `update conversations v set
       last_inbound_at = u.last_inbound_at, sent_since_inbound = u.sent_since_inbound,
       entry_point = u.entry_point, entry_point_at = u.entry_point_at,
       first_reply_after_entry_at = u.first_reply_after_entry_at,
       sent_since_entry_point = u.sent_since_entry_point, last_payment_at = u.last_payment_at,
       last_message_at = u.last_message_at, last_message_preview = u.last_message_preview,
       unread_count = u.unread_count, status = u.status, snoozed_until = u.snoozed_until,
       awaiting_reply_since = u.awaiting_reply_since, opened_at = u.opened_at,
       resolved_at = u.resolved_at, first_reply_at = u.first_reply_at,
       blocked_at = u.blocked_at, reply_token = u.reply_token,
       reply_token_expires_at = u.reply_token_expires_at, updated_at = $21
     from unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::bigint[], $6::bigint[],
                 $7::int[], $8::bigint[], $9::bigint[], $10::text[], $11::int[], $12::text[], $13::bigint[],
                 $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[],
                 $19::text[], $20::bigint[])
       as u(id, last_inbound_at, sent_since_inbound, entry_point, entry_point_at,
            first_reply_after_entry_at, sent_since_entry_point, last_payment_at, last_message_at,
            last_message_preview, unread_count, status, snoozed_until, awaiting_reply_since,
            opened_at, resolved_at, first_reply_at, blocked_at, reply_token,
            reply_token_expires_at)
     where v.id = u.id`,
    [
      updates.map((u) => u.id),
      column('last_inbound_at'),
      column('sent_since_inbound'),
      column('entry_point'),
      column('entry_point_at'),
      column('first_reply_after_entry_at'),
      column('sent_since_entry_point'),
      column('last_payment_at'),
      column('last_message_at'),
      column('last_message_preview'),
      column('unread_count'),
      column('status'),
      column('snoozed_until'),
      column('awaiting_reply_since'),
      column('opened_at'),
      column('resolved_at'),
      column('first_reply_at'),
      column('blocked_at'),
      column('reply_token'),
      column('reply_token_expires_at'),
      at,
    ],
  );
  return updates;
}

/** The button a tap names (`interactive_reply` id, `button_reply` payload); null for others. */
function tappedButtonOf(content: MessageContent): string | null {
  if (content.type === 'interactive_reply') return content.replyId;
  if (content.type === 'button_reply') return content.payload;
  return null;
}

/**
 * Step 4a′, taps that name no message (Messenger / Instagram quick replies carry only the
 * payload): the newest agent message of the same conversation that offered that button
 * (`replyButtons`). One statement, only for a batch that holds such taps.
 */
async function offersTappedIn(
  tx: Queryable,
  batch: readonly Written[],
  conversationIds: readonly string[],
): Promise<(ReplyQuote | null)[]> {
  const taps = batch.flatMap((m, i) =>
    m.kind === 'message' && !m.replyToExternalId && tappedButtonOf(m.content) !== null ? [i] : [],
  );
  if (taps.length === 0) return batch.map(() => null);
  const { rows } = await tx.query<{ i: number; id: string; content: MessageContent }>(
    `select distinct on (k.i) k.i, m.id, m.content
     from unnest($1::int[], $2::text[], $3::text[]) as k(i, conversation_id, button_id)
     join messages m on m.conversation_id = k.conversation_id and m.direction = 'outbound'
       and m.content -> 'replyButtons' @> jsonb_build_array(jsonb_build_object('id', k.button_id))
     order by k.i, m.sent_at desc, m.id desc`,
    [
      taps,
      taps.map((i) => conversationIds[i]),
      taps.map((i) => tappedButtonOf((batch[i] as Written).content)),
    ],
  );
  const found = new Map(rows.map((row) => [Number(row.i), row]));
  return batch.map((_, i) => {
    const offer = found.get(i);
    return offer ? { messageId: offer.id, preview: quotePreviewOf(offer.content) } : null;
  });
}

/**
 * Step 4a, replies (Telegram `reply_to_message`, WhatsApp `context`): the stored message each
 * one answers, when it is of the same conversation, quoted as it reads now. One statement, and
 * only for a batch that holds replies; a message replying to one we do not hold quotes nothing.
 * A button tap that names no message answers the message that offered the button.
 */
async function quotesOf(
  tx: Queryable,
  batch: readonly Written[],
  conversationIds: readonly string[],
): Promise<(ReplyQuote | null)[]> {
  const offers = await offersTappedIn(tx, batch, conversationIds);
  const replying = batch.flatMap((m, i) => (m.replyToExternalId ? [i] : []));
  if (replying.length === 0) return offers;
  const { rows } = await tx.query<{
    id: string;
    conversation_id: string;
    channel: string;
    external_id: string;
    content: MessageContent;
  }>(
    `select m.id, m.conversation_id, m.channel, m.external_id, m.content from messages m
     join unnest($1::text[], $2::text[]) as k(channel, external_id)
       on m.channel = k.channel and m.external_id = k.external_id`,
    [replying.map((i) => batch[i]?.channel), replying.map((i) => batch[i]?.replyToExternalId)],
  );
  const found = new Map(rows.map((row) => [keyOf(row.channel, row.external_id), row]));
  return batch.map((m, i) => {
    const quoted = m.replyToExternalId ? found.get(keyOf(m.channel, m.replyToExternalId)) : null;
    return quoted && quoted.conversation_id === conversationIds[i]
      ? { messageId: quoted.id, preview: quotePreviewOf(quoted.content) }
      : (offers[i] ?? null);
  });
}

/** Step 4, the messages themselves, in arrival order (ids sort by ingestion), with their quotes. */
async function insertMessages(
  tx: Queryable,
  batch: readonly Written[],
  rows: ReadonlyMap<string, ConversationRow>,
  at: number,
): Promise<{ ids: string[]; quotes: (ReplyQuote | null)[] }> {
  const ids = batch.map(() => newId('msg', at));
  const attachments = batch.map((m) => pendingAttachment(m.content));
  const conversationIds = batch.map((m) => (rows.get(conversationKey(m)) as ConversationRow).id);
  const quotes = await quotesOf(tx, batch, conversationIds);
  await tx.query(
    `insert into messages (id, conversation_id, channel, direction, content, external_id, status,
       sent_at, updated_at, claimed_sent_at, attachment, sender_external_id, reply_to)
     select id, conversation_id, channel, direction, content::jsonb, external_id, status, sent_at, $7,
       claimed_sent_at, attachment::jsonb, sender, reply_to::jsonb
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
       $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
       as t(id, conversation_id, channel, content, external_id, sent_at, claimed_sent_at, attachment,
            direction, status, sender, reply_to)`,
    [
      ids,
      conversationIds,
      batch.map((m) => m.channel),
      batch.map((m) => JSON.stringify(m.content)),
      batch.map((m) => m.externalId),
      batch.map((m) => m.sentAt),
      at,
      batch.map((m) => m.claimedSentAt ?? null),
      attachments.map((a) => (a ? JSON.stringify(a) : null)),
      batch.map((m) => directionOf(m)),
      batch.map((m) => statusOf(m)),
      batch.map((m) => m.sender?.externalId ?? null),
      quotes.map((q) => (q ? JSON.stringify(q) : null)),
    ],
  );
  await queueMediaDownloads(tx, batch, ids, attachments, at);
  return { ids, quotes };
}

/**
 * Step 4b, files: a media message is stored with its attachment `pending` and a download job in
 * the same transaction; the download worker (`media/downloads.ts`) fetches it after the commit,
 * so ingestion never waits for a file.
 */
async function queueMediaDownloads(
  tx: Queryable,
  batch: readonly Written[],
  ids: readonly string[],
  attachments: readonly (Attachment | null)[],
  at: number,
): Promise<void> {
  const jobs = batch.flatMap((m, i) => (attachments[i] ? [{ m, id: ids[i] as string }] : []));
  if (jobs.length === 0) return;
  await tx.query(
    `insert into media_downloads (message_id, channel, channel_account_id, content_type, media,
       next_attempt_at, created_at)
     select id, channel, account, content_type, media::jsonb, $6, $6
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       as t(id, channel, account, content_type, media)`,
    [
      jobs.map((j) => j.id),
      jobs.map((j) => j.m.channel),
      jobs.map((j) => j.m.channelAccountId),
      jobs.map((j) => j.m.content.type),
      jobs.map((j) => JSON.stringify((j.m.content as { media: unknown }).media)),
      at,
    ],
  );
}

const directionOf = (m: Written): 'inbound' | 'outbound' =>
  m.kind === 'echo' ? 'outbound' : 'inbound';
const statusOf = (m: Written): 'received' | 'sent' => (m.kind === 'echo' ? 'sent' : 'received');

interface StoredBatch {
  readonly messages: readonly Written[];
  /** Indexes into `messages` of those inserted, matching `ids`. */
  readonly toInsert: readonly number[];
  readonly ids: readonly string[];
  /** What each inserted message quotes, matching `ids`. */
  readonly quotes: readonly (ReplyQuote | null)[];
  readonly results: (IngestResult | null)[];
  readonly updates: readonly ConversationUpdate[];
  readonly customers: ReadonlyMap<string, Customer>;
}

/**
 * Step 5, events: built from what was written, without reading it back (ingestion is hot); the
 * stored messages' results are set here.
 */
function pushIngestEvents(
  out: HubEvent[],
  { messages, toInsert, ids, quotes, results, updates, customers }: StoredBatch,
  rows: ReadonlyMap<string, ConversationRow>,
  at: number,
): void {
  toInsert.forEach((index, n) => {
    const message = messages[index] as Written;
    const id = ids[n] as string;
    const quote = quotes[n] ?? null;
    out.push(
      messageCreated({
        id,
        conversationId: (rows.get(conversationKey(message)) as ConversationRow).id,
        direction: directionOf(message),
        content: message.content,
        externalId: message.externalId,
        clientId: null,
        authorId: null,
        status: statusOf(message),
        failureCode: null,
        failureReason: null,
        cost: null,
        tag: null,
        attachment: pendingAttachment(message.content),
        // A group chat's member, by id until the hub has looked their name up (profiles.ts).
        ...(message.sender ? { senderName: message.sender.externalId } : {}),
        ...(quote ? { replyTo: quote } : {}),
        sentAt: message.sentAt,
        updatedAt: at,
      }),
    );
    results[index] = { kind: 'message', outcome: 'stored', messageId: id };
  });
  for (const { facts, row } of updates) {
    const customer = customers.get(row.customer_id);
    if (!customer) continue;
    out.push(
      conversationUpdated(
        toConversation({
          ...row,
          ...facts,
          entry_point: facts.entry_point as ConversationRow['entry_point'],
          status: facts.status as ConversationRow['status'],
          updated_at: at,
          c_name: customer.name,
          c_phone: customer.phone,
          c_email: customer.email,
          c_country: customer.country,
          c_language: customer.language,
        }),
      ),
    );
  }
}

/**
 * What the channel says it charged (Vonage SMS `usage`) replaces the rate card's quote: the
 * amount and currency are the provider's, the category the quote's (or the channel's).
 */
function chargedCost(
  price: NonNullable<InboundStatus['price']>,
  quoted: MessageRow['cost'],
  channel: InboundStatus['channel'],
): MessageRow['cost'] {
  const amount = Number(price.amount);
  if (!Number.isFinite(amount) || amount < 0) return quoted;
  const label = 'Charged by the provider';
  // Told again (a redelivery, a later status): unchanged, so nothing is written.
  if (quoted?.amount === amount && quoted.currency === price.currency && quoted.label === label)
    return quoted;
  return {
    ...(quoted ?? { category: channel }),
    amount,
    currency: price.currency,
    label,
  };
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
  let row = found.rows[0];
  let externalId = row?.external_id ?? null;
  if (!row && status.ourMessageId) {
    // A send whose answer never reached us (timeout, hub killed mid-call): the channel's status
    // names our message, and settles it. It must never be sent again (issue #13 item 2).
    const ours = await tx.query<MessageRow>(
      `select * from messages where id = $1 and channel = $2 and direction = 'outbound'
         and external_id is null for update`,
      [status.ourMessageId, status.channel],
    );
    row = ours.rows[0];
    if (row) {
      externalId = status.externalId;
      await tx.query('delete from outbound_queue where message_id = $1', [row.id]);
    }
  }
  if (!row) return { kind: 'status', outcome: 'unknown_message' };
  const current = row.status;
  // A message given up as "may not have been delivered" is corrected by the channel's word.
  const unconfirmed = current === 'failed' && row.failure_code === DELIVERY_UNKNOWN;
  // Statuses can arrive out of order (and `delivered` may be skipped): never move backwards.
  // A failure reported after `sent` or `delivered` still wins: the message did not arrive.
  const advances =
    status.status === 'failed'
      ? current !== 'read' && (current !== 'failed' || unconfirmed)
      : unconfirmed ||
        (DELIVERY_RANK[status.status] > DELIVERY_RANK[current] && current !== 'failed');
  if (!advances) {
    // A status that moves nothing may still say what the message cost: Vonage's `submitted`
    // (SMS is charged then) names a message already `sent`, or comes after `delivered`.
    const charged = status.price ? chargedCost(status.price, row.cost, status.channel) : row.cost;
    if (externalId !== row.external_id || charged !== row.cost) {
      const settled = await tx.query<MessageRow>(
        'update messages set external_id = $2, updated_at = $3, cost = $4::jsonb where id = $1 returning *',
        [row.id, externalId, at, JSON.stringify(charged)],
      );
      out.push(messageUpdated(toMessage(settled.rows[0] as MessageRow)));
    }
    return { kind: 'status', outcome: 'stale' };
  }
  const cost = status.price
    ? chargedCost(status.price, row.cost, status.channel)
    : status.pricing && row.cost
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
    `update messages set status = $2,
       failure_code = case when $7 then $3 else coalesce($3, failure_code) end,
       failure_reason = case when $7 then $4 else coalesce($4, failure_reason) end,
       cost = $5::jsonb, updated_at = $6, external_id = $8
     where id = $1 returning *`,
    [
      row.id,
      status.status as DeliveryStatus,
      status.error?.code ?? null,
      failureReason,
      JSON.stringify(cost),
      at,
      unconfirmed,
      externalId,
    ],
  );
  out.push(messageUpdated(toMessage(updated.rows[0] as MessageRow)));
  return { kind: 'status', outcome: 'applied' };
}

/**
 * A receipt covering several outbound messages of one conversation: each sent (or delivered, for
 * a read) at or before the watermark moves on. Never backwards, never a failed or unsent one.
 */
async function applyReceipt(
  tx: Queryable,
  receipt: InboundReceipt,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  const before = receipt.status === 'read' ? ['sent', 'delivered'] : ['sent'];
  const updated = await tx.query<MessageRow>(
    `update messages m set status = $4, updated_at = $5
     from conversations v
     where v.id = m.conversation_id and v.channel = $1 and v.channel_account_id = $2
       and v.customer_external_id = $3 and m.direction = 'outbound'
       and m.status = any($6::text[])
       and m.sent_at <= coalesce($7::bigint, (
         select u.sent_at from messages u
         where u.channel = $1 and u.external_id = $8 and u.conversation_id = v.id))
     returning m.*`,
    [
      receipt.channel,
      receipt.channelAccountId,
      receipt.customerExternalId,
      receipt.status,
      at,
      before,
      receipt.watermark ?? null,
      receipt.upToExternalId ?? null,
    ],
  );
  const rows = [...updated.rows].sort((a, b) => Number(a.sent_at) - Number(b.sent_at));
  for (const row of rows) out.push(messageUpdated(toMessage(row)));
  return { kind: 'status', outcome: rows.length > 0 ? 'applied' : 'stale' };
}

/** An unsent message: its content is replaced (the customer took it back), its place kept. */
async function applyRemoval(
  tx: Queryable,
  removal: InboundRemoval,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  const updated = await tx.query<MessageRow>(
    `update messages set content = jsonb_build_object('type', 'removed', 'originalType',
         left(content->>'type', 100)), updated_at = $3
     where channel = $1 and external_id = $2 and direction = 'inbound'
       and content->>'type' <> 'removed'
     returning *`,
    [removal.channel, removal.externalId, at],
  );
  const row = updated.rows[0];
  if (!row) return { kind: 'status', outcome: 'unknown_message' };
  out.push(messageUpdated(toMessage(row)));
  return { kind: 'status', outcome: 'applied' };
}

/**
 * An edited message: its content is replaced and it shows as edited. Edits apply in the order the
 * customer made them (`at`): a redelivered older edit changes nothing.
 */
async function applyEdit(
  tx: Queryable,
  edit: InboundEdit,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  const updated = await tx.query<MessageRow>(
    `update messages set content = $3, edited_at = $4, updated_at = $5
     where channel = $1 and external_id = $2 and direction = 'inbound'
       and content->>'type' <> 'removed' and (edited_at is null or edited_at < $4)
     returning *`,
    [edit.channel, edit.externalId, JSON.stringify(edit.content), edit.at, at],
  );
  const row = updated.rows[0];
  if (!row) {
    const known = await tx.query('select 1 from messages where channel = $1 and external_id = $2', [
      edit.channel,
      edit.externalId,
    ]);
    return { kind: 'status', outcome: known.rows.length > 0 ? 'stale' : 'unknown_message' };
  }
  out.push(messageUpdated(toMessage(row)));
  return { kind: 'status', outcome: 'applied' };
}

/**
 * The customer blocked or unblocked the business: the conversation shows it, and replies are
 * refused while blocked (commands.ts). A block for a customer with no conversation changes nothing.
 */
async function applyBlock(
  tx: Queryable,
  block: InboundBlock,
  out: HubEvent[],
  at: number,
): Promise<IngestResult> {
  const updated = await tx.query<{ id: string }>(
    // In the customer's order, whatever order the platform delivers in: a block older than the
    // customer's last message (a late redelivery of it) is stale, and so is an unblock older than
    // the block it would lift.
    `update conversations set blocked_at = $4, updated_at = $5, blocked_reason = $8
     where channel = $1 and channel_account_id = $2 and customer_external_id = $3
       and (blocked_at is null) = $6
       and case when $6 then coalesce(last_inbound_at, 0) <= $7 else blocked_at <= $7 end
     returning id`,
    [
      block.channel,
      block.channelAccountId,
      block.customer.externalId,
      block.blocked ? block.at : null,
      at,
      block.blocked,
      block.at,
      block.blocked ? (block.reason ?? null) : null,
    ],
  );
  const id = updated.rows[0]?.id;
  if (!id) return { kind: 'status', outcome: 'stale' };
  const { rows } = await tx.query<ConversationRow>(`${CONVERSATION_SELECT} where v.id = $1`, [id]);
  if (rows[0]) out.push(conversationUpdated(toConversation(rows[0])));
  return { kind: 'status', outcome: 'applied' };
}

export type { SequencedEvent };
