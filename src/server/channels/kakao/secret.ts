import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * KakaoTalk's webhooks carry no signature (CHANNEL-API.md §8.1: none is documented for skill
 * calls; a dealer's webhook auth depends on its contract). Both are authenticated by a shared
 * secret the sender puts in a header we name: the dealer's, and the one set in the Open Builder
 * skill's headers. Compared in constant time, the lengths first (timingSafeEqual throws on a
 * difference, and an empty secret would let anyone in).
 */
export function secretMatches(
  headers: IncomingHttpHeaders,
  headerName: string,
  secret: string,
): boolean {
  if (secret.length === 0) return false;
  const given = headers[headerName.toLowerCase()];
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Whether the delivery names the header at all (to tell "which secret" from "wrong secret"). */
export const hasHeader = (headers: IncomingHttpHeaders, headerName: string): boolean =>
  headers[headerName.toLowerCase()] !== undefined;
