import type { HubEvent, SequencedEvent } from '../../shared/protocol/events';
import type { Queryable } from './db';

/**
 * Append events inside the caller's transaction. The workspace counter row is bumped in the same
 * transaction, so seq values are gapless and in commit order: a client resuming from seq N
 * can never miss an event committed later with a smaller seq.
 */
export async function appendEvents(
  tx: Queryable,
  events: readonly HubEvent[],
  at: number,
): Promise<SequencedEvent[]> {
  if (events.length === 0) return [];
  // One statement (a round trip into the database costs about as much as the work here): bump
  // the counter and insert the events numbered from it, in the order given.
  const { rows } = await tx.query<{ seq: number }>(
    `with counter as (update workspace set seq = seq + $1 where id = 1 returning seq),
     inserted as (
       insert into events (seq, type, payload, created_at)
       select counter.seq - $1 + e.n, e.type, e.payload::jsonb, $4
       from counter, unnest($2::text[], $3::text[]) with ordinality as e(type, payload, n)
     )
     select seq from counter`,
    [events.length, events.map((event) => event.type), events.map((e) => JSON.stringify(e)), at],
  );
  const last = Number(rows[0]?.seq);
  const first = last - events.length + 1;
  const sequenced = events.map((event, i) => ({ seq: first + i, at, event }));
  return sequenced;
}

export async function headSeq(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ seq: number }>('select seq from workspace where id = 1');
  return Number(rows[0]?.seq ?? 0);
}

export async function oldestSeq(q: Queryable): Promise<number | null> {
  const { rows } = await q.query<{ seq: number | null }>('select min(seq) as seq from events');
  return rows[0]?.seq === null || rows[0]?.seq === undefined ? null : Number(rows[0].seq);
}

/** Events after `since`, in order, at most `limit`. */
export async function eventsSince(
  q: Queryable,
  since: number,
  limit: number,
): Promise<SequencedEvent[]> {
  const { rows } = await q.query<{ seq: number; payload: HubEvent; created_at: number }>(
    'select seq, payload, created_at from events where seq > $1 order by seq limit $2',
    [since, limit],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: Number(row.created_at),
    event: row.payload,
  }));
}

/** Keep the newest `keep` events; older resumes get `resync`. */
export async function pruneEvents(q: Queryable, keep: number): Promise<void> {
  await q.query('delete from events where seq <= (select seq from workspace where id = 1) - $1', [
    keep,
  ]);
}
