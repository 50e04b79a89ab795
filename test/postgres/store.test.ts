import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/server/store/migrations';
import { openPglite } from '../../src/server/store/db';
import { openPostgres, PostgresDb, serverVersionProblem } from '../../src/server/store/postgres';
import { startTestCluster, type TestCluster } from '../support/postgres';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ tls: true });
});

afterAll(async () => {
  await cluster?.stop();
});

const TYPES_SQL = `select 1::bigint as a, count(*) as c, 1.50::numeric(14, 2) as n,
  '{"x": 1}'::jsonb as j, '{a,b}'::text[] as t, '{1,2}'::bigint[] as ba, 1::int as i, true as bo,
  null::bigint as z, $1::jsonb as p, $2::text[] as pt, $3::bigint as pb`;
const TYPES_PARAMS = [JSON.stringify({ y: [1, 2] }), ['x', 'y'], 1_795_000_000_000];

describe('the PostgreSQL store', () => {
  it('gives the rows PGlite gives for the types the hub uses', async () => {
    const server = await openPostgres(await cluster.createDatabase());
    const embedded = await openPglite(null);
    try {
      const fromServer = (await server.query(TYPES_SQL, TYPES_PARAMS)).rows;
      const fromPglite = (await embedded.query(TYPES_SQL, TYPES_PARAMS)).rows;
      expect(fromServer).toEqual(fromPglite);
      expect(fromServer[0]).toEqual({
        a: 1,
        c: 1,
        n: '1.50',
        j: { x: 1 },
        t: ['a', 'b'],
        ba: [1, 2],
        i: 1,
        bo: true,
        z: null,
        p: { y: [1, 2] },
        pt: ['x', 'y'],
        pb: 1_795_000_000_000,
      });
    } finally {
      await server.close();
      await embedded.close();
    }
  });

  it('prepares each statement once per connection', async () => {
    const db = new PostgresDb(await cluster.createDatabase(), { poolSize: 2 });
    try {
      const prepared = await db.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) await tx.query('select $1::int + 1 as n', [i]);
        return (
          await tx.query<{ statement: string }>(
            "select statement from pg_prepared_statements where name like 'rd\\_%' order by statement",
          )
        ).rows;
      });
      // Three runs of one statement, one prepared statement (and this query's own).
      expect(prepared.map((row) => row.statement)).toEqual([
        'select $1::int + 1 as n',
        "select statement from pg_prepared_statements where name like 'rd\\_%' order by statement",
      ]);
    } finally {
      await db.close();
    }
  });

  it('rolls a transaction back whole and reports the statement that failed', async () => {
    const db = await openPostgres(await cluster.createDatabase());
    try {
      await db.exec('create table t (id int primary key)');
      await expect(
        db.transaction(async (tx) => {
          await tx.query('insert into t values (1)');
          await tx.query('insert into t values (1)');
        }),
      ).rejects.toThrow(/duplicate key/);
      expect((await db.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('runs every migration once when several hubs start together', async () => {
    const url = await cluster.createDatabase();
    const hubs = await Promise.all([1, 2, 3, 4].map(() => openPostgres(url)));
    try {
      const ran = await Promise.all(hubs.map((db) => migrate(db)));
      // Each migration ran on exactly one of them, and all of them ran.
      expect(ran.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
      const { rows } = await (hubs[0] as PostgresDb).query<{ n: number }>(
        'select count(*) as n from schema_migrations',
      );
      expect(rows).toEqual([{ n: MIGRATIONS.length }]);
    } finally {
      await Promise.all(hubs.map((db) => db.close()));
    }
  });

  it('honours the TLS options in the URL', async () => {
    const database = (await cluster.createDatabase()).split('/').pop()?.split('?')[0] as string;
    const base = cluster.tcpUrl(database);
    const verified = await openPostgres(
      `${base}?sslmode=verify-full&sslrootcert=${encodeURIComponent(`${cluster.dir}/ca.pem`)}`,
    );
    try {
      expect(
        (await verified.query('select ssl from pg_stat_ssl where pid = pg_backend_pid()')).rows,
      ).toEqual([{ ssl: true }]);
    } finally {
      await verified.close();
    }
    // Without the certificate authority, verification fails: the options are not ignored.
    await expect(openPostgres(`${base}?sslmode=verify-full`)).rejects.toThrow(
      /Cannot use the database at postgresql:\/\/postgres@localhost:\d+\/\w+\?sslmode=verify-full: self[- ]signed certificate/,
    );
  });

  it('reads the server’s version at start and refuses one older than 14', async () => {
    const db = await openPostgres(await cluster.createDatabase());
    try {
      const { rows } = await db.query<{ num: string }>(
        "select current_setting('server_version_num') as num",
      );
      // The throwaway cluster is Debian's PostgreSQL 15.
      expect(Math.floor(Number(rows[0]?.num) / 10_000)).toBe(15);
    } finally {
      await db.close();
    }
    expect(serverVersionProblem(150018, '15.18')).toBe(null);
    expect(serverVersionProblem(140000, '14.0')).toBe(null);
    expect(serverVersionProblem(130016, '13.16 (Ubuntu)')).toBe(
      'it runs PostgreSQL 13.16 (Ubuntu); Replydesk needs 14 or newer.',
    );
    expect(serverVersionProblem(Number.NaN, '?')).toBe(
      'it runs PostgreSQL ?; Replydesk needs 14 or newer.',
    );
  });
});
