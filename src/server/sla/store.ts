import type { ChannelKind } from '../../shared/domain/channels';
import type { Priority } from '../../shared/domain/model';
import {
  businessCalendarSchema,
  DEFAULT_CALENDAR,
  type BusinessCalendar,
  type SlaBreach,
  type SlaPolicy,
  type SlaPolicyInput,
  type SlaSettings,
  type SlaTarget,
} from '../../shared/sla';
import type { Queryable } from '../store/db';

/** Storage of SLA policies, the calendar and breaches (tables of migrations 100–101). */

interface PolicyRow {
  id: string;
  name: string;
  channel: ChannelKind | null;
  priority: Priority | null;
  first_response_ms: number | null;
  next_response_ms: number | null;
  resolution_ms: number | null;
  hours: 'business' | 'always';
  enabled: boolean;
  updated_at: number;
  applies_from: number;
}

const num = (value: number | null): number | null => (value === null ? null : Number(value));

function toPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    channel: row.channel,
    priority: row.priority,
    firstResponseMs: num(row.first_response_ms),
    nextResponseMs: num(row.next_response_ms),
    resolutionMs: num(row.resolution_ms),
    hours: row.hours,
    enabled: row.enabled,
    updatedAt: Number(row.updated_at),
    appliesFrom: Number(row.applies_from),
  };
}

export async function listPolicies(q: Queryable): Promise<SlaPolicy[]> {
  const { rows } = await q.query<PolicyRow>('select * from sla_policies order by name, id');
  return rows.map(toPolicy);
}

export async function getPolicy(q: Queryable, id: string): Promise<SlaPolicy | null> {
  const { rows } = await q.query<PolicyRow>('select * from sla_policies where id = $1', [id]);
  return rows[0] ? toPolicy(rows[0]) : null;
}

/**
 * Create or change a policy. It applies from `at` when created, and again from `at` when it is
 * enabled or moved to another channel or priority: only then does it start to cover
 * conversations it did not cover before. Other changes (a target's length, the name) keep it.
 */
export async function savePolicy(
  q: Queryable,
  id: string,
  input: SlaPolicyInput,
  userId: string,
  at: number,
): Promise<SlaPolicy> {
  const { rows } = await q.query<PolicyRow>(
    `insert into sla_policies (id, name, channel, priority, first_response_ms, next_response_ms,
       resolution_ms, hours, enabled, updated_at, updated_by, applies_from)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)
     on conflict (id) do update set name = excluded.name, channel = excluded.channel,
       priority = excluded.priority, first_response_ms = excluded.first_response_ms,
       next_response_ms = excluded.next_response_ms, resolution_ms = excluded.resolution_ms,
       hours = excluded.hours, enabled = excluded.enabled, updated_at = excluded.updated_at,
       updated_by = excluded.updated_by,
       applies_from = case
         when excluded.enabled and (not sla_policies.enabled
           or excluded.channel is distinct from sla_policies.channel
           or excluded.priority is distinct from sla_policies.priority)
         then excluded.applies_from else sla_policies.applies_from end
     returning *`,
    [
      id,
      input.name,
      input.channel,
      input.priority,
      input.firstResponseMs,
      input.nextResponseMs,
      input.resolutionMs,
      input.hours,
      input.enabled,
      at,
      userId,
    ],
  );
  return toPolicy(rows[0] as PolicyRow);
}

export async function deletePolicy(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    'delete from sla_policies where id = $1 returning id',
    [id],
  );
  return rows.length > 0;
}

export async function getCalendar(q: Queryable): Promise<BusinessCalendar> {
  const { rows } = await q.query<{
    time_zone: string;
    weekly_hours: unknown;
    holidays: unknown;
  }>('select time_zone, weekly_hours, holidays from sla_calendar where id = 1');
  const row = rows[0];
  if (!row) return DEFAULT_CALENDAR;
  // Stored only after validation; parsed again so a hand-edited row cannot break the hub.
  const parsed = businessCalendarSchema.safeParse({
    timeZone: row.time_zone,
    weeklyHours: row.weekly_hours,
    holidays: row.holidays,
  });
  return parsed.success ? parsed.data : DEFAULT_CALENDAR;
}

