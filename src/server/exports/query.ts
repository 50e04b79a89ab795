import { selectPolicy, type SlaPolicy, type SlaTarget } from '../../shared/sla/policy';
import type { Conversation } from '../../shared/domain/model';
import type { Queryable } from '../store/db';

/** Conversations and customers as CSV rows (issue #20 item 6), a keyset page at a time. */

type Cell = string | number | null;
const iso = (ms: number | string | null): string | null =>
  ms === null ? null : new Date(Number(ms)).toISOString();
const seconds = (ms: number | string | null): number | null =>
  ms === null ? null : Math.round(Number(ms)) / 1000;

export const CONVERSATION_COLUMNS = [
  'id',
  'channel',
  'customer',
  'status',
  'assignee',
  'team',
  'labels',
  'priority',
  'created_at',
  'resolved_at',
  'first_response_s',
  'next_response_avg_s',
  'average_response_s',
  'responses',
  'sla_first_response',
  'sla_next_response',
  'sla_resolution',
  'csat_score',
  'csat_comment',
  'messages_inbound',
  'messages_outbound',
] as const;

/**
 * The CSAT join, in one place: the conversation's latest answered rating (`csat_requests`,
 * `src/server/csat/`), its score (1–5) and the customer's comment; empty where none was given.
 */
export const CSAT_JOIN = `left join lateral (
       select r.rating as score, r.comment from csat_requests r
       where r.conversation_id = v.id and r.state = 'answered'
       order by r.answered_at desc limit 1) csat on true`;

interface ConversationExportRow {
  id: string;
  channel: Conversation['channel'];
  customer: string;
  status: string;
  assignee: string | null;
  team: string | null;
  labels: string[];
  priority: Conversation['priority'];
  created_at: string;
  resolved_at: string | null;
  first_reply_at: string | null;
  first_response_ms: string | null;
  next_response_avg_ms: string | null;
  average_response_ms: string | null;
  responses: string;
  breaches: string[] | null;
  csat_score: string | null;
  csat_comment: string | null;
  inbound: string;
  outbound: string;
}

export interface Page<C> {
  readonly cells: Cell[][];
  readonly next: C | null;
}

export type Keyset = readonly [number, string];

/** Where the next page starts: after the last row of a full page, none after a short one. */
function nextKeyset(
  rows: readonly { created_at: string; id: string }[],
  limit: number,
): Keyset | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? [Number(last.created_at), last.id] : null;
}

/**
 * One page of conversations created in [from, to), by (created_at, id). Response times are wall
 * clock: each wait starts at a customer message that follows one of ours (or opens the
 * conversation) and ends at our next message; the first is the first response.
 */
