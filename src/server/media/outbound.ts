import type { ChannelKind } from '../../shared/domain/channels';
import { CHANNEL_INFO } from '../../shared/domain/channels';
import type { MessageContent } from '../../shared/domain/model';
import { ChannelMediaError, type ChannelMedia, type SendResult } from '../channels/types';
import type { Db } from '../store/db';
import { findChannelUpload, readMediaBytes, rememberChannelUpload } from './store';

type Failure = Extract<SendResult, { ok: false }>;
type FileContent = Extract<MessageContent, { type: 'image' | 'video' | 'audio' | 'document' }>;

/** How long one upload to a channel may take (default). */
export const DEFAULT_UPLOAD_TIMEOUT_MS = 60_000;

/** An agent's file stored at the hub (`POST /api/media`), addressed by its sha256. */
export function hubFileOf(content: MessageContent): FileContent | null {
  if (!['image', 'video', 'audio', 'document'].includes(content.type)) return null;
  const { media } = content as FileContent;
  return media.sha256 !== undefined &&
    /^[0-9a-f]{64}$/.test(media.sha256) &&
    media.mediaId === media.sha256
    ? (content as FileContent)
    : null;
}

export interface QueuedFile {
  readonly messageId: string;
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The channel's id this row's send already uses (`outbound_queue.channel_media_id`). */
  readonly channelMediaId: string | null;
}

/**
 * The channel's id for a queued file (issue #14 item 6): the queue row's, else the one this file
 * got on this account before (within the channel's lifetime for it), else a new upload,
 * remembered on both in a committed transaction before the send. An upload that succeeded is so
 * never repeated when the send is retried; one that failed or timed out is tried again (a second
 * upload sends nothing to the customer).
 */
export async function channelMediaIdFor(
  db: Db,
  media: ChannelMedia,
  row: QueuedFile,
  content: FileContent,
  now: () => number,
  timeoutMs = DEFAULT_UPLOAD_TIMEOUT_MS,
): Promise<{ ok: true; id: string } | Failure> {
  if (row.channelMediaId) return { ok: true, id: row.channelMediaId };
  const sha256 = content.media.sha256 as string;
  const key = { sha256, channel: row.channel, channelAccountId: row.channelAccountId };
  const known = await findChannelUpload(db, key, now());
  if (known) {
    await db.query('update outbound_queue set channel_media_id = $2 where message_id = $1', [
      row.messageId,
      known,
    ]);
    return { ok: true, id: known };
  }
  const bytes = await readMediaBytes(db, sha256);
  if (!bytes) {
    return {
      ok: false,
      retryable: false,
      code: 'media_missing',
      reason: 'The file is no longer at the hub; attach it again.',
    };
  }
  const name = CHANNEL_INFO[row.channel].label;
  let uploaded: string;
  try {
    uploaded = (
      await media.upload(
        {
          bytes,
          mimeType: content.media.mimeType ?? 'application/octet-stream',
          filename: content.media.filename ?? 'file',
        },
        row.channelAccountId,
        AbortSignal.timeout(timeoutMs),
      )
    ).channelMediaId;
  } catch (error) {
    if (error instanceof ChannelMediaError) {
      return {
        ok: false,
        retryable: error.retryable,
        code: error.code,
        reason: `Uploading the file to ${name} failed: ${error.message}`,
      };
    }
    const timedOut =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      ok: false,
      retryable: true,
      code: timedOut ? 'upload_timeout' : 'upload_failed',
      reason: timedOut
        ? `${name} did not take the file within ${Math.round(timeoutMs / 1000)} s; will retry.`
        : `Uploading the file to ${name} failed (${error instanceof Error ? error.message : String(error)}); will retry.`,
    };
  }
  const at = now();
  await db.transaction(async (tx) => {
    await rememberChannelUpload(tx, key, uploaded, at);
    await tx.query('update outbound_queue set channel_media_id = $2 where message_id = $1', [
      row.messageId,
      uploaded,
    ]);
  });
  return { ok: true, id: uploaded };
}

/** The content as the channel is sent it: the file by the channel's id. */
export const withChannelMedia = (content: FileContent, channelMediaId: string): FileContent => ({
  ...content,
  media: { ...content.media, mediaId: channelMediaId },
});
