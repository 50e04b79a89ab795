import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import { settingOf, type SenderDeps } from '../connector';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import { readCapped } from '../meta/media-io';
import { mediaUnreachable } from '../fetch-errors';
import { DEFAULT_GRAPH_URL, DEFAULT_GRAPH_VERSION } from './settings';

/**
 * WhatsApp Cloud API media (CHANNEL-API.md §3.3, Meta's "Media" reference):
 *
 * - download: `GET /{version}/{media-id}?phone_number_id=…` answers
 *   `{messaging_product, url, mime_type, sha256 (hex), file_size, id}`; the bytes are then a
 *   `GET <url>` with the same bearer token (the URL lives about 5 minutes, so each attempt asks
 *   for a fresh one). Webhook media ids expire after 7 days: Graph then refuses the id (4xx),
 *   which is final.
 * - upload: `POST /{version}/{phone-number-id}/media`, multipart `messaging_product=whatsapp`,
 *   `type=<mime>`, `file` → `{"id"}` (usable 30 days).
 *
 * Failures are `ChannelMediaError`s: 429, 408, 5xx and broken connections are retryable, other
 * refusals are not. The token only ever goes in the Authorization header and is scrubbed from
 * anything Graph echoes.
 */

const mediaInfoSchema = z.object({
  url: z.string().url(),
  mime_type: z.string().min(1),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string().optional(),
});
const uploadAnswerSchema = z.object({ id: z.string().min(1) });
const graphErrorSchema = z.object({
  error: z.object({ message: z.string().optional(), code: z.number().optional() }),
});

const retryableStatus = (status: number): boolean =>
  status === 429 || status === 408 || status >= 500;

const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
  new ChannelMediaError(
    `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over WhatsApp's ${formatBytes(maxBytes)} for its kind; it was not downloaded.`,
    false,
    'too_large',
  );

export function createWhatsAppMedia({
  settings,
  fetch: fetchImpl = fetch,
}: SenderDeps): ChannelMedia {
  const base = (): string =>
    `${(settingOf(settings(), 'graphUrl') || DEFAULT_GRAPH_URL).replace(/\/+$/, '')}/${
      settingOf(settings(), 'apiVersion') || DEFAULT_GRAPH_VERSION
    }`;
  const token = (): string => settingOf(settings(), 'accessToken');
  const scrub = (text: string): string => {
    const secret = token();
    return (secret ? text.split(secret).join('[redacted]') : text).slice(0, 500);
  };

  /** A request to Graph or its CDN; a network failure is a retryable ChannelMediaError. */
  async function call(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetchImpl(url, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${token()}` },
      });
    } catch (error) {
      mediaUnreachable('WhatsApp', error, scrub);
    }
  }

  async function refusal(response: Response, what: string): Promise<ChannelMediaError> {
    const text = await response.text().catch(() => '');
    let graph: z.infer<typeof graphErrorSchema>['error'] | undefined;
    try {
      graph = graphErrorSchema.safeParse(JSON.parse(text)).data?.error;
    } catch {
      graph = undefined;
    }
    const detail = graph?.message ? `: ${graph.message}` : '';
    return new ChannelMediaError(
      scrub(`${what} (HTTP ${response.status}${detail})`),
      retryableStatus(response.status),
      graph?.code === undefined ? `http_${response.status}` : String(graph.code),
    );
  }

  return {
    async download(media, channelAccountId, signal, options = {}): Promise<DownloadedMedia> {
      const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
      if (media.mediaId === '')
        throw new ChannelMediaError(
          'The message names no WhatsApp media id.',
          false,
          'no_media_id',
        );
      const infoUrl = `${base()}/${encodeURIComponent(media.mediaId)}?phone_number_id=${encodeURIComponent(channelAccountId)}`;
      const info = await call(infoUrl, {
        method: 'GET',
        signal,
        headers: { Accept: 'application/json' },
      });
      if (!info.ok) {
        throw await refusal(
          info,
          retryableStatus(info.status)
            ? 'WhatsApp could not look up the file now; will retry'
            : 'WhatsApp no longer has this file (the media id is unknown or expired after 7 days)',
        );
      }
      const parsed = mediaInfoSchema.safeParse(await info.json().catch(() => null));
      if (!parsed.success)
        throw new ChannelMediaError(
          'WhatsApp answered the media lookup without a URL; will retry.',
          true,
          'bad_response',
        );
      const declared = Number(parsed.data.file_size ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(declared, maxBytes);
      // The file itself, with the same token (the URL alone is refused).
      const file = await call(parsed.data.url, { method: 'GET', signal });
      if (!file.ok) {
        // The URL lives minutes: the next attempt asks Graph for a fresh one.
        const error = await refusal(file, 'WhatsApp did not hand over the file');
        throw new ChannelMediaError(error.message, true, error.code);
      }
      const bytes = await readCapped(file, maxBytes, tooLarge);
      return {
        bytes,
        mimeType: parsed.data.mime_type,
        ...(parsed.data.sha256 ? { sha256: parsed.data.sha256 } : {}),
        ...(media.filename ? { filename: media.filename } : {}),
      };
    },

    async upload(file, channelAccountId, signal) {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', file.mimeType);
      form.set(
        'file',
        new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }),
        file.filename,
      );
      const response = await call(`${base()}/${encodeURIComponent(channelAccountId)}/media`, {
        method: 'POST',
        body: form,
        signal,
        headers: { Accept: 'application/json' },
      });
      if (!response.ok) throw await refusal(response, 'WhatsApp refused the file upload');
      const answer = uploadAnswerSchema.safeParse(await response.json().catch(() => null));
      if (!answer.success)
        throw new ChannelMediaError(
          'WhatsApp answered the upload without a media id; will retry.',
          true,
          'bad_response',
        );
      return { channelMediaId: answer.data.id };
    },
  };
}
