import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError, type ChannelConnector } from '../../src/server/channels/connector';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { InboundEvent, OutboundRequest, SendResult } from '../../src/server/channels/types';
import { demoImage } from '../../src/server/demo/demo-files';
import type { RunningHub } from '../../src/server/hub';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { api, login, startTestHub } from '../support/hub';
import { TEST_CHANNEL, withTestConnector } from '../support/test-connector';
import { until } from '../support/until';

/**
 * Issue #15, what the hub does for every channel with the new inbound kinds and send facts: an
 * edited message (Telegram), a customer who blocks the business (Telegram, LINE, Viber), LINE's
 * single-use reply token and what it makes a send cost, and files a channel takes inline in the
 * send (Telegram multipart), sent by the channel's id the next time. A test-only connector whose
 * webhook is a list of `InboundEvent`s (unsigned: `verify` always passes) drives the real hub.
 */
const ACCOUNT = 'acct-platform';
let clock = Date.parse('2026-12-01T10:00:00Z');
const sent: OutboundRequest[] = [];
const registered: string[] = [];
let quotaReads = 0;
let quotaFails = false;
let sends = 0;

const connector: ChannelConnector = {
  channel: TEST_CHANNEL,
  name: 'Platform test channel',
  provider: 'platform_test',
  settings: [],
  receives: () => true,
  verify: () => ({ ok: true }),
  parse(body) {
    if (!Array.isArray(body)) throw new WebhookPayloadError('Not a list of events.', '');
    return { events: body as InboundEvent[], problems: [], lost: [] };
  },
  createSender: () => ({
    channel: TEST_CHANNEL,
    send(request): Promise<SendResult> {
      sent.push(request);
      sends += 1;
      return Promise.resolve({
        ok: true,
        externalId: `out-${sends}`,
        billing: request.replyToken
          ? { billable: false, basis: 'line.reply_free', label: 'Reply (free)' }
          : { billable: true, basis: 'line.push_quota', label: 'Push (counts against quota)' },
        ...(request.file ? { channelMediaId: `file-id-${sends}` } : {}),
      });
    },
  }),
  registerWebhook(url) {
    registered.push(url);
    return Promise.resolve(
      url.includes('refuse')
        ? {
            ok: false,
            reason: 'Bad webhook: HTTPS url must be provided',
            message: 'Bad webhook: HTTPS url must be provided',
          }
        : { ok: true, detail: 'Webhook was set; 0 updates pending.' },
    );
  },
  sendQuota() {
    quotaReads += 1;
    if (quotaFails) return Promise.reject(new Error('LINE answered with HTTP 500.'));
    return Promise.resolve({ limit: 5000, used: 49 + quotaReads, left: 4951 - quotaReads });
  },
  createMedia: () => ({
    inline: true,
    download: () => Promise.reject(new Error('not used')),
    upload: () => Promise.reject(new Error('an inline channel is never asked to upload')),
  }),
};

let hub: RunningHub;
let admin: string;
let counter = 0;

beforeAll(async () => {
  hub = await startTestHub({
    connectors: withTestConnector(CONNECTORS, connector),
    now: () => clock,
    outbound: { baseDelayMs: 20, pollMs: 20 },
  });
  admin = await login(hub.url);
});
afterAll(() => hub.close());

async function deliver(events: object[]): Promise<void> {
  const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(res.status).toBe(200);
}

function message(customer: string, body: string, extra: object = {}): object {
  counter += 1;
  return {
    kind: 'message',
    channel: TEST_CHANNEL,
    channelAccountId: ACCOUNT,
    externalId: `in-${counter}`,
    customer: { externalId: customer, name: customer, phone: null },
    sentAt: clock,
    content: { type: 'text', body },
    ...extra,
  };
}

async function conversationOf(customer: string): Promise<Conversation> {
  const { rows } = await hub.db.query<{ id: string }>(
    `select v.id from conversations v where v.customer_external_id = $1 and v.channel = $2`,
    [customer, TEST_CHANNEL],
  );
  const res = await api<{ conversation: Conversation }>(
    hub.url,
    admin,
    `/api/conversations/${rows[0]?.id}`,
  );
  return res.body.conversation;
}

function reply(conversationId: string, content: object) {
  return api<{ message: Message; message_?: string }>(
    hub.url,
    admin,
    `/api/conversations/${conversationId}/messages`,
    { method: 'POST', body: { content } },
  );
}

async function settled(id: string): Promise<Pick<Message, 'status' | 'cost'>> {
  return until(
    async () =>
      (
        await hub.db.query<Pick<Message, 'status' | 'cost'>>(
          'select status, cost from messages where id = $1',
          [id],
        )
      ).rows[0] ?? { status: 'queued', cost: null },
    (m) => m.status === 'sent',
  );
}

