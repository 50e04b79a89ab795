import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db, Queryable } from './db';

/**
 * Rows as PGlite gives them, so the store's code is the same on both: PGlite parses `bigint`
 * (the hub's epoch-ms instants, seqs, counts) into numbers, node-postgres into strings. Every
 * bigint the hub stores is far below 2^53.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    // bigint[]: node-postgres's own array parser, then numbers.
    if (oid === 1016) {
      const parseArray = (
        pg.types.getTypeParser as (id: number, format: 'text') => (value: string) => unknown[]
      )(1016, 'text');
      return (value: string) =>
        parseArray(value).map((item) => (item === null ? null : Number(item)));
    }
    return format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : pg.types.getTypeParser(oid, 'text');
  },
};

/** Transactions that lost a race with another hub's, safe to run again from the start. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const MAX_ATTEMPTS = 5;

const sqlState = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/**
 * Each statement text is prepared once per connection under a name derived from the text (what
 * the PGlite session does by hand); node-postgres keeps the names per connection.
 */
function statementName(sql: string): string {
  return `rd_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
}

function named(sql: string, params: readonly unknown[]): pg.QueryConfig {
  return { name: statementName(sql), text: sql, values: params as unknown[] };
}

export interface PostgresOptions {
  /** Connections per hub (default 10, or `DATABASE_POOL_SIZE`). */
  readonly poolSize?: number;
}

/**
 * The hub on a PostgreSQL server (`DATABASE_URL`). The URL carries everything node-postgres
 * understands, TLS included (`?sslmode=verify-full&sslrootcert=/path/ca.pem`…).
 */
export class PostgresDb implements Db {
  readonly pool: pg.Pool;
  readonly url: string;

  constructor(url: string, options: PostgresOptions = {}) {
    this.url = url;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types,
      application_name: 'replydesk-hub',
    });
    // An idle connection the server dropped (a restart, a failover) must not crash the hub; the
    // pool replaces it at the next query.
    this.pool.on('error', (error) => {
      console.error('hub: a database connection failed:', error.message);
    });
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<{ rows: Row[] }> {
    const result = await this.pool.query(named(sql, params));
    return { rows: result.rows as Row[] };
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#transactionOnce(fn);
      } catch (error) {
        if (!RETRYABLE.has(String(sqlState(error))) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  async #transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      let open = true;
      const tx: Queryable = {
        query: async <Row>(sql: string, params: unknown[] = []) => {
          if (!open) throw new Error('The transaction has ended.');
          const result = await client.query(named(sql, params));
          return { rows: result.rows as Row[] };
        },
        exec: async (sql: string) => {
          if (!open) throw new Error('The transaction has ended.');
          await client.query(sql);
        },
      };
      try {
        const result = await fn(tx);
        open = false;
        const commit = await client.query('COMMIT');
        // COMMIT of a transaction in which a statement failed rolls it back instead.
        if (commit.command === 'ROLLBACK')
          throw new Error('The transaction was rolled back: one of its statements failed.');
        return result;
      } catch (error) {
        if (open) {
          open = false;
          // The error that made it roll back is the one to report.
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
        }
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  /** A connection of its own, outside the pool's turns (LISTEN, advisory-lock leadership). */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, types });
    await client.connect();
    return client;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The oldest PostgreSQL server the hub runs on: the oldest major version its project still
 * supports (13 reached its end of life in November 2025). Tested on 15 (Debian's, in CI) and 17
 * (PGlite).
 */
export const MIN_SERVER_VERSION = 14;

/** Null when `server_version_num` (e.g. 150018) is new enough, else why not. */
export function serverVersionProblem(versionNum: number, version: string): string | null {
  const major = Math.floor(versionNum / 10_000);
  return Number.isFinite(major) && major >= MIN_SERVER_VERSION
    ? null
    : `it runs PostgreSQL ${version}; Replydesk needs ${MIN_SERVER_VERSION} or newer.`;
}

export function openPostgres(url: string, options: PostgresOptions = {}): Promise<PostgresDb> {
  const db = new PostgresDb(url, options);
  const refuse = async (reason: string): Promise<never> => {
    await db.close().catch(() => undefined);
    throw new Error(`Cannot use the database at ${redactUrl(url)}: ${reason}`);
  };
  // Fail at start, with the server's reason, rather than at the first request.
  return db
    .query<{ num: string; version: string }>(
      "select current_setting('server_version_num') as num, current_setting('server_version') as version",
    )
    .then(
      async ({ rows }) => {
        const problem = serverVersionProblem(Number(rows[0]?.num), rows[0]?.version ?? '?');
        return problem === null ? db : refuse(problem);
      },
      (error: unknown) => refuse(error instanceof Error ? error.message : String(error)),
    );
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
