import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { ChannelConnection } from '../../src/shared/protocol/admin';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub } from '../support/hub';
import {
  createTestConnector,
  signTestBody,
  TEST_CHANNEL,
  withTestConnector,
} from '../support/test-connector';
import { until } from '../support/until';

/**
 * Issue #14 item 1: the hub mounts `/webhooks/<channel>`, configures, and sends through every
 * connector it is given, the same way — here a test-only connector added through the hub's
 * options (it is not in the production registry).
 */
const connector = createTestConnector();
const SECRET = 'test-signing-secret-1';
const AT = Date.parse('2026-11-21T12:00:00Z');
let hub: RunningHub;
let admin: string;

/** The registry without SMS: the channel without a connector of the admin API's 404 test. */
const CONNECTED = CONNECTORS.filter((c) => c.channel !== 'sms');

beforeAll(async () => {
  hub = await startTestHub({ connectors: withTestConnector(CONNECTED, connector), now: () => AT });
  admin = await login(hub.url);
});
afterAll(() => hub.close());

function delivery(messages: { id: string; text: string }[]): string {
  return JSON.stringify({
    messages: messages.map((m) => ({ ...m, from: 'tg-42', name: 'Ana Test', at: AT - 1000 })),
  });
}

async function post(
  body: string,
  signature: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-signature': signature },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const storedCount = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        'select count(*)::int as n from messages where channel = $1',
        [TEST_CHANNEL],
      )
    ).rows[0]?.n,
  );

async function channelOf(id: string): Promise<ChannelConnection | undefined> {
  const res = await api<{ channels: ChannelConnection[] }>(hub.url, admin, '/api/admin/channels');
  return res.body.channels.find((c) => c.id === id);
}

