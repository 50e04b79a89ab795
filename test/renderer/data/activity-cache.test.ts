import { afterEach, describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/shared/protocol/activity';
import type { SequencedEvent } from '../../../src/shared/protocol/events';
import { applyEventBatch, storeActivity } from '../../../src/renderer/src/data/cache-writes';
import { clearCache, openCache, ReplydeskDb } from '../../../src/renderer/src/data/db';
import { T0 } from '../fixtures';
import { newIndexedDb } from './support';

/** Activity lines in the cache: events and pages upsert by id, a reset drops them. */

const line = (id: string, overrides: Partial<Activity> = {}): Activity => ({
  id,
  conversationId: 'a',
  at: T0,
  kind: 'assignment',
  via: 'user',
  actorId: 'lea',
  from: null,
  to: 'bram',
  until: null,
  ...overrides,
});

const createdLine = (seq: number, activity: Activity): SequencedEvent => ({
  seq,
  at: T0,
  event: { type: 'activity.created', activity },
});

const open: ReplydeskDb[] = [];
async function freshDb(): Promise<ReplydeskDb> {
  const db = new ReplydeskDb('replydesk:activity-test', newIndexedDb());
  await openCache(db);
  open.push(db);
  return db;
}

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('activity lines in the cache', () => {
  it('stores activity.created events with the frame, once each even when repeated', async () => {
    const db = await freshDb();
    const first = line('a1');
    const second = line('a2', { kind: 'priority', from: 'normal', to: 'urgent', at: T0 + 1 });
    expect(await applyEventBatch(db, [createdLine(1, first), createdLine(2, second)])).toEqual({
      lastSeq: 2,
      applied: 2,
      gap: false,
      conversations: [],
    });
    // The seam of a resumed socket, and the same lines again from a page.
    await applyEventBatch(db, [createdLine(2, second)]);
    await storeActivity(db, [second, first]);
    expect(await db.activity.where('conversationId').equals('a').sortBy('at')).toEqual([
      first,
      second,
    ]);
  });

  it('keeps lines per conversation and drops them with the rest of the cache', async () => {
    const db = await freshDb();
    await storeActivity(db, [line('a1'), line('b1', { conversationId: 'b' })]);
    expect(await db.activity.where('conversationId').equals('b').primaryKeys()).toEqual(['b1']);
    await clearCache(db);
    expect(await db.activity.count()).toBe(0);
  });
});
