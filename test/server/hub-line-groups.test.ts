import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryKeyFor } from '../../src/server/channels/line/sender';
import type { RunningHub } from '../../src/server/hub';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RateCard } from '../../src/shared/pricing';
import type { FakeLineApi } from '../support/fake-line-api';
import { startLineHub } from '../support/line-hub';
import { api, login } from '../support/hub';
import { connectClient } from '../support/realtime-client';
import { deliverLine, lineEvent } from '../support/line-webhooks';
import { until } from '../support/until';

/**
 * Issue #15, LINE group and multi-person chats through a real hub against the fake Messaging
 * API: one conversation per group named from its summary, each message with its member's name,
 * the account leaving the group, replies to the group, and the rate card's LINE push row.
 */

let line: FakeLineApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-04T01:00:00Z');
let clock = T0;

const GROUP = 'C0000000000000000000000000000aa01';
const ROOM = 'R0000000000000000000000000000bb01';
const user = (n: number): string => `U${String(n).padStart(32, '0')}`;

beforeAll(async () => {
  ({ line, hub } = await startLineHub(() => clock));
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await line.close();
});

async function post(events: readonly object[]): Promise<unknown> {
  const answer = await deliverLine(hub.url, events);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** A message in the group or room `chat` from `member`, with a reply token for the chat. */
const said = (chat: string, member: string, id: string, body: string, at: number) => ({
  ...lineEvent('message', member, at, {
    replyToken: line.issueReplyToken(chat),
    message: { id, type: 'text', text: body },
  }),
  source: chat.startsWith('C')
    ? { type: 'group', groupId: chat, userId: member }
    : { type: 'room', roomId: chat, userId: member },
});

const conversations = async (): Promise<Conversation[]> =>
  (await api<{ conversations: Conversation[] }>(hub.url, token, '/api/conversations?channel=line'))
    .body.conversations;
const conversationNamed = async (name: string): Promise<Conversation | null> =>
  (await conversations()).find((c) => c.customer.name === name) ?? null;
const messagesOf = async (id: string): Promise<Message[]> =>
  (await api<{ messages: Message[] }>(hub.url, token, `/api/conversations/${id}/messages`)).body
    .messages;

let commands = 0;
const send = (conversationId: string, body: string) =>
  api<{ message?: Message; message_?: string }>(hub.url, token, '/api/commands', {
    method: 'POST',
    body: {
      clientId: `line-group-${(commands += 1)}`,
      command: { type: 'send_message', conversationId, content: { type: 'text', body } },
    },
  });

/** Sends `body` and waits until the queue has sent it. */
async function reply(conversationId: string, body: string): Promise<Message> {
  const sent = await send(conversationId, body);
  expect(sent.status).toBe(200);
  await hub.outbound.runOnce();
  const list = await until(
    () => messagesOf(conversationId),
    (messages) =>
      messages.some(
        (m) => m.content.type === 'text' && m.content.body === body && m.status === 'sent',
      ),
  );
  return list.find((m) => m.content.type === 'text' && m.content.body === body) as Message;
}

describe('LINE group chats through the hub', () => {
  it('makes a group one conversation named from its summary, each message with its member’s name', async () => {
    line.groups.set(GROUP, {
      groupName: 'Sofa order #1042',
      members: new Map([
        [user(1), 'Aiko Tanaka'],
        [user(2), 'Ken Mori'],
      ]),
    });
    const first = said(GROUP, user(1), '8001', 'Is the blue one in stock?', T0 - 20_000);
    expect(await post([first, said(GROUP, user(2), '8002', 'We need two', T0 - 19_000)])).toEqual({
      received: 2,
      stored: 2,
      duplicates: 0,
      deadLettered: 0,
    });
    // A redelivery of the first is stored once.
    expect(await post([{ ...first, deliveryContext: { isRedelivery: true } }])).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const group = await until(
      () => conversationNamed('Sofa order #1042'),
      (c) => c !== null,
    );
    const named = await until(
      () => messagesOf(group?.id ?? ''),
      (list) => list.every((m) => m.senderName !== undefined && !m.senderName.startsWith('U')),
    );
    expect(named.map((m) => [m.externalId, m.senderName, m.content])).toEqual([
      ['8001', 'Aiko Tanaka', { type: 'text', body: 'Is the blue one in stock?' }],
      ['8002', 'Ken Mori', { type: 'text', body: 'We need two' }],
    ]);
    // One conversation for the group; each member asked once, the group's summary once.
    expect(
      (await conversations()).filter((c) => c.customer.name === 'Sofa order #1042'),
    ).toHaveLength(1);
    await post([said(GROUP, user(1), '8003', 'And a cushion', T0 - 18_000)]);
    await until(
      () => messagesOf(group?.id ?? ''),
      (list) => list.at(-1)?.senderName === 'Aiko Tanaka',
    );
    expect(
      line.requests
        .filter((r) => r.path.startsWith(`/v2/bot/group/${GROUP}`))
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      `/v2/bot/group/${GROUP}/member/${user(1)}`,
      `/v2/bot/group/${GROUP}/member/${user(2)}`,
      `/v2/bot/group/${GROUP}/summary`,
    ]);
  });

  it('shows a member LINE cannot name by their user id, and a room (no name) by its id', async () => {
    await post([said(ROOM, user(3), '8101', 'hi all', T0 - 10_000)]);
    const room = await until(
      () => conversationNamed(ROOM),
      (c) => c !== null,
    );
    await until(
      async () =>
        line.requests.filter((r) => r.path === `/v2/bot/room/${ROOM}/member/${user(3)}`).length,
      (n) => n === 1,
    );
    const [message] = await messagesOf(room?.id ?? '');
    expect([message?.externalId, message?.senderName]).toEqual(['8101', user(3)]);
  });

  it('replies in a group with its reply token, then pushes to the group id, with no loading animation', async () => {
    clock = T0;
    await post([said(GROUP, user(2), '8004', 'Delivery on Friday?', T0 - 5_000)]);
    const group = (await conversationNamed('Sofa order #1042')) as Conversation;
    // An agent typing: LINE has no loading animation in groups, so LINE is not asked.
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    client.send({ type: 'typing', conversationId: group.id });
    client.send({ type: 'no-such-frame' });
    await client.waitFor((f) => f.type === 'error');
    await client.close();

    const sentBefore = line.sent.length;
    const requestsBefore = line.requests.length;
    const first = await reply(group.id, 'Yes, Friday morning.');
    const second = await reply(group.id, 'We will call ahead.');
    const calls = line.requests
      .slice(requestsBefore)
      .filter((r) => r.path === '/v2/bot/message/reply' || r.path === '/v2/bot/message/push');
    expect(calls.map((r) => [r.path, r.body, r.response?.status])).toEqual([
      [
        '/v2/bot/message/reply',
        {
          replyToken: expect.stringMatching(/^rt[0-9a-f]{32}$/) as unknown,
          messages: [{ type: 'text', text: 'Yes, Friday morning.' }],
        },
        200,
      ],
      [
        '/v2/bot/message/push',
        { to: GROUP, messages: [{ type: 'text', text: 'We will call ahead.' }] },
        200,
      ],
    ]);
    expect(calls[1]?.headers['x-line-retry-key']).toBe(retryKeyFor(second.id));
    expect(line.sent.slice(sentBefore).map((s) => [s.via, s.to])).toEqual([
      ['reply', GROUP],
      ['push', GROUP],
    ]);
    expect([first.cost?.label, second.cost?.label]).toEqual([
      'Reply (free)',
      'Push (counts against the monthly quota)',
    ]);
    expect(
      line.requests.filter((r) => r.path === '/v2/bot/chat/loading/start').map((r) => r.body),
    ).toEqual([]);
  });

  it('closes the composer when the account leaves the group, with the reason, and refuses sends', async () => {
    clock = T0 + 10_000;
    await post([
      {
        ...lineEvent('leave', user(1), T0 + 10_000),
        source: { type: 'group', groupId: GROUP },
      },
    ]);
    const reason =
      'The LINE account was removed from this group: messages cannot be sent here until a member adds it again.';
    const left = (await conversationNamed('Sofa order #1042')) as Conversation;
    expect([left.blockedAt, left.blockedReason]).toEqual([T0 + 10_000, reason]);
    const refused = await send(left.id, 'Are you still there?');
    expect(refused).toEqual({
      status: 409,
      body: expect.objectContaining({ error: 'blocked', message: reason }) as unknown,
    });
    // Added to the group again: it can be written to.
    await post([
      {
        ...lineEvent('join', user(1), T0 + 20_000, { replyToken: line.issueReplyToken(GROUP) }),
        source: { type: 'group', groupId: GROUP },
      },
    ]);
    const back = (await conversationNamed('Sofa order #1042')) as Conversation;
    expect([back.blockedAt ?? null, back.blockedReason ?? null]).toEqual([null, null]);
  });
});

