import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError, type WebhookDelivery } from '../../src/server/channels/connector';
import { CONNECTORS } from '../../src/server/channels/registry';
import { telegramConnector } from '../../src/server/channels/telegram';
import { createPacer } from '../../src/server/channels/telegram/pacing';
import { createTelegramSender } from '../../src/server/channels/telegram/sender';
import {
  ChannelMediaError,
  type InboundMessage,
  type OutboundRequest,
} from '../../src/server/channels/types';
import { createDemoWorld } from '../../src/server/demo/simulator';
import { throughConnector } from '../../src/server/demo/through-connector';
import { startFakeTelegramApi, type FakeTelegramApi } from '../support/fake-telegram-api';
import {
  TELEGRAM,
  message,
  privateChat,
  telegramDelivery,
  telegramSettings,
  update,
  user,
  type Person,
} from '../support/telegram-webhooks';

/**
 * Issue #15 item 1, the connector on its own: the secret-token check and the mapping of every
 * Update type to exact events; the sender, files and setWebhook against a local fake of the
 * Bot API (test/support/fake-telegram-api.ts).
 */

/** An address nothing listens on (a port just released). */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const ANN: Person = {
  id: 1111111,
  first_name: 'Ann',
  last_name: 'Lee',
  username: 'ann',
  language_code: 'en',
};
const settings = telegramSettings('http://unused.invalid');
const D = 1_764_763_200; // 2025-12-03T12:00:00Z, in Telegram's seconds

function delivery(body: unknown, secret: string | null = TELEGRAM.webhookSecret): WebhookDelivery {
  const { body: raw, headers } = telegramDelivery(body, secret);
  return { raw: Buffer.from(raw), headers, url: new URL('https://hub.example/webhooks/telegram') };
}
const parse = (body: unknown) => telegramConnector.parse(body, settings);
const customer = { externalId: '1111111', name: 'Ann Lee', phone: null, language: 'en' };
const inbound = (externalId: string, content: unknown, extra: object = {}) => ({
  kind: 'message',
  channel: 'telegram',
  channelAccountId: TELEGRAM.botId,
  externalId,
  customer,
  sentAt: D * 1000,
  content,
  ...extra,
});

describe('Telegram webhook verification', () => {
  const body = update(1, { message: message(ANN, 1, D, { text: 'hi' }) });

  it('accepts only the exact secret token, and nothing without one', () => {
    expect(telegramConnector.verify(delivery(body), settings)).toEqual({ ok: true });
    const refused = {
      ok: false,
      reason: 'A delivery was refused: its X-Telegram-Bot-Api-Secret-Token was missing or wrong.',
      message: 'The X-Telegram-Bot-Api-Secret-Token header is missing or wrong.',
    };
    expect(telegramConnector.verify(delivery(body, null), settings)).toEqual(refused);
    expect(telegramConnector.verify(delivery(body, 'wrong'), settings)).toEqual(refused);
    // Same length, one character off; and the secret with something after it.
    const offByOne = `${TELEGRAM.webhookSecret.slice(0, -1)}4`;
    expect(telegramConnector.verify(delivery(body, offByOne), settings)).toEqual(refused);
    expect(
      telegramConnector.verify(delivery(body, `${TELEGRAM.webhookSecret}x`), settings),
    ).toEqual(refused);
    // An unset secret never matches an empty header.
    expect(
      telegramConnector.verify(delivery(body, ''), { ...settings, webhookSecret: '' }),
    ).toEqual(refused);
  });

  it('receives only with both the token and the secret, and has no handshake', () => {
    expect(telegramConnector.receives(settings)).toBe(true);
    expect(telegramConnector.receives({ ...settings, webhookSecret: '' })).toBe(false);
    expect(telegramConnector.receives({ ...settings, botToken: '' })).toBe(false);
    expect(telegramConnector.handshake).toBe(undefined);
  });

  it('declares its settings with their environment variables and patterns', () => {
    expect(
      telegramConnector.settings.map((s) => [
        s.name,
        s.secret,
        s.required,
        s.env,
        s.envOnly ?? false,
      ]),
    ).toEqual([
      ['botToken', true, true, 'TELEGRAM_BOT_TOKEN', false],
      ['webhookSecret', true, true, 'TELEGRAM_WEBHOOK_SECRET', false],
      ['callbackAnswerText', false, false, 'TELEGRAM_CALLBACK_ANSWER_TEXT', false],
      ['apiUrl', false, false, 'TELEGRAM_API_URL', true],
    ]);
    const pattern = (name: string) =>
      new RegExp(telegramConnector.settings.find((s) => s.name === name)?.pattern?.source ?? '');
    expect(
      [TELEGRAM.botToken, '123:short', 'abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0'].map((v) =>
        pattern('botToken').test(v),
      ),
    ).toEqual([true, false, false]);
    expect(
      [TELEGRAM.webhookSecret, 'has space', 'x'.repeat(257), 'x'.repeat(256)].map((v) =>
        pattern('webhookSecret').test(v),
      ),
    ).toEqual([true, false, false, true]);
  });
});

