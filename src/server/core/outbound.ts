import type { ChannelKind } from '../../shared/domain/channels';
import { messageUpdated, type HubEvent } from '../../shared/protocol/events';
import type { ChannelSender, SendResult } from '../channels/types';
import type { EventBus } from '../realtime/event-bus';
import type { Db } from '../store/db';
import { appendEvents } from '../store/events';
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
}

interface DueRow extends MessageRow {
  attempts: number;
  channel_account_id: string;
  customer_external_id: string;
}

/**
 * The durable outbound queue. Replies are committed to `outbound_queue` before anything is
 * sent, so a hub restart never loses one; 429 and 5xx answers are retried with exponential
 * backoff (or the channel's Retry-After). Messages of one conversation go out in order: only
 * the oldest queued message of each conversation is ever attempted.
 */
export function startOutboundQueue(options: OutboundOptions): OutboundQueue {
  const { db, bus, now } = options;
  const maxAttempts = options.maxAttempts ?? 12;
  const baseDelay = options.baseDelayMs ?? 1_000;
  const maxDelay = options.maxDelayMs ?? 5 * 60_000;
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;

  async function finish(row: DueRow, result: SendResult, attempts: number): Promise<void> {
    const at = now();
    const events = await db.transaction(async (tx) => {
      const out: HubEvent[] = [];
      if (result.ok) {
        await tx.query('delete from outbound_queue where message_id = $1', [row.id]);
        // A status webhook may already have moved the message on; only `sending` becomes `sent`.
        const updated = await tx.query<MessageRow>(
          `update messages set external_id = $2,
             status = case when status in ('queued', 'sending') then 'sent' else status end,
             updated_at = $3 where id = $1 returning *`,
          [row.id, result.externalId, at],
        );
        out.push(messageUpdated(toMessage(updated.rows[0] as MessageRow)));
      } else if (result.retryable && attempts < maxAttempts) {
        const delay = Math.min(maxDelay, result.retryAfterMs ?? baseDelay * 2 ** (attempts - 1));
        await tx.query(
          'update outbound_queue set attempts = $2, next_attempt_at = $3, last_error = $4 where message_id = $1',
          [row.id, attempts, at + delay, `${result.code}: ${result.reason}`],
        );
        const updated = await tx.query<MessageRow>(
          `update messages set status = 'queued', updated_at = $2 where id = $1 returning *`,
          [row.id, at],
        );
        out.push(messageUpdated(toMessage(updated.rows[0] as MessageRow)));
      } else {
        await tx.query('delete from outbound_queue where message_id = $1', [row.id]);
        const reason = result.retryable
          ? `Gave up after ${attempts} attempts: ${result.reason}`
          : result.reason;
        const updated = await tx.query<MessageRow>(
          `update messages set status = 'failed', failure_code = $2, failure_reason = $3, updated_at = $4
           where id = $1 returning *`,
          [row.id, result.code, reason, at],
        );
        out.push(messageUpdated(toMessage(updated.rows[0] as MessageRow)));
      }
      return appendEvents(tx, out, at);
    });
    bus.publish(events);
  }

  async function attempt(row: DueRow): Promise<void> {
    const attempts = Number(row.attempts) + 1;
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
        content: row.content,
        tag: row.tag,
      });
    } catch (error) {
      result = {
        ok: false,
        retryable: true,
        code: 'connector_error',
        reason: error instanceof Error ? error.message : String(error),
      };
    }
    await finish(row, result, attempts);
  }

  async function processDue(): Promise<number> {
    const at = now();
    // The oldest queued message of each conversation, if it is due.
    const { rows } = await db.query<DueRow>(
      `select * from (
         select distinct on (m.conversation_id) m.*, q.attempts, q.next_attempt_at,
                v.channel_account_id, v.customer_external_id
         from outbound_queue q
         join messages m on m.id = q.message_id
         join conversations v on v.id = m.conversation_id
         order by m.conversation_id, m.sent_at, m.id
       ) oldest where next_attempt_at <= $1 order by sent_at limit 50`,
      [at],
    );
    await Promise.all(rows.map((row) => attempt(row)));
    return rows.length;
  }

  async function loop(): Promise<number> {
    let total = 0;
    do {
      again = false;
      const n = await processDue();
      total += n;
      if (n > 0) again = true;
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

  const timer = setInterval(schedule, options.pollMs ?? 500);
  timer.unref();
  schedule();

  return {
    wake: schedule,
    async runOnce() {
      while (running) await running;
      return loop();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (running) await running;
    },
  };
}
