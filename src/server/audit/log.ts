import type { IncomingMessage } from 'node:http';
import type { AuditAction, AuditEntry, AuditPage } from '../../shared/protocol/audit';
import type { ClientAddressResolver } from '../http/client-address';
import { storableText } from '../http/untrusted-text';
import { newId } from '../ids';
import type { Db, Queryable } from '../store/db';

/** One action to record. `req` says from where (address, user agent); null for the hub itself. */
export interface AuditRecord {
  readonly req: IncomingMessage | null;
  readonly action: AuditAction;
  readonly actor: { readonly id: string; readonly name: string } | null;
  readonly target?: { readonly type: string; readonly id: string; readonly label: string } | null;
  readonly detail?: string;
}

export interface AuditFilter {
  readonly actions?: readonly AuditAction[] | undefined;
  /** A user id, or part of a name or of the failed sign-in's e-mail (case-insensitive). */
  readonly actor?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

export interface AuditLog {
  /**
   * Record an action. Given `q` (the transaction that makes the change), the entry commits with
   * it or not at all; without one, it is written on its own.
   */
  record(entry: AuditRecord, q?: Queryable): Promise<void>;
  /** Newest first, `limit` at a time; `before` is the previous page's `next`. */
  page(filter: AuditFilter, limit: number, before?: string): Promise<AuditPage>;
  /** Every matching entry, newest first, a page at a time (exports). */
  each(
    filter: AuditFilter,
    visit: (entries: readonly AuditEntry[]) => Promise<void>,
  ): Promise<void>;
}

interface Row {
  id: string;
  at: string | number;
  action: AuditAction;
  actor_id: string | null;
  actor_name: string | null;
  target_type: string | null;
  target_id: string | null;
  target_label: string | null;
  detail: string;
  address: string | null;
  user_agent: string | null;
}

const USER_AGENT_MAX = 300;
const DETAIL_MAX = 1_000;

function entryOf(row: Row): AuditEntry {
  return {
    id: row.id,
    at: Number(row.at),
    action: row.action,
    actor: row.actor_id === null ? null : { id: row.actor_id, name: row.actor_name ?? '' },
    target:
      row.target_type === null
        ? null
        : { type: row.target_type, id: row.target_id ?? '', label: row.target_label ?? '' },
    detail: row.detail,
    address: row.address,
    userAgent: row.user_agent,
  };
}

/** The page cursor: the last entry's instant and id, opaque to clients. */
function cursorOf(entry: AuditEntry): string {
  return Buffer.from(JSON.stringify([entry.at, entry.id])).toString('base64url');
}

function readCursor(cursor: string): [number, string] | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'number' &&
      typeof value[1] === 'string'
    )
      return [value[0], value[1]];
  } catch {
    // not a cursor
  }
  return null;
}

export class BadAuditCursor extends Error {}

export function createAuditLog(options: {
  readonly db: Db;
  readonly now: () => number;
  readonly clientAddress: ClientAddressResolver;
}): AuditLog {
  const { db, now } = options;

  function where(filter: AuditFilter, before: [number, string] | null) {
    const clauses: string[] = [];
    const values: unknown[] = [];
    const add = (clause: (n: string) => string, value: unknown) => {
      values.push(value);
      clauses.push(clause(`$${values.length}`));
    };
    if (filter.actions && filter.actions.length > 0)
      add((n) => `action = any(${n}::text[])`, [...filter.actions]);
    if (filter.actor) {
      const like = `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      values.push(filter.actor, like);
      const [id, pattern] = [`$${values.length - 1}`, `$${values.length}`];
      clauses.push(
        `(actor_id = ${id} or actor_name ilike ${pattern} or (actor_id is null and detail ilike ${pattern}))`,
      );
    }
    if (filter.from !== undefined) add((n) => `at >= ${n}`, filter.from);
    if (filter.to !== undefined) add((n) => `at < ${n}`, filter.to);
    if (before) {
      values.push(before[0], before[1]);
      clauses.push(`(at, id) < ($${values.length - 1}, $${values.length})`);
    }
    return { sql: clauses.length > 0 ? `where ${clauses.join(' and ')}` : '', values };
  }

  async function read(
    filter: AuditFilter,
    limit: number,
    before: [number, string] | null,
  ): Promise<AuditEntry[]> {
    const { sql, values } = where(filter, before);
    const { rows } = await db.query<Row>(
      `select * from audit_log ${sql} order by at desc, id desc limit ${Number(limit)}`,
      values,
    );
    return rows.map(entryOf);
  }

  return {
    async record(entry, q = db) {
      const at = now();
      const req = entry.req;
      const agent = req?.headers['user-agent'];
      await q.query(
        `insert into audit_log (id, at, action, actor_id, actor_name, target_type, target_id,
           target_label, detail, address, user_agent)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        storableText([
          newId('aud', at),
          at,
          entry.action,
          entry.actor?.id ?? null,
          entry.actor?.name ?? null,
          entry.target?.type ?? null,
          entry.target?.id ?? null,
          entry.target?.label ?? null,
          (entry.detail ?? '').slice(0, DETAIL_MAX),
          req ? options.clientAddress(req) : null,
          typeof agent === 'string' ? agent.slice(0, USER_AGENT_MAX) : null,
        ]),
      );
    },
    async page(filter, limit, before) {
      const cursor = before === undefined ? null : readCursor(before);
      if (before !== undefined && cursor === null)
        throw new BadAuditCursor('The cursor is not valid; start again without it.');
      const entries = await read(filter, limit + 1, cursor);
      const more = entries.length > limit;
      const shown = more ? entries.slice(0, limit) : entries;
      const last = shown[shown.length - 1];
      return { entries: shown, next: more && last ? cursorOf(last) : null };
    },
    async each(filter, visit) {
      let cursor: [number, string] | null = null;
      for (;;) {
        const entries = await read(filter, 1_000, cursor);
        if (entries.length === 0) return;
        await visit(entries);
        const last = entries[entries.length - 1] as AuditEntry;
        cursor = [last.at, last.id];
        if (entries.length < 1_000) return;
      }
    },
  };
}
