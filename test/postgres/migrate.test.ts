import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { openPglite } from '../../src/server/store/db';
import { keepDeadLetter } from '../../src/server/store/dead-letters';
import { migrateFolder } from '../../src/server/store/maintenance';
import type { Message } from '../../src/shared/domain/model';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import { api, login, sendText, startTestHub } from '../support/hub';
import { startTestCluster, type TestCluster } from '../support/postgres';
import { connectClient } from '../support/realtime-client';

/**
 * Issue #18 item 3: `npm run hub -- migrate --to <url>` moves an embedded hub's data folder into
 * an empty PostgreSQL database; an app synced to the old hub resumes on the new one.
 */
let cluster: TestCluster;
let dataDir: string;
let token: string;
/** What the app had when the old hub stopped: its last seq and the messages it synced. */
let appSeq: number;
let appMessages: string[];
const clock = Date.parse('2026-12-01T09:00:00Z');

function inbound(i: number): InboundMessage {
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    externalId: `tg.move.${i}`,
    customer: { externalId: `cust-${i % 3}`, name: `Customer ${i % 3}`, phone: null },
    sentAt: clock - (20 - i) * 60_000,
    content: { type: 'text', body: `Question ${i}` },
  };
}

async function syncedMessages(hubUrl: string): Promise<{ ids: string[]; total: number }> {
  const page = await api<{ messages: Message[]; total: number; nextCursor: string | null }>(
    hubUrl,
    token,
    '/api/sync/messages?limit=2000',
  );
  expect(page.status).toBe(200);
  expect(page.body.nextCursor).toBeNull();
  return { ids: page.body.messages.map((m) => m.id), total: page.body.total };
}

/** Every table's row count, by name. */
async function countsOf(
  query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>,
): Promise<Record<string, number>> {
  const { rows } = await query(
    `select tablename from pg_tables where schemaname = current_schema() order by tablename`,
  );
  const counts: Record<string, number> = {};
  for (const { tablename } of rows) {
    const name = String(tablename);
    const { rows: n } = await query(`select count(*)::int as n from "${name}"`);
    counts[name] = Number(n[0]?.['n']);
  }
  return counts;
}

