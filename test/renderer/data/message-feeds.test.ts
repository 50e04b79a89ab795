// Dexie runs live queries only where a global indexedDB exists (as in a browser); each test's
// database still gets its own private one below.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/shared/domain/model';
import { applyEventBatch, storeSyncPage } from '../../../src/renderer/src/data/cache-writes';
import { openCache, ReplydeskDb } from '../../../src/renderer/src/data/db';
import {
  createMessageFeeds,
  type MessageFeeds,
} from '../../../src/renderer/src/data/message-feeds';
import { enqueueCommand, sendMessageCommand } from '../../../src/renderer/src/data/outbox';
import { message as fixtureMessage } from '../conversation/fixtures';
import { T0 } from '../fixtures';
import { newIndexedDb } from './support';

const message = (id: string, conversationId: string, sentAt: number): Message =>
  fixtureMessage({ id, conversationId, sentAt, content: { type: 'text', body: `Body of ${id}` } });

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setUp(keep?: number): Promise<{ db: ReplydeskDb; feeds: MessageFeeds }> {
  const db = new ReplydeskDb('replydesk:feeds', newIndexedDb());
  await openCache(db);
  const feeds = createMessageFeeds(db, 'usr_me', keep);
  cleanups.push(() => {
    feeds.close();
    db.close();
  });
  return { db, feeds };
}

/** Resolves once `check` holds after a change of the feed of `id` (or at once). */
function until(feeds: MessageFeeds, id: string, check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    const timer = setTimeout(() => reject(new Error(`feed ${id} never matched`)), 3000);
    const stop = feeds.subscribe(id, () => {
      if (!check()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

const ids = (messages: readonly Message[] | undefined) => messages?.map((m) => m.id);

describe('message feeds', () => {
  it('read a conversation once, then follow its changes, its outbox included', async () => {
    const { db, feeds } = await setUp();
    await storeSyncPage(db, [message('a2', 'a', T0 + 2), message('a1', 'a', T0 + 1)], 0);
    expect(feeds.get('a')).toBeUndefined();
    await until(feeds, 'a', () => feeds.get('a') !== undefined);
    expect(ids(feeds.get('a'))).toEqual(['a1', 'a2']);

    await applyEventBatch(db, [
      { seq: 1, at: T0, event: { type: 'message.created', message: message('a3', 'a', T0 + 3) } },
    ]);
    await until(feeds, 'a', () => feeds.get('a')?.length === 3);
    await enqueueCommand(db, sendMessageCommand('a', { type: 'text', body: 'On its way' }), {
      now: () => T0 + 4,
    });
    await until(feeds, 'a', () => feeds.get('a')?.length === 4);
    expect(feeds.get('a')?.[3]).toMatchObject({ status: 'queued', authorId: 'usr_me' });
  });

  it('stay live after their screen is gone, so a conversation opened again is current at once', async () => {
    const { db, feeds } = await setUp();
    await storeSyncPage(db, [message('a1', 'a', T0 + 1)], 0);
    await until(feeds, 'a', () => feeds.get('a') !== undefined);
    // Nobody shows "a" now; a message arrives meanwhile.
    await applyEventBatch(db, [
      { seq: 1, at: T0, event: { type: 'message.created', message: message('a2', 'a', T0 + 2) } },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ids(feeds.get('a'))).toEqual(['a1', 'a2']);
  });

  it('read ahead when warmed, and close the least recently used beyond the ones kept', async () => {
    const { db, feeds } = await setUp(2);
    await storeSyncPage(
      db,
      ['a', 'b', 'c', 'd'].map((id) => message(`${id}1`, id, T0)),
      0,
    );
    feeds.warm('a');
    feeds.warm('b');
    await until(feeds, 'b', () => feeds.get('a') !== undefined && feeds.get('b') !== undefined);
    // "a" is used again, so "b" is the least recently used when "c" and "d" come.
    const stopA = feeds.subscribe('a', () => undefined);
    feeds.warm('c');
    feeds.warm('d');
    await until(feeds, 'd', () => feeds.get('c') !== undefined && feeds.get('d') !== undefined);
    expect(feeds.get('b')).toBeUndefined();
    // A feed someone listens to is never closed, whatever the count.
    expect(ids(feeds.get('a'))).toEqual(['a1']);
    stopA();
  });
});
