import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/model';
import type { SequencedEvent } from '../../src/shared/protocol/events';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { ADMIN, api, login, WHATSAPP, whatsappEnv } from '../support/hub';
import { startHubProcess, type HubProcess } from '../support/hub-processes';
import { startNginx, type TestNginx } from '../support/nginx';
import { freePort, startTestCluster, type TestCluster } from '../support/postgres';
import { connectClient, type TestClient } from '../support/realtime-client';
import { until } from '../support/until';
import {
  messagesWebhook,
  signedWebhook,
  statusesWebhook,
  statusUpdate,
  textMessage,
  type WhatsAppWebhookPayload,
} from '../support/whatsapp-webhooks';

/**
 * Issue #18, "must show": two hub processes on one throwaway PostgreSQL cluster, reached either
 * directly (webhooks alternately to each, sockets on each) or through nginx in front of both; one
 * is killed with `kill -9` mid-stream. Used by `hub-failover.test.ts` and
 * `hub-failover-nginx.test.ts`, each with a cluster of its own.
 */
export interface FailoverWorld {
  readonly cluster: TestCluster;
  readonly graph: FakeGraphApi;
  readonly db: pg.Client;
  readonly hubA: HubProcess;
  readonly hubB: HubProcess;
  readonly nginx: TestNginx | null;
  /** Sockets closed at the end. */
  readonly sockets: TestClient[];
}

/** Start the world in `beforeAll` and tear it down in `afterAll`; returns a getter. */
export function useFailoverWorld(options: { readonly nginx: boolean }): () => FailoverWorld {
  let world: FailoverWorld | null = null;
  const parts: { -readonly [K in keyof FailoverWorld]?: FailoverWorld[K] } = {};
  const sockets: TestClient[] = [];
  beforeAll(async () => {
    const cluster = await startTestCluster();
    parts.cluster = cluster;
    const graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
    parts.graph = graph;
    const databaseUrl = await cluster.createDatabase();
    const nginxPort = options.nginx ? await freePort() : null;
    const env = {
      DATABASE_URL: databaseUrl,
      REPLYDESK_DATA_DIR: ':memory:',
      // Both hubs must open the channel secrets the other saved.
      REPLYDESK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
      ...(nginxPort ? { REPLYDESK_PUBLIC_HOSTS: `127.0.0.1:${nginxPort}` } : {}),
      REPLYDESK_ADMIN_EMAIL: ADMIN.email,
      REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
      ...whatsappEnv(graph.url),
    };
    // A first, so that it leads (SLA breaches, demo); B waits for the leader lock.
    const hubA = await startHubProcess(env);
    const hubB = await startHubProcess(env);
    parts.hubA = hubA;
    parts.hubB = hubB;
    const nginx = nginxPort
      ? await startNginx(nginxPort, [`127.0.0.1:${hubA.port}`, `127.0.0.1:${hubB.port}`])
      : null;
    parts.nginx = nginx ?? undefined;
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    parts.db = db;
    world = { cluster, graph, db, hubA, hubB, nginx, sockets };
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await parts.nginx?.stop();
    await Promise.all([parts.hubA?.kill(), parts.hubB?.kill()]);
    await parts.db?.end();
    await parts.graph?.close();
    await parts.cluster?.stop();
  });
  return () => {
    if (!world) throw new Error('the failover world is not started');
    return world;
  };
}

