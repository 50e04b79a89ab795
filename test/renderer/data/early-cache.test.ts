// The early cache opens the window's own IndexedDB (no per-test one): a global fake stands in.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  compactConversations,
  storeConversations,
} from '../../../src/renderer/src/data/cache-writes';
import { cacheName, openCache, ReplydeskDb } from '../../../src/renderer/src/data/db';
import { openCacheEarly, takeEarlyCache } from '../../../src/renderer/src/data/early-cache';
import { conversation } from '../fixtures';

const HUB = 'http://127.0.0.1:4100';

describe('the cache opened while the app boots', () => {
  it('reads the cached conversations ahead and is handed once, to the layer of that user only', async () => {
    const name = cacheName(HUB, 'usr_early');
    const seeded = new ReplydeskDb(name);
    await openCache(seeded);
    await storeConversations(seeded, [conversation('a'), conversation('b')]);
    await compactConversations(seeded);
    await storeConversations(seeded, [conversation('c')]);
    seeded.close();

    openCacheEarly(HUB, 'usr_early');
    expect(takeEarlyCache(cacheName(HUB, 'usr_other'))).toBeNull();
    const taken = takeEarlyCache(name);
    expect(taken).not.toBeNull();
    const opened = await taken?.opening;
    expect(opened?.cached.conversations.map((c) => c.id).sort()).toEqual(['a', 'b', 'c']);
    expect(opened?.cached.dirty).toBe(1);
    expect(takeEarlyCache(name)).toBeNull();
    taken?.db.close();
  });
});