export async function conversationPage(
  q: Queryable,
  range: { from: number; to: number },
  after: Keyset | null,
  limit: number,
  policies: readonly SlaPolicy[],
): Promise<Page<Keyset>> {
  const { rows } = await q.query<ConversationExportRow>(
    `with page as (
       select * from conversations
       where created_at >= $1 and created_at < $2 ${after ? 'and (created_at, id) > ($4, $5)' : ''}
       order by created_at, id limit $3
     ),
     m as (
       select conversation_id, direction, sent_at,
         lag(direction) over w as prev,
         min(case when direction = 'outbound' then sent_at end)
           over (partition by conversation_id order by sent_at, id
                 rows between current row and unbounded following) as replied_at
       from messages where conversation_id in (select id from page)
       window w as (partition by conversation_id order by sent_at, id)
     ),
     waits as (
       select conversation_id, replied_at - sent_at as ms,
         row_number() over (partition by conversation_id order by sent_at) as n
       from m where direction = 'inbound' and (prev is null or prev = 'outbound')
         and replied_at is not null
     ),
     counts as (
       select conversation_id, count(*) filter (where direction = 'inbound') as inbound,
         count(*) filter (where direction = 'outbound') as outbound
       from m group by conversation_id
     ),
     times as (
       select conversation_id, min(ms) filter (where n = 1) as first_ms,
         avg(ms) filter (where n > 1) as next_ms, avg(ms) as avg_ms, count(*) as responses
       from waits group by conversation_id
     )
     select v.id, v.channel, c.name as customer, v.status, u.name as assignee, t.name as team,
       v.labels, v.priority, v.created_at, v.resolved_at, v.first_reply_at,
       times.first_ms as first_response_ms, times.next_ms as next_response_avg_ms,
       times.avg_ms as average_response_ms, coalesce(times.responses, 0) as responses,
       (select array_agg(distinct b.target) from sla_breaches b where b.conversation_id = v.id)
         as breaches,
       csat.score as csat_score, csat.comment as csat_comment,
       coalesce(counts.inbound, 0) as inbound, coalesce(counts.outbound, 0) as outbound
     from page v
     join customers c on c.id = v.customer_id
     left join users u on u.id = v.assignee_id
     left join lateral (select name from teams where v.channel = any(channels)
                        order by created_at, id limit 1) t on true
     left join times on times.conversation_id = v.id
     left join counts on counts.conversation_id = v.id
     ${CSAT_JOIN}
     order by v.created_at, v.id`,
    after ? [range.from, range.to, limit, after[0], after[1]] : [range.from, range.to, limit],
  );
  const cells = rows.map((row): Cell[] => {
    const policy = selectPolicy(policies, row.channel, row.priority);
    const missed = new Set(row.breaches ?? []);
    /** met / missed where the conversation's policy has the target and it was measured. */
    const result = (target: SlaTarget, set: number | null, measured: boolean): string | null =>
      policy === null || set === null
        ? null
        : missed.has(target)
          ? 'missed'
          : measured
            ? 'met'
            : null;
    const responses = Number(row.responses);
    return [
      row.id,
      row.channel,
      row.customer,
      row.status,
      row.assignee,
      row.team,
      row.labels.join('; '),
      row.priority,
      iso(row.created_at),
      iso(row.resolved_at),
      seconds(row.first_response_ms),
      seconds(row.next_response_avg_ms),
      seconds(row.average_response_ms),
      responses,
      result('first_response', policy?.firstResponseMs ?? null, row.first_reply_at !== null),
      result('next_response', policy?.nextResponseMs ?? null, responses > 1),
      result('resolution', policy?.resolutionMs ?? null, row.resolved_at !== null),
      row.csat_score === null ? null : Number(row.csat_score),
      row.csat_comment,
      Number(row.inbound),
      Number(row.outbound),
    ];
  });
  return { cells, next: nextKeyset(rows, limit) };
}

export const CUSTOMER_COLUMNS = [
  'id',
  'name',
  'phone',
  'email',
  'country',
  'language',
  'channels',
  'conversations',
  'first_seen',
  'last_seen',
] as const;

interface CustomerExportRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  country: string | null;
  language: string | null;
  channels: string[] | null;
  conversations: string;
  created_at: string;
  last_seen: string | null;
}

/** One page of customers first seen in [from, to), by (created_at, id). */
export async function customerPage(
  q: Queryable,
  range: { from: number; to: number },
  after: Keyset | null,
  limit: number,
): Promise<Page<Keyset>> {
  const { rows } = await q.query<CustomerExportRow>(
    `with page as (
       select * from customers
       where created_at >= $1 and created_at < $2 ${after ? 'and (created_at, id) > ($4, $5)' : ''}
       order by created_at, id limit $3
     )
     select c.id, c.name, c.phone, c.email, c.country, c.language, c.created_at,
       (select array_agg(distinct i.channel order by i.channel) from customer_identities i
         where i.customer_id = c.id) as channels,
       (select count(*) from conversations v where v.customer_id = c.id) as conversations,
       (select max(v.last_inbound_at) from conversations v where v.customer_id = c.id) as last_seen
     from page c order by c.created_at, c.id`,
    after ? [range.from, range.to, limit, after[0], after[1]] : [range.from, range.to, limit],
  );
  const cells = rows.map((row): Cell[] => [
    row.id,
    row.name,
    row.phone,
    row.email,
    row.country,
    row.language,
    (row.channels ?? []).join('; '),
    Number(row.conversations),
    iso(row.created_at),
    iso(row.last_seen),
  ]);
  return { cells, next: nextKeyset(rows, limit) };
}