export async function saveCalendar(
  q: Queryable,
  calendar: BusinessCalendar,
  at: number,
): Promise<void> {
  await q.query(
    `insert into sla_calendar (id, time_zone, weekly_hours, holidays, updated_at)
     values (1, $1, $2::jsonb, $3::jsonb, $4)
     on conflict (id) do update set time_zone = excluded.time_zone,
       weekly_hours = excluded.weekly_hours, holidays = excluded.holidays,
       updated_at = excluded.updated_at`,
    [
      calendar.timeZone,
      JSON.stringify(calendar.weeklyHours),
      JSON.stringify([...new Set(calendar.holidays)].sort()),
      at,
    ],
  );
}

export async function loadSettings(q: Queryable): Promise<SlaSettings> {
  return { policies: await listPolicies(q), calendar: await getCalendar(q) };
}

/** A target to record as missed, if the conversation did not meet it in time after all. */
export interface BreachCandidate {
  readonly id: string;
  readonly conversationId: string;
  readonly policyId: string;
  readonly target: SlaTarget;
  /** When the target's period began (`SlaDue.since`), which may be before its clock started. */
  readonly startedAt: number;
  readonly dueAt: number;
}

interface BreachRow {
  id: string;
  conversation_id: string;
  policy_id: string;
  target: SlaTarget;
  due_at: number;
  breached_at: number;
  channel: ChannelKind;
  priority: Priority;
  assignee_id: string | null;
}

/**
 * Record missed targets, each at its due instant (`breached_at = due_at`, also for targets that
 * fell due while the hub was down). A target is recorded once per waiting period: not again
 * when a policy change moves its due instant (a breach of the same conversation and target due
 * since the period began exists), and not when the stored messages show it was met before the
 * due instant (a reply committed while the evaluator was about to fire).
 */
export async function recordBreaches(
  q: Queryable,
  candidates: readonly BreachCandidate[],
): Promise<SlaBreach[]> {
  if (candidates.length === 0) return [];
  const { rows } = await q.query<BreachRow>(
    `insert into sla_breaches (id, conversation_id, policy_id, target, due_at, breached_at,
       channel, priority, assignee_id)
     select t.id, v.id, t.policy_id, t.target, t.due_at, t.due_at, v.channel, v.priority, v.assignee_id
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
       as t(id, conversation_id, policy_id, target, started_at, due_at)
     join conversations v on v.id = t.conversation_id
     where not exists (
         select 1 from sla_breaches b
         where b.conversation_id = t.conversation_id and b.target = t.target
           and b.due_at >= t.started_at)
       and (t.target = 'resolution' or not exists (
         select 1 from messages o
         where o.conversation_id = t.conversation_id and o.direction = 'outbound'
           and o.sent_at >= t.started_at and o.sent_at < t.due_at))
       and not (v.resolved_at is not null and v.resolved_at >= t.started_at
                and v.resolved_at < t.due_at)
     on conflict (conversation_id, target, due_at) do nothing
     returning *`,
    [
      candidates.map((c) => c.id),
      candidates.map((c) => c.conversationId),
      candidates.map((c) => c.policyId),
      candidates.map((c) => c.target),
      candidates.map((c) => c.startedAt),
      candidates.map((c) => c.dueAt),
    ],
  );
  return rows.map((row) => ({
    id: row.id,
    conversationId: row.conversation_id,
    policyId: row.policy_id,
    target: row.target,
    dueAt: Number(row.due_at),
    breachedAt: Number(row.breached_at),
    channel: row.channel,
    priority: row.priority,
    assigneeId: row.assignee_id,
  }));
}
