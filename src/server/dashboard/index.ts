import { z } from 'zod';
import { CHANNEL_INFO, channelKindSchema, DAY_MS } from '../../shared/domain/channels';
import {
  computeDashboard,
  dailyBuckets,
  dashboardCsv,
  hourlyBuckets,
  isValidTimeZone,
  readTimelines,
  startOfZonedDay,
  type BreachFact,
  type Buckets,
  type CsatFact,
  type DashboardFigures,
  type TeamInfo,
  type TimelineMessage,
} from '../../shared/dashboard';
import { describeSchemaError } from '../../shared/ipc/contract';
import type { HubContext } from '../context';
import { badRequest } from '../http/errors';
import { sendJson, storableInput } from '../http/io';
import type { Router } from '../http/router';
import type { Queryable } from '../store/db';

/** The longest range one request may ask for: a year of facts is already a heavy read. */
const MAX_RANGE_MS = 366 * DAY_MS;

const epochMs = z
  .string()
  .regex(/^\d{1,15}$/, 'must be epoch milliseconds')
  .transform(Number);

const querySchema = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
  tz: z
    .string()
    .max(64)
    .refine(isValidTimeZone, 'must be an IANA time zone such as Europe/Paris')
    .optional(),
});

export interface DashboardQuery {
  readonly from: number;
  readonly to: number;
  readonly timeZone: string;
}

/** `?from=&to=&tz=`: epoch ms and an IANA zone; by default today so far, in UTC. */
export function parseDashboardQuery(url: URL, now: number): DashboardQuery {
  const parsed = querySchema.safeParse(storableInput(Object.fromEntries(url.searchParams)));
  if (!parsed.success) throw badRequest(describeSchemaError(parsed.error));
  const timeZone = parsed.data.tz ?? 'UTC';
  const to = parsed.data.to ?? now;
  const from = parsed.data.from ?? startOfZonedDay(now, timeZone);
  if (from >= to) throw badRequest("'from' must be before 'to'.");
  if (to - from > MAX_RANGE_MS) throw badRequest('The range may be at most 366 days.');
  return { from, to, timeZone };
}

interface TimelineRow {
  conversation_id: string;
  channel: string;
  direction: 'inbound' | 'outbound';
  author_id: string | null;
  sent_at: number | string;
  tag: string | null;
  cost: { amount: number; currency: string } | null;
}

/**
 * The timelines of every conversation with an agent message in [from, to): all their customer
 * messages and agent messages before `to`, since whether a message answers (and whether it is the
 * first answer) depends on what came before the range. Failed sends never reached the customer
 * and answer nothing.
 */
async function readTimelineMessages(
  db: Queryable,
  from: number,
  to: number,
): Promise<TimelineMessage[]> {
  const { rows } = await db.query<TimelineRow>(
    `with replied as (
       select distinct conversation_id from messages
       where direction = 'outbound' and author_id is not null and status <> 'failed'
         and sent_at >= $1 and sent_at < $2
     )
     select m.conversation_id, m.channel, m.direction, m.author_id, m.sent_at, m.tag, m.cost
     from messages m join replied r on r.conversation_id = m.conversation_id
     where m.sent_at < $2
       and (m.direction = 'inbound'
            or (m.direction = 'outbound' and m.author_id is not null and m.status <> 'failed'))
     order by m.conversation_id, m.sent_at, m.id`,
    [from, to],
  );
  const messages: TimelineMessage[] = [];
  for (const row of rows) {
    const channel = channelKindSchema.safeParse(row.channel);
    if (!channel.success) continue;
    messages.push({
      conversationId: row.conversation_id,
      channel: channel.data,
      direction: row.direction,
      authorId: row.author_id,
      at: Number(row.sent_at),
      tag: row.tag,
      cost:
        row.cost && Number.isFinite(Number(row.cost.amount))
          ? { amount: Number(row.cost.amount), currency: String(row.cost.currency) }
          : null,
    });
  }
  return messages;
}

const breachTargetSchema = z.enum(['first_response', 'next_response', 'resolution']);

async function readBreaches(db: Queryable, from: number, to: number): Promise<BreachFact[]> {
  const { rows } = await db.query<{
    conversation_id: string;
    channel: string;
    assignee_id: string | null;
    target: string;
    breached_at: number | string;
  }>(
    `select conversation_id, channel, assignee_id, target, breached_at from sla_breaches
     where breached_at >= $1 and breached_at < $2`,
    [from, to],
  );
  const breaches: BreachFact[] = [];
  for (const row of rows) {
    const channel = channelKindSchema.safeParse(row.channel);
    const target = breachTargetSchema.safeParse(row.target);
    if (!channel.success || !target.success) continue;
    breaches.push({
      conversationId: row.conversation_id,
      channel: channel.data,
      assigneeId: row.assignee_id,
      target: target.data,
      at: Number(row.breached_at),
    });
  }
  return breaches;
}

