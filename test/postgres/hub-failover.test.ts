import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  textMessage,
  type WhatsAppWebhookPayload,
} from '../support/whatsapp-webhooks';

/**
 * Issue #18, "must show": two hub processes on one PostgreSQL server, nginx in front of both;
 * one is killed with `kill -9` mid-stream and the other carries on with nothing lost or doubled.
 */
let cluster: TestCluster;
let graph: FakeGraphApi;
let db: pg.Client;
let nginx: TestNginx;
let hubA: HubProcess;
let hubB: HubProcess;
const sockets: TestClient[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  const databaseUrl = await cluster.createDatabase();
  const nginxPort = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REPLYDESK_DATA_DIR: cluster.dir,
    REPLYDESK_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    REPLYDESK_PUBLIC_HOSTS: `127.0.0.1:${nginxPort}`,
    REPLYDESK_ADMIN_EMAIL: ADMIN.email,
    REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
    ...whatsappEnv(graph.url),
  };
  [hubA, hubB] = await Promise.all([startHubProcess(env), startHubProcess(env)]);
  nginx = await startNginx(nginxPort, [`127.0.0.1:${hubA.port}`, `127.0.0.1:${hubB.port}`]);
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await nginx?.stop();
  await Promise.all([hubA?.kill(), hubB?.kill()]);
  await db?.end();
  await graph?.close();
  await cluster?.stop();
});

