import type { Activity, ActivityKind, ActivityVia } from '../../shared/protocol/activity';
import type { Conversation } from '../../shared/domain/model';
import type { HubEvent } from '../../shared/protocol/events';
import { newId } from '../ids';
import type { Queryable } from '../store/db';

/** A change to record; the id and instant are the recorder's. */
export interface ActivityDraft {
  readonly conversationId: string;
  readonly kind: ActivityKind;
  readonly via: ActivityVia;
  readonly actorId: string | null;
  readonly from: string | null;
  readonly to: string | null;
  readonly until?: number | null;
  /** Default: the recorder's `at` (an SLA miss is dated when its target fell due). */
  readonly at?: number;
}

export interface ActivityRow {
  id: string;
  conversation_id: string;
  at: string | number;
  kind: ActivityKind;
  via: ActivityVia;
  actor_id: string | null;
  from_value: string | null;
  to_value: string | null;
  until: string | number | null;
}

export function toActivity(row: ActivityRow): Activity {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    at: Number(row.at),
    kind: row.kind,
    via: row.via,
    actorId: row.actor_id,
    from: row.from_value,
    to: row.to_value,
    until: row.until === null ? null : Number(row.until),
  };
}

/**
 * Insert `drafts` in the caller's transaction (the change's own, so a line exists exactly when
 * the change committed) and push one `activity.created` event each onto `events`.
 */
export async function recordActivity(
  tx: Queryable,
  drafts: readonly ActivityDraft[],
  at: number,
  events: HubEvent[],
): Promise<Activity[]> {
  if (drafts.length === 0) return [];
  const { rows } = await tx.query<ActivityRow>(
    `insert into activity (id, conversation_id, at, kind, via, actor_id, from_value, to_value, until)
     select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[],
       $7::text[], $8::text[], $9::bigint[])
     returning *`,
    [
      drafts.map(() => newId('act', at)),
      drafts.map((d) => d.conversationId),
      drafts.map((d) => d.at ?? at),
      drafts.map((d) => d.kind),
      drafts.map((d) => d.via),
      drafts.map((d) => d.actorId),
      drafts.map((d) => d.from),
      drafts.map((d) => d.to),
      drafts.map((d) => d.until ?? null),
    ],
  );
  const activity = rows.map(toActivity);
  for (const item of activity) events.push({ type: 'activity.created', activity: item });
  return activity;
}

type Facts = Pick<
  Conversation,
  'id' | 'assigneeId' | 'status' | 'snoozedUntil' | 'priority' | 'labels'
>;

/**
 * What a person's command changed between two snapshots of a conversation, as drafts: nothing
 * when nothing changed (assigning to the same person records no line).
 */
export function changesOf(before: Facts, after: Facts, actorId: string): ActivityDraft[] {
  const base = { conversationId: after.id, via: 'user' as const, actorId };
  const drafts: ActivityDraft[] = [];
  if (before.assigneeId !== after.assigneeId)
    drafts.push({ ...base, kind: 'assignment', from: before.assigneeId, to: after.assigneeId });
  const until = after.status === 'snoozed' ? (after.snoozedUntil ?? null) : null;
  if (
    before.status !== after.status ||
    (after.status === 'snoozed' && (before.snoozedUntil ?? null) !== until)
  )
    drafts.push({ ...base, kind: 'status', from: before.status, to: after.status, until });
  if (before.priority !== after.priority)
    drafts.push({ ...base, kind: 'priority', from: before.priority, to: after.priority });
  const had = new Set(before.labels);
  const has = new Set(after.labels);
  for (const label of after.labels)
    if (!had.has(label)) drafts.push({ ...base, kind: 'label_added', from: null, to: label });
  for (const label of before.labels)
    if (!has.has(label)) drafts.push({ ...base, kind: 'label_removed', from: label, to: null });
  return drafts;
}
