import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { demoImage } from '../../src/server/demo/demo-files';
import type { RunningHub } from '../../src/server/hub';
import { startFakeTelegramApi, type FakeTelegramApi } from '../support/fake-telegram-api';
import {
  api,
  login,
  sendText,
  startTestHub,
  conversationNamed,
  messagesNamed,
} from '../support/hub';
import {
  TELEGRAM,
  message,
  postUpdate,
  telegramSettings,
  update,
  type Person,
} from '../support/telegram-webhooks';
import { connectClient } from '../support/realtime-client';
import { until } from '../support/until';

/**
 * Issue #15 item 1 end to end: Telegram Updates with the secret token through a real hub
 * (PGlite or PostgreSQL, HTTP) into stored messages, an agent's replies through the durable
 * queue to a local fake of the Bot API, and an inbound photo through getFile into the media
 * store. The hub runs on the real clock: the 429 test measures the retry_after wait.
 */

let fake: FakeTelegramApi;
let hub: RunningHub;
let token: string;
let updateId = 500_000;
const nextUpdate = () => (updateId += 1);
const now = () => Math.floor(Date.now() / 1000);

type View = Conversation & { window: { state: string; basis: string } };

beforeAll(async () => {
  fake = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
  hub = await startTestHub({
    sendTimeoutMs: 2000,
    channels: { telegram: telegramSettings(fake.url) },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await fake.close();
});

const conversationOf = (name: string): Promise<View> =>
  conversationNamed<View>(hub.url, token, 'telegram', name);

const messagesOf = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'telegram', name);

const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'telegram'",
      )
    ).rows[0]?.n,
  );

/** A customer who wrote to the bot, and a conversation to answer them in. */
async function customerWhoWrote(person: Person, text: string): Promise<string> {
  fake.addChat(person.id);
  const result = await postUpdate(
    hub.url,
    update(nextUpdate(), { message: message(person, 1, now() - 60, { text }) }),
  );
  expect(result.status).toBe(200);
  return (
    await conversationOf(`${person.first_name}${person.last_name ? ` ${person.last_name}` : ''}`)
  ).id;
}

