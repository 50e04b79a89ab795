import type { Db, Queryable } from './db';
import { MIGRATION_LOCK, MIGRATIONS } from './migrations';
import { redactUrl, type PostgresDb } from './postgres';

/** One table as copied: its name and rows (equal in the source and the target). */
export interface CopiedTable {
  readonly table: string;
  readonly rows: number;
}

export interface MoveReport {
  readonly tables: readonly CopiedTable[];
  /** The event log's head (`workspace.seq`): apps synced to it resume from here. */
  readonly headSeq: number;
}

/** The target already holds something: `migrate` copies into an empty database only. */
export class TargetNotEmptyError extends Error {
  constructor(url: string, relations: readonly string[]) {
    const shown = relations.slice(0, 5).join(', ');
    super(
      `The database at ${redactUrl(url)} is not empty (${relations.length} tables or other relations: ${shown}${relations.length > 5 ? ', …' : ''}). migrate copies into an empty database only: create a new one (createdb) and run it again.`,
    );
    this.name = 'TargetNotEmptyError';
  }
}

/**
 * Rows read and written per round trip; fewer for tables with binary columns (a dead letter keeps
 * a webhook body of up to 1 MiB), so a batch stays a few MB in PGlite's memory.
 */
const BATCH = 500;
const BINARY_BATCH = 8;

async function hasBinaryColumns(q: Queryable, table: string): Promise<boolean> {
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from information_schema.columns
     where table_schema = current_schema() and table_name = $1 and data_type = 'bytea'`,
    [table],
  );
  return Number(rows[0]?.n) > 0;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Relations (tables, views, sequences…) in the connection's current schema. */
async function relationsOf(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
     order by c.relname`,
  );
  return rows.map((row) => row.name);
}

async function tablesOf(q: Queryable): Promise<string[]> {
  const { rows } = await q.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  );
  return rows.map((row) => row.name);
}

/** Tables in an order where each comes after the tables its foreign keys point at. */
async function parentsFirst(q: Queryable, tables: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ child: string; parent: string }>(
    `select cl.relname as child, pa.relname as parent from pg_constraint k
     join pg_class cl on cl.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
     join pg_namespace n on n.oid = k.connamespace
     where k.contype = 'f' and n.nspname = current_schema()`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (table: string, path: Set<string>): void => {
    if (placed.has(table) || path.has(table)) return;
    path.add(table);
    for (const edge of rows)
      if (edge.child === table && edge.parent !== table) visit(edge.parent, path);
    placed.add(table);
    ordered.push(table);
  };
  for (const table of tables) visit(table, new Set());
  return ordered;
}

async function countRows(q: Queryable, table: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::bigint as n from ${quote(table)}`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Copy every row of an embedded hub's database (`source`, PGlite, at the current schema version)
 * into an empty PostgreSQL database, in one transaction: the schema is created by the same
 * migrations a hub runs, the rows are copied table by table (each row as JSON, so every type —
 * jsonb, arrays, bytea, numeric — arrives as it was), sequences are set to where they were, and
 * each table's row count is compared before the commit. The event log and its counter row are
 * copied as they are, so an app synced to the old hub resumes on the new one from its last seq.
 * Any failure rolls back: the target stays empty.
 */
export async function copyToPostgres(
  source: Db,
  target: PostgresDb,
  options: {
    /** After each table (progress; a throw here aborts the copy and rolls it back). */
    readonly onTable?: (copied: CopiedTable) => void | Promise<void>;
  } = {},
): Promise<MoveReport> {
  const known = new Set(MIGRATIONS.map((m) => m.version));
  const { rows: versions } = await source.query<{ version: number }>(
    'select version from schema_migrations order by version',
  );
  const newer = versions.map((row) => Number(row.version)).filter((v) => !known.has(v));
  if (newer.length > 0)
    throw new Error(
      `The data folder was written by a newer hub (migrations ${newer.join(', ')}); migrate with that version.`,
    );
  const missing = [...known].filter((v) => !versions.some((row) => Number(row.version) === v));
  if (missing.length > 0)
    throw new Error(`The data folder is missing migrations ${missing.join(', ')}; open it first.`);

  const tables = await parentsFirst(source, await tablesOf(source));
  return target.transaction(async (tx) => {
    // A hub starting on the target meanwhile waits for the copy (it migrates under this lock).
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const present = await relationsOf(tx);
    if (present.length > 0) throw new TargetNotEmptyError(target.url, present);

    await tx.exec(
      'create table schema_migrations (version integer primary key, name text not null, applied_at bigint not null)',
    );
    for (const migration of MIGRATIONS) await tx.exec(migration.sql);
    const created = await tablesOf(tx);
    if (created.join() !== [...tables].sort().join())
      throw new Error(
        `The schemas differ: the folder has ${[...tables].sort().join(', ')}; the migrations made ${created.join(', ')}.`,
      );
    // Rows the migrations seed (the workspace counter…) come from the source instead.
    await tx.exec(`truncate ${tables.map(quote).join(', ')}`);

    const copied: CopiedTable[] = [];
    for (const table of tables) {
      const batch = (await hasBinaryColumns(source, table)) ? BINARY_BATCH : BATCH;
      let after = '(0,0)';
      for (;;) {
        const { rows } = await source.query<{ at: string; row: string }>(
          `select ctid::text as at, to_jsonb(t)::text as row from ${quote(table)} t
           where ctid > $1::tid order by ctid limit ${batch}`,
          [after],
        );
        if (rows.length === 0) break;
        await tx.query(
          `insert into ${quote(table)} select * from jsonb_populate_recordset(null::${quote(table)}, $1::jsonb)`,
          [`[${rows.map((r) => r.row).join(',')}]`],
        );
        after = rows[rows.length - 1]?.at ?? after;
        if (rows.length < batch) break;
      }
      const [inSource, inTarget] = [await countRows(source, table), await countRows(tx, table)];
      if (inSource !== inTarget)
        throw new Error(`${table}: ${inSource} rows in the folder, ${inTarget} copied.`);
      const done = { table, rows: inTarget };
      copied.push(done);
      await options.onTable?.(done);
    }

    const { rows: sequences } = await source.query<{ name: string; value: number | null }>(
      `select sequencename as name, last_value as value from pg_sequences
       where schemaname = current_schema()`,
    );
    for (const sequence of sequences)
      if (sequence.value !== null)
        await tx.query('select setval($1::regclass, $2, true)', [
          quote(sequence.name),
          sequence.value,
        ]);

    const { rows: head } = await tx.query<{ seq: number }>(
      'select seq from workspace where id = 1',
    );
    return { tables: copied, headSeq: Number(head[0]?.seq ?? 0) };
  });
}
