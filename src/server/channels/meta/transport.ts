import type { SendResult } from '../types';
import { causeCode } from '../fetch-errors';

/**
 * What a Graph API call's transport can tell the outbound queue (Meta's channels share it): a
 * connection never made is retried; a timeout or a connection cut after the request went out is
 * *uncertain* (Meta may have accepted it), never retried, so nothing is sent twice.
 */

export type Failure = Extract<SendResult, { ok: false }>;

export function failure(
  retryable: boolean,
  code: string,
  reason: string,
  retryAfterMs?: number,
): Failure {
  return retryAfterMs === undefined
    ? { ok: false, retryable, code, reason }
    : { ok: false, retryable, code, reason, retryAfterMs };
}

export const uncertain = (code: string, reason: string): Failure => ({
  ok: false,
  retryable: false,
  uncertain: true,
  code,
  reason,
});

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined if unusable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Errors raised before a connection existed: the request cannot have reached Meta. */
const NOT_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A fetch that threw: retryable only when nothing can have reached `api` ("the Messenger API"). */
export function transportFailure(
  error: unknown,
  api: string,
  confirmer: string,
  timeoutMs: number,
  scrub: (text: string) => string,
): Failure {
  const Api = `${api.charAt(0).toUpperCase()}${api.slice(1)}`;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    // The request went out: Meta may have accepted it. Not retried (that could send it twice).
    return uncertain(
      'timeout',
      `${Api} did not answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}; waiting for ${confirmer} to confirm whether it was sent.`,
    );
  }
  // undici reports "fetch failed" with the useful part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = causeCode(error);
  const detail = cause ?? (error instanceof Error ? error.message : String(error));
  if (cause !== null && NOT_CONNECTED_CODES.has(cause))
    return failure(true, 'network_error', scrub(`Could not reach ${api} (${detail}); will retry.`));
  return uncertain(
    'network_error',
    scrub(
      `The connection to ${api} broke (${detail}); waiting for ${confirmer} to confirm whether it was sent.`,
    ),
  );
}