describe('edited messages', () => {
  it('replaces the content and marks it edited; an older edit delivered late changes nothing', async () => {
    const original = message('edit-ann', 'Order 1001 please');
    await deliver([original]);
    const id = (original as { externalId: string }).externalId;
    const edit = (body: string, at: number) => ({
      kind: 'edit',
      channel: TEST_CHANNEL,
      channelAccountId: ACCOUNT,
      externalId: id,
      content: { type: 'text', body },
      at,
    });
    await deliver([edit('Order 1002 please', clock + 60_000)]);
    await deliver([edit('Order 1003 please', clock + 30_000)]);
    const { rows } = await hub.db.query<{ content: unknown; edited_at: string }>(
      'select content, edited_at from messages where external_id = $1',
      [id],
    );
    expect(rows.map((r) => ({ content: r.content, editedAt: Number(r.edited_at) }))).toEqual([
      { content: { type: 'text', body: 'Order 1002 please' }, editedAt: clock + 60_000 },
    ]);
    const conversation = await conversationOf('edit-ann');
    const list = await api<{ messages: Message[] }>(
      hub.url,
      admin,
      `/api/conversations/${conversation.id}/messages`,
    );
    expect(list.body.messages.map((m) => [m.content, m.editedAt])).toEqual([
      [{ type: 'text', body: 'Order 1002 please' }, clock + 60_000],
    ]);
  });
});

describe('a customer who blocked the business', () => {
  it('shows on the conversation, refuses replies with the reason, and ends when they write again', async () => {
    await deliver([message('block-bo', 'Hello')]);
    const block = (blocked: boolean, at: number) => ({
      kind: 'block',
      channel: TEST_CHANNEL,
      channelAccountId: ACCOUNT,
      externalId: `update:${at}`,
      customer: { externalId: 'block-bo', name: null, phone: null },
      blocked,
      at,
    });
    await deliver([block(true, clock + 1_000)]);
    const blocked = await conversationOf('block-bo');
    expect(blocked.blockedAt).toBe(clock + 1_000);
    const refused = await reply(blocked.id, { type: 'text', body: 'Are you there?' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: 'blocked',
      message:
        'block-bo blocked this account on Telegram: messages cannot reach them until they unblock it.',
    });
    const stored = await hub.db.query('select 1 from messages where conversation_id = $1', [
      blocked.id,
    ]);
    expect(stored.rows).toHaveLength(1);
    // Unblocking (Telegram `member`) or writing again ends it.
    await deliver([block(false, clock + 2_000)]);
    expect((await conversationOf('block-bo')).blockedAt).toBeUndefined();
    await deliver([block(true, clock + 3_000)]);
    // Written after the block (a message from before it, redelivered late, would not end it).
    await deliver([message('block-bo', 'Sorry, wrong button', { sentAt: clock + 4_000 })]);
    const again = await conversationOf('block-bo');
    expect(again.blockedAt).toBeUndefined();
    const answered = await reply(again.id, { type: 'text', body: 'No problem!' });
    expect(answered.status).toBe(202);
    expect((await settled(answered.body.message.id)).status).toBe('sent');
  });
});

describe('reply tokens', () => {
  it('hands a valid token to one send only, records it free; the next goes as push', async () => {
    sent.length = 0;
    await deliver([
      message('token-cy', 'Where is my parcel?', {
        replyToken: { token: 'reply-token-1', expiresAt: clock + 50_000 },
      }),
    ]);
    const conversation = await conversationOf('token-cy');
    const first = await reply(conversation.id, { type: 'text', body: 'On its way' });
    const second = await reply(conversation.id, { type: 'text', body: 'Tracking: 1Z999' });
    const costs = [
      (await settled(first.body.message.id)).cost,
      (await settled(second.body.message.id)).cost,
    ];
    expect(sent.filter((r) => r.to === 'token-cy').map((r) => r.replyToken ?? null)).toEqual([
      'reply-token-1',
      null,
    ]);
    expect(costs).toEqual([
      { amount: 0, currency: 'USD', category: 'reply', label: 'Reply (free)' },
      { amount: 0, currency: 'USD', category: 'push', label: 'Push (counts against quota)' },
    ]);
    const { rows } = await hub.db.query<{ reply_token: string | null }>(
      'select reply_token from conversations where id = $1',
      [conversation.id],
    );
    expect(rows).toEqual([{ reply_token: null }]);
  });

  it('never offers an expired token, and keeps tokens out of what apps receive', async () => {
    sent.length = 0;
    await deliver([
      message('token-di', 'Hi', {
        replyToken: { token: 'reply-token-2', expiresAt: clock + 50_000 },
      }),
    ]);
    const conversation = await conversationOf('token-di');
    expect(JSON.stringify(conversation)).not.toContain('reply-token-2');
    clock += 50_001;
    const late = await reply(conversation.id, { type: 'text', body: 'Sorry for the wait' });
    await settled(late.body.message.id);
    expect(sent.filter((r) => r.to === 'token-di').map((r) => r.replyToken ?? null)).toEqual([
      null,
    ]);
  });
});

