import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';

/**
 * HMAC-signed JWTs on webhooks (Vonage's `Authorization: Bearer`, MessageBird's
 * `MessageBird-Signature-JWT`). A connector's `verify` is synchronous and jose's `jwtVerify` is
 * not, so jose reads the token (`decodeProtectedHeader`, `decodeJwt`: its base64url and JSON rules)
 * and the signature is checked here with node:crypto, constant-time after a length check. The
 * algorithm is pinned by the caller: `none`, RS256 and anything else not listed are refused before
 * any key is used, so a token cannot choose how it is checked.
 */

export type HmacAlg = 'HS256' | 'HS384' | 'HS512';

const HASH_OF: Readonly<Record<HmacAlg, string>> = {
  HS256: 'sha256',
  HS384: 'sha384',
  HS512: 'sha512',
};

/** Compact JWS: three base64url parts (the signature part may not be empty here). */
const COMPACT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export type JwtCheck =
  | { readonly ok: true; readonly claims: JWTPayload; readonly alg: HmacAlg }
  | { readonly ok: false; readonly problem: string };

export function verifyHmacJwt(
  token: string,
  key: string,
  algorithms: readonly HmacAlg[],
): JwtCheck {
  // An empty key would make every "signature" computable by anyone.
  if (key.length === 0) return { ok: false, problem: 'no signing key is configured' };
  if (token.length > 8192 || !COMPACT.test(token))
    return { ok: false, problem: 'the token is not a signed JWT' };
  let alg: unknown;
  let claims: JWTPayload;
  try {
    const header = decodeProtectedHeader(token);
    alg = header.alg;
    if (header.crit !== undefined) return { ok: false, problem: 'the token has critical headers' };
    claims = decodeJwt(token);
  } catch {
    return { ok: false, problem: 'the token is not a readable JWT' };
  }
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg))
    return {
      ok: false,
      problem: `the token is signed with ${typeof alg === 'string' ? alg.slice(0, 20) : 'no algorithm'}, not ${algorithms.join('/')}`,
    };
  const hmacAlg = alg as HmacAlg;
  const [head, payload, signature] = token.split('.') as [string, string, string];
  const expected = createHmac(HASH_OF[hmacAlg], key).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'the token’s signature does not match' };
  return { ok: true, claims, alg: hmacAlg };
}

/** Hex SHA-256, as `payload_hash` and `url_hash` carry it. */
export const sha256Hex = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');

/** Constant-time equality of two hex digests (lower-cased), false on any length difference. */
export function sameHex(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !/^[0-9a-fA-F]+$/.test(given)) return false;
  const a = Buffer.from(given.toLowerCase(), 'utf8');
  const b = Buffer.from(expected.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The one value of a header (Node joins repeated ones into an array). */
export function headerOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  name: string,
): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}
