import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Viber signs every callback with `X-Viber-Content-Signature: <hex HMAC-SHA256 of the raw body
 * keyed with the bot's auth token>` (CHANNEL-API.md §6.1; the official SDK's middleware). Checked
 * on the exact bytes received, before any parsing.
 */

/** A SHA-256 digest is 32 bytes: exactly 64 hex digits. */
const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;

const digest = (raw: Buffer | string, authToken: string): Buffer =>
  createHmac('sha256', authToken).update(raw).digest();

/** The `X-Viber-Content-Signature` Viber would send for this body (tests, demo). */
export function signViberBody(raw: Buffer | string, authToken: string): string {
  return digest(raw, authToken).toString('hex');
}

/**
 * True only when `header` is 64 hex digits matching the body. Missing, malformed or wrong-length
 * headers are false (never an exception); the comparison is constant-time. (The SDK compares
 * with `==`, and also takes `?sig=` in the query: we take only the header.)
 */
export function verifyViberSignature(
  raw: Buffer,
  header: string | string[] | undefined,
  authToken: string,
): boolean {
  // An empty token would make every "signature" computable by anyone.
  if (typeof header !== 'string' || authToken.length === 0) return false;
  const hex = header.trim();
  if (!HEX_DIGEST.test(hex)) return false;
  const expected = digest(raw, authToken);
  const given = Buffer.from(hex, 'hex');
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
