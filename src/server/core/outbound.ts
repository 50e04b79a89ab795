import type { ChannelKind } from '../../shared/domain/channels';
import { DELIVERY_UNKNOWN, type ChannelContent } from '../../shared/domain/model';
import { linePushCost, type RateCard } from '../../shared/pricing';
import { conversationUpdated, messageUpdated, type HubEvent } from '../../shared/protocol/events';
import type { ChannelMedia, ChannelSender, OutboundRequest, SendResult } from '../channels/types';
import { channelMediaIdFor, hubFileOf, withChannelMedia } from '../media/outbound';
import { findChannelUpload, readMediaBytes, rememberChannelUpload } from '../media/store';
import type { EventBus } from '../realtime/event-bus';
import { CONVERSATION_SELECT, toConversation, type ConversationRow } from '../store/conversations';
import type { Db, Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { instanceAlive } from '../store/hub-locks';
import { toMessage, type MessageRow } from '../store/messages';

export interface OutboundQueue {
  /** Look for due messages now (after a send was committed). */
  wake(): void;
  /** Process everything due now; resolves when done (tests and shutdown). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export interface OutboundOptions {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly senderFor: (channel: ChannelKind, channelAccountId: string) => ChannelSender | null;
  /** Give up after this many attempts (default 12, about an hour of backoff). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly pollMs?: number;
  /** Sends in flight at once (default `DEFAULT_OUTBOUND_CONCURRENCY`). */
  readonly concurrency?: number;
  /** How long a send of unknown outcome waits for a status webhook (`DEFAULT_RECONCILE_MS`). */
  readonly reconcileMs?: number;
  /**
   * This hub's instance id, whose advisory lock it holds while it runs (`store/hub-locks.ts`):
   * its sends in flight are marked with it, so the other hubs on the database leave them alone
   * while it lives and treat them as cut off once it is gone.
   */
  readonly instanceId?: string;
  /** A channel account's media part, for files agents send (uploaded before the send). */
  readonly mediaFor?: (channel: ChannelKind, channelAccountId: string) => ChannelMedia | null;
  /** How long an upload to the channel may take. */
  readonly uploadTimeoutMs?: number;
  /** The rate card in force: prices a push sent beyond the plan's free quota (LINE). */
  readonly rateCard?: () => RateCard;
}

interface DueRow extends MessageRow {
  attempts: number;
  channel_media_id: string | null;
  channel_account_id: string;
  customer_external_id: string;
  /** The conversation's reply token's end when it has one (LINE), as the row was picked. */
  reply_token_expires_at: number | null;
  /** The channel's id of the message this one quotes (`reply_to`), if any. */
  reply_to_external_id: string | null;
}

/** A send result's code when the customer blocked the business (connectors use it). */
export const BLOCKED = 'blocked';

/** What goes to the sender: the content, and the file's bytes for an inline channel. */
interface Prepared {
  readonly content: ChannelContent;
  readonly file?: NonNullable<OutboundRequest['file']>;
}

type Failure = Extract<SendResult, { ok: false }>;

/**
 * A file for a channel that takes it in the send request (`ChannelMedia.inline`, Telegram): the
 * channel's id from an earlier send of it on this account when there is one, else its bytes.
 */
async function inlineFile(
  db: Db,
  row: DueRow,
  file: NonNullable<ReturnType<typeof hubFileOf>>,
  now: () => number,
): Promise<{ ok: true; prepared: Prepared } | Failure> {
  const sha256 = file.media.sha256 as string;
  const known = await findChannelUpload(
    db,
    { sha256, channel: row.channel, channelAccountId: row.channel_account_id },
    now(),
  );
  if (known) return { ok: true, prepared: { content: withChannelMedia(file, known) } };
  const bytes = await readMediaBytes(db, sha256);
  if (!bytes)
    return {
      ok: false,
      retryable: false,
      code: 'media_missing',
      reason: 'The file is no longer at the hub; attach it again.',
    };
  return {
    ok: true,
    prepared: {
      content: file,
      file: {
        bytes,
        mimeType: file.media.mimeType ?? 'application/octet-stream',
        filename: file.media.filename ?? 'file',
      },
    },
  };
}

/** What a queued row may send: its content unless it is a note (or not outbound at all). */
function sendableContent(row: DueRow): ChannelContent | null {
  return row.direction === 'outbound' && row.content.type !== 'note' ? row.content : null;
}

/** Sends in flight at once, across conversations (one per conversation at a time). */
export const DEFAULT_OUTBOUND_CONCURRENCY = 8;
/** How long a send of unknown outcome waits for a status webhook before the agent is told. */
export const DEFAULT_RECONCILE_MS = 10 * 60_000;

const UNCONFIRMED_REASON =
  'May not have been delivered: the channel never confirmed it. Not sent again; resend it if the customer did not get it.';

/**
 * The durable outbound queue. Replies are committed to `outbound_queue` before anything is
 * sent, so a hub restart never loses one; 429 and 5xx answers are retried with exponential
 * backoff (or the channel's Retry-After).
 *
 * - **Order**: messages of one conversation go out in order: only the oldest queued message of
 *   each conversation is attempted, and never while one of its sends is in flight.
 * - **Independence**: conversations do not wait for each other. Up to `concurrency` sends run at
 *   once, each started as soon as a slot is free: one hanging API call holds up its own
 *   conversation only (issue #13 item 3: a reply went out 14.7 s late behind a 15 s timeout).
 * - **Never twice**: a send is marked in flight (`sending_since`) in a committed transaction
 *   before the call. A send whose outcome is unknown — the call timed out after it went out, or
 *   the hub died during it (found in flight at start) — is never retried: the queue waits up to
 *   `reconcileMs` for a status webhook naming the message (ingest settles it), then marks it
 *   "may not have been delivered" for the agent to decide (issue #13 item 2).
 */
export function startOutboundQueue(options: OutboundOptions): OutboundQueue {
  const { db, bus, now } = options;
  const instanceId = options.instanceId ?? `outbound_${process.pid}_${Date.now().toString(36)}`;
  const maxAttempts = options.maxAttempts ?? 12;
  const baseDelay = options.baseDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 5 * 60_000;
  const concurrency = options.concurrency ?? DEFAULT_OUTBOUND_CONCURRENCY;
  const reconcileMs = options.reconcileMs ?? DEFAULT_RECONCILE_MS;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;
  /** Conversations with a send in flight, and the sends themselves. */
  const busy = new Set<string>();
  const active = new Set<Promise<void>>();

  async function update(
    tx: Queryable,
    id: string,
    set: string,
    values: readonly unknown[],
  ): Promise<HubEvent> {
    const updated = await tx.query<MessageRow>(
      `update messages set ${set} where id = $1 returning *`,
      [id, ...values],
    );
    return messageUpdated(toMessage(updated.rows[0] as MessageRow));
  }

  async function finish(row: DueRow, result: SendResult, attempts: number): Promise<void> {
    const at = now();
    const events = await db.transaction(async (tx) => {
      const out: HubEvent[] = [];
      // A status webhook may have settled the message while the call was out (ingest removes
      // the queue row then): nothing is left to decide here.
      const queued = await tx.query(
        'select 1 from outbound_queue where message_id = $1 for update',
        [row.id],
      );
      if (queued.rows.length === 0) return [];
      if (result.ok) {
        await tx.query('delete from outbound_queue where message_id = $1', [row.id]);
        const file = hubFileOf(row.content);
        if (result.channelMediaId && file?.media.sha256)
          await rememberChannelUpload(
            tx,
            {
              sha256: file.media.sha256,
              channel: row.channel,
              channelAccountId: row.channel_account_id,
            },
            result.channelMediaId,
            at,
          );
        // How the channel sent it decides its cost (LINE: a free reply, a push on the quota, or
        // a push beyond the plan's free quota at the rate card's price).
        if (result.billing) {
          const { countedBefore } = result.billing;
          const beyond =
            countedBefore === undefined || !options.rateCard
              ? null
              : linePushCost(options.rateCard(), at, countedBefore);
          await tx.query(
            `update messages set cost = jsonb_build_object('amount', $4::float8, 'currency',
                 coalesce($5::text, cost->>'currency', 'JPY'), 'category', $2::text,
                 'label', $3::text)
             where id = $1`,
            [
              row.id,
              result.billing.billable ? 'push' : 'reply',
              beyond ? 'Push (beyond the plan’s monthly quota)' : result.billing.label,
              beyond?.amount ?? 0,
              beyond?.currency ?? null,
            ],
          );
        }
        // A status webhook may already have moved the message on; only `sending` becomes `sent`.
        out.push(
          await update(
            tx,
            row.id,
            `external_id = $2,
             status = case when status in ('queued', 'sending') then 'sent' else status end,
             updated_at = $3`,
            [result.externalId, at],
          ),
        );
      } else if (result.uncertain) {
        // Stays `sending`: that is the truth until the channel says more.
        await tx.query(
          `update outbound_queue set sending_since = null, uncertain_since = $2,
             next_attempt_at = $3, last_error = $4 where message_id = $1`,
          [row.id, at, at + reconcileMs, `${result.code}: ${result.reason}`],
        );
      } else if (result.retryable && attempts < maxAttempts) {
        const delay = Math.min(maxDelay, result.retryAfterMs ?? baseDelay * 2 ** (attempts - 1));
        await tx.query(
          `update outbound_queue set sending_since = null, next_attempt_at = $2, last_error = $3
           where message_id = $1`,
          [row.id, at + delay, `${result.code}: ${result.reason}`],
        );
        out.push(await update(tx, row.id, `status = 'queued', updated_at = $2`, [at]));
      } else {
        await tx.query('delete from outbound_queue where message_id = $1', [row.id]);
        // The channel says the customer blocked the business (Telegram 403, Viber status 6): the
        // conversation shows it from now on, as a block webhook would have.
        if (result.code === BLOCKED) {
          const changed = await tx.query<{ id: string }>(
            `update conversations set blocked_at = $2, updated_at = $2
             where id = $1 and blocked_at is null returning id`,
            [row.conversation_id, at],
          );
          const blocked =
            changed.rows.length > 0
              ? await tx.query<ConversationRow>(`${CONVERSATION_SELECT} where v.id = $1`, [
                  row.conversation_id,
                ])
              : { rows: [] };
          if (blocked.rows[0]) out.push(conversationUpdated(toConversation(blocked.rows[0])));
        }
        const reason = result.retryable
          ? `Gave up after ${attempts} attempts: ${result.reason}`
          : result.reason;
        out.push(
          await update(
            tx,
            row.id,
            `status = 'failed', failure_code = $2, failure_reason = $3, updated_at = $4`,
            [result.code, reason, at],
          ),
        );
      }
      return appendEvents(tx, out, at);
    });
    bus.publish(events);
  }

  /**
   * Mark the send in flight, durably, before the call; null if it is no longer queued. A valid
   * reply token of the conversation (LINE) is taken in the same transaction: single use, it is
   * offered to this send only, whatever becomes of it.
   */
  async function begin(
    row: DueRow,
  ): Promise<{ attempts: number; replyToken: string | null } | null> {
    const at = now();
    const begun = await db.transaction(async (tx) => {
      // The claim: another hub that picked the same row skips it rather than waiting for us;
      // one that already sent it, or put it off (a retry's backoff), has changed what we match.
      const { rows } = await tx.query<{ attempts: number }>(
        `update outbound_queue set sending_since = $2, sending_by = $3, attempts = attempts + 1
         where message_id = (
           select message_id from outbound_queue
           where message_id = $1 and sending_since is null and uncertain_since is null
             and next_attempt_at <= $2
           for update skip locked)
         returning attempts`,
        [row.id, at, instanceId],
      );
      if (!rows[0]) return null;
      // Only conversations holding a token (LINE) pay for taking it.
      const holdsToken =
        row.reply_token_expires_at !== null && Number(row.reply_token_expires_at) > at;
      const token = holdsToken
        ? await tx.query<{ reply_token: string }>(
            `update conversations v set reply_token = null, reply_token_expires_at = null
         from (select id, reply_token from conversations where id = $1 for update) old
         where v.id = old.id and old.reply_token is not null and v.reply_token_expires_at > $2
         returning old.reply_token`,
            [row.conversation_id, at],
          )
        : { rows: [] };
      const events =
        row.status === 'sending'
          ? []
          : await appendEvents(
              tx,
              [await update(tx, row.id, `status = 'sending', updated_at = $2`, [at])],
              at,
            );
      return {
        attempts: Number(rows[0].attempts),
        replyToken: token.rows[0]?.reply_token ?? null,
        events,
      };
    });
    if (!begun) return null;
    bus.publish(begun.events);
    return { attempts: begun.attempts, replyToken: begun.replyToken };
  }

  /**
   * A file's channel id, uploaded first when needed (`media/outbound.ts`); an upload that fails
   * counts as an attempt of the message and is retried like a send (it sent nothing).
   */
  async function prepareFile(row: DueRow, content: ChannelContent): Promise<Prepared | null> {
    const file = hubFileOf(content);
    if (!file) return { content };
    const media = options.mediaFor?.(row.channel, row.channel_account_id) ?? null;
    if (media?.inline) {
      const inline = await inlineFile(db, row, file, now);
      if (inline.ok) return inline.prepared;
      const { rows } = await db.query<{ attempts: number }>(
        `update outbound_queue set attempts = attempts + 1
         where message_id = $1 and sending_since is null and uncertain_since is null
         returning attempts`,
        [row.id],
      );
      if (rows[0]) await finish(row, inline, Number(rows[0].attempts));
      return null;
    }
    const prepared = media
      ? await channelMediaIdFor(
          db,
          media,
          {
            messageId: row.id,
            channel: row.channel,
            channelAccountId: row.channel_account_id,
            channelMediaId: row.channel_media_id,
          },
          file,
          now,
          options.uploadTimeoutMs,
        )
      : ({
          ok: false,
          retryable: false,
          code: 'no_connector',
          reason: `No ${row.channel} connection can upload files for account ${row.channel_account_id}.`,
        } as const);
    if (prepared.ok) return { content: withChannelMedia(file, prepared.id) };
    const { rows } = await db.query<{ attempts: number }>(
      `update outbound_queue set attempts = attempts + 1
       where message_id = $1 and sending_since is null and uncertain_since is null
       returning attempts`,
      [row.id],
    );
    if (rows[0]) await finish(row, prepared, Number(rows[0].attempts));
    return null;
  }

  async function attempt(row: DueRow): Promise<void> {
    // An internal note never goes to a channel (issue #20 item 1): `add_note` queues none, and
    // a row that got here anyway is failed without asking any connector.
    const content = sendableContent(row);
    if (content === null) {
      await finish(
        row,
        {
          ok: false,
          retryable: false,
          code: 'not_sendable',
          reason: 'An internal note is never sent to the customer.',
        },
        0,
      );
      return;
    }
    const prepared = options.senderFor(row.channel, row.channel_account_id)
      ? await prepareFile(row, content)
      : { content };
    if (prepared === null) return;
    const { file } = prepared;
    const begun = await begin(row);
    if (begun === null) return;
    const { attempts, replyToken } = begun;
    const sender = options.senderFor(row.channel, row.channel_account_id);
    if (!sender) {
      await finish(
        row,
        {
          ok: false,
          retryable: false,
          code: 'no_connector',
          reason: `No ${row.channel} connection is configured for account ${row.channel_account_id}.`,
        },
        attempts,
      );
      return;
    }
    let result: SendResult;
    try {
      result = await sender.send({
        messageId: row.id,
        channel: row.channel,
        channelAccountId: row.channel_account_id,
        to: row.customer_external_id,
        content: prepared.content,
        tag: row.tag,
        ...(replyToken ? { replyToken } : {}),
        ...(row.reply_to_external_id ? { replyToExternalId: row.reply_to_external_id } : {}),
        ...(file ? { file } : {}),
      });
    } catch (error) {
      // A connector that throws did not say whether the request went out.
      result = {
        ok: false,
        retryable: false,
        uncertain: true,
        code: 'connector_error',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    await finish(row, result, attempts);
  }

  /** Sends of unknown outcome whose wait for a status webhook is over: the agent is told. */
  async function giveUpUnconfirmed(): Promise<void> {
    const at = now();
    const events = await db.transaction(async (tx) => {
      const { rows } = await tx.query<{ message_id: string }>(
        `delete from outbound_queue where uncertain_since is not null and next_attempt_at <= $1
         returning message_id`,
        [at],
      );
      const out: HubEvent[] = [];
      for (const { message_id: id } of rows)
        out.push(
          await update(
            tx,
            id,
            `status = 'failed', failure_code = $2, failure_reason = $3, updated_at = $4`,
            [DELIVERY_UNKNOWN, UNCONFIRMED_REASON, at],
          ),
        );
      return out.length === 0 ? [] : appendEvents(tx, out, at);
    });
    bus.publish(events);
  }

  /** Start the due sends that fit; returns how many were started. */
  async function startDue(): Promise<number> {
    await recoverCutOff();
    await giveUpUnconfirmed();
    const free = concurrency - active.size;
    if (free <= 0) return 0;
    const at = now();
    // The oldest queued message of each conversation, if it is due and nothing of that
    // conversation is in flight or waiting to be confirmed.
    const { rows } = await db.query<DueRow>(
      `select * from (
         select distinct on (m.conversation_id) m.*, q.attempts, q.next_attempt_at, q.channel_media_id,
                q.sending_since, q.uncertain_since, v.channel_account_id, v.customer_external_id,
                v.reply_token_expires_at,
                (select r.external_id from messages r where r.id = m.reply_to->>'messageId')
                  as reply_to_external_id
         from outbound_queue q
         join messages m on m.id = q.message_id
         join conversations v on v.id = m.conversation_id
         order by m.conversation_id, m.sent_at, m.id
       ) oldest
       where next_attempt_at <= $1 and sending_since is null and uncertain_since is null
         and not (conversation_id = any($2::text[]))
       order by sent_at limit $3`,
      [at, [...busy], free],
    );
    for (const row of rows) {
      busy.add(row.conversation_id);
      const send: Promise<void> = attempt(row)
        .catch((error: unknown) => {
          console.error('hub: outbound send:', error instanceof Error ? error.message : error);
        })
        .finally(() => {
          busy.delete(row.conversation_id);
          active.delete(send);
          schedule();
        });
      active.add(send);
    }
    return rows.length;
  }

  async function loop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      const n = await startDue();
      total += n;
    } while (again && !stopped);
    return total;
  }

  function schedule(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = loop()
      .catch((error: unknown) => {
        console.error('hub: outbound queue:', error instanceof Error ? error.message : error);
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }

  /**
   * Sends found in flight by a hub that is gone (a stop or a crash; at start, this hub's own
   * previous run) were cut off: whether the channel got them is unknown, so they wait for a
   * status webhook rather than going out again. Sends of a hub still running are its own.
   */
  async function recoverCutOff(): Promise<void> {
    const at = now();
    await db.query(
      `update outbound_queue set sending_since = null, sending_by = null, uncertain_since = $1,
         next_attempt_at = $2, last_error = 'The hub stopped while this was being sent.'
       where sending_since is not null
         and (sending_by is null or (sending_by <> $3 and not ${instanceAlive('sending_by')}))`,
      [at, at + reconcileMs, instanceId],
    );
  }
  const recovered = recoverCutOff();

  const timer = setInterval(schedule, options.pollMs ?? 500);
  timer.unref();
  void recovered.then(schedule, (error: unknown) => {
    console.error('hub: outbound recovery:', error instanceof Error ? error.message : error);
  });

  return {
    wake: schedule,
    async runOnce() {
      await recovered;
      let total = 0;
      for (;;) {
        while (running) await running;
        const n = await loop();
        total += n;
        if (active.size === 0 && n === 0) return total;
        await Promise.all([...active]);
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await recovered.catch(() => undefined);
      while (running) await running;
      await Promise.all([...active]);
    },
  };
}
