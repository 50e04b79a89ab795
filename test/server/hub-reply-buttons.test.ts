import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { createMetaSender } from '../../src/server/channels/meta/send-api';
import { startFakeMessengerApi, type FakeMessengerApi } from '../support/fake-messenger-api';
import { api, conversationNamed, login, messagesNamed, startTestHub } from '../support/hub';
import { INSTAGRAM, MESSENGER, metaSettings, postMetaWebhook } from '../support/meta-webhooks';

/**
 * Reply buttons (issue #14 item 2, outbound quick replies): an agent's text with buttons goes
 * out as Meta's `message.quick_replies` (payload = the button's id), on Messenger and Instagram
 * through the one sender; the hub refuses a wrong list with the reason and queues nothing; the
 * customer's tap comes back as an `interactive_reply` naming the button.
 */

let meta: FakeMessengerApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-02T09:00:00Z');

beforeAll(async () => {
  meta = await startFakeMessengerApi({
    pageAccessToken: MESSENGER.pageAccessToken,
    pageIds: [MESSENGER.pageId, INSTAGRAM.pageId],
  });
  hub = await startTestHub({
    now: () => T0,
    sendTimeoutMs: 1000,
    channels: {
      messenger: metaSettings(MESSENGER, meta.url, 'yes'),
      instagram: {
        ...metaSettings(INSTAGRAM, meta.url, 'no'),
        pageAccessToken: MESSENGER.pageAccessToken,
      },
    },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await meta.close();
});

async function webhook(channel: 'messenger' | 'instagram', events: readonly object[]) {
  expect(await postMetaWebhook(hub.url, channel, events)).toBe(200);
}

const customerSays = (psid: string, at: number, message: object) => ({
  sender: { id: psid },
  recipient: { id: MESSENGER.pageId },
  timestamp: at,
  message,
});

const queueLength = async (): Promise<number> =>
  Number(
    (await hub.db.query<{ n: number }>('select count(*)::int as n from outbound_queue')).rows[0]?.n,
  );

async function sendWithButtons(
  conversationId: string,
  body: string,
  replyButtons: readonly { id: string; title: string }[],
) {
  return api<{ message: Message; error?: string }>(
    hub.url,
    token,
    `/api/conversations/${conversationId}/messages`,
    { method: 'POST', body: { content: { type: 'text', body, replyButtons } } },
  );
}

const TWO = [
  { id: 'b_return', title: 'Return it' },
  { id: 'b_keep', title: 'Keep it' },
];

describe('reply buttons on Messenger', () => {
  it('sends them as quick_replies with the ids as payloads; the tap names the button', async () => {
    const psid = '7100000000000001';
    await webhook('messenger', [
      customerSays(psid, T0 - HOUR_MS, { mid: 'm_b1', text: 'The shoes are too small' }),
    ]);
    const conversation = await conversationNamed<Conversation>(hub.url, token, 'messenger', psid);
    const sent = await sendWithButtons(conversation.id, 'Return them or keep them?', TWO);
    expect(sent.status).toBe(202);
    expect(sent.body.message.content).toEqual({
      type: 'text',
      body: 'Return them or keep them?',
      replyButtons: TWO,
    });
    await hub.outbound.runOnce();
    expect(meta.requests.at(-1)?.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: {
        text: 'Return them or keep them?',
        quick_replies: [
          { content_type: 'text', title: 'Return it', payload: 'b_return' },
          { content_type: 'text', title: 'Keep it', payload: 'b_keep' },
        ],
        metadata: `replydesk:${sent.body.message.id}`,
      },
    });
    expect(meta.requests.at(-1)?.response?.status).toBe(200);

    // Meta posts the tapped button's title as the customer's text, with its payload.
    await webhook('messenger', [
      customerSays(psid, T0 + 60_000, {
        mid: 'm_b2',
        text: 'Return it',
        quick_reply: { payload: 'b_return' },
      }),
    ]);
    const messages = await messagesNamed(hub.url, token, 'messenger', psid);
    expect(messages.map((m) => [m.direction, m.content])).toEqual([
      ['inbound', { type: 'text', body: 'The shoes are too small' }],
      ['outbound', { type: 'text', body: 'Return them or keep them?', replyButtons: TWO }],
      ['inbound', { type: 'interactive_reply', replyId: 'b_return', title: 'Return it' }],
    ]);
    // Meta names no message with a quick reply: the tap answers the message that offered it.
    expect(messages.map((m) => m.replyTo ?? null)).toEqual([
      null,
      null,
      { messageId: sent.body.message.id, preview: 'Return them or keep them?' },
    ]);
  });

  it('a tap answers the newest message that offered its button, in its own conversation only', async () => {
    const psid = '7100000000000003';
    const other = '7100000000000004';
    await webhook('messenger', [
      customerSays(psid, T0 - HOUR_MS, { mid: 'm_b10', text: 'Two orders, both wrong' }),
      customerSays(other, T0 - HOUR_MS, { mid: 'm_b11', text: 'Hello' }),
    ]);
    const conversation = await conversationNamed<Conversation>(hub.url, token, 'messenger', psid);
    const elsewhere = await conversationNamed<Conversation>(hub.url, token, 'messenger', other);
    const first = await sendWithButtons(conversation.id, 'Order 1: return or keep?', [
      { id: 'b_o1_return', title: 'Return it' },
      { id: 'b_o1_keep', title: 'Keep it' },
    ]);
    const second = await sendWithButtons(conversation.id, 'Order 2: return or keep?', [
      { id: 'b_o2_return', title: 'Return it' },
      { id: 'b_o2_keep', title: 'Keep it' },
    ]);
    // The same payload offered in another conversation is not this customer's.
    await sendWithButtons(elsewhere.id, 'Return or keep?', [{ id: 'b_o1_keep', title: 'Keep' }]);
    await hub.outbound.runOnce();
    await webhook('messenger', [
      customerSays(psid, T0 + 60_000, {
        mid: 'm_b12',
        text: 'Keep it',
        quick_reply: { payload: 'b_o1_keep' },
      }),
      customerSays(psid, T0 + 61_000, {
        mid: 'm_b13',
        text: 'Return it',
        quick_reply: { payload: 'b_o2_return' },
      }),
      // A payload no message offered (an old button, a persistent menu): it answers none.
      customerSays(psid, T0 + 62_000, {
        mid: 'm_b14',
        text: 'Talk to someone',
        quick_reply: { payload: 'MENU_AGENT' },
      }),
    ]);
    const inbound = (await messagesNamed(hub.url, token, 'messenger', psid)).filter(
      (m) => m.direction === 'inbound',
    );
    expect(inbound.map((m) => [m.externalId, m.replyTo ?? null])).toEqual([
      ['m_b10', null],
      ['m_b12', { messageId: first.body.message.id, preview: 'Order 1: return or keep?' }],
      ['m_b13', { messageId: second.body.message.id, preview: 'Order 2: return or keep?' }],
      ['m_b14', null],
    ]);
  });

  it('refuses 14 buttons, a 21-character title and a blank one with the reason; nothing queued', async () => {
    const psid = '7100000000000002';
    await webhook('messenger', [customerSays(psid, T0 - HOUR_MS, { mid: 'm_b3', text: 'Hi' })]);
    const conversation = await conversationNamed<Conversation>(hub.url, token, 'messenger', psid);
    const queued = await queueLength();
    const requests = meta.requests.length;
    const fourteen = Array.from({ length: 14 }, (_, i) => ({ id: `b_${i}`, title: `Option ${i}` }));
    const cases: [readonly { id: string; title: string }[], string][] = [
      [fourteen, 'Messenger takes at most 13 reply buttons; this message has 14.'],
      [
        [{ id: 'b_long', title: 'Rücksendung anfordern' }],
        'Reply button 1 (“Rücksendung anfordern”) has 21 characters; Messenger allows 20.',
      ],
      [[...TWO, { id: 'b_blank', title: '   ' }], 'Reply button 3 has no title.'],
      [
        [TWO[0] as { id: string; title: string }, { id: 'b_return', title: 'Again' }],
        'Reply buttons need distinct ids; “b_return” is used twice.',
      ],
    ];
    for (const [buttons, reason] of cases) {
      const refused = await sendWithButtons(conversation.id, 'Which one?', buttons);
      expect([refused.status, refused.body]).toEqual([
        400,
        { error: 'bad_request', message: reason },
      ]);
    }
    expect(await queueLength()).toBe(queued);
    expect(meta.requests.length).toBe(requests);
    // Thirteen is the most: taken.
    expect(
      (await sendWithButtons(conversation.id, 'Which one?', fourteen.slice(0, 13))).status,
    ).toBe(202);
    expect(
      (await messagesNamed(hub.url, token, 'messenger', psid)).filter(
        (m) => m.direction === 'outbound',
      ),
    ).toHaveLength(1);
  });
});

describe('reply buttons on Instagram', () => {
  it('go out through the same sender, without metadata', async () => {
    const igsid = '2910000000000001';
    await webhook('instagram', [
      {
        sender: { id: igsid },
        recipient: { id: INSTAGRAM.accountId },
        timestamp: T0 - HOUR_MS,
        message: { mid: 'm_ig_b1', text: 'Is it in stock?' },
      },
    ]);
    const conversation = await conversationNamed<Conversation>(hub.url, token, 'instagram', igsid);
    const sent = await sendWithButtons(conversation.id, 'Which size?', [
      { id: 'b_s', title: 'S' },
      { id: 'b_m', title: 'M' },
    ]);
    expect(sent.status).toBe(202);
    await hub.outbound.runOnce();
    expect([meta.requests.at(-1)?.pageId, meta.requests.at(-1)?.body]).toEqual([
      INSTAGRAM.pageId,
      {
        recipient: { id: igsid },
        messaging_type: 'RESPONSE',
        message: {
          text: 'Which size?',
          quick_replies: [
            { content_type: 'text', title: 'S', payload: 'b_s' },
            { content_type: 'text', title: 'M', payload: 'b_m' },
          ],
        },
      },
    ]);

    // The tap comes back with the title and the payload, and answers that message.
    await webhook('instagram', [
      {
        sender: { id: igsid },
        recipient: { id: INSTAGRAM.accountId },
        timestamp: T0 + 60_000,
        message: { mid: 'm_ig_b2', text: 'M', quick_reply: { payload: 'b_m' } },
      },
    ]);
    const tap = (await messagesNamed(hub.url, token, 'instagram', igsid)).at(-1);
    expect([tap?.content, tap?.replyTo]).toEqual([
      { type: 'interactive_reply', replyId: 'b_m', title: 'M' },
      { messageId: sent.body.message.id, preview: 'Which size?' },
    ]);
  });
});

describe('the fake Send API checks quick replies as Meta does', () => {
  const sender = createMetaSender({
    channel: 'messenger',
    label: 'Messenger',
    textLimit: { max: 2000, unit: 'characters' },
    metadata: false,
    settings: () => metaSettings(MESSENGER, meta.url, 'yes'),
    timeoutMs: 1000,
  });
  const request = (replyButtons: { id: string; title: string }[]) => ({
    messageId: 'msg_fake_check',
    channel: 'messenger' as const,
    channelAccountId: MESSENGER.pageId,
    to: '7100000000000099',
    content: { type: 'text' as const, body: 'Pick one', replyButtons },
  });

  it('answers error 100 for 14 quick replies or a title over 20 characters', async () => {
    const fourteen = Array.from({ length: 14 }, (_, i) => ({ id: `b_${i}`, title: `${i}` }));
    expect(await sender.send(request(fourteen))).toEqual({
      ok: false,
      retryable: false,
      code: '100',
      reason: '(#100) param message[quick_replies] must have at most 13 elements',
    });
    expect(await sender.send(request([{ id: 'b_x', title: 'x'.repeat(21) }]))).toEqual({
      ok: false,
      retryable: false,
      code: '100',
      reason: '(#100) param title must be at most 20 characters',
    });
    expect(meta.requests.at(-1)?.response).toEqual({
      status: 400,
      body: {
        error: {
          message: '(#100) param title must be at most 20 characters',
          type: 'OAuthException',
          code: 100,
          fbtrace_id: expect.any(String),
        },
      },
    });
  });
});
