import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { createDemoOrderStore } from '../../src/server/orders/demo-store';
import { startFakeKakaoDealer, type FakeKakaoDealer } from '../support/fake-kakao-dealer';
import { api, conversationNamed, login, messagesNamed, startTestHub } from '../support/hub';
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
import { until } from '../support/until';

/**
 * Issue #16 item 4 end to end: a real hub (HTTP, PGlite or PostgreSQL) takes the dealer's
 * webhooks into KakaoTalk conversations, sends agents' replies through the local fake dealer,
 * refuses replies into an ended or expired consultation session before the dealer is called, and
 * answers Open Builder skill calls with an order's status from the hub's order store inside
 * Kakao's 5 seconds.
 */

let dealer: FakeKakaoDealer;
let hub: RunningHub;
let token: string;
// Skill calls carry no time: they are stamped with the hub's receipt, so the clock is today's.
const T0 = Math.floor(Date.now() / 1000) * 1000;
let clock = T0;

type View = Conversation & {
  window: { state: string; basis: string; allowed: { kind: string; reason?: string } };
};

beforeAll(async () => {
  dealer = await startFakeKakaoDealer({
    clientId: KAKAO.clientId,
    clientSecret: KAKAO.clientSecret,
    senderKey: KAKAO.senderKey,
  });
  hub = await startTestHub({
    now: () => clock,
    sendTimeoutMs: 1000,
    channels: { kakao: kakaoSettings(dealer.url) },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await dealer.close();
});

async function post(signed: SignedKakao): Promise<{ status: number; type: string; body: unknown }> {
  const res = await fetch(`${hub.url}/webhooks/kakao`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: await res.json(),
  };
}

const conversationOf = (name: string): Promise<View> =>
  conversationNamed<View>(hub.url, token, 'kakao', name);
const messagesOf = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'kakao', name);
const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'kakao'",
      )
    ).rows[0]?.n,
  );

async function reply(name: string, body: string) {
  const conversation = await conversationOf(name);
  return api<{ message: Message; error?: string; message_?: string }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
    { method: 'POST', body: { content: { type: 'text', body } } },
  );
}

const writes = () => dealer.requests.filter((r) => r.path === '/v1/chat/write');

