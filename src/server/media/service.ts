import { CHANNEL_INFO, type ChannelKind } from '../../shared/domain/channels';
import type { Attachment, MessageContent } from '../../shared/domain/model';
import { checkUpload, type MediaKindLimit, type UploadCheck } from '../../shared/media/limits';
import type { OutgoingMediaContent } from '../../shared/protocol/commands';
import { sanitizeValue } from '../../shared/templates';
import { badRequest, HttpError, notFound } from '../http/errors';
import type { Db, Queryable } from '../store/db';
import { matchesDeclaredType } from './sniff';
import {
  getMediaFile,
  putMediaFile,
  readServedFile,
  readServedThumbnail,
  type MediaFile,
} from './store';
import { ensureThumbnail, findThumbnail, isThumbnailed } from './thumbnails';

/**
 * The media service: what the routes (`http/media.ts`) and the send command ask of files. The
 * store below keeps the bytes (`media/store.ts`); the download worker and the outbound queue's
 * upload are `media/downloads.ts` and `media/outbound.ts`.
 */

/** A refusal naming the channel's limit: 413 too large, 415 a type it does not take. */
function refusalOf(check: Extract<UploadCheck, { ok: false }>): HttpError {
  const { limit } = check;
  return new HttpError(check.status, check.code, check.reason, {
    limit: limit
      ? { kind: limit.kind, maxBytes: limit.maxBytes, mimeTypes: limit.mimeTypes }
      : null,
  });
}

/** The limit a file is sent under on the channel, or the refusal naming it. */
export function sendableLimit(
  channel: ChannelKind,
  mimeType: string,
  size: number,
): MediaKindLimit {
  const check = checkUpload(channel, mimeType, size);
  if (!check.ok) throw refusalOf(check);
  return check.limit;
}

/**
 * 415 when a file's first bytes are not the type it claims (`media/sniff.ts`); the route checks
 * them as they arrive, before the rest of the upload is read.
 */
export function checkFileType(bytes: Buffer, mimeType: string): void {
  if (!matchesDeclaredType(bytes, mimeType))
    throw new HttpError(
      415,
      'unsupported_media_type',
      `The file's bytes are not ${mimeType}: its content does not match its type.`,
      { limit: null },
    );
}

export interface AcceptedUpload extends MediaFile {
  readonly created: boolean;
}

/**
 * `POST /api/media`: the headers were checked against the channel's limits before the body was
 * read (the route); now the bytes — their real size, and first bytes that match the type — and
 * the file is stored once per hash. Nothing reaches the channel here: the outbound queue uploads
 * it when a send names it.
 */
export async function acceptUpload(
  db: Db,
  channel: ChannelKind,
  file: { readonly bytes: Buffer; readonly mimeType: string; readonly filename: string },
  at: number,
): Promise<AcceptedUpload> {
  sendableLimit(channel, file.mimeType, file.bytes.length);
  if (file.bytes.length === 0) throw badRequest('The file is empty.');
  checkFileType(file.bytes, file.mimeType);
  const stored = await putMediaFile(db, file, at);
  // The thumbnail the sent message shows in the timeline, made before the send names the file.
  await ensureThumbnail(
    db,
    { sha256: stored.sha256, mimeType: file.mimeType, bytes: file.bytes },
    at,
  );
  return { ...stored, filename: file.filename, mimeType: file.mimeType };
}

/** `GET /api/media/<sha256>`: the file of one of this hub's messages, or 404. */
export async function serveFile(
  db: Db,
  sha256: string,
): Promise<MediaFile & { readonly bytes: Buffer }> {
  const file = await readServedFile(db, sha256);
  if (!file) throw notFound(`No file ${sha256} in this workspace.`);
  return file;
}

/** `GET /api/media/<sha256>?size=thumb`: the thumbnail of one of this hub's photos, or 404. */
export async function serveThumbnail(
  db: Db,
  sha256: string,
): Promise<MediaFile & { readonly bytes: Buffer }> {
  const thumbnail = await readServedThumbnail(db, sha256);
  if (!thumbnail) throw notFound(`No thumbnail of a file ${sha256} in this workspace.`);
  return thumbnail;
}

/**
 * The send command's media variant, checked in the command's transaction: the file was uploaded
 * (`POST /api/media`), its type and size fit the conversation's channel, it is sent as the kind
 * the channel takes it as, and a caption only where the channel takes one. The message keeps the
 * file's address; the outbound queue swaps in the channel's id when it sends.
 */
export async function outgoingFile(
  tx: Queryable,
  channel: ChannelKind,
  content: OutgoingMediaContent,
): Promise<{ content: MessageContent; attachment: Attachment }> {
  const { media } = content;
  const file = await getMediaFile(tx, media.sha256);
  if (!file) throw notFound(`No file ${media.sha256}: upload it with POST /api/media first.`);
  const limit = sendableLimit(channel, file.mimeType, file.size);
  const name = CHANNEL_INFO[channel].label;
  if (limit.kind !== content.type) {
    throw badRequest(
      `${name} sends a ${file.mimeType} file as ${limit.kind}, not ${content.type}.`,
    );
  }
  const caption = media.caption === undefined ? undefined : sanitizeValue(media.caption);
  if (caption !== undefined && !limit.caption) {
    throw badRequest(
      `${name} takes no caption with ${limit.kind === 'audio' ? 'audio' : `${limit.kind}s`}; send the text as its own message.`,
    );
  }
  const filename = sanitizeValue(media.filename);
  const thumbnail = isThumbnailed(file.mimeType)
    ? { thumbnail: (await findThumbnail(tx, file.sha256)) ?? null }
    : {};
  return {
    content: {
      type: content.type,
      media: {
        mediaId: file.sha256,
        sha256: file.sha256,
        mimeType: file.mimeType,
        filename,
        ...(caption === undefined ? {} : { caption }),
      },
    },
    attachment: {
      state: 'ready',
      sha256: file.sha256,
      mimeType: file.mimeType,
      size: file.size,
      filename,
      error: null,
      ...thumbnail,
    },
  };
}

/**
 * A quick reply's file: uploaded (404 otherwise) and taken by every channel the reply is for
 * (413/415 naming the channel's limit otherwise), so choosing the reply never fails later.
 */
export async function checkTemplateFile<
  A extends { readonly sha256: string; readonly filename: string },
>(
  tx: Queryable,
  attachment: A | null,
  channels: readonly ChannelKind[],
): Promise<(A & { size: number }) | null> {
  if (attachment === null) return null;
  const file = await getMediaFile(tx, attachment.sha256);
  if (!file) {
    throw notFound(
      `No file ${attachment.sha256} (${attachment.filename}) on this hub: upload it with POST /api/media first.`,
    );
  }
  for (const channel of channels) sendableLimit(channel, file.mimeType, file.size);
  // The size is the stored file's, whatever the caller said.
  return { ...attachment, size: file.size };
}
