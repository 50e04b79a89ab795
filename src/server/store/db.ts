import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * Sized for a hub on a desktop: PostgreSQL's defaults (128 MB shared buffers) would make the
 * embedded database alone larger than the whole hub should be. PGlite reads its files through
 * the operating system, whose page cache keeps them warm, so 16 MB of buffers cost little
 * speed; with 32 MB the hub's peak memory under `bench:hub` was 26 MB higher (314 vs 288 MB).
 */
export const PGLITE_SETTINGS = [
  'shared_buffers=16MB',
  'wal_buffers=2MB',
  'work_mem=4MB',
  'maintenance_work_mem=16MB',
];

const resolveModule = createRequire(import.meta.url).resolve;

/**
 * Create a new data folder in a short-lived child process. `initdb` grows PGlite's WebAssembly
 * memory to several hundred MB, and WebAssembly memory never shrinks: done in the hub's own
 * process, that peak would stay for the hub's whole life.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const moduleUrl = pathToFileURL(resolveModule('@electric-sql/pglite')).href;
  const script = `
    const { PGlite } = await import(${JSON.stringify(moduleUrl)});
    const pg = new PGlite(${JSON.stringify(dataDir)});
    await pg.waitReady;
    await pg.close();`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      // Inside Electron, process.execPath is the app itself: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`Could not create the database in ${dataDir}: ${stderr.trim()}`)),
    );
  });
}

/** PGlite in `dataDir`, or in memory when `dataDir` is `null` (tests). */
export async function openPglite(dataDir: string | null): Promise<Db> {
  if (dataDir !== null) await initialiseDataDir(dataDir);
  const options = { postgresqlconf: PGLITE_SETTINGS };
  const pg = dataDir === null ? new PGlite(options) : new PGlite(dataDir, options);
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
