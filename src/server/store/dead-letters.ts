import type { DeadLetter } from '../../shared/protocol/admin';
import { newId } from '../ids';
import type { Queryable } from './db';

/**
 * Webhook deliveries, or parts of them, that passed the signature check but could not be stored
 * (issue #13 item 1). The delivery is still answered 200 once everything storable in it is
 * stored: the channel would otherwise redeliver it for days, and each redelivery would fail the
 * same way. What could not be stored is kept here, raw bytes and reasons, for an admin.
 */
export interface NewDeadLetter {
  readonly channel: string;
  /** The delivery's bytes as received (`bytea`: whatever they contain, they fit). */
  readonly raw: Buffer;
  readonly reasons: readonly string[];
}

/** The most bytes shown of a dead letter's payload in the admin's list. */
const PREVIEW_BYTES = 2000;

export async function keepDeadLetter(
  q: Queryable,
  letter: NewDeadLetter,
  at: number,
): Promise<void> {
  await q.query(
    'insert into dead_letters (id, channel, received_at, reasons, raw) values ($1, $2, $3, $4, $5)',
    [newId('dlq', at), letter.channel, at, letter.reasons, letter.raw],
  );
}

export async function listDeadLetters(q: Queryable, limit: number): Promise<DeadLetter[]> {
  const { rows } = await q.query<{
    id: string;
    channel: string;
    received_at: number;
    reasons: string[];
    size: number;
    preview: Uint8Array;
  }>(
    `select id, channel, received_at, reasons, octet_length(raw) as size,
       substring(raw from 1 for ${PREVIEW_BYTES}) as preview
     from dead_letters order by received_at desc, id desc limit $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    channel: row.channel,
    receivedAt: Number(row.received_at),
    reasons: row.reasons,
    size: Number(row.size),
    // Shown as text; bytes that are not UTF-8 show as U+FFFD.
    preview: Buffer.from(row.preview).toString('utf8'),
  }));
}

/** Per channel: how many, and the newest. */
export async function countDeadLetters(
  q: Queryable,
): Promise<Map<string, { count: number; lastAt: number }>> {
  const { rows } = await q.query<{ channel: string; count: number; last_at: number }>(
    'select channel, count(*)::int as count, max(received_at) as last_at from dead_letters group by channel',
  );
  return new Map(
    rows.map((r) => [r.channel, { count: Number(r.count), lastAt: Number(r.last_at) }]),
  );
}