/** POST a signed webhook; the status, or null when the hub could not be reached. */
async function post(url: string, payload: WhatsAppWebhookPayload): Promise<number | null> {
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

async function head(): Promise<number> {
  return Number((await db.query<{ seq: string }>('select seq from workspace')).rows[0]?.seq);
}

async function logSeqs(after: number): Promise<number[]> {
  const { rows } = await db.query<{ seq: string }>(
    'select seq from events where seq > $1 order by seq',
    [after],
  );
  return rows.map((row) => Number(row.seq));
}

const seqsOf = (events: readonly SequencedEvent[]): number[] => events.map((e) => e.seq);
const lastSeq = (socket: TestClient): number => socket.events().at(-1)?.seq ?? 0;
const customer = (i: number): string => `3162000${String(1000 + i)}`;

describe('two hub processes on one PostgreSQL server', () => {
  it('through nginx in front of both: every socket gets the same log once', async () => {
    const token = await login(nginx.url);
    const start = await head();
    for (let i = 0; i < 4; i++)
      sockets.push(await connectClient(nginx.url, token, { since: start }));
    for (let i = 0; i < 20; i++) {
      const payload = messagesWebhook(textMessage(`via nginx ${i}`, { from: customer(i) }));
      expect(await post(nginx.url, payload)).toBe(200);
    }
    const log = await logSeqs(start);
    const end = log.at(-1) as number;
    expect(log).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
    for (const socket of sockets) {
      await socket.waitFor(() => lastSeq(socket) >= end, 10_000);
      expect(seqsOf(socket.events())).toEqual(log);
    }
    const { rows } = await db.query<{ n: string }>(
      "select count(*) as n from messages where direction = 'inbound'",
    );
    expect(Number(rows[0]?.n)).toBe(20);
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
  });

  it(
    'one killed with kill -9 mid-stream: redelivered webhooks stored once, sockets resume on the other, its queued reply sent once',
    { timeout: 90_000 },
    async () => {
      const tokenA = await login(hubA.url);
      const tokenB = await login(hubB.url);
      const start = await head();
      const onA = [
        await connectClient(hubA.url, tokenA, { since: start }),
        await connectClient(hubA.url, tokenA, { since: start }),
      ];
      const onB = [
        await connectClient(hubB.url, tokenB, { since: start }),
        await connectClient(hubB.url, tokenB, { since: start }),
      ];
      sockets.push(...onA, ...onB);

      // A reply queued on A whose first attempt fails (Graph 500): A dies before the retry.
      expect(
        await post(hubA.url, messagesWebhook(textMessage('Refund?', { from: '31629999999' }))),
      ).toBe(200);
      const { rows: found } = await db.query<{ id: string }>(
        "select id from conversations where customer_external_id = '31629999999'",
      );
      const conversationId = found[0]?.id as string;
      graph.failNext({ status: 500 });
      const queued = await api<{ message: Message }>(
        hubA.url,
        tokenA,
        `/api/conversations/${conversationId}/messages`,
        {
          method: 'POST',
          body: { clientId: 'failover-reply-1', content: { type: 'text', body: 'Paid today.' } },
        },
      );
      expect(queued.status).toBe(202);
      const replyId = queued.body.message.id;
      // Its failed attempt is recorded (not in flight: a send cut off in flight is never repeated).
      const attempted = await until(
        async () =>
          (
            await db.query<{ attempts: number; sending_since: string | null }>(
              'select attempts, sending_since from outbound_queue where message_id = $1',
              [replyId],
            )
          ).rows[0],
        (row) => row?.attempts === 1 && row.sending_since === null,
      );
      expect(attempted).toEqual({ attempts: 1, sending_since: null });

      // 30 customer messages, alternately to A and B, all in flight at once; A is killed after
      // the 15th is sent, so some of A's are cut off mid-request.
      const toA: WhatsAppWebhookPayload[] = [];
      const toB: Promise<number | null>[] = [];
      const fromA: Promise<number | null>[] = [];
      for (let i = 0; i < 30; i++) {
        const payload = messagesWebhook(textMessage(`stream ${i}`, { from: customer(100 + i) }));
        if (i === 15) await hubA.kill();
        if (i % 2 === 0) {
          toA.push(payload);
          fromA.push(post(hubA.url, payload));
        } else toB.push(post(hubB.url, payload));
      }
      expect(await Promise.all(toB)).toEqual(Array.from({ length: 15 }, () => 200));
      const answeredByA = await Promise.all(fromA);
      // After the kill, A answers nothing; before it, what it answered it answered 200.
      expect(answeredByA.slice(8)).toEqual([null, null, null, null, null, null, null]);
      for (const status of answeredByA) expect([200, null]).toContain(status);
      // Meta redelivers what A took and what it never answered: all of it goes to B now.
      for (const payload of toA) expect(await post(hubB.url, payload)).toBe(200);

      const { rows: stored } = await db.query<{ n: string; ids: string }>(
        `select count(*) as n, count(distinct external_id) as ids from messages
         where direction = 'inbound' and content->>'body' like 'stream %'`,
      );
      expect(stored[0]).toEqual({ n: '30', ids: '30' });

      // The reply goes out once, from B.
      const sent = await until(
        async () =>
          (
            await db.query<{ status: string }>('select status from messages where id = $1', [
              replyId,
            ])
          ).rows[0]?.status,
        (status) => status === 'sent',
        15_000,
      );
      expect(sent).toBe('sent');
      expect(graph.accepted.filter((a) => a.ourId === replyId).length).toBe(1);

      const end = await head();
      const log = await logSeqs(start);
      expect(log).toEqual(Array.from({ length: end - start }, (_, i) => start + 1 + i));
      for (const socket of onB) {
        await socket.waitFor(() => lastSeq(socket) >= end, 10_000);
        expect(seqsOf(socket.events())).toEqual(log);
      }
      // A's sockets were cut; each reconnects to B from the last seq it applied.
      for (const socket of onA) {
        const since = lastSeq(socket);
        const resumed = await connectClient(hubB.url, tokenB, { since });
        sockets.push(resumed);
        const hello = await resumed.waitFor((f) => f.type === 'hello');
        expect(hello).toMatchObject({ type: 'hello', resume: 'resumed' });
        await resumed.waitFor(() => lastSeq(resumed) >= end, 10_000);
        expect([...seqsOf(socket.events()), ...seqsOf(resumed.events())]).toEqual(log);
      }
    },
  );
});
