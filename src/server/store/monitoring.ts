import type { Queryable } from './db';

/** The outbound queue's depth, for every hub on the database. */
export interface OutboundDepth {
  /** Waiting for their turn (or a retry's backoff). */
  readonly pending: number;
  /** A hub is calling the channel now. */
  readonly sending: number;
  /** Sent, outcome unknown: waiting for a status webhook. */
  readonly uncertain: number;
}

export async function outboundDepth(q: Queryable): Promise<OutboundDepth> {
  const { rows } = await q.query<{ pending: number; sending: number; uncertain: number }>(
    `select count(*) filter (where sending_since is null and uncertain_since is null)::int as pending,
            count(*) filter (where sending_since is not null)::int as sending,
            count(*) filter (where sending_since is null and uncertain_since is not null)::int as uncertain
     from outbound_queue`,
  );
  const row = rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    sending: Number(row?.sending ?? 0),
    uncertain: Number(row?.uncertain ?? 0),
  };
}
