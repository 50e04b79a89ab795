import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError } from '../../src/server/channels/connector';
import { lineConnector, readLineQuota, startLineLoading } from '../../src/server/channels/line';
import { retryKeyFor } from '../../src/server/channels/line/sender';
import { signLineBody, verifyLineSignature } from '../../src/server/channels/line/signature';
import { stickerImageUrl } from '../../src/server/channels/line/webhook';
import {
  ChannelMediaError,
  type InboundMessage,
  type OutboundRequest,
} from '../../src/server/channels/types';
import { throughConnector } from '../../src/server/demo/through-connector';
import type { FakeLineApi } from '../support/fake-line-api';
import { startLineFake } from '../support/line-hub';
import { LINE, lineEvent, lineSettings, lineWebhook } from '../support/line-webhooks';

/**
 * Issue #15 item 2, the connector alone: LINE's signature (CHANNEL-API.md §5.1's computed
 * vector), every webhook event type to its exact events, and reply / push / quota / content /
 * webhook endpoint / loading calls against the local fake of the Messaging API.
 */

const T0 = Date.parse('2026-12-04T01:00:00Z');
let clock = T0;
let line: FakeLineApi;
const USER = 'U4af4980629a0b1c2d3e4f5a6b7c8d9e0';

beforeAll(async () => {
  line = await startLineFake(() => clock);
});
afterAll(async () => {
  await line.close();
});

const settings = () => lineSettings(line.url);
const published: string[] = [];
const deps = {
  settings,
  timeoutMs: 500,
  publishFile: async (file: { filename: string }) => {
    const url = `https://hub.example/media/published/${file.filename}`;
    published.push(url);
    return url;
  },
};
const sender = () => lineConnector.createSender(deps);
const media = () => {
  const part = lineConnector.createMedia?.(deps);
  if (!part) throw new Error('LINE has a media part');
  return part;
};
const request = (
  messageId: string,
  content: OutboundRequest['content'],
  replyToken?: string,
): OutboundRequest => ({
  messageId,
  channel: 'line',
  channelAccountId: LINE.botUserId,
  to: USER,
  content,
  ...(replyToken ? { replyToken } : {}),
});
const parse = (events: readonly object[]) => lineConnector.parse(lineWebhook(events), settings());

describe('LINE signature', () => {
  const raw = Buffer.from('{"destination":"U00000000000000000000000000000000","events":[]}');
  const vector = 'qk3NeKPNjtu81adB3fsmzhcwukKcQoHjsiYG6f/hysk=';

  it('matches the computed test vector of CHANNEL-API.md §5.1', () => {
    expect(signLineBody(raw, 'channel_secret_test')).toBe(vector);
    expect(verifyLineSignature(raw, vector, 'channel_secret_test')).toBe(true);
  });

  it('refuses a wrong, truncated, missing or unsecreted signature without throwing', () => {
    const flipped = `${vector.startsWith('q') ? 'r' : 'q'}${vector.slice(1)}`;
    expect(verifyLineSignature(raw, flipped, 'channel_secret_test')).toBe(false);
    expect(verifyLineSignature(raw, vector.slice(0, 40), 'channel_secret_test')).toBe(false);
    expect(verifyLineSignature(raw, `${vector}AAAA`, 'channel_secret_test')).toBe(false);
    expect(verifyLineSignature(raw, undefined, 'channel_secret_test')).toBe(false);
    expect(verifyLineSignature(raw, vector, 'another_secret')).toBe(false);
    expect(verifyLineSignature(raw, signLineBody(raw, ''), '')).toBe(false);
    // One byte more in the body.
    expect(
      verifyLineSignature(Buffer.concat([raw, Buffer.from(' ')]), vector, 'channel_secret_test'),
    ).toBe(false);
  });

  it('is the connector check on x-line-signature, answered with a reason when wrong', () => {
    const url = new URL('http://hub.example/webhooks/line');
    const s = { ...settings(), channelSecret: 'channel_secret_test' };
    expect(lineConnector.verify({ headers: { 'x-line-signature': vector }, raw, url }, s)).toEqual({
      ok: true,
    });
    expect(lineConnector.verify({ headers: {}, raw, url }, s)).toEqual({
      ok: false,
      reason: 'A delivery was refused: its x-line-signature was missing or wrong.',
      message: 'The x-line-signature signature is missing or wrong.',
    });
    expect(lineConnector.receives(s)).toBe(true);
    expect(lineConnector.receives({})).toBe(false);
  });
});

