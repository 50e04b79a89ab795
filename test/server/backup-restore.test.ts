import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, USAGE } from '../../src/server/cli-commands';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { dataDirHolder, LOCK_FILE } from '../../src/server/store/data-dir';
import { openPglite } from '../../src/server/store/db';
import { backupFolder, restoreFolder } from '../../src/server/store/maintenance';
import { login, startTestHub } from '../support/hub';

/**
 * Issue #18 item 3: `npm run hub -- backup <file>` / `restore <file>` for the embedded data
 * folder, refused while a hub has the folder open (its lock file).
 */
let root: string;
let dataDir: string;
let hub: RunningHub | null = null;
const clock = Date.parse('2026-12-01T09:00:00Z');

const inbound = (i: number): InboundMessage => ({
  kind: 'message',
  channel: 'telegram',
  channelAccountId: 'bot-1',
  externalId: `tg.backup.${i}`,
  customer: { externalId: `cust-${i % 2}`, name: `Customer ${i % 2}`, phone: null },
  sentAt: clock - (10 - i) * 1000,
  content: { type: 'text', body: `Question ${i}` },
});

async function countIn(dir: string, sql: string): Promise<number> {
  const db = await openPglite(dir);
  try {
    const { rows } = await db.query<{ n: number }>(sql);
    return Number(rows[0]?.n);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'replydesk-backup-'));
  dataDir = path.join(root, 'hub');
  // Always PGlite: backup and restore are for the embedded folder.
  hub = await startTestHub({ dataDir, databaseUrl: null, now: () => clock });
  await login(hub.url);
  for (let i = 0; i < 6; i++) await hub.ingestor.ingest(inbound(i));
  // A cluster (or a data folder) and a hub: slow on a loaded machine.
}, 180_000);

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the data folder lock', () => {
  it('is held by a running hub: backup, another PGlite and migrate are refused', async () => {
    expect(await dataDirHolder(dataDir)).toBe(process.pid);
    const refused = `Cannot use the data folder ${dataDir}: another Replydesk process (pid ${process.pid}) is using it; stop that hub first.`;
    await expect(backupFolder(dataDir, path.join(root, 'early.tar.gz'))).rejects.toThrow(refused);
    await expect(openPglite(dataDir)).rejects.toThrow(refused);
    expect(existsSync(path.join(root, 'early.tar.gz'))).toBe(false);
    await hub?.close();
    hub = null;
    expect(await dataDirHolder(dataDir)).toBeNull();
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('left by a process that is gone is taken over', async () => {
    // A pid that is not running (pid_max is at most 2^22).
    await writeFile(path.join(dataDir, LOCK_FILE), JSON.stringify({ pid: 4_194_305, boot: 0 }));
    expect(await dataDirHolder(dataDir)).toBeNull();
    expect(await countIn(dataDir, 'select count(*)::int as n from messages')).toBe(6);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
  });
});

describe('backup and restore', () => {
  let file: string;

  it('backs a stopped folder up to one file, and refuses to overwrite it', async () => {
    file = path.join(root, 'backups', 'hub.tar.gz');
    const bytes = await backupFolder(dataDir, file);
    expect(await readdir(path.dirname(file))).toEqual(['hub.tar.gz']);
    expect(bytes).toBe(statSync(file).size);
    await expect(backupFolder(dataDir, file)).rejects.toThrow(
      `${file} exists already; choose a new file name.`,
    );
  });

  it('restores into a new folder with every row, and a hub starts on it', async () => {
    const restored = path.join(root, 'restored');
    const { migrations } = await restoreFolder(restored, file);
    expect(migrations).toBe(
      await countIn(dataDir, 'select count(*)::int as n from schema_migrations'),
    );
    expect(existsSync(path.join(restored, LOCK_FILE))).toBe(false);
    for (const table of ['messages', 'conversations', 'events', 'users', 'sessions']) {
      const sql = `select count(*)::int as n from ${table}`;
      expect([table, await countIn(restored, sql)]).toEqual([table, await countIn(dataDir, sql)]);
    }
    expect(await countIn(restored, 'select count(*)::int as n from messages')).toBe(6);
    const again = await startTestHub({ dataDir: restored, databaseUrl: null, now: () => clock });
    try {
      await again.ingestor.ingest(inbound(6));
      const { rows } = await again.db.query<{ n: number }>(
        'select count(*)::int as n from messages',
      );
      expect(rows[0]?.n).toBe(7);
    } finally {
      await again.close();
    }
  });

  it('refuses a folder that is not empty, and a file that is not a backup, leaving nothing', async () => {
    await expect(restoreFolder(dataDir, file)).rejects.toThrow(
      /^Cannot use the data folder .*: it is not empty \(\d+ entries\); restore into a new folder/,
    );
    expect(await countIn(dataDir, 'select count(*)::int as n from messages')).toBe(6);
    const junk = path.join(root, 'junk.tar.gz');
    await writeFile(junk, 'not a tarball');
    const target = path.join(root, 'from-junk');
    await expect(restoreFolder(target, junk)).rejects.toThrow(`Could not restore ${junk}: `);
    expect(existsSync(target)).toBe(false);
    await expect(restoreFolder(target, path.join(root, 'missing.tar.gz'))).rejects.toThrow(
      `No backup file at ${path.join(root, 'missing.tar.gz')}.`,
    );
  });

  it('refuses a backup of a folder without a database', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await expect(backupFolder(empty, path.join(root, 'e.tar.gz'))).rejects.toThrow(
      `Cannot use the data folder ${empty}: it holds no embedded hub database (no PG_VERSION).`,
    );
  });
});

describe('npm run hub -- <command>', () => {
  it('reads migrate, backup and restore, and refuses anything else with the usage', () => {
    expect(parseCommand([])).toEqual({ kind: 'serve' });
    expect(parseCommand(['migrate', '--to', 'postgresql://u@db/replydesk'])).toEqual({
      kind: 'migrate',
      to: 'postgresql://u@db/replydesk',
    });
    expect(parseCommand(['backup', 'b.tar.gz'])).toEqual({
      kind: 'backup',
      file: path.resolve('b.tar.gz'),
    });
    expect(parseCommand(['restore', '/x/b.tar.gz'])).toEqual({
      kind: 'restore',
      file: '/x/b.tar.gz',
    });
    expect(() => parseCommand(['migrate'])).toThrow(
      `migrate needs --to <postgresql url>.\n${USAGE}`,
    );
    expect(() => parseCommand(['migrate', '--to', 'mysql://x'])).toThrow(
      '--to must be a postgresql:// URL.',
    );
    expect(() => parseCommand(['backup'])).toThrow('backup needs one file name.');
    expect(() => parseCommand(['restore', 'a', 'b'])).toThrow('restore needs one file name.');
    expect(() => parseCommand(['dump'])).toThrow(`Unknown command "dump".\n${USAGE}`);
  });
});
