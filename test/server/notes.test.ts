import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { DashboardFigures } from '../../src/shared/dashboard';
import type { MentionsPage } from '../../src/shared/notes/mentions';
import { createUserService } from '../../src/server/auth/users';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { connectClient } from '../support/realtime-client';
import { until } from '../support/until';
import { messagesWebhook, postSignedWebhook, textMessage } from '../support/whatsapp-webhooks';

/**
 * Internal notes with @mentions (issue #20 item 1): a note is stored and streamed like a message
 * but never reaches a channel, never answers the customer for the SLA or the dashboard, and
 * notifies exactly the teammates it mentions.
 */

const T0 = Date.parse('2026-11-21T10:00:00Z');
let clock = T0;
let graph: FakeGraphApi;
let hub: RunningHub;
let admin: string;
const PASSWORD = 'teammate password 1';
const team: Record<'ana' | 'ben' | 'cleo', { id: string; token: string }> = {} as never;

let commandCount = 0;
async function command(token: string, body: unknown, clientId?: string) {
  return api<{ result: { message: Message }; message?: string; details?: unknown }>(
    hub.url,
    token,
    '/api/commands',
    {
      method: 'POST',
      body: { clientId: clientId ?? `notes-cmd-${(commandCount += 1)}`, command: body },
    },
  );
}

async function conversationOf(waId: string): Promise<Conversation> {
  const list = await api<{ conversations: Conversation[] }>(
    hub.url,
    admin,
    '/api/conversations?channel=whatsapp&limit=500',
  );
  const found = list.body.conversations.find((c) => c.customer.phone === `+${waId}`);
  if (!found) throw new Error(`no conversation for ${waId}`);
  return found;
}

async function customerWrites(waId: string, body: string, at: number): Promise<Conversation> {
  const status = await postSignedWebhook(
    hub.url,
    messagesWebhook(textMessage(body, { from: waId, timestamp: new Date(at) })),
    WHATSAPP.appSecret,
  );
  expect(status).toBe(200);
  return conversationOf(waId);
}

const mentionsOf = async (token: string) =>
  (await api<MentionsPage>(hub.url, token, '/api/mentions')).body;

const figures = async () =>
  (
    await api<DashboardFigures>(
      hub.url,
      admin,
      `/api/dashboard?from=${T0 - HOUR_MS}&to=${T0 + 2 * HOUR_MS}`,
    )
  ).body.totals;

/** Every fact the reply window and the SLA read, and what the inbox row shows. */
function windowAndSlaFacts(c: Conversation) {
  return {
    lastInboundAt: c.lastInboundAt,
    entryPoint: c.entryPoint,
    firstReplyAfterEntryAt: c.firstReplyAfterEntryAt,
    sentSinceInbound: c.sentSinceInbound,
    sentSinceEntryPoint: c.sentSinceEntryPoint,
    awaitingReplySince: c.awaitingReplySince,
    firstReplyAt: c.firstReplyAt,
    assigneeId: c.assigneeId,
    lastMessageAt: c.lastMessageAt,
    lastMessagePreview: c.lastMessagePreview,
    unreadCount: c.unreadCount,
  };
}

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({ graphUrl: graph.url, now: () => clock });
  admin = await login(hub.url);
  const users = createUserService(hub.db, () => clock);
  for (const [key, name] of [
    ['ana', 'Ana Lima'],
    ['ben', 'Ben Okafor'],
    ['cleo', 'Cleo Park'],
  ] as const) {
    const email = `${key}@shop.example`;
    const user = await users.create({ email, name, role: 'agent', password: PASSWORD });
    team[key] = { id: user.id, token: await login(hub.url, { email, password: PASSWORD }) };
  }
  const policy = await api(hub.url, admin, '/api/sla/policies', {
    method: 'POST',
    body: {
      name: 'WhatsApp, around the clock',
      channel: 'whatsapp',
      priority: null,
      firstResponseMs: 30 * MINUTE_MS,
      nextResponseMs: null,
      resolutionMs: null,
      hours: 'always',
      enabled: true,
    },
  });
  expect(policy.status).toBe(201);
});

afterAll(async () => {
  await hub.close();
  await graph.close();
});

