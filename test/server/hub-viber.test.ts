import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeViberApi, type FakeViberApi } from '../support/fake-viber-api';
import { api, login, startTestHub, conversationNamed, messagesNamed } from '../support/hub';
import { until } from '../support/until';
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
  type ViberUser,
} from '../support/viber-webhooks';

/**
 * Issue #15 item 3 end to end: signed Viber callbacks through a real hub (HTTP, PGlite or
 * PostgreSQL) into messages and statuses, replies through the command API to the local fake of
 * send_message, a picture into the media store, and the 24 h session's cost from the rate card.
 */

let viber: FakeViberApi;
let hub: RunningHub;
let token: string;
const T0 = Date.parse('2026-12-01T09:00:00Z');
let clock = T0;

type View = Conversation & {
  window: { state: string; basis: string; allowed: { kind: string; basis?: string } };
};

beforeAll(async () => {
  viber = await startFakeViberApi({ authToken: VIBER.authToken });
  hub = await startTestHub({
    now: () => clock,
    sendTimeoutMs: 1000,
    selfPublicUrl: true,
    channels: { viber: viberSettings(viber.url) },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await viber.close();
});

async function post(
  raw: string,
  authToken: string = VIBER.authToken,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const signed = signedViber(raw, authToken);
  const res = await fetch(`${hub.url}/webhooks/viber`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const conversationOf = (name: string): Promise<View> =>
  conversationNamed<View>(hub.url, token, 'viber', name);

const messagesOf = (name: string): Promise<Message[]> =>
  messagesNamed(hub.url, token, 'viber', name);

const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'viber'",
      )
    ).rows[0]?.n,
  );

async function reply(name: string, body: string) {
  const conversation = await conversationOf(name);
  return api<{ message: Message }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
    { method: 'POST', body: { content: { type: 'text', body } } },
  );
}

const user = (n: number, country = 'NL'): ViberUser => ({
  id: `viber-user-${n}==`,
  name: `Viber Customer ${n}`,
  country,
  language: 'nl',
});

