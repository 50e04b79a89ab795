import { cacheName, ReplydeskDb } from './db';
import { openAndReadCache, type OpenedCache } from './sync-engine';

/**
 * Opening the window with a known session (a browser tab keeps it over a reload), the cache is
 * opened and its conversations read while React boots, instead of after the first render: the
 * inbox shows sooner by the time those take. The data layer of that session takes the database
 * and what was read (`takeEarlyCache`); anything not taken soon is closed.
 */
interface EarlyCache {
  readonly name: string;
  readonly db: ReplydeskDb;
  readonly opening: Promise<OpenedCache>;
}

let early: EarlyCache | null = null;

/** Not taken by then (the session turned out to be over, another user signed in): close it. */
const UNTAKEN_MS = 15_000;

export function openCacheEarly(hubUrl: string, userId: string): void {
  if (early !== null) return;
  const db = new ReplydeskDb(cacheName(hubUrl, userId));
  const opening = openAndReadCache(db);
  // Whoever takes it handles a failure; untaken, it must not be reported as unhandled.
  opening.catch(() => undefined);
  const mine: EarlyCache = { name: db.name, db, opening };
  early = mine;
  setTimeout(() => {
    if (early !== mine) return;
    early = null;
    db.close();
  }, UNTAKEN_MS);
}

/** The cache opened early under `name`, once; `null` when there is none. */
export function takeEarlyCache(name: string): Omit<EarlyCache, 'name'> | null {
  if (early === null || early.name !== name) return null;
  const { db, opening } = early;
  early = null;
  return { db, opening };
}
