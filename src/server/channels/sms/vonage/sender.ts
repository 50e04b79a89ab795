import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { settingOf, type ChannelSettings } from '../../connector';
import {
  failure,
  retryAfterMs,
  transportFailure,
  uncertain,
  type Failure,
} from '../../meta/transport';
import type { OutboundRequest, SendResult } from '../../types';
import { vonageNumber } from '../phone';
import type { SmsSendOptions } from '../provider';
import { smsAccountId, smsScrubber, vonageApiBase } from '../settings';

/**
 * `POST {base}/v1/messages` (CHANNEL-API.md §9.1) with an application JWT: RS256 with the
 * application's private key, claims `application_id`, `iat`, `jti`, `exp`. Body `{message_type:
 * "text", text, to, from, channel:"sms", client_ref}` (numbers as digits without `+`;
 * `client_ref` our message id, which Vonage hands back on every status) → 202 `{message_uuid}`.
 *
 * Errors are RFC 7807 `{type, title, detail}`: 401 / 403 are final (the key or the application
 * is wrong, said so); 429 and 5xx are retried from the queue, after `Retry-After` when given; a
 * timeout after the request went out is uncertain (the status webhook will name our message by
 * `client_ref`), never sent twice.
 */

/** Vonage takes at most 1,000 characters of SMS text (the Messages API reference). */
export const VONAGE_MAX_TEXT = 1000;
/** How long an application JWT is good for: one send, with room for a slow connection. */
const JWT_LIFETIME_S = 5 * 60;

/**
 * The PEM the admin gave, whatever became of its newlines: real ones, `\n` written out (an
 * environment variable), or none at all (pasted into a one-line field).
 */
export function normalisedPem(value: string): string {
  const text = value.replace(/\\n/g, '\n').trim();
  const match = /^-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----$/.exec(text);
  if (!match) return text;
  const body = (match[2] ?? '').replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${match[1]}-----\n${lines.join('\n')}\n-----END ${match[1]}-----\n`;
}

let cachedKey: { readonly pem: string; readonly key: KeyObject } | null = null;

/** The private key as a KeyObject (parsed once per key), or null when it is not a readable one. */
export function vonagePrivateKey(pem: string): KeyObject | null {
  if (cachedKey?.pem === pem) return cachedKey.key;
  try {
    const key = createPrivateKey(normalisedPem(pem));
    if (key.asymmetricKeyType !== 'rsa') return null;
    cachedKey = { pem, key };
    return key;
  } catch {
    return null;
  }
}

/** The application JWT for one request. */
export function vonageApplicationJwt(
  applicationId: string,
  key: KeyObject,
  nowMs: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ application_id: applicationId })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setJti(randomUUID())
    .setExpirationTime(iat + JWT_LIFETIME_S)
    .sign(key);
}

const acceptedSchema = z.object({ message_uuid: z.string().min(1).max(100) }).passthrough();
const problemSchema = z
  .object({
    type: z.string().max(500).optional(),
    title: z.union([z.string().max(500), z.number()]).optional(),
    detail: z.string().max(2000).optional(),
  })
  .passthrough();

/** Vonage's RFC 7807 error body: its title, detail and the code after `#` in `type`. */
export function problemOf(text: string): { title: string; detail: string; code: string | null } {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the status alone says what happened
  }
  const parsed = problemSchema.safeParse(json);
  if (!parsed.success) return { title: '', detail: '', code: null };
  const code = parsed.data.type?.split('#')[1]?.trim() ?? null;
  return {
    title: parsed.data.title === undefined ? '' : String(parsed.data.title).trim(),
    detail: parsed.data.detail?.trim() ?? '',
    code: code && /^[\w.-]{1,40}$/.test(code) ? code : null,
  };
}

/** What Vonage's error body says (`title: detail`), '' when it says nothing. */
export function vonageSaid(text: string): string {
  const problem = problemOf(text);
  return [problem.title, problem.detail].filter(Boolean).join(': ');
}

function refusal(
  status: number,
  text: string,
  headers: Headers,
  now: number,
  scrub: (t: string) => string,
): Failure {
  const problem = problemOf(text);
  const said = vonageSaid(text);
  const why = said ? ` (${scrub(said)})` : '';
  const code = problem.code ? `vonage_${problem.code}` : `http_${status}`;
  if (status === 429)
    return failure(
      true,
      code,
      `Vonage is rate limiting this account${why}; will retry.`,
      retryAfterMs(headers.get('retry-after'), now),
    );
  if (status >= 500)
    return failure(
      true,
      code,
      `The Vonage Messages API is temporarily unavailable (HTTP ${status})${why}; will retry.`,
      retryAfterMs(headers.get('retry-after'), now),
    );
  if (status === 401 || status === 403)
    return failure(
      false,
      code,
      `Vonage refused the application’s credentials (HTTP ${status})${why}: check the application ID and private key on the Channels page.`,
    );
  return failure(false, code, `Vonage refused the message (HTTP ${status})${why}.`);
}

export async function sendVonageText(
  request: OutboundRequest,
  text: string,
  settings: ChannelSettings,
  options: SmsSendOptions,
): Promise<SendResult> {
  const scrub = smsScrubber(settings);
  if (text.length > VONAGE_MAX_TEXT)
    return failure(
      false,
      'text_too_long',
      `Vonage takes at most ${VONAGE_MAX_TEXT} characters in one SMS; this one has ${text.length}.`,
    );
  const key = vonagePrivateKey(settingOf(settings, 'vonagePrivateKey'));
  if (key === null)
    return failure(
      false,
      'bad_private_key',
      'The Vonage private key is not a readable RSA private key (PEM): paste the key file the application gave.',
    );
  const jwt = await vonageApplicationJwt(
    settingOf(settings, 'vonageApplicationId'),
    key,
    options.now(),
  );
  const body = JSON.stringify({
    message_type: 'text',
    text,
    to: vonageNumber(request.to),
    from: vonageNumber(smsAccountId(settings)),
    channel: 'sms',
    client_ref: request.messageId,
  });
  let response: Response;
  let answer: string;
  try {
    response = await options.fetch(`${vonageApiBase(settings)}/v1/messages`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${jwt}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    answer = await response.text();
  } catch (error) {
    return transportFailure(error, 'the Vonage Messages API', 'Vonage', options.timeoutMs, scrub);
  }
  if (response.status < 200 || response.status >= 300)
    return refusal(response.status, answer, response.headers, options.now(), scrub);
  let json: unknown = null;
  try {
    json = JSON.parse(answer);
  } catch {
    // handled below
  }
  const accepted = acceptedSchema.safeParse(json);
  if (!accepted.success)
    return uncertain(
      'bad_response',
      `Vonage answered HTTP ${response.status} without a message_uuid; waiting for its status callback to confirm whether it was sent.`,
    );
  return { ok: true, externalId: accepted.data.message_uuid };
}
