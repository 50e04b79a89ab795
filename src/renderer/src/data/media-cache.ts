import { Dexie, type EntityTable } from 'dexie';
import type { DexieDependencies } from './db';

/**
 * The files of messages this computer has shown (issue #14 item 4): kept in IndexedDB so a photo,
 * voice note or PDF seen once opens again offline. A cache like the message cache, but in its own
 * database: files are large and their budget is the agent's to set, so the message cache's
 * schema changes and resets never have to copy or drop them. The least recently used files go
 * first once the budget is exceeded. Files waiting to be sent (`outgoing`) are the agent's work,
 * not cache: they are never evicted, and leave when their message is sent or discarded.
 */

export const MEDIA_SCHEMA_VERSION = 1;

/** 500 MB: a few thousand photos and voice notes, a small part of any laptop's disk. */
export const DEFAULT_MEDIA_BUDGET_BYTES = 500 * 1024 * 1024;
export const MIN_MEDIA_BUDGET_BYTES = 50 * 1024 * 1024;
export const MAX_MEDIA_BUDGET_BYTES = 20 * 1024 * 1024 * 1024;
/** Reading a file marks it used; more often than this would write on every render. */
const TOUCH_EVERY_MS = 60_000;

/** What is known of a cached file; its bytes are in `bytes` (eviction reads only these rows). */
export interface CachedFile {
  readonly sha256: string;
  readonly size: number;
  readonly mimeType: string;
  readonly lastUsedAt: number;
}

interface FileBytes {
  readonly sha256: string;
  readonly blob: Blob;
}

/** A file attached to a reply in the outbox, kept until the hub has it and the reply is sent. */
export interface OutgoingFile {
  readonly clientId: string;
  readonly blob: Blob;
  readonly filename: string;
  readonly mimeType: string;
}

interface MediaMeta {
  readonly key: 'budget';
  readonly value: number;
}

export class MediaDb extends Dexie {
  declare files: EntityTable<CachedFile, 'sha256'>;
  declare bytes: EntityTable<FileBytes, 'sha256'>;
  declare outgoing: EntityTable<OutgoingFile, 'clientId'>;
  declare meta: EntityTable<MediaMeta, 'key'>;

  constructor(name: string, dependencies?: DexieDependencies) {
    super(name, { ...dependencies, cache: 'immutable' });
    this.version(MEDIA_SCHEMA_VERSION).stores({
      files: 'sha256, lastUsedAt',
      bytes: 'sha256',
      outgoing: 'clientId',
      meta: 'key',
    });
  }
}

/** `replydesk-media:<hub origin>:<user id>`, beside the message cache of the same session. */
export function mediaCacheName(hubUrl: string, userId: string): string {
  return `replydesk-media:${new URL(hubUrl).origin}:${userId}`;
}

export interface MediaUsage {
  readonly bytes: number;
  readonly files: number;
  readonly budget: number;
}

export interface MediaCache {
  readonly db: MediaDb;
  /** The cached bytes of a file (marking it used), or null. */
  get(sha256: string): Promise<Blob | null>;
  /** Keep a file; older ones are evicted to stay within the budget. */
  put(sha256: string, blob: Blob, mimeType: string): Promise<void>;
  usage(): Promise<MediaUsage>;
  budget(): Promise<number>;
  /** A new budget (clamped to the allowed range); evicts at once if the cache is over it. */
  setBudget(bytes: number): Promise<number>;
  /** Drop every cached file (files waiting to be sent stay). */
  clear(): Promise<void>;
  keepOutgoing(file: OutgoingFile): Promise<void>;
  outgoing(clientId: string): Promise<OutgoingFile | undefined>;
  dropOutgoing(clientId: string): Promise<void>;
  close(): void;
}

export function clampBudget(bytes: number): number {
  if (!Number.isFinite(bytes)) return DEFAULT_MEDIA_BUDGET_BYTES;
  return Math.round(Math.min(MAX_MEDIA_BUDGET_BYTES, Math.max(MIN_MEDIA_BUDGET_BYTES, bytes)));
}

export function createMediaCache(db: MediaDb, now: () => number = Date.now): MediaCache {
  async function budget(): Promise<number> {
    const row = await db.meta.get('budget');
    return row ? clampBudget(row.value) : DEFAULT_MEDIA_BUDGET_BYTES;
  }

  /** Drop least recently used files until the total fits `limit`; `keep` is never dropped. */
  async function evict(limit: number, keep: string | null): Promise<void> {
    await db.transaction('rw', db.files, db.bytes, async () => {
      // Metadata rows only (the bytes are in their own table): cheap to read whole.
      const files = await db.files.orderBy('lastUsedAt').toArray();
      let total = files.reduce((sum, file) => sum + file.size, 0);
      const drop: string[] = [];
      for (const file of files) {
        if (total <= limit) break;
        if (file.sha256 === keep) continue;
        drop.push(file.sha256);
        total -= file.size;
      }
      if (drop.length === 0) return;
      await db.files.bulkDelete(drop);
      await db.bytes.bulkDelete(drop);
    });
  }

  return {
    db,
    async get(sha256) {
      const [file, bytes] = await Promise.all([db.files.get(sha256), db.bytes.get(sha256)]);
      if (!file || !bytes) return null;
      const at = now();
      if (at - file.lastUsedAt >= TOUCH_EVERY_MS) {
        await db.files.update(sha256, { lastUsedAt: at });
      }
      return bytes.blob;
    },
    async put(sha256, blob, mimeType) {
      const limit = await budget();
      // A file larger than the whole budget is shown, not kept (it would evict everything).
      if (blob.size > limit) return;
      await db.transaction('rw', db.files, db.bytes, async () => {
        await db.bytes.put({ sha256, blob });
        await db.files.put({ sha256, size: blob.size, mimeType, lastUsedAt: now() });
      });
      await evict(limit, sha256);
    },
    async usage() {
      let bytes = 0;
      let files = 0;
      await db.files.each((file) => {
        bytes += file.size;
        files += 1;
      });
      return { bytes, files, budget: await budget() };
    },
    budget,
    async setBudget(bytes) {
      const value = clampBudget(bytes);
      await db.meta.put({ key: 'budget', value });
      await evict(value, null);
      return value;
    },
    async clear() {
      await db.transaction('rw', db.files, db.bytes, async () => {
        await db.files.clear();
        await db.bytes.clear();
      });
    },
    keepOutgoing: async (file) => {
      await db.outgoing.put(file);
    },
    outgoing: (clientId) => db.outgoing.get(clientId),
    dropOutgoing: async (clientId) => {
      await db.outgoing.delete(clientId);
    },
    close: () => db.close(),
  };
}
