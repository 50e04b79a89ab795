import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lineConnector } from '../../src/server/channels/line';
import { retryKeyFor } from '../../src/server/channels/line/sender';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { FakeLineApi } from '../support/fake-line-api';
import { startLineHub } from '../support/line-hub';
import { api, login, conversationNamed, messagesNamed } from '../support/hub';
import { connectClient } from '../support/realtime-client';
import { lineEvent, lineSettings, lineWebhook, signedLine } from '../support/line-webhooks';
import { until } from '../support/until';

/**
 * Issue #15 item 2 end to end: signed LINE webhooks through a real hub (PGlite or PostgreSQL,
 * HTTP) into messages and files, and an agent's reply out to a local fake of the Messaging API.
 */

let line: FakeLineApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-04T01:00:00Z');
let clock = T0;

beforeAll(async () => {
  ({ line, hub } = await startLineHub(() => clock));
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await line.close();
});

const user = (n: number): string => `U${String(n).padStart(32, '0')}`;

async function post(
  events: readonly object[],
  options: { secret?: string; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const signed = signedLine(options.body ?? lineWebhook(events), options.secret);
  const res = await fetch(`${hub.url}/webhooks/line`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const conversationOf = (name: string): Promise<Conversation> =>
  conversationNamed<Conversation>(hub.url, token, 'line', name);

const messagesOf = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'line', name);

const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'line'",
      )
    ).rows[0]?.n,
  );

const text = (userId: string, id: string, body: string, at: number, extra: object = {}) =>
  lineEvent('message', userId, at, {
    replyToken: line.issueReplyToken(userId),
    message: { id, type: 'text', text: body, quoteToken: `q-${id}` },
    ...extra,
  });

let commands = 0;
const command = (body: Record<string, unknown>) =>
  api<{ message?: Message }>(hub.url, token, '/api/commands', {
    method: 'POST',
    body: { clientId: `line-command-${(commands += 1)}`, command: body },
  });

