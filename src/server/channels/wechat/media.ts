import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import type { ChannelSettings, SenderDeps } from '../connector';
import { mediaUnreachable } from '../fetch-errors';
import { readCapped } from '../meta/media-io';
import { ChannelMediaError, type ChannelMedia, type DownloadedMedia } from '../types';
import {
  apiUrl,
  DEFAULT_TIMEOUT_MS,
  readAnswer,
  TOKEN_REFUSED,
  withToken,
  WechatTokenError,
} from './api';
import { scrubber } from './settings';

/**
 * Temporary media (临时素材, CHANNEL-API.md §7.5):
 *
 * - download: `GET /cgi-bin/media/get?access_token&media_id` answers the bytes (Content-Type,
 *   Content-disposition's filename), or JSON: an error (`{"errcode":40007}`: WeChat keeps
 *   temporary media 3 days), or for a video `{"video_url"}`, which is then fetched without auth.
 *   JSON is told apart by its Content-Type.
 * - upload: `POST /cgi-bin/media/upload?access_token&type=image|voice|video`, multipart field
 *   `media` → `{"type","media_id","created_at"}`; the type from the file's MIME type, within
 *   WeChat's limits (image 10 MB PNG/JPEG/GIF, voice 2 MB AMR/MP3, video 10 MB MP4).
 */

const MiB = 1024 * 1024;

export const WECHAT_UPLOAD_LIMITS = [
  {
    type: 'image',
    mimeTypes: ['image/jpeg', 'image/png', 'image/gif'],
    maxBytes: 10 * MiB,
    text: 'pictures',
    formats: 'JPEG, PNG or GIF',
  },
  {
    type: 'voice',
    mimeTypes: ['audio/amr', 'audio/mpeg'],
    maxBytes: 2 * MiB,
    text: 'voice messages',
    formats: 'AMR or MP3',
  },
  { type: 'video', mimeTypes: ['video/mp4'], maxBytes: 10 * MiB, text: 'videos', formats: 'MP4' },
] as const;

/** JSON answers are small; a larger "JSON" answer is not WeChat's. */
const MAX_JSON_BYTES = 64 * 1024;

const uploadAnswerSchema = z
  .object({ media_id: z.string().min(1).max(200), type: z.string().max(20).optional() })
  .passthrough();
const videoAnswerSchema = z
  .object({
    video_url: z
      .string()
      .max(2048)
      .regex(/^https?:\/\/\S+$/, 'an http(s) URL'),
  })
  .passthrough();

const baseType = (header: string | null): string =>
  (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

const isJson = (type: string): boolean => type === 'application/json' || type === 'text/plain';

/** `filename="…"` (or RFC 5987 `filename*=UTF-8''…`) from a Content-Disposition. */
function filenameOf(header: string | null): string | undefined {
  if (!header) return undefined;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star).slice(0, 500);
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header)?.[1]?.trim();
  return plain ? plain.slice(0, 500) : undefined;
}

function mediaRefusal(errcode: number, errmsg: string): ChannelMediaError {
  if (TOKEN_REFUSED.has(errcode))
    return new ChannelMediaError(
      `WeChat refused a fresh access token too (errcode ${errcode}): another system using this AppID may be fetching tokens; will retry.`,
      true,
      `wechat_${errcode}`,
    );
  if (errcode === 40007)
    return new ChannelMediaError(
      'WeChat no longer has this file (invalid media_id, errcode 40007): it keeps temporary files 3 days.',
      false,
      'wechat_40007',
    );
  if (errcode === -1)
    return new ChannelMediaError('WeChat is busy (errcode -1); will retry.', true, 'wechat_-1');
  return new ChannelMediaError(
    errmsg
      ? `WeChat refused the file request: ${errmsg} (errcode ${errcode}).`
      : `WeChat refused the file request (errcode ${errcode}).`,
    false,
    `wechat_${errcode}`,
  );
}

const tokenFailure = (error: unknown): never => {
  if (error instanceof WechatTokenError)
    throw new ChannelMediaError(error.message, error.retryable, error.code);
  throw error;
};