describe('Telegram update mapping', () => {
  it('maps a text message with the customer from the chat', () => {
    expect(parse(update(10, { message: message(ANN, 1365, D, { text: 'hello' }) }))).toEqual({
      events: [inbound('1111111:1365', { type: 'text', body: 'hello' })],
      problems: [],
      lost: [],
    });
  });

  it('maps every content type to our model, the largest photo size with its caption', () => {
    const photo = [
      { file_id: 'AgAC-small', file_unique_id: 'a', width: 90, height: 67, file_size: 1234 },
      { file_id: 'AgAC-large', file_unique_id: 'b', width: 1280, height: 960, file_size: 98765 },
    ];
    const bodies: Record<string, unknown>[] = [
      { photo, caption: 'the box arrived like this' },
      {
        voice: {
          file_id: 'voice-1',
          file_unique_id: 'v',
          duration: 3,
          mime_type: 'audio/ogg',
          file_size: 5000,
        },
      },
      {
        audio: {
          file_id: 'audio-1',
          file_unique_id: 'au',
          duration: 180,
          file_name: 'song.mp3',
          mime_type: 'audio/mpeg',
        },
      },
      {
        video: {
          file_id: 'video-1',
          file_unique_id: 'vi',
          width: 640,
          height: 480,
          duration: 5,
          mime_type: 'video/mp4',
          file_name: 'unboxing.mp4',
        },
        caption: 'look',
      },
      { video_note: { file_id: 'note-1', file_unique_id: 'vn', length: 240, duration: 4 } },
      {
        document: {
          file_id: 'doc-1',
          file_unique_id: 'd',
          file_name: 'invoice 42.pdf',
          mime_type: 'application/pdf',
          file_size: 20480,
        },
      },
      {
        sticker: {
          file_id: 'stk-1',
          file_unique_id: 's',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: '👍',
        },
      },
      {
        sticker: {
          file_id: 'stk-2',
          file_unique_id: 's2',
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: true,
          is_video: false,
        },
      },
      { location: { latitude: 52.52, longitude: 13.405 } },
      {
        location: { latitude: 48.8584, longitude: 2.2945 },
        venue: {
          location: { latitude: 48.8584, longitude: 2.2945 },
          title: 'Eiffel Tower',
          address: 'Champ de Mars',
        },
      },
      {
        contact: {
          phone_number: '+4915112345678',
          first_name: 'Bob',
          last_name: 'Brown',
          user_id: 2222,
        },
      },
    ];
    const events = bodies.flatMap(
      (fields, i) => parse(update(20 + i, { message: message(ANN, 100 + i, D, fields) })).events,
    );
    expect(events.map((e) => (e.kind === 'message' ? [e.externalId, e.content] : e.kind))).toEqual([
      [
        '1111111:100',
        {
          type: 'image',
          media: {
            mediaId: 'AgAC-large',
            mimeType: 'image/jpeg',
            caption: 'the box arrived like this',
          },
        },
      ],
      [
        '1111111:101',
        { type: 'audio', media: { mediaId: 'voice-1', mimeType: 'audio/ogg', voice: true } },
      ],
      [
        '1111111:102',
        {
          type: 'audio',
          media: { mediaId: 'audio-1', mimeType: 'audio/mpeg', filename: 'song.mp3' },
        },
      ],
      [
        '1111111:103',
        {
          type: 'video',
          media: {
            mediaId: 'video-1',
            mimeType: 'video/mp4',
            filename: 'unboxing.mp4',
            caption: 'look',
          },
        },
      ],
      ['1111111:104', { type: 'video', media: { mediaId: 'note-1', mimeType: 'video/mp4' } }],
      [
        '1111111:105',
        {
          type: 'document',
          media: { mediaId: 'doc-1', mimeType: 'application/pdf', filename: 'invoice 42.pdf' },
        },
      ],
      ['1111111:106', { type: 'sticker', media: { mediaId: 'stk-1', mimeType: 'image/webp' } }],
      [
        '1111111:107',
        {
          type: 'sticker',
          media: { mediaId: 'stk-2', mimeType: 'application/x-tgsticker', animated: true },
        },
      ],
      ['1111111:108', { type: 'location', latitude: 52.52, longitude: 13.405 }],
      [
        '1111111:109',
        {
          type: 'location',
          latitude: 48.8584,
          longitude: 2.2945,
          name: 'Eiffel Tower',
          address: 'Champ de Mars',
        },
      ],
      [
        '1111111:110',
        {
          type: 'contacts',
          contacts: [{ name: 'Bob Brown', phones: ['+4915112345678'], emails: [] }],
        },
      ],
    ]);
  });

  it("takes the customer's phone from a contact card that is their own", () => {
    const own = parse(
      update(40, {
        message: message(ANN, 140, D, {
          contact: { phone_number: '+447700900123', first_name: 'Ann', user_id: ANN.id },
        }),
      }),
    );
    expect(own.events[0]).toMatchObject({ customer: { ...customer, phone: '+447700900123' } });
  });

  it('names the replied-to message as its own external id', () => {
    const reply = parse(
      update(41, {
        message: message(ANN, 141, D, {
          text: 'yes, that one',
          reply_to_message: message(ANN, 120, D - 60, { text: 'order 42?' }),
        }),
      }),
    );
    expect(reply.events).toEqual([
      inbound(
        '1111111:141',
        { type: 'text', body: 'yes, that one' },
        { replyToExternalId: '1111111:120' },
      ),
    ]);
  });

  it('shows a /start deep link as how the customer came, then their /start', () => {
    expect(
      parse(update(42, { message: message(ANN, 1, D, { text: '/start summer-sale_2026' }) }))
        .events,
    ).toEqual([
      inbound('1111111:1:start', { type: 'referral', source: 't.me', ref: 'summer-sale_2026' }),
      inbound('1111111:1', { type: 'text', body: '/start summer-sale_2026' }),
    ]);
    // A plain /start is just the customer's first message.
    expect(parse(update(43, { message: message(ANN, 2, D, { text: '/start' }) })).events).toEqual([
      inbound('1111111:2', { type: 'text', body: '/start' }),
    ]);
  });

  it('maps an edited message to an edit of the same message at edit_date', () => {
    expect(
      parse(
        update(44, {
          edited_message: message(ANN, 1365, D, { text: 'hello, corrected', edit_date: D + 30 }),
        }),
      ),
    ).toEqual({
      events: [
        {
          kind: 'edit',
          channel: 'telegram',
          channelAccountId: TELEGRAM.botId,
          externalId: '1111111:1365',
          content: { type: 'text', body: 'hello, corrected' },
          at: (D + 30) * 1000,
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps my_chat_member kicked / member in a private chat to blocked / unblocked', () => {
    const member = (status: string, id: number) =>
      update(id, {
        my_chat_member: {
          chat: privateChat(ANN),
          from: user(ANN),
          date: D + id,
          old_chat_member: {
            status: status === 'kicked' ? 'member' : 'kicked',
            user: { id: 42, is_bot: true, first_name: 'Shop bot' },
          },
          new_chat_member: {
            status,
            user: { id: 42, is_bot: true, first_name: 'Shop bot' },
            ...(status === 'kicked' ? { until_date: 0 } : {}),
          },
        },
      });
    const block = (blocked: boolean, id: number) => ({
      kind: 'block',
      channel: 'telegram',
      channelAccountId: TELEGRAM.botId,
      externalId: `update:${id}`,
      customer,
      blocked,
      at: (D + id) * 1000,
    });
    expect(parse(member('kicked', 50)).events).toEqual([block(true, 50)]);
    expect(parse(member('member', 51)).events).toEqual([block(false, 51)]);
    const group = parse(
      update(52, {
        my_chat_member: {
          chat: { id: -100123, type: 'supergroup', title: 'Fans' },
          from: user(ANN),
          date: D,
          new_chat_member: { status: 'administrator' },
        },
      }),
    );
    expect(group).toEqual({
      events: [],
      problems: [
        `my_chat_member: the bot's membership of a supergroup chat changed to "administrator" (ignored)`,
      ],
      lost: [],
    });
  });

  it("maps a button tap to a button reply with the button's text and data", () => {
    const parsed = parse(
      update(60, {
        callback_query: {
          id: '4382bfdwdsb323b2d9',
          from: user(ANN),
          chat_instance: '-1234567890',
          data: 'order:42:track',
          message: {
            ...message(
              { id: 1111111, first_name: 'Ann', last_name: 'Lee', username: 'ann' },
              77,
              D - 100,
              { text: 'What next?' },
            ),
            from: { id: 42, is_bot: true, first_name: 'Shop bot' },
            reply_markup: {
              inline_keyboard: [
                [
                  { text: 'Track my parcel', callback_data: 'order:42:track' },
                  { text: 'Cancel', callback_data: 'order:42:cancel' },
                ],
              ],
            },
          },
        },
      }),
    );
    expect(parsed.events).toEqual([
      {
        ...inbound(
          'callback:4382bfdwdsb323b2d9',
          { type: 'button_reply', payload: 'order:42:track', text: 'Track my parcel' },
          { replyToExternalId: '1111111:77' },
        ),
        sentAt: parsed.events[0]?.kind === 'message' ? parsed.events[0].sentAt : 0,
      },
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it('keeps what it cannot map: unknown updates and message kinds are problems, not losses', () => {
    expect(
      parse(update(70, { message_reaction: { chat: privateChat(ANN), message_id: 1, date: D } })),
    ).toEqual({
      events: [],
      problems: ['message_reaction: "message_reaction" updates are not handled (ignored)'],
      lost: [],
    });
    expect(
      parse(update(71, { message: message(ANN, 171, D, { dice: { emoji: '🎲', value: 4 } }) })),
    ).toEqual({
      events: [inbound('1111111:171', { type: 'unsupported', originalType: 'dice' })],
      problems: ['message: "dice" messages are not handled (kept as unsupported)'],
      lost: [],
    });
    // Named by its content, not by what describes it (a forward's origin, entities).
    const forwarded = message(ANN, 172, D, {
      forward_origin: { type: 'hidden_user', sender_user_name: 'Zed', date: D - 9 },
      message_thread_id: 3,
      checklist: { title: 'Packing', tasks: [] },
    });
    expect(parse(update(73, { message: forwarded })).events).toEqual([
      inbound('1111111:172', { type: 'unsupported', originalType: 'checklist' }),
    ]);
    // A message without its chat: lost, kept as a dead letter by the HTTP layer.
    expect(parse(update(72, { message: { message_id: 1, date: D, text: 'x' } })).lost).toEqual([
      'message.chat: Invalid input: expected object, received undefined (message skipped)',
    ]);
  });

  it('refuses a body that is not an Update', () => {
    expect(() => parse({ object: 'page', entry: [] })).toThrow(WebhookPayloadError);
    expect(() => parse([])).toThrow('Not a Telegram update');
  });
});

describe('Telegram sender', () => {
  let fake: FakeTelegramApi;
  const chat = 1111111;
  const live = () => telegramSettings(fake.url);
  // No pacing waits here: its own test below.
  const noPacing = { perChatMs: 0, perBotMs: 0 };
  const request = (
    content: OutboundRequest['content'],
    extra: Partial<OutboundRequest> = {},
  ): OutboundRequest => ({
    messageId: 'msg_1',
    channel: 'telegram',
    channelAccountId: TELEGRAM.botId,
    to: String(chat),
    content,
    ...extra,
  });

  beforeAll(async () => {
    fake = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
    fake.addChat(chat);
  });
  afterAll(() => fake.close());

  it('sends text exactly as typed: no parse mode, nothing escaped or lost', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    const text = 'Use <b>bold</b> & *stars* _under_ `code` [link](x) — 5 < 6 > 4';
    const result = await sender.send(request({ type: 'text', body: text }));
    expect(result).toEqual({ ok: true, externalId: `${chat}:${fake.sent.at(-1)?.messageId}` });
    const last = fake.requests.at(-1);
    expect([last?.method, last?.params]).toEqual(['sendMessage', { chat_id: chat, text }]);
    expect(last?.path).toBe('/bot<token>/sendMessage');
  });

  it('refuses text over 4096 and captions over 1024 before calling Telegram', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    const before = fake.requests.length;
    expect(await sender.send(request({ type: 'text', body: 'x'.repeat(4097) }))).toEqual({
      ok: false,
      retryable: false,
      code: 'text_too_long',
      reason: 'Telegram text messages are limited to 4096 characters; this one has 4097.',
    });
    expect(
      await sender.send(
        request(
          {
            type: 'image',
            media: { mediaId: 'f', mimeType: 'image/png', caption: 'c'.repeat(1025) },
          },
          { file: { bytes: Buffer.from('png'), mimeType: 'image/png', filename: 'a.png' } },
        ),
      ),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'caption_too_long',
      reason:
        'Telegram captions are limited to 1024 characters; this one has 1025. Send the text as its own message.',
    });
    expect(fake.requests.length).toBe(before);
    // Exactly at the limits it goes.
    const ok = await sender.send(request({ type: 'text', body: 'y'.repeat(4096) }));
    expect(ok.ok).toBe(true);
  });

  it('sends a photo as multipart with its caption, answers the largest file_id, and reuses it', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const content = {
      type: 'image' as const,
      media: {
        mediaId: 'a'.repeat(64),
        sha256: 'a'.repeat(64),
        mimeType: 'image/png',
        filename: 'box.png',
        caption: 'Is it <this> one & that?',
      },
    };
    const first = await sender.send(
      request(content, { file: { bytes: png, mimeType: 'image/png', filename: 'box.png' } }),
    );
    const upload = fake.requests.at(-1);
    expect([
      upload?.method,
      upload?.params,
      upload?.files.map((f) => [f.field, f.filename, f.type, f.bytes.equals(png)]),
    ]).toEqual([
      'sendPhoto',
      { chat_id: String(chat), caption: 'Is it <this> one & that?' },
      [['photo', 'box.png', 'image/png', true]],
    ]);
    expect(upload?.headers['content-type']?.startsWith('multipart/form-data; boundary=')).toBe(
      true,
    );
    const fileId = 'photo-file-1';
    expect(first).toEqual({
      ok: true,
      externalId: `${chat}:${fake.sent.at(-1)?.messageId}`,
      channelMediaId: fileId,
    });

    // Later: the queue names Telegram's file id instead of handing over the bytes.
    const again = await sender.send(
      request({ ...content, media: { ...content.media, mediaId: fileId } }),
    );
    expect(again).toEqual({ ok: true, externalId: `${chat}:${fake.sent.at(-1)?.messageId}` });
    const reuse = fake.requests.at(-1);
    expect([reuse?.method, reuse?.params, reuse?.files]).toEqual([
      'sendPhoto',
      { chat_id: chat, photo: fileId, caption: 'Is it <this> one & that?' },
      [],
    ]);
    // A hub file without its bytes cannot be sent.
    expect(await sender.send(request(content))).toMatchObject({
      ok: false,
      retryable: false,
      code: 'media_missing',
    });
  });

  it('picks the method by type and MIME: voice only for OGG/Opus, else a document', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    const file = (mimeType: string, filename: string) => ({
      file: { bytes: Buffer.from(filename), mimeType, filename },
    });
    const cases: [OutboundRequest['content'], ReturnType<typeof file>][] = [
      [
        { type: 'audio', media: { mediaId: 'x', mimeType: 'audio/ogg' } },
        file('audio/ogg', 'note.ogg'),
      ],
      [
        { type: 'audio', media: { mediaId: 'x', mimeType: 'audio/mpeg' } },
        file('audio/mpeg', 'song.mp3'),
      ],
      [
        { type: 'audio', media: { mediaId: 'x', mimeType: 'audio/wav' } },
        file('audio/wav', 'take.wav'),
      ],
      [
        { type: 'video', media: { mediaId: 'x', mimeType: 'video/mp4' } },
        file('video/mp4', 'clip.mp4'),
      ],
      [
        {
          type: 'document',
          media: { mediaId: 'x', mimeType: 'application/pdf', caption: 'invoice' },
        },
        file('application/pdf', 'invoice.pdf'),
      ],
      [
        { type: 'image', media: { mediaId: 'x', mimeType: 'image/gif' } },
        file('image/gif', 'dance.gif'),
      ],
    ];
    const results = [];
    for (const [content, extra] of cases) {
      const result = await sender.send(request(content, extra));
      const last = fake.requests.at(-1);
      results.push([last?.method, last?.files[0]?.field, result.ok && result.channelMediaId]);
    }
    expect(results).toEqual([
      ['sendVoice', 'voice', 'voice-file-2'],
      ['sendAudio', 'audio', 'audio-file-3'],
      ['sendDocument', 'document', 'document-file-4'],
      ['sendVideo', 'video', 'video-file-5'],
      ['sendDocument', 'document', 'document-file-6'],
      ['sendDocument', 'document', 'document-file-7'],
    ]);
  });

  it('replies to the customer’s message with reply_parameters, in JSON and in multipart; other ids send no quote', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    fake.addMessage(chat, 77);
    const reply = { message_id: 77, allow_sending_without_reply: true };
    await sender.send(
      request({ type: 'text', body: 'This one?' }, { replyToExternalId: `${chat}:77` }),
    );
    expect(fake.requests.at(-1)?.params).toEqual({
      chat_id: chat,
      text: 'This one?',
      reply_parameters: reply,
    });
    const pdf = Buffer.from('%PDF-1.4');
    const file = { bytes: pdf, mimeType: 'application/pdf', filename: 'label.pdf' };
    await sender.send(
      request(
        { type: 'document', media: { mediaId: 'b'.repeat(64), mimeType: 'application/pdf' } },
        { file, replyToExternalId: `${chat}:77` },
      ),
    );
    expect([fake.requests.at(-1)?.method, fake.requests.at(-1)?.params]).toEqual([
      'sendDocument',
      { chat_id: String(chat), reply_parameters: JSON.stringify(reply) },
    ]);
    // Another chat's message, a button tap's id: sent without a quote.
    for (const other of ['2222222:77', 'callback:4382bfd', `${chat}:77:start`]) {
      await sender.send(request({ type: 'text', body: 'Plain' }, { replyToExternalId: other }));
      expect(fake.requests.at(-1)?.params).toEqual({ chat_id: chat, text: 'Plain' });
    }
  });

  it('maps 429 retry_after to retryAfterMs, and 5xx to retryable', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    fake.failNext({
      status: 429,
      description: 'Too Many Requests: retry after 2282',
      retryAfter: 2282,
    });
    expect(await sender.send(request({ type: 'text', body: 'a' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      reason: 'Telegram asked the bot to slow down for 2282 s; will retry.',
      retryAfterMs: 2_282_000,
    });
    fake.failNext({ status: 502, description: 'Bad Gateway' });
    expect(await sender.send(request({ type: 'text', body: 'a' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'telegram_502',
      reason: 'Telegram is temporarily unavailable (Bad Gateway); will retry.',
    });
  });

  it('refuses for good when the customer blocked the bot, or the chat is unknown', async () => {
    const sender = createTelegramSender({ settings: live, pacing: noPacing });
    fake.addChat(3333);
    fake.block(3333);
    expect(await sender.send(request({ type: 'text', body: 'hello?' }, { to: '3333' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked',
      reason: 'The customer blocked the bot on Telegram; you can write again when they unblock it.',
    });
    expect(await sender.send(request({ type: 'text', body: 'hello?' }, { to: '4444' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'telegram_400',
      reason: 'Telegram refused it: Bad Request: chat not found.',
    });
  });

  it('never shows the token: a refused token, a dead address, a timeout', async () => {
    const wrong = createTelegramSender({
      settings: () => ({ ...live(), botToken: '7312345678:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      pacing: noPacing,
    });
    expect(await wrong.send(request({ type: 'text', body: 'a' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'bad_token',
      reason:
        'Telegram refused the bot token (revoked or mistyped) (Unauthorized); save a new one on the Channels page.',
    });
    const deadUrl = await closedPort();
    const dead = createTelegramSender({
      settings: () => ({ ...live(), apiUrl: deadUrl }),
      pacing: noPacing,
    });
    const unreachable = await dead.send(request({ type: 'text', body: 'a' }));
    expect(unreachable).toEqual({
      ok: false,
      retryable: true,
      code: 'network_error',
      reason: 'Could not reach Telegram (ECONNREFUSED); will retry.',
    });
    const slow = createTelegramSender({ settings: live, pacing: noPacing, timeoutMs: 200 });
    fake.acceptAndHang();
    expect(await slow.send(request({ type: 'text', body: 'are you there?' }))).toEqual({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'timeout',
      reason:
        'Telegram did not answer within 200 ms; it may have been delivered (bots get no receipts), so it is not sent again.',
    });
  });

  it('paces itself: one message a second per chat, other chats in between', async () => {
    const sender = createTelegramSender({ settings: live });
    fake.addChat(5555);
    fake.addChat(6666);
    const from = fake.requests.length;
    await Promise.all([
      sender.send(request({ type: 'text', body: 'one' }, { to: '5555' })),
      sender.send(request({ type: 'text', body: 'two' }, { to: '5555' })),
      sender.send(request({ type: 'text', body: 'other chat' }, { to: '6666' })),
    ]);
    const sent = fake.requests.slice(from);
    expect(sent.map((r) => r.params['text'])).toEqual(['one', 'other chat', 'two']);
    const [one, other, two] = sent.map((r) => r.at) as [number, number, number];
    // Measured at the fake, so with the connections' jitter (the exact slots: the next test).
    // The other chat goes in between, about 34 ms later, not a second; the same chat's second
    // message a second after its first.
    expect(other - one).toBeLessThan(500);
    expect(two - one).toBeGreaterThanOrEqual(950);
  });

  it('hands a long wait back to the queue instead of sleeping through it', async () => {
    let clock = 0;
    const pacer = createPacer({
      now: () => clock,
      sleep: () => Promise.resolve(),
      maxWaitMs: 5000,
    });
    expect(await pacer.take('1')).toEqual({ waited: 0 });
    expect(await pacer.take('1')).toEqual({ waited: 1000 });
    // Another chat goes at once, but not within 34 ms of the bot's last send.
    expect(await pacer.take('2')).toEqual({ waited: 34 });
    clock = 40;
    expect(await pacer.take('3')).toEqual({ waited: 28 });
    clock = 120;
    expect(await pacer.take('4')).toEqual({ waited: 0 });
    // Chat 1's next slots: 2 s, 3 s, 4 s, 5 s from 0; the one after is over 5 s away.
    for (let i = 0; i < 4; i += 1) await pacer.take('1');
    expect(await pacer.take('1')).toEqual({ later: 5880 });
  });
});

describe('Telegram files and webhook registration', () => {
  let fake: FakeTelegramApi;
  const media = () =>
    telegramConnector.createMedia?.({ settings: () => telegramSettings(fake.url) });
  const signal = () => AbortSignal.timeout(5000);

  beforeAll(async () => {
    fake = await startFakeTelegramApi({ botToken: TELEGRAM.botToken });
  });
  afterAll(() => fake.close());

  it('downloads through getFile with the name and type from the message', async () => {
    const pdf = Buffer.from('%PDF-1.4 invoice');
    fake.addFile('doc-9', pdf, { filePath: 'documents/file_9' });
    const file = await media()?.download(
      { mediaId: 'doc-9', mimeType: 'application/pdf', filename: 'invoice 9.pdf' },
      TELEGRAM.botId,
      signal(),
    );
    expect(file).toEqual({ bytes: pdf, mimeType: 'application/pdf', filename: 'invoice 9.pdf' });
    expect(fake.requests.slice(-2).map((r) => [r.method, r.path, r.params])).toEqual([
      ['getFile', '/bot<token>/getFile', { file_id: 'doc-9' }],
      ['download', '/file/bot<token>/documents/file_9', {}],
    ]);
    // A photo: its type from the path's extension.
    fake.addFile('photo-9', Buffer.from('ffd8ffe0', 'hex'), { filePath: 'photos/file_10.jpg' });
    expect(
      (await media()?.download({ mediaId: 'photo-9' }, TELEGRAM.botId, signal()))?.mimeType,
    ).toBe('image/jpeg');
  });

  it('refuses a file over the limit from getFile’s size, or while reading it', async () => {
    fake.addFile('big-1', Buffer.alloc(64), { filePath: 'documents/big_1' });
    const before = fake.requests.length;
    const refused = await media()
      ?.download({ mediaId: 'big-1' }, TELEGRAM.botId, signal(), { maxBytes: 32 })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChannelMediaError);
    expect([
      (refused as ChannelMediaError).code,
      (refused as ChannelMediaError).retryable,
      (refused as Error).message,
    ]).toEqual([
      'too_large',
      false,
      'The file is 64 B, over the 32 B a Telegram bot may download; it was not downloaded.',
    ]);
    expect(fake.requests.slice(before).map((r) => r.method)).toEqual(['getFile']);
    // getFile without a size: stopped by the download's own length.
    fake.addFile('big-2', Buffer.alloc(64), { filePath: 'documents/big_2', declaredSize: null });
    const read = await media()
      ?.download({ mediaId: 'big-2' }, TELEGRAM.botId, signal(), { maxBytes: 32 })
      .catch((e: unknown) => e);
    expect([(read as ChannelMediaError).code, (read as Error).message]).toEqual([
      'too_large',
      'The file is 64 B, over the 32 B a Telegram bot may download; it was not downloaded.',
    ]);
    // Telegram's own 20 MB refusal.
    fake.addFile('huge', Buffer.alloc(20 * 1024 * 1024 + 1), {
      filePath: 'videos/huge.mp4',
      declaredSize: null,
    });
    const huge = await media()
      ?.download({ mediaId: 'huge' }, TELEGRAM.botId, signal())
      .catch((e: unknown) => e);
    expect([(huge as ChannelMediaError).code, (huge as ChannelMediaError).retryable]).toEqual([
      'too_large',
      false,
    ]);
  });

  it('names an unknown file without the token in the message', async () => {
    const error = (await media()
      ?.download({ mediaId: 'nope' }, TELEGRAM.botId, signal())
      .catch((e: unknown) => e)) as ChannelMediaError;
    expect([error.code, error.retryable, error.message]).toEqual([
      'http_400',
      false,
      'Telegram refused the file: Bad Request: invalid file_id.',
    ]);
    const deadUrl = await closedPort();
    const dead = telegramConnector.createMedia?.({
      settings: () => telegramSettings(deadUrl),
    });
    const unreachable = (await dead
      ?.download({ mediaId: 'x' }, TELEGRAM.botId, signal())
      .catch((e: unknown) => e)) as ChannelMediaError;
    expect([
      unreachable.code,
      unreachable.retryable,
      unreachable.message.includes(TELEGRAM.botToken),
    ]).toEqual(['network_error', true, false]);
    expect(media()?.inline).toBe(true);
  });

  it('registers the webhook with the secret and the updates it maps', async () => {
    fake.pendingUpdates = 3;
    const result = await telegramConnector.registerWebhook?.(
      'https://hub.example/webhooks/telegram',
      telegramSettings(fake.url),
      {},
    );
    expect(result).toEqual({
      ok: true,
      detail: 'Telegram delivers to https://hub.example/webhooks/telegram; 3 updates pending.',
    });
    expect(fake.webhook).toEqual({
      url: 'https://hub.example/webhooks/telegram',
      secretToken: TELEGRAM.webhookSecret,
      allowedUpdates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
    });
    const refused = await telegramConnector.registerWebhook?.(
      'http://hub.example/webhooks/telegram',
      telegramSettings(fake.url),
      {},
    );
    const text =
      'Telegram refused the webhook: Bad Request: bad webhook: An HTTPS URL must be provided for webhook.';
    expect(refused).toEqual({ ok: false, reason: text, message: text });
  });
});

describe('Telegram demo deliveries', () => {
  it("go through the connector's own verify and parse", () => {
    const event = {
      kind: 'message' as const,
      channel: 'telegram' as const,
      channelAccountId: 'demo-telegram',
      externalId: 'demo.1.2.3',
      customer: { externalId: '512345678', name: 'Mia Kovač', phone: null, language: 'de' },
      sentAt: D * 1000 + 400,
      content: { type: 'text' as const, body: 'Wo ist mein Paket?' },
    };
    const demo = telegramConnector.demoDelivery?.(event);
    if (!demo) throw new Error('no demo delivery');
    const verdict = telegramConnector.verify(
      { raw: demo.raw, headers: demo.headers, url: new URL('http://demo.invalid/') },
      demo.settings,
    );
    expect(verdict).toEqual({ ok: true });
    const parsed = telegramConnector.parse(JSON.parse(demo.raw.toString('utf8')), demo.settings);
    expect(parsed.problems).toEqual([]);
    expect(parsed.events).toMatchObject([
      {
        kind: 'message',
        channelAccountId: 'demo-telegram',
        customer: { externalId: '512345678', name: 'Mia Kovač', language: 'de' },
        sentAt: D * 1000,
        content: { type: 'text', body: 'Wo ist mein Paket?' },
      },
    ]);
    expect(
      telegramConnector.demoDelivery?.({
        ...event,
        content: { type: 'location', latitude: 1, longitude: 2 },
      }),
    ).toBe(null);
  });
});

describe('the demo world on Telegram', () => {
  it('maps every demo text message through the connector to the same message, in Telegram’s ids and seconds', () => {
    const world = createDemoWorld({ seed: 7, now: Date.parse('2026-12-01T12:00:00Z') });
    const texts = world.backfill.filter(
      (e): e is InboundMessage =>
        e.kind === 'message' && e.channel === 'telegram' && e.content.type === 'text',
    );
    // Text messages of Telegram customers in the seed-7 demo history.
    expect(texts.length).toBe(405);
    const ids = new Set<string>();
    for (const event of texts) {
      const mapped = throughConnector(CONNECTORS, event);
      expect(mapped).toEqual([
        {
          ...event,
          externalId: expect.stringMatching(new RegExp(`^${event.customer.externalId}:\\d+$`)),
          sentAt: Math.floor(event.sentAt / 1000) * 1000,
        },
      ]);
      ids.add((mapped[0] as InboundMessage).externalId);
    }
    expect(ids.size).toBe(texts.length);
  });
});
