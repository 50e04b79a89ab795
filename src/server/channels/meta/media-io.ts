import { formatBytes } from '../../../shared/media/limits';
import { readCapped } from '../../media/read-capped';
import { mediaUnreachable } from '../fetch-errors';
import { ChannelMediaError } from '../types';

export { readCapped } from '../../media/read-capped';

/** A download over the limit of its kind (the same words on every channel). */
export function fileTooLarge(size: number, maxBytes: number, atLeast = false): ChannelMediaError {
  return new ChannelMediaError(
    `The file is ${atLeast ? 'more than ' : ''}${formatBytes(size)}, over the ${formatBytes(maxBytes)} allowed for its kind; it was not downloaded.`,
    false,
    'too_large',
  );
}

/**
 * A file fetched from the URL a webhook named (Viber's CDN, a Kakao dealer's, Vonage's media
 * server): a connection failure is retryable, so are 408, 429 and 5xx ("could not hand over the
 * file now"); any other refusal is final in `gone`'s words; the body is read up to `maxBytes`.
 */
export async function downloadByUrl(request: {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly maxBytes: number;
  readonly scrub: (text: string) => string;
  /** Where it comes from, for a connection failure: "Viber's file server". */
  readonly server: string;
  /** Who, for a retryable refusal: "Viber". */
  readonly platform: string;
  /** The final refusal of this status, as a sentence. */
  readonly gone: (status: number) => string;
}): Promise<{ readonly bytes: Buffer; readonly contentType: string | null }> {
  let response: Response;
  try {
    response = await request.fetch(request.url, {
      method: 'GET',
      ...(request.headers ? { headers: request.headers } : {}),
      signal: request.signal,
    });
  } catch (error) {
    mediaUnreachable(request.server, error, request.scrub);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
    throw new ChannelMediaError(
      retryable
        ? `${request.platform} could not hand over the file now (HTTP ${response.status}); will retry.`
        : request.gone(response.status),
      retryable,
      `http_${response.status}`,
    );
  }
  const bytes = await readCapped(response, request.maxBytes, fileTooLarge);
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || null;
  return { bytes, contentType };
}
