import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation } from '../../src/shared/domain/model';
import type { Activity } from '../../src/shared/protocol/activity';
import type { HubEvent } from '../../src/shared/protocol/events';
import { api, login, startTestHub } from '../support/hub';
import { createTeamUser } from '../support/team-users';
import { until } from '../support/until';

/**
 * Activity lines (issue #20 item 3): assignment (by a person, by a team's rotation, by a reply),
 * status, snooze, priority, labels and missed SLA targets are recorded where the change is
 * applied, in its transaction, with an `activity.created` event; what changes nothing, or is
 * refused, records nothing.
 */

const T0 = Date.parse('2026-12-07T09:00:00Z');
let clock = T0;
let hub: RunningHub;
let admin: string;
let lead: { id: string; token: string };
let agent: { id: string; token: string };
let counter = 0;

function inbound(
  customer: string,
  channel: InboundMessage['channel'] = 'telegram',
): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-activity`,
    externalId: `act.${counter}`,
    customer: { externalId: `${channel}-${customer}`, name: customer, phone: null },
    sentAt: clock,
    content: { type: 'text', body: `Hello ${counter}` },
  };
}

async function conversationOf(
  customer: string,
  channel: InboundMessage['channel'] = 'telegram',
): Promise<Conversation> {
  await hub.ingestor.ingest(inbound(customer, channel));
  const list = await api<{ conversations: Conversation[] }>(
    hub.url,
    admin,
    '/api/conversations?limit=100',
  );
  const found = list.body.conversations.find((c) => c.customer.name === customer);
  if (!found) throw new Error(`no conversation of ${customer}`);
  return found;
}

async function command(token: string, body: Record<string, unknown>) {
  counter += 1;
  return api(hub.url, token, '/api/commands', {
    method: 'POST',
    body: { clientId: `activity-command-${counter}`, command: body },
  });
}

/** A conversation's lines, oldest first, without their random ids. */
async function linesOf(conversationId: string): Promise<Omit<Activity, 'id'>[]> {
  const res = await api<{ activity: Activity[] }>(
    hub.url,
    agent.token,
    `/api/conversations/${conversationId}/activity`,
  );
  expect(res.status).toBe(200);
  return res.body.activity
    .slice()
    .reverse()
    .map(({ id: _id, ...rest }) => rest);
}

async function activityEventsOf(conversationId: string) {
  const { rows } = await hub.db.query<{ seq: string; payload: HubEvent }>(
    `select seq, payload from events where type = 'activity.created'
     and payload->'activity'->>'conversationId' = $1 order by seq`,
    [conversationId],
  );
  return rows.map((row) => ({ seq: Number(row.seq), event: row.payload }));
}

const createUser = (name: string, role: 'agent' | 'lead') =>
  createTeamUser(hub.url, admin, name, role);

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  lead = await createUser('Lena Lead', 'lead');
  agent = await createUser('Ana Agent', 'agent');
});

afterAll(async () => {
  await hub?.close();
});

describe('a person’s changes', () => {
  it('records assignment, status, snooze, priority and labels with the actor, before and after', async () => {
    const c = await conversationOf('Sheena Patel');
    const base = { conversationId: c.id, via: 'user', actorId: lead.id, until: null };
    const at = (minutes: number) => T0 + minutes * MINUTE_MS;

    clock = at(1);
    expect(
      (await command(lead.token, { type: 'assign', conversationId: c.id, assigneeId: agent.id }))
        .status,
    ).toBe(200);
    clock = at(2);
    await command(lead.token, { type: 'set_priority', conversationId: c.id, priority: 'urgent' });
    clock = at(3);
    await command(lead.token, {
      type: 'set_labels',
      conversationId: c.id,
      labels: ['refund', 'vip'],
    });
    clock = at(4);
    await command(lead.token, {
      type: 'set_labels',
      conversationId: c.id,
      labels: ['vip', 'late'],
    });
    clock = at(5);
    const until5 = Date.parse('2026-12-14T09:00:00Z');
    await command(lead.token, {
      type: 'set_status',
      conversationId: c.id,
      status: 'snoozed',
      snoozedUntil: until5,
    });
    clock = at(6);
    // Snoozed again, later: a new line with the new instant.
    await command(lead.token, {
      type: 'set_status',
      conversationId: c.id,
      status: 'snoozed',
      snoozedUntil: until5 + 60 * MINUTE_MS,
    });
    clock = at(7);
    await command(agent.token, { type: 'set_status', conversationId: c.id, status: 'resolved' });
    clock = at(8);
    await command(lead.token, { type: 'assign', conversationId: c.id, assigneeId: null });

    expect(await linesOf(c.id)).toEqual([
      { ...base, at: at(1), kind: 'assignment', from: null, to: agent.id },
      { ...base, at: at(2), kind: 'priority', from: 'normal', to: 'urgent' },
      { ...base, at: at(3), kind: 'label_added', from: null, to: 'refund' },
      { ...base, at: at(3), kind: 'label_added', from: null, to: 'vip' },
      { ...base, at: at(4), kind: 'label_added', from: null, to: 'late' },
      { ...base, at: at(4), kind: 'label_removed', from: 'refund', to: null },
      { ...base, at: at(5), kind: 'status', from: 'open', to: 'snoozed', until: until5 },
      {
        ...base,
        at: at(6),
        kind: 'status',
        from: 'snoozed',
        to: 'snoozed',
        until: until5 + 60 * MINUTE_MS,
      },
      { ...base, at: at(7), actorId: agent.id, kind: 'status', from: 'snoozed', to: 'resolved' },
      { ...base, at: at(8), kind: 'assignment', from: agent.id, to: null },
    ]);
    clock = T0;
  });

  it('emits each line as an activity.created event with its seq, after the conversation’s', async () => {
    const c = await conversationOf('Bram de Boer');
    clock = T0 + MINUTE_MS;
    await command(lead.token, { type: 'assign', conversationId: c.id, assigneeId: agent.id });
    const { rows } = await hub.db.query<{ seq: string; type: string }>(
      `select seq, type from events where seq > (select max(seq) - 2 from events) order by seq`,
    );
    const [lines, events] = [
      (
        await api<{ activity: Activity[] }>(
          hub.url,
          lead.token,
          `/api/conversations/${c.id}/activity`,
        )
      ).body.activity,
      await activityEventsOf(c.id),
    ];
    expect(rows.map((row) => row.type)).toEqual(['conversation.updated', 'activity.created']);
    expect(events).toEqual([
      {
        seq: Number(rows[1]?.seq),
        event: {
          type: 'activity.created',
          activity: {
            id: lines[0]?.id,
            conversationId: c.id,
            at: T0 + MINUTE_MS,
            kind: 'assignment',
            via: 'user',
            actorId: lead.id,
            from: null,
            to: agent.id,
            until: null,
          },
        },
      },
    ]);
    expect(lines[0]?.id).toMatch(/^act/);
    clock = T0;
  });

  it('records nothing for a command that changes nothing', async () => {
    const c = await conversationOf('Chen Wei');
    await command(lead.token, { type: 'assign', conversationId: c.id, assigneeId: agent.id });
    await command(lead.token, { type: 'set_labels', conversationId: c.id, labels: ['vip'] });
    const before = await linesOf(c.id);
    expect(before.map((line) => line.kind)).toEqual(['assignment', 'label_added']);
    await command(lead.token, { type: 'assign', conversationId: c.id, assigneeId: agent.id });
    await command(lead.token, { type: 'set_priority', conversationId: c.id, priority: 'normal' });
    await command(lead.token, { type: 'set_status', conversationId: c.id, status: 'open' });
    await command(lead.token, {
      type: 'set_labels',
      conversationId: c.id,
      labels: ['vip', 'vip'],
    });
    await command(lead.token, { type: 'mark_read', conversationId: c.id });
    expect(await linesOf(c.id)).toEqual(before);
    expect((await activityEventsOf(c.id)).length).toBe(2);
  });

  it('records nothing for a refused command', async () => {
    const c = await conversationOf('Dara Quinn');
    const missing = await command(lead.token, {
      type: 'assign',
      conversationId: c.id,
      assigneeId: 'usr_nobody',
    });
    expect(missing.status).toBe(404);
    const noInstant = await command(lead.token, {
      type: 'set_status',
      conversationId: c.id,
      status: 'snoozed',
    });
    expect(noInstant.status).toBe(400);
    expect(await linesOf(c.id)).toEqual([]);
    expect(await activityEventsOf(c.id)).toEqual([]);
  });
});

describe('the hub’s own changes', () => {
  it('records a reply’s assignment as by Replydesk (via reply)', async () => {
    const c = await conversationOf('Elif Kaya');
    clock = T0 + 2 * MINUTE_MS;
    const sent = await api(hub.url, agent.token, `/api/conversations/${c.id}/messages`, {
      method: 'POST',
      body: { clientId: 'activity-reply-1', content: { type: 'text', body: 'On it!' } },
    });
    expect(sent.status).toBe(202);
    // A second reply (now assigned) records nothing more.
    await api(hub.url, lead.token, `/api/conversations/${c.id}/messages`, {
      method: 'POST',
      body: { clientId: 'activity-reply-2', content: { type: 'text', body: 'And me.' } },
    });
    expect(await linesOf(c.id)).toEqual([
      {
        conversationId: c.id,
        at: T0 + 2 * MINUTE_MS,
        kind: 'assignment',
        via: 'reply',
        actorId: null,
        from: null,
        to: agent.id,
        until: null,
      },
    ]);
    clock = T0;
  });

  it('records a team rotation’s assignment (via round_robin)', async () => {
    const team = await api(hub.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: {
        name: 'Viber desk',
        assignment: 'round_robin',
        channels: ['viber'],
        memberIds: [agent.id],
      },
    });
    expect(team.status).toBe(201);
    const c = await conversationOf('Femi Ade', 'viber');
    expect(c.assigneeId).toBe(agent.id);
    expect(await linesOf(c.id)).toEqual([
      {
        conversationId: c.id,
        at: T0,
        kind: 'assignment',
        via: 'round_robin',
        actorId: null,
        from: null,
        to: agent.id,
        until: null,
      },
    ]);
  });

  it('records a missed SLA target at its due instant (via sla)', async () => {
    const policy = await api(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: {
        name: 'WeChat',
        channel: 'wechat',
        priority: null,
        firstResponseMs: 30 * MINUTE_MS,
        nextResponseMs: null,
        resolutionMs: null,
        hours: 'always',
        enabled: true,
      },
    });
    expect(policy.status).toBe(201);
    const c = await conversationOf('Gao Min', 'wechat');
    clock = T0 + 30 * MINUTE_MS;
    // Any update wakes the evaluator at the new clock.
    await command(lead.token, { type: 'mark_read', conversationId: c.id });
    const lines = await until(
      () => linesOf(c.id),
      (list) => list.length > 0,
    );
    expect(lines).toEqual([
      {
        conversationId: c.id,
        at: T0 + 30 * MINUTE_MS,
        kind: 'sla_missed',
        via: 'sla',
        actorId: null,
        from: null,
        to: 'first_response',
        until: null,
      },
    ]);
    const breach = await hub.db.query<{ n: string }>(
      'select count(*) as n from sla_breaches where conversation_id = $1',
      [c.id],
    );
    expect(Number(breach.rows[0]?.n)).toBe(1);
    clock = T0;
  });
});

describe('history for apps', () => {
  it('pages every line of the workspace for a first sync, and one conversation’s newest first', async () => {
    const { rows } = await hub.db.query<{ id: string }>(
      'select id from activity order by conversation_id desc, at desc, id desc',
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page: {
        status: number;
        body: { activity: Activity[]; nextCursor: string | null; headSeq: number };
      } = await api(
        hub.url,
        agent.token,
        `/api/sync/activity?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.activity.map((a) => a.id));
      cursor = page.body.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(rows.map((row) => row.id));

    const c = (
      await hub.db.query<{ conversation_id: string }>(
        `select conversation_id from activity group by conversation_id order by count(*) desc limit 1`,
      )
    ).rows[0]?.conversation_id as string;
    const first = await api<{ activity: Activity[]; nextCursor: string }>(
      hub.url,
      agent.token,
      `/api/conversations/${c}/activity?limit=4`,
    );
    const rest = await api<{ activity: Activity[]; nextCursor: null }>(
      hub.url,
      agent.token,
      `/api/conversations/${c}/activity?limit=100&cursor=${first.body.nextCursor}`,
    );
    const all = (
      await hub.db.query<{ id: string }>(
        'select id from activity where conversation_id = $1 order by at desc, id desc',
        [c],
      )
    ).rows.map((row) => row.id);
    expect([...first.body.activity, ...rest.body.activity].map((a) => a.id)).toEqual(all);
    expect(rest.body.nextCursor).toBeNull();
    expect((await api(hub.url, null, `/api/conversations/${c}/activity`)).status).toBe(401);
    expect((await api(hub.url, agent.token, '/api/conversations/cnv_none/activity')).status).toBe(
      404,
    );
  });
});
