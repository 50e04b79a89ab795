import {
  settingOf,
  type ChannelSettings,
  type Refusal,
  type WebhookDelivery,
} from '../../connector';
import { headerOf, sameHex, sha256Hex, verifyHmacJwt } from '../jwt';
import { refused, type SmsClock } from '../provider';

/**
 * Vonage signs every Messages callback (inbound and status) with `Authorization: Bearer <JWT>`,
 * HS256 with the account's signature secret (CHANNEL-API.md §9.1, "signed webhooks"). Claims:
 * `iat`, `jti`, `iss`, `api_key`, `application_id`, `payload_hash` = hex SHA-256 of the body. We
 * check the signature with the algorithm pinned to HS256, `payload_hash` against the raw bytes
 * received, and `iat` within five minutes of the hub's clock either way (a replayed or held-back
 * callback is refused). An unsigned callback (Vonage sends one rarely, after an internal error) is
 * refused too: Vonage delivers it again.
 */

/** How old (or how far ahead of our clock) a token's `iat` may be. */
export const VONAGE_MAX_AGE_MS = 5 * 60_000;

export function verifyVonage(
  delivery: WebhookDelivery,
  settings: ChannelSettings,
  clock: SmsClock,
): { ok: true } | Refusal {
  const authorization = headerOf(delivery.headers, 'authorization');
  if (authorization === undefined)
    return refused(
      'An unsigned Vonage delivery (no Authorization header) was refused.',
      'The Authorization: Bearer <JWT> header is missing.',
    );
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1])
    return refused(
      'A Vonage delivery whose Authorization is not a Bearer JWT was refused.',
      'The Authorization header must be Bearer <JWT>.',
    );
  const check = verifyHmacJwt(match[1], settingOf(settings, 'vonageSignatureSecret'), ['HS256']);
  if (!check.ok)
    return refused(
      `A Vonage delivery was refused: ${check.problem} (forged, or signed with another account’s signature secret).`,
      'The webhook’s JWT does not verify with the signature secret.',
    );
  const { iat, payload_hash: payloadHash } = check.claims as {
    iat?: unknown;
    payload_hash?: unknown;
  };
  if (typeof iat !== 'number' || !Number.isFinite(iat))
    return refused(
      'A Vonage delivery whose JWT has no iat was refused.',
      'The webhook’s JWT has no iat.',
    );
  const age = clock.now() - iat * 1000;
  if (Math.abs(age) > VONAGE_MAX_AGE_MS)
    return refused(
      `A Vonage delivery signed ${Math.round(age / 1000)} s ${age > 0 ? 'ago' : 'in the future'} was refused (more than 5 minutes from the hub’s clock; replayed, or a clock is wrong).`,
      'The webhook’s JWT is stale (iat more than 5 minutes from now).',
    );
  if (!sameHex(payloadHash, sha256Hex(delivery.raw)))
    return refused(
      'A Vonage delivery whose body does not match its payload_hash was refused (changed on the way).',
      'The body does not match the JWT’s payload_hash.',
    );
  return { ok: true };
}