describe('webhooks mounted from the connectors', () => {
  it('mounts /webhooks/<channel> for every connector, and nothing for an unknown channel', () => {
    const paths = hub
      .routes()
      .filter((route) => route.path.startsWith('/webhooks/'))
      .map((route) => `${route.method} ${route.path}`)
      .sort();
    expect(paths).toEqual(
      [
        ...CONNECTED.filter((c) => c.channel !== TEST_CHANNEL).flatMap((c) => [
          ...(c.handshake ? [`GET /webhooks/${c.channel}`] : []),
          `POST /webhooks/${c.channel}`,
        ]),
        `GET /webhooks/${TEST_CHANNEL}`,
        `POST /webhooks/${TEST_CHANNEL}`,
      ].sort(),
    );
  });

  it('refuses to start with two connectors for one channel', async () => {
    await expect(
      startTestHub({ connectors: withTestConnector(CONNECTORS, connector, createTestConnector()) }),
    ).rejects.toThrow(`Two connectors for the channel ${TEST_CHANNEL}.`);
  });

  it('answers 404 for an unknown channel and for a connector not configured yet', async () => {
    const unknown = await fetch(`${hub.url}/webhooks/nope`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    const unconfigured = await post(delivery([{ id: 'early', text: 'x' }]), 'x');
    expect(unconfigured).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'Test channel is not configured on this hub.' },
    });
  });

  it('configures the connector from its settings; secrets are never answered back', async () => {
    const before = await channelOf(TEST_CHANNEL);
    expect(before).toMatchObject({
      provider: 'test_provider',
      name: 'Test channel',
      configured: false,
      webhookHandshake: true,
      webhookPath: `/webhooks/${TEST_CHANNEL}`,
      webhookUrl: `${hub.url}/webhooks/${TEST_CHANNEL}`,
      secrets: { signingSecret: { set: false, source: null, updatedAt: null } },
    });
    // The environment-only base URL is not offered to admins.
    expect(before?.settings?.map((s) => s.name)).toEqual(['signingSecret', 'accountId']);

    const bad = await api<{ details: { fields: { path: string; message: string }[] } }>(
      hub.url,
      admin,
      `/api/admin/channels/${TEST_CHANNEL}`,
      {
        method: 'PUT',
        body: { signingSecret: 'short', accountId: 'acct-x', baseUrl: 'http://evil' },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.fields).toEqual([
      { path: 'signingSecret', message: 'at least 8 characters' },
      { path: 'accountId', message: '“acct-” and digits' },
      { path: '', message: 'Unknown field: baseUrl' },
    ]);
    expect((await channelOf(TEST_CHANNEL))?.configured).toBe(false);
    const rows = await hub.db.query('select name from channel_secrets where channel = $1', [
      TEST_CHANNEL,
    ]);
    expect(rows.rows).toEqual([]);

    const saved = await api<{ channel: ChannelConnection }>(
      hub.url,
      admin,
      `/api/admin/channels/${TEST_CHANNEL}`,
      { method: 'PUT', body: { signingSecret: SECRET, accountId: 'acct-7' } },
    );
    expect(saved.status).toBe(200);
    expect(saved.body.channel.configured).toBe(true);
    expect(saved.body.channel.settings).toEqual([
      expect.objectContaining({
        name: 'signingSecret',
        secret: true,
        value: null,
        state: { set: true, source: 'settings', updatedAt: AT },
      }),
      expect.objectContaining({
        name: 'accountId',
        secret: false,
        value: 'acct-7',
        state: { set: true, source: 'settings', updatedAt: AT },
      }),
    ]);
    expect(JSON.stringify(await channelOf(TEST_CHANNEL))).not.toContain(SECRET);
    // Sealed at rest.
    const sealed = await hub.db.query<{ value: string }>(
      "select value from channel_secrets where channel = $1 and name = 'signingSecret'",
      [TEST_CHANNEL],
    );
    expect(sealed.rows[0]?.value).not.toContain(SECRET);
  });

  it('answers the handshake with the connector, and records it', async () => {
    const wrong = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}?token=nope&challenge=9`);
    expect(wrong.status).toBe(403);
    const right = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}?token=${SECRET}&challenge=9`);
    expect([right.status, await right.text()]).toEqual([200, '9']);
    expect((await channelOf(TEST_CHANNEL))?.webhookVerifiedAt).toBe(AT);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = delivery([{ id: 'forged-1', text: 'forged' }]);
    const forged = await post(body, signTestBody(body, 'not-the-secret'));
    expect(forged).toEqual({
      status: 401,
      body: { error: 'unauthorized', message: 'Bad x-test-signature.' },
    });
    expect(await storedCount()).toBe(0);
    expect((await channelOf(TEST_CHANNEL))?.lastError).toEqual({
      message: 'Test signature refused.',
      at: AT,
    });
  });

  it('ingests a signed delivery once, and a redelivery is a duplicate', async () => {
    const body = delivery([
      { id: 'in-1', text: 'Hello from the test channel' },
      { id: 'in-2', text: 'Second' },
    ]);
    const first = await post(body, signTestBody(body, SECRET));
    expect(first).toEqual({
      status: 200,
      body: { received: 2, stored: 2, duplicates: 0, deadLettered: 0 },
    });
    const again = await post(body, signTestBody(body, SECRET));
    expect(again.body).toEqual({ received: 2, stored: 0, duplicates: 2, deadLettered: 0 });
    expect(await storedCount()).toBe(2);
    const notOurs = await post('{"hello":1}', signTestBody('{"hello":1}', SECRET));
    expect(notOurs.status).toBe(400);
    expect((await channelOf(TEST_CHANNEL))?.lastEventAt).toBe(AT);
  });

  it('keeps what a signed delivery could not store as a dead letter of its channel', async () => {
    const body = delivery([
      { id: 'in-3', text: 'Kept' },
      { id: 'in-4', text: '' },
    ]);
    const res = await post(body, signTestBody(body, SECRET));
    expect(res).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 1 },
    });
    const letters = await hub.db.query<{ channel: string; reasons: string[] }>(
      'select channel, reasons from dead_letters',
    );
    expect(letters.rows).toEqual([
      { channel: TEST_CHANNEL, reasons: ['messages[1]: empty text (message skipped)'] },
    ]);
    expect((await channelOf(TEST_CHANNEL))?.deadLetters).toEqual({ count: 1, lastAt: AT });
  });

  it('refuses a body over the webhook limit with 413 and stores nothing', async () => {
    const body = delivery([{ id: 'huge', text: 'x'.repeat(1024 * 1024) }]);
    const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-test-signature': signTestBody(body, SECRET),
      },
      body,
    });
    expect(res.status).toBe(413);
    expect(await storedCount()).toBe(3);
  });

  it('sends replies through the connector’s own sender, with its settings in force', async () => {
    const list = await api<{ conversations: Conversation[] }>(hub.url, admin, '/api/conversations');
    const conversation = list.body.conversations.find((c) => c.channel === TEST_CHANNEL);
    expect(conversation?.channelAccountId).toBe('acct-7');
    const sent = await api(hub.url, admin, `/api/conversations/${conversation?.id}/messages`, {
      method: 'POST',
      body: { clientId: 'test-reply-0001', content: { type: 'text', body: 'Reply via connector' } },
    });
    expect(sent.status).toBe(202);
    await until(
      async () => connector.sent.length,
      (n) => n === 1,
    );
    expect(connector.sent.map((s) => [s.request.to, s.request.content, s.accountId])).toEqual([
      ['tg-42', { type: 'text', body: 'Reply via connector' }, 'acct-7'],
    ]);
    const messages = await until(
      () =>
        api<{ messages: Message[] }>(
          hub.url,
          admin,
          `/api/conversations/${conversation?.id}/messages`,
        ),
      (res) => res.body.messages.some((m) => m.status === 'sent'),
    );
    const reply = messages.body.messages.find((m) => m.direction === 'outbound');
    expect([reply?.status, reply?.externalId]).toEqual(['sent', `test-out-${reply?.id}`]);
  });
});

describe('the channels API', () => {
  it('is for admins only: an agent gets 403 reading or writing, and nothing changes', async () => {
    const created = await api(hub.url, admin, '/api/admin/users', {
      method: 'POST',
      body: {
        email: 'agent@shop.example',
        name: 'Agent',
        role: 'agent',
        password: 'a long enough password',
      },
    });
    expect(created.status).toBe(201);
    const agent = await login(hub.url, {
      email: 'agent@shop.example',
      password: 'a long enough password',
    });
    const before = await channelOf(TEST_CHANNEL);
    const read = await api(hub.url, agent, `/api/admin/channels/${TEST_CHANNEL}`);
    const write = await api(hub.url, agent, `/api/admin/channels/${TEST_CHANNEL}`, {
      method: 'PUT',
      body: { accountId: 'acct-8' },
    });
    expect([read.status, write.status]).toEqual([403, 403]);
    expect(await channelOf(TEST_CHANNEL)).toEqual(before);
  });

  it('reads one channel, and answers 404 for a channel without a connector', async () => {
    const one = await api<{ channel: ChannelConnection }>(
      hub.url,
      admin,
      `/api/admin/channels/${TEST_CHANNEL}`,
    );
    expect(one.body.channel).toEqual(await channelOf(TEST_CHANNEL));
    const none = await api(hub.url, admin, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { accountId: 'acct-1' },
    });
    expect(none.status).toBe(404);
  });
});
