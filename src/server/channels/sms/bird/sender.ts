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
import { e164 } from '../phone';
import type { SmsSendOptions } from '../provider';
import { birdApiBase, smsScrubber } from '../settings';

/**
 * `POST {base}/workspaces/{workspaceId}/channels/{channelId}/messages` with `Authorization:
 * AccessKey <key>` (CHANNEL-API.md §9.2): `{receiver:{contacts:[{identifierKey:"phonenumber",
 * identifierValue:"+31…"}]}, body:{type:"text",text:{text}}, reference}` → 202 with the message
 * object (`id`, status `accepted`). `reference` is our message id: Bird hands it back on the
 * message's status events. 401 / 403 are final (the key), 429 and 5xx retried (after
 * `Retry-After` when given), a timeout uncertain.
 */

const acceptedSchema = z.object({ id: z.string().min(1).max(100) }).passthrough();
/** Bird's error body: `{code, message, details?}` (the Channels API reference). */
const errorSchema = z
  .object({
    code: z.union([z.string().max(100), z.number()]).optional(),
    message: z.string().max(2000).optional(),
  })
  .passthrough();

/** What Bird's error body says (`code: message`), '' when it is not Bird's JSON. */
export function birdErrorOf(text: string): string {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: the status says enough
  }
  const parsed = errorSchema.safeParse(json);
  return parsed.success
    ? [parsed.data.code === undefined ? '' : String(parsed.data.code), parsed.data.message ?? '']
        .filter(Boolean)
        .join(': ')
    : '';
}

function refusal(
  status: number,
  text: string,
  headers: Headers,
  now: number,
  scrub: (t: string) => string,
): Failure {
  const said = birdErrorOf(text);
  const why = said ? ` (${scrub(said)})` : '';
  const code = `http_${status}`;
  if (status === 429)
    return failure(
      true,
      code,
      `Bird is rate limiting this workspace${why}; will retry.`,
      retryAfterMs(headers.get('retry-after'), now),
    );
  if (status >= 500)
    return failure(
      true,
      code,
      `The Bird Channels API is temporarily unavailable (HTTP ${status})${why}; will retry.`,
      retryAfterMs(headers.get('retry-after'), now),
    );
  if (status === 401 || status === 403)
    return failure(
      false,
      code,
      `Bird refused the access key (HTTP ${status})${why}: check the access key, workspace and channel on the Channels page.`,
    );
  return failure(false, code, `Bird refused the message (HTTP ${status})${why}.`);
}

export async function sendBirdText(
  request: OutboundRequest,
  text: string,
  settings: ChannelSettings,
  options: SmsSendOptions,
): Promise<SendResult> {
  const scrub = smsScrubber(settings);
  const workspace = encodeURIComponent(settingOf(settings, 'birdWorkspaceId'));
  const channel = encodeURIComponent(settingOf(settings, 'birdChannelId'));
  const body = JSON.stringify({
    receiver: {
      contacts: [{ identifierKey: 'phonenumber', identifierValue: e164(request.to) ?? request.to }],
    },
    body: { type: 'text', text: { text } },
    reference: request.messageId,
  });
  let response: Response;
  let answer: string;
  try {
    response = await options.fetch(
      `${birdApiBase(settings)}/workspaces/${workspace}/channels/${channel}/messages`,
      {
        method: 'POST',
        headers: {
          Authorization: `AccessKey ${settingOf(settings, 'birdAccessKey')}`,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
    );
    answer = await response.text();
  } catch (error) {
    return transportFailure(error, 'the Bird Channels API', 'Bird', options.timeoutMs, scrub);
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
      `Bird answered HTTP ${response.status} without a message id; waiting for its status event to confirm whether it was sent.`,
    );
  return { ok: true, externalId: accepted.data.id };
}
