import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { MAX_FUTURE_SKEW_MS } from '../../src/server/core/ingest';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

// Issue #13 item 8: a webhook timestamp in the year 33658 made the window look open for ever.
const NOW = Date.parse('2026-11-21T12:00:00Z');
let hub: RunningHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub({ graphUrl: 'http://127.0.0.1:9', now: () => NOW });
  token = await login(hub.url);
});
afterAll(() => hub.close());

async function deliver(text: string, timestampSeconds: number, from: string) {
  const fixture = textMessage(text, { timestamp: timestampSeconds, from });
  const signed = signedWebhook(messagesWebhook(fixture), WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(res.status).toBe(200);
  const list = await api<{ conversations: (Conversation & { window: { closesAt: number } })[] }>(
    hub.url,
    token,
    '/api/conversations?channel=whatsapp&limit=500',
  );
  const conversation = list.body.conversations.find((c) => c.customer.phone === `+${from}`);
  if (!conversation) throw new Error('no conversation');
  const { body } = await api<{ messages: Message[] }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
  );
  const stored = await hub.db.query<{ claimed_sent_at: string | null }>(
    'select claimed_sent_at from messages where external_id = $1',
    [fixture.message.id],
  );
  return {
    conversation,
    message: body.messages.at(-1) as Message,
    claimed: stored.rows[0]?.claimed_sent_at ?? null,
  };
}

describe('timestamps from the future', () => {
  it('a timestamp in the year 33658 is stored at the receipt time, and the claim kept', async () => {
    const farFuture = 999_999_999_999; // unix seconds: the year 33658
    const { conversation, message, claimed } = await deliver('hello', farFuture, '31611110001');
    expect(message.sentAt).toBe(NOW);
    expect(conversation.lastInboundAt).toBe(NOW);
    expect(conversation.window.closesAt).toBe(NOW + 24 * 3_600_000);
    expect(Number(claimed)).toBe(farFuture * 1000);
  });

  it('a clock a little ahead is believed', async () => {
    const ahead = NOW + MAX_FUTURE_SKEW_MS - 1000;
    const { message, claimed } = await deliver('hi', ahead / 1000, '31611110002');
    expect(message.sentAt).toBe(ahead);
    expect(claimed).toBeNull();
  });
});
