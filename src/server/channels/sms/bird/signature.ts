import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import {
  settingOf,
  type ChannelSettings,
  type Refusal,
  type WebhookDelivery,
} from '../../connector';
import { headerOf, sameHex, sha256Hex, verifyHmacJwt } from '../jwt';
import { refused, type SmsClock } from '../provider';
import { publicWebhookUrl } from '../settings';

/**
 * Bird signs its webhooks in one of two forms (CHANNEL-API.md §9.2), both keyed with the
 * subscription's signing key and both over the public URL Bird called (behind a proxy the hub
 * sees another host, so the URL is the `webhookUrl` setting or the hub's public address):
 *
 * - new: `messagebird-signature` = Base64(HMAC-SHA256(key, timestamp + "\n" + url + "\n" +
 *   SHA-256(raw body) as bytes)) with `messagebird-request-timestamp`; a timestamp more than five
 *   minutes from the hub's clock is refused (a replay);
 * - legacy: `MessageBird-Signature-JWT`, HS256/384/512 with `iss: "MessageBird"`, `url_hash` (hex
 *   SHA-256 of the URL), `payload_hash` (of the raw body, absent when it is empty), `nbf` / `exp`
 *   with Bird's SDK's 5 s tolerance.
 */

export const BIRD_MAX_AGE_MS = 5 * 60_000;
/** messagebird-nodejs `webhook-signature-jwt.js`: clockTolerance 5 s. */
export const BIRD_JWT_TOLERANCE_S = 5;

const signatureBytes = (key: string, timestamp: string, url: string, raw: Buffer): Buffer =>
  createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(`${timestamp}\n${url}\n`, 'utf8'),
        createHash('sha256').update(raw).digest(),
      ]),
    )
    .digest();

/** The `messagebird-signature` Bird would send (tests, demo). */
export function signBirdRequest(
  key: string,
  timestamp: string,
  url: string,
  raw: Buffer | string,
): string {
  return signatureBytes(key, timestamp, url, Buffer.from(raw)).toString('base64');
}

/** The URL as a reason names it: without its query, which may carry a token. */
const shown = (url: string): string => url.split('?')[0] ?? url;

/** A Base64 HMAC-SHA256: 32 bytes, 44 characters with its padding. */
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=$/;

function verifyHmacForm(
  signature: string,
  timestamp: string | undefined,
  url: string,
  delivery: WebhookDelivery,
  key: string,
  clock: SmsClock,
): { ok: true } | Refusal {
  if (timestamp === undefined || !/^\d{1,16}$/.test(timestamp.trim()))
    return refused(
      'A Bird delivery without a readable messagebird-request-timestamp was refused.',
      'The messagebird-request-timestamp header is missing or not a number.',
    );
  const ts = timestamp.trim();
  // Bird writes seconds; a value in milliseconds is read as such.
  const at = Number(ts) > 1e11 ? Number(ts) : Number(ts) * 1000;
  const age = clock.now() - at;
  if (Math.abs(age) > BIRD_MAX_AGE_MS)
    return refused(
      `A Bird delivery timestamped ${Math.round(age / 1000)} s ${age > 0 ? 'ago' : 'in the future'} was refused (more than 5 minutes from the hub’s clock; replayed, or a clock is wrong).`,
      'The messagebird-request-timestamp is stale (more than 5 minutes from now).',
    );
  const given = signature.trim();
  if (!BASE64_DIGEST.test(given))
    return refused(
      'A Bird delivery whose messagebird-signature is not a Base64 HMAC-SHA256 was refused.',
      'The messagebird-signature is malformed.',
    );
  const expected = signatureBytes(key, ts, url, delivery.raw);
  const bytes = Buffer.from(given, 'base64');
  if (bytes.length !== expected.length || !timingSafeEqual(bytes, expected))
    return refused(
      `A Bird delivery with a wrong messagebird-signature was refused (forged, changed on the way, signed with another key, or signed for another URL than ${shown(url)}).`,
      'The messagebird-signature does not match the request.',
    );
  return { ok: true };
}

function verifyJwtForm(
  token: string,
  url: string,
  delivery: WebhookDelivery,
  key: string,
  clock: SmsClock,
): { ok: true } | Refusal {
  const check = verifyHmacJwt(token.trim(), key, ['HS256', 'HS384', 'HS512']);
  if (!check.ok)
    return refused(
      `A Bird delivery was refused: ${check.problem} (MessageBird-Signature-JWT; forged, or signed with another key).`,
      'The MessageBird-Signature-JWT does not verify with the signing key.',
    );
  const claims = check.claims;
  if (claims.iss !== 'MessageBird')
    return refused(
      'A Bird delivery whose JWT was not issued by MessageBird was refused.',
      'The MessageBird-Signature-JWT has the wrong issuer.',
    );
  const nowS = clock.now() / 1000;
  if (typeof claims.exp !== 'number' || nowS - BIRD_JWT_TOLERANCE_S >= claims.exp)
    return refused(
      'A Bird delivery whose JWT has expired (or has no exp) was refused.',
      'The MessageBird-Signature-JWT has expired.',
    );
  if (
    claims.nbf !== undefined &&
    (typeof claims.nbf !== 'number' || nowS + BIRD_JWT_TOLERANCE_S < claims.nbf)
  )
    return refused(
      'A Bird delivery whose JWT is not valid yet (nbf) was refused.',
      'The MessageBird-Signature-JWT is not valid yet.',
    );
  const { url_hash: urlHash, payload_hash: payloadHash } = claims as Record<string, unknown>;
  if (!sameHex(urlHash, sha256Hex(url)))
    return refused(
      `A Bird delivery signed for another URL than ${shown(url)} was refused (url_hash; check the webhook URL setting).`,
      'The MessageBird-Signature-JWT was signed for another URL.',
    );
  const bodyMatches =
    delivery.raw.length === 0
      ? payloadHash === undefined
      : sameHex(payloadHash, sha256Hex(delivery.raw));
  if (!bodyMatches)
    return refused(
      'A Bird delivery whose body does not match its payload_hash was refused (changed on the way).',
      'The body does not match the JWT’s payload_hash.',
    );
  return { ok: true };
}

export function verifyBird(
  delivery: WebhookDelivery,
  settings: ChannelSettings,
  clock: SmsClock,
): { ok: true } | Refusal {
  const key = settingOf(settings, 'birdSigningKey');
  if (key === '')
    return refused(
      'A Bird delivery was refused: no signing key is set.',
      'No signing key is configured.',
    );
  const signature = headerOf(delivery.headers, 'messagebird-signature');
  const jwt = headerOf(delivery.headers, 'messagebird-signature-jwt');
  if (signature === undefined && jwt === undefined)
    return refused(
      'An unsigned Bird delivery (neither messagebird-signature nor MessageBird-Signature-JWT) was refused.',
      'The messagebird-signature header is missing.',
    );
  const url = publicWebhookUrl(settings, delivery.url);
  if (url === null)
    return refused(
      'A Bird delivery could not be checked: Bird signs the public URL it called, and the hub knows none. Set the SMS webhook URL on the Channels page (or REPLYDESK_PUBLIC_URL).',
      'The hub cannot check this signature: its public webhook URL is not configured.',
    );
  return signature !== undefined
    ? verifyHmacForm(
        signature,
        headerOf(delivery.headers, 'messagebird-request-timestamp'),
        url,
        delivery,
        key,
        clock,
      )
    : verifyJwtForm(jwt ?? '', url, delivery, key, clock);
}
