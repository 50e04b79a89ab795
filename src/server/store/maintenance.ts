import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DataFolderError, LOCK_FILE, lockDataDir } from './data-dir';
import { openPglite } from './db';
import { migrate } from './migrations';
import { copyToPostgres, type CopiedTable, type MoveReport } from './move-to-postgres';
import { PgliteSession } from './pglite-session';
import { openPostgres } from './postgres';

/**
 * The hub's maintenance commands on an embedded data folder (`npm run hub -- migrate|backup|
 * restore`, docs/deploy.md). Each holds the folder's lock while it works, so none runs on a
 * folder a hub has open.
 */

function hasDatabase(dataDir: string): boolean {
  return existsSync(path.join(dataDir, 'PG_VERSION'));
}

function requireDatabase(dataDir: string): void {
  if (!hasDatabase(dataDir))
    throw new DataFolderError(dataDir, 'it holds no embedded hub database (no PG_VERSION)');
}

/**
 * `migrate --to <url>`: the folder's database into an empty PostgreSQL database (one
 * transaction; `copyToPostgres`). The folder is brought to the current schema first, as a hub
 * starting on it would, and is left as it was otherwise.
 */
export async function migrateFolder(
  dataDir: string,
  url: string,
  options: { readonly onTable?: (copied: CopiedTable) => void | Promise<void> } = {},
): Promise<MoveReport> {
  requireDatabase(dataDir);
  const source = await openPglite(dataDir);
  try {
    await migrate(source);
    const target = await openPostgres(url, { poolSize: 2 });
    try {
      return await copyToPostgres(source, target, options);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/**
 * `backup <file>`: the whole data folder as one gzipped tarball (PGlite's `dumpDataDir`),
 * written beside `file` and renamed into place, so a failed backup never leaves half a file
 * under that name. Refuses to overwrite an existing file.
 */
export async function backupFolder(dataDir: string, file: string): Promise<number> {
  requireDatabase(dataDir);
  if (existsSync(file)) throw new Error(`${file} exists already; choose a new file name.`);
  const db = await openPglite(dataDir);
  try {
    if (!(db instanceof PgliteSession)) throw new Error('Not an embedded database.');
    const blob = await db.pglite.dumpDataDir('gzip');
    const bytes = Buffer.from(await blob.arrayBuffer());
    await mkdir(path.dirname(path.resolve(file)), { recursive: true });
    const partial = `${file}.partial-${process.pid}`;
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, file);
    return bytes.length;
  } finally {
    await db.close();
  }
}

/**
 * `restore <file>`: a backup into an empty (or new) data folder. The restored database is opened
 * and brought to the current schema before the command reports success, so a damaged file fails
 * here and the folder is removed again rather than left half restored.
 */
export async function restoreFolder(
  dataDir: string,
  file: string,
): Promise<{ readonly migrations: number }> {
  if (!existsSync(file)) throw new Error(`No backup file at ${file}.`);
  const entries = existsSync(dataDir) ? await readdir(dataDir) : [];
  if (entries.length > 0)
    throw new DataFolderError(
      dataDir,
      `it is not empty (${entries.length} entries); restore into a new folder, or move this one away first`,
    );
  const bytes = await readFile(file);
  let restored = false;
  try {
    const db = await openPglite(dataDir, { loadDataDir: new Blob([bytes]) });
    try {
      await migrate(db);
      const { rows } = await db.query<{ n: number }>(
        'select count(*)::int as n from schema_migrations',
      );
      restored = true;
      return { migrations: Number(rows[0]?.n) };
    } finally {
      await db.close();
    }
  } catch (error) {
    throw new Error(
      `Could not restore ${file}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    if (restored) {
      // The tarball holds the lock file of the process that made the backup.
      await rm(path.join(dataDir, LOCK_FILE), { force: true });
    } else {
      const release = await lockDataDir(dataDir).catch(() => null);
      if (release) await rm(dataDir, { recursive: true, force: true });
    }
  }
}
