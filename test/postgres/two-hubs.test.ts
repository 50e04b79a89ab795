import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../src/shared/protocol/events';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { startTestCluster, type TestCluster } from '../support/postgres';
import { connectClient, type TestClient } from '../support/realtime-client';
import { until } from '../support/until';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

/**
 * Issue #18: two hubs on one PostgreSQL server fan events out through LISTEN/NOTIFY. Webhooks go
 * to both in turn, sockets are on both; every socket must see the same log.
 */
let cluster: TestCluster;
let graph: FakeGraphApi;
let databaseUrl: string;
let hubA: RunningHub;
let hubB: RunningHub;
const sockets: TestClient[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  databaseUrl = await cluster.createDatabase();
  // Started together: the migrations run once, under their advisory lock.
  [hubA, hubB] = await Promise.all([
    startTestHub({ databaseUrl, graphUrl: graph.url }),
    startTestHub({ databaseUrl, graphUrl: graph.url }),
  ]);
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await hubA?.close();
  await hubB?.close();
  await graph?.close();
  await cluster?.stop();
});

async function post(hubUrl: string, payload: unknown): Promise<void> {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  const res = await fetch(`${hubUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(res.status).toBe(200);
}

async function logSeqs(after: number): Promise<number[]> {
  const { rows } = await hubA.db.query<{ seq: number }>(
    'select seq from events where seq > $1 order by seq',
    [after],
  );
  return rows.map((row) => Number(row.seq));
}

const seqsOf = (events: readonly SequencedEvent[]): number[] => events.map((e) => e.seq);
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('two hubs on one PostgreSQL server', () => {
  it('give every socket on either hub every event once, in the same seq order', async () => {
    const token = await login(hubA.url);
    const { rows } = await hubA.db.query<{ seq: number }>('select seq from workspace');
    const start = Number(rows[0]?.seq);
    for (const hub of [hubA, hubB, hubA, hubB])
      sockets.push(await connectClient(hub.url, token, { since: start }));

    // 40 customers, webhooks alternately to A and B, two at a time in flight.
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) {
      const hub = i % 2 === 0 ? hubA : hubB;
      const payload = messagesWebhook(
        textMessage(`question ${i}`, { from: `1650555${String(1000 + i)}`, name: `C${i}` }),
      );
      sends.push(post(hub.url, payload));
      if (sends.length % 2 === 0) await Promise.all(sends.slice(-2));
    }
    await Promise.all(sends);

    const { rows: stored } = await hubA.db.query<{ n: number }>(
      "select count(*)::int as n from messages where direction = 'inbound'",
    );
    expect(stored[0]?.n).toBe(40);
    const log = await logSeqs(start);
    const head = log[log.length - 1] as number;
    // Gapless across the two hubs' commits.
    expect(log).toEqual(range(start + 1, head));
    for (const socket of sockets) {
      await socket.waitFor(() => (socket.events().at(-1)?.seq ?? 0) >= head, 10_000);
      expect(seqsOf(socket.events())).toEqual(log);
    }
    // Not only the same seqs: the same events.
    const first = (sockets[0] as TestClient).events();
    for (const socket of sockets.slice(1)) expect(socket.events()).toEqual(first);
  });

  it('a hub whose LISTEN connection is cut listens again and catches up without a gap', async () => {
    const token = await login(hubB.url);
    const head = Number(
      (await hubA.db.query<{ seq: number }>('select seq from workspace')).rows[0]?.seq,
    );
    const onB = await connectClient(hubB.url, token, { since: head });
    sockets.push(onB);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      // Cut every listener (both hubs'), then write through A while they are down.
      const cut = await admin.query<{ ok: boolean }>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
         where datname = current_database() and query ilike 'LISTEN %'`,
      );
      expect(cut.rows.map((row) => row.ok)).toEqual([true, true]);
      for (let i = 0; i < 5; i++)
        await post(
          hubA.url,
          messagesWebhook(textMessage(`after the cut ${i}`, { from: '16505559999', name: 'Cut' })),
        );
      const log = await logSeqs(head);
      const last = log[log.length - 1] as number;
      await onB.waitFor(() => (onB.events().at(-1)?.seq ?? 0) >= last, 4_000);
      expect(seqsOf(onB.events())).toEqual(log);
      // Both listen again.
      const listening = await until(
        async () =>
          (
            await admin.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity
               where datname = current_database() and query ilike 'LISTEN %'`,
            )
          ).rows[0]?.n,
        (n) => n === 2,
      );
      expect(listening).toBe(2);
    } finally {
      await admin.end();
    }
  });
});

describe('a user may land on any hub', () => {
  it('signs in on A and goes on with the token on B; signed out on B, refused on A', async () => {
    const token = await login(hubA.url);
    expect((await api(hubB.url, token, '/api/conversations')).status).toBe(200);
    expect((await api(hubB.url, token, '/api/auth/logout', { method: 'POST' })).status).toBe(200);
    expect((await api(hubA.url, token, '/api/conversations')).status).toBe(401);
  });

  it('counts failed sign-ins to one account across both hubs', async () => {
    const attempt = async (hub: RunningHub) =>
      (
        await api<{ message: string }>(hub.url, null, '/api/auth/login', {
          method: 'POST',
          body: { email: 'nobody@shop.example', password: 'wrong password' },
        })
      ).status;
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push(await attempt(i % 2 === 0 ? hubA : hubB));
    expect(statuses).toEqual([...Array.from({ length: 10 }, () => 401), 429]);
    expect(await attempt(hubA)).toBe(429);
  });

  it('honours on B a command id first used on A: one message, the same answer', async () => {
    const token = await login(hubA.url);
    await post(hubA.url, messagesWebhook(textMessage('Idempotent?', { from: '31627777777' })));
    const { rows } = await hubA.db.query<{ id: string }>(
      "select id from conversations where customer_external_id = '31627777777'",
    );
    const command = {
      clientId: 'cross-hub-command-1',
      command: {
        type: 'send_message',
        conversationId: rows[0]?.id,
        content: { type: 'text', body: 'Sent once, whichever hub is asked.' },
      },
    };
    const first = await api(hubA.url, token, '/api/commands', { method: 'POST', body: command });
    const again = await api(hubB.url, token, '/api/commands', { method: 'POST', body: command });
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    const { rows: notes } = await hubA.db.query<{ n: string }>(
      "select count(*) as n from messages where content->>'body' = 'Sent once, whichever hub is asked.'",
    );
    expect(Number(notes[0]?.n)).toBe(1);
  });
});