describe('LINE webhooks through the hub', () => {
  it('shows the webhook URL under the hub’s public address, not the one the admin used', async () => {
    const res = await api<{ channels: { id: string; webhookUrl: string | null }[] }>(
      hub.url,
      token,
      '/api/admin/channels',
    );
    expect(res.body.channels.find((c) => c.id === 'line')?.webhookUrl).toBe(
      'https://hub.shop.example/webhooks/line',
    );
  });

  it('refuses forged and unsigned deliveries with 401 and stores nothing', async () => {
    const events = [text(user(1), '7001', 'forged', T0)];
    expect((await post(events, { secret: 'not-the-channel-secret' })).status).toBe(401);
    const unsigned = await fetch(`${hub.url}/webhooks/line`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(lineWebhook(events)),
    });
    expect(unsigned.status).toBe(401);
    expect(await count()).toBe(0);
  });

  it("answers the console's Verify (events: []) 200 and stores nothing", async () => {
    expect(await post([])).toEqual({
      status: 200,
      body: { received: 0, stored: 0, duplicates: 0, deadLettered: 0 },
    });
    expect(await count()).toBe(0);
  });

  it('refuses a body that is not a LINE webhook with 400', async () => {
    expect((await post([], { body: { object: 'page', entry: [] } })).status).toBe(400);
    expect(await count()).toBe(0);
  });

  it('stores a text message once, even when LINE redelivers it', async () => {
    const first = text(user(2), '7002', 'Is my order on its way?', T0 - HOUR_MS);
    expect(await post([first])).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    // A redelivery keeps the event (and its webhookEventId) and flags the delivery.
    const again = { ...first, deliveryContext: { isRedelivery: true } };
    expect((await post([again])).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const messages = await messagesOf(user(2));
    expect(messages.map((m) => [m.direction, m.externalId, m.status, m.sentAt, m.content])).toEqual(
      [
        [
          'inbound',
          '7002',
          'received',
          T0 - HOUR_MS,
          { type: 'text', body: 'Is my order on its way?' },
        ],
      ],
    );
  });

  it('keeps an event it cannot read as a dead letter and stores the good one beside it', async () => {
    const good = text(user(3), '7003', 'Hello', T0 - HOUR_MS);
    const broken = lineEvent('message', user(3), T0 - HOUR_MS + 1, {
      message: { id: '7004', type: 'text' },
    });
    expect((await post([good, broken])).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 1,
    });
  });

  it('stores a postback as a button reply, and an unsent message shows as removed', async () => {
    const postback = lineEvent('postback', user(6), T0 - 3000, {
      replyToken: line.issueReplyToken(user(6)),
      postback: { data: 'action=track&order=1042' },
    });
    expect(
      (await post([text(user(6), '7020', 'oops, wrong chat', T0 - 4000), postback])).body,
    ).toEqual({
      received: 2,
      stored: 2,
      duplicates: 0,
      deadLettered: 0,
    });
    await post([lineEvent('unsend', user(6), T0 - 2000, { unsend: { messageId: '7020' } })]);
    const messages = await messagesOf(user(6));
    expect(messages.map((m) => [m.externalId, m.content])).toEqual([
      ['7020', { type: 'removed', originalType: 'text' }],
      [
        postback['webhookEventId'],
        {
          type: 'button_reply',
          payload: 'action=track&order=1042',
          text: 'action=track&order=1042',
        },
      ],
    ]);
  });

  it("sends an agent's reply after the token's life as a push exactly once, with its retry key", async () => {
    clock = T0;
    // Written two minutes ago: its reply token (50 s) is no longer offered.
    await post([text(user(4), '7005', 'Where is it?', T0 - 2 * 60_000)]);
    const conversation = await conversationOf(user(4));
    const before = line.sent.length;
    const answer = await command({
      type: 'send_message',
      conversationId: conversation.id,
      content: { type: 'text', body: 'It ships today.' },
    });
    expect(answer.status).toBe(200);
    await hub.outbound.runOnce();
    const [, ours] = await until(
      () => messagesOf(user(4)),
      (list) => list[1]?.status === 'sent',
    );
    await hub.outbound.runOnce();
    const pushes = line.sent.slice(before);
    expect(pushes.map((s) => [s.via, s.to, s.messages])).toEqual([
      ['push', user(4), [{ type: 'text', text: 'It ships today.' }]],
    ]);
    const request = line.requests.filter((r) => r.path === '/v2/bot/message/push').at(-1);
    expect(request?.headers['x-line-retry-key']).toBe(retryKeyFor(ours?.id ?? ''));
    expect([ours?.direction, ours?.status, ours?.externalId]).toEqual([
      'outbound',
      'sent',
      pushes[0]?.id,
    ]);
  });

  it("a reply within the token's life goes out as a reply, free; after it, as a push", async () => {
    clock = T0;
    const customer = user(7);
    await post([text(customer, '7030', 'Do you ship to Osaka?', T0 - 5000)]);
    const conversation = await conversationOf(customer);
    const before = line.sent.length;
    const reply = async (body: string) => {
      const sent = await command({
        type: 'send_message',
        conversationId: conversation.id,
        content: { type: 'text', body },
      });
      expect(sent.status).toBe(200);
      await hub.outbound.runOnce();
      // The queue's own loop may be the one sending it: wait for its answer either way.
      await until(
        () => messagesOf(customer),
        (list) =>
          list.some(
            (m) => m.content.type === 'text' && m.content.body === body && m.status === 'sent',
          ),
      );
    };
    // 5 s after the customer wrote: the token is fresh, and used once.
    await reply('Yes, in two days.');
    // The token is spent: the next reply is a push.
    await reply('Anything else?');
    // The customer writes again; the agent answers 60 s later, past the token's 50 s.
    await post([text(customer, '7031', 'Great, thanks', T0 + 1000)]);
    clock = T0 + 61_000;
    await reply('You are welcome!');
    expect(line.sent.slice(before).map((s) => [s.via, s.messages])).toEqual([
      ['reply', [{ type: 'text', text: 'Yes, in two days.' }]],
      ['push', [{ type: 'text', text: 'Anything else?' }]],
      ['push', [{ type: 'text', text: 'You are welcome!' }]],
    ]);
    const ours = (await messagesOf(customer)).filter((m) => m.direction === 'outbound');
    expect(ours.map((m) => [m.status, m.cost?.category, m.cost?.label, m.cost?.amount])).toEqual([
      ['sent', 'reply', 'Reply (free)', 0],
      ['sent', 'push', 'Push (counts against the monthly quota)', 0],
      ['sent', 'push', 'Push (counts against the monthly quota)', 0],
    ]);
    // Only the first send was offered the token.
    expect(
      line.requests
        .slice(-20)
        .filter((r) => r.path === '/v2/bot/message/reply' && r.response?.status === 200),
    ).toHaveLength(1);
    clock = T0;
  });

  it('an unfollow blocks the conversation (replies refused), a follow unblocks it', async () => {
    clock = T0;
    const customer = user(8);
    await post([text(customer, '7040', 'Hi', T0 - 10_000)]);
    const conversation = await conversationOf(customer);
    expect((await post([lineEvent('unfollow', customer, T0 - 5000)])).status).toBe(200);
    expect((await conversationOf(customer)).blockedAt).toBe(T0 - 5000);
    const refused = await command({
      type: 'send_message',
      conversationId: conversation.id,
      content: { type: 'text', body: 'Still there?' },
    });
    expect(refused.status).toBe(409);
    await post([lineEvent('follow', customer, T0 - 1000, { follow: { isUnblocked: true } })]);
    expect((await conversationOf(customer)).blockedAt ?? null).toBe(null);
  });

  it("downloads a customer's photo from the data API into the hub's media store once", async () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    line.serveContent('7010', jpeg, 'image/jpeg');
    await post([
      lineEvent('message', user(5), T0 - 1000, {
        message: { id: '7010', type: 'image', contentProvider: { type: 'line' } },
      }),
      lineEvent('message', user(5), T0 - 999, {
        message: { id: '7011', type: 'file', fileName: 'gone.pdf', fileSize: 1200 },
      }),
    ]);
    const messages = await until(
      () => messagesOf(user(5)),
      (list) => list.length === 2 && list.every((m) => m.attachment?.state !== 'pending'),
    );
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    expect(messages.map((m) => m.attachment)).toEqual([
      {
        state: 'ready',
        sha256,
        mimeType: 'image/jpeg',
        size: jpeg.length,
        filename: null,
        error: null,
        // The fake's bytes are no picture a decoder can read: no thumbnail, the file still served.
        thumbnail: null,
      },
      {
        state: 'failed',
        sha256: null,
        mimeType: null,
        size: null,
        filename: 'gone.pdf',
        error: 'LINE no longer has this file: its content expired (HTTP 404).',
      },
    ]);
    expect(line.requests.filter((r) => r.path === '/v2/bot/message/7010/content')).toHaveLength(1);
    const served = await fetch(`${hub.url}/api/media/${sha256}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([served.status, Buffer.from(await served.arrayBuffer()).equals(jpeg)]).toEqual([
      200,
      true,
    ]);
  });

  it("sends an agent's photo by the hub's public link, which serves the file", async () => {
    clock = T0;
    const customer = user(9);
    await post([text(customer, '7050', 'Photo of the label?', T0 - 2 * 60_000)]);
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const sha = createHash('sha256').update(jpeg).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=line`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/jpeg',
        'x-filename': 'label.jpg',
      },
      body: new Uint8Array(jpeg),
    });
    expect(uploaded.status).toBe(201);
    const conversation = await conversationOf(customer);
    const before = line.sent.length;
    const queued = await command({
      type: 'send_message',
      conversationId: conversation.id,
      content: {
        type: 'image',
        media: { mediaId: sha, sha256: sha, mimeType: 'image/jpeg', filename: 'label.jpg' },
      },
    });
    expect(queued.status).toBe(200);
    await until(
      async () => (await messagesOf(customer)).at(-1)?.status,
      (status) => status === 'sent',
    );
    const sent = line.sent.slice(before);
    const link = (sent[0]?.messages[0] as { originalContentUrl?: string } | undefined)
      ?.originalContentUrl;
    expect(link).toMatch(/^https:\/\/hub\.shop\.example\/media\/public\/[^/]+\/label\.jpg$/);
    expect(sent.map((s) => [s.via, s.messages])).toEqual([
      ['push', [{ type: 'image', originalContentUrl: link, previewImageUrl: link }]],
    ]);
    const served = await fetch(`${hub.url}${new URL(link ?? 'https://x/').pathname}`);
    expect([served.status, Buffer.from(await served.arrayBuffer()).equals(jpeg)]).toEqual([
      200,
      true,
    ]);
  });

  it("shows the account's push quota from LINE's quota endpoints", async () => {
    line.setQuota({ type: 'limited', value: 200 }, 37);
    const answer = await api<Record<string, unknown>>(hub.url, token, '/api/channels/line/quota');
    expect([answer.status, answer.body]).toEqual([
      200,
      { channel: 'line', quota: { limit: 200, used: 37, left: 163 }, readAt: clock, error: null },
    ]);
  });

  it("registers the hub's webhook from the Channels page: LINE's test delivery reaches it, 200", async () => {
    const total = await count();
    const url = `${hub.url}/webhooks/line`;
    const answer = await api<Record<string, unknown>>(
      hub.url,
      token,
      '/api/admin/channels/line/webhook',
      {
        method: 'POST',
        body: { url },
      },
    );
    expect([answer.status, answer.body]).toEqual([
      200,
      { ok: true, detail: 'LINE reached the webhook (200).', url },
    ]);
    expect(line.webhookEndpoint()).toBe(url);
    expect(await count()).toBe(total);
    // The connector alone, against a URL nothing answers on: LINE's reason comes back.
    const register = lineConnector.registerWebhook;
    if (!register) throw new Error('LINE registers webhooks');
    expect(await register('http://127.0.0.1:9/webhooks/line', lineSettings(line.url), {})).toEqual({
      ok: false,
      reason:
        'LINE saved the webhook URL, but its test delivery failed: COULD_NOT_CONNECT: Connection failed.',
      message:
        'LINE saved the webhook URL, but its test delivery failed: COULD_NOT_CONNECT: Connection failed.',
    });
  });
});

