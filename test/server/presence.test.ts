import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/shared/domain/model';
import { PRESENCE, type ServerFrame } from '../../src/shared/protocol/realtime';
import type { RunningHub } from '../../src/server/hub';
import { headSeq } from '../../src/server/store/events';
import { api, login, startTestHub } from '../support/hub';
import { connectClient, type TestClient } from '../support/realtime-client';

/**
 * Presence over the WebSocket (issue 12, item 13): who else is viewing or typing in a
 * conversation. Two (and more) real clients against a real hub; time moves by the hub's clock
 * and `expirePresence`, never by waiting.
 */

let hub: RunningHub;
let clock = Date.parse('2026-11-21T12:00:00Z');
let admin: string;
const users: Record<'ana' | 'ben', { id: string; token: string }> = {} as never;
let conversationId: string;
let counter = 0;

type PresenceFrame = Extract<ServerFrame, { type: 'presence' }>;
const isPresence = (frame: ServerFrame): frame is PresenceFrame => frame.type === 'presence';
const presenceOf = (client: TestClient): PresenceFrame[] => client.frames.filter(isPresence);

/**
 * Everything the hub sent `client` before now has arrived: an invalid frame's error answer comes
 * after whatever was sent to it earlier (one socket is in order).
 */
async function settled(client: TestClient): Promise<void> {
  counter += 1;
  const marker = `barrier-${counter}`;
  client.send({ type: 'command', clientId: marker, command: { type: 'nope' } });
  await client.waitFor((f) => f.type === 'error' && f.clientId === marker);
}

async function connect(token: string): Promise<TestClient> {
  const client = await connectClient(hub.url, token);
  await client.waitFor((f) => f.type === 'hello');
  return client;
}

async function addAgent(name: string, email: string): Promise<{ id: string; token: string }> {
  const password = `${name} password 1`;
  const created = await api<{ user: { id: string } }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: { email, name, role: 'agent', password },
  });
  return { id: created.body.user.id, token: await login(hub.url, { email, password }) };
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  users.ana = await addAgent('Ana Lima', 'ana@shop.example');
  users.ben = await addAgent('Ben Okafor', 'ben@shop.example');
  await hub.ingestor.ingest({
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    externalId: 'tg.1',
    customer: { externalId: 'tg-sheena', name: 'Sheena Patel', phone: null },
    sentAt: clock,
    content: { type: 'text', body: 'Where is my order?' },
  });
  const list = await api<{ conversations: Conversation[] }>(hub.url, admin, '/api/conversations');
  conversationId = list.body.conversations[0]?.id ?? '';
});

afterAll(async () => {
  await hub.close();
});

