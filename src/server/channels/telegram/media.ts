import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import type { SenderDeps } from '../connector';
import { readCapped } from '../meta/media-io';
import { mediaUnreachable } from '../fetch-errors';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { callBotApi, type BotApiAnswer } from './bot-api';
import { fileUrl, scrubber } from './settings';

/**
 * Telegram files (CHANNEL-API.md §4.3–4.4):
 *
 * - download: `getFile {file_id}` → `{file_path, file_size?}`, then
 *   `GET <api>/file/bot<token>/<file_path>`. Bots may download up to 20 MB: a larger file is
 *   refused (`too_large`) from getFile's size, or while reading, before more is fetched. The
 *   name and type come from the message (`document.file_name`, `mime_type`): getFile may lose them.
 * - upload: there is none. Telegram takes the bytes in the send request (`inline`: the queue
 *   hands them to the sender, which answers the `file_id` for reuse).
 *
 * The token is in both URLs' paths: it is scrubbed from every error.
 */

/** The Bot API's download limit for bots (the local Bot API server lifts it). */
export const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

const fileAnswerSchema = z.object({
  file_id: z.string(),
  file_size: z.number().int().nonnegative().optional(),
  file_path: z.string().min(1).max(1000).optional(),
});

const EXTENSION_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
  webm: 'video/webm',
  tgs: 'application/x-tgsticker',
  pdf: 'application/pdf',
};

export function createTelegramMedia({
  settings,
  fetch: fetchImpl = fetch,
}: SenderDeps): ChannelMedia {
  const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
    new ChannelMediaError(
      `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over the ${formatBytes(maxBytes)} a Telegram bot may download; it was not downloaded.`,
      false,
      'too_large',
    );
  const retryable = (status: number): boolean => status === 429 || status === 408 || status >= 500;

  /** A connection that failed: retried (an abort by the hub's own timeout is passed on). */
  function unreachable(error: unknown, scrub: (t: string) => string): never {
    return mediaUnreachable('Telegram', error, scrub);
  }

  return {
    inline: true,

    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      const s = settings();
      const scrub = scrubber(s, 500);
      const maxBytes = Math.min(options.maxBytes ?? BOT_DOWNLOAD_LIMIT, BOT_DOWNLOAD_LIMIT);
      let answer: BotApiAnswer;
      try {
        answer = await callBotApi(
          s,
          'getFile',
          { file_id: media.mediaId },
          { fetch: fetchImpl, signal },
        );
      } catch (error) {
        unreachable(error, scrub);
      }
      if (!answer.ok) {
        const description = scrub(answer.error?.description ?? '');
        if (/file is too big/i.test(description))
          throw new ChannelMediaError(
            `The file is over the ${formatBytes(BOT_DOWNLOAD_LIMIT)} a Telegram bot may download; it was not downloaded.`,
            false,
            'too_large',
          );
        const status = answer.error?.error_code ?? answer.status;
        throw new ChannelMediaError(
          retryable(status)
            ? `Telegram could not hand over the file now (HTTP ${status}); will retry.`
            : `Telegram refused the file${description ? `: ${description}` : ` (HTTP ${status})`}.`,
          retryable(status),
          `http_${status}`,
        );
      }
      const file = fileAnswerSchema.safeParse(answer.result);
      if (!file.success || file.data.file_path === undefined)
        throw new ChannelMediaError(
          'Telegram answered getFile without a file path; will retry.',
          true,
          'bad_response',
        );
      const { file_path: filePath, file_size: size } = file.data;
      if (size !== undefined && size > maxBytes) throw tooLarge(size, maxBytes);
      let response: Response;
      try {
        response = await fetchImpl(fileUrl(s, filePath), { method: 'GET', signal });
      } catch (error) {
        unreachable(error, scrub);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ChannelMediaError(
          retryable(response.status)
            ? `Telegram could not hand over the file now (HTTP ${response.status}); will retry.`
            : `Telegram no longer has this file (HTTP ${response.status}).`,
          retryable(response.status),
          `http_${response.status}`,
        );
      }
      const bytes = await readCapped(response, maxBytes, tooLarge);
      const extension = filePath.split('.').pop()?.toLowerCase() ?? '';
      const mimeType =
        media.mimeType ??
        EXTENSION_TYPES[extension] ??
        response.headers.get('content-type')?.split(';')[0]?.trim() ??
        'application/octet-stream';
      return { bytes, mimeType, ...(media.filename ? { filename: media.filename } : {}) };
    },

    upload() {
      return Promise.reject(
        new ChannelMediaError(
          'Telegram takes files in the send request itself; there is nothing to upload first.',
          false,
          'inline_only',
        ),
      );
    },
  };
}
