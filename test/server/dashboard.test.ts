import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardFigures, GroupFigures } from '../../src/shared/dashboard';
import { createUserService } from '../../src/server/auth/users';
import type { RunningHub } from '../../src/server/hub';
import type { Db } from '../../src/server/store/db';
import { api, login, startTestHub } from '../support/hub';

/**
 * The dashboard's figures against a hand-computed fixture: conversations, messages and SLA
 * breaches written straight into the hub's database with known timestamps. Times are UTC on
 * Saturday 2026-11-21; the hub's clock stands at 12:00.
 */
const NOW = Date.parse('2026-11-21T12:00:00Z');
const at = (iso: string): number => Date.parse(`${iso}Z`);
const today = (hhmm: string): number => at(`2026-11-21T${hhmm}:00`);
const S = 1000;
const PASSWORD = 'correct horse battery';

interface Fixture {
  ana: string;
  ben: string;
  lead: { email: string; password: string };
  agent: { email: string; password: string };
}

async function seedFixture(db: Db): Promise<Fixture> {
  const users = createUserService(db, () => NOW);
  const ana = await users.create({
    email: 'ana@shop.example',
    name: 'Ana',
    role: 'agent',
    password: PASSWORD,
  });
  const ben = await users.create({
    email: 'ben@shop.example',
    name: 'Ben',
    role: 'agent',
    password: PASSWORD,
  });
  await users.create({
    email: 'lena@shop.example',
    name: 'Lena',
    role: 'lead',
    password: PASSWORD,
  });
  await db.exec(`
    insert into teams (id, name, created_at, updated_at) values
      ('team_alpha', 'Alpha', 0, 0), ('team_beta', 'Beta', 0, 0);
    insert into team_members (team_id, user_id) values
      ('team_alpha', '${ana.id}'), ('team_beta', '${ana.id}'), ('team_beta', '${ben.id}');
  `);
  const conversations: [string, string][] = [
    ['c1', 'whatsapp'],
    ['c2', 'whatsapp'],
    ['c3', 'messenger'],
    ['c4', 'messenger'],
    ['c5', 'telegram'],
    ['c6', 'whatsapp'],
  ];
  for (const [id, channel] of conversations) {
    await db.query(
      `insert into customers (id, name, created_at, updated_at) values ($1, $2, 0, 0)`,
      [`cus_${id}`, `Customer ${id}`],
    );
    await db.query(
      `insert into conversations (id, channel, channel_account_id, customer_id,
         customer_external_id, last_message_at, created_at, updated_at)
       values ($1, $2, 'acct', $3, $1, 0, 0, 0)`,
      [id, channel, `cus_${id}`],
    );
  }
  let n = 0;
  const message = async (
    conversation: string,
    direction: 'inbound' | 'outbound',
    sentAt: number,
    extra: {
      author?: string;
      status?: string;
      tag?: string;
      cost?: number;
      template?: boolean;
    } = {},
  ): Promise<void> => {
    n += 1;
    const channel = conversations.find(([id]) => id === conversation)?.[1];
    await db.query(
      `insert into messages (id, conversation_id, channel, direction, content, author_id, status,
         cost, tag, sent_at, updated_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9, $10, $10)`,
      [
        `msg_${String(n).padStart(3, '0')}`,
        conversation,
        channel,
        direction,
        JSON.stringify(
          extra.template
            ? {
                type: 'template',
                templateId: 't',
                name: 'order_update',
                language: 'en',
                category: 'utility',
                parameters: [],
                renderedBody: 'Update',
              }
            : { type: 'text', body: 'hello' },
        ),
        extra.author ?? null,
        extra.status ?? (direction === 'inbound' ? 'received' : 'delivered'),
        extra.cost === undefined
          ? null
          : JSON.stringify({ amount: extra.cost, currency: 'USD', category: 'utility' }),
        extra.tag ?? null,
        sentAt,
      ],
    );
  };
  // c1 (WhatsApp): two customer messages, Ana answers 10 min after the first; again 5 min after
  // the next; a follow-up at 09:06 answers nothing.
  await message('c1', 'inbound', today('08:00'));
  await message('c1', 'inbound', today('08:02'));
  await message('c1', 'outbound', today('08:10'), { author: ana.id, cost: 0 });
  await message('c1', 'inbound', today('09:00'));
  await message('c1', 'outbound', today('09:05'), { author: ana.id, cost: 0 });
  await message('c1', 'outbound', today('09:06'), { author: ana.id, cost: 0 });
  // c2 (WhatsApp): the customer wrote yesterday 06:00; Ben answers 25 h later with a paid
  // template (late: the 24 h window had closed), then 20 min after the next message.
  await message('c2', 'inbound', at('2026-11-20T06:00:00'));
  await message('c2', 'outbound', today('07:00'), { author: ben.id, cost: 0.0125, template: true });
  await message('c2', 'inbound', today('07:30'));
  await message('c2', 'outbound', today('07:50'), { author: ben.id, cost: 0 });
  // c3 (Messenger): a failed send at 10:20 answers nothing; Ana's 10:30 reply is the answer.
  await message('c3', 'inbound', today('10:00'));
  await message('c3', 'outbound', today('10:20'), { author: ana.id, status: 'failed' });
  await message('c3', 'outbound', today('10:30'), { author: ana.id, cost: 0 });
  // c4 (Messenger): the customer wrote two days ago; Ben answers 49 h later with HUMAN_AGENT.
  await message('c4', 'inbound', at('2026-11-19T10:00:00'));
  await message('c4', 'outbound', today('11:00'), { author: ben.id, tag: 'HUMAN_AGENT', cost: 0 });
  // c5 (Telegram): first answered yesterday (out of range); today's answer is a next response.
  await message('c5', 'inbound', at('2026-11-20T10:00:00'));
  await message('c5', 'outbound', at('2026-11-20T10:04:00'), { author: ana.id });
  await message('c5', 'inbound', today('11:00'));
  await message('c5', 'outbound', today('11:15'), { author: ana.id });
  // c6 (WhatsApp): waiting; an automatic message (no author) answers nothing.
  await message('c6', 'inbound', today('11:50'));
  await message('c6', 'outbound', today('11:51'));

  const breach = async (
    id: string,
    conversation: string,
    target: string,
    breachedAt: number,
    assignee: string | null,
  ): Promise<void> => {
    const channel = conversations.find(([c]) => c === conversation)?.[1];
    await db.query(
      `insert into sla_breaches (id, conversation_id, policy_id, target, due_at, breached_at,
         channel, priority, assignee_id)
       values ($1, $2, 'pol', $3, $4, $4, $5, 'normal', $6)`,
      [id, conversation, target, breachedAt, channel, assignee],
    );
  };
  await breach('b1', 'c2', 'first_response', today('06:00'), ben.id);
  await breach('b2', 'c4', 'first_response', today('03:00'), ben.id);
  await breach('b3', 'c1', 'resolution', today('09:30'), ana.id);
  await breach('b4', 'c6', 'next_response', today('11:55'), null);
  await breach('b5', 'c5', 'first_response', at('2026-11-20T15:00:00'), ana.id);
  return {
    ana: ana.id,
    ben: ben.id,
    lead: { email: 'lena@shop.example', password: PASSWORD },
    agent: { email: 'ana@shop.example', password: PASSWORD },
  };
}