describe('presence', () => {
  it('tells the others who views and who types, not the user themselves, and expires', async () => {
    const ana = await connect(users.ana.token);
    const anaElsewhere = await connect(users.ana.token);
    const ben = await connect(users.ben.token);
    const seqBefore = await headSeq(hub.db);

    ana.send({ type: 'viewing', conversationId });
    const viewing = await ben.waitFor(isPresence);
    expect(viewing).toEqual({
      type: 'presence',
      conversationId,
      people: [{ userId: users.ana.id, name: 'Ana Lima', activity: 'viewing' }],
    });

    ana.send({ type: 'typing', conversationId });
    await ben.waitFor((f) => isPresence(f) && f.people[0]?.activity === 'typing');
    // A refresh changes nothing anyone sees: no frame.
    ana.send({ type: 'typing', conversationId });
    ana.send({ type: 'viewing', conversationId });

    // Ben opens it too: Ana hears of Ben, never of herself, in either of her windows.
    ben.send({ type: 'viewing', conversationId });
    await ana.waitFor(isPresence);
    await Promise.all([settled(ana), settled(anaElsewhere), settled(ben)]);
    expect(presenceOf(ana)).toEqual([
      {
        type: 'presence',
        conversationId,
        people: [{ userId: users.ben.id, name: 'Ben Okafor', activity: 'viewing' }],
      },
    ]);
    expect(presenceOf(anaElsewhere)).toEqual(presenceOf(ana));
    expect(presenceOf(ben).map((f) => f.people.map((p) => p.activity))).toEqual([
      ['viewing'],
      ['typing'],
    ]);

    // Typing lapses first, then viewing, each after its time without a refresh.
    clock += PRESENCE.typingTtlMs;
    hub.realtime.expirePresence();
    await settled(ben);
    expect(presenceOf(ben).at(-1)?.people).toEqual([
      { userId: users.ana.id, name: 'Ana Lima', activity: 'viewing' },
    ]);
    ben.send({ type: 'viewing', conversationId });
    await settled(ben);
    clock += PRESENCE.viewingTtlMs - PRESENCE.typingTtlMs;
    hub.realtime.expirePresence();
    await Promise.all([settled(ben), settled(ana)]);
    expect(presenceOf(ben).at(-1)?.people).toEqual([]);
    expect(presenceOf(ben)).toHaveLength(4);
    // Ben refreshed in time: Ana still sees him, so she was told nothing new.
    expect(presenceOf(ana)).toHaveLength(1);

    // Ephemeral: nothing of it went into the event log.
    expect(await headSeq(hub.db)).toBe(seqBefore);
    await Promise.all([ana.close(), anaElsewhere.close(), ben.close()]);
  });

  it('greets a new socket with who is where, and tells the others when a socket goes', async () => {
    const ana = await connect(users.ana.token);
    ana.send({ type: 'viewing', conversationId });
    await settled(ana);

    const ben = await connect(users.ben.token);
    await settled(ben);
    expect(presenceOf(ben)).toEqual([
      {
        type: 'presence',
        conversationId,
        people: [{ userId: users.ana.id, name: 'Ana Lima', activity: 'viewing' }],
      },
    ]);

    await ana.close();
    await ben.waitFor((f) => isPresence(f) && f.people.length === 0);

    // Leaving the conversation (`null`) says so at once.
    const again = await connect(users.ana.token);
    again.send({ type: 'viewing', conversationId });
    await ben.waitFor(() => presenceOf(ben).length === 3);
    expect(presenceOf(ben).at(-1)?.people).toHaveLength(1);
    again.send({ type: 'viewing', conversationId: null });
    await ben.waitFor(() => presenceOf(ben).length === 4);
    expect(presenceOf(ben).at(-1)?.people).toEqual([]);
    await Promise.all([again.close(), ben.close()]);
  });

  it('stops showing "typing" once the reply is sent', async () => {
    const ana = await connect(users.ana.token);
    const ben = await connect(users.ben.token);
    ana.send({ type: 'typing', conversationId });
    await ben.waitFor((f) => isPresence(f) && f.people[0]?.activity === 'typing');
    ana.send({
      type: 'command',
      clientId: 'presence-reply-1',
      command: { type: 'send_message', conversationId, content: { type: 'text', body: 'Hi!' } },
    });
    await ana.waitFor((f) => f.type === 'ack');
    await ben.waitFor((f) => isPresence(f) && f.people[0]?.activity === 'viewing');
    await Promise.all([ana.close(), ben.close()]);
  });

  it('refuses malformed and oversized frames, and more than its budget', async () => {
    const ana = await connect(users.ana.token);
    const ben = await connect(users.ben.token);
    ana.send({ type: 'viewing', conversationId: 42 });
    ana.send({ type: 'typing', conversationId: 'x'.repeat(101) });
    ana.send({ type: 'typing' });
    await settled(ana);
    expect(
      ana.frames.filter((f) => f.type === 'error').map((f) => f.type === 'error' && f.code),
    ).toEqual(['bad_request', 'bad_request', 'bad_request', 'bad_request']);

    for (let i = 0; i < PRESENCE.budget + 5; i += 1) {
      ana.send({ type: 'viewing', conversationId: i % 2 === 0 ? conversationId : 'cnv_other' });
    }
    await settled(ana);
    const limited = ana.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited');
    expect(limited).toHaveLength(1);
    await settled(ben);
    // Ben heard of each of the budget's changes of place, and of none past it: the entry
    // left and came back (two conversations) on each of the 30 frames.
    const heard = presenceOf(ben);
    expect(heard).toHaveLength(2 * PRESENCE.budget - 1);
    await Promise.all([ana.close(), ben.close()]);
    // The next test starts a fresh budget window.
    clock += PRESENCE.budgetWindowMs;
    hub.realtime.expirePresence();
  });

  it('drops a disabled user at once: their presence goes and their socket is told nothing more', async () => {
    const ana = await connect(users.ana.token);
    const ben = await connect(users.ben.token);
    ben.send({ type: 'viewing', conversationId });
    await ana.waitFor(isPresence);
    const disabled = await api(hub.url, admin, `/api/admin/users/${users.ben.id}`, {
      method: 'PUT',
      body: { disabled: true },
    });
    expect(disabled.status).toBe(200);
    await ana.waitFor((f) => isPresence(f) && f.people.length === 0);
    await new Promise<void>((resolve) => {
      if (ben.socket.readyState === ben.socket.CLOSED) resolve();
      else ben.socket.once('close', () => resolve());
    });
    // Ana's later presence reaches no socket of Ben's.
    ana.send({ type: 'viewing', conversationId });
    await settled(ana);
    expect(presenceOf(ben)).toEqual([]);
    await ana.close();
  });
});