describe('files a channel takes inline', () => {
  it('sends the bytes the first time and the channel’s file id after that', async () => {
    sent.length = 0;
    await deliver([message('file-ed', 'Send me the photo')]);
    const conversation = await conversationOf('file-ed');
    const photo = demoImage('parcel');
    const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
    const uploaded = await fetch(`${hub.url}/api/media?channel=${TEST_CHANNEL}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin}`,
        'content-type': 'image/png',
        'x-filename': 'parcel.png',
      },
      body: new Uint8Array(photo.bytes),
    });
    expect(uploaded.status).toBe(201);
    const media = { mediaId: sha256, sha256, mimeType: 'image/png', filename: 'parcel.png' };
    const first = await reply(conversation.id, { type: 'image', media });
    await settled(first.body.message.id);
    const second = await reply(conversation.id, { type: 'image', media });
    await settled(second.body.message.id);
    expect(
      sent
        .filter((r) => r.to === 'file-ed')
        .map((r) => ({
          mediaId: (r.content as { media: { mediaId: string } }).media.mediaId,
          file: r.file
            ? {
                sha256: createHash('sha256').update(r.file.bytes).digest('hex'),
                name: r.file.filename,
              }
            : null,
        })),
    ).toEqual([
      { mediaId: sha256, file: { sha256, name: 'parcel.png' } },
      { mediaId: `file-id-${sends - 1}`, file: null },
    ]);
  });
});

describe('registering the webhook from the Channels page', () => {
  const register = (token: string, url: string) =>
    api<Record<string, unknown>>(hub.url, token, `/api/admin/channels/${TEST_CHANNEL}/webhook`, {
      method: 'POST',
      body: { url },
    });

  it('tells the platform the URL and answers what it said; a refusal becomes the last error', async () => {
    const channel = async () =>
      (
        await api<{ channel: { webhookRegistration: boolean; lastError: unknown } }>(
          hub.url,
          admin,
          `/api/admin/channels/${TEST_CHANNEL}`,
        )
      ).body.channel;
    expect((await channel()).webhookRegistration).toBe(true);
    const url = 'https://hub.shop.example/webhooks/telegram';
    expect((await register(admin, url)).body).toEqual({
      ok: true,
      detail: 'Webhook was set; 0 updates pending.',
      url,
    });
    const refusedUrl = 'https://refuse.shop.example/webhooks/telegram';
    expect((await register(admin, refusedUrl)).body).toEqual({
      ok: false,
      reason: 'Bad webhook: HTTPS url must be provided',
      url: refusedUrl,
    });
    expect((await channel()).lastError).toEqual({
      message: 'Registering the webhook: Bad webhook: HTTPS url must be provided',
      at: clock,
    });
    expect(registered).toEqual([url, refusedUrl]);
  });

  it('refuses a plain-http URL and a non-admin, and asks the platform nothing', async () => {
    registered.length = 0;
    const plain = await register(admin, 'http://hub.shop.example/webhooks/telegram');
    expect(plain.status).toBe(400);
    expect(String(plain.body['message'])).toContain('an https:// URL');
    const { createUserService } = await import('../../src/server/auth/users');
    await createUserService(hub.db, () => clock).create({
      email: 'agent@platform.example',
      name: 'Pat Agent',
      role: 'agent',
      password: 'agent password 1',
    });
    const agent = await login(hub.url, {
      email: 'agent@platform.example',
      password: 'agent password 1',
    });
    expect((await register(agent, 'https://hub.shop.example/webhooks/telegram')).status).toBe(403);
    expect(registered).toEqual([]);
  });
});

describe('the send quota', () => {
  const read = () =>
    api<Record<string, unknown>>(hub.url, admin, `/api/channels/${TEST_CHANNEL}/quota`);

  it('reads the platform at most once a minute, and keeps the last figure when it fails', async () => {
    quotaReads = 0;
    const first = await read();
    expect(first.body).toEqual({
      channel: TEST_CHANNEL,
      quota: { limit: 5000, used: 50, left: 4950 },
      readAt: clock,
      error: null,
    });
    expect((await read()).body).toEqual(first.body);
    expect(quotaReads).toBe(1);
    const readAt = clock;
    clock += 60_000;
    quotaFails = true;
    expect((await read()).body).toEqual({
      channel: TEST_CHANNEL,
      quota: { limit: 5000, used: 50, left: 4950 },
      readAt,
      error: 'LINE answered with HTTP 500.',
    });
    quotaFails = false;
    clock += 60_000;
    expect((await read()).body['quota']).toEqual({ limit: 5000, used: 52, left: 4948 });
    expect(quotaReads).toBe(3);
    expect((await api(hub.url, null, `/api/channels/${TEST_CHANNEL}/quota`)).status).toBe(401);
  });
});
