import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelMediaError, type OutboundRequest } from '../../src/server/channels/types';
import { viberConnector } from '../../src/server/channels/viber';
import { quoteLongIntegers } from '../../src/server/channels/viber/exact-json';
import { signViberBody } from '../../src/server/channels/viber/signature';
import { throughConnector } from '../../src/server/demo/through-connector';
import { startFakeViberApi, type FakeViberApi } from '../support/fake-viber-api';
import {
  conversationStartedCallback,
  messageCallback,
  signedViber,
  statusCallback,
  subscribedCallback,
  unsubscribedCallback,
  VIBER,
  viberSettings,
  webhookCheckCallback,
} from '../support/viber-webhooks';

/**
 * The Viber connector on its own (CHANNEL-API.md §6): the signature, every callback's mapping
 * with 64-bit tokens kept exact, send_message and its status codes, files and set_webhook, all
 * against the local fake of the REST Bot API.
 */

let fake: FakeViberApi;
let settings: Record<string, string>;
const T = 1_764_763_200_000;
const USER = { id: '01234567890A=', name: 'John McClane', country: 'UK', language: 'en' };
const JOHN = {
  externalId: '01234567890A=',
  name: 'John McClane',
  phone: null,
  country: 'GB',
  language: 'en',
};
const ACCOUNT = { channel: 'viber', channelAccountId: VIBER.accountId } as const;

beforeAll(async () => {
  fake = await startFakeViberApi({ authToken: VIBER.authToken });
  settings = viberSettings(fake.url);
});
afterAll(async () => {
  await fake.close();
});

/** What the HTTP layer does with a delivery: verify on the bytes, then parse the JSON. */
function deliver(raw: string, token = VIBER.authToken) {
  const signed = signedViber(raw, token);
  const verdict = viberConnector.verify(
    { headers: signed.headers, raw: Buffer.from(signed.body), url: new URL('http://hub/') },
    settings,
  );
  if (!verdict.ok) return verdict;
  return viberConnector.parse(JSON.parse(raw), settings);
}

describe('Viber signature', () => {
  it('matches the computed vector of CHANNEL-API.md §6.1', () => {
    const body = '{"event":"webhook","timestamp":1457764197627,"message_token":241256543215}';
    expect(signViberBody(body, 'auth_token_test')).toBe(
      'a1770022888fc555684f343b221ba4299fb3dedb89e05f499ba62393d3ee88c5',
    );
    const verdict = viberConnector.verify(
      {
        headers: {
          'x-viber-content-signature':
            'a1770022888fc555684f343b221ba4299fb3dedb89e05f499ba62393d3ee88c5',
        },
        raw: Buffer.from(body),
        url: new URL('http://hub/'),
      },
      { authToken: 'auth_token_test' },
    );
    expect(verdict).toEqual({ ok: true });
  });

  it('refuses missing, wrong, short and foreign signatures', () => {
    const raw = Buffer.from(webhookCheckCallback('5098034272017990001', T));
    const check = (header: string | undefined, authToken = VIBER.authToken) =>
      viberConnector.verify(
        {
          headers: header === undefined ? {} : { 'x-viber-content-signature': header },
          raw,
          url: new URL('http://hub/'),
        },
        { ...settings, authToken },
      );
    const good = signViberBody(raw, VIBER.authToken);
    expect(check(good)).toEqual({ ok: true });
    expect(check(good.toUpperCase())).toEqual({ ok: true });
    expect(check(undefined)).toEqual({
      ok: false,
      reason: 'A delivery without X-Viber-Content-Signature was refused.',
      message: 'The X-Viber-Content-Signature header is missing.',
    });
    const wrong = {
      ok: false,
      reason:
        'A delivery with a wrong X-Viber-Content-Signature was refused (forged, or signed with another bot’s auth token).',
      message: 'The X-Viber-Content-Signature does not match the body.',
    };
    expect(check(signViberBody(raw, 'another-bot-token'))).toEqual(wrong);
    expect(check(good.slice(0, 62))).toEqual(wrong);
    expect(check(`sha256=${good}`)).toEqual(wrong);
    expect(check('')).toEqual(wrong);
    expect(check(good, '')).toEqual(wrong);
  });
});

