import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PREPARED_STATEMENTS, PgliteSession } from '../../src/server/store/pglite-session';

/**
 * The hub's PGlite connection (prepared statements over the extended protocol) must give exactly
 * what PGlite's own `query` gives, keep transactions whole, and stay bounded.
 */
describe('PgliteSession', () => {
  let pg: PGlite;
  let db: PgliteSession;

  // One database for the file (starting PGlite takes seconds); every test starts from a fresh
  // table and no prepared statements.
  beforeAll(async () => {
    pg = new PGlite();
    await pg.waitReady;
  });
  beforeEach(async () => {
    await pg.exec(`
      deallocate all;
      drop table if exists t;
      create table t (
        id text primary key, n int, big bigint, flag boolean, doc jsonb, tags text[],
        counts bigint[], at timestamptz, note text
      );`);
    db = new PgliteSession(pg);
  });
  afterAll(async () => {
    await new PgliteSession(pg).close();
  });

  const row = [
    'a"b\\c,{x}',
    -7,
    9_007_199_254_740_000,
    true,
    { nested: ['x', 1, null], 'quote"': 'é' },
    ['one', 'with "quotes"', 'comma, brace}', null, ''],
    [1, 2, 3],
    new Date('2026-11-25T10:00:00.000Z'),
    null,
  ];
  const insert = 'insert into t values ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

  it('writes and reads every type as PGlite’s own query does', async () => {
    await db.query(insert, row);
    await pg.query(insert, ['second', ...row.slice(1)]);
    const ours = await db.query('select * from t order by id');
    const theirs = await pg.query('select * from t order by id');
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rows).toHaveLength(2);
    expect(ours.rows.find((r) => (r as { id: string }).id === row[0])).toEqual({
      id: row[0],
      n: -7,
      big: 9_007_199_254_740_000,
      flag: true,
      doc: row[4],
      tags: row[5],
      counts: [1, 2, 3],
      at: row[7],
      note: null,
    });
    // Parameters typed by the statement (unnest of arrays, a JSON document).
    const found = await db.query<{ id: string; doc: unknown }>(
      `select t.id, t.doc from t join unnest($1::text[]) as k(id) on t.id = k.id
       where t.doc @> $2::jsonb`,
      [[row[0], 'missing'], { nested: ['x'] }],
    );
    expect(found.rows).toEqual([{ id: row[0], doc: row[4] }]);
  });

  it('runs a statement again from its prepared form, with new parameters each time', async () => {
    for (let i = 0; i < 20; i++)
      await db.query('insert into t (id, n) values ($1, $2)', [`r${i}`, i]);
    const sum = await db.query<{ total: number }>('select sum(n)::int as total from t');
    expect(sum.rows[0]?.total).toBe(190);
    // One statement prepared per SQL text, not per execution.
    expect(db.preparedCount).toBe(2);
    const prepared = await db.query<{ n: number }>(
      'select count(*)::int as n from pg_prepared_statements',
    );
    expect(prepared.rows[0]?.n).toBe(3);
  });

  it('keeps at most MAX_PREPARED_STATEMENTS statements, dropping the least recently used', async () => {
    for (let i = 0; i < MAX_PREPARED_STATEMENTS + 40; i++)
      await db.query(`select $1::int + ${i} as n`, [1]);
    expect(db.preparedCount).toBe(MAX_PREPARED_STATEMENTS);
    const prepared = await pg.query<{ n: number }>(
      'select count(*)::int as n from pg_prepared_statements',
    );
    expect(prepared.rows[0]?.n).toBe(MAX_PREPARED_STATEMENTS);
    // An evicted statement is prepared again when it comes back.
    const again = await db.query<{ n: number }>('select $1::int + 0 as n', [41]);
    expect(again.rows).toEqual([{ n: 41 }]);
  });

  it('reports a bad statement and prepares nothing for it', async () => {
    await expect(db.query('select nope from t')).rejects.toMatchObject({ code: '42703' });
    await expect(db.query('selec 1')).rejects.toMatchObject({ code: '42601' });
    expect(db.preparedCount).toBe(0);
    expect((await db.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('keeps a statement usable after it fails on its data', async () => {
    await db.query(insert, row);
    await expect(db.query(insert, row)).rejects.toMatchObject({ code: '23505' });
    await db.query(insert, ['other', ...row.slice(1)]);
    expect((await db.query('select id from t order by id')).rows).toHaveLength(2);
  });

  it('prepares a statement again when its table changed shape', async () => {
    await db.query(insert, row);
    expect(Object.keys((await db.query('select * from t')).rows[0] as object)).not.toContain(
      'extra',
    );
    await db.exec(`alter table t add column extra text default 'x'`);
    const after = await db.query<{ extra: string }>('select * from t');
    expect(after.rows[0]?.extra).toBe('x');
  });

  it('commits a transaction whole, or rolls all of it back', async () => {
    const result = await db.transaction(async (tx) => {
      await tx.query('insert into t (id) values ($1)', ['kept-1']);
      await tx.query('insert into t (id) values ($1)', ['kept-2']);
      return 'done';
    });
    expect(result).toBe('done');

    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id) values ($1)', ['lost-1']);
        await tx.query('insert into t (id) values ($1)', ['kept-1']); // duplicate key
      }),
    ).rejects.toMatchObject({ code: '23505' });

    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id) values ($1)', ['lost-2']);
        throw new Error('the caller changed its mind');
      }),
    ).rejects.toThrow('the caller changed its mind');

    // A failed statement whose error the caller swallowed still rolls the transaction back.
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id) values ($1)', ['lost-3']);
        await tx.query('insert into t (id) values ($1)', ['kept-2']).catch(() => undefined);
      }),
    ).rejects.toThrow(/rolled back/);

    const ids = await db.query<{ id: string }>('select id from t order by id');
    expect(ids.rows.map((r) => r.id)).toEqual(['kept-1', 'kept-2']);
    expect(await pg.query('select 1')).toBeTruthy(); // the connection is usable, not in a transaction
    expect(pg.isInTransaction()).toBe(false);
  });

  it('runs one statement at a time: a query waits for the transaction in progress', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.transaction(async (tx) => {
      await tx.query('insert into t (id) values ($1)', ['inside']);
      await held;
      await tx.query('insert into t (id) values ($1)', ['inside-2']);
    });
    const seen = db.query<{ n: number }>('select count(*)::int as n from t');
    const order: string[] = [];
    void seen.then(() => order.push('query'));
    void transaction.then(() => order.push('transaction'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await Promise.all([transaction, seen]);
    expect(order).toEqual(['transaction', 'query']);
    expect((await seen).rows[0]?.n).toBe(2);
  });

  it('refuses a transaction object used after its transaction ended', async () => {
    let escaped: Parameters<Parameters<PgliteSession['transaction']>[0]>[0] | undefined;
    await db.transaction(async (tx) => {
      escaped = tx;
      await tx.query('select 1');
    });
    expect(() => escaped?.query('select 1')).toThrow('The transaction has ended.');
  });
});