describe('KakaoTalk dealer webhooks through the hub', () => {
  it('refuses a wrong or missing secret with 401 and stores nothing', async () => {
    const body = dealerMessage('7001', 'uk-minji', T0 - HOUR_MS, 'TX', '안녕하세요');
    expect((await post(dealerDelivery(body, 'dealer-webhook-secret-XXXXXX'))).status).toBe(401);
    expect(
      (await post({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await post(
          skillDelivery(skillPayload('배송 언제 와요?', 'uk-minji'), 'not-the-skill-secret'),
        )
      ).status,
    ).toBe(401);
    expect(await count()).toBe(0);
  });

  it('stores a Korean customer’s message once, even when the dealer redelivers it', async () => {
    const delivery = dealerDelivery(
      dealerMessage('7002', 'uk-minji', T0 - HOUR_MS, 'TX', '주문한 코트 언제 도착하나요?', {
        nickname: '김민지',
      }),
    );
    expect(await post(delivery)).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await post(delivery)).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const messages = await messagesOf('김민지');
    expect(messages.map((m) => [m.direction, m.externalId, m.sentAt, m.content])).toEqual([
      ['inbound', '7002', T0 - HOUR_MS, { type: 'text', body: '주문한 코트 언제 도착하나요?' }],
    ]);
    const conversation = await conversationOf('김민지');
    expect([
      conversation.channelAccountId,
      conversation.customer.language,
      conversation.customer.country,
      conversation.window.state,
      conversation.window.basis,
      conversation.window.allowed.kind,
    ]).toEqual([
      KAKAO.senderKey,
      'ko',
      'KR',
      'open',
      'kakao.consultation_session_30d',
      'free_form',
    ]);
  });

  it('sends an agent’s reply to the dealer once, with the exact body', async () => {
    const before = writes().length;
    const queued = await reply('김민지', '오늘 출고되어 내일 도착 예정입니다.');
    expect(queued.status).toBe(202);
    await hub.outbound.runOnce();
    const ours = await until(
      async () => (await messagesOf('김민지')).at(-1),
      (m) => m?.status === 'sent',
    );
    expect(
      writes()
        .slice(before)
        .map((r) => [r.headers['ht-client-id'], r.headers['ht-client-secret'], r.body]),
    ).toEqual([
      [
        KAKAO.clientId,
        KAKAO.clientSecret,
        {
          user_key: 'uk-minji',
          sender_key: KAKAO.senderKey,
          serial_number: ours?.id,
          message_type: 'TX',
          message: '오늘 출고되어 내일 도착 예정입니다.',
        },
      ],
    ]);
    expect(ours?.externalId).toBe(ours?.id);
    await hub.outbound.runOnce();
    expect(writes().length).toBe(before + 1);
  });

  it('refuses replies once the session ended (409, nothing reaches the dealer); a new message reopens it', async () => {
    await post(
      dealerDelivery(
        dealerMessage('7003', 'uk-jiho', T0 - HOUR_MS, 'TX', '환불 문의드려요', {
          nickname: '박지호',
        }),
      ),
    );
    expect(
      (
        await post(
          dealerDelivery(
            sessionEvent('session_end', 'uk-jiho', T0 - 30 * 60_000, 'sess-9', 'customer'),
          ),
        )
      ).status,
    ).toBe(200);
    expect((await conversationOf('박지호')).blockedAt).toBe(T0 - 30 * 60_000);
    const before = dealer.requests.length;
    const refused = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${(await conversationOf('박지호')).id}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: '확인해 보겠습니다.' } } },
    );
    expect([refused.status, refused.body.error, refused.body.message]).toEqual([
      409,
      'blocked',
      'The KakaoTalk consultation session with 박지호 has ended (closed by the agent, or the customer left or blocked the channel): messages cannot reach them until they write again.',
    ]);
    await hub.outbound.runOnce();
    expect(dealer.requests.length).toBe(before);
    // The customer writes again: a new session, replies allowed.
    await post(
      dealerDelivery(
        dealerMessage('7004', 'uk-jiho', T0 - 60_000, 'TX', '다시 문의합니다', {
          nickname: '박지호',
        }),
      ),
    );
    expect((await conversationOf('박지호')).blockedAt).toBeUndefined();
  });

  it('refuses replies 30 days after the customer’s last message, before the dealer is called', async () => {
    await post(
      dealerDelivery(
        dealerMessage('7005', 'uk-old', T0 - 31 * DAY_MS, 'TX', '지난달 문의', {
          nickname: '최유나',
        }),
      ),
    );
    const before = dealer.requests.length;
    const refused = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${(await conversationOf('최유나')).id}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: '늦어서 죄송합니다.' } } },
    );
    expect([refused.status, refused.body.error, refused.body.message]).toEqual([
      409,
      'window_closed',
      "The reply window does not allow a free-form message now. Allowed: Nothing until the customer writes. The KakaoTalk consultation session expired 30 days after the customer's last message; it opens again when the customer writes.",
    ]);
    expect(dealer.requests.length).toBe(before);
  });

  it('fails a reply the dealer refuses for an ended session with the reason, and marks the conversation', async () => {
    await post(
      dealerDelivery(
        dealerMessage('7006', 'uk-sora', T0 - HOUR_MS, 'TX', '문의', { nickname: '정소라' }),
      ),
    );
    dealer.endSession('uk-sora');
    expect((await reply('정소라', '안녕하세요')).status).toBe(202);
    await hub.outbound.runOnce();
    const failed = await until(
      async () => (await messagesOf('정소라')).at(-1),
      (m) => m?.status === 'failed',
    );
    expect([failed?.failureCode, failed?.failureReason]).toEqual([
      'blocked',
      'KakaoTalk: the customer has no open consultation session (HappyTalk code 3005: session is not open). It ended or expired; the customer must write to the channel again.',
    ]);
    expect((await conversationOf('정소라')).blockedAt).toBe(clock);
  });
});

describe('KakaoTalk on the Channels page', () => {
  it('tests the dealer credentials, naming the sender profile, and says the dealer’s reason when refused', async () => {
    const test = () =>
      api(hub.url, token, '/api/admin/channels/kakao/test', { method: 'POST', body: {} });
    expect(await test()).toMatchObject({
      status: 200,
      body: {
        ok: true,
        detail: `HappyTalk accepts client id ${KAKAO.clientId}: sender key ${KAKAO.senderKey} is “Replydesk Shop” (status active).`,
      },
    });
    const saved = await api(hub.url, token, '/api/admin/channels/kakao', {
      method: 'PUT',
      body: { clientSecret: 'ht-secret-rotated-0000' },
    });
    expect(saved.status).toBe(200);
    const refused = await test();
    expect(refused.body).toEqual({
      ok: false,
      reason: 'HappyTalk refused the client id or secret (HTTP 401, code 1001: invalid client).',
    });
    expect(JSON.stringify(refused.body)).not.toContain('ht-secret-rotated');
    const restored = await api(hub.url, token, '/api/admin/channels/kakao', {
      method: 'PUT',
      body: { clientSecret: KAKAO.clientSecret },
    });
    expect(restored.status).toBe(200);
  });
});