describe('Viber callbacks', () => {
  it('answers the set_webhook check (signed) with no events', () => {
    expect(deliver(webhookCheckCallback('5098034272017990001', T))).toEqual({
      events: [],
      problems: [],
      lost: [],
    });
    expect(deliver(webhookCheckCallback('5098034272017990001', T), 'forged')).toMatchObject({
      ok: false,
    });
  });

  it('maps a text message with its 64-bit token exact and the sender as the customer', () => {
    expect(
      deliver(
        messageCallback('4912661846655238145', T, USER, {
          type: 'text',
          text: 'a message',
          tracking_data: 'tracking data',
        }),
      ),
    ).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: '4912661846655238145',
          customer: JOHN,
          sentAt: T,
          content: { type: 'text', body: 'a message' },
        },
      ],
      problems: [],
      lost: [],
    });
    // Its neighbour, the same double, stays a different message.
    const next = deliver(
      messageCallback('4912661846655238146', T, USER, { type: 'text', text: 'b' }),
    );
    expect('events' in next && next.events[0]?.externalId).toBe('4912661846655238146');
  });

  it('maps every message type to our content', () => {
    const cdn =
      'https://dl-media.viber.com/1/share/2/long/vibes/icon/image/0x0/95e0/5688fdffdaa81ab3.jpg';
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { type: 'picture', media: cdn, text: 'Broken box', file_name: 'box.jpg', thumbnail: cdn },
        {
          type: 'image',
          media: {
            mediaId: '5000000000000000001',
            url: cdn,
            caption: 'Broken box',
            filename: 'box.jpg',
          },
        },
      ],
      [
        { type: 'picture', media: cdn, text: '' },
        { type: 'image', media: { mediaId: '5000000000000000002', url: cdn } },
      ],
      [
        { type: 'video', media: 'https://dl-media.viber.com/v.mp4', size: 10240, duration: 12 },
        {
          type: 'video',
          media: { mediaId: '5000000000000000003', url: 'https://dl-media.viber.com/v.mp4' },
        },
      ],
      [
        {
          type: 'file',
          media: 'https://dl-media.viber.com/f',
          size: 2048,
          file_name: 'invoice.pdf',
        },
        {
          type: 'document',
          media: {
            mediaId: '5000000000000000004',
            url: 'https://dl-media.viber.com/f',
            filename: 'invoice.pdf',
          },
        },
      ],
      [
        { type: 'sticker', sticker_id: 46105, media: 'https://viber.com/sticker/46105.png' },
        {
          type: 'sticker',
          media: { mediaId: '46105', url: 'https://viber.com/sticker/46105.png' },
        },
      ],
      [
        { type: 'contact', contact: { name: 'Itamar', phone_number: '+972511123123' } },
        {
          type: 'contacts',
          contacts: [{ name: 'Itamar', phones: ['+972511123123'], emails: [] }],
        },
      ],
      [
        { type: 'url', media: 'http://www.example.com/track/1' },
        { type: 'share', url: 'http://www.example.com/track/1', originalType: 'url' },
      ],
      [
        { type: 'location', location: { lat: 50.76891, lon: 6.11499 } },
        { type: 'location', latitude: 50.76891, longitude: 6.11499 },
      ],
      [
        { type: 'rich_media', rich_media: {} },
        { type: 'unsupported', originalType: 'rich_media' },
      ],
    ];
    const got = cases.map(([message], i) => {
      const parsed = deliver(messageCallback(`500000000000000000${i + 1}`, T + i, USER, message));
      return 'events' in parsed && parsed.events[0]?.kind === 'message'
        ? parsed.events[0].content
        : parsed;
    });
    expect(got).toEqual(cases.map(([, content]) => content));
  });

  it('keeps a message it cannot read as lost (a dead letter), not stored', () => {
    expect(
      deliver(messageCallback('5000000000000000100', T, USER, { type: 'location', location: {} })),
    ).toEqual({
      events: [],
      problems: [],
      lost: [
        'message 5000000000000000100: message: location.lat: Invalid input: expected number, received undefined; location.lon: Invalid input: expected number, received undefined',
      ],
    });
  });

  it('maps delivered, seen and failed to the status of our message with that token', () => {
    const token = '5098034272017990001';
    const status = (event: 'delivered' | 'seen' | 'failed', desc?: string) =>
      deliver(statusCallback(event, token, T + 5, USER.id, desc));
    const base = {
      ...ACCOUNT,
      kind: 'status',
      externalId: token,
      at: T + 5,
      recipientId: USER.id,
    };
    expect(status('delivered')).toEqual({
      events: [{ ...base, status: 'delivered' }],
      problems: [],
      lost: [],
    });
    expect(status('seen')).toEqual({
      events: [{ ...base, status: 'read' }],
      problems: [],
      lost: [],
    });
    expect(status('failed', 'Receiver is not subscribed')).toEqual({
      events: [
        {
          ...base,
          status: 'failed',
          error: { code: 'viber_failed', title: 'Receiver is not subscribed' },
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps subscribed and unsubscribed to unblocked and blocked', () => {
    expect(deliver(subscribedCallback('4912661846655238147', T, USER))).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'block',
          externalId: 'subscribed:4912661846655238147',
          customer: JOHN,
          blocked: false,
          at: T,
        },
      ],
      problems: [],
      lost: [],
    });
    expect(deliver(unsubscribedCallback('4912661846655238148', T + 1, USER.id))).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'block',
          externalId: 'unsubscribed:4912661846655238148',
          customer: { externalId: USER.id, name: null, phone: null },
          blocked: true,
          at: T + 1,
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('stores nothing for conversation_started without a welcome message', () => {
    expect(
      deliver(conversationStartedCallback('4912661846655238149', T, USER, 'order-1234')),
    ).toEqual({
      events: [],
      problems: [
        'conversation_started: 01234567890A= opened the chat (context "order-1234"); nothing stored.',
      ],
      lost: [],
    });
  });

  it('keeps the welcome message as the business’s, and answers it for a user not subscribed', async () => {
    const welcoming = { ...settings, welcomeMessage: 'Hi! Ask us anything about your order.' };
    const raw = conversationStartedCallback('4912661846655238149', T, USER, 'order-1234');
    const parsed = viberConnector.parse(JSON.parse(raw), welcoming);
    expect(parsed).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'echo',
          externalId: `welcome:01234567890A=:${T}`,
          customer: JOHN,
          sentAt: T,
          content: { type: 'text', body: 'Hi! Ask us anything about your order.' },
        },
      ],
      problems: [],
      lost: [],
    });
    const answer = await viberConnector.answer?.(JSON.parse(raw), parsed, welcoming, {
      now: () => T,
    });
    expect(answer).toEqual({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        min_api_version: 1,
        sender: { name: VIBER.senderName },
        tracking_data: 'welcome',
        type: 'text',
        text: 'Hi! Ask us anything about your order.',
      }),
    });
    // A subscriber reopening the chat is not welcomed again.
    const again = conversationStartedCallback('4912661846655238150', T, USER, '', true);
    const reopened = viberConnector.parse(JSON.parse(again), welcoming);
    expect(reopened.events).toEqual([]);
    expect(
      await viberConnector.answer?.(JSON.parse(again), reopened, welcoming, { now: () => T }),
    ).toBe(null);
  });

  it('refuses a body that is not a Viber callback', () => {
    expect(() => viberConnector.parse({ object: 'page', entry: [] }, settings)).toThrow(
      'Not a Viber callback: event: Invalid input: expected string, received undefined',
    );
    expect(() => viberConnector.parse([1, 2], settings)).toThrow('Not a Viber callback');
  });

  it('says so when a rounded token reaches parse without its exact digits', () => {
    const parsed = viberConnector.parse(
      JSON.parse(statusCallback('seen', '4912661846655238145', T, USER.id)),
      settings,
    );
    expect([parsed.events[0]?.externalId, parsed.problems]).toEqual([
      '4912661846655238144',
      [
        'message_token: 4912661846655238144 is above 2^53 and its exact digits were not available; used as rounded.',
      ],
    ]);
  });

  it('quotes only long integers outside strings', () => {
    expect(
      quoteLongIntegers(
        '{"a":4912661846655238145,"b":"\\"message_token\\":4912661846655238145","c":-12,"d":1.5e300,"e":[123456789012345,1234567890123456]}',
      ),
    ).toBe(
      '{"a":"4912661846655238145","b":"\\"message_token\\":4912661846655238145","c":-12,"d":1.5e300,"e":[123456789012345,"1234567890123456"]}',
    );
  });

  it('files conversations under the token’s hash when no account name is set', () => {
    const parsed = viberConnector.parse(
      JSON.parse(messageCallback('17', T, USER, { type: 'text', text: 'x' })),
      { authToken: VIBER.authToken },
    );
    expect(parsed.events[0]?.channelAccountId).toBe('bot-6cbef8d1c73b2e94');
  });
});

