import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import { mediaUnreachable } from '../fetch-errors';
import { settingOf, type SenderDeps } from '../connector';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { readCapped } from './media-io';

/**
 * Messenger / Instagram files (CHANNEL-API.md §1.4–1.5, §2.3):
 *
 * - download: an inbound attachment's `payload.url` is a signed Meta CDN URL that needs no token
 *   and expires, so the hub fetches it once, when the message arrives (`media.url`).
 * - upload: `POST /{version}/{PAGE_ID}/message_attachments`, multipart `message` =
 *   `{"attachment":{"type","payload":{"is_reusable":true}}}` and `filedata` → `{"attachment_id"}`
 *   (valid 90 days), which the Send API then names instead of a URL.
 *
 * Failures are `ChannelMediaError`s: 429, 408, 5xx and broken connections are retryable; a 403 or
 * 404 from the CDN (the URL expired) is final.
 */

const uploadAnswerSchema = z.object({ attachment_id: z.string().min(1) });
const UPLOAD_TYPES: readonly [prefix: string, type: string][] = [
  ['image/', 'image'],
  ['video/', 'video'],
  ['audio/', 'audio'],
];

export function createMetaMedia(
  label: string,
  platform: 'messenger' | 'instagram',
  { settings, fetch: fetchImpl = fetch }: SenderDeps,
): ChannelMedia {
  const token = (): string => settingOf(settings(), 'pageAccessToken');
  const scrub = (text: string): string => {
    const secret = token();
    return (secret ? text.split(secret).join('[redacted]') : text).slice(0, 500);
  };
  const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
    new ChannelMediaError(
      `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over ${label}'s ${formatBytes(maxBytes)} for its kind; it was not downloaded.`,
      false,
      'too_large',
    );
  const retryable = (status: number): boolean => status === 429 || status === 408 || status >= 500;

  async function call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchImpl(url, init);
    } catch (error) {
      mediaUnreachable(label, error, scrub);
    }
  }

  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      if (!media.url)
        throw new ChannelMediaError(`The message names no ${label} file URL.`, false, 'no_url');
      const response = await call(media.url, { method: 'GET', signal });
      if (!response.ok) {
        await response.body?.cancel();
        throw new ChannelMediaError(
          retryable(response.status)
            ? `${label} could not hand over the file now (HTTP ${response.status}); will retry.`
            : `${label} no longer has this file: its link expired (HTTP ${response.status}).`,
          retryable(response.status),
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
      const s = settings();
      const type = UPLOAD_TYPES.find(([prefix]) => file.mimeType.startsWith(prefix))?.[1] ?? 'file';
      const form = new FormData();
      if (platform === 'instagram') form.set('platform', 'instagram');
      form.set('message', JSON.stringify({ attachment: { type, payload: { is_reusable: true } } }));
      form.set(
        'filedata',
        new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }),
        file.filename,
      );
      const base = settingOf(s, 'graphUrl').replace(/\/+$/, '');
      const url = `${base}/${settingOf(s, 'apiVersion')}/${encodeURIComponent(settingOf(s, 'pageId'))}/message_attachments`;
      const response = await call(url, {
        method: 'POST',
        body: form,
        signal,
        headers: { Accept: 'application/json', Authorization: `Bearer ${token()}` },
      });
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        throw new ChannelMediaError(
          scrub(
            `${label} refused the file upload (HTTP ${response.status}): ${text.slice(0, 200)}`,
          ),
          retryable(response.status),
          `http_${response.status}`,
        );
      }
      const answer = uploadAnswerSchema.safeParse(await response.json().catch(() => null));
      if (!answer.success)
        throw new ChannelMediaError(
          `${label} answered the upload without an attachment id; will retry.`,
          true,
          'bad_response',
        );
      return { channelMediaId: answer.data.attachment_id };
    },
  };
}