describe('LINE webhook mapping', () => {
  const customer = { externalId: USER, name: null, phone: null };
  const base = { channel: 'line', channelAccountId: LINE.botUserId, customer } as const;

  it("answers the console's Verify (events: []) with no events and no problems", () => {
    expect(parse([])).toEqual({ events: [], problems: [], lost: [] });
  });

  it('refuses what is not a LINE webhook', () => {
    expect(() => lineConnector.parse({ object: 'page', entry: [] }, settings())).toThrow(
      WebhookPayloadError,
    );
    expect(() => lineConnector.parse({ destination: LINE.botUserId }, settings())).toThrow(
      'Not a LINE webhook: events: Invalid input: expected array, received undefined',
    );
  });

  it('maps every message type, with its reply token valid for 50 s', () => {
    const at = T0;
    const token = { token: 'nHuyWiB7yP5Zw52FIkcQobQuGDXCTA', expiresAt: at + 50_000 };
    const ev = (id: string, message: object, extra: object = {}) =>
      lineEvent('message', USER, at, {
        replyToken: token.token,
        message: { id, ...message },
        ...extra,
      });
    const parsed = parse([
      ev('1001', { type: 'text', text: 'hello', quoteToken: 'q1' }),
      ev('1002', {
        type: 'text',
        text: 'about this one',
        quotedMessageId: '1001',
        quoteToken: 'q2',
      }),
      ev('1003', {
        type: 'image',
        contentProvider: { type: 'line' },
        imageSet: { id: 'E005D41A7288F41B65', index: 1, total: 2 },
      }),
      ev('1004', {
        type: 'image',
        contentProvider: {
          type: 'external',
          originalContentUrl: 'https://example.com/original.jpg',
          previewImageUrl: 'https://example.com/preview.jpg',
        },
      }),
      ev('1005', { type: 'video', duration: 60000, contentProvider: { type: 'line' } }),
      ev('1006', { type: 'audio', duration: 4000, contentProvider: { type: 'line' } }),
      ev('1007', { type: 'file', fileName: 'invoice.pdf', fileSize: 2138 }),
      ev('1008', {
        type: 'location',
        title: 'Shop',
        address: '1-3 Kioicho, Chiyoda-ku, Tokyo',
        latitude: 35.67966,
        longitude: 139.73669,
      }),
      ev('1009', {
        type: 'sticker',
        packageId: '446',
        stickerId: '1988',
        stickerResourceType: 'ANIMATION',
        keywords: ['happy', 'smile', 'cony'],
      }),
      ev('1010', {
        type: 'sticker',
        packageId: '789',
        stickerId: '10855',
        stickerResourceType: 'MESSAGE',
        text: 'Thanks!',
      }),
      ev('1011', { type: 'hologram' }),
    ]);
    const msg = (externalId: string, content: object, extra: object = {}) => ({
      kind: 'message',
      ...base,
      externalId,
      sentAt: at,
      content,
      replyToken: token,
      ...extra,
    });
    expect(parsed).toEqual({
      events: [
        msg('1001', { type: 'text', body: 'hello' }),
        msg('1002', { type: 'text', body: 'about this one' }, { replyToExternalId: '1001' }),
        msg('1003', { type: 'image', media: { mediaId: '1003' } }),
        msg('1004', {
          type: 'image',
          media: { mediaId: '1004', url: 'https://example.com/original.jpg' },
        }),
        msg('1005', { type: 'video', media: { mediaId: '1005', mimeType: 'video/mp4' } }),
        msg('1006', { type: 'audio', media: { mediaId: '1006', mimeType: 'audio/mp4' } }),
        msg('1007', { type: 'document', media: { mediaId: '1007', filename: 'invoice.pdf' } }),
        msg('1008', {
          type: 'location',
          latitude: 35.67966,
          longitude: 139.73669,
          name: 'Shop',
          address: '1-3 Kioicho, Chiyoda-ku, Tokyo',
        }),
        msg('1009', {
          type: 'sticker',
          media: {
            mediaId: 'line-sticker:446:1988',
            url: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png',
            caption: 'happy, smile, cony',
            animated: true,
          },
        }),
        msg('1010', {
          type: 'sticker',
          media: {
            mediaId: 'line-sticker:789:10855',
            url: stickerImageUrl('10855'),
            caption: 'Thanks!',
          },
        }),
        msg('1011', { type: 'unsupported', originalType: 'hologram' }),
      ],
      problems: [],
      lost: [],
    });
  });

  it('attaches no reply token to a redelivery or a standby event', () => {
    const redelivered = lineEvent('message', USER, T0, {
      replyToken: 'stale-token',
      deliveryContext: { isRedelivery: true },
      message: { id: '2001', type: 'text', text: 'again' },
    });
    const standby = lineEvent('message', USER, T0, {
      mode: 'standby',
      message: { id: '2002', type: 'text', text: 'x' },
    });
    expect(parse([redelivered, standby]).events).toEqual([
      {
        kind: 'message',
        ...base,
        externalId: '2001',
        sentAt: T0,
        content: { type: 'text', body: 'again' },
      },
      {
        kind: 'message',
        ...base,
        externalId: '2002',
        sentAt: T0,
        content: { type: 'text', body: 'x' },
      },
    ]);
  });

  it('maps follow, unfollow, postback and unsend; notes other event types', () => {
    const follow = lineEvent('follow', USER, T0, {
      replyToken: 'f1',
      follow: { isUnblocked: false },
    });
    const refollow = lineEvent('follow', USER, T0 + 1, {
      replyToken: 'f2',
      follow: { isUnblocked: true },
    });
    const unfollow = lineEvent('unfollow', USER, T0 + 2);
    const postback = lineEvent('postback', USER, T0 + 3, {
      replyToken: 'pb-token',
      postback: { data: 'action=buy&itemid=111', params: { datetime: '2026-12-24T10:00' } },
    });
    const plain = lineEvent('postback', USER, T0 + 4, { postback: { data: 'storeId=12345' } });
    const unsend = lineEvent('unsend', USER, T0 + 5, { unsend: { messageId: '1001' } });
    const group = {
      ...lineEvent('message', USER, T0 + 6, {
        message: { id: '3001', type: 'text', text: 'in a group' },
      }),
      source: { type: 'group', groupId: 'Ca56f94637c0000000000000000000000', userId: USER },
    };
    const join = lineEvent('join', USER, T0 + 7, { replyToken: 'j' });
    const broken = lineEvent('message', USER, T0 + 8, { message: { id: '3002', type: 'text' } });
    const parsed = parse([
      follow,
      refollow,
      unfollow,
      postback,
      plain,
      unsend,
      group,
      join,
      broken,
    ]);
    const block = (event: Record<string, unknown>, blocked: boolean, at: number) => ({
      kind: 'block',
      ...base,
      externalId: event['webhookEventId'],
      blocked,
      at,
    });
    expect(parsed.events).toEqual([
      block(follow, false, T0),
      block(refollow, false, T0 + 1),
      block(unfollow, true, T0 + 2),
      {
        kind: 'message',
        ...base,
        externalId: postback['webhookEventId'],
        sentAt: T0 + 3,
        content: {
          type: 'button_reply',
          payload: 'action=buy&itemid=111',
          text: 'action=buy&itemid=111 (datetime: 2026-12-24T10:00)',
        },
        replyToken: { token: 'pb-token', expiresAt: T0 + 3 + 50_000 },
      },
      {
        kind: 'message',
        ...base,
        externalId: plain['webhookEventId'],
        sentAt: T0 + 4,
        content: { type: 'button_reply', payload: 'storeId=12345', text: 'storeId=12345' },
      },
      {
        kind: 'removal',
        channel: 'line',
        channelAccountId: LINE.botUserId,
        externalId: '1001',
        at: T0 + 5,
      },
      {
        kind: 'message',
        channel: 'line',
        channelAccountId: LINE.botUserId,
        customer: { externalId: 'Ca56f94637c0000000000000000000000', name: null, phone: null },
        externalId: '3001',
        sentAt: T0 + 6,
        content: { type: 'text', body: 'in a group' },
        sender: { externalId: USER },
      },
    ]);
    expect(parsed.problems).toEqual([
      'events[7].source: "join" outside a group or room (event ignored)',
      'events[8].message.text: Invalid input: expected string, received undefined (message skipped)',
    ]);
    expect(parsed.lost).toEqual([
      'events[8].message.text: Invalid input: expected string, received undefined (message skipped)',
    ]);
  });
});