describe('Viber send_message', () => {
  const sender = () => viberConnector.createSender({ settings: () => settings, timeoutMs: 500 });
  const request = (content: OutboundRequest['content'], messageId = 'msg_1'): OutboundRequest => ({
    messageId,
    channel: 'viber',
    channelAccountId: VIBER.accountId,
    to: USER.id,
    content,
  });

  it('sends text with our message id as tracking_data; the 64-bit token comes back exact', async () => {
    const result = await sender().send(request({ type: 'text', body: 'Your parcel ships today.' }));
    expect(result).toEqual({ ok: true, externalId: fake.sentTokens.at(-1) });
    expect(fake.sentTokens.at(-1)).toBe('5098034272017990001');
    const call = fake.requests.at(-1);
    expect([call?.path, call?.headers['x-viber-auth-token'], call?.body]).toEqual([
      '/pa/send_message',
      VIBER.authToken,
      {
        receiver: USER.id,
        min_api_version: 1,
        sender: { name: VIBER.senderName },
        tracking_data: 'msg_1',
        type: 'text',
        text: 'Your parcel ships today.',
      },
    ]);
  });

  it('publishes a picture and a file at the hub and sends them by URL', async () => {
    const published: string[] = [];
    const media = viberConnector.createMedia?.({
      settings: () => settings,
      publishFile: (file) => {
        published.push(`${file.filename} ${file.mimeType} ${file.bytes.length}`);
        return Promise.resolve(`https://hub.example/public/${published.length}/${file.filename}`);
      },
    });
    if (!media) throw new Error('no media part');
    const signal = AbortSignal.timeout(1000);
    const jpeg = await media.upload(
      { bytes: Buffer.alloc(2000, 1), mimeType: 'image/jpeg', filename: 'box.jpg' },
      VIBER.accountId,
      signal,
    );
    const pdf = await media.upload(
      { bytes: Buffer.alloc(3000, 2), mimeType: 'application/pdf', filename: 'label.pdf' },
      VIBER.accountId,
      signal,
    );
    expect([jpeg, pdf, published]).toEqual([
      { channelMediaId: '2000|https://hub.example/public/1/box.jpg' },
      { channelMediaId: '3000|https://hub.example/public/2/label.pdf' },
      ['box.jpg image/jpeg 2000', 'label.pdf application/pdf 3000'],
    ]);
    await sender().send(
      request({
        type: 'image',
        media: { mediaId: jpeg.channelMediaId, mimeType: 'image/jpeg', caption: 'Here it is' },
      }),
    );
    expect(fake.requests.at(-1)?.body).toMatchObject({
      type: 'picture',
      media: 'https://hub.example/public/1/box.jpg',
      text: 'Here it is',
    });
    const sent = await sender().send(
      request({
        type: 'document',
        media: { mediaId: pdf.channelMediaId, mimeType: 'application/pdf', filename: 'label.pdf' },
      }),
    );
    expect(sent).toEqual({ ok: true, externalId: fake.sentTokens.at(-1) });
    expect(fake.requests.at(-1)?.body).toMatchObject({
      type: 'file',
      media: 'https://hub.example/public/2/label.pdf',
      size: 3000,
      file_name: 'label.pdf',
    });
  });

  it('refuses files over Viber’s limits or of other types before publishing them', async () => {
    let published = 0;
    const media = viberConnector.createMedia?.({
      settings: () => settings,
      publishFile: () => {
        published += 1;
        return Promise.resolve('https://hub.example/x');
      },
    });
    if (!media) throw new Error('no media part');
    const upload = (size: number, mimeType: string) =>
      media
        .upload(
          { bytes: Buffer.alloc(size), mimeType, filename: 'f' },
          VIBER.accountId,
          AbortSignal.timeout(1000),
        )
        .then(
          () => 'uploaded',
          (error: ChannelMediaError) => [error.code, error.retryable, error.message],
        );
    expect(await upload(1.5 * 1024 * 1024, 'image/png')).toEqual([
      'too_large',
      false,
      'Viber takes pictures up to 1 MB; this one is 1.5 MB.',
    ]);
    expect(await upload(10, 'image/webp')).toEqual([
      'unsupported_type',
      false,
      'Viber sends pictures only as JPEG, PNG or GIF; this one is image/webp.',
    ]);
    expect(await upload(27 * 1024 * 1024, 'video/mp4')).toEqual([
      'too_large',
      false,
      'Viber takes videos up to 26 MB; this one is 27 MB.',
    ]);
    expect(await upload(51 * 1024 * 1024, 'application/zip')).toEqual([
      'too_large',
      false,
      'Viber takes files up to 50 MB; this one is 51 MB.',
    ]);
    expect(published).toBe(0);
  });

  it('lets publishFile’s no_public_url through', async () => {
    const media = viberConnector.createMedia?.({
      settings: () => settings,
      publishFile: () =>
        Promise.reject(new ChannelMediaError('The hub has no public URL.', false, 'no_public_url')),
    });
    const error = await media
      ?.upload(
        { bytes: Buffer.alloc(10), mimeType: 'image/jpeg', filename: 'a.jpg' },
        VIBER.accountId,
        AbortSignal.timeout(1000),
      )
      .catch((e: ChannelMediaError) => e);
    expect([error instanceof ChannelMediaError, (error as ChannelMediaError).code]).toEqual([
      true,
      'no_public_url',
    ]);
  });

  it('maps Viber’s status codes and HTTP failures', async () => {
    const text = request({ type: 'text', body: 'Hello' });
    const cases: [Parameters<FakeViberApi['failNext']>[1], unknown][] = [
      [
        { status: 6, statusMessage: 'notSubscribed' },
        {
          ok: false,
          retryable: false,
          code: 'blocked',
          reason:
            'The customer is not subscribed to the bot (unsubscribed or never subscribed); you can write again when they message you.',
        },
      ],
      [
        { status: 12, statusMessage: 'Too many requests' },
        {
          ok: false,
          retryable: true,
          code: 'viber_12',
          reason:
            'Viber rate limit: at most 100 messages to one customer per hour without a reply (Too many requests); will retry.',
          retryAfterMs: 60_000,
        },
      ],
      [
        { status: 23, statusMessage: 'freeMessagesExceeded' },
        {
          ok: false,
          retryable: false,
          code: 'viber_23',
          reason:
            'Viber refused it: the bot’s free messages are used up (freeMessagesExceeded). Check the bot’s billing with Viber or your partner.',
        },
      ],
      [
        { status: 24, statusMessage: 'noBalance' },
        {
          ok: false,
          retryable: false,
          code: 'viber_24',
          reason:
            'Viber refused it: the bot’s account has no balance left (noBalance). Top it up with Viber or your partner.',
        },
      ],
      [
        { status: 2, statusMessage: 'invalidAuthToken' },
        {
          ok: false,
          retryable: false,
          code: 'viber_2',
          reason:
            'Viber refused the auth token (invalidAuthToken): check the auth token on the Channels page.',
        },
      ],
      [
        { status: 7, statusMessage: 'publicAccountBlocked' },
        {
          ok: false,
          retryable: false,
          code: 'viber_7',
          reason: 'Viber refused it: publicAccountBlocked (status 7).',
        },
      ],
      [
        { http: 502 },
        {
          ok: false,
          retryable: true,
          code: 'http_502',
          reason: 'the Viber API is temporarily unavailable (HTTP 502); will retry.',
        },
      ],
      [
        { hang: true },
        {
          ok: false,
          retryable: false,
          uncertain: true,
          code: 'timeout',
          reason:
            'The Viber API did not answer within 500 ms; waiting for Viber to confirm whether it was sent.',
        },
      ],
    ];
    const got = [];
    for (const [failure] of cases) {
      fake.failNext('send_message', failure);
      got.push(await sender().send(text));
    }
    expect(got).toEqual(cases.map(([, result]) => result));
  });

  it('refuses what Viber would not take, without calling it', async () => {
    const before = fake.requests.length;
    const results = await Promise.all([
      sender().send(request({ type: 'text', body: 'x'.repeat(7001) })),
      sender().send(
        request({
          type: 'image',
          media: { mediaId: '10|https://hub.example/a.jpg', caption: 'c'.repeat(513) },
        }),
      ),
      sender().send(request({ type: 'document', media: { mediaId: 'https://hub.example/a.pdf' } })),
      sender().send(request({ type: 'location', latitude: 1, longitude: 2 })),
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : [r.code, r.retryable]))).toEqual([
      ['text_too_long', false],
      ['caption_too_long', false],
      ['media_size_unknown', false],
      ['unsupported_outbound', false],
    ]);
    expect(fake.requests.length).toBe(before);
  });
});

