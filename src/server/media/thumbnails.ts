import sharp from 'sharp';
import type { Thumbnail } from '../../shared/domain/model';
import type { Queryable } from '../store/db';
import { sha256Of } from './store';

/**
 * Thumbnails of stored photos (issue #14): the timeline shows a small WebP instead of the whole
 * photo, the lightbox keeps the original. Made once per stored image (`media_thumbnails`, by the
 * original's hash), the bytes themselves content-addressed in `media_files` beside the original,
 * and served at `GET /api/media/<sha256>?size=thumb` (http/media.ts).
 *
 * sharp (libvips) decodes and encodes on libuv's thread pool, never on the event loop, so a
 * thumbnail costs ingestion nothing; a photo it cannot read gets no thumbnail (the reason kept
 * and logged) and its original is served as before.
 */

/** The long side of a thumbnail, in pixels (smaller photos keep their size). */
export const THUMBNAIL_MAX_PX = 480;
export const THUMBNAIL_MIME_TYPE = 'image/webp';

/** Photos decoded for a thumbnail; anything else (HEIC, SVG, TIFF, stickers) keeps its file. */
const THUMBNAILED = /^image\/(jpeg|png|webp|gif)$/;

/** A 50-megapixel photo is already more than a phone takes; larger ones are not decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

sharp.cache(false);

export interface MadeThumbnail {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

export const isThumbnailed = (mimeType: string): boolean => THUMBNAILED.test(mimeType);

/**
 * The thumbnail of a photo's bytes: EXIF orientation applied (and the metadata dropped: no
 * location leaves the original), at most `THUMBNAIL_MAX_PX` on the long side, WebP. Throws when
 * the bytes are not an image sharp can decode.
 */
export async function makeThumbnail(bytes: Buffer): Promise<MadeThumbnail> {
  const { data, info } = await sharp(bytes, {
    failOn: 'error',
    limitInputPixels: MAX_INPUT_PIXELS,
    autoOrient: true,
  })
    .resize({
      width: THUMBNAIL_MAX_PX,
      height: THUMBNAIL_MAX_PX,
      fit: 'inside',
      withoutEnlargement: true,
    })
    .webp({ quality: 78 })
    .toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/** What a photo's thumbnail pass came to: a thumbnail to store, or why there is none. */
export type ThumbnailOutcome =
  | { readonly ok: true; readonly made: MadeThumbnail }
  | { readonly ok: false; readonly reason: string };

interface ThumbnailRow {
  thumbnail_sha256: string | null;
  width: number | null;
  height: number | null;
  error: string | null;
}

const toThumbnail = (row: ThumbnailRow): Thumbnail | null =>
  row.thumbnail_sha256 === null
    ? null
    : {
        sha256: row.thumbnail_sha256,
        mimeType: THUMBNAIL_MIME_TYPE,
        width: Number(row.width),
        height: Number(row.height),
      };

/** The thumbnail already made for a stored file: a thumbnail, null (none can be), or undefined (never tried). */
export async function findThumbnail(
  q: Queryable,
  sha256: string,
): Promise<Thumbnail | null | undefined> {
  const { rows } = await q.query<ThumbnailRow>(
    'select thumbnail_sha256, width, height, error from media_thumbnails where sha256 = $1',
    [sha256],
  );
  return rows[0] ? toThumbnail(rows[0]) : undefined;
}

/** Make a photo's thumbnail off the event loop; a photo sharp cannot read answers why. */
export async function thumbnailOf(sha256: string, bytes: Buffer): Promise<ThumbnailOutcome> {
  try {
    return { ok: true, made: await makeThumbnail(bytes) };
  } catch (error) {
    const reason = `no thumbnail: ${error instanceof Error ? error.message : String(error)}`;
    console.warn(`hub: media ${sha256.slice(0, 12)}: ${reason}`);
    return { ok: false, reason };
  }
}

/**
 * Keep a thumbnail pass's outcome for a stored original (in the transaction that stores it):
 * the thumbnail's bytes once by their own hash, and the link from the original. A second pass
 * for the same original (two hubs, the same photo twice) keeps the first.
 */
export async function putThumbnail(
  q: Queryable,
  sha256: string,
  outcome: ThumbnailOutcome,
  at: number,
): Promise<Thumbnail | null> {
  let thumbnailSha: string | null = null;
  if (outcome.ok) {
    thumbnailSha = sha256Of(outcome.made.bytes);
    await q.query(
      `insert into media_files (sha256, bytes, mime_type, size, filename, created_at)
       values ($1, $2, $3, $4, null, $5)
       on conflict (sha256) do nothing`,
      [thumbnailSha, outcome.made.bytes, THUMBNAIL_MIME_TYPE, outcome.made.bytes.length, at],
    );
  }
  await q.query(
    `insert into media_thumbnails (sha256, thumbnail_sha256, width, height, error, created_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (sha256) do nothing`,
    [
      sha256,
      thumbnailSha,
      outcome.ok ? outcome.made.width : null,
      outcome.ok ? outcome.made.height : null,
      outcome.ok ? null : outcome.reason.slice(0, 500),
      at,
    ],
  );
  const kept = await findThumbnail(q, sha256);
  return kept ?? null;
}

/**
 * A stored photo's thumbnail, made now if it never was (an agent's upload): null when the file
 * is not a photo or cannot be decoded.
 */
export async function ensureThumbnail(
  q: Queryable,
  file: { readonly sha256: string; readonly mimeType: string; readonly bytes: Buffer },
  at: number,
): Promise<Thumbnail | null> {
  if (!isThumbnailed(file.mimeType)) return null;
  const known = await findThumbnail(q, file.sha256);
  if (known !== undefined) return known;
  return putThumbnail(q, file.sha256, await thumbnailOf(file.sha256, file.bytes), at);
}
