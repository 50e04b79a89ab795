import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { startFakeTelegramApi, type FakeTelegramApi } from '../support/fake-telegram-api';
import { api, login, messagesNamed, startTestHub, conversationNamed } from '../support/hub';
import {
  TELEGRAM,
  message,
  postUpdate,
  telegramSettings,
  update,
  type Person,
} from '../support/telegram-webhooks';
import {
  messagesWebhook,
  signedWebhook,
  textMessage,
  nextWamid,
} from '../support/whatsapp-webhooks';
import { WHATSAPP } from '../support/hub';
import { until } from '../support/until';

/**
 * Issue #15 remainders through a real hub (PGlite or PostgreSQL) and the local fakes of the Bot
 * API and the Graph API: every Telegram button tap is answered once with answerCallbackQuery
 * after it is stored (a redelivery answers nothing more, a refusal changes nothing stored); an
 * agent's reply quoting a customer's message goes out with Telegram `reply_parameters` / WhatsApp
 * `context.message_id`, and is refused, unsent, when it quotes another conversation's message;
 * a customer's reply to a message the hub holds shows that message quoted.
 */

let telegram: FakeTelegramApi;
let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;
let updateId = 700_000;
const nextUpdate = () => (updateId += 1);
const now = () => Math.floor(Date.now() / 1000);
const ANSWER_TEXT = 'Thanks! An agent will answer shortly.';

beforeAll(async () => {
  telegram = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    sendTimeoutMs: 2000,
    channels: {
      telegram: { ...telegramSettings(telegram.url), callbackAnswerText: ANSWER_TEXT },
      whatsapp: {
        phoneNumberId: WHATSAPP.phoneNumberId,
        appSecret: WHATSAPP.appSecret,
        verifyToken: WHATSAPP.verifyToken,
        accessToken: WHATSAPP.accessToken,
        graphUrl: graph.url,
      },
    },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await telegram.close();
  await graph.close();
});

const telegramMessages = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'telegram', name);

const answersTo = (id: string) =>
  telegram.requests.filter(
    (r) => r.method === 'answerCallbackQuery' && r.params['callback_query_id'] === id,
  );

/** A tap on the bot's message 2 in `person`'s chat. */
const tap = (person: Person, id: string, data: string) =>
  update(nextUpdate(), {
    callback_query: {
      id,
      from: { id: person.id, is_bot: false, first_name: person.first_name },
      chat_instance: '-99887766',
      data,
      message: {
        message_id: 2,
        date: now() - 10,
        chat: { id: person.id, type: 'private', first_name: person.first_name },
        from: { id: Number(TELEGRAM.botId), is_bot: true, first_name: 'Shop bot' },
        text: 'What next?',
        reply_markup: { inline_keyboard: [[{ text: 'Track parcel', callback_data: data }]] },
      },
    },
  });

async function sendCommand(clientId: string, command: Record<string, unknown>) {
  return api<{ error?: string; message?: string; details?: unknown }>(
    hub.url,
    token,
    '/api/commands',
    { method: 'POST', body: { clientId, command } },
  );
}

const queued = async (): Promise<number> =>
  Number(
    (await hub.db.query<{ n: number }>('select count(*)::int as n from outbound_queue')).rows[0]?.n,
  );

/** A signed WhatsApp delivery to the hub; its status. */
async function postWhatsApp(payload: unknown): Promise<number> {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  return res.status;
}

const channelStatus = async () =>
  (
    await api<{ channel: { lastError: { message: string; at: number } | null } }>(
      hub.url,
      token,
      '/api/admin/channels/telegram',
    )
  ).body.channel;