describe('an agent typing', () => {
  it('shows LINE’s loading animation to the customer, once per 20 s while they type', async () => {
    await post([text(user(90), '7900', 'Is it in stock?', clock)]);
    const conversation = await conversationOf(user(90));
    const client = await connectClient(hub.url, token);
    // Frames count once the hub has greeted the socket (it signs it in first).
    await client.waitFor((f) => f.type === 'hello');
    try {
      const loads = async () =>
        line.requests.filter((r) => r.path === '/v2/bot/chat/loading/start').map((r) => r.body);
      // The hub reads a socket's frames in order and answers a malformed one at once: once that
      // answer is back, every frame before it has been judged at the clock it was sent at.
      let asked = 0;
      const settled = async () => {
        asked += 1;
        client.send({ type: 'no-such-frame' });
        await client.waitFor(
          () => client.frames.filter((f) => f.type === 'error').length === asked,
        );
      };
      const typing = () => client.send({ type: 'typing', conversationId: conversation.id });
      typing();
      await settled();
      expect(await until(loads, (l) => l.length > 0)).toEqual([
        { chatId: user(90), loadingSeconds: 20 },
      ]);
      typing();
      client.send({ type: 'viewing', conversationId: conversation.id });
      await settled();
      clock += 18_000;
      typing();
      await settled();
      // Within a second of the end of the 20 s it shows: asked again.
      clock += 1_500;
      typing();
      await settled();
      expect(await until(loads, (l) => l.length > 1)).toEqual([
        { chatId: user(90), loadingSeconds: 20 },
        { chatId: user(90), loadingSeconds: 20 },
      ]);
    } finally {
      await client.close();
    }
  });
});

describe('customer names from LINE profiles', () => {
  it('names a new customer from their LINE profile once; one LINE does not know stays their id', async () => {
    line.profiles.set(user(91), { displayName: 'Haruto Sato', language: 'ja' });
    await post([text(user(91), '7910', 'こんにちは', clock)]);
    const named = await until(
      async () => (await conversationOf('Haruto Sato').catch(() => null))?.customer ?? null,
      (c) => c !== null,
    );
    expect(named).toMatchObject({ name: 'Haruto Sato', language: 'ja' });
    // A second message does not ask again.
    await post([text(user(91), '7911', 'もう一つ', clock)]);
    await post([text(user(92), '7920', 'Hello', clock)]);
    await until(
      async () => line.requests.filter((r) => r.path === `/v2/bot/profile/${user(92)}`).length,
      (n) => n > 0,
    );
    expect(line.requests.filter((r) => r.path === `/v2/bot/profile/${user(91)}`)).toHaveLength(1);
    expect((await conversationOf(user(92))).customer.name).toBe(user(92));
  });
});