describe('the agent ends a KakaoTalk chat session', () => {
  const end = async (name: string) =>
    api<{ conversation?: View; error?: string; message?: string }>(
      hub.url,
      token,
      `/api/conversations/${(await conversationOf(name)).id}/end-session`,
      { method: 'POST', body: {} },
    );
  const ends = () => dealer.requests.filter((r) => r.path === '/v1/chat/end');

  it('asks the dealer to end it, then the conversation shows "Session ended" and refuses replies', async () => {
    await post(
      dealerDelivery(
        dealerMessage('7201', 'uk-seoa', T0 - HOUR_MS, 'TX', '감사합니다', { nickname: '윤서아' }),
      ),
    );
    const before = ends().length;
    const ended = await end('윤서아');
    expect([ended.status, ended.body.conversation?.blockedAt]).toEqual([200, clock]);
    expect(
      ends()
        .slice(before)
        .map((r) => r.body),
    ).toEqual([{ user_key: 'uk-seoa', sender_key: KAKAO.senderKey }]);
    expect((await conversationOf('윤서아')).blockedAt).toBe(clock);
    const refused = await reply('윤서아', '추가 문의 있으신가요?');
    expect([refused.status, refused.body.error]).toEqual([409, 'blocked']);
    // Ending it again asks no one; the customer's next message opens a new session.
    expect((await end('윤서아')).status).toBe(200);
    expect(ends().length).toBe(before + 1);
    await post(
      dealerDelivery(
        dealerMessage('7202', 'uk-seoa', clock, 'TX', '하나 더요', { nickname: '윤서아' }),
      ),
    );
    expect((await conversationOf('윤서아')).blockedAt).toBeUndefined();
  });

  it('keeps the session when the dealer refuses, with its reason; an unavailable dealer is 502', async () => {
    await post(
      dealerDelivery(
        dealerMessage('7203', 'uk-dana', T0 - HOUR_MS, 'TX', '문의', { nickname: '김다나' }),
      ),
    );
    dealer.failNext('/v1/chat/end', { code: '2009', message: 'unknown user' });
    const refused = await end('김다나');
    expect([refused.status, refused.body.error, refused.body.message]).toEqual([
      409,
      'conflict',
      'HappyTalk did not end the session (HTTP 200, code 2009).',
    ]);
    dealer.failNext('/v1/chat/end', { http: 503 });
    const unavailable = await end('김다나');
    expect([unavailable.status, unavailable.body.error]).toEqual([502, 'bad_gateway']);
    expect((await conversationOf('김다나')).blockedAt).toBeUndefined();
  });

  it('is refused for a channel without sessions an agent can end', async () => {
    const none = await api<{ error: string }>(
      hub.url,
      token,
      '/api/conversations/no-such-conversation/end-session',
      { method: 'POST', body: {} },
    );
    expect(none.status).toBe(404);
  });
});

