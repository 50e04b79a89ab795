import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeChat's signatures (CHANNEL-API.md §7.1, §7.6): the SHA-1 hex (lower case) of the sorted
 * strings joined without separators. `signature` sorts the Token, `timestamp` and `nonce` (the
 * URL check and every push); safe mode's `msg_signature` adds the body's `Encrypt`. The sort is
 * by code unit, as the official samples' `sort()` (dictionary order on ASCII).
 */

/** A SHA-1 digest is 20 bytes: exactly 40 hex digits. */
const HEX_SHA1 = /^[0-9a-fA-F]{40}$/;

export function wechatSignature(parts: readonly string[]): string {
  const joined = [...parts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/**
 * True only when `given` is 40 hex digits equal to the signature of `parts`. Missing or
 * malformed values are false (never an exception); the comparison is constant-time, after the
 * length check.
 */
export function signatureMatches(given: string | null, parts: readonly string[]): boolean {
  if (given === null || !HEX_SHA1.test(given)) return false;
  const expected = Buffer.from(wechatSignature(parts), 'hex');
  const actual = Buffer.from(given, 'hex');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}
