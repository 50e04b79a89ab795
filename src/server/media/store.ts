import { createHash } from 'node:crypto';
import type { Queryable } from '../store/db';

/** A stored file, without its bytes. */
export interface MediaFile {
  readonly sha256: string;
  readonly mimeType: string;
  readonly size: number;
  readonly filename: string | null;
}

interface FileRow {
  sha256: string;
  mime_type: string;
  size: number | string;
  filename: string | null;
  hex?: string;
}

/**
 * Bytes go in as a bytea parameter (binary on both stores: `store/pglite-session.ts` passes them
 * as they are) and come out as hex text (`encode(bytes, 'hex')`, Node's codec): PGlite's own
 * bytea row parser runs in JavaScript byte by byte (about 90 ms for 1 MB, against 5–10 ms).
 */
const fromHex = (hex: string): Buffer => Buffer.from(hex, 'hex');

const toFile = (row: FileRow): MediaFile => ({
  sha256: row.sha256,
  mimeType: row.mime_type,
  size: Number(row.size),
  filename: row.filename,
});

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Store a file once per hash: a second copy of the same bytes (another customer forwarding the
 * same photo, an agent uploading it twice) answers the file already stored.
 */
export async function putMediaFile(
  q: Queryable,
  file: {
    readonly bytes: Buffer;
    readonly mimeType: string;
    readonly filename: string | null;
    /** The bytes' hash when the caller has it already (hashing 1 MB costs ~3 ms of the loop). */
    readonly sha256?: string;
  },
  at: number,
): Promise<MediaFile & { readonly created: boolean }> {
  const sha256 = file.sha256 ?? sha256Of(file.bytes);
  const inserted = await q.query<FileRow>(
    `insert into media_files (sha256, bytes, mime_type, size, filename, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (sha256) do nothing
     returning sha256, mime_type, size, filename`,
    [sha256, file.bytes, file.mimeType, file.bytes.length, file.filename, at],
  );
  if (inserted.rows[0]) return { ...toFile(inserted.rows[0]), created: true };
  const existing = await getMediaFile(q, sha256);
  if (!existing) throw new Error(`media file ${sha256} vanished after a conflict`);
  return { ...existing, created: false };
}

export async function getMediaFile(q: Queryable, sha256: string): Promise<MediaFile | null> {
  const { rows } = await q.query<FileRow>(
    'select sha256, mime_type, size, filename from media_files where sha256 = $1',
    [sha256],
  );
  return rows[0] ? toFile(rows[0]) : null;
}

const withBytes = (row: FileRow | undefined): (MediaFile & { readonly bytes: Buffer }) | null =>
  row?.hex === undefined ? null : { ...toFile(row), bytes: fromHex(row.hex) };

/** SQL: a message or a live quick reply of this hub references the file whose hash is `column`. */
const servedHere = (column: string): string => `(exists (select 1 from messages m
         where m.attachment is not null and m.attachment->>'sha256' = ${column})
       or exists (select 1 from templates t
         where not t.deleted and t.attachment->>'sha256' = ${column}))`;

/**
 * A file with its bytes, only when a message or a quick reply of this hub references it: the hub
 * serves the files of its own workspace, nothing else that happens to be in the table.
 */
export async function readServedFile(
  q: Queryable,
  sha256: string,
): Promise<(MediaFile & { readonly bytes: Buffer }) | null> {
  const { rows } = await q.query<FileRow>(
    `select f.sha256, f.mime_type, f.size, f.filename, encode(f.bytes, 'hex') as hex
     from media_files f
     where f.sha256 = $1 and ${servedHere('f.sha256')}`,
    [sha256],
  );
  return withBytes(rows[0]);
}

/**
 * The thumbnail of a file of this hub's messages (the same rule as `readServedFile`), with its
 * bytes: null when the file is not this hub's or has no thumbnail.
 */
export async function readServedThumbnail(
  q: Queryable,
  sha256: string,
): Promise<(MediaFile & { readonly bytes: Buffer }) | null> {
  const { rows } = await q.query<FileRow>(
    `select f.sha256, f.mime_type, f.size, f.filename, encode(f.bytes, 'hex') as hex
     from media_thumbnails n
     join media_files f on f.sha256 = n.thumbnail_sha256
     where n.sha256 = $1 and ${servedHere('n.sha256')}`,
    [sha256],
  );
  return withBytes(rows[0]);
}

export async function readMediaBytes(q: Queryable, sha256: string): Promise<Buffer | null> {
  const { rows } = await q.query<{ hex: string }>(
    `select encode(bytes, 'hex') as hex from media_files where sha256 = $1`,
    [sha256],
  );
  return rows[0] ? fromHex(rows[0].hex) : null;
}

/** WhatsApp keeps uploaded media 30 days; an id older than this is uploaded again. */
export const UPLOAD_REUSE_MS = 29 * 24 * 60 * 60_000;

export async function findChannelUpload(
  q: Queryable,
  key: { sha256: string; channel: string; channelAccountId: string },
  at: number,
): Promise<string | null> {
  const { rows } = await q.query<{ channel_media_id: string }>(
    `select channel_media_id from media_uploads
     where sha256 = $1 and channel = $2 and channel_account_id = $3 and uploaded_at > $4`,
    [key.sha256, key.channel, key.channelAccountId, at - UPLOAD_REUSE_MS],
  );
  return rows[0]?.channel_media_id ?? null;
}

export async function rememberChannelUpload(
  q: Queryable,
  key: { sha256: string; channel: string; channelAccountId: string },
  channelMediaId: string,
  at: number,
): Promise<void> {
  await q.query(
    `insert into media_uploads (sha256, channel, channel_account_id, channel_media_id, uploaded_at)
     values ($1, $2, $3, $4, $5)
     on conflict (sha256, channel, channel_account_id)
     do update set channel_media_id = excluded.channel_media_id, uploaded_at = excluded.uploaded_at`,
    [key.sha256, key.channel, key.channelAccountId, channelMediaId, at],
  );
}