describe('Open Builder skill through the hub', () => {
  beforeAll(async () => {
    await createDemoOrderStore(hub.db).upsert([
      {
        number: '1001',
        status: 'shipped',
        customerName: '김민지',
        phone: '+82 10-1234-5678',
        items: [{ title: '울 코트', quantity: 1, price: 189000 }],
        currency: 'KRW',
        carrier: 'CJ대한통운',
        trackingNumber: '612345678901',
        createdAt: T0 - 2 * DAY_MS,
      },
    ]);
  });

  const skillAnswer = (text: string, agent = true) => ({
    version: '2.0',
    template: {
      outputs: [{ simpleText: { text } }],
      quickReplies: agent
        ? [{ label: '상담원 연결', action: 'message', messageText: '상담원 연결' }]
        : [],
    },
  });

  it('answers an order number’s status from the order store within 5 s, and stores the utterance', async () => {
    const started = Date.now();
    const answer = await post(
      skillDelivery(skillPayload('주문 #1001 배송 언제 와요?', 'uk-minji')),
    );
    expect(Date.now() - started < 5000).toBe(true);
    expect(answer).toEqual({
      status: 200,
      type: 'application/json; charset=utf-8',
      body: skillAnswer("주문 #1001의 상태는 '배송 중'입니다 (CJ대한통운)."),
    });
    // The same customer as the dealer's (plusfriendUserKey under the sender key): one conversation.
    expect((await messagesOf('김민지')).at(-1)?.content).toEqual({
      type: 'text',
      body: '주문 #1001 배송 언제 와요?',
    });
  });

  it('answers the customer’s latest order by the phone the hub knows for them', async () => {
    const before = await post(skillDelivery(skillPayload('배송 조회', 'uk-minji')));
    expect(before.body).toEqual(
      skillAnswer(
        '최근 주문을 찾지 못했어요. 주문 번호(예: #1001)를 보내 주시면 배송 상태를 알려 드릴게요.',
      ),
    );
    // A CRM link (or an agent) gives the customer their phone: their orders are found by it.
    await hub.db.query(
      `update customers set phone = '+821012345678' where id =
         (select customer_id from conversations where channel = 'kakao' and customer_external_id = 'uk-minji')`,
    );
    expect((await post(skillDelivery(skillPayload('배송 조회', 'uk-minji')))).body).toEqual(
      skillAnswer("주문 #1001의 상태는 '배송 중'입니다 (CJ대한통운)."),
    );
  });

  it('hands over to an agent: the conversation is open and awaits a reply', async () => {
    await hub.db.query(
      "update conversations set status = 'resolved' where channel = 'kakao' and customer_external_id = 'uk-minji'",
    );
    clock = T0 + 60_000;
    const answer = await post(skillDelivery(skillPayload('상담원 연결', 'uk-minji')));
    expect(answer.body).toEqual(
      skillAnswer('상담원에게 연결해 드릴게요. 상담톡으로 상담원이 곧 답변드리겠습니다.', false),
    );
    // The hub's own "needs an agent": open again, awaiting a reply (the SLA clock runs), and
    // still with the agent who answered the customer before (assign-on-reply).
    const conversation = await conversationOf('김민지');
    expect([conversation.status, typeof conversation.awaitingReplySince]).toEqual([
      'open',
      'number',
    ]);
    expect((await messagesOf('김민지')).at(-1)?.content).toEqual({
      type: 'text',
      body: '상담원 연결',
    });
  });
});

describe('KakaoTalk files through the hub', () => {
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  );
  const sha256 = createHash('sha256').update(png).digest('hex');

  it('downloads a customer’s image into the hub’s media store', async () => {
    const url = dealer.serveFile('box.png', png, 'image/png');
    await post(
      dealerDelivery(
        dealerMessage('7100', 'uk-hana', T0 - HOUR_MS, 'IM', url, { nickname: '한하나' }),
      ),
    );
    const [message] = await until(
      () => messagesOf('한하나'),
      (list) => list.every((m) => m.attachment?.state !== 'pending'),
    );
    expect([message?.content, message?.attachment]).toEqual([
      { type: 'image', media: { mediaId: '7100', url } },
      {
        state: 'ready',
        sha256,
        mimeType: 'image/png',
        size: png.length,
        filename: null,
        error: null,
        thumbnail: null,
      },
    ]);
  });

  it('uploads an agent’s image through the dealer, then sends it by the URL it answered, once', async () => {
    const uploaded = await fetch(`${hub.url}/api/media?channel=kakao`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/png',
        'x-filename': 'label.png',
      },
      body: new Uint8Array(png),
    });
    expect(uploaded.status).toBe(201);
    const before = dealer.requests.length;
    const queued = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${(await conversationOf('한하나')).id}/messages`,
      {
        method: 'POST',
        body: {
          content: {
            type: 'image',
            media: { mediaId: sha256, sha256, mimeType: 'image/png', filename: 'label.png' },
          },
        },
      },
    );
    expect(queued.status).toBe(202);
    await hub.outbound.runOnce();
    await until(
      async () => (await messagesOf('한하나')).at(-1)?.status,
      (status) => status === 'sent',
    );
    const calls = dealer.requests.slice(before).filter((r) => r.method === 'POST');
    expect(calls.map((r) => [r.path, r.body])).toEqual([
      [
        '/v1/upload',
        { type: 'image', filename: 'label.png', mimeType: 'image/png', size: png.length },
      ],
      [
        '/v1/chat/write',
        {
          user_key: 'uk-hana',
          sender_key: KAKAO.senderKey,
          serial_number: queued.body.message.id,
          message_type: 'IM',
          image_url: expect.stringMatching(
            new RegExp(`^${dealer.url}/files/\\d+$`),
          ) as unknown as string,
        },
      ],
    ]);
  });

  it('refuses a file type KakaoTalk does not take before it is stored (415)', async () => {
    const refused = await fetch(`${hub.url}/api/media?channel=kakao`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/webp',
        'x-filename': 'a.webp',
      },
      body: new Uint8Array(png),
    });
    expect(refused.status).toBe(415);
  });
});
