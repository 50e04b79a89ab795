import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeWechatApi, type FakeWechatApi } from '../support/fake-wechat-api';
import { api, conversationNamed, login, messagesNamed, startTestHub } from '../support/hub';
import { until } from '../support/until';
import {
  bare,
  envelope,
  eventPush,
  pushXml,
  sha1Signature,
  signedPush,
  textPush,
  WECHAT,
  wechatSettings,
  type PushMode,
} from '../support/wechat-webhooks';

/**
 * Issue #16 item 1 end to end: WeChat pushes (plaintext and safe mode) through a real hub (HTTP,
 * PGlite or PostgreSQL) into messages and entry points, answered `success`; replies through the
 * command API to the local fake of the customer-service API, the 48 h window's 5 messages
 * enforced by the hub before anything reaches WeChat, the access token refreshed once under
 * concurrent sends, files through media/get and media/upload, and blocks.
 */

let fake: FakeWechatApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-01T09:00:00Z');
let clock = T0;
const seconds = (ms: number): number => Math.floor(ms / 1000);

type View = Conversation & {
  window: {
    state: string;
    basis: string;
    messagesRemaining: number | null;
    allowed: { kind: string; reason?: string };
  };
};

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: WECHAT.appId, appSecret: WECHAT.appSecret });
  hub = await startTestHub({
    now: () => clock,
    sendTimeoutMs: 1000,
    channels: { wechat: wechatSettings(fake.url) },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await fake.close();
});

