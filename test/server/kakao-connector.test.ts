import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/shared/domain/channels';
import { orderSchema, type Order } from '../../src/shared/domain/model';
import { computeReplyWindow } from '../../src/shared/reply-window';
import { WebhookPayloadError, type WebhookTools } from '../../src/server/channels/connector';
import { kakaoConnector } from '../../src/server/channels/kakao';
import { happyTalkDealer } from '../../src/server/channels/kakao/happytalk';
import { ChannelMediaError, type OutboundRequest } from '../../src/server/channels/types';
import { throughConnector } from '../../src/server/demo/through-connector';
import { startFakeKakaoDealer, type FakeKakaoDealer } from '../support/fake-kakao-dealer';
import {
  dealerDelivery,
  dealerMessage,
  KAKAO,
  kakaoSettings,
  sessionEvent,
  skillDelivery,
  skillPayload,
  type SignedKakao,
} from '../support/kakao-webhooks';

/**
 * The KakaoTalk connector on its own (CHANNEL-API.md §8; docs/channels/kakao.md): the shared
 * secrets of both routes, every dealer webhook shape and the skill's payload mapped to events,
 * the skill's SkillResponse, and the HappyTalk adapter against the local fake dealer, limits
 * refused before anything is sent.
 */

let dealer: FakeKakaoDealer;
let settings: Record<string, string>;
const T = Date.parse('2026-12-03T01:00:00Z');
const ACCOUNT = { channel: 'kakao', channelAccountId: KAKAO.senderKey } as const;
const MINJI = {
  externalId: 'uk-minji-01',
  name: '김민지',
  phone: null,
  language: 'ko',
  country: 'KR',
};

beforeAll(async () => {
  dealer = await startFakeKakaoDealer({
    clientId: KAKAO.clientId,
    clientSecret: KAKAO.clientSecret,
    senderKey: KAKAO.senderKey,
  });
  settings = kakaoSettings(dealer.url);
});
afterAll(async () => {
  await dealer.close();
});

const verify = (signed: SignedKakao, config = settings) =>
  kakaoConnector.verify(
    {
      headers: signed.headers,
      raw: Buffer.from(signed.body),
      url: new URL('http://hub/webhooks/kakao'),
    },
    config,
  );

function deliver(signed: SignedKakao) {
  const verdict = verify(signed);
  if (!verdict.ok) return verdict;
  return kakaoConnector.parse(JSON.parse(signed.body), settings);
}

const request = (content: OutboundRequest['content'], messageId = 'msg_1'): OutboundRequest => ({
  messageId,
  channel: 'kakao',
  channelAccountId: KAKAO.senderKey,
  to: 'uk-minji-01',
  content,
});

describe('KakaoTalk reply window (rules.ts kakao)', () => {
  it('is open 30 days after the customer’s last message, extended by each, and never before one', () => {
    expect(computeReplyWindow('kakao', { lastInboundAt: null }, T).allowed).toEqual({
      kind: 'none',
      reason:
        'KakaoTalk consultation talk allows no message before the customer opens a session by writing',
    });
    const open = computeReplyWindow('kakao', { lastInboundAt: T - 29 * DAY_MS }, T);
    expect([open.state, open.basis, open.closesAt, open.allowed]).toEqual([
      'open',
      'kakao.consultation_session_30d',
      T + DAY_MS,
      { kind: 'free_form', billable: false },
    ]);
    const expired = computeReplyWindow('kakao', { lastInboundAt: T - 30 * DAY_MS }, T);
    expect([expired.state, expired.basis, expired.allowed]).toEqual([
      'closed',
      'kakao.session_expired',
      {
        kind: 'none',
        reason:
          "The KakaoTalk consultation session expired 30 days after the customer's last message; it opens again when the customer writes",
      },
    ]);
  });
});

