import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import { STARTER_TEMPLATES } from '../../src/server/seed-templates';
import { startTestHub } from '../support/hub';
import { startTestCluster, type TestCluster } from '../support/postgres';

/**
 * Issue #18: demo hubs that start together on one PostgreSQL server seed the starter templates
 * once between them, not once each (each saw an empty table before any had committed).
 */
let cluster: TestCluster;
let hubs: RunningHub[] = [];

beforeAll(async () => {
  cluster = await startTestCluster();
});

afterAll(async () => {
  await Promise.all(hubs.map((hub) => hub.close()));
  await cluster?.stop();
});

describe('starter templates on a shared database', () => {
  it('are inserted once when three demo hubs start at the same moment', async () => {
    const databaseUrl = await cluster.createDatabase();
    const at = Date.parse('2026-12-01T09:00:00Z');
    hubs = await Promise.all(
      [1, 2, 3].map(() => startTestHub({ databaseUrl, demo: true, now: () => at })),
    );
    const [first] = hubs;
    if (!first) throw new Error('No hub started.');
    const counts = await first.db.query<{ templates: number; events: number }>(
      `select (select count(*)::int from templates) as templates,
              (select count(*)::int from events where type = 'template.updated') as events`,
    );
    expect(counts.rows).toEqual([
      { templates: STARTER_TEMPLATES.length, events: STARTER_TEMPLATES.length },
    ]);
  });
});
