import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeMessengerApi, type FakeMessengerApi } from '../support/fake-messenger-api';
import { api, login, startTestHub, conversationNamed, messagesNamed } from '../support/hub';
import {
  INSTAGRAM,
  MESSENGER,
  metaSettings,
  metaWebhook,
  signedMeta,
} from '../support/meta-webhooks';
import { until } from '../support/until';

/**
 * Issue #14 item 2 end to end: signed Messenger webhooks of every event type through a real hub
 * (PGlite, HTTP) into messages and statuses, and the Send API against a local fake.
 */

let meta: FakeMessengerApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-01T09:00:00Z');
let clock = T0;

type View = Conversation & { window: { state: string; basis: string; allowed: { kind: string } } };

beforeAll(async () => {
  meta = await startFakeMessengerApi({
    pageAccessToken: MESSENGER.pageAccessToken,
    pageIds: [MESSENGER.pageId, INSTAGRAM.pageId],
  });
  hub = await startTestHub({
    now: () => clock,
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

async function post(
  events: readonly object[],
  options: { secret?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const signed = signedMeta(
    options.body ?? metaWebhook('page', MESSENGER.pageId, events),
    options.secret ?? MESSENGER.appSecret,
  );
  const res = await fetch(`${hub.url}/webhooks/messenger`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const from = (psid: string, at: number) => ({
  sender: { id: psid },
  recipient: { id: MESSENGER.pageId },
  timestamp: at,
});

const conversationOf = (name: string): Promise<View> =>
  conversationNamed<View>(hub.url, token, 'messenger', name);

const messagesOf = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'messenger', name);

const count = async (channel = 'messenger'): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        'select count(*)::int as n from messages where channel = $1',
        [channel],
      )
    ).rows[0]?.n,
  );

async function send(psid: string, body: string, tag?: 'HUMAN_AGENT') {
  const conversation = await conversationOf(psid);
  return api<{ message?: Message; error?: string; message_?: string; allowed?: unknown }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
    { method: 'POST', body: { content: { type: 'text', body }, ...(tag ? { tag } : {}) } },
  );
}

describe('Messenger webhooks', () => {
  it('answers the subscription handshake only with the verify token', async () => {
    const ok = await fetch(
      `${hub.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=${MESSENGER.verifyToken}&hub.challenge=1158201444`,
    );
    expect([ok.status, await ok.text()]).toEqual([200, '1158201444']);
    const bad = await fetch(
      `${hub.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
  });

  it('refuses forged and unsigned deliveries with 401 and stores nothing', async () => {
    const events = [{ ...from('7000000000000001', T0), message: { mid: 'm_forged', text: 'hi' } }];
    expect((await post(events, { secret: 'not-the-app-secret' })).status).toBe(401);
    const unsigned = await fetch(`${hub.url}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(metaWebhook('page', MESSENGER.pageId, events)),
    });
    expect(unsigned.status).toBe(401);
    // Signed with the other channel's secret: still forged here.
    expect((await post(events, { secret: INSTAGRAM.appSecret })).status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('refuses a body that is not a Page webhook with 400', async () => {
    const result = await post([], { body: metaWebhook('instagram', MESSENGER.pageId, []) });
    expect(result.status).toBe(400);
  });

  it('stores a text message once, even when Meta delivers it twice', async () => {
    clock = T0;
    const events = [
      {
        ...from('7000000000000002', T0 - 2 * HOUR_MS),
        message: { mid: 'm_text1', text: 'Hello, is my parcel on its way?' },
      },
    ];
    expect(await post(events)).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await post(events)).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const [message] = await messagesOf('7000000000000002');
    expect(message).toMatchObject({
      direction: 'inbound',
      externalId: 'm_text1',
      status: 'received',
      sentAt: T0 - 2 * HOUR_MS,
      content: { type: 'text', body: 'Hello, is my parcel on its way?' },
    });
    const conversation = await conversationOf('7000000000000002');
    expect(conversation.window).toMatchObject({
      state: 'open',
      basis: 'messenger.standard_24h',
      allowed: { kind: 'free_form' },
    });
  });

  it('maps quick replies, postbacks and every attachment type', async () => {
    const psid = '7000000000000003';
    const at = T0 - HOUR_MS;
    const result = await post([
      {
        ...from(psid, at),
        message: { mid: 'm_qr', text: 'Track it', quick_reply: { payload: 'TRACK_ORDER' } },
      },
      {
        ...from(psid, at + 1),
        postback: { mid: 'm_pb', title: 'Talk to a person', payload: 'HUMAN' },
      },
      {
        ...from(psid, at + 2),
        message: {
          mid: 'm_att',
          attachments: [
            { type: 'image', payload: { url: 'https://scontent.example/photo.jpg' } },
            { type: 'video', payload: { url: 'https://video.example/clip.mp4' } },
            { type: 'audio', payload: { url: 'https://cdn.example/voice.mp4' } },
            { type: 'file', payload: { url: 'https://cdn.example/invoice.pdf' } },
            {
              type: 'location',
              title: 'Home',
              payload: { coordinates: { lat: 52.37, long: 4.89 } },
            },
            { type: 'fallback', title: 'Tracking', url: 'https://track.example/1', payload: null },
          ],
        },
      },
      {
        ...from(psid, at + 3),
        message: {
          mid: 'm_sticker',
          attachments: [
            {
              type: 'sticker',
              payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 },
            },
            {
              type: 'image',
              payload: { url: 'https://cdn.example/s.png', sticker_id: 369239263222822 },
            },
          ],
        },
      },
    ]);
    expect(result.body).toEqual({ received: 9, stored: 9, duplicates: 0, deadLettered: 0 });
    const messages = await messagesOf(psid);
    expect(messages.map((m) => [m.externalId, m.content])).toEqual([
      ['m_qr', { type: 'interactive_reply', replyId: 'TRACK_ORDER', title: 'Track it' }],
      ['m_pb', { type: 'button_reply', payload: 'HUMAN', text: 'Talk to a person' }],
      [
        'm_att',
        { type: 'image', media: { mediaId: 'm_att.0', url: 'https://scontent.example/photo.jpg' } },
      ],
      [
        'm_att#1',
        { type: 'video', media: { mediaId: 'm_att.1', url: 'https://video.example/clip.mp4' } },
      ],
      [
        'm_att#2',
        { type: 'audio', media: { mediaId: 'm_att.2', url: 'https://cdn.example/voice.mp4' } },
      ],
      [
        'm_att#3',
        { type: 'document', media: { mediaId: 'm_att.3', url: 'https://cdn.example/invoice.pdf' } },
      ],
      ['m_att#4', { type: 'location', latitude: 52.37, longitude: 4.89, name: 'Home' }],
      [
        'm_att#5',
        {
          type: 'share',
          url: 'https://track.example/1',
          title: 'Tracking',
          originalType: 'fallback',
        },
      ],
      [
        'm_sticker',
        {
          type: 'sticker',
          media: { mediaId: '369239263222822', url: 'https://cdn.example/s.png' },
        },
      ],
    ]);
    // The legacy image item of the same sticker is not a second message.
    expect(messages).toHaveLength(9);
  });

  it('stores an echo typed in Meta Business Suite as an agent message, and never sends it', async () => {
    const psid = '7000000000000004';
    await post([
      { ...from(psid, T0 - 3 * HOUR_MS), message: { mid: 'm_q4', text: 'Can I return it?' } },
    ]);
    const before = meta.requests.length;
    const echo = {
      sender: { id: MESSENGER.pageId },
      recipient: { id: psid },
      timestamp: T0 - 2 * HOUR_MS,
      message: {
        mid: 'm_echo_bs',
        is_echo: true,
        app_id: 263902037430900,
        text: 'Yes, within 30 days.',
      },
    };
    expect((await post([echo])).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    expect((await post([echo])).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    await hub.outbound.runOnce();
    expect(meta.requests.length).toBe(before);
    const messages = await messagesOf(psid);
    expect(
      messages.map((m) => [m.direction, m.status, m.authorId, m.externalId, m.content]),
    ).toEqual([
      ['inbound', 'received', null, 'm_q4', { type: 'text', body: 'Can I return it?' }],
      ['outbound', 'sent', null, 'm_echo_bs', { type: 'text', body: 'Yes, within 30 days.' }],
    ]);
    const conversation = await conversationOf(psid);
    expect([
      conversation.unreadCount,
      conversation.awaitingReplySince,
      conversation.lastMessagePreview,
    ]).toEqual([0, null, 'Yes, within 30 days.']);
  });

  it('sends a reply with RESPONSE and our metadata; its echo is not a second message', async () => {
    const psid = '7000000000000005';
    clock = T0;
    await post([{ ...from(psid, T0 - HOUR_MS), message: { mid: 'm_q5', text: 'Where is it?' } }]);
    const sent = await send(psid, 'It ships today.');
    expect(sent.status).toBe(202);
    await hub.outbound.runOnce();
    const request = meta.requests.at(-1);
    const [, ours] = await messagesOf(psid);
    expect(request?.pageId).toBe(MESSENGER.pageId);
    expect(request?.headers.authorization).toBe(`Bearer ${MESSENGER.pageAccessToken}`);
    expect(request?.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'It ships today.', metadata: `replydesk:${ours?.id}` },
    });
    const mid = meta.sentMessageIds.at(-1);
    expect([ours?.status, ours?.externalId]).toEqual(['sent', mid]);

    const total = await count();
    const echo = {
      sender: { id: MESSENGER.pageId },
      recipient: { id: psid },
      timestamp: T0 + 1000,
      message: {
        mid,
        is_echo: true,
        app_id: Number(MESSENGER.appId),
        metadata: `replydesk:${ours?.id}`,
        text: 'It ships today.',
      },
    };
    expect((await post([echo])).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 0,
      deadLettered: 0,
    });
    expect(await count()).toBe(total);

    // Delivered and read by watermark.
    await post([{ ...from(psid, T0 + 5000), delivery: { mids: [mid], watermark: T0 + 2000 } }]);
    expect((await messagesOf(psid))[1]?.status).toBe('delivered');
    await post([{ ...from(psid, T0 + 9000), read: { watermark: T0 + 8000 } }]);
    expect((await messagesOf(psid))[1]?.status).toBe('read');
    // A late delivery never moves it back.
    await post([{ ...from(psid, T0 + 9500), delivery: { watermark: T0 + 9000 } }]);
    expect((await messagesOf(psid))[1]?.status).toBe('read');
  });

  it('settles a send whose answer was lost by the echo naming it, and never sends it again', async () => {
    const psid = '7000000000000006';
    clock = T0;
    await post([{ ...from(psid, T0 - HOUR_MS), message: { mid: 'm_q6', text: 'Hello?' } }]);
    const before = meta.requests.length;
    meta.acceptAndHang();
    await send(psid, 'Hi there');
    await until(
      async () => meta.requests.length,
      (n) => n === before + 1,
    );
    const mid = meta.sentMessageIds.at(-1);
    const [, ours] = await messagesOf(psid);
    expect(ours?.status).toBe('sending');
    const echo = {
      sender: { id: MESSENGER.pageId },
      recipient: { id: psid },
      timestamp: T0 + 100,
      message: {
        mid,
        is_echo: true,
        app_id: Number(MESSENGER.appId),
        metadata: `replydesk:${ours?.id}`,
        text: 'Hi there',
      },
    };
    expect((await post([echo])).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 0,
      deadLettered: 0,
    });
    // The call times out (the hub's send timeout), and the queue has nothing left to decide.
    await until(
      async () => (await hub.db.query('select 1 from outbound_queue')).rows.length,
      (n) => n === 0,
    );
    await hub.outbound.runOnce();
    expect(meta.requests.length).toBe(before + 1);
    const messages = await messagesOf(psid);
    expect(messages.map((m) => [m.id === ours?.id, m.status, m.externalId])).toEqual([
      [false, 'received', 'm_q6'],
      [true, 'sent', mid],
    ]);
  });

  it('maps reactions and an ad referral (the 7-day window)', async () => {
    const psid = '7000000000000007';
    clock = T0;
    await post([
      { ...from(psid, T0 - 30 * HOUR_MS), message: { mid: 'm_q7', text: 'Saw your ad' } },
    ]);
    await post([
      {
        ...from(psid, T0 - 29 * HOUR_MS),
        reaction: { mid: 'm_q7', action: 'react', emoji: '❤️', reaction: 'love' },
      },
      { ...from(psid, T0 - 28 * HOUR_MS), reaction: { mid: 'm_q7', action: 'unreact' } },
    ]);
    const referral = {
      ...from(psid, T0 - 27 * HOUR_MS),
      referral: {
        ref: 'winter-sale',
        source: 'ADS',
        type: 'OPEN_THREAD',
        ad_id: '6045246247433',
        ads_context_data: { ad_title: 'Winter sale' },
      },
    };
    expect((await post([referral])).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    const messages = await messagesOf(psid);
    expect(messages.slice(1).map((m) => m.content)).toEqual([
      { type: 'reaction', emoji: '❤️', targetExternalId: 'm_q7' },
      { type: 'reaction', emoji: '', targetExternalId: 'm_q7' },
      {
        type: 'referral',
        source: 'ADS',
        ref: 'winter-sale',
        adId: '6045246247433',
        adTitle: 'Winter sale',
      },
    ]);
    const conversation = await conversationOf(psid);
    expect([conversation.entryPoint, conversation.entryPointAt]).toEqual([
      'ad_referral',
      T0 - 27 * HOUR_MS,
    ]);
    expect(conversation.window).toMatchObject({ state: 'open', basis: 'messenger.ad_referral_7d' });
  });
});

describe('Messenger odd deliveries', () => {
  it('keeps an event it cannot read as a dead letter and stores the good one beside it', async () => {
    const psid = '7000000000000012';
    const result = await post([
      {
        sender: { id: psid },
        recipient: { id: MESSENGER.pageId },
        message: { mid: 'm_no_time', text: 'x' },
      },
      {
        ...from(psid, T0 - HOUR_MS),
        postback: {
          title: 'Get Started',
          payload: 'GET_STARTED',
          referral: { source: 'ADS', ref: 'spring', ad_id: '777', type: 'OPEN_THREAD' },
        },
      },
      { ...from(psid, T0 - HOUR_MS + 1), optin: { ref: 'newsletter' } },
    ]);
    expect(result.body).toEqual({ received: 1, stored: 1, duplicates: 0, deadLettered: 1 });
    const [message] = await messagesOf(psid);
    expect([message?.externalId, message?.content]).toEqual([
      `postback.${psid}.${T0 - HOUR_MS}`,
      { type: 'button_reply', payload: 'GET_STARTED', text: 'Get Started' },
    ]);
    expect((await conversationOf(psid)).entryPoint).toBe('ad_referral');
  });
});

describe('Messenger sends', () => {
  it('HUMAN_AGENT only after 24 h, within 7 days, with the permission', async () => {
    const psid = '7000000000000008';
    clock = T0;
    await post([{ ...from(psid, T0 - 2 * DAY_MS), message: { mid: 'm_q8', text: 'Any news?' } }]);
    const untagged = await send(psid, 'Sorry for the wait');
    expect([untagged.status, untagged.body.error]).toEqual([409, 'window_closed']);
    const tagged = await send(psid, 'Sorry for the wait', 'HUMAN_AGENT');
    expect(tagged.status).toBe(202);
    await hub.outbound.runOnce();
    expect(meta.requests.at(-1)?.body).toMatchObject({
      recipient: { id: psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Sorry for the wait' },
    });
    expect((await messagesOf(psid)).at(-1)).toMatchObject({ status: 'sent', tag: 'HUMAN_AGENT' });

    clock = T0 + 6 * DAY_MS;
    const late = await send(psid, 'Still there?', 'HUMAN_AGENT');
    expect([late.status, late.body.error]).toEqual([409, 'window_closed']);
  });

  it('maps Meta errors to reasons and retries a rate limit', async () => {
    const psid = '7000000000000009';
    clock = T0;
    await post([{ ...from(psid, T0 - HOUR_MS), message: { mid: 'm_q9', text: 'Hello' } }]);
    meta.failNext({
      status: 400,
      code: 613,
      message: 'Calls to this api have exceeded the rate limit.',
    });
    const before = meta.requests.length;
    await send(psid, 'First');
    // Refused with 613: back in the queue, retried after its backoff (the hub's clock moves on).
    // (A reply is queued before its first attempt too: wait for the attempt, not the status.)
    const first = await until(
      async () => meta.requests[before]?.response?.status,
      (status) => status !== undefined,
    );
    expect(first).toBe(400);
    await until(
      async () => (await messagesOf(psid)).at(-1)?.status,
      (status) => status === 'queued',
    );
    clock += 1000;
    await hub.outbound.runOnce();
    await until(
      async () => (await messagesOf(psid)).at(-1)?.status,
      (status) => status === 'sent',
    );
    expect(meta.requests.length - before).toBe(2);

    meta.failNext({
      status: 400,
      code: 10,
      subcode: 2018278,
      message: '(#10) This message is sent outside of allowed window.',
    });
    await send(psid, 'Second');
    await until(
      async () => (await messagesOf(psid)).at(-1)?.status,
      (status) => status === 'failed',
    );
    expect((await messagesOf(psid)).at(-1)).toMatchObject({
      failureCode: '10/2018278',
      failureReason:
        'Messenger refused it: more than 24 hours have passed since the customer last wrote (7 days with the HUMAN_AGENT tag where the Page has that permission). Error 10/2018278.',
    });

    meta.failNext({
      status: 400,
      code: 551,
      subcode: 1545041,
      message: "(#551) This person isn't available right now.",
    });
    await send(psid, 'Third');
    await until(
      async () => (await messagesOf(psid)).at(-1)?.status,
      (status) => status === 'failed',
    );
    expect((await messagesOf(psid)).at(-1)).toMatchObject({
      failureCode: '551/1545041',
      failureReason:
        "This person isn't available right now on Messenger (they may have blocked the Page or left). Error 551/1545041.",
    });
  });
});

describe('Messenger files', () => {
  it('downloads an inbound attachment once from its CDN URL; an expired URL fails with why', async () => {
    const psid = '7000000000000010';
    clock = T0;
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const url = meta.serveFile('broken-box.jpg', jpeg, 'image/jpeg');
    await post([
      {
        ...from(psid, T0 - HOUR_MS),
        message: { mid: 'm_photo', attachments: [{ type: 'image', payload: { url } }] },
      },
      {
        ...from(psid, T0 - HOUR_MS + 1),
        message: {
          mid: 'm_gone',
          attachments: [{ type: 'file', payload: { url: `${meta.url}/cdn/expired.pdf` } }],
        },
      },
    ]);
    const messages = await until(
      () => messagesOf(psid),
      (list) => list.every((m) => m.attachment?.state !== 'pending'),
    );
    expect(messages.map((m) => m.attachment)).toEqual([
      {
        state: 'ready',
        sha256: createHash('sha256').update(jpeg).digest('hex'),
        mimeType: 'image/jpeg',
        size: jpeg.length,
        filename: null,
        error: null,
        thumbnail: null,
      },
      {
        state: 'failed',
        sha256: null,
        mimeType: null,
        size: null,
        filename: null,
        error: 'Messenger no longer has this file: its link expired (HTTP 403).',
      },
    ]);
    expect(meta.requests.filter((r) => r.path === '/cdn/broken-box.jpg')).toHaveLength(1);
  });
  it("uploads an agent's file to message_attachments once and sends it by attachment_id", async () => {
    const psid = '7000000000000011';
    clock = T0;
    await post([{ ...from(psid, T0 - HOUR_MS), message: { mid: 'm_q11', text: 'Label please' } }]);
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const sha = createHash('sha256').update(pdf).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=messenger`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/pdf',
        'x-filename': 'return-label.pdf',
      },
      body: new Uint8Array(pdf),
    });
    expect(uploaded.status).toBe(201);
    const conversation = await conversationOf(psid);
    const before = meta.requests.length;
    const queued = await api(hub.url, token, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: {
        content: {
          type: 'document',
          media: {
            mediaId: sha,
            sha256: sha,
            mimeType: 'application/pdf',
            filename: 'return-label.pdf',
          },
        },
      },
    });
    expect(queued.status).toBe(202);
    await until(
      async () => (await messagesOf(psid)).at(-1)?.status,
      (status) => status === 'sent',
    );
    const calls = meta.requests.slice(before);
    expect(calls.map((r) => r.path)).toEqual([
      `/v23.0/${MESSENGER.pageId}/message_attachments`,
      `/v23.0/${MESSENGER.pageId}/messages`,
    ]);
    const attachmentId = (calls[0]?.response?.body as { attachment_id: string }).attachment_id;
    expect(calls[1]?.body).toMatchObject({
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { attachment: { type: 'file', payload: { attachment_id: attachmentId } } },
    });
  });
});

describe('Instagram Direct', () => {
  const IGSID = '2900000000000001';
  const igFrom = (at: number) => ({
    sender: { id: IGSID },
    recipient: { id: INSTAGRAM.accountId },
    timestamp: at,
  });
  const toCustomer = (at: number) => ({
    sender: { id: INSTAGRAM.accountId },
    recipient: { id: IGSID },
    timestamp: at,
  });
  async function postIg(events: readonly object[], secret = INSTAGRAM.appSecret) {
    const signed = signedMeta(metaWebhook('instagram', INSTAGRAM.accountId, events), secret);
    const res = await fetch(`${hub.url}/webhooks/instagram`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  async function igMessages(): Promise<Message[]> {
    const list = await api<{ conversations: View[] }>(
      hub.url,
      token,
      '/api/conversations?channel=instagram&limit=50',
    );
    const conversation = list.body.conversations.find((c) => c.customer.name === IGSID);
    if (!conversation) throw new Error('no Instagram conversation');
    return (
      await api<{ messages: Message[] }>(
        hub.url,
        token,
        `/api/conversations/${conversation.id}/messages`,
      )
    ).body.messages;
  }

  it('refuses a delivery signed with the Messenger secret: 401, nothing stored', async () => {
    const result = await postIg(
      [{ ...igFrom(T0), message: { mid: 'ig_forged', text: 'hi' } }],
      MESSENGER.appSecret,
    );
    expect(result.status).toBe(401);
    expect(await count('instagram')).toBe(0);
  });

  it('maps text, story replies and mentions, reactions, unsend and echoes', async () => {
    clock = T0;
    const story = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1790&signature=abc';
    const result = await postIg([
      { ...igFrom(T0 - 5 * HOUR_MS), message: { mid: 'ig_1', text: 'Do you ship to Lyon?' } },
      {
        ...igFrom(T0 - 4 * HOUR_MS),
        message: {
          mid: 'ig_2',
          text: 'Love this!',
          reply_to: { story: { id: '1790', url: story } },
        },
      },
      {
        ...igFrom(T0 - 3 * HOUR_MS),
        message: { mid: 'ig_3', attachments: [{ type: 'story_mention', payload: { url: story } }] },
      },
      {
        ...igFrom(T0 - 2 * HOUR_MS),
        reaction: { mid: 'ig_1', action: 'react', reaction: 'love', emoji: '❤' },
      },
      // An agent in the Instagram app: an agent message.
      {
        ...toCustomer(T0 - 90 * 60_000),
        message: { mid: 'ig_echo_app', is_echo: true, text: 'Yes we do!' },
      },
      { ...igFrom(T0 - HOUR_MS), message: { mid: 'ig_1', is_deleted: true } },
    ]);
    expect(result.body).toEqual({ received: 6, stored: 5, duplicates: 0, deadLettered: 0 });
    const messages = await igMessages();
    expect(messages.map((m) => [m.externalId, m.direction, m.content])).toEqual([
      ['ig_1', 'inbound', { type: 'removed', originalType: 'text' }],
      [
        'ig_2',
        'inbound',
        { type: 'story', mention: false, url: story, storyId: '1790', text: 'Love this!' },
      ],
      ['ig_3', 'inbound', { type: 'story', mention: true, url: story }],
      [
        `reaction.${IGSID}.${T0 - 2 * HOUR_MS}.react`,
        'inbound',
        { type: 'reaction', emoji: '❤', targetExternalId: 'ig_1' },
      ],
      ['ig_echo_app', 'outbound', { type: 'text', body: 'Yes we do!' }],
    ]);
  });

  it('sends through the linked Page; its echo (our app id) is not stored; read by mid', async () => {
    clock = T0;
    const list = await api<{ conversations: View[] }>(
      hub.url,
      token,
      '/api/conversations?channel=instagram&limit=50',
    );
    const conversation = list.body.conversations.find((c) => c.customer.name === IGSID);
    const path = `/api/conversations/${conversation?.id}/messages`;
    const sent = await api(hub.url, token, path, {
      method: 'POST',
      body: { content: { type: 'text', body: 'Yes, 3 days to Lyon.' } },
    });
    expect(sent.status).toBe(202);
    await hub.outbound.runOnce();
    const request = meta.requests.at(-1);
    expect([request?.pageId, request?.body]).toEqual([
      INSTAGRAM.pageId,
      {
        recipient: { id: IGSID },
        messaging_type: 'RESPONSE',
        message: { text: 'Yes, 3 days to Lyon.' },
      },
    ]);
    const mid = meta.sentMessageIds.at(-1);
    const total = await count('instagram');
    const echo = {
      ...toCustomer(T0 + 100),
      message: {
        mid,
        is_echo: true,
        app_id: Number(INSTAGRAM.appId),
        text: 'Yes, 3 days to Lyon.',
      },
    };
    expect((await postIg([echo])).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 0,
      deadLettered: 0,
    });
    expect(await count('instagram')).toBe(total);
    await postIg([{ ...igFrom(T0 + 5000), read: { mid } }]);
    expect((await igMessages()).at(-1)).toMatchObject({ externalId: mid, status: 'read' });
  });

  it('refuses HUMAN_AGENT without the Page permission: 409 saying what is allowed', async () => {
    clock = T0 + 2 * DAY_MS;
    const list = await api<{ conversations: View[] }>(
      hub.url,
      token,
      '/api/conversations?channel=instagram&limit=50',
    );
    const conversation = list.body.conversations.find((c) => c.customer.name === IGSID);
    const refused = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${conversation?.id}/messages`,
      {
        method: 'POST',
        body: { content: { type: 'text', body: 'Any news?' }, tag: 'HUMAN_AGENT' },
      },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('window_closed');
    expect(refused.body.message).toContain(
      "Instagram allows no message more than 24 hours after the customer's last message without the HUMAN_AGENT tag, and this account lacks the human_agent permission",
    );
    clock = T0;
  });
});
