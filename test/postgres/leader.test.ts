import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import { CONNECTORS } from '../../src/server/channels/registry';
import { api, login, startTestHub } from '../support/hub';
import { createTestConnector, withTestConnector } from '../support/test-connector';
import { startTestCluster, type TestCluster } from '../support/postgres';
import { until } from '../support/until';

/**
 * Issue #18: SLA breach recording runs on one hub at a time, the holder of the leader lock; when
 * it goes, the other takes over. Two in-process hubs on one throwaway cluster, one clock. So do
 * customer profile lookups (LINE names): the test connector's profile API counts the questions.
 */
const T0 = Date.parse('2026-11-23T10:00:00Z');
let clock = T0;
const now = (): number => clock;
let cluster: TestCluster;
let hubA: RunningHub;
let hubB: RunningHub;

const profileQuestions: string[] = [];
const connector = {
  ...createTestConnector(),
  customerProfile: async (externalId: string) => {
    profileQuestions.push(externalId);
    return { name: `Profile of ${externalId}` };
  },
};

beforeAll(async () => {
  cluster = await startTestCluster();
  const databaseUrl = await cluster.createDatabase();
  const shared = {
    databaseUrl,
    now,
    leaderRetryMs: 50,
    connectors: withTestConnector(CONNECTORS, connector),
    channels: { telegram: { signingSecret: 'leader-test-secret', accountId: 'acct-1' } },
  };
  hubA = await startTestHub(shared);
  hubB = await startTestHub(shared);
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
  // Known by its id only: the leader asks the channel's profile API for the name.
  customer: { externalId: customer, name: null, phone: null },
  sentAt,
  content: { type: 'text', body: `Hello from ${customer}` },
});

async function breaches(): Promise<{ customer: string; dueAt: number }[]> {
  const { rows } = await hubB.db.query<{ customer: string; due_at: string }>(
    `select c.customer_external_id as customer, b.due_at from sla_breaches b
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
        'select c.id from conversations c where c.customer_external_id = $1',
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
    // Each customer's name asked once, by the hub leading at the time (A for ada, B for bo).
    expect(
      await until(
        async () => profileQuestions.slice(),
        (asked) => asked.length >= 2,
      ),
    ).toEqual(['ada', 'bo']);
  });
});
