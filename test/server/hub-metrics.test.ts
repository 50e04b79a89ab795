import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubConfig } from '../../src/server/config';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, sendText, startTestHub, WHATSAPP } from '../support/hub';
import { connectClient, type TestClient } from '../support/realtime-client';
import { until } from '../support/until';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

/** Issue #18 item 4: /healthz with the database, the listener and the queue; /metrics. */
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let hub: RunningHub;
let graph: FakeGraphApi;
let admin: string;
let agent: string;
let socket: TestClient;

async function webhook(payload: unknown, secret = WHATSAPP.appSecret): Promise<number> {
  const signed = signedWebhook(payload, secret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.text();
  return res.status;
}

async function metrics(headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const res = await fetch(`${hub.url}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const head = async (): Promise<number> =>
  Number((await hub.db.query<{ seq: number }>('select seq from workspace')).rows[0]?.seq);

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    graphUrl: graph.url,
    metrics: { access: 'loopback', token: METRICS_TOKEN },
  });
  admin = await login(hub.url);
  const created = await api(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: {
      email: 'agent@shop.example',
      name: 'Agent',
      role: 'agent',
      password: 'agent password 1',
    },
  });
  expect(created.status).toBe(201);
  agent = await login(hub.url, { email: 'agent@shop.example', password: 'agent password 1' });
  socket = await connectClient(hub.url, admin);
});

afterAll(async () => {
  await socket?.close();
  await hub?.close();
  await graph?.close();
});

describe('/healthz', () => {
  it('names the database, the listener and the queue', async () => {
    const res = await api<Record<string, unknown>>(hub.url, null, '/healthz');
    expect(res.status).toBe(200);
    const onPostgres = hub.db.constructor.name === 'PostgresDb';
    expect(res.body).toMatchObject({
      status: 'ok',
      database: { kind: onPostgres ? 'postgresql' : 'pglite', reachable: true },
      listener: {
        kind: onPostgres ? 'postgresql' : 'in-process',
        connected: true,
        headSeq: await head(),
      },
      queue: { pending: 0, sending: 0, uncertain: 0 },
    });
    const latency = (res.body['database'] as { latencyMs: number }).latencyMs;
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(latency).toBeLessThan(2_000);
    const ready = await api<{ status: string }>(hub.url, null, '/healthz?ready');
    expect([ready.status, ready.body.status]).toEqual([200, 'ok']);
  });
});

describe('/metrics', () => {
  it('counts known traffic exactly', async () => {
    const before = await metrics();
    const committedBefore = before.get('replydesk_events_committed_total') ?? -1;
    for (let i = 0; i < 3; i++)
      expect(
        await webhook(
          messagesWebhook(textMessage(`hello ${i}`, { from: `4915550000${i}`, name: `C${i}` })),
        ),
      ).toBe(200);
    expect(await webhook(messagesWebhook(textMessage('forged')), 'wrong-secret')).toBe(401);
    const { rows } = await hub.db.query<{ id: string }>(
      'select id from conversations order by id limit 1',
    );
    expect(await sendText(hub.url, admin, 'metrics-reply-1', rows[0]?.id, 'Thanks')).toBe(200);
    await until(
      async () => (await metrics()).get('replydesk_outbound_sent_total'),
      (sent) => sent === 1,
    );
    const logHead = await head();
    await until(
      async () => (await metrics()).get('replydesk_events_delivered_total'),
      (delivered) => delivered === logHead,
    );
    const after = await metrics();
    expect(after.get('replydesk_webhook_requests_total{channel="whatsapp",status="200"}')).toBe(3);
    expect(after.get('replydesk_webhook_requests_total{channel="whatsapp",status="401"}')).toBe(1);
    // Every event in this fresh database was committed by this hub.
    expect(after.get('replydesk_events_committed_total')).toBe(logHead);
    expect(committedBefore).toBeLessThan(logHead);
    expect(after.get('replydesk_event_log_head_seq')).toBe(logHead);
    expect(after.get('replydesk_event_bus_lag_events')).toBe(0);
    expect(after.get('replydesk_event_bus_listening')).toBe(1);
    expect(after.get('replydesk_sockets')).toBe(1);
    expect(after.get('replydesk_outbound_sent_total')).toBe(1);
    expect(after.get('replydesk_outbound_failed_total')).toBe(0);
    expect(after.get('replydesk_outbound_queue{state="pending"}')).toBe(0);
    expect(after.get('replydesk_outbound_queue{state="sending"}')).toBe(0);
    expect(after.get('replydesk_database_up')).toBe(1);
    expect(
      socket
        .events()
        .map((e) => e.seq)
        .at(-1),
    ).toBe(logHead);
  });

  it('is for this machine, the metrics token or an admin: 401/403 otherwise', async () => {
    const status = async (headers: Record<string, string>): Promise<number> => {
      const res = await fetch(`${hub.url}/metrics`, { headers });
      await res.text();
      return res.status;
    };
    expect(await status({ authorization: `Bearer ${METRICS_TOKEN}` })).toBe(200);
    expect(await status({ authorization: `Bearer ${admin}` })).toBe(200);
    expect(await status({ authorization: `Bearer ${agent}` })).toBe(403);
    expect(await status({ authorization: 'Bearer not-a-token' })).toBe(401);
    // Relayed by a proxy the hub does not trust: not "this machine".
    expect(await status({ 'x-forwarded-for': '203.0.113.9' })).toBe(401);
    const refused = await api<{ error: string; message: string }>(hub.url, agent, '/metrics');
    expect(refused.body).toEqual({ error: 'forbidden', message: 'Metrics are for admins.' });
  });

  it('is configured by REPLYDESK_METRICS and REPLYDESK_METRICS_TOKEN', () => {
    const config = (env: Record<string, string>) => readHubConfig(env, '/srv').metrics;
    expect(config({})).toEqual({ access: 'loopback', token: null });
    expect(config({ REPLYDESK_METRICS: 'token', REPLYDESK_METRICS_TOKEN: METRICS_TOKEN })).toEqual({
      access: 'token',
      token: METRICS_TOKEN,
    });
    expect(config({ REPLYDESK_METRICS: 'off' })).toEqual({ access: 'off', token: null });
    expect(() => config({ REPLYDESK_METRICS: 'public' })).toThrow(
      'REPLYDESK_METRICS must be loopback, token or off, got "public".',
    );
    expect(() => config({ REPLYDESK_METRICS_TOKEN: 'short' })).toThrow(
      'REPLYDESK_METRICS_TOKEN must be at least 24 characters',
    );
  });
});
