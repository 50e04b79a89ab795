import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { parseRateCard } from '../../src/shared/pricing';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import { api, login, startTestHub } from '../support/hub';
import { connectClient } from '../support/realtime-client';

/** The hub's bulk endpoints for the app's local cache (docs/api.md, "Sync"). */

let hub: RunningHub;
let token: string;
const clock = Date.parse('2026-11-21T12:00:00Z');
let counter = 0;

function inbound(customer: string, sentAt: number): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    externalId: `tg.sync.${counter}`,
    customer: { externalId: customer, name: `Customer ${customer}`, phone: null },
    sentAt,
    content: { type: 'text', body: `Message ${counter}` },
  };
}

interface SyncPage {
  messages: Message[];
  nextCursor: string | null;
  headSeq: number;
  hubTime: number;
  total?: number;
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock, realtime: { heartbeatMs: 150 } });
  token = await login(hub.url);
  // 3 customers × 5 messages, a minute apart, interleaved in time.
  for (let i = 0; i < 15; i++)
    await hub.ingestor.ingest(inbound(`c${i % 3}`, clock - (15 - i) * 60_000));
});

afterAll(async () => {
  await hub.close();
});

describe('GET /api/sync/messages', () => {
  it('pages every message grouped by conversation, newest conversation first and newest first within one, with the total on the first page', async () => {
    const seen: Message[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let first: SyncPage | null = null;
    do {
      const page: { status: number; body: SyncPage } = await api<SyncPage>(
        hub.url,
        token,
        `/api/sync/messages?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      first ??= page.body;
      if (pages > 0) expect(page.body.total).toBeUndefined();
      seen.push(...page.body.messages);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(4);
    expect(first?.total).toBe(15);
    expect(first?.hubTime).toBe(clock);
    expect(new Set(seen.map((m) => m.id)).size).toBe(15);
    // Each conversation's messages come together (the app stores them as one record per page).
    const order = seen.map((m) => m.conversationId);
    const runs = order.filter((id, i) => i === 0 || order[i - 1] !== id);
    expect(runs).toHaveLength(3);
    // Newest conversation first: conversation ids sort by creation.
    expect(runs).toEqual([...runs].sort().reverse());
    for (const id of runs) {
      const times = seen.filter((m) => m.conversationId === id).map((m) => m.sentAt);
      expect(times).toHaveLength(5);
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
    expect(first?.headSeq).toBeGreaterThanOrEqual(30);
  });

  it('keeps its pages stable while new messages are stored', async () => {
    // c2's five messages, then c1's newest two.
    const page1 = await api<SyncPage>(hub.url, token, '/api/sync/messages?limit=7');
    const passed = page1.body.messages[0];
    const last = page1.body.messages[6];
    if (!passed || !last) throw new Error('short page');
    // A new conversation (its id sorts first) and a new message in a conversation the pages have
    // passed: both reach an app as events; neither shifts the next page.
    await hub.ingestor.ingest(inbound('c9', clock));
    await hub.ingestor.ingest(inbound('c2', clock));
    const page2 = await api<SyncPage>(
      hub.url,
      token,
      `/api/sync/messages?limit=100&cursor=${page1.body.nextCursor}`,
    );
    const ids = [...page1.body.messages, ...page2.body.messages].map((m) => m.id);
    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(15);
    expect(page2.body.messages.every((m) => m.conversationId <= last.conversationId)).toBe(true);
    expect(page2.body.messages.some((m) => m.conversationId === passed.conversationId)).toBe(false);
  });

  it('refuses a limit over 2,000, a forged cursor and a missing token', async () => {
    expect((await api(hub.url, token, '/api/sync/messages?limit=2001')).status).toBe(400);
    expect((await api(hub.url, token, '/api/sync/messages?limit=2000')).status).toBe(200);
    expect((await api(hub.url, token, '/api/sync/messages?cursor=garbage')).status).toBe(400);
    expect((await api(hub.url, null, '/api/sync/messages')).status).toBe(401);
  });
});

describe('GET /api/orders of a conversation', () => {
  it('answers no orders for a customer known only by a channel id, and 400 only without any key', async () => {
    const list = await api<{ conversations: Conversation[] }>(hub.url, token, '/api/conversations');
    const telegram = list.body.conversations[0];
    if (!telegram) throw new Error('no conversation');
    expect(telegram.customer.phone).toBeNull();
    const found = await api<{ orders: unknown[] }>(
      hub.url,
      token,
      `/api/orders?conversation=${telegram.id}`,
    );
    expect(found.status).toBe(200);
    expect(found.body.orders).toEqual([]);
    expect((await api(hub.url, token, '/api/orders')).status).toBe(400);
    expect((await api(hub.url, token, '/api/orders?conversation=cnv_nope')).status).toBe(404);
  });
});

describe('GET /api/conversations for a first sync', () => {
  it('counts every conversation on the first page only', async () => {
    const first = await api<{ total?: number; nextCursor: string }>(
      hub.url,
      token,
      '/api/conversations?limit=2',
    );
    expect(first.body.total).toBe(4);
    const next = await api<{ total?: number }>(
      hub.url,
      token,
      `/api/conversations?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(next.body.total).toBeUndefined();
    const filtered = await api<{ total?: number }>(
      hub.url,
      token,
      '/api/conversations?limit=2&channel=whatsapp',
    );
    expect(filtered.body.total).toBe(0);
  });
});

describe('GET /api/conversations/:id/messages?olderThan=', () => {
  it('pages the history older than a given message', async () => {
    const list = await api<{ conversations: Conversation[] }>(hub.url, token, '/api/conversations');
    const conversation = list.body.conversations.find((c) => c.customer.name === 'Customer c0');
    if (!conversation) throw new Error('no conversation');
    const all = await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
    );
    expect(all.body.messages).toHaveLength(5);
    const anchor = all.body.messages[3] as Message;
    const older = await api<{ messages: Message[]; nextCursor: string | null }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages?olderThan=${anchor.id}&limit=2`,
    );
    expect(older.body.messages.map((m) => m.id)).toEqual(
      all.body.messages.slice(1, 3).map((m) => m.id),
    );
    expect(older.body.nextCursor).not.toBeNull();
    const missing = await api(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages?olderThan=msg_nope`,
    );
    expect(missing.status).toBe(404);
  });
});

describe('GET /api/rate-card', () => {
  it('answers the rate card the hub prices with, readable by the shared parser', async () => {
    const answer = await api<{ rateCard: unknown }>(hub.url, token, '/api/rate-card');
    expect(answer.status).toBe(200);
    const fromFile = parseRateCard(
      JSON.parse(await readFile('resources/pricing/rate-card.example.json', 'utf8')) as unknown,
    );
    expect(parseRateCard(answer.body.rateCard)).toEqual(fromFile);
    expect((await api(hub.url, null, '/api/rate-card')).status).toBe(401);
  });
});

describe('the application-level heartbeat', () => {
  it('announces its period in the hello and sends ping frames with the hub time', async () => {
    const client = await connectClient(hub.url, token);
    const hello = await client.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    expect(hello.limits.heartbeatMs).toBe(150);
    const ping = await client.waitFor((f) => f.type === 'ping', 2_000);
    expect(ping).toEqual({ type: 'ping', hubTime: clock });
    await client.close();
  });
});