/** CSAT requests asked (by when) or not asked (by when they fell due) in [from, to). */
async function readCsat(db: Queryable, from: number, to: number): Promise<CsatFact[]> {
  const { rows } = await db.query<{
    conversation_id: string;
    channel: string;
    agent_id: string | null;
    at: number | string;
    state: string;
    satisfied: boolean | null;
  }>(
    `select conversation_id, channel, agent_id, coalesce(asked_at, due_at) as at, state, satisfied
     from csat_requests
     where (state in ('asked', 'answered') and asked_at >= $1 and asked_at < $2)
        or (state = 'not_asked' and due_at >= $1 and due_at < $2)`,
    [from, to],
  );
  const facts: CsatFact[] = [];
  for (const row of rows) {
    const channel = channelKindSchema.safeParse(row.channel);
    if (!channel.success) continue;
    facts.push({
      conversationId: row.conversation_id,
      channel: channel.data,
      agentId: row.agent_id,
      at: Number(row.at),
      asked: row.state !== 'not_asked',
      answered: row.state === 'answered',
      satisfied: row.satisfied === true,
    });
  }
  return facts;
}

/** Customer messages per bucket, counted by the database (`width_bucket` over the starts). */
async function countInbound(db: Queryable, buckets: Buckets): Promise<number[]> {
  const first = buckets.starts[0];
  if (first === undefined) return [];
  const { rows } = await db.query<{ bucket: number; n: number | string }>(
    `select width_bucket(sent_at, $1::bigint[]) as bucket, count(*) as n from messages
     where direction = 'inbound' and sent_at >= $2 and sent_at < $3
     group by bucket`,
    [buckets.starts, first, buckets.end],
  );
  const counts = buckets.starts.map(() => 0);
  // width_bucket numbers the bucket starting at starts[0] as 1.
  for (const row of rows) counts[Number(row.bucket) - 1] = Number(row.n);
  return counts;
}

async function readTeams(db: Queryable): Promise<TeamInfo[]> {
  const { rows } = await db.query<{ id: string; name: string; members: string[] | null }>(
    `select t.id, t.name, array_remove(array_agg(m.user_id), null) as members
     from teams t left join team_members m on m.team_id = t.id
     group by t.id, t.name`,
  );
  return rows.map((row) => ({ id: row.id, name: row.name, memberIds: row.members ?? [] }));
}

const CHANNEL_NAMES = Object.fromEntries(
  Object.values(CHANNEL_INFO).map((info) => [info.kind, info.label]),
) as Record<keyof typeof CHANNEL_INFO, string>;

/**
 * Every figure for `query`, read from the stored messages and breaches. Not in one transaction:
 * on PGlite a transaction holds the whole database, and ingestion must not wait for a lead's
 * refresh; a fact written between two reads shows at the next refresh (its event triggers one).
 */
export async function readDashboard(
  context: Pick<HubContext, 'db'>,
  query: DashboardQuery,
  now: number,
): Promise<DashboardFigures> {
  const hourly = hourlyBuckets(now, query.timeZone);
  const daily = dailyBuckets(now, query.timeZone);
  // One read covers the range and both series.
  const from = Math.min(query.from, hourly.starts[0] ?? now, daily.starts[0] ?? now);
  const to = Math.max(query.to, hourly.end, daily.end);
  const { db } = context;
  const { responses, replies } = readTimelines(await readTimelineMessages(db, from, to));
  const breaches = await readBreaches(db, from, to);
  const { rows: users } = await db.query<{ id: string; name: string }>(
    'select id, name from users',
  );
  return computeDashboard({
    ...query,
    now,
    responses,
    replies,
    breaches,
    agentNames: new Map(users.map((user) => [user.id, user.name])),
    channelNames: CHANNEL_NAMES,
    teams: await readTeams(db),
    hourly,
    daily,
    inboundHourly: await countInbound(db, hourly),
    inboundDaily: await countInbound(db, daily),
    csat: await readCsat(db, query.from, query.to),
  });
}

const isoDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

/** Routes of the live dashboard's figures and CSV export (leads and admins). */
export function registerDashboardApi(router: Router, context: HubContext): void {
  router.get('/api/dashboard', async ({ req, res, url }) => {
    await context.auth.requireRole(req, ['lead', 'admin'], 'see the dashboard');
    const now = context.now();
    sendJson(res, 200, await readDashboard(context, parseDashboardQuery(url, now), now));
  });

  router.get('/api/dashboard.csv', async ({ req, res, url }) => {
    await context.auth.requireRole(req, ['lead', 'admin'], 'export the dashboard');
    const now = context.now();
    const query = parseDashboardQuery(url, now);
    const csv = dashboardCsv(await readDashboard(context, query, now));
    const name = `replydesk-dashboard-${isoDay(query.from)}-to-${isoDay(query.to)}.csv`;
    res.writeHead(200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Length': Buffer.byteLength(csv),
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(csv);
  });
}