async function relationsIn(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'S', 'v')`,
    );
    return Number(rows[0]?.n);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await startTestCluster();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-move-'));
  // The embedded hub: 20 messages from 3 customers, a reply, a template, a dead letter.
  const hub = await startTestHub({ dataDir, databaseUrl: null, now: () => clock });
  try {
    token = await login(hub.url);
    for (let i = 0; i < 20; i++) await hub.ingestor.ingest(inbound(i));
    const { rows } = await hub.db.query<{ id: string }>(
      'select id from conversations order by id limit 1',
    );
    expect(await sendText(hub.url, token, 'move-reply-1', rows[0]?.id, 'On its way')).toBe(200);
    const template = await api(hub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'quick_reply',
        name: 'Where is my parcel',
        shortcut: 'parcel',
        body: 'Hi {{customer.first_name}}, it is on its way.',
        language: 'en',
        channels: ['telegram'],
      },
    });
    expect(template.status).toBe(201);
    await keepDeadLetter(
      hub.db,
      { channel: 'whatsapp', raw: Buffer.from([0, 1, 2, 255, 0x7b]), reasons: ['test bytes'] },
      clock,
    );
    // The app: synced, its socket at the head of the log.
    const app = await connectClient(hub.url, token, { since: 0 });
    const hello = await app.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    appSeq = hello.headSeq;
    await app.waitForEvents(appSeq);
    expect(app.events().map((e) => e.seq)).toEqual(Array.from({ length: appSeq }, (_, i) => i + 1));
    await app.close();
    appMessages = (await syncedMessages(hub.url)).ids;
    expect(appMessages).toHaveLength(21);
  } finally {
    await hub.close();
  }
  // A cluster (or a data folder) and a hub: slow on a loaded machine.
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  await rm(`${dataDir}.secrets.key`, { force: true });
});

describe('migrate --to', () => {
  let target: string;
  let folderCounts: Record<string, number>;

  it('copies every table with the same row count, the event log to its head', async () => {
    target = await cluster.createDatabase();
    const copied: string[] = [];
    const report = await migrateFolder(dataDir, target, {
      onTable: ({ table }) => void copied.push(table),
    });
    const source = await openPglite(dataDir);
    try {
      folderCounts = await countsOf((sql) => source.query(sql));
    } finally {
      await source.close();
    }
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      expect(await countsOf((sql) => client.query(sql))).toEqual(folderCounts);
      const { rows } = await client.query<{ raw: Buffer }>('select raw from dead_letters');
      expect(rows.map((row) => [...row.raw])).toEqual([[0, 1, 2, 255, 0x7b]]);
      const { rows: workspace } = await client.query('select id, seq::int from workspace');
      expect(workspace).toEqual([{ id: 1, seq: appSeq }]);
    } finally {
      await client.end();
    }
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(folderCounts);
    expect(copied.toSorted()).toEqual(Object.keys(folderCounts).toSorted());
    // Parents before children: conversations need customers, messages need conversations.
    expect(copied.indexOf('customers')).toBeLessThan(copied.indexOf('conversations'));
    expect(copied.indexOf('conversations')).toBeLessThan(copied.indexOf('messages'));
    expect(report.headSeq).toBe(appSeq);
    expect(folderCounts['messages']).toBe(21);
    expect(folderCounts['conversations']).toBe(3);
    expect(folderCounts['events']).toBe(appSeq);
    expect(folderCounts['dead_letters']).toBe(1);
  });

  it('an app synced to the old hub resumes on the new one: no resync, no duplicate', async () => {
    const hub: RunningHub = await startTestHub({ dataDir, databaseUrl: target, now: () => clock });
    try {
      // Its session came along: the same token, from its last seq.
      const app = await connectClient(hub.url, token, { since: appSeq });
      const hello = await app.waitFor(
        (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
      );
      expect(hello.resume).toBe('resumed');
      expect(hello.headSeq).toBe(appSeq);
      const fresh = inbound(100);
      await hub.ingestor.ingest(fresh);
      const events = await app.waitForEvents(1);
      const seqs = events.map((e) => e.seq);
      expect(seqs[0]).toBe(appSeq + 1);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => appSeq + 1 + i));
      await app.close();
      const { ids, total } = await syncedMessages(hub.url);
      expect(total).toBe(22);
      expect(new Set(ids).size).toBe(22);
      expect(ids.filter((id) => !appMessages.includes(id))).toHaveLength(1);
      // The old hub's template is there, under its id.
      const templates = await api<{ templates: { name: string }[] }>(
        hub.url,
        token,
        '/api/templates',
      );
      expect(templates.body.templates.map((t) => t.name)).toContain('Where is my parcel');
    } finally {
      await hub.close();
    }
  });

  it('refuses a database that is not empty, and changes nothing in it', async () => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const before = await countsOf((sql) => client.query(sql));
      await expect(migrateFolder(dataDir, target)).rejects.toThrow(
        /is not empty \(\d+ tables or other relations: .*\)\. migrate copies into an empty database only/,
      );
      expect(await countsOf((sql) => client.query(sql))).toEqual(before);
    } finally {
      await client.end();
    }
  });

  it('leaves the target empty when the copy fails part way', async () => {
    const empty = await cluster.createDatabase();
    const copied: string[] = [];
    await expect(
      migrateFolder(dataDir, empty, {
        onTable: ({ table }) => {
          copied.push(table);
          if (table === 'messages') throw new Error('cut off after messages');
        },
      }),
    ).rejects.toThrow('cut off after messages');
    expect(copied).toContain('customers');
    expect(await relationsIn(empty)).toBe(0);
    // And the same folder then goes in whole.
    const report = await migrateFolder(dataDir, empty);
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(folderCounts);
  });

  it('refuses a folder without a database', async () => {
    const nothing = await mkdtemp(path.join(os.tmpdir(), 'replydesk-none-'));
    try {
      await expect(migrateFolder(nothing, await cluster.createDatabase())).rejects.toThrow(
        `Cannot use the data folder ${nothing}: it holds no embedded hub database (no PG_VERSION).`,
      );
    } finally {
      await rm(nothing, { recursive: true, force: true });
    }
  });
});