describe('Viber webhooks', () => {
  it('answers the signed set_webhook check 200 with nothing stored', async () => {
    expect(await post(webhookCheckCallback('5098034272017990000', T0))).toEqual({
      status: 200,
      body: { received: 0, stored: 0, duplicates: 0, deadLettered: 0 },
    });
    expect(await count()).toBe(0);
  });

  it('refuses forged and unsigned callbacks with 401 and stores nothing', async () => {
    const raw = messageCallback('4912661846655238001', T0, user(1), { type: 'text', text: 'hi' });
    expect((await post(raw, 'not-the-auth-token')).status).toBe(401);
    const unsigned = await fetch(`${hub.url}/webhooks/viber`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    expect(unsigned.status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('stores a message once under its exact 64-bit token, even when Viber redelivers it', async () => {
    clock = T0;
    const raw = messageCallback('4912661846655238145', T0 - HOUR_MS, user(2), {
      type: 'text',
      text: 'Is my order on its way?',
    });
    expect(await post(raw)).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await post(raw)).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    // Its neighbour, the same double as a JSON.parse'd number, is a message of its own.
    const neighbour = messageCallback('4912661846655238146', T0 - HOUR_MS + 1, user(2), {
      type: 'text',
      text: 'Order 1234',
    });
    expect((await post(neighbour)).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    const messages = await messagesOf('Viber Customer 2');
    expect(messages.map((m) => [m.direction, m.status, m.externalId, m.sentAt, m.content])).toEqual(
      [
        [
          'inbound',
          'received',
          '4912661846655238145',
          T0 - HOUR_MS,
          { type: 'text', body: 'Is my order on its way?' },
        ],
        [
          'inbound',
          'received',
          '4912661846655238146',
          T0 - HOUR_MS + 1,
          { type: 'text', body: 'Order 1234' },
        ],
      ],
    );
    const conversation = await conversationOf('Viber Customer 2');
    expect([
      conversation.channelAccountId,
      conversation.customer.language,
      conversation.customer.country,
      conversation.window.state,
      conversation.window.basis,
      conversation.window.allowed.kind,
    ]).toEqual([VIBER.accountId, 'nl', 'NL', 'open', 'viber.session_24h', 'free_form']);
  });

  it('sends an agent’s reply once with our id as tracking_data; delivered and seen move it on', async () => {
    clock = T0;
    const before = viber.requests.length;
    const queued = await reply('Viber Customer 2', 'Yes, it ships today.');
    expect(queued.status).toBe(202);
    await hub.outbound.runOnce();
    const ours = await until(
      async () => (await messagesOf('Viber Customer 2')).at(-1),
      (m) => m?.status === 'sent',
    );
    const sends = viber.requests.slice(before).filter((r) => r.path === '/pa/send_message');
    expect(sends.map((r) => r.body)).toEqual([
      {
        receiver: 'viber-user-2==',
        min_api_version: 1,
        sender: { name: VIBER.senderName },
        tracking_data: ours?.id,
        type: 'text',
        text: 'Yes, it ships today.',
      },
    ]);
    const sentToken = viber.sentTokens.at(-1) as string;
    expect([ours?.externalId, ours?.cost]).toEqual([
      sentToken,
      { amount: 0, currency: 'EUR', category: 'session' },
    ]);

    await post(statusCallback('delivered', sentToken, T0 + 2000, 'viber-user-2=='));
    expect((await messagesOf('Viber Customer 2')).at(-1)?.status).toBe('delivered');
    await post(statusCallback('seen', sentToken, T0 + 5000, 'viber-user-2=='));
    expect((await messagesOf('Viber Customer 2')).at(-1)?.status).toBe('read');
    // A late delivered never moves it back; the redelivered seen changes nothing.
    await post(statusCallback('delivered', sentToken, T0 + 6000, 'viber-user-2=='));
    expect((await messagesOf('Viber Customer 2')).at(-1)?.status).toBe('read');
    await hub.outbound.runOnce();
    expect(viber.requests.slice(before).filter((r) => r.path === '/pa/send_message')).toHaveLength(
      1,
    );
  });

  it('shows and records the billable cost 25 h after the customer wrote (GB rate)', async () => {
    clock = T0;
    await post(
      messageCallback('4912661846655238200', T0 - 25 * HOUR_MS, user(3, 'UK'), {
        type: 'text',
        text: 'Hello?',
      }),
    );
    const conversation = await conversationOf('Viber Customer 3');
    expect([
      conversation.customer.country,
      conversation.window.state,
      conversation.window.basis,
      conversation.window.allowed,
    ]).toEqual([
      'GB',
      'closed',
      'viber.billable_outside_session',
      { kind: 'free_form', billable: true },
    ]);
    const queued = await reply('Viber Customer 3', 'Sorry for the wait.');
    expect([queued.status, queued.body.message.cost]).toEqual([
      202,
      { amount: 0.0165, currency: 'EUR', category: 'session' },
    ]);
    await hub.outbound.runOnce();
    const sent = await until(
      async () => (await messagesOf('Viber Customer 3')).at(-1),
      (m) => m?.status === 'sent',
    );
    expect(sent?.cost).toEqual({ amount: 0.0165, currency: 'EUR', category: 'session' });
  });

  it('fails a reply to a customer who unsubscribed with the reason', async () => {
    clock = T0;
    await post(
      messageCallback('4912661846655238300', T0 - HOUR_MS, user(4), { type: 'text', text: 'Hi' }),
    );
    viber.failNext('send_message', { status: 6, statusMessage: 'notSubscribed' });
    await reply('Viber Customer 4', 'Hello!');
    await hub.outbound.runOnce();
    const failed = await until(
      async () => (await messagesOf('Viber Customer 4')).at(-1),
      (m) => m?.status === 'failed',
    );
    expect([failed?.failureCode, failed?.failureReason]).toEqual([
      'blocked',
      'The customer is not subscribed to the bot (unsubscribed or never subscribed); you can write again when they message you.',
    ]);
  });

  it('marks a reply failed with Viber’s desc when a failed callback names its token', async () => {
    clock = T0;
    await post(
      messageCallback('4912661846655238500', T0 - HOUR_MS, user(6), { type: 'text', text: 'Hi' }),
    );
    await reply('Viber Customer 6', 'Hello!');
    await hub.outbound.runOnce();
    const sent = await until(
      async () => (await messagesOf('Viber Customer 6')).at(-1),
      (m) => m?.status === 'sent',
    );
    await post(
      statusCallback(
        'failed',
        sent?.externalId ?? '',
        T0 + 1000,
        'viber-user-6==',
        'Receiver device is not supported',
      ),
    );
    const failed = (await messagesOf('Viber Customer 6')).at(-1);
    expect([failed?.status, failed?.failureCode, failed?.failureReason]).toEqual([
      'failed',
      'viber_failed',
      'Receiver device is not supported',
    ]);
  });

  it('answers conversation_started 200 and stores nothing; a foreign body is 400', async () => {
    const before = await count();
    expect(
      await post(conversationStartedCallback('4912661846655238600', T0, user(7), 'order-77')),
    ).toEqual({ status: 200, body: { received: 0, stored: 0, duplicates: 0, deadLettered: 0 } });
    expect((await post('{"object":"page","entry":[]}')).status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('welcomes a customer who opens the chat, once, and the conversation shows it', async () => {
    const saved = await api(hub.url, token, '/api/admin/channels/viber', {
      method: 'PUT',
      body: { welcomeMessage: 'Welkom! Stel gerust je vraag over je bestelling.' },
    });
    expect(saved.status).toBe(200);
    const sends = (): number => viber.requests.filter((r) => r.path === '/pa/send_message').length;
    const sendsBefore = sends();
    const raw = conversationStartedCallback('4912661846655238601', T0 + 5, user(8), 'order-88');
    const welcome = {
      status: 200,
      body: {
        min_api_version: 1,
        sender: { name: VIBER.senderName },
        tracking_data: 'welcome',
        type: 'text',
        text: 'Welkom! Stel gerust je vraag over je bestelling.',
      },
    };
    expect(await post(raw)).toEqual(welcome);
    // Viber redelivers what it did not get 200 for: answered again, stored once.
    expect(await post(raw)).toEqual(welcome);
    expect(
      (await messagesOf('Viber Customer 8')).map((m) => [m.direction, m.status, m.content]),
    ).toEqual([
      [
        'outbound',
        'sent',
        { type: 'text', body: 'Welkom! Stel gerust je vraag over je bestelling.' },
      ],
    ]);
    // The welcome went out in the answer, never through send_message.
    expect(sends()).toBe(sendsBefore);
    const reopened = conversationStartedCallback('4912661846655238602', T0 + 6, user(8), '', true);
    expect(await post(reopened)).toEqual({
      status: 200,
      body: { received: 0, stored: 0, duplicates: 0, deadLettered: 0 },
    });
    const cleared = await api(hub.url, token, '/api/admin/channels/viber', {
      method: 'PUT',
      body: { welcomeMessage: null },
    });
    expect(cleared.status).toBe(200);
    expect((await post(raw.replace('order-88', 'order-89'))).body).toEqual({
      received: 0,
      stored: 0,
      duplicates: 0,
      deadLettered: 0,
    });
    // A required setting cannot be removed, and a welcome is at most 7,000 characters.
    const refused = await api<{ details: { fields: { path: string; message: string }[] } }>(
      hub.url,
      token,
      '/api/admin/channels/viber',
      { method: 'PUT', body: { authToken: null, welcomeMessage: 'x'.repeat(7001) } },
    );
    expect([refused.status, refused.body.details.fields]).toEqual([
      400,
      [
        { path: 'authToken', message: 'Required' },
        { path: 'welcomeMessage', message: 'at most 7,000 characters' },
      ],
    ]);
  });

  it('tests the saved credentials from the Channels API; a channel without a test is 404', async () => {
    const tested = await api(hub.url, token, '/api/admin/channels/viber/test', {
      method: 'POST',
      body: {},
    });
    expect([tested.status, tested.body]).toEqual([
      200,
      {
        ok: true,
        detail:
          'Connected to Replydesk Shop (replydeskshop) · 3 subscribers · delivers to https://hub.example/webhooks/viber.',
      },
    ]);
    const list = await api<{ channels: { id: string; connectionTest?: boolean }[] }>(
      hub.url,
      token,
      '/api/admin/channels',
    );
    expect(list.body.channels.find((c) => c.id === 'viber')?.connectionTest).toBe(true);
    expect(list.body.channels.find((c) => c.id === 'whatsapp')?.connectionTest).toBe(false);
    const none = await api(hub.url, token, '/api/admin/channels/whatsapp/test', {
      method: 'POST',
      body: {},
    });
    expect(none.status).toBe(404);
  });

  it('downloads a picture into the hub’s media store, once', async () => {
    clock = T0;
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const url = viber.serveFile('broken-box.jpg', jpeg, 'image/jpeg');
    await post(
      messageCallback('4912661846655238400', T0 - HOUR_MS, user(5), {
        type: 'picture',
        media: url,
        text: 'It arrived like this',
        file_name: 'broken-box.jpg',
        thumbnail: url,
      }),
    );
    const [message] = await until(
      () => messagesOf('Viber Customer 5'),
      (list) => list.every((m) => m.attachment?.state !== 'pending'),
    );
    const sha256 = createHash('sha256').update(jpeg).digest('hex');
    expect([message?.content, message?.attachment]).toEqual([
      {
        type: 'image',
        media: {
          mediaId: '4912661846655238400',
          url,
          caption: 'It arrived like this',
          filename: 'broken-box.jpg',
        },
      },
      {
        state: 'ready',
        sha256,
        mimeType: 'image/jpeg',
        size: jpeg.length,
        filename: 'broken-box.jpg',
        error: null,
        thumbnail: null,
      },
    ]);
    const served = await fetch(`${hub.url}/api/media/${sha256}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect([served.status, Buffer.from(await served.arrayBuffer()).equals(jpeg)]).toEqual([
      200,
      true,
    ]);
    expect(viber.requests.filter((r) => r.path === '/cdn/broken-box.jpg')).toHaveLength(1);
  });
});

describe('Viber files sent and blocks', () => {
  it('sends an agent’s picture by its public link at the hub, once', async () => {
    clock = T0;
    await post(
      messageCallback('4912661846655238700', T0 - HOUR_MS, user(8), {
        type: 'text',
        text: 'A photo of the label?',
      }),
    );
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
      'hex',
    );
    const sha256 = createHash('sha256').update(png).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=viber`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'image/png',
        'x-filename': 'label.png',
      },
      body: new Uint8Array(png),
    });
    expect(uploaded.status).toBe(201);
    const conversation = await conversationOf('Viber Customer 8');
    const before = viber.requests.length;
    const queued = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
      {
        method: 'POST',
        body: {
          content: {
            type: 'image',
            media: {
              mediaId: sha256,
              sha256,
              mimeType: 'image/png',
              filename: 'label.png',
              caption: 'Here it is',
            },
          },
        },
      },
    );
    expect(queued.status).toBe(202);
    await hub.outbound.runOnce();
    await until(
      async () => (await messagesOf('Viber Customer 8')).at(-1)?.status,
      (status) => status === 'sent',
    );
    const sends = viber.requests.slice(before).filter((r) => r.path === '/pa/send_message');
    expect(sends).toHaveLength(1);
    const body = sends[0]?.body as Record<string, unknown>;
    expect([body.type, body.text, body.tracking_data]).toEqual([
      'picture',
      'Here it is',
      queued.body.message.id,
    ]);
    // Viber fetches the picture from the hub's public link, with no credentials.
    const media = String(body.media);
    expect(media.startsWith(`${hub.url}/media/public/`)).toBe(true);
    const fetched = await fetch(media);
    expect([fetched.status, Buffer.from(await fetched.arrayBuffer()).equals(png)]).toEqual([
      200,
      true,
    ]);
  });

  it('unsubscribed blocks the conversation and refuses replies; a new message unblocks it', async () => {
    clock = T0;
    const id = 'viber-user-9==';
    await post(
      messageCallback('4912661846655238800', T0 - 2 * HOUR_MS, user(9), {
        type: 'text',
        text: 'Thanks, bye',
      }),
    );
    expect((await post(unsubscribedCallback('4912661846655238801', T0 - HOUR_MS, id))).status).toBe(
      200,
    );
    expect((await conversationOf('Viber Customer 9')).blockedAt).toBe(T0 - HOUR_MS);
    const before = viber.requests.length;
    const refused = await api<{ error: string; message: string }>(
      hub.url,
      token,
      `/api/conversations/${(await conversationOf('Viber Customer 9')).id}/messages`,
      { method: 'POST', body: { content: { type: 'text', body: 'Are you still there?' } } },
    );
    expect([refused.status, refused.body.error, refused.body.message]).toEqual([
      409,
      'blocked',
      'Viber Customer 9 blocked this account on Viber: messages cannot reach them until they unblock it.',
    ]);
    await hub.outbound.runOnce();
    expect(viber.requests.length).toBe(before);

    // A first message subscribes them again (Viber sends no separate `subscribed` then).
    await post(
      messageCallback('4912661846655238802', T0 - 30 * 60_000, user(9), {
        type: 'text',
        text: 'One more question',
      }),
    );
    expect((await conversationOf('Viber Customer 9')).blockedAt ?? null).toBe(null);
    expect((await reply('Viber Customer 9', 'Sure, go ahead.')).status).toBe(202);

    // subscribed after unsubscribed also unblocks.
    await post(unsubscribedCallback('4912661846655238803', T0 - 20 * 60_000, id));
    expect((await conversationOf('Viber Customer 9')).blockedAt).toBe(T0 - 20 * 60_000);
    await post(subscribedCallback('4912661846655238804', T0 - 10 * 60_000, user(9)));
    expect((await conversationOf('Viber Customer 9')).blockedAt ?? null).toBe(null);
  });
});
