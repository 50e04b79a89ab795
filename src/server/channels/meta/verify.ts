import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Webhook subscription handshake (CHANNELS.md): Meta calls
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` and expects the challenge echoed
 * back when the token matches; anything else is answered 403 by the HTTP layer.
 */

/** Meta sends a short numeric challenge; anything much longer is not Meta. */
export const MAX_CHALLENGE_LENGTH = 256;
/**
 * The challenge is echoed verbatim into a response body, so only URL-safe "unreserved"
 * characters are accepted: nothing that could become markup or a header.
 */
const CHALLENGE = /^[A-Za-z0-9._~-]+$/;

export type SubscriptionAnswer = { ok: true; challenge: string } | { ok: false };

/**
 * Compares two strings in constant time, including when their lengths differ: both sides are
 * hashed first so `timingSafeEqual` always sees equal-length buffers and the length of the
 * configured token is not revealed either.
 */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

export function answerSubscription(
  query: URLSearchParams,
  verifyToken: string,
): SubscriptionAnswer {
  const mode = query.get('hub.mode');
  const token = query.get('hub.verify_token');
  const challenge = query.get('hub.challenge');
  // An unset verify token must never match an empty `hub.verify_token`.
  if (verifyToken.length === 0) return { ok: false };
  if (mode !== 'subscribe' || token === null || challenge === null) return { ok: false };
  if (challenge.length === 0 || challenge.length > MAX_CHALLENGE_LENGTH) return { ok: false };
  if (!CHALLENGE.test(challenge)) return { ok: false };
  if (!sameSecret(token, verifyToken)) return { ok: false };
  return { ok: true, challenge };
}
