import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, Template } from '../../src/shared/domain/model';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS } from '../../src/shared/domain/channels';
import { ADMIN, api, login, startTestHub } from '../support/hub';
import { connectClient } from '../support/realtime-client';

let hub: RunningHub;
let token: string;
const clock = Date.parse('2026-11-21T12:00:00Z');
let counter = 0;

function inbound(overrides: Partial<InboundMessage> = {}): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    externalId: `tg.${counter}`,
    customer: { externalId: 'tg-user-1', name: 'Anna de Vries', phone: null },
    sentAt: clock,
    content: { type: 'text', body: `Hello ${counter}` },
    ...overrides,
  };
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
});

describe('accounts', () => {
  it('signs in with the configured admin and answers /api/me', async () => {
    const me = await api<{ user: { email: string; role: string } }>(hub.url, token, '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: ADMIN.email, role: 'admin' });
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const wrong = await api(hub.url, null, '/api/auth/login', {
      method: 'POST',
      body: { email: ADMIN.email, password: 'nope nope nope' },
    });
    const unknown = await api(hub.url, null, '/api/auth/login', {
      method: 'POST',
      body: { email: 'x@y.example', password: 'nope nope nope' },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses API calls without a valid token', async () => {
    expect((await api(hub.url, null, '/api/conversations')).status).toBe(401);
    expect((await api(hub.url, 'forged-token', '/api/conversations')).status).toBe(401);
  });

  it('ends a session on logout', async () => {
    const second = await login(hub.url);
    await api(hub.url, second, '/api/auth/logout', { method: 'POST' });
    expect((await api(hub.url, second, '/api/me')).status).toBe(401);
  });

  it('does not hand out embedded tokens on a team hub', async () => {
    const asked = await api(hub.url, null, '/api/auth/embedded', { method: 'POST', body: {} });
    expect(asked.status).toBe(403);
    expect(hub.signInUrl()).toBeNull();
  });
});

describe('ingestion and the API', () => {
  it('stores a message once however often the channel delivers it', async () => {
    const message = inbound();
    const first = await hub.ingestor.ingest(message);
    const again = await hub.ingestor.ingest(message);
    expect(first).toMatchObject({ outcome: 'stored' });
    expect(again).toMatchObject({ outcome: 'duplicate' });
    const list = await api<{ conversations: (Conversation & { window: { state: string } })[] }>(
      hub.url,
      token,
      '/api/conversations?channel=telegram',
    );
    const conversation = list.body.conversations.find((c) => c.customer.name === 'Anna de Vries');
    expect(conversation).toBeDefined();
    const messages = await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversation?.id}/messages`,
    );
    expect(messages.body.messages.filter((m) => m.externalId === message.externalId)).toHaveLength(
      1,
    );
    expect(conversation?.window.state).toBe('unlimited');
  });

  it('pages conversations with a cursor and filters by window state', async () => {
    for (let i = 0; i < 5; i++) {
      await hub.ingestor.ingest(
        inbound({
          channel: 'whatsapp',
          channelAccountId: 'wa-1',
          customer: {
            externalId: `3161000000${i}`,
            name: `Customer ${i}`,
            phone: `+3161000000${i}`,
          },
          sentAt: clock - i * 10 * HOUR_MS,
        }),
      );
    }
    const first = await api<{ conversations: Conversation[]; nextCursor: string | null }>(
      hub.url,
      token,
      '/api/conversations?channel=whatsapp&limit=2',
    );
    expect(first.body.conversations).toHaveLength(2);
    expect(first.body.nextCursor).not.toBeNull();
    const second = await api<{ conversations: Conversation[] }>(
      hub.url,
      token,
      `/api/conversations?channel=whatsapp&limit=2&cursor=${first.body.nextCursor}`,
    );
    const ids = [...first.body.conversations, ...second.body.conversations].map((c) => c.id);
    expect(new Set(ids).size).toBe(4);
    // Customers 3 and 4 wrote 30 h and 40 h ago: their WhatsApp windows are closed.
    const closed = await api<{ conversations: Conversation[] }>(
      hub.url,
      token,
      '/api/conversations?channel=whatsapp&window=closed',
    );
    expect(closed.body.conversations.map((c) => c.customer.name).sort()).toEqual([
      'Customer 3',
      'Customer 4',
    ]);
    expect((await api(hub.url, token, '/api/conversations?cursor=garbage')).status).toBe(400);
    expect((await api(hub.url, token, '/api/conversations?limit=100000')).status).toBe(400);
  });
});

describe('templates and roles', () => {
  let agentToken: string;
  beforeAll(async () => {
    const { createUserService } = await import('../../src/server/auth/users');
    await createUserService(hub.db, () => clock).create({
      email: 'agent@shop.example',
      name: 'Sam Agent',
      role: 'agent',
      password: 'agent password 1',
    });
    agentToken = await login(hub.url, {
      email: 'agent@shop.example',
      password: 'agent password 1',
    });
  });

  const quickReply = {
    kind: 'quick_reply',
    name: 'Tracking',
    shortcut: 'track',
    body: 'Hi {{customer.first_name}}, track {{order.number}} at {{order.tracking_url}}',
    language: 'en',
    channels: ['whatsapp'],
  };

  it('lets an admin create, change and delete templates, versioned', async () => {
    const created = await api<{ template: Template }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: quickReply,
    });
    expect(created.status).toBe(201);
    const changed = await api<{ template: Template }>(
      hub.url,
      token,
      `/api/templates/${created.body.template.id}`,
      { method: 'PUT', body: { ...quickReply, name: 'Tracking link' } },
    );
    expect(changed.body.template).toMatchObject({ name: 'Tracking link', version: 2 });
    expect(
      (
        await api(hub.url, token, `/api/templates/${created.body.template.id}`, {
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
  });

  it('answers 403 to an agent changing templates, and lets the agent read them', async () => {
    expect(
      (await api(hub.url, agentToken, '/api/templates', { method: 'POST', body: quickReply }))
        .status,
    ).toBe(403);
    expect((await api(hub.url, agentToken, '/api/templates')).status).toBe(200);
  });

  it('refuses an unknown variable with its position and a too-long WhatsApp body', async () => {
    const unknown = await api<{ error: string; message: string }>(
      hub.url,
      token,
      '/api/templates',
      { method: 'POST', body: { ...quickReply, body: 'Your order {{order.nubmer}}' } },
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/Unknown variable "order.nubmer" at line 1, column 12/);
    const long = await api<{ message: string }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'whatsapp',
        name: 'too_long',
        body: 'x'.repeat(1100),
        language: 'en',
        category: 'utility',
        channels: ['whatsapp'],
      },
    });
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/1100 characters; WhatsApp allows 1024/);
  });
});

describe('the realtime channel', () => {
  it('refuses an upgrade without a token, with a bad token, or from a foreign origin', async () => {
    await expect(connectClient(hub.url, '')).rejects.toThrow(/401/);
    await expect(connectClient(hub.url, 'bad-token')).rejects.toThrow(/401/);
    await expect(
      connectClient(hub.url, token, { headers: { origin: 'https://evil.example' } }),
    ).rejects.toThrow(/403/);
    await expect(
      connectClient(hub.url, token, { headers: { host: 'evil.example' } }),
    ).rejects.toThrow(/403/);
  });

  it('says hello with the hub time and pushes new events to connected clients', async () => {
    const client = await connectClient(hub.url, token);
    const hello = await client.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    expect(hello).toMatchObject({ hubTime: clock, resume: 'fresh', user: { role: 'admin' } });
    await hub.ingestor.ingest(inbound({ content: { type: 'text', body: 'live one' } }));
    const events = await client.waitForEvents(2);
    expect(events.map((e) => e.event.type)).toEqual(['message.created', 'conversation.updated']);
    expect(events[1]?.seq).toBe((events[0]?.seq ?? 0) + 1);
    await client.close();
  });

  it('streams conversation snapshots identical to what the hub stored', async () => {
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    await Promise.all([
      hub.ingestor.ingest(
        inbound({
          customer: { externalId: 'tg-user-9', name: 'Luca Bianchi', phone: null },
          content: { type: 'text', body: 'Ciao' },
        }),
      ),
      hub.ingestor.ingest(
        inbound({
          customer: { externalId: 'tg-user-9', name: 'Luca Bianchi', phone: null },
          content: { type: 'text', body: 'Dove è il mio ordine?' },
        }),
      ),
    ]);
    const events = await client.waitForEvents(3);
    const snapshot = events.find((e) => e.event.type === 'conversation.updated');
    if (snapshot?.event.type !== 'conversation.updated') throw new Error('no conversation event');
    const stored = await api<{ conversation: Conversation }>(
      hub.url,
      token,
      `/api/conversations/${snapshot.event.conversation.id}`,
    );
    const { window: _window, ...fromApi } = stored.body.conversation as Conversation & {
      window: unknown;
    };
    expect(snapshot.event.conversation).toEqual(fromApi);
    expect(snapshot.event.conversation).toMatchObject({
      unreadCount: 2,
      lastMessagePreview: 'Dove è il mio ordine?',
    });
    await client.close();
  });

  it('resumes with since and receives exactly the missed events, in order', async () => {
    const client = await connectClient(hub.url, token);
    const hello = await client.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    await client.close();
    for (let i = 0; i < 5; i++)
      await hub.ingestor.ingest(inbound({ content: { type: 'text', body: `missed ${i}` } }));
    const resumed = await connectClient(hub.url, token, { since: hello.headSeq });
    const events = await resumed.waitForEvents(10);
    expect(events.map((e) => e.seq)).toEqual(
      Array.from({ length: 10 }, (_, i) => hello.headSeq + 1 + i),
    );
    expect(
      events
        .filter((e) => e.event.type === 'message.created')
        .map((e) => (e.event as { message: Message }).message.content),
    ).toEqual(Array.from({ length: 5 }, (_, i) => ({ type: 'text', body: `missed ${i}` })));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(resumed.events()).toHaveLength(10);
    await resumed.close();
  });

  it('asks a client whose gap is older than the retained log to resync', async () => {
    const client = await connectClient(hub.url, token);
    const hello = await client.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    await client.close();
    await hub.ingestor.ingest(inbound());
    await hub.ingestor.ingest(inbound());
    const { pruneEvents } = await import('../../src/server/store/events');
    await pruneEvents(hub.db, 1);
    const stale = await connectClient(hub.url, token, { since: hello.headSeq });
    const answer = await stale.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    expect(answer.resume).toBe('resync');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stale.events()).toEqual([]);
    await stale.close();
  });

  it('asks a client from the future to resync', async () => {
    const client = await connectClient(hub.url, token, { since: 10_000_000 });
    const hello = await client.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    expect(hello.resume).toBe('resync');
    await client.close();
  });

  it('runs a command once however often it is retried', async () => {
    const list = await api<{ conversations: Conversation[] }>(
      hub.url,
      token,
      '/api/conversations?channel=telegram',
    );
    const conversation = list.body.conversations[0] as Conversation;
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    const frame = {
      type: 'command',
      clientId: 'cmd-send-0001',
      command: {
        type: 'send_message',
        conversationId: conversation.id,
        content: { type: 'text', body: 'Once only' },
      },
    };
    client.send(frame);
    client.send(frame);
    await client.waitFor((f) => f.type === 'ack');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const acks = client.frames.filter((f) => f.type === 'ack');
    expect(acks).toHaveLength(2);
    expect(acks[0]).toEqual(acks[1]);
    const messages = await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
    );
    expect(messages.body.messages.filter((m) => m.clientId === 'cmd-send-0001')).toHaveLength(1);
    await client.close();
  });

  it('answers malformed frames with an error and stays connected', async () => {
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    client.send('{not json');
    client.send({ type: 'command', clientId: 'cmd-bad-0001', command: { type: 'send_message' } });
    client.send({ type: 'launch_missiles' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const errors = client.frames.filter((f) => f.type === 'error');
    expect(errors.map((e) => e.type === 'error' && e.code)).toEqual([
      'bad_request',
      'bad_request',
      'bad_request',
    ]);
    expect(errors[1]).toMatchObject({ clientId: 'cmd-bad-0001' });
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    await client.close();
  });

  it('closes a socket that sends a frame over maxPayload', async () => {
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    const closed = new Promise<number>((resolve) =>
      client.socket.once('close', (code) => resolve(code)),
    );
    client.send({
      type: 'command',
      clientId: 'cmd-big-0001',
      command: {
        type: 'send_message',
        conversationId: 'x',
        content: { type: 'text', body: 'x'.repeat(100_000) },
      },
    });
    expect(await closed).toBe(1009);
  });
});