export function createWechatMedia({
  settings,
  fetch: fetchImpl = fetch,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: SenderDeps): ChannelMedia {
  const tooLarge = (size: number, maxBytes: number, atLeast = false): ChannelMediaError =>
    new ChannelMediaError(
      `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over the ${formatBytes(maxBytes)} allowed for its kind; it was not downloaded.`,
      false,
      'too_large',
    );
  const httpError = (status: number, what: string): ChannelMediaError => {
    const retryable = status === 429 || status === 408 || status >= 500;
    return new ChannelMediaError(
      retryable
        ? `WeChat could not ${what} now (HTTP ${status}); will retry.`
        : `WeChat refused to ${what} (HTTP ${status}).`,
      retryable,
      `http_${status}`,
    );
  };

  type MediaGot = { response: Response } | { json: Record<string, unknown> };

  /** `media/get`: the bytes' response, or WeChat's JSON (an errcode, or a video's URL). */
  async function mediaGet(
    current: ChannelSettings,
    mediaId: string,
    signal: AbortSignal,
  ): Promise<MediaGot> {
    const scrub = scrubber(current, null, 500);
    try {
      const { result } = await withToken<MediaGot>(
        current,
        { fetch: fetchImpl, timeoutMs },
        async (token) => {
          let response: Response;
          try {
            response = await fetchImpl(
              apiUrl(current, '/cgi-bin/media/get', token, { media_id: mediaId }),
              { signal },
            );
          } catch (error) {
            return mediaUnreachable('WeChat', error, scrubber(current, token, 500));
          }
          if (!response.ok) {
            await response.body?.cancel();
            throw httpError(response.status, 'hand over the file');
          }
          if (!isJson(baseType(response.headers.get('content-type'))))
            return { errcode: null, result: { response } };
          const bytes = await readCapped(
            response,
            MAX_JSON_BYTES,
            () =>
              new ChannelMediaError(
                'WeChat answered a file request with oversized JSON.',
                false,
                'bad_response',
              ),
          );
          const answer = readAnswer(bytes.toString('utf8'));
          if (!answer)
            throw new ChannelMediaError(
              'WeChat answered a file request with something that is not its JSON.',
              true,
              'bad_response',
            );
          return {
            errcode: answer.errcode ?? null,
            result: { json: answer as Record<string, unknown> },
          };
        },
      );
      return result;
    } catch (error) {
      if (error instanceof ChannelMediaError)
        throw new ChannelMediaError(scrub(error.message), error.retryable, error.code);
      return tokenFailure(error);
    }
  }

  return {
    async download(media, _account, signal, options = {}): Promise<DownloadedMedia> {
      const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
      const current = settings();
      const got = await mediaGet(current, media.mediaId, signal);
      let response: Response;
      if ('json' in got) {
        const errcode = typeof got.json['errcode'] === 'number' ? got.json['errcode'] : 0;
        if (errcode !== 0)
          throw mediaRefusal(
            errcode,
            scrubber(current, null, 300)(String(got.json['errmsg'] ?? '')),
          );
        const video = videoAnswerSchema.safeParse(got.json);
        if (!video.success)
          throw new ChannelMediaError(
            'WeChat answered a file request without the file.',
            false,
            'bad_response',
          );
        try {
          response = await fetchImpl(video.data.video_url, { signal });
        } catch (error) {
          mediaUnreachable('WeChat’s video server', error, scrubber(current, null, 500));
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw httpError(response.status, 'hand over the video');
        }
      } else {
        response = got.response;
      }
      const bytes = await readCapped(response, maxBytes, tooLarge);
      const type = baseType(response.headers.get('content-type'));
      const filename = filenameOf(response.headers.get('content-disposition')) ?? media.filename;
      return {
        bytes,
        mimeType:
          type && type !== 'application/octet-stream'
            ? type
            : (media.mimeType ?? (type || 'application/octet-stream')),
        ...(filename ? { filename } : {}),
      };
    },

    async upload(file, _account, signal) {
      const mime = baseType(file.mimeType);
      const limit = WECHAT_UPLOAD_LIMITS.find((l) =>
        (l.mimeTypes as readonly string[]).includes(mime),
      );
      if (!limit)
        throw new ChannelMediaError(
          `WeChat sends pictures (JPEG, PNG, GIF), voice (AMR, MP3) and videos (MP4) only; this file is ${file.mimeType}.`,
          false,
          'unsupported_type',
        );
      if (file.bytes.length > limit.maxBytes)
        throw new ChannelMediaError(
          `WeChat takes ${limit.text} up to ${formatBytes(limit.maxBytes)}; this one is ${formatBytes(file.bytes.length)}.`,
          false,
          'too_large',
        );
      const current = settings();
      const scrub = scrubber(current, null, 500);
      try {
        const { result } = await withToken(
          current,
          { fetch: fetchImpl, timeoutMs },
          async (token) => {
            const form = new FormData();
            form.append(
              'media',
              new Blob([new Uint8Array(file.bytes)], { type: mime }),
              file.filename.slice(0, 200) || 'file',
            );
            let response: Response;
            try {
              response = await fetchImpl(
                apiUrl(current, '/cgi-bin/media/upload', token, { type: limit.type }),
                {
                  method: 'POST',
                  body: form,
                  signal,
                },
              );
            } catch (error) {
              return mediaUnreachable('WeChat', error, scrubber(current, token, 500));
            }
            const text = await response.text();
            if (!response.ok) throw httpError(response.status, 'take the file');
            const answer = readAnswer(text);
            if (!answer)
              throw new ChannelMediaError(
                'WeChat answered the upload with something that is not its JSON.',
                true,
                'bad_response',
              );
            return { errcode: answer.errcode ?? null, result: answer };
          },
        );
        if (result.errcode !== undefined && result.errcode !== 0)
          throw mediaRefusal(result.errcode, scrub(result.errmsg ?? ''));
        const uploaded = uploadAnswerSchema.safeParse(result);
        if (!uploaded.success)
          throw new ChannelMediaError(
            'WeChat answered the upload without a media_id.',
            true,
            'bad_response',
          );
        return { channelMediaId: uploaded.data.media_id };
      } catch (error) {
        if (error instanceof ChannelMediaError)
          throw new ChannelMediaError(scrub(error.message), error.retryable, error.code);
        return tokenFailure(error);
      }
    },
  };
}
