import { PGlite } from '@electric-sql/pglite';

/**
 * The hub's database connection. The SQL the hub writes is plain PostgreSQL, so the same store
 * runs on PGlite (embedded, a data folder) and on a PostgreSQL server (`DATABASE_URL`, later).
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Run several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** Run `fn` in one transaction; everything it wrote is committed together or not at all. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite in `dataDir`, or in memory when `dataDir` is `null` (tests). */
export async function openPglite(dataDir: string | null): Promise<Db> {
  const pg = dataDir === null ? new PGlite() : new PGlite(dataDir);
  await pg.waitReady;
  return {
    query: async <Row>(sql: string, params: unknown[] = []) => {
      const result = await pg.query<Row>(sql, params);
      return { rows: result.rows };
    },
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        fn({
          query: async <Row>(sql: string, params: unknown[] = []) => {
            const result = await tx.query<Row>(sql, params);
            return { rows: result.rows };
          },
          exec: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    close: () => pg.close(),
  };
}
