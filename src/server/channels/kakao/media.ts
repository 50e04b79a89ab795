import { formatBytes } from '../../../shared/media/limits';
import type { SenderDeps } from '../connector';
import { mediaUnreachable } from '../fetch-errors';
import { readCapped } from '../meta/media-io';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { dealerOf } from './dealers';
import { IMAGE_TYPES } from './happytalk';
import { kakaoScrubber } from './settings';

/**
 * KakaoTalk files. Inbound: the dealer's webhook names each file by URL (assumed: a plain GET,
 * no credentials; see happytalk.ts), fetched when the message arrives. Outbound: uploaded through
 * the dealer's upload API first (Kakao's servers take files only so), and sent by the URL it
 * answers, which is the file's channel media id. The dealer checks the limits (5 MB images as
 * JPEG, PNG or GIF; 300 MB files) before anything is uploaded.
 */

export const DEFAULT_UPLOAD_TIMEOUT_MS = 60_000;

export function createKakaoMedia({
  settings,
  fetch: fetchImpl = fetch,
  timeoutMs,
}: SenderDeps): ChannelMedia {
  const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
    new ChannelMediaError(
      `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over the ${formatBytes(maxBytes)} allowed for its kind; it was not downloaded.`,
      false,
      'too_large',
    );

  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      if (!media.url)
        throw new ChannelMediaError('The message names no KakaoTalk file URL.', false, 'no_url');
      const scrub = kakaoScrubber(settings(), 500);
      let response: Response;
      try {
        response = await fetchImpl(media.url, { method: 'GET', signal });
      } catch (error) {
        mediaUnreachable('the KakaoTalk file server', error, scrub);
      }
      if (!response.ok) {
        await response.body?.cancel();
        const retryable =
          response.status === 429 || response.status === 408 || response.status >= 500;
        throw new ChannelMediaError(
          retryable
            ? `KakaoTalk could not hand over the file now (HTTP ${response.status}); will retry.`
            : `KakaoTalk no longer has this file (HTTP ${response.status}).`,
          retryable,
          `http_${response.status}`,
        );
      }
      const bytes = await readCapped(
        response,
        options.maxBytes ?? Number.POSITIVE_INFINITY,
        tooLarge,
      );
      const mimeType =
        media.mimeType ??
        response.headers.get('content-type')?.split(';')[0]?.trim() ??
        'application/octet-stream';
      return { bytes, mimeType, ...(media.filename ? { filename: media.filename } : {}) };
    },

    async upload(file, _account, signal) {
      const current = settings();
      const kind = (IMAGE_TYPES as readonly string[]).includes(file.mimeType.toLowerCase())
        ? 'image'
        : 'file';
      const url = await dealerOf(current).upload(file, kind, {
        settings: current,
        fetch: fetchImpl,
        timeoutMs: timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS,
        signal,
      });
      return { channelMediaId: url };
    },
  };
}
