import { settingOf, type SenderDeps } from '../../connector';
import { downloadByUrl } from '../../meta/media-io';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../../types';
import { smsScrubber, vonageApiBase } from '../settings';
import { vonageApplicationJwt, vonagePrivateKey } from './sender';

/**
 * Pictures customers send by MMS through Vonage (US/CA): the inbound callback names the file by
 * a URL on Vonage's media server (`image.url`, `https://api-us.nexmo.com/v3/media/<id>`). When the
 * account secures inbound media, the URL needs the application JWT (Vonage's "secure your inbound
 * media files"); it is sent whenever the application is configured, and only to Vonage's own
 * hosts (or the configured API URL, a fake in tests), never to a URL elsewhere. 401/403/404 are
 * final, 429/5xx and broken connections retried. Sending files is not supported (SMS is text).
 */

function trustedMediaUrl(url: string, apiBase: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(apiBase).origin) return true;
  return (
    parsed.protocol === 'https:' &&
    (/(^|\.)nexmo\.com$/.test(parsed.hostname) || /(^|\.)vonage\.com$/.test(parsed.hostname))
  );
}

export function createVonageMedia(
  { settings, fetch: fetchImpl = fetch }: SenderDeps,
  now: () => number,
): ChannelMedia {
  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      const values = settings();
      if (!media.url)
        throw new ChannelMediaError('The message names no Vonage media URL.', false, 'no_url');
      if (!trustedMediaUrl(media.url, vonageApiBase(values)))
        throw new ChannelMediaError(
          'The media URL is not on Vonage’s media server; it was not fetched.',
          false,
          'untrusted_url',
        );
      const scrub = smsScrubber(values, 500);
      const key = vonagePrivateKey(settingOf(values, 'vonagePrivateKey'));
      const applicationId = settingOf(values, 'vonageApplicationId');
      const headers: Record<string, string> =
        key !== null && applicationId !== ''
          ? { Authorization: `Bearer ${await vonageApplicationJwt(applicationId, key, now())}` }
          : {};
      const { bytes, contentType } = await downloadByUrl({
        fetch: fetchImpl,
        url: media.url,
        headers,
        signal,
        maxBytes: options.maxBytes ?? Number.POSITIVE_INFINITY,
        scrub,
        server: 'Vonage’s media server',
        platform: 'Vonage',
        gone: (status) =>
          status === 401 || status === 403
            ? `Vonage refused the file to this application (HTTP ${status}): check the application ID and private key.`
            : `Vonage no longer has this file (HTTP ${status}).`,
      });
      const mimeType = contentType || media.mimeType || 'application/octet-stream';
      return { bytes, mimeType };
    },

    upload() {
      return Promise.reject(
        new ChannelMediaError(
          'Replydesk sends SMS as text only; files cannot be sent by SMS.',
          false,
          'unsupported_outbound',
        ),
      );
    },
  };
}