describe('LINE group and room chats', () => {
  const GROUP = 'C1234567890abcdef1234567890abcdef';
  const ROOM = 'R1234567890abcdef1234567890abcdef';
  const inChat = (
    event: Record<string, unknown>,
    source: Record<string, unknown>,
  ): Record<string, unknown> => ({
    ...event,
    source,
  });

  it('makes the group the conversation, names the member, and maps join, leave and member events', () => {
    const message = inChat(
      lineEvent('message', USER, T0, {
        replyToken: 'g-token',
        message: { id: '4001', type: 'text', text: 'Two of us want the blue one' },
      }),
      { type: 'group', groupId: GROUP, userId: USER },
    );
    const roomMessage = inChat(
      lineEvent('message', USER, T0 + 1, {
        message: { id: '4002', type: 'sticker', packageId: '1', stickerId: '2' },
      }),
      { type: 'room', roomId: ROOM, userId: USER },
    );
    // LINE leaves userId out for a member who has not consented: the message has no sender.
    const anonymous = inChat(
      lineEvent('message', USER, T0 + 2, {
        message: { id: '4003', type: 'text', text: 'hello' },
      }),
      { type: 'group', groupId: GROUP },
    );
    const join = inChat(lineEvent('join', USER, T0 + 3, { replyToken: 'j' }), {
      type: 'group',
      groupId: GROUP,
    });
    const leave = inChat(lineEvent('leave', USER, T0 + 4), { type: 'group', groupId: GROUP });
    const roomLeave = inChat(lineEvent('leave', USER, T0 + 5), { type: 'room', roomId: ROOM });
    const joined = inChat(
      lineEvent('memberJoined', USER, T0 + 6, {
        replyToken: 'm',
        joined: { members: [{ type: 'user', userId: USER }] },
      }),
      { type: 'group', groupId: GROUP },
    );
    const left = inChat(
      lineEvent('memberLeft', USER, T0 + 7, {
        left: { members: [{ type: 'user', userId: USER }] },
      }),
      { type: 'group', groupId: GROUP },
    );
    const noId = inChat(
      lineEvent('message', USER, T0 + 8, { message: { id: '4004', type: 'text', text: 'x' } }),
      {
        type: 'group',
        userId: USER,
      },
    );
    const parsed = parse([
      message,
      roomMessage,
      anonymous,
      join,
      leave,
      roomLeave,
      joined,
      left,
      noId,
    ]);
    const chat = (id: string) => ({
      channel: 'line',
      channelAccountId: LINE.botUserId,
      customer: { externalId: id, name: null, phone: null },
    });
    expect(parsed.events).toEqual([
      {
        kind: 'message',
        ...chat(GROUP),
        externalId: '4001',
        sentAt: T0,
        content: { type: 'text', body: 'Two of us want the blue one' },
        replyToken: { token: 'g-token', expiresAt: T0 + 50_000 },
        sender: { externalId: USER },
      },
      {
        kind: 'message',
        ...chat(ROOM),
        externalId: '4002',
        sentAt: T0 + 1,
        content: {
          type: 'sticker',
          media: {
            mediaId: 'line-sticker:1:2',
            url: 'https://stickershop.line-scdn.net/stickershop/v1/sticker/2/android/sticker.png',
          },
        },
        sender: { externalId: USER },
      },
      {
        kind: 'message',
        ...chat(GROUP),
        externalId: '4003',
        sentAt: T0 + 2,
        content: { type: 'text', body: 'hello' },
      },
      {
        kind: 'block',
        ...chat(GROUP),
        externalId: join['webhookEventId'],
        blocked: false,
        at: T0 + 3,
      },
      {
        kind: 'block',
        ...chat(GROUP),
        externalId: leave['webhookEventId'],
        blocked: true,
        at: T0 + 4,
        reason:
          'The LINE account was removed from this group: messages cannot be sent here until a member adds it again.',
      },
      {
        kind: 'block',
        ...chat(ROOM),
        externalId: roomLeave['webhookEventId'],
        blocked: true,
        at: T0 + 5,
        reason:
          'The LINE account was removed from this chat: messages cannot be sent here until a member adds it again.',
      },
    ]);
    expect(parsed.problems).toEqual([
      'events[6]: "memberJoined" events are not shown: a member\'s next message names them (event ignored)',
      'events[7]: "memberLeft" events are not shown: a member\'s next message names them (event ignored)',
      'events[8].source: a group chat without its groupId is not handled (event ignored)',
    ]);
    expect(parsed.lost).toEqual([]);
  });

  it('shows no loading animation in groups and rooms, and names groups and members', async () => {
    const settings = lineSettings(line.url);
    const before = line.requests.length;
    expect(await lineConnector.showTyping?.(GROUP, settings, {})).toBe(3_600_000);
    expect(await lineConnector.showTyping?.(ROOM, settings, {})).toBe(3_600_000);
    expect(line.requests.length).toBe(before);
    line.groups.set(GROUP, { groupName: 'Blue sofa buyers', members: new Map([[USER, 'Aiko']]) });
    line.rooms.set(ROOM, { members: new Map([[USER, 'Ken']]) });
    expect(await lineConnector.customerProfile?.(GROUP, settings, {})).toEqual({
      name: 'Blue sofa buyers',
      language: null,
    });
    expect(await lineConnector.customerProfile?.(ROOM, settings, {})).toEqual({
      name: null,
      language: null,
    });
    expect(await lineConnector.memberName?.(GROUP, USER, settings, {})).toBe('Aiko');
    expect(await lineConnector.memberName?.(ROOM, USER, settings, {})).toBe('Ken');
    expect(line.requests.slice(before).map((r) => [r.method, r.path, r.response?.status])).toEqual([
      ['GET', `/v2/bot/group/${GROUP}/summary`, 200],
      ['GET', `/v2/bot/group/${GROUP}/member/${USER}`, 200],
      ['GET', `/v2/bot/room/${ROOM}/member/${USER}`, 200],
    ]);
    await expect(
      lineConnector.memberName?.(GROUP, `U${'9'.repeat(32)}`, settings, {}),
    ).rejects.toThrow(
      `LINE answered /v2/bot/group/${GROUP}/member/U${'9'.repeat(32)} with HTTP 404: Not found.`,
    );
  });
});

