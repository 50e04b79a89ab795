import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundBlock, InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { startTestHub } from '../support/hub';

/**
 * Blocks and unblocks (Telegram's my_chat_member, Viber's unsubscribed, WeChat's unsubscribe, a
 * Kakao session's end) and the customer's messages apply in the customer's order, whatever order
 * the platform delivers them in: platforms redeliver late.
 */
const T = Date.parse('2026-12-01T09:00:00Z');
let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub({ now: () => T + 3_600_000 });
});
afterAll(() => hub.close());

const base = { channel: 'telegram', channelAccountId: 'bot-order' } as const;
const customer = { externalId: 'tg-order-1', name: 'Ada Order', phone: null };

const message = (id: string, at: number): InboundMessage => ({
  ...base,
  kind: 'message',
  externalId: id,
  customer,
  sentAt: at,
  content: { type: 'text', body: `message ${id}` },
});

const block = (id: string, at: number, blocked: boolean): InboundBlock => ({
  ...base,
  kind: 'block',
  externalId: id,
  customer,
  blocked,
  at,
});

async function blockedAt(): Promise<number | null> {
  const { rows } = await hub.db.query<{ blocked_at: string | null }>(
    'select blocked_at from conversations where customer_external_id = $1',
    [customer.externalId],
  );
  const value = rows[0]?.blocked_at;
  return value === null || value === undefined ? null : Number(value);
}

describe('blocks in the customer’s order', () => {
  it('ignores a block older than the last message, and a message or unblock older than a block', async () => {
    await hub.ingestor.ingest(message('m-2', T + 2000));
    // The block of T+1000 arrives after the message of T+2000: the customer wrote after it.
    await hub.ingestor.ingest(block('b-1', T + 1000, true));
    expect(await blockedAt()).toBe(null);

    await hub.ingestor.ingest(block('b-3', T + 3000, true));
    expect(await blockedAt()).toBe(T + 3000);
    // A late redelivery of a message from before the block does not lift it …
    await hub.ingestor.ingest(message('m-1', T + 1500));
    expect(await blockedAt()).toBe(T + 3000);
    // … nor does an unblock from before it.
    await hub.ingestor.ingest(block('u-2', T + 2500, false));
    expect(await blockedAt()).toBe(T + 3000);

    // A message after the block lifts it; so would an unblock after it.
    await hub.ingestor.ingest(message('m-4', T + 4000));
    expect(await blockedAt()).toBe(null);
    await hub.ingestor.ingest(block('b-5', T + 5000, true));
    await hub.ingestor.ingest(block('u-6', T + 6000, false));
    expect(await blockedAt()).toBe(null);
  });
});
