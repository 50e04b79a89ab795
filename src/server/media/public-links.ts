import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import { ChannelMediaError } from '../channels/types';
import { putMediaFile, readMediaBytes } from './store';

/**
 * Public links to files (issue #15): LINE and Viber fetch the media of a message from an HTTPS
 * URL instead of taking an upload, so the hub serves the file at
 * `<REPLYDESK_PUBLIC_URL>/media/public/<token>/<name>`. The token is 32 random bytes (nothing
 * about the file can be guessed from it), stored with the file's hash, and the link stops working
 * when it expires: long enough for the platform to fetch it and for the customer's app to load it
 * again later (LINE and Viber re-fetch from their own caches; 30 days covers their retention).
 */
export const PUBLIC_LINK_TTL_MS = 30 * 24 * 3_600_000;

export interface PublicFile {
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly filename: string;
}

export interface PublicLinks {
  /** A link that serves the file (stored at the hub first if it is not there yet). */
  publish(file: PublicFile): Promise<string>;
  /** The file a link serves, or null when unknown or expired. */
  resolve(token: string): Promise<PublicFile | null>;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function createPublicLinks(options: {
  readonly db: Db;
  readonly now: () => number;
  /** The hub's public HTTPS address (`REPLYDESK_PUBLIC_URL`), or null when it has none. */
  readonly publicUrl: () => string | null;
}): PublicLinks {
  const { db, now } = options;
  return {
    async publish(file) {
      const publicUrl = options.publicUrl();
      if (publicUrl === null)
        throw new ChannelMediaError(
          'This channel fetches files from a link, and the hub has no public address: set REPLYDESK_PUBLIC_URL to the HTTPS address the platform reaches the hub at.',
          false,
          'no_public_url',
        );
      const at = now();
      const token = randomBytes(32).toString('base64url');
      await db.transaction(async (tx) => {
        const stored = await putMediaFile(tx, { ...file, filename: file.filename }, at);
        await tx.query(
          `insert into public_file_links (token, sha256, mime_type, filename, created_at, expires_at)
           values ($1, $2, $3, $4, $5, $6)`,
          [token, stored.sha256, file.mimeType, file.filename, at, at + PUBLIC_LINK_TTL_MS],
        );
        // Expired links go as new ones are made: the table stays the size of a month's sends.
        await tx.query('delete from public_file_links where expires_at <= $1', [at]);
      });
      const name = encodeURIComponent(file.filename.replace(/[/\\]/g, '_') || 'file');
      return `${publicUrl.replace(/\/+$/, '')}/media/public/${token}/${name}`;
    },
    async resolve(token) {
      if (!TOKEN.test(token)) return null;
      const { rows } = await db.query<{ sha256: string; mime_type: string; filename: string }>(
        'select sha256, mime_type, filename from public_file_links where token = $1 and expires_at > $2',
        [token, now()],
      );
      const row = rows[0];
      if (!row) return null;
      const bytes = await readMediaBytes(db, row.sha256);
      return bytes ? { bytes, mimeType: row.mime_type, filename: row.filename } : null;
    },
  };
}