describe('LINE sender', () => {
  it('replies with a fresh reply token, free', async () => {
    clock = T0;
    const token = line.issueReplyToken(USER);
    const result = await sender().send(
      request('msg-reply-1', { type: 'text', body: 'Thanks, on it!' }, token),
    );
    const sent = line.sent.at(-1);
    expect(result).toEqual({
      ok: true,
      externalId: sent?.id,
      billing: { billable: false, basis: 'line.reply_free', label: 'Reply (free)' },
    });
    const call = line.requests.at(-1);
    expect([call?.method, call?.path, call?.headers.authorization]).toEqual([
      'POST',
      '/v2/bot/message/reply',
      `Bearer ${LINE.channelAccessToken}`,
    ]);
    expect(call?.body).toEqual({
      replyToken: token,
      messages: [{ type: 'text', text: 'Thanks, on it!' }],
    });
    expect(call?.headers['x-line-retry-key']).toBe(undefined);
  });

  it('pushes without a token, with a retry key from our message id, billed against the quota', async () => {
    const usedBefore = line.sent.filter((sent) => sent.via === 'push').length;
    const result = await sender().send(
      request('msg-push-1', { type: 'text', body: 'Your parcel shipped.' }),
    );
    const sent = line.sent.at(-1);
    expect(result).toEqual({
      ok: true,
      externalId: sent?.id,
      billing: {
        billable: true,
        basis: 'line.push_quota',
        label: 'Push (counts against the monthly quota)',
        countedBefore: usedBefore,
      },
    });
    // What the month had counted is read first, for the push's price beyond the free quota.
    expect(line.requests.slice(-2).map((r) => r.path)).toEqual([
      '/v2/bot/message/quota/consumption',
      '/v2/bot/message/push',
    ]);
    const call = line.requests.at(-1);
    expect(call?.path).toBe('/v2/bot/message/push');
    expect(call?.body).toEqual({
      to: USER,
      messages: [{ type: 'text', text: 'Your parcel shipped.' }],
    });
    expect(call?.headers['x-line-retry-key']).toBe(retryKeyFor('msg-push-1'));
    expect(retryKeyFor('msg-push-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(retryKeyFor('msg-push-1')).not.toBe(retryKeyFor('msg-push-2'));
  });

  it('falls back to push in the same send when the token was used or expired', async () => {
    clock = T0;
    const used = line.issueReplyToken(USER);
    await sender().send(request('msg-fb-0', { type: 'text', body: 'first' }, used));
    const before = line.requests.length;
    const again = await sender().send(request('msg-fb-1', { type: 'text', body: 'second' }, used));
    expect(line.requests.slice(before).map((r) => [r.path, r.response?.status])).toEqual([
      ['/v2/bot/message/reply', 400],
      ['/v2/bot/message/quota/consumption', 200],
      ['/v2/bot/message/push', 200],
    ]);
    expect(again).toMatchObject({ ok: true, billing: { basis: 'line.push_quota' } });

    const expiring = line.issueReplyToken(USER);
    clock = T0 + 61_000;
    const late = await sender().send(request('msg-fb-2', { type: 'text', body: 'late' }, expiring));
    expect(late).toMatchObject({ ok: true, billing: { billable: true } });
    expect(line.sent.slice(-2).map((s) => s.via)).toEqual(['push', 'push']);
    clock = T0;
  });

  it('sends a push whose answer was lost exactly once: the retry gets 409 and counts as sent', async () => {
    line.acceptAndHang();
    const first = await sender().send(request('msg-hang-1', { type: 'text', body: 'once' }));
    expect(first).toMatchObject({ ok: false, retryable: true, code: 'timeout' });
    const accepted = line.sent.at(-1);
    const second = await sender().send(request('msg-hang-1', { type: 'text', body: 'once' }));
    expect(second).toEqual({
      ok: true,
      externalId: accepted?.id,
      billing: expect.objectContaining({ billable: true }),
    });
    expect(line.requests.at(-1)?.response?.status).toBe(409);
    expect(
      line.sent.filter((s) => s.messages.some((m) => (m as { text?: string }).text === 'once')),
    ).toHaveLength(1);
  });

  it('tells a rate limit (retried, Retry-After) from the exhausted monthly quota (not retried)', async () => {
    line.failNext({ status: 429, message: 'Too many requests', retryAfterSeconds: 7 });
    expect(await sender().send(request('msg-429', { type: 'text', body: 'x' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'rate_limited',
      reason: "LINE's rate limit was reached (Too many requests); will retry.",
      retryAfterMs: 7000,
    });
    line.failNext({ status: 429, message: 'You have reached your monthly limit.' });
    expect(await sender().send(request('msg-quota', { type: 'text', body: 'x' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'quota_exhausted',
      reason:
        'LINE refused the push: this account has used its monthly message quota ("You have reached your monthly limit."). Pushes fail until next month or a plan upgrade; replies within about 50 seconds of the customer\'s message stay free.',
    });
    line.failNext({ status: 500, message: 'Internal server error' });
    expect(await sender().send(request('msg-500', { type: 'text', body: 'x' }))).toMatchObject({
      ok: false,
      retryable: true,
      code: 'http_500',
    });
  });

  it("passes on LINE's message and details for a 4xx, and never its token", async () => {
    const result = await sender().send({
      ...request('msg-400', { type: 'text', body: 'x' }),
      to: 'not-a-user',
    });
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'http_400',
      reason:
        'LINE refused the push (HTTP 400): The request body has 1 error(s) (to: must be a user, group or room id).',
    });
    const wrongToken = lineConnector.createSender({
      settings: () => ({ ...settings(), channelAccessToken: 'leaked-secret-token' }),
    });
    const refused = await wrongToken.send(request('msg-401', { type: 'text', body: 'x' }));
    expect(refused).toEqual({
      ok: false,
      retryable: false,
      code: 'unauthorized',
      reason:
        'LINE refused the channel access token (expired, reissued or revoked); save a new one on the Channels page.',
    });
  });

  it('refuses text over 5000 UTF-16 units, documents, and what LINE cannot take', async () => {
    const long = await sender().send(
      request('msg-long', { type: 'text', body: '😀'.repeat(2501) }),
    );
    expect(long).toEqual({
      ok: false,
      retryable: false,
      code: 'text_too_long',
      reason:
        'LINE text messages are limited to 5000 characters (UTF-16 units); this one has 5002.',
    });
    const doc = await sender().send(
      request('msg-doc', {
        type: 'document',
        media: { mediaId: 'https://hub.example/f.pdf', filename: 'f.pdf' },
      }),
    );
    expect(doc).toEqual({
      ok: false,
      retryable: false,
      code: 'file_not_supported',
      reason: 'LINE bots cannot send files; send a link instead.',
    });
    await expect(
      media().upload(
        { bytes: Buffer.from('%PDF-1.4'), mimeType: 'application/pdf', filename: 'f.pdf' },
        LINE.botUserId,
        AbortSignal.timeout(1000),
      ),
    ).rejects.toEqual(
      new ChannelMediaError(
        'LINE bots cannot send files; send a link instead.',
        false,
        'file_not_supported',
      ),
    );
  });

  it('publishes an image and sends it by its URL, with the caption as a second message', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const uploaded = await media().upload(
      { bytes: jpeg, mimeType: 'image/jpeg', filename: 'box.jpg' },
      LINE.botUserId,
      AbortSignal.timeout(1000),
    );
    expect(uploaded).toEqual({ channelMediaId: 'https://hub.example/media/published/box.jpg' });
    const result = await sender().send(
      request('msg-img', {
        type: 'image',
        media: { mediaId: uploaded.channelMediaId, caption: 'The box' },
      }),
    );
    expect(result).toMatchObject({ ok: true });
    expect(line.requests.at(-1)?.body).toEqual({
      to: USER,
      messages: [
        {
          type: 'image',
          originalContentUrl: 'https://hub.example/media/published/box.jpg',
          previewImageUrl: 'https://hub.example/media/published/box.jpg',
        },
        { type: 'text', text: 'The box' },
      ],
    });
    // Without a way to publish, the upload says so.
    const noPublic = lineConnector.createMedia?.({ settings });
    await expect(
      noPublic?.upload(
        { bytes: jpeg, mimeType: 'image/jpeg', filename: 'a.jpg' },
        LINE.botUserId,
        AbortSignal.timeout(1000),
      ),
    ).rejects.toMatchObject({ code: 'no_public_url', retryable: false });
    // The hub's own error goes through as it is.
    const failing = lineConnector.createMedia?.({
      settings,
      publishFile: () =>
        Promise.reject(new ChannelMediaError('No public URL.', false, 'no_public_url')),
    });
    await expect(
      failing?.upload(
        { bytes: jpeg, mimeType: 'image/jpeg', filename: 'a.jpg' },
        LINE.botUserId,
        AbortSignal.timeout(1000),
      ),
    ).rejects.toEqual(new ChannelMediaError('No public URL.', false, 'no_public_url'));
  });

  it('measures an M4A voice note at upload and states its length; an MP3 says a minute', async () => {
    const box = (type: string, body: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(8 + body.length, 0);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, body]);
    };
    const mvhd = Buffer.alloc(100);
    mvhd.writeUInt32BE(44_100, 12); // timescale (version 0: after version/flags, two times)
    mvhd.writeUInt32BE(110_250, 16); // duration: 2.5 s
    const m4a = Buffer.concat([
      box('ftyp', Buffer.from('M4A \0\0\0\0M4A isom', 'latin1')),
      box('moov', box('mvhd', mvhd)),
    ]);
    const signal = () => AbortSignal.timeout(1000);
    const voice = await media().upload(
      { bytes: m4a, mimeType: 'audio/mp4', filename: 'voice.m4a' },
      LINE.botUserId,
      signal(),
    );
    expect(voice).toEqual({
      channelMediaId: 'https://hub.example/media/published/voice.m4a#line-duration=2500',
    });
    await sender().send(
      request('msg-voice', { type: 'audio', media: { mediaId: voice.channelMediaId } }),
    );
    expect(line.requests.at(-1)?.body).toEqual({
      to: USER,
      messages: [
        {
          type: 'audio',
          originalContentUrl: 'https://hub.example/media/published/voice.m4a',
          duration: 2500,
        },
      ],
    });
    const mp3 = await media().upload(
      {
        bytes: Buffer.from('494433030000000000', 'hex'),
        mimeType: 'audio/mpeg',
        filename: 'song.mp3',
      },
      LINE.botUserId,
      signal(),
    );
    expect(mp3).toEqual({ channelMediaId: 'https://hub.example/media/published/song.mp3' });
    await sender().send(
      request('msg-mp3', { type: 'audio', media: { mediaId: mp3.channelMediaId } }),
    );
    expect(line.requests.at(-1)?.body).toEqual({
      to: USER,
      messages: [
        {
          type: 'audio',
          originalContentUrl: 'https://hub.example/media/published/song.mp3',
          duration: 60_000,
        },
      ],
    });
  });

  it('sends a location', async () => {
    await sender().send(
      request('msg-loc', { type: 'location', latitude: 35.5, longitude: 139.25, name: 'Our shop' }),
    );
    expect(line.requests.at(-1)?.body).toEqual({
      to: USER,
      messages: [
        {
          type: 'location',
          title: 'Our shop',
          address: '35.500000, 139.250000',
          latitude: 35.5,
          longitude: 139.25,
        },
      ],
    });
  });
});

describe('LINE quota, content, webhook endpoint and loading', () => {
  it('reads the monthly quota and what is used', async () => {
    line.setQuota({ type: 'limited', value: 1000 }, 12);
    expect(await readLineQuota(settings())).toEqual({ limit: 1000, used: 12, left: 988 });
    await sender().send(request('msg-quota-count', { type: 'text', body: 'counted' }));
    expect(await readLineQuota(settings())).toEqual({ limit: 1000, used: 13, left: 987 });
    line.setQuota({ type: 'none' }, 40);
    expect(await readLineQuota(settings())).toEqual({ limit: null, used: 40, left: null });
    await expect(readLineQuota({ ...settings(), channelAccessToken: 'wrong' })).rejects.toThrow(
      'LINE answered /v2/bot/message/quota with HTTP 401: Authentication failed. Confirm that the access token in the authorization header is valid..',
    );
    line.setQuota({ type: 'limited', value: 200 }, 0);
  });

  it('downloads content from the data API; too large, expired and busy fail as they should', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    line.serveContent('5001', jpeg, 'image/jpeg');
    const signal = () => AbortSignal.timeout(2000);
    expect(await media().download({ mediaId: '5001' }, LINE.botUserId, signal())).toEqual({
      bytes: jpeg,
      mimeType: 'image/jpeg',
    });
    const call = line.requests.at(-1);
    expect([call?.path, call?.headers.authorization]).toEqual([
      '/v2/bot/message/5001/content',
      `Bearer ${LINE.channelAccessToken}`,
    ]);
    await expect(
      media().download({ mediaId: '5001' }, LINE.botUserId, signal(), { maxBytes: 10 }),
    ).rejects.toEqual(
      new ChannelMediaError(
        "The file is 22 B, over LINE's 10 B for its kind; it was not downloaded.",
        false,
        'too_large',
      ),
    );
    await expect(media().download({ mediaId: '5999' }, LINE.botUserId, signal())).rejects.toEqual(
      new ChannelMediaError(
        'LINE no longer has this file: its content expired (HTTP 404).',
        false,
        'http_404',
      ),
    );
    line.failNext({ status: 503, message: 'busy', on: 'content' });
    await expect(media().download({ mediaId: '5001' }, LINE.botUserId, signal())).rejects.toEqual(
      new ChannelMediaError(
        'LINE could not hand over the file now (HTTP 503); will retry.',
        true,
        'http_503',
      ),
    );
  });

  it('waits for the transcoding of a video, and fetches external files without the token', async () => {
    const mp4 = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
    line.serveContent('5002', mp4, 'video/mp4', 'processing');
    const signal = () => AbortSignal.timeout(2000);
    await expect(
      media().download({ mediaId: '5002', mimeType: 'video/mp4' }, LINE.botUserId, signal()),
    ).rejects.toEqual(
      new ChannelMediaError('LINE is still preparing the file; will retry.', true, 'processing'),
    );
    line.serveContent('5002', mp4, 'video/mp4', 'succeeded');
    expect(
      await media().download({ mediaId: '5002', mimeType: 'video/mp4' }, LINE.botUserId, signal()),
    ).toEqual({
      bytes: mp4,
      mimeType: 'video/mp4',
    });
    expect(line.requests.slice(-2).map((r) => r.path)).toEqual([
      '/v2/bot/message/5002/content/transcoding',
      '/v2/bot/message/5002/content',
    ]);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const url = line.serveFile('original.png', png, 'image/png');
    expect(await media().download({ mediaId: '5003', url }, LINE.botUserId, signal())).toEqual({
      bytes: png,
      mimeType: 'image/png',
    });
    expect(line.requests.at(-1)?.headers.authorization).toBe(undefined);
  });

  it('registers the webhook: sets the endpoint, and LINE tests it with a signed Verify', async () => {
    const received: { ok: boolean; body: string }[] = [];
    let status = 200;
    const hub = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const verdict = lineConnector.verify(
          { headers: req.headers, raw, url: new URL('http://x/') },
          settings(),
        );
        received.push({ ok: verdict.ok, body: raw.toString('utf8') });
        res.writeHead(status).end('{}');
      });
    });
    await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/webhooks/line`;
    try {
      const register = lineConnector.registerWebhook;
      if (!register) throw new Error('LINE registers webhooks');
      expect(await register(endpoint, settings(), {})).toEqual({
        ok: true,
        detail: 'LINE reached the webhook (200).',
      });
      expect(line.webhookEndpoint()).toBe(endpoint);
      expect(received).toEqual([
        { ok: true, body: JSON.stringify({ destination: LINE.botUserId, events: [] }) },
      ]);
      status = 500;
      expect(await register(endpoint, settings(), {})).toEqual({
        ok: false,
        reason:
          'LINE saved the webhook URL, but its test delivery failed (HTTP 500): ERROR_STATUS_CODE: The webhook returned an HTTP status code other than 200.(500).',
        message:
          'LINE saved the webhook URL, but its test delivery failed (HTTP 500): ERROR_STATUS_CODE: The webhook returned an HTTP status code other than 200.(500).',
      });
      expect(await register('not a url', settings(), {})).toMatchObject({
        ok: false,
        reason:
          'LINE refused the webhook URL (HTTP 400): The request body has 1 error(s) (endpoint: Invalid URL).',
      });
    } finally {
      await new Promise<void>((resolve) => hub.close(() => resolve()));
    }
  });

  it('starts the loading indicator in multiples of 5 seconds', async () => {
    expect(await startLineLoading(settings(), {}, USER, 7)).toEqual({
      ok: true,
      loadingSeconds: 10,
    });
    expect(line.requests.at(-1)?.body).toEqual({ chatId: USER, loadingSeconds: 10 });
    expect(line.requests.at(-1)?.response?.status).toBe(202);
    expect(await startLineLoading(settings(), {}, USER, 600)).toEqual({
      ok: true,
      loadingSeconds: 60,
    });
    expect(await startLineLoading(settings(), {}, 'Cgroup', 5)).toEqual({
      ok: false,
      reason:
        'LINE refused the loading indicator (HTTP 400): The request body has 1 error(s) (chatId: must be a user id).',
    });
  });
});

describe('LINE demo delivery', () => {
  it("is a signed webhook of the demo's text message that maps back to the same event", () => {
    const event: InboundMessage = {
      kind: 'message',
      channel: 'line',
      channelAccountId: 'demo-line',
      externalId: 'demo-line-42',
      customer: { externalId: USER, name: 'Aiko Tanaka', phone: null },
      sentAt: T0,
      content: { type: 'text', body: 'Can I change my booking?' },
      replyToken: { token: 'demo-reply-42', expiresAt: T0 + 50_000 },
    };
    const delivery = lineConnector.demoDelivery?.(event);
    const body = JSON.parse(delivery?.raw.toString('utf8') ?? 'null') as {
      destination: string;
      events: { type: string; replyToken: string; source: object }[];
    };
    expect([body.destination, body.events[0]?.type, body.events[0]?.replyToken]).toEqual([
      'demo-line',
      'message',
      'demo-reply-42',
    ]);
    expect(throughConnector([lineConnector], event)).toEqual([event]);
    const { replyToken: _token, ...withoutToken } = event;
    expect(throughConnector([lineConnector], withoutToken)).toEqual([withoutToken]);
    expect(
      lineConnector.demoDelivery?.({
        ...event,
        content: { type: 'image', media: { mediaId: 'demo-photo' } },
      }),
    ).toBe(null);
  });
});