describe('Telegram button taps are answered', () => {
  it('answers a tap once after storing it, with the configured text; a redelivery answers nothing more', async () => {
    const hal: Person = { id: 8100001, first_name: 'Hal' };
    telegram.addCallbackQuery('cbq-hal-1');
    const body = tap(hal, 'cbq-hal-1', 'track:7');
    expect((await postUpdate(hub.url, body)).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    await until(
      async () => telegram.answeredCallbacks.length,
      (n) => n === 1,
    );
    expect(telegram.answeredCallbacks).toEqual([{ id: 'cbq-hal-1', text: ANSWER_TEXT }]);
    expect(answersTo('cbq-hal-1').map((r) => [r.path, r.params])).toEqual([
      ['/bot<token>/answerCallbackQuery', { callback_query_id: 'cbq-hal-1', text: ANSWER_TEXT }],
    ]);
    // Telegram delivers the update again (it did not see our 200): stored once, not answered.
    expect((await postUpdate(hub.url, body)).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    // A later tap is answered: by then an answer for the redelivery would have arrived first.
    telegram.addCallbackQuery('cbq-hal-2');
    await postUpdate(hub.url, tap(hal, 'cbq-hal-2', 'track:8'));
    await until(
      async () => telegram.answeredCallbacks.length,
      (n) => n === 2,
    );
    expect(answersTo('cbq-hal-1').length).toBe(1);
    expect((await telegramMessages('Hal')).map((m) => [m.externalId, m.content])).toEqual([
      ['callback:cbq-hal-1', { type: 'button_reply', payload: 'track:7', text: 'Track parcel' }],
      ['callback:cbq-hal-2', { type: 'button_reply', payload: 'track:8', text: 'Track parcel' }],
    ]);
  });

  it('a refused answer (the query expired) is on the channel’s status without the token, tried once, and changes nothing stored', async () => {
    const ivy: Person = { id: 8100002, first_name: 'Ivy' };
    telegram.addCallbackQuery('cbq-ivy-1');
    telegram.expireCallbackQuery('cbq-ivy-1');
    expect((await postUpdate(hub.url, tap(ivy, 'cbq-ivy-1', 'size:M'))).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    const status = await until(channelStatus, (c) =>
      Boolean(c.lastError?.message.includes('cbq-ivy-1')),
    );
    expect(status.lastError?.message).toBe(
      "After a delivery: Telegram did not take the answer to a button tap (cbq-ivy-1: HTTP 400: Bad Request: query is too old and response timeout expired or query ID is invalid); the customer's button may spin until Telegram gives up.",
    );
    expect(status.lastError?.message.includes(TELEGRAM.botToken)).toBe(false);
    expect(answersTo('cbq-ivy-1').map((r) => r.response?.status)).toEqual([400]);
    const [stored] = await telegramMessages('Ivy');
    expect([stored?.externalId, stored?.status, stored?.content]).toEqual([
      'callback:cbq-ivy-1',
      'received',
      { type: 'button_reply', payload: 'size:M', text: 'Track parcel' },
    ]);
  });
});

describe('replying to one message of several', () => {
  it('sends a Telegram reply with exactly reply_parameters naming the customer’s message, and shows the quote', async () => {
    const joy: Person = { id: 8100003, first_name: 'Joy' };
    telegram.addChat(joy.id);
    telegram.addMessage(joy.id, 41);
    telegram.addMessage(joy.id, 42);
    await postUpdate(
      hub.url,
      update(nextUpdate(), {
        message: message(joy, 41, now() - 60, { text: 'Is the blue one in stock?' }),
      }),
    );
    await postUpdate(
      hub.url,
      update(nextUpdate(), {
        message: message(joy, 42, now() - 50, {
          document: {
            file_id: 'doc-joy-1',
            file_name: 'receipt.pdf',
            mime_type: 'application/pdf',
          },
        }),
      }),
    );
    const [first, receipt] = await telegramMessages('Joy');
    const conversationId = first?.conversationId;
    const answer = await sendCommand('tg-quote-1', {
      type: 'send_message',
      conversationId,
      content: { type: 'text', body: 'This one? Yes, in stock.' },
      replyTo: first?.id,
    });
    expect(answer.status).toBe(200);
    const sent = await until(
      async () => (await telegramMessages('Joy')).at(-1),
      (m) => m?.status === 'sent',
    );
    const requests = telegram.requests.filter(
      (r) => r.method === 'sendMessage' && r.params['chat_id'] === joy.id,
    );
    expect(requests.map((r) => r.params)).toEqual([
      {
        chat_id: joy.id,
        text: 'This one? Yes, in stock.',
        reply_parameters: { message_id: 41, allow_sending_without_reply: true },
      },
    ]);
    expect(sent?.replyTo).toEqual({ messageId: first?.id, preview: 'Is the blue one in stock?' });

    // The customer answers the agent's message: quoted too, by the agent's text.
    const ours = Number(sent?.externalId?.split(':')[1]);
    await postUpdate(
      hub.url,
      update(nextUpdate(), {
        message: message(joy, 43, now(), {
          text: 'Great, I’ll take it',
          reply_to_message: {
            message_id: ours,
            date: now() - 5,
            chat: { id: joy.id, type: 'private' },
          },
        }),
      }),
    );
    const last = (await telegramMessages('Joy')).find((m) => m.externalId === `${joy.id}:43`);
    expect([last?.externalId, last?.replyTo]).toEqual([
      `${joy.id}:43`,
      { messageId: sent?.id, preview: 'This one? Yes, in stock.' },
    ]);

    // A quoted file shows its name.
    expect(
      (
        await sendCommand('tg-quote-2', {
          type: 'send_message',
          conversationId,
          content: { type: 'text', body: 'Got the receipt, thanks.' },
          replyTo: receipt?.id,
        })
      ).status,
    ).toBe(200);
    const second = await until(
      async () => (await telegramMessages('Joy')).at(-1),
      (m) => m?.status === 'sent',
    );
    expect(second?.replyTo).toEqual({ messageId: receipt?.id, preview: 'receipt.pdf' });
    expect(
      telegram.requests
        .filter((r) => r.method === 'sendMessage' && r.params['chat_id'] === joy.id)
        .at(-1)?.params['reply_parameters'],
    ).toEqual({ message_id: 42, allow_sending_without_reply: true });
  });

  it('refuses a reply quoting another conversation’s message (or none), queues and sends nothing', async () => {
    const kim: Person = { id: 8100004, first_name: 'Kim' };
    const lou: Person = { id: 8100005, first_name: 'Lou' };
    for (const [person, id] of [
      [kim, 1],
      [lou, 1],
    ] as const) {
      telegram.addChat(person.id);
      await postUpdate(
        hub.url,
        update(nextUpdate(), { message: message(person, id, now() - 30, { text: 'Hello' }) }),
      );
    }
    const kims = await conversationNamed<{ id: string; customer: { name: string } }>(
      hub.url,
      token,
      'telegram',
      'Kim',
    );
    const [lous] = await telegramMessages('Lou');
    const before = telegram.requests.length;
    const queuedBefore = await queued();
    const refused = await sendCommand('tg-quote-other', {
      type: 'send_message',
      conversationId: kims.id,
      content: { type: 'text', body: 'Wrong quote' },
      replyTo: lous?.id,
    });
    expect([
      refused.status,
      refused.body.error,
      refused.body.message,
      refused.body.details,
    ]).toEqual([
      400,
      'bad_request',
      `replyTo: ${lous?.id} is not a message of this conversation.`,
      {
        fields: [
          {
            path: 'replyTo',
            message: `replyTo: ${lous?.id} is not a message of this conversation.`,
          },
        ],
      },
    ]);
    const unknown = await sendCommand('tg-quote-none', {
      type: 'send_message',
      conversationId: kims.id,
      content: { type: 'text', body: 'No such quote' },
      replyTo: 'msg_does_not_exist',
    });
    expect([unknown.status, unknown.body.message]).toEqual([
      400,
      'replyTo: msg_does_not_exist is not a message of this conversation.',
    ]);
    expect(await queued()).toBe(queuedBefore);
    expect((await telegramMessages('Kim')).map((m) => m.direction)).toEqual(['inbound']);
    expect(telegram.requests.length).toBe(before);
  });

  it('sends a WhatsApp reply with context.message_id, and shows a customer’s WhatsApp reply quoted', async () => {
    const waId = '4915112345678';
    const wamid = nextWamid(waId);
    const inbound = messagesWebhook(
      textMessage('Do you ship to Austria?', { from: waId, name: 'Mia Berg', id: wamid }),
    );
    expect(await postWhatsApp(inbound)).toBe(200);
    const [asked] = await messagesNamed(hub.url, token, 'whatsapp', 'Mia Berg');
    expect(
      (
        await sendCommand('wa-quote-1', {
          type: 'send_message',
          conversationId: asked?.conversationId,
          content: { type: 'text', body: 'Yes, in 3–5 days.' },
          replyTo: asked?.id,
        })
      ).status,
    ).toBe(200);
    const sent = await until(
      async () => (await messagesNamed(hub.url, token, 'whatsapp', 'Mia Berg')).at(-1),
      (m) => m?.status === 'sent',
    );
    const request = graph.requests.filter((r) => r.path.endsWith('/messages')).at(-1);
    expect(request?.response?.status).toBe(200);
    expect(request?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      biz_opaque_callback_data: sent?.id,
      context: { message_id: wamid },
      type: 'text',
      text: { preview_url: false, body: 'Yes, in 3–5 days.' },
    });
    expect(sent?.replyTo).toEqual({ messageId: asked?.id, preview: 'Do you ship to Austria?' });

    // The customer swipes to reply to the agent's message (`context.id`: our wamid).
    expect(
      await postWhatsApp(
        messagesWebhook(
          textMessage('Perfect', { from: waId, name: 'Mia Berg', replyTo: sent?.externalId ?? '' }),
        ),
      ),
    ).toBe(200);
    const last = (await messagesNamed(hub.url, token, 'whatsapp', 'Mia Berg')).find(
      (m) => m.direction === 'inbound' && m.id !== asked?.id,
    );
    expect([last?.content, last?.replyTo]).toEqual([
      { type: 'text', body: 'Perfect' },
      { messageId: sent?.id, preview: 'Yes, in 3–5 days.' },
    ]);
  });
});
