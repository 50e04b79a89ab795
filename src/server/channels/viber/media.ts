import { formatBytes } from '../../../shared/media/limits';
import type { SenderDeps } from '../connector';
import { downloadByUrl } from '../meta/media-io';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { scrubber } from './api';

/**
 * Viber files (CHANNEL-API.md §6.3–6.4):
 *
 * - download: an inbound `message.media` is a direct URL on Viber's CDN, no auth; its expiry is
 *   unconfirmed, so the hub fetches it when the message arrives. 403/404 are final (expired),
 *   429/5xx and broken connections retried.
 * - upload: Viber takes files by URL only, so the hub publishes the file (`publishFile`, which
 *   throws `no_public_url` when the hub has no public address: passed through) and the channel's
 *   "media id" is `<size>|<url>`: `video` and `file` sends must state the size.
 */

/** Limits for sending [partner, Infobip; CHANNEL-API.md §6.3]. */
export const VIBER_SEND_LIMITS = [
  {
    kind: 'picture',
    test: (mime: string) => mime.startsWith('image/'),
    types: ['image/jpeg', 'image/png', 'image/gif'],
    typesText: 'JPEG, PNG or GIF',
    maxBytes: 1024 * 1024,
  },
  {
    kind: 'video',
    test: (mime: string) => mime.startsWith('video/'),
    types: ['video/mp4'],
    typesText: 'MP4',
    maxBytes: 26 * 1024 * 1024,
  },
  {
    kind: 'file',
    test: () => true,
    types: null,
    typesText: '',
    maxBytes: 50 * 1024 * 1024,
  },
] as const;

/** `<size>|<url>` → its parts; a bare http(s) URL (a file on the web) has no known size. */
export function parseViberMediaId(
  mediaId: string,
  url?: string,
): { readonly url: string; readonly size: number | null } | null {
  const match = /^(\d{1,12})\|(https?:\/\/\S+)$/.exec(mediaId);
  if (match) return { size: Number(match[1]), url: match[2] as string };
  if (/^https?:\/\/\S+$/.test(mediaId)) return { size: null, url: mediaId };
  if (url && /^https?:\/\/\S+$/.test(url)) return { size: null, url };
  return null;
}

export function createViberMedia({
  settings,
  fetch: fetchImpl = fetch,
  publishFile,
}: SenderDeps): ChannelMedia {
  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      if (!media.url)
        throw new ChannelMediaError('The message names no Viber file URL.', false, 'no_url');
      const { bytes, contentType } = await downloadByUrl({
        fetch: fetchImpl,
        url: media.url,
        signal,
        maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY,
        scrub: scrubber(settings(), 500),
        server: "Viber's file server",
        platform: 'Viber',
        gone: (status) => `Viber no longer has this file: its link expired (HTTP ${status}).`,
      });
      const mimeType = media.mimeType ?? contentType ?? 'application/octet-stream';
      return { bytes, mimeType, ...(media.filename ? { filename: media.filename } : {}) };
    },

    async upload(file) {
      const mime = file.mimeType.toLowerCase();
      const limit = VIBER_SEND_LIMITS.find((l) => l.test(mime)) ?? VIBER_SEND_LIMITS[2];
      if (limit.types && !(limit.types as readonly string[]).includes(mime)) {
        throw new ChannelMediaError(
          `Viber sends ${limit.kind}s only as ${limit.typesText}; this one is ${file.mimeType}.`,
          false,
          'unsupported_type',
        );
      }
      if (file.bytes.length > limit.maxBytes) {
        throw new ChannelMediaError(
          `Viber takes ${limit.kind}s up to ${formatBytes(limit.maxBytes)}; this one is ${formatBytes(file.bytes.length)}.`,
          false,
          'too_large',
        );
      }
      if (limit.kind === 'file' && file.filename.length > 256) {
        throw new ChannelMediaError(
          `Viber takes file names up to 256 characters; this one has ${file.filename.length}.`,
          false,
          'filename_too_long',
        );
      }
      if (!publishFile) {
        throw new ChannelMediaError(
          'Viber takes files by URL only, and this hub cannot publish files (no public URL).',
          false,
          'no_public_url',
        );
      }
      const url = await publishFile(file);
      return { channelMediaId: `${file.bytes.length}|${url}` };
    },
  };
}
