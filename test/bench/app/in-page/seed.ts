import { Dexie } from 'dexie';
import type { Message, Template } from '../../../../src/shared/domain/model';
import { parseRateCard } from '../../../../src/shared/pricing';
import {
  compactConversations,
  storeConversations,
  storeSyncPage,
} from '../../../../src/renderer/src/data/cache-writes';
import { openCache, ReplydeskDb } from '../../../../src/renderer/src/data/db';
import {
  CONVERSATION_PAGE_SIZE,
  MESSAGE_PAGE_SIZE,
} from '../../../../src/renderer/src/data/sync-engine';
import type { Me, Teammate } from '../../../../src/renderer/src/data/types';
import { generateCache } from '../generate';

/**
 * Bundled (esbuild, iife) and evaluated in a page of the hub's origin, where the app's IndexedDB
 * lives. It fills the app's cache as a completed first sync leaves it, through the app's own
 * cache-writing functions, and times the first sync's message writes on the way (figure 4).
 */
export interface SeedRequest {
  readonly dbName: string;
  /** A scratch database for the `bulkPut` baseline, deleted afterwards. */
  readonly scratchName: string;
  readonly headSeq: number;
  readonly me: Me;
  readonly teammates: readonly Teammate[];
  readonly templates: readonly Template[];
  /** `GET /api/rate-card`'s `rateCard`, stored parsed as the first sync stores it. */
  readonly rateCard: unknown;
  readonly conversations: number;
  readonly messages: number;
  readonly bigConversationMessages: number;
  /** Leave the `bulkPut` baseline out (`search.bench.ts` needs only the cache): `bulkPutMs` 0. */
  readonly skipBaseline?: boolean;
}

export interface SeedResult {
  readonly conversations: number;
  readonly messages: number;
  /** Records the pages took (`messagePages`, `messagePageIndex`, `pageText`): three per page. */
  readonly messageRecords: number;
  readonly big: { readonly id: string; readonly customerName: string; readonly marker: string };
  readonly pageSize: number;
  /** `storeSyncPage` per first-sync page, summed. */
  readonly storeMessagesMs: number;
  /** `db.messages.bulkPut` of the same pages into an empty database, summed. */
  readonly bulkPutMs: number;
  readonly generateMs: number;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function pages<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function seed(request: SeedRequest): Promise<SeedResult> {
  await Promise.all([Dexie.delete(request.dbName), Dexie.delete(request.scratchName)]);
  const generateStart = performance.now();
  const teammateIds = request.teammates.filter((t) => t.id !== request.me.id).map((t) => t.id);
  const cache = generateCache({
    conversations: request.conversations,
    messages: request.messages,
    bigConversationMessages: request.bigConversationMessages,
    meId: request.me.id,
    teammateIds,
    now: Date.now(),
  });
  const messagePages = pages<Message>(cache.messages, MESSAGE_PAGE_SIZE);
  const generateMs = performance.now() - generateStart;

  // Warm both paths up (JIT, Dexie's first transactions) on a database thrown away after.
  const warm = new ReplydeskDb(`${request.scratchName}-warm-up`);
  const warmBulk = new ReplydeskDb(`${request.scratchName}-warm-up-bulk`);
  await Promise.all([openCache(warm), openCache(warmBulk)]);
  for (const [i, page] of messagePages.slice(0, 3).entries()) {
    await storeSyncPage(warm, page, i);
    await warmBulk.messages.bulkPut(page);
  }
  await Promise.all([warm.delete(), warmBulk.delete()]);

  const db = new ReplydeskDb(request.dbName);
  const scratch = new ReplydeskDb(request.scratchName);
  // Opened as the app opens its cache (a new one is stamped with the cache schema version).
  await Promise.all([openCache(db), openCache(scratch)]);
  // As the first sync does: conversations first, in its page size, through its function.
  for (const page of pages(cache.conversations, CONVERSATION_PAGE_SIZE)) {
    await storeConversations(db, page);
  }
  // The first sync's message writes and the baseline, page by page in alternating order, so
  // IndexedDB's background work (compaction, flushes) falls on both alike.
  let storeMessagesMs = 0;
  let bulkPutMs = 0;
  for (const [i, page] of messagePages.entries()) {
    const subject = () => storeSyncPage(db, page, i);
    const baseline = () =>
      request.skipBaseline ? Promise.resolve() : scratch.messages.bulkPut(page);
    if (i % 2 === 0) {
      storeMessagesMs += await timed(subject);
      bulkPutMs += await timed(baseline);
    } else {
      bulkPutMs += await timed(baseline);
      storeMessagesMs += await timed(subject);
    }
    if ((i + 1) % 20 === 0) {
      console.log(`bench: ${(i + 1) * MESSAGE_PAGE_SIZE} messages written (both paths)`);
    }
  }
  await scratch.delete();

  // What the end of a first sync stores (sync-engine.ts `load`), and the signed-in user.
  await db.transaction('rw', [db.templates, db.users, db.meta], async () => {
    await db.templates.bulkPut([...request.templates]);
    await db.users.bulkPut([...request.teammates]);
    if (request.rateCard !== null) {
      await db.meta.put({ key: 'rateCard', value: parseRateCard(request.rateCard) });
    }
    await db.meta.put({ key: 'historyTruncated', value: false });
    await db.meta.put({ key: 'lastSeq', value: request.headSeq });
    await db.meta.put({ key: 'firstSyncComplete', value: true });
    await db.meta.put({ key: 'me', value: request.me });
  });
  // As the sync engine does after a first sync: the conversations' chunked copy.
  await compactConversations(db);
  const result: SeedResult = {
    conversations: await db.conversations.count(),
    messages: (await db.messagePages.toArray()).reduce(
      (n, page) =>
        n + page.messages.reduce((m, json) => m + (JSON.parse(json) as unknown[]).length, 0),
      0,
    ),
    messageRecords:
      (await db.messagePages.count()) +
      (await db.messagePageIndex.count()) +
      (await db.pageText.count()),
    big: cache.big,
    pageSize: MESSAGE_PAGE_SIZE,
    storeMessagesMs,
    bulkPutMs,
    generateMs,
  };
  db.close();
  return result;
}

Object.assign(globalThis, { __benchSeed: seed });