describe('a note', () => {
  it('never reaches the channel: the fake Graph API gets exactly the real reply', async () => {
    const conversation = await customerWrites('31611110001', 'Is my parcel lost?', T0);
    const before = graph.requests.length;
    clock = T0 + MINUTE_MS;
    const note = await command(team.ana.token, {
      type: 'add_note',
      conversationId: conversation.id,
      text: 'Carrier says it is in Utrecht, @Ben Okafor can you call them?',
      mentions: [team.ben.id],
    });
    expect(note.status).toBe(200);
    expect(note.body.result.message).toMatchObject({
      direction: 'note',
      content: {
        type: 'note',
        text: 'Carrier says it is in Utrecht, @Ben Okafor can you call them?',
        mentions: [team.ben.id],
      },
      authorId: team.ana.id,
      externalId: null,
      status: 'sent',
      cost: null,
    });
    clock = T0 + 2 * MINUTE_MS;
    expect(
      (
        await command(team.ana.token, {
          type: 'send_message',
          conversationId: conversation.id,
          content: { type: 'text', body: 'We are on it.' },
        })
      ).status,
    ).toBe(200);
    await hub.outbound.runOnce();
    await until(
      async () => graph.requests.length,
      (n) => n > before,
    );
    await hub.outbound.runOnce();
    expect(graph.requests.slice(before).map((r) => r.body)).toEqual([
      expect.objectContaining({
        to: '31611110001',
        type: 'text',
        text: { preview_url: false, body: 'We are on it.' },
      }),
    ]);
    const { rows } = await hub.db.query<{ n: number }>(
      'select count(*)::int as n from outbound_queue where message_id = $1',
      [note.body.result.message.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('is refused by the outbound queue even if one were queued: no connector is asked', async () => {
    const conversation = await customerWrites('31611110002', 'Hello?', T0);
    const note = await command(team.ana.token, {
      type: 'add_note',
      conversationId: conversation.id,
      text: 'VIP customer',
    });
    const before = graph.requests.length;
    // What a bug elsewhere could do: put the note on the queue.
    await hub.db.query(
      'insert into outbound_queue (message_id, attempts, next_attempt_at) values ($1, 0, 0)',
      [note.body.result.message.id],
    );
    hub.outbound.wake();
    await hub.outbound.runOnce();
    expect(graph.requests.length).toBe(before);
    const { rows } = await hub.db.query<{ status: string; failure_code: string }>(
      'select status, failure_code from messages where id = $1',
      [note.body.result.message.id],
    );
    expect(rows[0]).toEqual({ status: 'failed', failure_code: 'not_sendable' });
  });

  it('leaves every reply-window and SLA fact and the inbox preview as they were', async () => {
    const before = await customerWrites('31611110003', 'Can I return this?', T0);
    clock = T0 + 5 * MINUTE_MS;
    const note = await command(team.ben.token, {
      type: 'add_note',
      conversationId: before.id,
      text: 'Outside the 30-day return period',
    });
    expect(note.status).toBe(200);
    const after = await conversationOf('31611110003');
    expect(windowAndSlaFacts(after)).toEqual(windowAndSlaFacts(before));
    expect(windowAndSlaFacts(after)).toMatchObject({
      lastInboundAt: T0,
      sentSinceInbound: 0,
      awaitingReplySince: T0,
      firstReplyAt: null,
      assigneeId: null,
      lastMessagePreview: 'Can I return this?',
      unreadCount: 1,
    });
    expect(after.updatedAt).toBe(T0 + 5 * MINUTE_MS);
  });

  it('is no reply for the SLA: the first-response target is breached, a real reply is not', async () => {
    clock = T0;
    const noted = await customerWrites('31611110004', 'Order never came', T0);
    const replied = await customerWrites('31611110005', 'Order never came either', T0);
    clock = T0 + 5 * MINUTE_MS;
    await command(team.ana.token, {
      type: 'add_note',
      conversationId: noted.id,
      text: 'Checking with the warehouse',
    });
    await command(team.ana.token, {
      type: 'send_message',
      conversationId: replied.id,
      content: { type: 'text', body: 'Checking with the warehouse' },
    });
    clock = T0 + 31 * MINUTE_MS;
    // Any event wakes the evaluator at the hub's (test) clock.
    await command(admin, { type: 'mark_read', conversationId: noted.id });
    const breaches = async (conversationId: string) =>
      (
        await hub.db.query<{ target: string; due_at: string }>(
          'select target, due_at from sla_breaches where conversation_id = $1',
          [conversationId],
        )
      ).rows.map((row) => ({ target: row.target, dueAt: Number(row.due_at) }));
    expect(
      await until(
        () => breaches(noted.id),
        (list) => list.length > 0,
      ),
    ).toEqual([{ target: 'first_response', dueAt: T0 + 30 * MINUTE_MS }]);
    expect(await breaches(replied.id)).toEqual([]);
  });

  it('is no reply for the dashboard: the figures are exactly the same before and after', async () => {
    clock = T0 + HOUR_MS;
    const beforeNote = await figures();
    const conversation = await conversationOf('31611110003');
    await command(team.cleo.token, {
      type: 'add_note',
      conversationId: conversation.id,
      text: 'Asked the lead about an exception',
    });
    expect(await figures()).toEqual(beforeNote);
    // Replies so far: 31611110001 (after 2 min) and 31611110005 (after 5 min), both by Ana.
    expect(beforeNote.firstResponse).toEqual({
      count: 2,
      medianMs: 3.5 * MINUTE_MS,
      p90Ms: 4.7 * MINUTE_MS,
    });
    expect(beforeNote.handled).toBe(2);
  });
});

describe('mentions', () => {
  it('notify exactly the mentioned teammates, not the author nor anyone else', async () => {
    clock = T0 + 2 * HOUR_MS;
    const conversation = await customerWrites('31611110006', 'Refund please', clock);
    const benApp = await connectClient(hub.url, team.ben.token);
    await benApp.waitFor((f) => f.type === 'hello');
    clock += MINUTE_MS;
    const note = await command(team.ana.token, {
      type: 'add_note',
      conversationId: conversation.id,
      text: '@Ben Okafor @Ana Lima refund approved?',
      mentions: [team.ben.id, team.ana.id, team.ben.id],
    });
    expect(note.status).toBe(200);
    const id = note.body.result.message.id;
    expect(note.body.result.message.content).toEqual({
      type: 'note',
      text: '@Ben Okafor @Ana Lima refund approved?',
      mentions: [team.ben.id, team.ana.id],
    });
    expect(await mentionsOf(team.ben.token)).toEqual({
      unread: 2,
      mentions: [
        {
          messageId: id,
          conversationId: conversation.id,
          authorId: team.ana.id,
          text: '@Ben Okafor @Ana Lima refund approved?',
          at: clock,
          readAt: null,
        },
        expect.objectContaining({ authorId: team.ana.id, readAt: null, at: T0 + MINUTE_MS }),
      ],
    });
    expect(await mentionsOf(team.ana.token)).toEqual({ unread: 0, mentions: [] });
    expect(await mentionsOf(team.cleo.token)).toEqual({ unread: 0, mentions: [] });
    expect(await mentionsOf(admin)).toEqual({ unread: 0, mentions: [] });
    // Ben's app hears of the note as a message.
    await benApp.waitFor(
      (f) =>
        f.type === 'events' &&
        f.events.some((e) => e.event.type === 'message.created' && e.event.message.id === id),
    );

    // Read on one machine: read everywhere (the event reaches Ben's other apps).
    clock += MINUTE_MS;
    const read = await command(team.ben.token, {
      type: 'read_mentions',
      conversationId: conversation.id,
      messageIds: [id],
    });
    expect(read.body.result).toEqual({ messageIds: [id], readAt: clock });
    await benApp.waitFor(
      (f) =>
        f.type === 'events' &&
        f.events.some(
          (e) =>
            e.event.type === 'mention.read' &&
            e.event.userId === team.ben.id &&
            e.event.messageIds.includes(id),
        ),
    );
    const after = await mentionsOf(team.ben.token);
    expect(after.unread).toBe(1);
    expect(after.mentions[0]).toMatchObject({ messageId: id, readAt: clock });
    // Cleo cannot mark Ben's mention read.
    expect(
      (
        await command(team.cleo.token, {
          type: 'read_mentions',
          conversationId: conversation.id,
          messageIds: [id],
        })
      ).body.result,
    ).toEqual({ messageIds: [], readAt: clock });
    await benApp.close();
  });

  it('refuses an unknown or disabled teammate with 400 naming the field, and stores nothing', async () => {
    const conversation = await conversationOf('31611110006');
    const count = async () =>
      (
        await hub.db.query<{ n: number }>(
          `select (select count(*) from messages where direction = 'note')::int
                + (select count(*) from note_mentions)::int as n`,
        )
      ).rows[0]?.n;
    const before = await count();
    const seqBefore = (await hub.db.query<{ seq: string }>('select seq from workspace')).rows[0];
    const refused = await command(team.ana.token, {
      type: 'add_note',
      conversationId: conversation.id,
      text: '@Nobody look',
      mentions: [team.ben.id, 'usr_nobody'],
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: 'bad_request',
      message: 'mentions: no active teammate usr_nobody.',
      details: {
        fields: [{ path: 'mentions', message: 'mentions: no active teammate usr_nobody.' }],
      },
    });
    expect(await count()).toBe(before);
    expect((await hub.db.query<{ seq: string }>('select seq from workspace')).rows[0]).toEqual(
      seqBefore,
    );
  });

  it('stores one note for the same client id sent twice', async () => {
    const conversation = await conversationOf('31611110006');
    const body = {
      type: 'add_note',
      conversationId: conversation.id,
      text: 'Sent twice @Cleo Park',
      mentions: [team.cleo.id],
    };
    const [first, second] = await Promise.all([
      command(team.ana.token, body, 'note-replay-0001'),
      command(team.ana.token, body, 'note-replay-0001'),
    ]);
    expect(first.status).toBe(200);
    expect(second.body.result).toEqual(first.body.result);
    const { rows } = await hub.db.query<{ n: number }>(
      "select count(*)::int as n from messages where client_id = 'note-replay-0001'",
    );
    expect(rows[0]?.n).toBe(1);
    expect((await mentionsOf(team.cleo.token)).mentions.map((m) => m.text)).toEqual([
      'Sent twice @Cleo Park',
    ]);
  });
});
