import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import { settingOf, type SenderDeps } from '../connector';
import { readCapped } from '../meta/media-io';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { scrubber, transportDetail } from './client';
import { mp4DurationMs } from './mp4';
import { DEFAULT_LINE_DATA_API_URL, baseOf } from './settings';

/**
 * LINE files (CHANNEL-API.md §5.3–5.4):
 *
 * - download: what the customer sent through LINE (`contentProvider.type: "line"`) is
 *   `GET {data API}/v2/bot/message/{messageId}/content` with the token; videos and audio are first
 *   checked at `…/content/transcoding` (`processing` → retried later). An external file
 *   (`contentProvider.type: "external"`) and a sticker's image are fetched from their URL,
 *   without the token. LINE deletes content after a while: a 404 is final.
 * - upload: LINE takes files by HTTPS URL only, so the hub publishes the file
 *   (`deps.publishFile`, which throws `no_public_url` when the hub has no public address) and
 *   its URL is the "channel media id" the sender puts in the message. Bots cannot send files.
 */

const transcodingSchema = z.object({ status: z.enum(['processing', 'succeeded', 'failed']) });

/** How an audio file's length rides on its channel media id (`<url>#line-duration=<ms>`). */
export const DURATION_MARK = '#line-duration=';

export const FILES_REFUSED = 'LINE bots cannot send files; send a link instead.';

export function createLineMedia(deps: SenderDeps): ChannelMedia {
  const fetchImpl = deps.fetch ?? fetch;
  const retryable = (status: number): boolean => status === 429 || status === 408 || status >= 500;
  const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
    new ChannelMediaError(
      `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over LINE's ${formatBytes(maxBytes)} for its kind; it was not downloaded.`,
      false,
      'too_large',
    );

  async function get(url: string, signal: AbortSignal, token: string | null): Promise<Response> {
    try {
      return await fetchImpl(url, {
        method: 'GET',
        signal,
        headers: token === null ? {} : { Authorization: `Bearer ${token}` },
      });
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
        throw error;
      const scrub = scrubber(deps.settings());
      throw new ChannelMediaError(
        scrub(`Could not reach LINE (${transportDetail(error)}); will retry.`),
        true,
        'network_error',
      );
    }
  }

  function refused(status: number, external: boolean): ChannelMediaError {
    if (retryable(status))
      return new ChannelMediaError(
        `LINE could not hand over the file now (HTTP ${status}); will retry.`,
        true,
        `http_${status}`,
      );
    if (status === 404)
      return new ChannelMediaError(
        external
          ? 'The file is no longer at its address (HTTP 404).'
          : 'LINE no longer has this file: its content expired (HTTP 404).',
        false,
        'http_404',
      );
    if (status === 401)
      return new ChannelMediaError(
        'LINE refused the channel access token (HTTP 401); save a new one on the Channels page.',
        false,
        'http_401',
      );
    return new ChannelMediaError(
      `LINE refused the download (HTTP ${status}).`,
      false,
      `http_${status}`,
    );
  }

  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
      const settings = deps.settings();
      const external = media.url !== undefined && media.url !== '';
      let response: Response;
      if (external) {
        response = await get(media.url as string, signal, null);
      } else {
        if (!/^[0-9A-Za-z_-]{1,100}$/.test(media.mediaId))
          throw new ChannelMediaError(
            'The message names no LINE content id.',
            false,
            'no_media_id',
          );
        const token = settingOf(settings, 'channelAccessToken');
        const base = `${baseOf(settingOf(settings, 'dataApiUrl') || DEFAULT_LINE_DATA_API_URL)}/v2/bot/message/${media.mediaId}/content`;
        if (/^(video|audio)\//.test(media.mimeType ?? '')) {
          const check = await get(`${base}/transcoding`, signal, token);
          if (!check.ok) throw refused(check.status, false);
          const state = transcodingSchema.safeParse(await check.json().catch(() => null));
          if (!state.success)
            throw new ChannelMediaError(
              'LINE answered the transcoding check without a status; will retry.',
              true,
              'bad_response',
            );
          if (state.data.status === 'processing')
            throw new ChannelMediaError(
              'LINE is still preparing the file; will retry.',
              true,
              'processing',
            );
          if (state.data.status === 'failed')
            throw new ChannelMediaError(
              'LINE could not prepare the file (transcoding failed).',
              false,
              'transcoding_failed',
            );
        }
        response = await get(base, signal, token);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw refused(response.status, external);
      }
      const bytes = await readCapped(response, maxBytes, tooLarge);
      const mimeType =
        response.headers.get('content-type')?.split(';')[0]?.trim() ||
        media.mimeType ||
        'application/octet-stream';
      return { bytes, mimeType, ...(media.filename ? { filename: media.filename } : {}) };
    },

    async upload(file) {
      if (!/^(image|video|audio)\//.test(file.mimeType))
        throw new ChannelMediaError(FILES_REFUSED, false, 'file_not_supported');
      if (!deps.publishFile)
        throw new ChannelMediaError(
          'LINE takes files by HTTPS URL only, and this hub cannot publish files (no public address).',
          false,
          'no_public_url',
        );
      // Errors (no public URL) go through as they are: the queue shows them to the agent.
      const url = await deps.publishFile(file);
      // LINE's audio messages state their length: measured here (MP4 / M4A), carried to the
      // sender after the URL's `#`, which the sender takes off again.
      const durationMs = file.mimeType.startsWith('audio/') ? mp4DurationMs(file.bytes) : null;
      return { channelMediaId: durationMs === null ? url : `${url}${DURATION_MARK}${durationMs}` };
    },
  };
}