const none = { count: 0, medianMs: null, p90Ms: null };
const usd = (amount: number) => [{ amount, currency: 'USD' }];

/** Hand-computed (interpolated percentiles: p90 of [a, b] is a + 0.9 (b − a)). */
const EXPECTED_TOTALS: GroupFigures = {
  // First waits 600, 1800, 90,000 and 176,400 s.
  firstResponse: { count: 4, medianMs: 45_900 * S, p90Ms: 150_480 * S },
  // Next waits 300, 900 and 1200 s.
  nextResponse: { count: 3, medianMs: 900 * S, p90Ms: 1140 * S },
  breaches: { total: 4, firstResponse: 2, nextResponse: 1, resolution: 1 },
  handled: 5,
  lateReplies: { count: 2, cost: usd(0.0125) },
};

function expectFixtureFigures(figures: DashboardFigures, fixture: Fixture): void {
  expect(figures.range).toEqual({ from: today('00:00'), to: NOW, timeZone: 'UTC' });
  expect(figures.totals).toEqual(EXPECTED_TOTALS);

  expect(figures.byAgent).toEqual([
    {
      key: fixture.ana,
      name: 'Ana',
      firstResponse: { count: 2, medianMs: 1200 * S, p90Ms: 1680 * S },
      nextResponse: { count: 2, medianMs: 600 * S, p90Ms: 840 * S },
      breaches: { total: 1, firstResponse: 0, nextResponse: 0, resolution: 1 },
      handled: 3,
      lateReplies: { count: 0, cost: [] },
    },
    {
      key: fixture.ben,
      name: 'Ben',
      firstResponse: { count: 2, medianMs: 133_200 * S, p90Ms: 167_760 * S },
      nextResponse: { count: 1, medianMs: 1200 * S, p90Ms: 1200 * S },
      breaches: { total: 2, firstResponse: 2, nextResponse: 0, resolution: 0 },
      handled: 2,
      lateReplies: { count: 2, cost: usd(0.0125) },
    },
    {
      key: null,
      name: 'Unassigned',
      firstResponse: none,
      nextResponse: none,
      breaches: { total: 1, firstResponse: 0, nextResponse: 1, resolution: 0 },
      handled: 0,
      lateReplies: { count: 0, cost: [] },
    },
  ]);

  expect(figures.byChannel).toEqual([
    {
      key: 'messenger',
      name: 'Messenger',
      firstResponse: { count: 2, medianMs: 89_100 * S, p90Ms: 158_940 * S },
      nextResponse: none,
      breaches: { total: 1, firstResponse: 1, nextResponse: 0, resolution: 0 },
      handled: 2,
      lateReplies: { count: 1, cost: usd(0) },
    },
    {
      key: 'telegram',
      name: 'Telegram',
      firstResponse: none,
      nextResponse: { count: 1, medianMs: 900 * S, p90Ms: 900 * S },
      breaches: { total: 0, firstResponse: 0, nextResponse: 0, resolution: 0 },
      handled: 1,
      lateReplies: { count: 0, cost: [] },
    },
    {
      key: 'whatsapp',
      name: 'WhatsApp',
      firstResponse: { count: 2, medianMs: 45_300 * S, p90Ms: 81_060 * S },
      nextResponse: { count: 2, medianMs: 750 * S, p90Ms: 1110 * S },
      breaches: { total: 3, firstResponse: 1, nextResponse: 1, resolution: 1 },
      handled: 2,
      lateReplies: { count: 1, cost: usd(0.0125) },
    },
  ]);

  // Ana is in Alpha and Beta, Ben in Beta: Beta is everyone but the unassigned breach.
  const ana = figures.byAgent[0];
  expect(figures.byTeam).toEqual([
    { ...ana, key: 'team_alpha', name: 'Alpha' },
    {
      ...EXPECTED_TOTALS,
      key: 'team_beta',
      name: 'Beta',
      breaches: { total: 3, firstResponse: 2, nextResponse: 0, resolution: 1 },
    },
    { ...figures.byAgent[2], key: null, name: 'No team' },
  ]);

  // Last 24 h by hour, 13:00 yesterday to the current hour (12:00).
  const hourly = figures.series.hourly;
  expect(hourly).toHaveLength(24);
  expect(hourly[0]?.start).toBe(at('2026-11-20T13:00:00'));
  expect(hourly[23]?.start).toBe(today('12:00'));
  const hour = (hhmm: string) => hourly.find((point) => point.start === today(hhmm));
  expect(hour('07:00')).toEqual({
    start: today('07:00'),
    inbound: 1,
    responses: 2,
    medianFirstResponseMs: 90_000 * S,
    breaches: 0,
  });
  expect(hour('08:00')).toMatchObject({ inbound: 2, responses: 1, medianFirstResponseMs: 600 * S });
  expect(hour('09:00')).toMatchObject({
    inbound: 1,
    responses: 1,
    medianFirstResponseMs: null,
    breaches: 1,
  });
  expect(hour('11:00')).toMatchObject({
    inbound: 2,
    responses: 2,
    medianFirstResponseMs: 176_400 * S,
    breaches: 1,
  });
  expect(hourly.find((p) => p.start === at('2026-11-20T15:00:00'))?.breaches).toBe(1);
  expect(hourly.reduce((sum, p) => sum + p.inbound, 0)).toBe(7);

  // Last 30 days by day: today last.
  const daily = figures.series.daily;
  expect(daily).toHaveLength(30);
  expect(daily[29]).toEqual({
    start: today('00:00'),
    inbound: 7,
    responses: 7,
    medianFirstResponseMs: 45_900 * S,
    breaches: 4,
  });
  expect(daily[28]).toEqual({
    start: at('2026-11-20T00:00:00'),
    inbound: 2,
    responses: 1,
    medianFirstResponseMs: 240 * S,
    breaches: 1,
  });
  expect(daily[27]).toMatchObject({ inbound: 1, responses: 0, breaches: 0 });
  expect(daily[0]?.start).toBe(at('2026-10-23T00:00:00'));
}

