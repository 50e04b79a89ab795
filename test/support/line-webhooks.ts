import { signLineBody } from '../../src/server/channels/line/signature';

/**
 * LINE webhook bodies shaped like LINE's webhook.yml (CHANNEL-API.md §5.2), written out here
 * rather than built by the code under test, and signed as LINE signs them (`x-line-signature`,
 * Base64 HMAC-SHA256 of the exact bytes with the channel secret).
 */

export const LINE = {
  /** The bot's user id: every delivery's `destination`, the hub's channel account. */
  botUserId: 'U0123456789abcdef0123456789abcdef',
  channelSecret: 'test-line-channel-secret',
  channelAccessToken: 'test-line-channel-access-token',
};

/** Settings as a hub is given them (env-only ones included: no defaults are added then). */
export function lineSettings(apiUrl: string, dataApiUrl = apiUrl): Record<string, string> {
  return {
    channelSecret: LINE.channelSecret,
    channelAccessToken: LINE.channelAccessToken,
    apiUrl,
    dataApiUrl,
  };
}

/** `{"destination","events":[…]}`. */
export function lineWebhook(events: readonly object[], destination = LINE.botUserId): object {
  return { destination, events };
}

let eventCounter = 0;

/**
 * One event's common fields: a one-to-one chat with `userId`, `mode: "active"`, a fresh
 * `webhookEventId` (override it to model a redelivery) and `isRedelivery: false`.
 */
export function lineEvent(
  type: string,
  userId: string,
  timestamp: number,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  eventCounter += 1;
  return {
    type,
    mode: 'active',
    timestamp,
    source: { type: 'user', userId },
    webhookEventId: `01JDEMO${String(eventCounter).padStart(19, '0')}`,
    deliveryContext: { isRedelivery: false },
    ...fields,
  };
}

/** The bytes and headers LINE would POST for `body`. */
export function signedLine(
  body: unknown,
  channelSecret = LINE.channelSecret,
): { body: string; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    body: raw,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-line-signature': signLineBody(raw, channelSecret),
    },
  };
}

/** POSTs `events` to the hub's `/webhooks/line`, signed; the HTTP status and JSON answer. */
export async function deliverLine(
  hubUrl: string,
  events: readonly object[],
): Promise<{ status: number; body: unknown }> {
  const signed = signedLine(lineWebhook(events));
  const res = await fetch(`${hubUrl}/webhooks/line`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
}
