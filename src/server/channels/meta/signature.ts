import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs every webhook delivery with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
 * body keyed with the App Secret>` (CHANNELS.md). The check runs on the exact bytes received,
 * before any JSON parsing, so a re-serialised body can never pass or fail by accident.
 */

const PREFIX = 'sha256=';
/** A SHA-256 digest is 32 bytes: exactly 64 hex digits. */
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

function digest(rawBody: Buffer | string, appSecret: string): Buffer {
  return createHmac('sha256', appSecret).update(rawBody).digest();
}

/** The `X-Hub-Signature-256` header value Meta would send for this body (tests, bench, demo). */
export function signWebhookBody(rawBody: Buffer | string, appSecret: string): string {
  return `${PREFIX}${digest(rawBody, appSecret).toString('hex')}`;
}

/**
 * True only when `header` is a well-formed `sha256=<64 hex>` matching the body. Missing,
 * malformed or wrong-length headers are simply false (never an exception), and the comparison is
 * constant-time so the answer leaks nothing about how many bytes matched.
 */
export function verifyWebhookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  // An empty secret would make every "signature" computable by anyone: refuse rather than accept.
  if (typeof header !== 'string' || appSecret.length === 0) return false;
  const value = header.trim();
  if (!value.startsWith(PREFIX)) return false;
  const hex = value.slice(PREFIX.length);
  if (!HEX_DIGEST.test(hex)) return false;
  const expected = digest(rawBody, appSecret);
  const given = Buffer.from(hex, 'hex');
  // timingSafeEqual throws on different lengths; the regex already guarantees 32 bytes, but the
  // explicit check keeps this safe if the pattern ever changes.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