describe('the dashboard figures', () => {
  let hub: RunningHub;
  let fixture: Fixture;
  let lead: string;

  beforeAll(async () => {
    hub = await startTestHub({ now: () => NOW });
    fixture = await seedFixture(hub.db);
    lead = await login(hub.url, fixture.lead);
  });
  afterAll(() => hub.close());

  it('match the hand-computed fixture: response times, breaches, handled, late replies by agent, channel and team', async () => {
    const res = await api<DashboardFigures>(hub.url, lead, '/api/dashboard?tz=UTC');
    expect(res.status).toBe(200);
    expectFixtureFigures(res.body, fixture);
  });

  it('count a range and its days in the requested time zone', async () => {
    // New York is UTC−5 in November: its Saturday starts at 05:00 UTC, so the 03:00 UTC breach
    // falls on its Friday.
    const res = await api<DashboardFigures>(hub.url, lead, '/api/dashboard?tz=America/New_York');
    expect(res.status).toBe(200);
    expect(res.body.range.from).toBe(today('05:00'));
    expect(res.body.totals.breaches.total).toBe(3);
    expect(res.body.series.daily[29]).toMatchObject({ start: today('05:00'), breaches: 3 });
    expect(res.body.series.daily[28]).toMatchObject({
      start: at('2026-11-20T05:00:00'),
      breaches: 2,
    });
  });

  it('take an explicit range in epoch milliseconds', async () => {
    const from = at('2026-11-20T00:00:00');
    const res = await api<DashboardFigures>(
      hub.url,
      lead,
      `/api/dashboard?from=${from}&to=${today('00:00')}&tz=UTC`,
    );
    expect(res.status).toBe(200);
    expect(res.body.totals.firstResponse).toEqual({ count: 1, medianMs: 240 * S, p90Ms: 240 * S });
    expect(res.body.totals.handled).toBe(1);
    expect(res.body.totals.breaches.total).toBe(1);
  });

  it('refuse a bad range or time zone with 400', async () => {
    for (const query of ['tz=Mars/Olympus', 'from=abc', `from=${NOW}&to=${NOW - 1}`, 'from=0']) {
      const res = await api<{ message: string }>(hub.url, lead, `/api/dashboard?${query}`);
      expect(res.status, query).toBe(400);
    }
  });

  it('export the same figures as CSV, as an attachment with a header row', async () => {
    const res = await fetch(`${hub.url}/api/dashboard.csv?tz=UTC`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="replydesk-dashboard-2026-11-21-to-2026-11-21.csv"',
    );
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^group,name,first_responses,first_response_median_s,/);
    expect(lines[1]).toBe('total,All,4,45900,150480,3,900,1140,4,2,1,1,5,2,0.0125,USD,,0,0,,0');
    expect(lines).toContain('agent,Ben,2,133200,167760,1,1200,1200,2,2,0,0,2,2,0.0125,USD,,0,0,,0');
    expect(lines).toContain('agent,Unassigned,0,,,0,,,1,0,1,0,0,0,0,,,0,0,,0');
    expect(lines).toContain('channel,Telegram,0,,,1,900,900,0,0,0,0,1,0,0,,,0,0,,0');
    expect(lines).toContain('team,Alpha,2,1200,1680,2,600,840,1,0,0,1,3,0,0,,,0,0,,0');
    expect(lines).toHaveLength(1 + 1 + 3 + 3 + 3);
  });

  it('refuse agents with 403 and anonymous callers with 401', async () => {
    const agent = await login(hub.url, fixture.agent);
    const json = await api<{ error: string; message: string }>(hub.url, agent, '/api/dashboard');
    expect(json.status).toBe(403);
    expect(json.body.message).toBe('Only leads and admins may see the dashboard.');
    expect((await api(hub.url, agent, '/api/dashboard.csv')).status).toBe(403);
    expect((await api(hub.url, null, '/api/dashboard')).status).toBe(401);
  });

  it('let admins see the dashboard', async () => {
    const admin = await login(hub.url);
    expect((await api(hub.url, admin, '/api/dashboard')).status).toBe(200);
  });
});

describe('the dashboard after a hub restart', () => {
  let dataDir: string;
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('gives the same figures from the same data folder', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-dashboard-'));
    const first = await startTestHub({ dataDir, now: () => NOW });
    let fixture: Fixture;
    let before: DashboardFigures;
    try {
      fixture = await seedFixture(first.db);
      const token = await login(first.url, fixture.lead);
      before = (await api<DashboardFigures>(first.url, token, '/api/dashboard?tz=UTC')).body;
      expectFixtureFigures(before, fixture);
    } finally {
      await first.close();
    }
    const second = await startTestHub({ dataDir, now: () => NOW });
    try {
      const token = await login(second.url, fixture.lead);
      const after = await api<DashboardFigures>(second.url, token, '/api/dashboard?tz=UTC');
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before);
      expectFixtureFigures(after.body, fixture);
    } finally {
      await second.close();
    }
  }, 60_000);
});
