import type pg from 'pg';
import type { Db } from './db';
import { PostgresDb } from './postgres';

/**
 * Advisory locks (two-key form) the hubs sharing a database hold on connections of their own.
 * The first key names the purpose; PostgreSQL releases a session's locks when it ends, so a hub
 * killed with `kill -9` loses them as soon as the server notices its connection gone.
 */
export const LOCK_CLASS = {
  /** A running hub: second key `hashtext(instance id)` (`instanceAlive`). */
  instance: 1_380_253_697,
  /** The one hub that runs SLA breach recording and the demo simulator. */
  leader: 1_380_253_698,
} as const;

/** SQL true while the hub whose instance id is `expr` still holds its instance lock. */
export const instanceAlive = (expr: string): string =>
  `exists (select 1 from pg_locks where locktype = 'advisory' and granted and objsubid = 2
     and classid = ${LOCK_CLASS.instance}::oid and objid = hashtext(${expr})::oid)`;

export interface HeldLock {
  /** Whether the lock is held now. */
  held(): boolean;
  close(): Promise<void>;
}

/**
 * Hold an advisory lock on a connection of its own, tried every `retryMs` until granted and
 * again after that connection is lost (`leader`: whoever gets it first leads until its
 * connection ends; `instance`: a key of its own, granted at once). On PGlite there is one hub:
 * the lock is taken on its only session, for the hub's life.
 */
export async function holdLock(
  db: Db,
  key: readonly [number, string],
  options: { readonly retryMs?: number; readonly onChange?: (held: boolean) => void } = {},
): Promise<HeldLock> {
  const retryMs = options.retryMs ?? 1_000;
  const sql = `select pg_try_advisory_lock(${key[0]}, hashtext($1)) as ok`;
  let held = false;
  const set = (next: boolean): void => {
    if (next === held) return;
    held = next;
    options.onChange?.(held);
  };
  if (!(db instanceof PostgresDb)) {
    const { rows } = await db.query<{ ok: boolean }>(sql, [key[1]]);
    set(rows[0]?.ok === true);
    // Released with the database; closing still reports it, so the hub stops what it led.
    return { held: () => held, close: async () => set(false) };
  }
  const shared = db;
  let client: pg.Client | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const retry = (): void => {
    if (closed) return;
    timer = setTimeout(() => void attempt(), retryMs);
    timer.unref();
  };
  const drop = (which: pg.Client): void => {
    which.removeAllListeners();
    which.on('error', () => undefined);
    void which.end().catch(() => undefined);
  };

  async function attempt(): Promise<void> {
    if (closed) return;
    try {
      if (!client) {
        const opened = await shared.connect();
        const lost = (): void => {
          if (client !== opened) return;
          client = null;
          drop(opened);
          set(false);
          retry();
        };
        opened.on('error', lost);
        opened.on('end', lost);
        client = opened;
      }
      const { rows } = await client.query<{ ok: boolean }>(sql, [key[1]]);
      if (closed) return;
      set(rows[0]?.ok === true);
      if (!held) retry();
    } catch {
      if (client) {
        drop(client);
        client = null;
      }
      set(false);
      retry();
    }
  }

  await attempt();
  return {
    held: () => held,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const open = client;
      client = null;
      if (open) drop(open);
      set(false);
    },
  };
}
