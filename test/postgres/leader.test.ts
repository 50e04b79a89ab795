import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import { api, login, startTestHub } from '../support/hub';
import { startTestCluster, type TestCluster } from '../support/postgres';
import { until } from '../support/until';

/**
 * Issue #18: SLA breach recording runs on one hub at a time, the holder of the leader lock; when
 * it goes, the other takes over. Two in-process hubs on one throwaway cluster, one clock.
 */
const T0 = Date.parse('2026-11-23T10:00:00Z');
let clock = T0;
const now = (): number => clock;
let cluster: TestCluster;
let hubA: RunningHub;
let hubB: RunningHub;

beforeAll(async () => {
  cluster = await startTestCluster();
  const databaseUrl = await cluster.createDatabase();
  hubA = await startTestHub({ databaseUrl, now, leaderRetryMs: 50 });
  hubB = await startTestHub({ databaseUrl, now, leaderRetryMs: 50 });
});

afterAll(async () => {
  await hubA?.close();
  await hubB?.close();
  await cluster?.stop();
});

const inbound = (customer: string, sentAt: number): InboundMessage => ({
  kind: 'message',
  channel: 'telegram',
  channelAccountId: 'telegram-leader',
  externalId: `leader.${customer}`,
  customer: { externalId: customer, name: customer, phone: null },
  sentAt,
  content: { type: 'text', body: `Hello from ${customer}` },
});

async function breaches(): Promise<{ customer: string; dueAt: number }[]> {
  const { rows } = await hubB.db.query<{ customer: string; due_at: string }>(
    `select cu.name as customer, b.due_at from sla_breaches b
     join conversations c on c.id = b.conversation_id join customers cu on cu.id = c.customer_id
     order by b.due_at, cu.name`,
  );
  return rows.map((row) => ({ customer: row.customer, dueAt: Number(row.due_at) }));
}

async function breachEvents(): Promise<number> {
  const { rows } = await hubB.db.query<{ n: string }>(
    "select count(*) as n from events where type = 'sla.breached'",
  );
  return Number(rows[0]?.n);
}

describe('the leader hub', () => {
  it('records each breach once while it leads; when it goes, the other hub takes over', async () => {
    expect([hubA.leading(), hubB.leading()]).toEqual([true, false]);
    const token = await login(hubB.url);
    clock = T0 - HOUR_MS;
    const policy = await api(hubB.url, token, '/api/sla/policies', {
      method: 'POST',
      body: {
        name: 'Telegram, around the clock',
        channel: 'telegram',
        priority: null,
        firstResponseMs: 30 * MINUTE_MS,
        nextResponseMs: HOUR_MS,
        resolutionMs: null,
        hours: 'always',
        enabled: true,
      },
    });
    expect(policy.status).toBe(201);
    let commands = 0;
    const touch = async (hub: RunningHub, customer: string): Promise<void> => {
      const { rows } = await hub.db.query<{ id: string }>(
        'select c.id from conversations c join customers cu on cu.id = c.customer_id where cu.name = $1',
        [customer],
      );
      // Any change to the conversation makes the leader evaluate it again.
      const res = await api(hub.url, token, '/api/commands', {
        method: 'POST',
        body: {
          clientId: `leader-${(commands += 1)}`,
          command: { type: 'mark_read', conversationId: rows[0]?.id },
        },
      });
      expect(res.status).toBe(200);
    };

    // A customer writes through B (not the leader) at T0: first reply due T0 + 30 min.
    clock = T0;
    await hubB.ingestor.ingest(inbound('ada', T0));
    clock = T0 + 30 * MINUTE_MS;
    await touch(hubB, 'ada');
    expect(await until(breaches, (list) => list.length === 1)).toEqual([
      { customer: 'ada', dueAt: T0 + 30 * MINUTE_MS },
    ]);
    expect(await breachEvents()).toBe(1);

    // A goes; B takes the leader lock over and records the next breach, once.
    await hubA.close();
    expect(
      await until(
        async () => hubB.leading(),
        (leading) => leading,
      ),
    ).toBe(true);
    clock = T0 + 40 * MINUTE_MS;
    await hubB.ingestor.ingest(inbound('bo', clock));
    clock = T0 + 70 * MINUTE_MS;
    await touch(hubB, 'bo');
    expect(await until(breaches, (list) => list.length === 2)).toEqual([
      { customer: 'ada', dueAt: T0 + 30 * MINUTE_MS },
      { customer: 'bo', dueAt: T0 + 70 * MINUTE_MS },
    ]);
    expect(await breachEvents()).toBe(2);
  });
});