describe('Telegram webhooks through the hub', () => {
  it('refuses a missing or wrong secret token with 401 and stores nothing', async () => {
    const body = update(nextUpdate(), {
      message: message({ id: 9000001, first_name: 'Eve' }, 1, now(), { text: 'hi' }),
    });
    expect((await postUpdate(hub.url, body, null)).status).toBe(401);
    expect((await postUpdate(hub.url, body, 'not-the-secret')).status).toBe(401);
    expect((await postUpdate(hub.url, body, `${TELEGRAM.webhookSecret}x`)).status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('refuses a body that is not an Update with 400', async () => {
    expect((await postUpdate(hub.url, { object: 'page', entry: [] })).status).toBe(400);
    expect(await count()).toBe(0);
  });

  it('stores a message once, even when Telegram delivers the update twice', async () => {
    const ann: Person = {
      id: 1111111,
      first_name: 'Ann',
      last_name: 'Lee',
      username: 'ann',
      language_code: 'en',
    };
    const date = now() - 120;
    const body = update(nextUpdate(), {
      message: message(ann, 1365, date, { text: 'Hello, is my parcel on its way?' }),
    });
    expect(await postUpdate(hub.url, body)).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await postUpdate(hub.url, body)).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const [stored] = await messagesOf('Ann Lee');
    expect(stored).toMatchObject({
      direction: 'inbound',
      externalId: '1111111:1365',
      status: 'received',
      sentAt: date * 1000,
      content: { type: 'text', body: 'Hello, is my parcel on its way?' },
    });
    const conversation = await conversationOf('Ann Lee');
    expect([
      conversation.channelAccountId,
      conversation.customer.language,
      conversation.window.state,
      conversation.window.basis,
    ]).toEqual([TELEGRAM.botId, 'en', 'unlimited', 'telegram.no_window']);
  });

  it('shows a /start deep link before the customer’s /start', async () => {
    const ben: Person = { id: 2222222, first_name: 'Ben' };
    await postUpdate(
      hub.url,
      update(nextUpdate(), {
        message: message(ben, 1, now() - 30, { text: '/start winter-sale' }),
      }),
    );
    expect((await messagesOf('Ben')).map((m) => [m.externalId, m.content])).toEqual([
      ['2222222:1:start', { type: 'referral', source: 't.me', ref: 'winter-sale' }],
      ['2222222:1', { type: 'text', body: '/start winter-sale' }],
    ]);
  });

  it('downloads an inbound photo (its largest size) through getFile into the media store', async () => {
    const cat: Person = { id: 3333333, first_name: 'Cat' };
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    fake.addFile('AgACAgQAAxkBAAIBlarge', jpeg, { filePath: 'photos/file_7.jpg' });
    const photo = [
      {
        file_id: 'AgACAgQAAxkBAAIBsmall',
        file_unique_id: 's',
        width: 90,
        height: 90,
        file_size: 900,
      },
      {
        file_id: 'AgACAgQAAxkBAAIBlarge',
        file_unique_id: 'l',
        width: 1280,
        height: 1280,
        file_size: jpeg.length,
      },
    ];
    await postUpdate(
      hub.url,
      update(nextUpdate(), {
        message: message(cat, 5, now() - 10, { photo, caption: 'Broken on arrival' }),
      }),
    );
    const messages = await until(
      () => messagesOf('Cat'),
      (list) => list[0]?.attachment?.state === 'ready' || list[0]?.attachment?.state === 'failed',
    );
    expect(messages.map((m) => [m.content, m.attachment])).toEqual([
      [
        {
          type: 'image',
          media: {
            mediaId: 'AgACAgQAAxkBAAIBlarge',
            mimeType: 'image/jpeg',
            caption: 'Broken on arrival',
          },
        },
        {
          state: 'ready',
          sha256: createHash('sha256').update(jpeg).digest('hex'),
          mimeType: 'image/jpeg',
          size: jpeg.length,
          filename: null,
          error: null,
          thumbnail: null,
        },
      ],
    ]);
    expect(fake.requests.filter((r) => r.method === 'getFile').map((r) => r.params)).toEqual([
      { file_id: 'AgACAgQAAxkBAAIBlarge' },
    ]);
    expect(fake.requests.filter((r) => r.method === 'download').map((r) => r.path)).toEqual([
      '/file/bot<token>/photos/file_7.jpg',
    ]);
  });
});

describe('Telegram taps and other updates through the hub', () => {
  it('stores a button tap as a button reply, and answers 200 to an update it does not map', async () => {
    const gus: Person = { id: 7777777, first_name: 'Gus' };
    // A tap Telegram issued: the hub answers it (hub-reply-to.test.ts looks at the answers).
    fake.addCallbackQuery('4382bfdwdsb323b2d9');
    await postUpdate(
      hub.url,
      update(nextUpdate(), { message: message(gus, 1, now() - 20, { text: 'Options?' }) }),
    );
    const tap = update(nextUpdate(), {
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: { id: gus.id, is_bot: false, first_name: 'Gus' },
        chat_instance: '-1234567890',
        data: 'track:42',
        message: {
          message_id: 2,
          date: now() - 15,
          chat: { id: gus.id, type: 'private', first_name: 'Gus' },
          from: { id: Number(TELEGRAM.botId), is_bot: true, first_name: 'Shop bot' },
          text: 'What next?',
          reply_markup: {
            inline_keyboard: [[{ text: 'Track parcel', callback_data: 'track:42' }]],
          },
        },
      },
    });
    expect((await postUpdate(hub.url, tap)).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    expect((await messagesOf('Gus')).map((m) => [m.externalId, m.content])).toEqual([
      ['7777777:1', { type: 'text', body: 'Options?' }],
      [
        'callback:4382bfdwdsb323b2d9',
        { type: 'button_reply', payload: 'track:42', text: 'Track parcel' },
      ],
    ]);
    const before = await count();
    const reaction = update(nextUpdate(), {
      message_reaction: { chat: { id: gus.id, type: 'private' }, message_id: 1, date: now() },
    });
    expect(await postUpdate(hub.url, reaction)).toEqual({
      status: 200,
      body: { received: 0, stored: 0, duplicates: 0, deadLettered: 0 },
    });
    expect(await count()).toBe(before);
  });
});

describe('Telegram sends through the hub', () => {
  it('sends an agent’s reply once, exactly as typed', async () => {
    const dan: Person = { id: 4444444, first_name: 'Dan' };
    const conversationId = await customerWhoWrote(dan, 'Can I pay by card?');
    const text = 'Yes: <b>Visa</b> & *Mastercard* _both_ work';
    expect(await sendText(hub.url, token, 'tg-reply-1', conversationId, text)).toBe(200);
    const sent = await until(
      async () => (await messagesOf('Dan')).at(-1),
      (m) => m?.status === 'sent',
    );
    const requests = fake.requests.filter(
      (r) => r.method === 'sendMessage' && r.params['chat_id'] === dan.id,
    );
    expect(requests.map((r) => r.params)).toEqual([{ chat_id: dan.id, text }]);
    const mine = fake.sent.filter((s) => s.chatId === dan.id);
    expect(mine.length).toBe(1);
    expect([sent?.externalId, sent?.content]).toEqual([
      `${dan.id}:${mine[0]?.messageId}`,
      { type: 'text', body: text },
    ]);
  });

  it('waits out a 429 retry_after from the durable queue and sends the message once', async () => {
    const eva: Person = { id: 5555555, first_name: 'Eva' };
    const conversationId = await customerWhoWrote(eva, 'Hello?');
    fake.failNext({ status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    expect(await sendText(hub.url, token, 'tg-reply-429', conversationId, 'Here we are')).toBe(200);
    // Back in the queue with Telegram's reason.
    const queued = await until(
      async () =>
        (await hub.db.query<{ last_error: string | null }>('select last_error from outbound_queue'))
          .rows,
      (rows) => rows[0]?.last_error !== undefined && rows[0].last_error !== null,
    );
    expect(queued).toEqual([
      { last_error: 'rate_limited: Telegram asked the bot to slow down for 1 s; will retry.' },
    ]);
    const sent = await until(
      async () => (await messagesOf('Eva')).at(-1),
      (m) => m?.status === 'sent',
    );
    const attempts = fake.requests.filter(
      (r) => r.method === 'sendMessage' && r.params['chat_id'] === eva.id,
    );
    expect(attempts.map((r) => r.response?.status)).toEqual([429, 200]);
    const [first, second] = attempts.map((r) => r.at) as [number, number];
    expect(second - first).toBeGreaterThanOrEqual(1000);
    expect(fake.sent.filter((s) => s.chatId === eva.id).length).toBe(1);
    expect(sent?.externalId).toBe(
      `${eva.id}:${fake.sent.find((s) => s.chatId === eva.id)?.messageId}`,
    );
  });

  it('fails a send to a customer who blocked the bot, with why', async () => {
    const fay: Person = { id: 6666666, first_name: 'Fay' };
    const conversationId = await customerWhoWrote(fay, 'Stop writing me');
    fake.block(fay.id);
    expect(
      await sendText(hub.url, token, 'tg-reply-blocked', conversationId, 'Sorry to hear that'),
    ).toBe(200);
    const failed = await until(
      async () => (await messagesOf('Fay')).at(-1),
      (m) => m?.status === 'failed',
    );
    expect([failed?.failureCode, failed?.failureReason]).toEqual([
      'blocked',
      'The customer blocked the bot on Telegram; you can write again when they unblock it.',
    ]);
    expect(fake.requests.filter((r) => r.params['chat_id'] === fay.id).length).toBe(1);
    // Telegram said so: the conversation is blocked from then on, and the next reply is refused
    // without asking Telegram again.
    const blocked = await conversationOf('Fay');
    const refusedAt = (
      await hub.db.query<{ updated_at: string }>('select updated_at from messages where id = $1', [
        failed?.id,
      ])
    ).rows[0]?.updated_at;
    expect(blocked.blockedAt).toBe(Number(refusedAt));
    const again = await api<{ error: string }>(
      hub.url,
      token,
      `/api/conversations/${conversationId}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: 'Hello?' } } },
    );
    expect([again.status, again.body.error]).toEqual([409, 'blocked']);
    expect(fake.requests.filter((r) => r.params['chat_id'] === fay.id).length).toBe(1);
  });
});

describe('Telegram edits and blocks through the hub', () => {
  it('replaces an edited message’s content and marks it edited at edit_date', async () => {
    const hal: Person = { id: 8888881, first_name: 'Hal' };
    const date = now() - 90;
    await postUpdate(
      hub.url,
      update(nextUpdate(), { message: message(hal, 7, date, { text: 'Order 1001 please' }) }),
    );
    const edit = update(nextUpdate(), {
      edited_message: message(hal, 7, date, { text: 'Order 1002 please', edit_date: date + 30 }),
    });
    expect((await postUpdate(hub.url, edit)).status).toBe(200);
    expect((await messagesOf('Hal')).map((m) => [m.externalId, m.content, m.editedAt])).toEqual([
      ['8888881:7', { type: 'text', body: 'Order 1002 please' }, (date + 30) * 1000],
    ]);
  });

  it('a customer who blocked the bot: the conversation says so, replies are refused, unblocking ends it', async () => {
    const ivy: Person = { id: 8888882, first_name: 'Ivy', last_name: 'Ng' };
    const conversationId = await customerWhoWrote(ivy, 'Please stop');
    const member = (status: 'kicked' | 'member', date: number) =>
      update(nextUpdate(), {
        my_chat_member: {
          chat: { id: ivy.id, type: 'private', first_name: 'Ivy', last_name: 'Ng' },
          from: { id: ivy.id, is_bot: false, first_name: 'Ivy', last_name: 'Ng' },
          date,
          old_chat_member: {
            status: status === 'kicked' ? 'member' : 'kicked',
            user: { id: 1, is_bot: true, first_name: 'Shop bot' },
          },
          new_chat_member: { status, user: { id: 1, is_bot: true, first_name: 'Shop bot' } },
        },
      });
    const blockedAt = now() - 5;
    expect((await postUpdate(hub.url, member('kicked', blockedAt))).status).toBe(200);
    expect((await conversationOf('Ivy Ng')).blockedAt).toBe(blockedAt * 1000);
    const before = fake.requests.length;
    const refused = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${conversationId}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: 'Are you there?' } } },
    );
    expect([refused.status, refused.body.error]).toEqual([409, 'blocked']);
    expect(refused.body.message).toBe(
      'Ivy Ng blocked this account on Telegram: messages cannot reach them until they unblock it.',
    );
    expect(fake.requests.length).toBe(before);
    expect((await postUpdate(hub.url, member('member', blockedAt + 60))).status).toBe(200);
    expect((await conversationOf('Ivy Ng')).blockedAt).toBeUndefined();
    expect(await sendText(hub.url, token, 'tg-after-unblock', conversationId, 'Welcome back')).toBe(
      200,
    );
    await until(
      async () => (await messagesOf('Ivy Ng')).at(-1)?.status,
      (status) => status === 'sent',
    );
    expect(fake.sent.filter((s) => s.chatId === ivy.id).length).toBe(1);
  });
});

describe('Telegram files sent through the hub', () => {
  it('sends a photo as multipart with its caption once, then by its file_id', async () => {
    const jo: Person = { id: 8888883, first_name: 'Jo' };
    const conversationId = await customerWhoWrote(jo, 'Send me the photo');
    const photo = demoImage('parcel');
    const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=telegram`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/png',
        'x-filename': 'parcel.png',
      },
      body: new Uint8Array(photo.bytes),
    });
    expect(uploaded.status).toBe(201);
    const content = {
      type: 'image',
      media: {
        mediaId: sha256,
        sha256,
        mimeType: 'image/png',
        filename: 'parcel.png',
        caption: 'Your parcel <as packed> & sealed',
      },
    };
    for (const clientId of ['tg-photo-1', 'tg-photo-2']) {
      const answer = await api(hub.url, token, '/api/commands', {
        method: 'POST',
        body: { clientId, command: { type: 'send_message', conversationId, content } },
      });
      expect(answer.status).toBe(200);
      await until(
        async () => (await messagesOf('Jo')).at(-1)?.status,
        (status) => status === 'sent',
      );
    }
    const sends = fake.requests.filter(
      (r) => r.method === 'sendPhoto' && String(r.params['chat_id']) === String(jo.id),
    );
    expect(
      sends.map((r) => ({
        params: r.params,
        files: r.files.map((f) => [
          f.field,
          f.filename,
          f.type,
          createHash('sha256').update(f.bytes).digest('hex'),
        ]),
      })),
    ).toEqual([
      {
        params: { chat_id: String(jo.id), caption: 'Your parcel <as packed> & sealed' },
        files: [['photo', 'parcel.png', 'image/png', sha256]],
      },
      // The file id Telegram answered the first send with (the fake's first upload).
      {
        params: {
          chat_id: jo.id,
          photo: 'photo-file-1',
          caption: 'Your parcel <as packed> & sealed',
        },
        files: [],
      },
    ]);
  });
});

describe('Telegram webhook registration through the Channels API', () => {
  it('calls setWebhook with the secret token and answers Telegram’s word', async () => {
    fake.pendingUpdates = 2;
    const url = 'https://replydesk.example/webhooks/telegram';
    const registered = await api(hub.url, token, '/api/admin/channels/telegram/webhook', {
      method: 'POST',
      body: { url },
    });
    expect(registered).toEqual({
      status: 200,
      body: {
        ok: true,
        detail:
          'Telegram delivers to https://replydesk.example/webhooks/telegram; 2 updates pending.',
        url,
      },
    });
    expect(fake.webhook).toEqual({
      url,
      secretToken: TELEGRAM.webhookSecret,
      allowedUpdates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    // Telegram delivers over HTTPS only: it refuses a plain-http address, and says why.
    const local = 'http://127.0.0.1:8080/webhooks/telegram';
    const refused = await api(hub.url, token, '/api/admin/channels/telegram/webhook', {
      method: 'POST',
      body: { url: local },
    });
    expect(refused).toEqual({
      status: 200,
      body: {
        ok: false,
        reason:
          'Telegram refused the webhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook.',
        url: local,
      },
    });
    expect(fake.webhook?.url).toBe(url);
  });
});

describe('an agent typing', () => {
  it('shows “typing…” in the customer’s Telegram chat, at most once per 5 s', async () => {
    const ida: Person = { id: 7777001, first_name: 'Ida' };
    const conversationId = await customerWhoWrote(ida, 'Hello?');
    const client = await connectClient(hub.url, token);
    // Frames count once the hub has greeted the socket (it signs it in first).
    await client.waitFor((f) => f.type === 'hello');
    try {
      const actions = () =>
        fake.requests
          .filter((r) => r.method === 'sendChatAction' && r.params['chat_id'] === ida.id)
          .map((r) => r.params['action']);
      client.send({ type: 'typing', conversationId });
      expect(
        await until(
          async () => actions(),
          (a) => a.length > 0,
        ),
      ).toEqual(['typing']);
      client.send({ type: 'typing', conversationId });
      // A later message to the same chat proves the second frame was handled: still one action.
      expect(
        await sendText(hub.url, token, 'tg-typing-reply', conversationId, 'Yes, how can I help?'),
      ).toBe(200);
      await until(
        async () => (await messagesOf('Ida')).at(-1)?.status,
        (status) => status === 'sent',
      );
      expect(actions()).toEqual(['typing']);
    } finally {
      await client.close();
    }
  });
});