async function post(
  xml: string,
  options: { mode?: PushMode; token?: string } = {},
): Promise<{ status: number; type: string; text: string }> {
  const push = signedPush(xml, {
    mode: options.mode ?? 'safe',
    ...(options.token ? { token: options.token } : {}),
  });
  const res = await fetch(`${hub.url}/webhooks/wechat${push.query}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: push.body,
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

const SUCCESS = { status: 200, type: 'text/plain; charset=utf-8', text: 'success' };

const openid = (n: number): string => `oWECHAT_customer_${String(n).padStart(10, '0')}`;
const conversationOf = (n: number): Promise<View> =>
  conversationNamed<View>(hub.url, token, 'wechat', openid(n));
const messagesOf = (n: number): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'wechat', openid(n));

const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'wechat'",
      )
    ).rows[0]?.n,
  );

let msgIds = 7_300_000_000_000_000_000n;
/** A customer's text, `ago` before the clock, with a fresh 64-bit MsgId. */
function customerText(n: number, body: string, ago = HOUR_MS): string {
  msgIds += 1n;
  return textPush(openid(n), seconds(clock - ago), msgIds.toString(), body);
}

async function reply(n: number, body: string) {
  const conversation = await conversationOf(n);
  return api<{ message: Message; error?: string; message_?: string }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
    { method: 'POST', body: { content: { type: 'text', body } } },
  );
}

const sentTo = (n: number) => fake.sent.filter((m) => m.touser === openid(n));

describe('WeChat webhooks', () => {
  it('answers the URL check with echostr when signed with the Token, 403 otherwise', async () => {
    const query = (token: string) =>
      `?signature=${sha1Signature([token, '1764763200', '777'])}&timestamp=1764763200&nonce=777&echostr=4962338541712451843`;
    const ok = await fetch(`${hub.url}/webhooks/wechat${query(WECHAT.token)}`);
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([
      200,
      'text/plain; charset=utf-8',
      '4962338541712451843',
    ]);
    const forged = await fetch(`${hub.url}/webhooks/wechat${query('guessed')}`);
    expect(forged.status).toBe(403);
  });

  it('refuses forged and unsigned pushes with 401, and a DOCTYPE with 400, storing nothing', async () => {
    const xml = customerText(1, 'hi');
    expect((await post(xml, { token: 'notTheToken' })).status).toBe(401);
    expect((await post(xml, { mode: 'plain', token: 'notTheToken' })).status).toBe(401);
    const unsigned = await fetch(`${hub.url}/webhooks/wechat?timestamp=1&nonce=2`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: xml,
    });
    expect(unsigned.status).toBe(401);
    const entity = xml.replace(
      '<xml>',
      '<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]><xml>',
    );
    expect((await post(entity, { mode: 'plain' })).status).toBe(400);
    expect((await post(entity, { mode: 'safe' })).status).toBe(400);
    expect(await count()).toBe(0);
  });

  it('stores a message once, answering success, however often WeChat retries it', async () => {
    clock = T0;
    const xml = textPush(
      openid(2),
      seconds(T0 - HOUR_MS),
      '7299999999999999999',
      'Is my order on its way?',
    );
    expect(await post(xml)).toEqual(SUCCESS);
    expect(await post(xml)).toEqual(SUCCESS);
    expect(await post(xml, { mode: 'plain' })).toEqual(SUCCESS);
    const messages = await messagesOf(2);
    expect(messages.map((m) => [m.direction, m.status, m.externalId, m.sentAt, m.content])).toEqual(
      [
        [
          'inbound',
          'received',
          '7299999999999999999',
          T0 - HOUR_MS,
          { type: 'text', body: 'Is my order on its way?' },
        ],
      ],
    );
    const conversation = await conversationOf(2);
    expect([
      conversation.channelAccountId,
      conversation.window.state,
      conversation.window.basis,
      conversation.window.messagesRemaining,
    ]).toEqual([WECHAT.account, 'open', 'wechat.customer_service_48h', 5]);
  });
});

describe('WeChat replies', () => {
  it('sends 5 replies and refuses the 6th with 409 before it reaches WeChat', async () => {
    clock = T0;
    await post(customerText(3, 'Can you help?'));
    for (let i = 1; i <= 5; i += 1) expect((await reply(3, `Answer ${i}`)).status).toBe(202);
    await hub.outbound.runOnce();
    await until(
      async () => (await messagesOf(3)).filter((m) => m.status === 'sent').length,
      (n) => n === 5,
    );
    expect(sentTo(3).map((m) => m.body)).toEqual(
      [1, 2, 3, 4, 5].map((i) => ({
        touser: openid(3),
        msgtype: 'text',
        text: { content: `Answer ${i}` },
      })),
    );
    const conversation = await conversationOf(3);
    expect([conversation.window.messagesRemaining, conversation.window.allowed]).toEqual([
      0,
      {
        kind: 'none',
        reason:
          'WeChat allows at most 5 customer-service messages per customer message; wait for the customer to write again',
      },
    ]);
    const sixth = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: 'Answer 6' } } },
    );
    expect([sixth.status, sixth.body.error, sixth.body.message]).toEqual([
      409,
      'window_closed',
      'The reply window does not allow a free-form message now. Allowed: Nothing until the customer writes. WeChat allows at most 5 customer-service messages per customer message; wait for the customer to write again.',
    ]);
    await hub.outbound.runOnce();
    expect(sentTo(3)).toHaveLength(5);
    expect((await messagesOf(3)).map((m) => m.content)).not.toContainEqual({
      type: 'text',
      body: 'Answer 6',
    });

    // The customer writes again: 5 more.
    await post(customerText(3, 'One more thing', MINUTE_MS));
    expect((await conversationOf(3)).window.messagesRemaining).toBe(5);
    expect((await reply(3, 'Answer 6')).status).toBe(202);
  });

  it('refreshes an expired access token once under concurrent sends; each message goes out once', async () => {
    clock = T0;
    const customers = [10, 11, 12, 13, 14, 15];
    for (const n of customers) await post(customerText(n, `Question from ${n}`));
    await hub.outbound.runOnce();
    fake.expireTokens();
    const calls = fake.tokenCalls();
    for (const n of customers) expect((await reply(n, `Answer for ${n}`)).status).toBe(202);
    await hub.outbound.runOnce();
    const sent = await until(
      async () =>
        Promise.all(customers.map(async (n) => (await messagesOf(n)).at(-1)?.status ?? null)),
      (statuses) => statuses.every((s) => s === 'sent'),
    );
    expect(sent).toEqual(customers.map(() => 'sent'));
    expect(fake.tokenCalls() - calls).toBe(1);
    expect(customers.map((n) => sentTo(n).map((m) => m.body))).toEqual(
      customers.map((n) => [
        { touser: openid(n), msgtype: 'text', text: { content: `Answer for ${n}` } },
      ]),
    );
    // They met 42001 with the old token, then went out with the one new token.
    expect(new Set(customers.map((n) => sentTo(n)[0]?.token)).size).toBe(1);
  });

  it('fails a reply WeChat refuses with 45015 with the reason; 43019 marks the conversation blocked', async () => {
    clock = T0;
    await post(customerText(4, 'Hello'));
    fake.refuseFor(openid(4), {
      errcode: 45015,
      errmsg: 'response out of time limit or subscription is canceled',
    });
    await reply(4, 'Hi there');
    await hub.outbound.runOnce();
    const failed = await until(
      async () => (await messagesOf(4)).at(-1),
      (m) => m?.status === 'failed',
    );
    expect([failed?.failureCode, failed?.failureReason]).toEqual([
      'wechat_45015',
      'WeChat refused it: out of the 48-hour window or the customer unfollowed (errcode 45015). You can write again when the customer writes.',
    ]);
    fake.refuseFor(openid(4), { errcode: 43019, errmsg: 'require remove blacklist' });
    await reply(4, 'Still there?');
    await hub.outbound.runOnce();
    await until(
      async () => (await messagesOf(4)).at(-1)?.status,
      (s) => s === 'failed',
    );
    fake.refuseFor(openid(4), null);
    expect((await conversationOf(4)).blockedAt).toBe(T0);
  });
});

describe('WeChat events and files', () => {
  it('unsubscribe blocks the conversation; following again unblocks it with 3 messages in a minute', async () => {
    clock = T0;
    await post(customerText(5, 'Thanks, bye', 2 * HOUR_MS));
    expect(
      await post(eventPush(openid(5), seconds(T0 - HOUR_MS), 'unsubscribe', { EventKey: '' })),
    ).toEqual(SUCCESS);
    const blocked = await conversationOf(5);
    expect(blocked.blockedAt).toBe(T0 - HOUR_MS);
    const refused = await api<{ error: string }>(
      hub.url,
      token,
      `/api/conversations/${blocked.id}/messages`,
      {
        method: 'POST',
        body: { content: { type: 'text', body: 'Are you still there?' } },
      },
    );
    expect([refused.status, refused.body.error]).toEqual([409, 'blocked']);

    // They follow again through a QR code 48 h later: unblocked, and the 1-minute allowance.
    clock = T0 + 48 * HOUR_MS;
    expect(
      await post(
        eventPush(openid(5), seconds(clock - 10_000), 'subscribe', {
          EventKey: 'qrscene_store-42',
          Ticket: 'gQH47joAAAAAAAAAASxodHRw',
        }),
      ),
    ).toEqual(SUCCESS);
    const followed = await conversationOf(5);
    expect([
      followed.blockedAt ?? null,
      followed.entryPoint,
      followed.window.basis,
      followed.window.messagesRemaining,
    ]).toEqual([null, 'qr_scan', 'wechat.entry_event_1min', 3]);
    expect((await messagesOf(5)).at(-1)?.content).toEqual({
      type: 'referral',
      source: 'QR code',
      ref: 'store-42',
    });
    // A minute later the allowance is gone (no message of the customer's within 48 h).
    clock += MINUTE_MS;
    expect((await conversationOf(5)).window.allowed.kind).toBe('none');
  });

  it('a menu click opens 3 messages within a minute for a customer who never wrote', async () => {
    clock = T0;
    expect(
      await post(eventPush(openid(6), seconds(T0 - 5000), 'CLICK', { EventKey: 'ORDER_STATUS' })),
    ).toEqual(SUCCESS);
    const conversation = await conversationOf(6);
    expect([
      conversation.entryPoint,
      conversation.window.basis,
      conversation.window.messagesRemaining,
    ]).toEqual(['menu_click', 'wechat.entry_event_1min', 3]);
    for (const i of [1, 2, 3]) expect((await reply(6, `Status ${i}`)).status).toBe(202);
    expect((await reply(6, 'Status 4')).status).toBe(409);
    await hub.outbound.runOnce();
    await until(
      async () => sentTo(6).length,
      (n) => n === 3,
    );
    expect(sentTo(6)).toHaveLength(3);
  });

  it('downloads a voice message with its recognition and a picture through media/get, once each', async () => {
    clock = T0;
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(32, 0x3c)]);
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    fake.serveMedia('voice-media-1', amr, 'audio/amr', 'voice.amr');
    fake.serveMedia('image-media-1', jpeg, 'image/jpeg', 'photo.jpg');
    const at = seconds(T0 - HOUR_MS);
    await post(
      pushXml({
        ...envelope(openid(7), at, 'voice'),
        MediaId: 'voice-media-1',
        Format: 'amr',
        Recognition: '我的快递到哪里了',
        MsgId: bare('7300000000000000901'),
      }),
    );
    await post(
      pushXml({
        ...envelope(openid(7), at + 1, 'image'),
        PicUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/x/0',
        MediaId: 'image-media-1',
        MsgId: bare('7300000000000000902'),
      }),
    );
    const messages = await until(
      () => messagesOf(7),
      (list) => list.length === 2 && list.every((m) => m.attachment?.state === 'ready'),
    );
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(messages.map((m) => [m.content, m.attachment])).toEqual([
      [
        {
          type: 'audio',
          media: {
            mediaId: 'voice-media-1',
            voice: true,
            mimeType: 'audio/amr',
            caption: '我的快递到哪里了',
          },
        },
        {
          state: 'ready',
          sha256: sha(amr),
          mimeType: 'audio/amr',
          size: amr.length,
          filename: 'voice.amr',
          error: null,
        },
      ],
      [
        {
          type: 'image',
          media: { mediaId: 'image-media-1', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/x/0' },
        },
        {
          state: 'ready',
          sha256: sha(jpeg),
          mimeType: 'image/jpeg',
          size: jpeg.length,
          filename: 'photo.jpg',
          error: null,
          thumbnail: null,
        },
      ],
    ]);
    expect(
      fake.requests.filter((r) => r.path === '/cgi-bin/media/get').map((r) => r.query['media_id']),
    ).toEqual(['voice-media-1', 'image-media-1']);
  });

  it('uploads an agent’s picture with media/upload and sends it by media_id', async () => {
    clock = T0;
    await post(customerText(8, 'A photo of the label?'));
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
      'hex',
    );
    const sha256 = createHash('sha256').update(png).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=wechat`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/png',
        'x-filename': 'label.png',
      },
      body: new Uint8Array(png),
    });
    expect(uploaded.status).toBe(201);
    const conversation = await conversationOf(8);
    const queued = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
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
      async () => (await messagesOf(8)).at(-1)?.status,
      (s) => s === 'sent',
    );
    const upload = fake.uploads.at(-1);
    expect([
      upload?.type,
      upload?.filename,
      upload?.contentType,
      upload?.bytes.equals(png),
    ]).toEqual(['image', 'label.png', 'image/png', true]);
    expect(sentTo(8).map((m) => m.body)).toEqual([
      { touser: openid(8), msgtype: 'image', image: { media_id: upload?.mediaId } },
    ]);
  });
});