describe('the rate card’s LINE push row', () => {
  const admin = () => token;

  it('checks the monthly quota and the price beside their fields', async () => {
    const current = (await api<{ rateCard: RateCard }>(hub.url, admin(), '/api/rate-card')).body
      .rateCard;
    const index = current.periods.findIndex((p) => p.channel === 'line');
    expect(current.periods[index]).toEqual({
      channel: 'line',
      model: 'push_quota',
      effectiveFrom: '2026-12-01',
      currency: 'JPY',
      monthlyFreePushes: 30_000,
      extraAllowed: true,
      source: expect.stringMatching(/^EXAMPLE figures dated 2026-12-01/) as unknown,
      rates: { default: { push: 3 } },
    });
    const bad = await api<{ details: { fields: { path: string; message: string }[] } }>(
      hub.url,
      admin(),
      '/api/admin/rate-card',
      {
        method: 'PUT',
        body: {
          rateCard: {
            ...current,
            periods: current.periods.map((p, i) =>
              i === index ? { ...p, monthlyFreePushes: 2.5, rates: { default: { push: -3 } } } : p,
            ),
          },
        },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual([
      {
        path: `periods.${index}.monthlyFreePushes`,
        message: 'The monthly quota is a whole number of messages',
      },
      { path: `periods.${index}.rates.default.push`, message: 'A price cannot be negative' },
    ]);
  });

  it('records the card’s price on a push sent beyond the plan’s free quota', async () => {
    // Standard plan: a sending limit of 35,000 set above the 30,000 free; 30,000 used.
    line.setQuota({ type: 'limited', value: 35_000 }, 29_999);
    clock = T0 + 30 * 60_000;
    await post([said(ROOM, user(3), '8102', 'Any news?', clock - 120_000)]);
    const room = (await conversationNamed(ROOM)) as Conversation;
    const within = await reply(room.id, 'Not yet.');
    const beyond = await reply(room.id, 'Tomorrow, we hope.');
    expect([within.cost, beyond.cost]).toEqual([
      {
        amount: 0,
        currency: 'JPY',
        category: 'push',
        label: 'Push (counts against the monthly quota)',
      },
      {
        amount: 3,
        currency: 'JPY',
        category: 'push',
        label: 'Push (beyond the plan’s monthly quota)',
      },
    ]);
  });
});
