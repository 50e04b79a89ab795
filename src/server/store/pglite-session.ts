import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { Db, Queryable } from './db';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/** Prepared statements kept per connection; the hub's SQL is a fixed set of a few dozen. */
export const MAX_PREPARED_STATEMENTS = 256;

interface Statement {
  readonly name: string;
  /** The parameters' types as PostgreSQL inferred them (what PGlite's own `query` asks for). */
  readonly types: readonly number[];
  /** The rows' description, or `null` for a statement that returns none. */
  readonly rows: BackendMessage | null;
}

const { serialize } = protocol;
/** PostgreSQL's type oid of `bytea`. */
const BYTEA_OID = 17;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** "cached plan must not change result type": a table the statement reads changed shape. */
const CHANGED_SHAPE = '0A000';
/** "prepared statement does not exist". */
const NO_SUCH_STATEMENT = '26000';

const sqlState = (error: unknown): unknown =>
  typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;

/**
 * The hub's connection to PGlite, speaking PostgreSQL's extended protocol to it directly.
 *
 * PGlite's `query` sends Parse, Describe, Bind, Describe, Execute and Sync as six separate calls
 * into PostgreSQL, and PostgreSQL parses, analyses and plans the statement again each time: about
 * 150–250 µs a statement, so a webhook's transaction of ten statements took 3–4 ms of the hub's
 * only thread. Here every statement is prepared once under a name (what node-postgres and the
 * other PostgreSQL drivers do for named queries) and then runs as one call, Bind + Execute +
 * Sync: 35–90 µs. Parameters are serialised and rows parsed with PGlite's own type serialisers
 * and parsers, from the parameter types PostgreSQL inferred when the statement was prepared, so
 * the rows are the ones `query` gives.
 *
 * One statement runs at a time (a lock, as PGlite's own mutex does); a transaction holds the lock
 * from BEGIN to COMMIT, so nothing else interleaves with it.
 */
export class PgliteSession implements Db {
  readonly #pg: PGlite;
  /** By SQL text, least recently used first. */
  readonly #statements = new Map<string, Statement>();
  #counter = 0;
  #lock: Promise<unknown> = Promise.resolve();

  readonly #onClose: (() => Promise<void>) | undefined;

  /** `onClose` runs after PGlite has closed (the data folder's lock is released there). */
  constructor(pg: PGlite, onClose?: () => Promise<void>) {
    this.#pg = pg;
    this.#onClose = onClose;
  }

  /** PGlite itself, for what only it can do (`dumpDataDir`). */
  get pglite(): PGlite {
    return this.#pg;
  }

  query<Row>(sql: string, params: unknown[] = []): Promise<{ rows: Row[] }> {
    return this.#exclusive(async () => {
      let result: { rows: Row[] };
      try {
        result = await this.#run<Row>(sql, params);
      } catch (error) {
        // Outside a transaction a statement whose tables changed shape is simply prepared again.
        if (sqlState(error) !== CHANGED_SHAPE) throw error;
        result = await this.#run<Row>(sql, params);
      }
      await this.#pg.syncToFs();
      return result;
    });
  }

  exec(sql: string): Promise<void> {
    return this.#exclusive(async () => {
      await this.#simple(sql);
      await this.#pg.syncToFs();
    });
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#exclusive(async () => {
      await this.#simple('BEGIN');
      let open = true;
      const tx: Queryable = {
        query: <Row>(sql: string, params: unknown[] = []) => {
          if (!open) throw new Error('The transaction has ended.');
          return this.#run<Row>(sql, params);
        },
        exec: async (sql: string) => {
          if (!open) throw new Error('The transaction has ended.');
          await this.#simple(sql);
        },
      };
      try {
        const result = await fn(tx);
        open = false;
        // COMMIT of a transaction in which a statement failed rolls it back instead.
        if ((await this.#simple('COMMIT')) === 'ROLLBACK')
          throw new Error('The transaction was rolled back: one of its statements failed.');
        return result;
      } catch (error) {
        if (open) {
          open = false;
          // The error that made it roll back is the one to report.
          await this.#simple('ROLLBACK').catch(() => undefined);
        }
        throw error;
      } finally {
        await this.#pg.syncToFs();
      }
    });
  }

  close(): Promise<void> {
    return this.#exclusive(async () => {
      await this.#pg.close();
      await this.#onClose?.();
    });
  }

  /** Prepared statements currently kept (tests). */
  get preparedCount(): number {
    return this.#statements.size;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Run a simple-protocol query (no parameters); resolves to the last command's tag. */
  async #simple(sql: string): Promise<string | undefined> {
    const messages = await this.#pg.execProtocolStream(serialize.query(sql), { syncToFs: false });
    let tag: string | undefined;
    for (const message of messages)
      if (message.name === 'commandComplete') tag = (message as { text?: string }).text;
    return tag;
  }

  async #prepare(sql: string): Promise<Statement> {
    const cached = this.#statements.get(sql);
    if (cached) {
      // Most recently used last.
      this.#statements.delete(sql);
      this.#statements.set(sql, cached);
      return cached;
    }
    const oldest = this.#statements.entries().next().value;
    if (oldest && this.#statements.size >= MAX_PREPARED_STATEMENTS) await this.#forget(...oldest);
    const name = `rd${++this.#counter}`;
    // Parse and Describe alone: either the statement exists afterwards or the call throws (a
    // syntax error, an unknown column) and it does not.
    const messages = await this.#pg.execProtocolStream(
      concat([
        serialize.parse({ name, text: sql }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
      { syncToFs: false },
    );
    const statement: Statement = {
      name,
      types: parse.parseDescribeStatementResults(messages),
      rows: messages.find((message) => message.name === 'rowDescription') ?? null,
    };
    this.#statements.set(sql, statement);
    return statement;
  }

  async #forget(sql: string, statement: Statement): Promise<void> {
    this.#statements.delete(sql);
    await this.#pg
      .execProtocolStream(
        concat([serialize.close({ type: 'S', name: statement.name }), serialize.sync()]),
        { syncToFs: false, throwOnError: false },
      )
      .catch(() => undefined);
  }

  async #run<Row>(sql: string, params: readonly unknown[]): Promise<{ rows: Row[] }> {
    const statement = await this.#prepare(sql);
    const serializers = this.#pg.serializers;
    const values = params.map((param, i) => {
      if (param === null || param === undefined) return null;
      // bytea from bytes: sent as-is in binary format (PGlite's serializer writes hex one byte
      // at a time in JavaScript: about 240 ms for a 1 MB file, on the session every query waits for).
      if (param instanceof Uint8Array && statement.types[i] === BYTEA_OID) return param;
      const serializer = serializers[statement.types[i] ?? 0];
      return serializer ? serializer(param) : String(param);
    });
    let messages: BackendMessage[];
    try {
      messages = await this.#pg.execProtocolStream(
        concat([
          serialize.bind({ statement: statement.name, values }),
          serialize.execute({}),
          serialize.sync(),
        ]),
        { syncToFs: false },
      );
    } catch (error) {
      // A table the statement reads changed shape, or the statement is gone: prepare it afresh
      // next time. Any other error (a constraint, bad input) leaves the statement as it was.
      const code = sqlState(error);
      if (code === CHANGED_SHAPE || code === NO_SUCH_STATEMENT) await this.#forget(sql, statement);
      throw error;
    }
    const [result] = parse.parseResults(
      statement.rows ? [statement.rows, ...messages] : messages,
      this.#pg.parsers,
    );
    return { rows: (result?.rows ?? []) as Row[] };
  }
}
