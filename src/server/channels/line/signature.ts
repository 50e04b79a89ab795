import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * LINE signs every webhook delivery with `x-line-signature: Base64(HMAC-SHA256(raw body, channel
 * secret))` (CHANNEL-API.md §5.1, as `@line/bot-sdk`'s validate-signature). LINE publishes no
 * source IPs, so this check on the exact bytes received is the only one.
 */

/** 32 bytes in standard Base64: 43 characters and one `=`. */
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;

function digest(rawBody: Buffer | string, channelSecret: string): Buffer {
  return createHmac('sha256', channelSecret).update(rawBody).digest();
}

/** The `x-line-signature` LINE would send for this body (tests, the demo). */
export function signLineBody(rawBody: Buffer | string, channelSecret: string): string {
  return digest(rawBody, channelSecret).toString('base64');
}

/**
 * True only for a well-formed signature matching the body, compared in constant time after a
 * length check. A missing header, a malformed one or an unset secret is false, never a throw.
 */
export function verifyLineSignature(
  rawBody: Buffer,
  header: string | undefined,
  channelSecret: string,
): boolean {
  if (typeof header !== 'string' || channelSecret.length === 0) return false;
  const value = header.trim();
  if (!BASE64_DIGEST.test(value)) return false;
  const given = Buffer.from(value, 'base64');
  const expected = digest(rawBody, channelSecret);
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
