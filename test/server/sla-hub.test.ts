import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation } from '../../src/shared/domain/model';
import type { HubEvent } from '../../src/shared/protocol/events';
import type { SlaPolicy, SlaSettings } from '../../src/shared/sla';
import { api, login, startTestHub } from '../support/hub';

/** Monday 23 November 2026, 10:00 UTC. */
const T0 = Date.parse('2026-11-23T10:00:00Z');
let clock = T0;
const now = (): number => clock;
let counter = 0;

function inbound(
  customer: string,
  sentAt: number,
  channel: InboundMessage['channel'] = 'telegram',
): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-sla`,
    externalId: `sla.${counter}`,
    customer: { externalId: customer, name: customer, phone: null },
    sentAt,
    content: { type: 'text', body: `Message ${counter}` },
  };
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const policyBody = {
  name: 'Telegram, around the clock',
  channel: 'telegram',
  priority: null,
  firstResponseMs: 30 * MINUTE_MS,
  nextResponseMs: HOUR_MS,
  resolutionMs: null,
  hours: 'always',
  enabled: true,
};

const calendarBody = {
  timeZone: 'Europe/Amsterdam',
  weeklyHours: {
    mon: [{ start: '09:00', end: '17:00' }],
    tue: [{ start: '09:00', end: '17:00' }],
    wed: [{ start: '09:00', end: '17:00' }],
    thu: [{ start: '09:00', end: '17:00' }],
    fri: [{ start: '09:00', end: '17:00' }],
    sat: [],
    sun: [],
  },
  holidays: ['2026-12-25'],
};

async function createAgent(hub: RunningHub): Promise<string> {
  const { createUserService } = await import('../../src/server/auth/users');
  await createUserService(hub.db, now).create({
    email: 'agent@sla.example',
    name: 'Sam Agent',
    role: 'agent',
    password: 'agent password 1',
  });
  return login(hub.url, { email: 'agent@sla.example', password: 'agent password 1' });
}

describe('SLA settings API', () => {
  let hub: RunningHub;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    hub = await startTestHub({ now });
    admin = await login(hub.url);
    agent = await createAgent(hub);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('lets an admin set the calendar and policies, and anyone signed in read them', async () => {
    const calendar = await api<SlaSettings>(hub.url, admin, '/api/sla/calendar', {
      method: 'PUT',
      body: calendarBody,
    });
    expect(calendar.status).toBe(200);
    expect(calendar.body.calendar).toEqual(calendarBody);
    const created = await api<{ policy: SlaPolicy }>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: policyBody,
    });
    expect(created.status).toBe(201);
    expect(created.body.policy).toMatchObject({ ...policyBody, id: expect.any(String) });
    const changed = await api<{ policy: SlaPolicy }>(
      hub.url,
      admin,
      `/api/sla/policies/${created.body.policy.id}`,
      { method: 'PUT', body: { ...policyBody, firstResponseMs: 15 * MINUTE_MS } },
    );
    expect(changed.body.policy.firstResponseMs).toBe(15 * MINUTE_MS);
    const read = await api<SlaSettings>(hub.url, agent, '/api/sla');
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ policies: [changed.body.policy], calendar: calendarBody });
    expect((await api(hub.url, null, '/api/sla')).status).toBe(401);

    // Every change is an `sla.updated` event with the whole settings.
    const { rows } = await hub.db.query<{ payload: HubEvent }>(
      "select payload from events where type = 'sla.updated' order by seq",
    );
    expect(rows).toHaveLength(3);
    expect(rows.at(-1)?.payload).toEqual({ type: 'sla.updated', sla: read.body });

    const deleted = await api(hub.url, admin, `/api/sla/policies/${created.body.policy.id}`, {
      method: 'DELETE',
    });
    expect(deleted.status).toBe(200);
    expect((await api<SlaSettings>(hub.url, admin, '/api/sla')).body.policies).toEqual([]);
  });

  it('answers 403 to an agent on every SLA change, and changes nothing', async () => {
    const kept = await api<{ policy: SlaPolicy }>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...policyBody, name: 'Kept' },
    });
    const before = await api<SlaSettings>(hub.url, admin, '/api/sla');
    const attempts = [
      api(hub.url, agent, '/api/sla/calendar', { method: 'PUT', body: calendarBody }),
      api(hub.url, agent, '/api/sla/policies', { method: 'POST', body: policyBody }),
      api(hub.url, agent, `/api/sla/policies/${kept.body.policy.id}`, {
        method: 'PUT',
        body: { ...policyBody, name: 'Changed by an agent' },
      }),
      api(hub.url, agent, `/api/sla/policies/${kept.body.policy.id}`, { method: 'DELETE' }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({
        error: 'forbidden',
        message: 'Only admins may change SLA policies.',
      });
    }
    expect((await api<SlaSettings>(hub.url, admin, '/api/sla')).body).toEqual(before.body);
  });

  it('refuses bad calendars and policies with a clear message', async () => {
    const badZone = await api<{ message: string }>(hub.url, admin, '/api/sla/calendar', {
      method: 'PUT',
      body: { ...calendarBody, timeZone: 'Europe/Atlantis' },
    });
    expect(badZone.status).toBe(400);
    expect(badZone.body.message).toMatch(/timeZone: Unknown time zone/);
    const overlapping = await api<{ message: string }>(hub.url, admin, '/api/sla/calendar', {
      method: 'PUT',
      body: {
        ...calendarBody,
        weeklyHours: {
          ...calendarBody.weeklyHours,
          wed: [
            { start: '08:00', end: '12:30' },
            { start: '12:00', end: '18:00' },
          ],
        },
      },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.message).toMatch(/Wednesday: 08:00–12:30 overlaps 12:00–18:00/);
    const noTarget = await api(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...policyBody, firstResponseMs: null, nextResponseMs: null },
    });
    expect(noTarget.status).toBe(400);
    const sameScope = await api<{ message: string }>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...policyBody, name: 'Second' },
    });
    expect(sameScope.status).toBe(409);
    expect(sameScope.body.message).toMatch(/"Kept" already covers Telegram, any priority/);
    expect(
      (await api(hub.url, admin, '/api/sla/policies/sla_nope', { method: 'DELETE' })).status,
    ).toBe(404);
  });

  it('records business-hours breaches at the exact instant: none outside hours, holidays skipped, across DST', async () => {
    await api(hub.url, admin, '/api/sla/calendar', { method: 'PUT', body: calendarBody });
    // The policy exists before every case below (a policy counts from when it was created).
    clock = Date.parse('2026-10-01T00:00:00Z');
    await api(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: {
        ...policyBody,
        name: 'Viber, business hours',
        channel: 'viber',
        nextResponseMs: null,
        hours: 'business',
      },
    });
    clock = T0;
    const breachOf = async (customer: string) => {
      const { rows } = await hub.db.query<{ due_at: number; breached_at: number }>(
        `select b.due_at, b.breached_at from sla_breaches b
         join conversations v on v.id = b.conversation_id
         join customers c on c.id = v.customer_id where c.name = $1`,
        [customer],
      );
      return rows.map((row) => ({
        dueAt: Number(row.due_at),
        breachedAt: Number(row.breached_at),
      }));
    };
    let clientIds = 0;
    const trigger = async (customer: string) => {
      const { rows } = await hub.db.query<{ id: string }>(
        'select v.id from conversations v join customers c on c.id = v.customer_id where c.name = $1',
        [customer],
      );
      // Signed in at the case's clock: the suite's admin session (from T0) has expired by
      // 28 December, and a refused command would leave the evaluation to chance.
      const token = await login(hub.url);
      const answer = await api(hub.url, token, '/api/commands', {
        method: 'POST',
        body: {
          clientId: `business-${(clientIds += 1)}`,
          command: { type: 'mark_read', conversationId: rows[0]?.id },
        },
      });
      expect(answer.status).toBe(200);
    };
    const cases = [
      // Friday 16:50 CET: 10 minutes on Friday, 20 on Monday.
      { name: 'weekend', wrote: '2026-11-20T15:50:00Z', due: '2026-11-23T08:20:00Z' },
      // Thursday 24 December 16:50 CET; Friday 25 December is a holiday.
      { name: 'holiday', wrote: '2026-12-24T15:50:00Z', due: '2026-12-28T08:20:00Z' },
      // Friday 23 October 16:50 CEST (UTC+2); Monday 09:20 is CET (UTC+1) after fall-back.
      { name: 'dst', wrote: '2026-10-23T14:50:00Z', due: '2026-10-26T08:20:00Z' },
    ];
    for (const c of cases) {
      const wrote = Date.parse(c.wrote);
      const due = Date.parse(c.due);
      clock = wrote;
      // A second customer wrote 1 ms earlier: due 1 ms earlier, so its breach shows when the
      // evaluator has run at `due - 1`.
      await hub.ingestor.ingest(inbound(`${c.name}-early`, wrote - 1, 'viber'));
      await hub.ingestor.ingest(inbound(c.name, wrote, 'viber'));
      clock = due - 1;
      await trigger(c.name);
      expect(
        await until(
          () => breachOf(`${c.name}-early`),
          (l) => l.length > 0,
        ),
      ).toEqual([{ dueAt: due - 1, breachedAt: due - 1 }]);
      expect(await breachOf(c.name)).toEqual([]);
      clock = due;
      await trigger(c.name);
      expect(
        await until(
          () => breachOf(c.name),
          (l) => l.length > 0,
        ),
      ).toEqual([{ dueAt: due, breachedAt: due }]);
    }
  });
});

describe('SLA breaches', () => {
  it('records a missed target once, at its due instant, through re-evaluations and a restart; a reply in time records none', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-sla-'));
    clock = T0;
    try {
      const hub = await startTestHub({ now, dataDir });
      const admin = await login(hub.url);
      // In place before the customers below write (one of them at T0 - 1).
      clock = T0 - HOUR_MS;
      await api(hub.url, admin, '/api/sla/policies', { method: 'POST', body: policyBody });
      clock = T0;

      const conversationOf = async (customer: string): Promise<Conversation> => {
        const list = await api<{ conversations: Conversation[] }>(
          hub.url,
          admin,
          '/api/conversations?channel=telegram',
        );
        const found = list.body.conversations.find((c) => c.customer.name === customer);
        if (!found) throw new Error(`no conversation of ${customer}`);
        return found;
      };
      const breachesOf = async (conversationId: string) =>
        (
          await hub.db.query<{ target: string; due_at: number; breached_at: number }>(
            'select target, due_at, breached_at from sla_breaches where conversation_id = $1',
            [conversationId],
          )
        ).rows.map((row) => ({
          target: row.target,
          dueAt: Number(row.due_at),
          breachedAt: Number(row.breached_at),
        }));
      let commandCount = 0;
      const command = (body: Record<string, unknown>) =>
        api(hub.url, admin, '/api/commands', {
          method: 'POST',
          body: { clientId: `sla-command-${(commandCount += 1)}`, command: body },
        });

      // Waiting (no reply) and replied-in-time, both writing at T0: first reply due T0 + 30 min.
      await hub.ingestor.ingest(inbound('waiting', T0));
      await hub.ingestor.ingest(inbound('answered', T0));
      const waiting = await conversationOf('waiting');
      const answered = await conversationOf('answered');
      expect(waiting).toMatchObject({ awaitingReplySince: T0, firstReplyAt: null, openedAt: T0 });
      clock = T0 + 10 * MINUTE_MS;
      await command({
        type: 'send_message',
        conversationId: answered.id,
        content: { type: 'text', body: 'On it!' },
      });
      expect(await conversationOf('answered')).toMatchObject({
        awaitingReplySince: null,
        firstReplyAt: T0 + 10 * MINUTE_MS,
      });

      // One millisecond before the due instant: nothing. A customer who wrote 1 ms earlier is
      // due then, so their breach shows the evaluator has run at that instant.
      await hub.ingestor.ingest(inbound('earlier', T0 - 1));
      clock = T0 + 30 * MINUTE_MS - 1;
      await command({ type: 'mark_read', conversationId: waiting.id });
      const earlier = await conversationOf('earlier');
      await until(
        () => breachesOf(earlier.id),
        (list) => list.length > 0,
      );
      expect(await breachesOf(waiting.id)).toEqual([]);
      // At the due instant: the breach, recorded at that instant.
      clock = T0 + 30 * MINUTE_MS;
      await command({ type: 'mark_read', conversationId: waiting.id });
      const recorded = await until(
        () => breachesOf(waiting.id),
        (list) => list.length > 0,
      );
      expect(recorded).toEqual([
        { target: 'first_response', dueAt: T0 + 30 * MINUTE_MS, breachedAt: T0 + 30 * MINUTE_MS },
      ]);

      // Re-evaluations (more updates of the same conversation, later clocks) add nothing. A
      // third conversation falling due afterwards proves they were all evaluated.
      clock = T0 + 40 * MINUTE_MS;
      await command({ type: 'mark_read', conversationId: waiting.id });
      await command({ type: 'set_labels', conversationId: waiting.id, labels: ['vip'] });
      await hub.ingestor.ingest(inbound('later', T0 + 40 * MINUTE_MS));
      const later = await conversationOf('later');
      clock = T0 + 70 * MINUTE_MS;
      await command({ type: 'mark_read', conversationId: waiting.id });
      await until(
        () => breachesOf(later.id),
        (list) => list.length > 0,
      );
      expect(await breachesOf(waiting.id)).toHaveLength(1);
      expect(await breachesOf(answered.id)).toEqual([]);

      // One more conversation starts waiting, then the hub is down past its due instant.
      await hub.ingestor.ingest(inbound('while-down', T0 + 70 * MINUTE_MS));
      const whileDown = await conversationOf('while-down');
      await hub.close();

      clock = T0 + 3 * HOUR_MS;
      const second = await startTestHub({ now, dataDir });
      try {
        const { rows } = await until(
          () =>
            second.db.query<{ conversation_id: string; due_at: number; breached_at: number }>(
              'select conversation_id, due_at, breached_at from sla_breaches',
            ),
          (result) => result.rows.some((row) => row.conversation_id === whileDown.id),
        );
        // Missed while the hub was down: recorded at its due instant, not at the restart.
        const missed = rows.find((row) => row.conversation_id === whileDown.id);
        expect(Number(missed?.breached_at)).toBe(T0 + 100 * MINUTE_MS);
        expect(rows.filter((row) => row.conversation_id === waiting.id)).toHaveLength(1);
        expect(rows.filter((row) => row.conversation_id === answered.id)).toHaveLength(0);
        const events = await second.db.query<{ payload: HubEvent }>(
          "select payload from events where type = 'sla.breached' order by seq",
        );
        const breachEvents = events.rows.map((row) => row.payload);
        expect(
          breachEvents.filter(
            (e) => e.type === 'sla.breached' && e.breach.conversationId === waiting.id,
          ),
        ).toEqual([
          {
            type: 'sla.breached',
            breach: expect.objectContaining({
              conversationId: waiting.id,
              target: 'first_response',
              dueAt: T0 + 30 * MINUTE_MS,
              breachedAt: T0 + 30 * MINUTE_MS,
              channel: 'telegram',
              priority: 'normal',
            }),
          },
        ]);
        // waiting, earlier, later and while-down: one event each.
        expect(breachEvents).toHaveLength(4);
      } finally {
        await second.close();
      }
    } finally {
      clock = T0;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('counts a conversation waiting from long before a new policy from the policy: no breach at creation, one at its due instant', async () => {
    clock = T0 - HOUR_MS;
    const hub = await startTestHub({ now });
    try {
      const admin = await login(hub.url);
      // A short Viber policy from before: its breach shows that the evaluator has run.
      await api(hub.url, admin, '/api/sla/policies', {
        method: 'POST',
        body: { ...policyBody, name: 'Viber', channel: 'viber', firstResponseMs: 10 * MINUTE_MS },
      });
      clock = T0;
      // Waiting for 400 days, since long before any policy.
      await hub.ingestor.ingest(inbound('long-ago', T0 - 400 * 24 * HOUR_MS));
      const created = await api<{ policy: SlaPolicy }>(hub.url, admin, '/api/sla/policies', {
        method: 'POST',
        body: policyBody,
      });
      expect(created.body.policy).toMatchObject({ appliesFrom: T0, updatedAt: T0 });
      await hub.ingestor.ingest(inbound('marker', T0, 'viber'));
      const breachesOf = async (customer: string) =>
        (
          await hub.db.query<{ target: string; due_at: number; breached_at: number }>(
            `select b.target, b.due_at, b.breached_at from sla_breaches b
             join conversations v on v.id = b.conversation_id
             join customers c on c.id = v.customer_id where c.name = $1`,
            [customer],
          )
        ).rows.map((row) => ({
          target: row.target,
          dueAt: Number(row.due_at),
          breachedAt: Number(row.breached_at),
        }));
      const { rows } = await hub.db.query<{ id: string }>(
        "select v.id from conversations v join customers c on c.id = v.customer_id where c.name = 'long-ago'",
      );
      const longAgo = rows[0]?.id ?? '';
      let commands = 0;
      const touch = () =>
        api(hub.url, admin, '/api/commands', {
          method: 'POST',
          body: {
            clientId: `long-ago-${(commands += 1)}`,
            command: { type: 'mark_read', conversationId: longAgo },
          },
        });

      // A millisecond before 30 minutes after the policy: the marker (due T0 + 10 min) is
      // recorded, the conversation waiting for 400 days is not.
      clock = T0 + 30 * MINUTE_MS - 1;
      await touch();
      expect(
        await until(
          () => breachesOf('marker'),
          (list) => list.length > 0,
        ),
      ).toEqual([
        { target: 'first_response', dueAt: T0 + 10 * MINUTE_MS, breachedAt: T0 + 10 * MINUTE_MS },
      ]);
      expect(await breachesOf('long-ago')).toEqual([]);

      // 30 minutes after the policy was created: one breach, at that instant.
      clock = T0 + 30 * MINUTE_MS;
      await touch();
      expect(
        await until(
          () => breachesOf('long-ago'),
          (list) => list.length > 0,
        ),
      ).toEqual([
        { target: 'first_response', dueAt: T0 + 30 * MINUTE_MS, breachedAt: T0 + 30 * MINUTE_MS },
      ]);

      // A longer target later does not record the same wait again.
      const policyId = created.body.policy.id;
      clock = T0 + 40 * MINUTE_MS;
      const edited = await api<{ policy: SlaPolicy }>(
        hub.url,
        admin,
        `/api/sla/policies/${policyId}`,
        { method: 'PUT', body: { ...policyBody, firstResponseMs: 35 * MINUTE_MS } },
      );
      // Another target length: the policy still applies from its creation.
      expect(edited.body.policy).toMatchObject({ appliesFrom: T0, updatedAt: T0 + 40 * MINUTE_MS });
      clock = T0 + 50 * MINUTE_MS;
      await touch();
      await api(hub.url, admin, `/api/sla/policies/${policyId}`, {
        method: 'PUT',
        body: { ...policyBody, enabled: false },
      });
      clock = T0 + 60 * MINUTE_MS;
      const enabled = await api<{ policy: SlaPolicy }>(
        hub.url,
        admin,
        `/api/sla/policies/${policyId}`,
        { method: 'PUT', body: policyBody },
      );
      // Enabled again: it applies anew from then.
      expect(enabled.body.policy).toMatchObject({ appliesFrom: T0 + 60 * MINUTE_MS });
      const settings = await api<SlaSettings>(hub.url, admin, '/api/sla');
      expect(settings.body.policies.find((p) => p.id === policyId)?.appliesFrom).toBe(
        T0 + 60 * MINUTE_MS,
      );
      expect(await breachesOf('long-ago')).toHaveLength(1);
    } finally {
      clock = T0;
      await hub.close();
    }
  }, 60_000);

  it('fires at the next due instant by itself, with no other event', async () => {
    // The customer's message arrives 5 ms (hub clock) before its first reply is due: the
    // evaluator's timer wakes, finds it not yet due, and re-arms until the hub clock reaches
    // the due instant; no other event happens meanwhile.
    clock = T0;
    const hub = await startTestHub({ now });
    try {
      const admin = await login(hub.url);
      await api(hub.url, admin, '/api/sla/policies', { method: 'POST', body: policyBody });
      clock = T0 + 30 * MINUTE_MS - 5;
      await hub.ingestor.ingest(inbound('timer', T0));
      const headBefore = await hub.db.query<{ seq: number }>('select max(seq) as seq from events');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await hub.db.query('select 1 from sla_breaches')).rows).toHaveLength(0);
      clock = T0 + 30 * MINUTE_MS;
      const { rows } = await until(
        () => hub.db.query<{ due_at: number }>('select due_at from sla_breaches'),
        (result) => result.rows.length > 0,
      );
      expect(rows.map((row) => Number(row.due_at))).toEqual([T0 + 30 * MINUTE_MS]);
      const after = await hub.db.query<{ type: string }>(
        'select type from events where seq > $1 order by seq',
        [headBefore.rows[0]?.seq ?? 0],
      );
      // The breach, and its activity line in the conversation's timeline (issue #20 item 3).
      expect(after.rows.map((row) => row.type)).toEqual(['sla.breached', 'activity.created']);
    } finally {
      await hub.close();
    }
  }, 60_000);

  it('resolving stops the targets; a customer reopening starts a new period', async () => {
    clock = T0;
    const hub = await startTestHub({ now });
    try {
      const admin = await login(hub.url);
      await hub.ingestor.ingest(inbound('resolver', T0));
      const list = await api<{ conversations: Conversation[] }>(
        hub.url,
        admin,
        '/api/conversations',
      );
      const id = list.body.conversations[0]?.id ?? '';
      clock = T0 + MINUTE_MS;
      await api(hub.url, admin, '/api/commands', {
        method: 'POST',
        body: {
          clientId: 'resolve-1',
          command: { type: 'set_status', conversationId: id, status: 'resolved' },
        },
      });
      const resolved = await api<{ conversation: Conversation }>(
        hub.url,
        admin,
        `/api/conversations/${id}`,
      );
      expect(resolved.body.conversation).toMatchObject({
        status: 'resolved',
        resolvedAt: T0 + MINUTE_MS,
        awaitingReplySince: null,
        openedAt: T0,
      });
      // An hour later the customer writes again (a timestamp ahead of the hub's clock would be
      // taken as the receipt time: ingest.ts, MAX_FUTURE_SKEW_MS).
      clock = T0 + HOUR_MS;
      await hub.ingestor.ingest(inbound('resolver', T0 + HOUR_MS));
      const reopened = await api<{ conversation: Conversation }>(
        hub.url,
        admin,
        `/api/conversations/${id}`,
      );
      expect(reopened.body.conversation).toMatchObject({
        status: 'open',
        resolvedAt: null,
        awaitingReplySince: T0 + HOUR_MS,
        openedAt: T0 + HOUR_MS,
      });
    } finally {
      await hub.close();
    }
  }, 60_000);
});