describe('KakaoTalk webhook secrets', () => {
  const body = dealerMessage('9001', 'uk-minji-01', T, 'TX', '안녕하세요');

  it('takes a dealer webhook with the dealer secret and a skill call with the skill secret', () => {
    expect(verify(dealerDelivery(body))).toEqual({ ok: true });
    expect(verify(skillDelivery(skillPayload('배송 언제 와요?', 'uk-minji-01')))).toEqual({
      ok: true,
    });
  });

  it('refuses a wrong, missing or different-length secret, and each route’s secret on the other', () => {
    expect(verify(dealerDelivery(body, 'dealer-webhook-secret-7c1e9c'))).toEqual({
      ok: false,
      reason:
        'A dealer webhook with a wrong X-Webhook-Secret was refused (forged, or the secret was changed on one side only).',
      message: 'The X-Webhook-Secret header does not match.',
    });
    expect(verify(dealerDelivery(body, 'short'))).toMatchObject({
      ok: false,
      message: 'The X-Webhook-Secret header does not match.',
    });
    expect(
      verify({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    ).toEqual({
      ok: false,
      reason: 'A dealer webhook without the X-Webhook-Secret header was refused.',
      message: 'The X-Webhook-Secret header is missing.',
    });
    // The dealer's secret does not open the skill's route, nor the skill's the dealer's.
    const skill = skillPayload('상담원 연결', 'uk-minji-01');
    expect(verify({ body: JSON.stringify(skill), headers: dealerDelivery(skill).headers })).toEqual(
      {
        ok: false,
        reason: 'An Open Builder skill call without the X-Skill-Secret header was refused.',
        message: 'The X-Skill-Secret header is missing.',
      },
    );
    expect(
      verify({ body: JSON.stringify(body), headers: skillDelivery(body).headers }),
    ).toMatchObject({
      ok: false,
      message: 'The X-Webhook-Secret header is missing.',
    });
  });

  it('refuses everything on a route whose secret is not configured', () => {
    const { skillSecret: _unused, ...withoutSkill } = settings;
    expect(verify(skillDelivery(skillPayload('hi', 'uk-1')), withoutSkill)).toEqual({
      ok: false,
      reason: 'An Open Builder skill call was refused: no skill secret is configured.',
      message: 'This hub takes no skill calls for KakaoTalk.',
    });
  });
});

describe('KakaoTalk dealer webhook mapping (assumed HappyTalk-style shape)', () => {
  it('maps a text message with the customer’s nickname', () => {
    expect(
      deliver(
        dealerDelivery(
          dealerMessage('9001', 'uk-minji-01', T, 'TX', '주문한 옷 언제 와요?', {
            nickname: '김민지',
          }),
        ),
      ),
    ).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: '9001',
          customer: MINJI,
          sentAt: T,
          content: { type: 'text', body: '주문한 옷 언제 와요?' },
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps images, files, videos, audio and links by their URL, and an unknown type as unsupported', () => {
    const url = 'https://dn.kakao.example/f/abc.jpg';
    const events = (type: string, extra: Record<string, unknown> = {}) =>
      deliver(dealerDelivery(dealerMessage('9002', 'uk-minji-01', T, type, url, extra)));
    const customer = { ...MINJI, name: null };
    const message = (content: unknown) => ({
      events: [{ ...ACCOUNT, kind: 'message', externalId: '9002', customer, sentAt: T, content }],
      problems: [],
      lost: [],
    });
    expect(events('IM')).toEqual(message({ type: 'image', media: { mediaId: '9002', url } }));
    expect(events('FI', { file_name: '영수증.pdf', file_size: 2048 })).toEqual(
      message({ type: 'document', media: { mediaId: '9002', url, filename: '영수증.pdf' } }),
    );
    expect(events('VI')).toEqual(message({ type: 'video', media: { mediaId: '9002', url } }));
    expect(events('AU')).toEqual(message({ type: 'audio', media: { mediaId: '9002', url } }));
    expect(events('LI')).toEqual(message({ type: 'share', url, originalType: 'LI' }));
    expect(events('EM')).toEqual({
      ...message({ type: 'unsupported', originalType: 'EM' }),
      problems: ['message 9002: message_type "EM" is not one Replydesk reads; kept as unsupported'],
    });
  });

  it('keeps a message it cannot read as lost (a dead letter), and a file without a URL too', () => {
    expect(
      deliver(dealerDelivery(dealerMessage('9003', 'uk-minji-01', T, 'IM', 'not a url'))),
    ).toEqual({
      events: [],
      problems: [],
      lost: ['message 9003: IM without a usable content'],
    });
    const { created_at: _unused, ...undated } = dealerMessage('9004', 'uk-minji-01', T, 'TX', 'hi');
    expect(deliver(dealerDelivery(undated))).toEqual({
      events: [],
      problems: [],
      lost: ['message: created_at: Invalid input: expected number, received undefined'],
    });
  });

  it('maps session start and end to the conversation’s blocked state', () => {
    const customer = { ...MINJI, name: null };
    expect(deliver(dealerDelivery(sessionEvent('session_start', 'uk-minji-01', T, 's-1')))).toEqual(
      {
        events: [
          {
            ...ACCOUNT,
            kind: 'block',
            externalId: 'session_start:s-1',
            customer,
            blocked: false,
            at: T,
          },
        ],
        problems: [],
        lost: [],
      },
    );
    expect(
      deliver(dealerDelivery(sessionEvent('session_end', 'uk-minji-01', T + 5, 's-1', 'customer'))),
    ).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'block',
          externalId: 'session_end:s-1',
          customer,
          blocked: true,
          at: T + 5,
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('stores nothing for an event it does not read, and refuses a body that is no dealer webhook', () => {
    expect(
      deliver(dealerDelivery({ event: 'typing', sender_key: KAKAO.senderKey, user_key: 'u' })),
    ).toEqual({
      events: [],
      problems: ['event: "typing" is not one Replydesk reads; nothing stored.'],
      lost: [],
    });
    expect(() => kakaoConnector.parse({ hello: 'world' }, settings)).toThrow(WebhookPayloadError);
  });
});

describe('Open Builder skill', () => {
  it('stores the utterance as the customer’s message, by plusfriendUserKey, else the bot user id', () => {
    const parsed = deliver(
      skillDelivery(skillPayload('주문 #1001 배송 언제 와요?', 'uk-minji-01')),
    );
    expect(parsed).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: expect.stringMatching(/^skill:[0-9a-f-]{36}$/) as unknown as string,
          customer: { ...MINJI, name: null },
          sentAt: expect.any(Number) as unknown as number,
          content: { type: 'text', body: '주문 #1001 배송 언제 와요?' },
        },
      ],
      problems: [],
      lost: [],
    });
    const byBotKey = kakaoConnector.parse(skillPayload('hi', null, 'bot-user-99'), settings);
    expect(
      byBotKey.events.map((e) => (e.kind === 'message' ? e.customer.externalId : null)),
    ).toEqual(['bot-user-99']);
  });

  const order: Order = orderSchema.parse({
    id: 'ord_1',
    provider: 'demo',
    number: '1001',
    status: 'shipped',
    customerName: '김민지',
    email: null,
    phone: '+821012345678',
    items: [],
    total: 39000,
    currency: 'KRW',
    carrier: 'CJ대한통운',
    trackingNumber: '123456789012',
    trackingUrl: null,
    createdAt: T - DAY_MS,
  });
  const lookups: unknown[] = [];
  const tools = (ordersOf: WebhookTools['ordersOf']): WebhookTools => ({
    now: () => T,
    ...(ordersOf ? { ordersOf } : {}),
  });
  const answer = async (utterance: string, t: WebhookTools, config = settings) => {
    const body = skillPayload(utterance, 'uk-minji-01');
    const parsed = kakaoConnector.parse(body, config);
    return kakaoConnector.answer?.(body, parsed, config, t);
  };
  const response = (text: string, quickReplies = true) => ({
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify({
      version: '2.0',
      template: {
        outputs: [{ simpleText: { text } }],
        quickReplies: quickReplies
          ? [{ label: '상담원 연결', action: 'message', messageText: '상담원 연결' }]
          : [],
      },
    }),
  });

  it('answers an order number’s status with the agent quick reply', async () => {
    const t = tools(async (lookup) => {
      lookups.push(lookup);
      return [order];
    });
    expect(await answer('주문 #1001 배송 언제 와요?', t)).toEqual(
      response("주문 #1001의 상태는 '배송 중'입니다 (CJ대한통운)."),
    );
    expect(lookups.at(-1)).toEqual({
      channel: 'kakao',
      channelAccountId: KAKAO.senderKey,
      customerExternalId: 'uk-minji-01',
      number: '1001',
    });
    // Without a number, the customer's own latest order.
    expect(await answer('배송 언제 와요?', t)).toEqual(
      response("주문 #1001의 상태는 '배송 중'입니다 (CJ대한통운)."),
    );
    expect(lookups.at(-1)).toMatchObject({ number: null });
  });

  it('asks for the number when it finds none, and says so for a number it does not know', async () => {
    const none = tools(async () => []);
    expect(await answer('배송 조회해 주세요', none)).toEqual(
      response(
        '최근 주문을 찾지 못했어요. 주문 번호(예: #1001)를 보내 주시면 배송 상태를 알려 드릴게요.',
      ),
    );
    expect(await answer('#4040 어디쯤 왔나요', none)).toEqual(
      response(
        '주문 #4040을(를) 찾지 못했어요. 번호를 다시 확인해 주시거나 상담원을 연결해 주세요.',
      ),
    );
  });

  it('hands over to an agent when asked, without offering it again', async () => {
    expect(await answer('상담원 연결', tools(undefined))).toEqual(
      response('상담원에게 연결해 드릴게요. 상담톡으로 상담원이 곧 답변드리겠습니다.', false),
    );
  });

  it('answers within its budget when the lookup is slow, and when it fails', async () => {
    const slow = tools(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await answer('주문 #1001', slow, { ...settings, skillLookupMs: '100' })).toEqual(
      response(
        '지금은 주문 정보를 확인하기 어려워요. 잠시 후 다시 물어봐 주시거나 상담원을 연결해 주세요.',
      ),
    );
    expect(Date.now() - started < 1000).toBe(true);
    const failing = tools(() => Promise.reject(new Error('db down')));
    expect(await answer('주문 #1001', failing)).toEqual(
      response(
        '지금은 주문 정보를 확인하기 어려워요. 잠시 후 다시 물어봐 주시거나 상담원을 연결해 주세요.',
      ),
    );
  });

  it('greets anything else with how to ask, and leaves the dealer’s webhooks the hub’s counts', async () => {
    expect(await answer('안녕하세요', tools(undefined))).toEqual(
      response('안녕하세요! 주문 번호(예: #1001)를 보내 주시면 배송 상태를 알려 드려요.'),
    );
    const body = dealerMessage('9001', 'uk-minji-01', T, 'TX', 'hi');
    expect(
      await kakaoConnector.answer?.(
        body,
        kakaoConnector.parse(body, settings),
        settings,
        tools(undefined),
      ),
    ).toBe(null);
  });
});