/** POST a signed webhook; the status, or null when the hub could not be reached. */
export async function postWebhook(
  url: string,
  payload: WhatsAppWebhookPayload,
): Promise<number | null> {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  try {
    const res = await fetch(`${url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return null;
  }
}

async function head(db: pg.Client): Promise<number> {
  return Number((await db.query<{ seq: string }>('select seq from workspace')).rows[0]?.seq);
}

async function logSeqs(db: pg.Client, after: number): Promise<number[]> {
  const { rows } = await db.query<{ seq: string }>(
    'select seq from events where seq > $1 order by seq',
    [after],
  );
  return rows.map((row) => Number(row.seq));
}

const seqsOf = (events: readonly SequencedEvent[]): number[] => events.map((e) => e.seq);
const lastSeq = (socket: TestClient): number => socket.events().at(-1)?.seq ?? 0;
const customer = (i: number): string => `3162000${String(1000 + i)}`;
const gapless = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + 1 + i);

/** Every socket receives the same gapless log once, in seq order, through any entry. */
export function itFansOutToEverySocket(get: () => FailoverWorld, entry: 'nginx' | 'direct'): void {
  it(`${entry === 'nginx' ? 'through nginx' : 'alternately to both'}: every socket gets the same log once`, async () => {
    const { db, nginx, hubA, hubB, sockets } = get();
    const entries = entry === 'nginx' && nginx ? [nginx.url] : [hubA.url, hubB.url];
    const token = await login(entries[0] as string);
    const start = await head(db);
    const mine: TestClient[] = [];
    for (let i = 0; i < 4; i++)
      mine.push(
        await connectClient(entries[i % entries.length] as string, token, { since: start }),
      );
    sockets.push(...mine);
    for (let i = 0; i < 20; i++) {
      const payload = messagesWebhook(textMessage(`fan-out ${i}`, { from: customer(i) }));
      expect(await postWebhook(entries[i % entries.length] as string, payload)).toBe(200);
    }
    const log = await logSeqs(db, start);
    // Each webhook from a new customer: a conversation and a message, two events.
    expect(log).toEqual(gapless(start, start + 40));
    for (const socket of mine) {
      await socket.waitFor(() => lastSeq(socket) >= start + 40, 10_000);
      expect(seqsOf(socket.events())).toEqual(log);
    }
    const { rows } = await db.query<{ n: string }>(
      "select count(*) as n from messages where direction = 'inbound' and content->>'body' like 'fan-out %'",
    );
    expect(rows[0]?.n).toBe('20');
    await Promise.all(mine.map((socket) => socket.close()));
  });
}

/**
 * Hub A is killed with `kill -9` while webhooks are in flight to it. Webhooks and sockets reach
 * the hubs directly (alternately A and B) or through nginx; replies are queued on A directly.
 */
export function itSurvivesKill9(get: () => FailoverWorld, entry: 'nginx' | 'direct'): void {
  it(
    `one killed with kill -9 mid-stream (${entry}): redelivered webhooks stored once, sockets resume, its queued replies sent once`,
    { timeout: 90_000 },
    async () => {
      const { db, graph, hubA, hubB, nginx, sockets } = get();
      const viaNginx = entry === 'nginx' && nginx !== null;
      /** Where webhook `i` goes while both run, and where everything goes once A is dead. */
      const before = (i: number): string =>
        viaNginx ? nginx.url : i % 2 === 0 ? hubA.url : hubB.url;
      const survivor = viaNginx ? nginx.url : hubB.url;
      // A leads (records SLA breaches, runs the demo); B does not.
      expect([hubA.leading(), hubB.leading()]).toEqual([true, false]);
      const tokenA = await login(hubA.url);
      const token = await login(survivor);
      const start = await head(db);
      // Four sockets: two on each hub (nginx alternates between its two upstreams).
      const live: TestClient[] = [];
      for (let i = 0; i < 4; i++)
        live.push(await connectClient(before(i), token, { since: start }));
      sockets.push(...live);

      const conversationOf = async (from: string): Promise<string> => {
        expect(await postWebhook(hubA.url, messagesWebhook(textMessage('Hello?', { from })))).toBe(
          200,
        );
        const { rows } = await db.query<{ id: string }>(
          'select id from conversations where customer_external_id = $1',
          [from],
        );
        return rows[0]?.id as string;
      };
      const reply = async (conversationId: string, clientId: string): Promise<string> => {
        const queued = await api<{ message: Message }>(
          hubA.url,
          tokenA,
          `/api/conversations/${conversationId}/messages`,
          { method: 'POST', body: { clientId, content: { type: 'text', body: clientId } } },
        );
        expect(queued.status).toBe(202);
        return queued.body.message.id;
      };
      const queueRow = async (id: string) =>
        (
          await db.query<{
            attempts: number;
            sending_since: string | null;
            uncertain_since: string | null;
          }>(
            'select attempts, sending_since, uncertain_since from outbound_queue where message_id = $1',
            [id],
          )
        ).rows[0] ?? null;
      const statusOf = async (id: string) =>
        (await db.query<{ status: string }>('select status from messages where id = $1', [id]))
          .rows[0]?.status;

      // 30 customer messages: 10 answered before the kill, 10 in flight during it, 10 after.
      const payloads = Array.from({ length: 30 }, (_, i) =>
        messagesWebhook(textMessage(`stream ${i}`, { from: customer(100 + i) })),
      );
      const payloadOf = (i: number): WhatsAppWebhookPayload =>
        payloads[i] as WhatsAppWebhookPayload;
      const answers: (number | null)[] = [];
      for (let i = 0; i < 10; i++) answers.push(await postWebhook(before(i), payloadOf(i)));
      // Reply 1, queued on A: its first attempt is rate-limited (retry in 3 s); A dies before.
      graph.failNext({ status: 429, retryAfterSeconds: 3 });
      const retried = await reply(await conversationOf('31629999991'), 'failover-retried');
      expect(
        await until(
          () => queueRow(retried),
          (row) => row?.attempts === 1 && row.sending_since === null,
        ),
      ).toEqual({ attempts: 1, sending_since: null, uncertain_since: null });
      // Reply 2, queued on A: Graph takes it but A dies before the answer (in flight at the kill).
      graph.acceptAndHang();
      const inFlight = await reply(await conversationOf('31629999992'), 'failover-in-flight');
      await until(
        async () => graph.accepted.filter((a) => a.ourId === inFlight).length,
        (n) => n === 1,
      );

      // The in-flight ten are held mid-transaction: the test holds the event counter row, which
      // every batch takes before it commits (each hub stores one batch at a time).
      const waitingOnLock = async (): Promise<number> => {
        // Activity is snapshotted once per transaction: read it afresh.
        await db.query('select pg_stat_clear_snapshot()');
        return Number(
          (
            await db.query<{ n: string }>(
              `select count(*) as n from pg_stat_activity
               where wait_event_type = 'Lock' and datname = current_database()`,
            )
          ).rows[0]?.n,
        );
      };
      await db.query('begin');
      await db.query('select seq from workspace for update');
      const inFlight10 = new Map<number, Promise<number | null>>();
      const fire = (i: number): void =>
        void inFlight10.set(i, postWebhook(before(i), payloadOf(i)));
      if (viaNginx) {
        for (let i = 10; i < 20; i++) fire(i);
        expect(await until(waitingOnLock, (n) => n === 2)).toBe(2);
      } else {
        for (let i = 10; i < 20; i += 2) fire(i);
        expect(await until(waitingOnLock, (n) => n === 1)).toBe(1);
        for (let i = 11; i < 20; i += 2) fire(i);
        expect(await until(waitingOnLock, (n) => n === 2)).toBe(2);
      }
      await hubA.kill();
      // A's batch stays open on the server until the row is free, then fails to answer its dead
      // client and rolls back: it can never commit.
      await db.query('commit');
      const attemptsOf = (id: string): (number | undefined)[] =>
        graph.requests
          .filter((r) => JSON.stringify(r.body).includes(id))
          .map((r) => r.response?.status);
      // Reply 1 was tried once, rate-limited, and not again before A died.
      expect(attemptsOf(retried)).toEqual([429]);
      for (let i = 10; i < 20; i++)
        answers.push(await (inFlight10.get(i) as Promise<number | null>));
      for (let i = 20; i < 30; i++) answers.push(await postWebhook(before(i), payloadOf(i)));

      if (viaNginx) {
        // nginx passes what A dropped on to B: the sender sees every webhook taken.
        expect(answers).toEqual(Array.from({ length: 30 }, () => 200));
      } else {
        // B answers every one of its own; A, the first ten, then nothing (dead mid-request).
        expect(answers).toEqual(
          Array.from({ length: 30 }, (_, i) => (i < 10 || i % 2 === 1 ? 200 : null)),
        );
      }
      // What was answered is stored; what died with A is not (before any redelivery).
      const storedOf = async (from: number, to: number): Promise<string[]> =>
        (
          await db.query<{ body: string }>(
            `select content->>'body' as body from messages where content->>'body' = any($1)
             order by body`,
            [payloads.slice(from, to).map((_, i) => `stream ${from + i}`)],
          )
        ).rows.map((row) => row.body);
      expect(await storedOf(10, 20)).toEqual(
        Array.from({ length: 10 }, (_, i) => `stream ${10 + i}`)
          .filter((_, i) => viaNginx || i % 2 === 1)
          .sort(),
      );
      // Meta redelivers what was not answered 200 and, as it may, what was: everything that
      // went to A, or through nginx while A was dying, reaches the survivor again.
      for (let i = 0; i < 30; i++)
        if (viaNginx ? i >= 10 && i < 20 : i % 2 === 0)
          expect(await postWebhook(survivor, payloadOf(i))).toBe(200);

      const { rows: stored } = await db.query<{ n: string; ids: string }>(
        `select count(*) as n, count(distinct external_id) as ids from messages
         where direction = 'inbound' and content->>'body' like 'stream %'`,
      );
      expect(stored[0]).toEqual({ n: '30', ids: '30' });
      const { rows: created } = await db.query<{ n: string }>(
        `select count(*) as n from events where type = 'message.created'
         and payload->'message'->'content'->>'body' like 'stream %'`,
      );
      expect(created[0]?.n).toBe('30');

      // Reply 1 goes out once, from B.
      expect(
        await until(
          () => statusOf(retried),
          (s) => s === 'sent',
          15_000,
        ),
      ).toBe('sent');
      expect(graph.accepted.filter((a) => a.ourId === retried).length).toBe(1);
      expect(attemptsOf(retried)).toEqual([429, 200]);
      // Reply 2 was cut off in flight: B never sends it again, the status webhook settles it.
      expect(
        await until(
          () => queueRow(inFlight),
          (row) => row !== null && row.uncertain_since !== null,
          10_000,
        ),
      ).toEqual({
        attempts: 1,
        sending_since: null,
        uncertain_since: expect.any(String) as unknown,
      });
      const wamid = graph.accepted.find((a) => a.ourId === inFlight)?.wamid as string;
      expect(
        await postWebhook(
          survivor,
          statusesWebhook(
            statusUpdate('delivered', {
              id: wamid,
              callbackData: inFlight,
              recipientId: '31629999992',
            }),
          ),
        ),
      ).toBe(200);
      expect(
        await until(
          () => statusOf(inFlight),
          (s) => s === 'delivered',
        ),
      ).toBe('delivered');
      expect(await queueRow(inFlight)).toBeNull();
      expect(graph.accepted.filter((a) => a.ourId === inFlight).length).toBe(1);

      const end = await head(db);
      const log = await logSeqs(db, start);
      expect(log).toEqual(gapless(start, end));
      // A's two sockets were cut by its death; B's two stayed and got everything.
      const cut = await until(
        async () => live.filter((s) => s.socket.readyState === WebSocket.CLOSED),
        (closed) => closed.length === 2,
      );
      expect(cut.length).toBe(2);
      for (const socket of live.filter((s) => !cut.includes(s))) {
        await socket.waitFor(() => lastSeq(socket) >= end, 10_000);
        expect(socket.socket.readyState).toBe(WebSocket.OPEN);
        expect(seqsOf(socket.events())).toEqual(log);
      }
      // Each cut socket reconnects (to B) from the last seq it applied and misses nothing.
      for (const socket of cut) {
        const resumed = await connectClient(survivor, token, { since: lastSeq(socket) });
        sockets.push(resumed);
        expect(await resumed.waitFor((f) => f.type === 'hello')).toMatchObject({
          type: 'hello',
          resume: 'resumed',
        });
        await resumed.waitFor(() => lastSeq(resumed) >= end, 10_000);
        expect([...seqsOf(socket.events()), ...seqsOf(resumed.events())]).toEqual(log);
      }
      // B took the leader lock over once A's session ended.
      expect(
        await until(
          async () => hubB.leading(),
          (leading) => leading,
        ),
      ).toBe(true);
      // The survivor keeps serving.
      expect(
        await postWebhook(survivor, messagesWebhook(textMessage('after', { from: customer(999) }))),
      ).toBe(200);
    },
  );
}
