import type { SenderDeps } from '../connector';
import { downloadByUrl } from '../meta/media-io';
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
  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      if (!media.url)
        throw new ChannelMediaError('The message names no KakaoTalk file URL.', false, 'no_url');
      const { bytes, contentType } = await downloadByUrl({
        fetch: fetchImpl,
        url: media.url,
        signal,
        maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY,
        scrub: kakaoScrubber(settings(), 500),
        server: 'the KakaoTalk file server',
        platform: 'KakaoTalk',
        gone: (status) => `KakaoTalk no longer has this file (HTTP ${status}).`,
      });
      const mimeType = media.mimeType ?? contentType ?? 'application/octet-stream';
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