describe('HappyTalk adapter against the fake dealer', () => {
  const sender = () => kakaoConnector.createSender({ settings: () => settings, timeoutMs: 2000 });
  const media = () => kakaoConnector.createMedia?.({ settings: () => settings, timeoutMs: 2000 });

  it('sends text with the HT headers and the documented body; our id is its serial number', async () => {
    const before = dealer.requests.length;
    expect(
      await sender().send(request({ type: 'text', body: '오늘 출고됩니다.' }, 'msg_text')),
    ).toEqual({
      ok: true,
      externalId: 'msg_text',
    });
    const [sent] = dealer.requests.slice(before);
    expect([
      sent?.path,
      sent?.headers['ht-client-id'],
      sent?.headers['ht-client-secret'],
      sent?.body,
    ]).toEqual([
      '/v1/chat/write',
      KAKAO.clientId,
      KAKAO.clientSecret,
      {
        user_key: 'uk-minji-01',
        sender_key: KAKAO.senderKey,
        serial_number: 'msg_text',
        message_type: 'TX',
        message: '오늘 출고됩니다.',
      },
    ]);
  });

  it('refuses text over 1,000 characters before calling the dealer', async () => {
    const before = dealer.requests.length;
    expect(await sender().send(request({ type: 'text', body: '가'.repeat(1001) }))).toEqual({
      ok: false,
      retryable: false,
      code: 'text_too_long',
      reason:
        'KakaoTalk consultation-talk messages are limited to 1000 characters; this one has 1001.',
    });
    expect(dealer.requests.length).toBe(before);
  });

  it('uploads an image first and sends it by its URL; a file likewise', async () => {
    const m = media();
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const signal = AbortSignal.timeout(2000);
    const image = await m?.upload(
      { bytes: png, mimeType: 'image/png', filename: 'a.png' },
      KAKAO.senderKey,
      signal,
    );
    expect(image).toEqual({ channelMediaId: `${dealer.url}/files/1` });
    expect(dealer.requests.at(-1)?.body).toEqual({
      type: 'image',
      filename: 'a.png',
      mimeType: 'image/png',
      size: 8,
    });
    const imageUrl = image?.channelMediaId ?? '';
    expect(
      await sender().send(request({ type: 'image', media: { mediaId: imageUrl } }, 'msg_img')),
    ).toEqual({
      ok: true,
      externalId: 'msg_img',
    });
    expect(dealer.sent.at(-1)).toEqual({
      user_key: 'uk-minji-01',
      sender_key: KAKAO.senderKey,
      serial_number: 'msg_img',
      message_type: 'IM',
      image_url: imageUrl,
    });
    const pdf = await m?.upload(
      { bytes: Buffer.from('%PDF-1.4'), mimeType: 'application/pdf', filename: '송장.pdf' },
      KAKAO.senderKey,
      signal,
    );
    expect(dealer.requests.at(-1)?.body).toEqual({
      type: 'file',
      filename: '송장.pdf',
      mimeType: 'application/pdf',
      size: 8,
    });
    expect(
      await sender().send(
        request(
          { type: 'document', media: { mediaId: pdf?.channelMediaId ?? '', filename: '송장.pdf' } },
          'msg_pdf',
        ),
      ),
    ).toEqual({ ok: true, externalId: 'msg_pdf' });
    expect(dealer.sent.at(-1)).toMatchObject({ message_type: 'FI', file_url: pdf?.channelMediaId });
    // The uploaded bytes come back from the file URL (inbound downloads use the same path).
    const back = await m?.download({ mediaId: 'x', url: imageUrl }, KAKAO.senderKey, signal);
    expect([back?.bytes.equals(png), back?.mimeType]).toEqual([true, 'image/png']);
  });

  it('refuses images over 5 MB or not JPEG, PNG or GIF, and files over 300 MB, before uploading', async () => {
    const m = media();
    const before = dealer.requests.length;
    const signal = AbortSignal.timeout(2000);
    const refused = async (file: { bytes: Buffer; mimeType: string; filename: string }) => {
      try {
        await m?.upload(file, KAKAO.senderKey, signal);
        return null;
      } catch (error) {
        return error instanceof ChannelMediaError
          ? [error.code, error.retryable, error.message]
          : error;
      }
    };
    expect(
      await refused({
        bytes: Buffer.alloc(5 * 1024 * 1024 + 1),
        mimeType: 'image/jpeg',
        filename: 'big.jpg',
      }),
    ).toEqual(['too_large', false, 'KakaoTalk takes images up to 5 MB; this one is 5.0 MB.']);
    // The dealer adapter refuses an image it cannot send (the hub's media limits already do).
    const webp = await happyTalkDealer
      .upload({ bytes: Buffer.alloc(10), mimeType: 'image/webp', filename: 'a.webp' }, 'image', {
        settings,
        fetch,
        timeoutMs: 2000,
      })
      .catch((error: unknown) =>
        error instanceof ChannelMediaError ? [error.code, error.message] : error,
      );
    expect(webp).toEqual([
      'unsupported_type',
      'KakaoTalk sends images only as JPEG, PNG or GIF; this one is image/webp.',
    ]);
    expect(
      await refused({
        bytes: Buffer.allocUnsafe(300 * 1024 * 1024 + 1),
        mimeType: 'application/zip',
        filename: 'big.zip',
      }),
    ).toEqual(['too_large', false, 'KakaoTalk takes files up to 300 MB; this one is 300.0 MB.']);
    expect(dealer.requests.length).toBe(before);
  });

  it('maps the dealer’s “session is not open” to blocked with the reason; credentials and 5xx too', async () => {
    dealer.endSession('uk-ended-01');
    expect(
      await sender().send({ ...request({ type: 'text', body: '안녕하세요' }), to: 'uk-ended-01' }),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked',
      reason:
        'KakaoTalk: the customer has no open consultation session (HappyTalk code 3005: session is not open). It ended or expired; the customer must write to the channel again.',
    });
    dealer.failNext('/v1/chat/write', { http: 503 });
    expect(await sender().send(request({ type: 'text', body: 'hi' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'http_503',
      reason: 'the HappyTalk API is temporarily unavailable (HTTP 503); will retry.',
    });
    const wrong = kakaoConnector.createSender({
      settings: () => ({ ...settings, clientSecret: 'nope' }),
    });
    expect(await wrong.send(request({ type: 'text', body: 'hi' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'http_401',
      reason:
        'HappyTalk refused the client id or secret (HTTP 401): check them on the Channels page.',
    });
  });

  it('ends a session through the dealer; ending it again is no error; sends are then refused', async () => {
    const context = { settings, fetch, timeoutMs: 2000 };
    expect(await happyTalkDealer.endSession('uk-end-02', context)).toEqual({ ok: true });
    expect(dealer.requests.at(-1)?.body).toEqual({
      user_key: 'uk-end-02',
      sender_key: KAKAO.senderKey,
    });
    expect(await happyTalkDealer.endSession('uk-end-02', context)).toEqual({ ok: true });
    const result = await happyTalkDealer.send(
      { serial: 'msg_x', userKey: 'uk-end-02', content: { type: 'text', text: 'hi' } },
      context,
    );
    expect(result).toMatchObject({ ok: false, code: 'blocked' });
  });
});

describe('KakaoTalk connection test', () => {
  const test = (config: Record<string, string>) => {
    if (!kakaoConnector.testConnection) throw new Error('no testConnection');
    return kakaoConnector.testConnection(config, { timeoutMs: 2000 });
  };
  const refused = (said: string) => ({ ok: false, reason: said, message: said });

  it('reads the sender profile with the client id and secret, naming it and its status', async () => {
    expect(await test(settings)).toEqual({
      ok: true,
      detail: `HappyTalk accepts client id ${KAKAO.clientId}: sender key ${KAKAO.senderKey} is “Replydesk Shop” (status active).`,
    });
    const asked = dealer.requests.at(-1);
    expect([asked?.method, asked?.path, asked?.headers['ht-client-id']]).toEqual([
      'GET',
      `/v1/profile?sender_key=${KAKAO.senderKey}`,
      KAKAO.clientId,
    ]);
  });

  it('says the dealer’s reason for a wrong secret or sender key, the secret never in it', async () => {
    const wrong = await test({ ...settings, clientSecret: 'ht-secret-wrong-000000' });
    expect(wrong).toEqual(
      refused('HappyTalk refused the client id or secret (HTTP 401, code 1001: invalid client).'),
    );
    expect(JSON.stringify(wrong)).not.toContain('ht-secret-wrong');
    expect(await test({ ...settings, senderKey: 'not-our-key' })).toEqual(
      refused(
        'HappyTalk refused sender key not-our-key (HTTP 200, code 3001: unknown sender key).',
      ),
    );
    expect(await test({ ...settings, profilePath: '/v2/nowhere' })).toEqual(
      refused(`HappyTalk refused sender key ${KAKAO.senderKey} (HTTP 404, code 4040: not found).`),
    );
    expect(await test({ ...settings, dealerUrl: 'http://127.0.0.1:9' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Could not reach the HappyTalk API \(/) as string,
    });
  });
});

describe('KakaoTalk demo', () => {
  it('delivers a Korean demo customer’s message through verify and parse', () => {
    const event = {
      kind: 'message',
      channel: 'kakao',
      channelAccountId: 'demo-kakao',
      externalId: 'demo-kakao-1',
      customer: {
        externalId: 'demo-uk-1',
        name: '이서연',
        phone: null,
        language: 'ko',
        country: 'KR',
      },
      sentAt: T,
      content: { type: 'text', body: '주문한 가방이 아직 안 왔어요.' },
    } as const;
    expect(throughConnector([kakaoConnector], event)).toEqual([event]);
  });
});
