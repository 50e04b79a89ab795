import { ChannelMediaError } from './types';

/**
 * The useful part of a fetch that threw: undici reports "fetch failed" with the system's code
 * (ECONNREFUSED, ENOTFOUND…) in `cause`; null when there is none.
 */
export function causeCode(error: unknown): string | null {
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : null;
}

/**
 * A media download or upload whose connection failed: a retryable `network_error` naming
 * `where` ("WhatsApp", "Viber's file server"), scrubbed of secrets. An abort by the hub's own
 * timeout is passed on as it is.
 */
export function mediaUnreachable(
  where: string,
  error: unknown,
  scrub: (text: string) => string,
): never {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    throw error;
  const detail = causeCode(error) ?? String(error);
  throw new ChannelMediaError(
    scrub(`Could not reach ${where} (${detail}); will retry.`),
    true,
    'network_error',
  );
}
