import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEventBatch } from '../../../src/renderer/src/data/cache-writes';
import { openCache, readMeta, ReplydeskDb } from '../../../src/renderer/src/data/db';
import { parseRateCard } from '../../../src/shared/pricing';
import { sequencedEventSchema } from '../../../src/shared/protocol/events';
import { T0 } from '../fixtures';
import { newIndexedDb } from './support';

const CARD = parseRateCard(
  JSON.parse(readFileSync('resources/pricing/rate-card.example.json', 'utf8')) as unknown,
);

const open: ReplydeskDb[] = [];
async function freshDb(): Promise<ReplydeskDb> {
  const db = new ReplydeskDb('replydesk:admin-events', newIndexedDb());
  await openCache(db);
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('admin events in the cache', () => {
  it('updates a teammate and the rate card from live events, so lists and prices change at once', async () => {
    const db = await freshDb();
    await db.users.put({ id: 'usr_1', name: 'Ana', role: 'agent', disabled: false });
    const enabled = {
      ...CARD,
      ruleSets: CARD.ruleSets.map((set) => ({ ...set, enabled: true })),
    };
    // The frames are parsed as the app parses them: an unknown type would drop the frame.
    const frame = [
      {
        seq: 1,
        at: T0,
        event: {
          type: 'user.updated',
          user: { id: 'usr_1', name: 'Ana Silva', role: 'lead', disabled: true },
        },
      },
      { seq: 2, at: T0, event: { type: 'rate_card.updated', rateCard: enabled } },
    ].map((event) => sequencedEventSchema.parse(event));
    const result = await applyEventBatch(db, frame);
    expect(result).toMatchObject({ lastSeq: 2, applied: 2, gap: false });
    expect(await db.users.get('usr_1')).toEqual({
      id: 'usr_1',
      name: 'Ana Silva',
      role: 'lead',
      disabled: true,
    });
    expect(await readMeta(db, 'rateCard')).toEqual(enabled);
  });
});