describe('Viber files and webhook registration', () => {
  const media = () => {
    const part = viberConnector.createMedia?.({ settings: () => settings });
    if (!part) throw new Error('no media part');
    return part;
  };
  const download = (url: string, maxBytes?: number) =>
    media()
      .download(
        { mediaId: '1', url, filename: 'box.jpg' },
        VIBER.accountId,
        AbortSignal.timeout(1000),
        maxBytes === undefined ? {} : { maxBytes },
      )
      .then(
        (file) => [file.mimeType, file.filename, file.bytes.toString('hex')],
        (error: ChannelMediaError) => [error.code, error.retryable, error.message],
      );

  it('downloads from the CDN without auth, stops past maxBytes, and says why it cannot', async () => {
    const url = fake.serveFile('box.jpg', Buffer.from('ffd8ffd9', 'hex'), 'image/jpeg');
    expect(await download(url)).toEqual(['image/jpeg', 'box.jpg', 'ffd8ffd9']);
    expect(fake.requests.at(-1)?.headers['x-viber-auth-token']).toBe(undefined);
    expect(await download(url, 3)).toEqual([
      'too_large',
      false,
      'The file is 4 B, over the 3 B allowed for its kind; it was not downloaded.',
    ]);
    expect(await download(`${fake.url}/cdn/gone.jpg`)).toEqual([
      'http_404',
      false,
      'Viber no longer has this file: its link expired (HTTP 404).',
    ]);
    expect(await download(`${fake.url}/cdn/http-403`)).toEqual([
      'http_403',
      false,
      'Viber no longer has this file: its link expired (HTTP 403).',
    ]);
    expect(await download(`${fake.url}/cdn/http-503`)).toEqual([
      'http_503',
      true,
      'Viber could not hand over the file now (HTTP 503); will retry.',
    ]);
  });

  it('registers the webhook with set_webhook, and says why when Viber refuses', async () => {
    const register = viberConnector.registerWebhook;
    if (!register) throw new Error('no registerWebhook');
    expect(await register('https://hub.example/webhooks/viber', settings, {})).toEqual({
      ok: true,
      detail:
        'Viber delivers to https://hub.example/webhooks/viber: delivered, seen, failed, subscribed, unsubscribed, conversation_started.',
    });
    expect(fake.requests.at(-1)?.body).toEqual({
      url: 'https://hub.example/webhooks/viber',
      event_types: [
        'delivered',
        'seen',
        'failed',
        'subscribed',
        'unsubscribed',
        'conversation_started',
      ],
      send_name: true,
      send_photo: true,
    });
    expect(await register('http://hub.example/webhooks/viber', settings, {})).toEqual({
      ok: false,
      reason:
        'Viber refused the webhook: Result[HttpRequest[POST / HTTP/1.1]@1 > HttpResponse[null 0 null]@2] invalidUrl (status 1).',
      message:
        'Viber refused the webhook: Result[HttpRequest[POST / HTTP/1.1]@1 > HttpResponse[null 0 null]@2] invalidUrl (status 1).',
    });
    expect(
      await register('https://hub.example/webhooks/viber', { ...settings, authToken: 'x' }, {}),
    ).toEqual({
      ok: false,
      reason: 'Viber refused the webhook: invalidAuthToken (status 2).',
      message: 'Viber refused the webhook: invalidAuthToken (status 2).',
    });
  });

  it('tests the connection with get_account_info, naming the bot, and says why when refused', async () => {
    const test = viberConnector.testConnection;
    if (!test) throw new Error('no testConnection');
    expect(await test(settings, {})).toEqual({
      ok: true,
      detail:
        'Connected to Replydesk Shop (replydeskshop) · 3 subscribers · delivers to https://hub.example/webhooks/viber.',
    });
    expect(fake.requests.at(-1)?.path).toBe('/pa/get_account_info');
    expect(await test({ ...settings, authToken: 'x' }, {})).toEqual({
      ok: false,
      reason: 'Viber refused the auth token: invalidAuthToken (status 2).',
      message: 'Viber refused the auth token: invalidAuthToken (status 2).',
    });
    expect(
      await test({ ...settings, apiUrl: 'http://127.0.0.1:9' }, { timeoutMs: 2000 }),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Could not reach the Viber API \(/),
    });
  });

  it('delivers the demo’s message as a signed callback its own verify and parse accept', () => {
    const delivery = viberConnector.demoDelivery?.({
      kind: 'message',
      channel: 'viber',
      channelAccountId: 'demo-viber',
      externalId: 'demo.1.2.3',
      customer: { externalId: 'demo-viber-cust=', name: 'Ana', phone: null, country: 'PT' },
      sentAt: T,
      content: { type: 'text', body: 'Olá' },
    });
    if (!delivery) throw new Error('no demo delivery');
    expect(
      viberConnector.verify(
        { headers: delivery.headers, raw: delivery.raw, url: new URL('http://demo/') },
        delivery.settings,
      ),
    ).toEqual({ ok: true });
    const token = /"message_token":(\d+)/.exec(delivery.raw.toString())?.[1];
    const parsed = viberConnector.parse(JSON.parse(delivery.raw.toString()), delivery.settings);
    expect(parsed).toEqual({
      events: [
        {
          kind: 'message',
          channel: 'viber',
          channelAccountId: 'demo-viber',
          externalId: token,
          customer: {
            externalId: 'demo-viber-cust=',
            name: 'Ana',
            phone: null,
            country: 'PT',
            language: null,
          },
          sentAt: T,
          content: { type: 'text', body: 'Olá' },
        },
      ],
      problems: [],
      lost: [],
    });
    expect(BigInt(token ?? '0') > 2n ** 53n).toBe(true);
  });

  it('passes a demo message with a 64-bit id through verify and parse unchanged', () => {
    const event = {
      kind: 'message',
      channel: 'viber',
      channelAccountId: 'demo-viber',
      externalId: '5733216453617203457',
      customer: { externalId: 'demo-viber-2=', name: 'Ana', phone: null, country: 'PT' },
      sentAt: T,
      content: { type: 'text', body: 'Olá' },
    } as const;
    expect(throughConnector([viberConnector], event)).toEqual([event]);
  });
});
