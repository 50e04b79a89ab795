import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { signLineBody } from './signature';

/** The demo account's channel secret: its deliveries are signed and verified like LINE's. */
const DEMO_CHANNEL_SECRET = 'replydesk-demo-line-secret';

/** A stable 26-character id (LINE's `webhookEventId` is a ULID) from the demo message's id. */
function eventIdOf(externalId: string): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let hash = 2166136261;
  let out = '';
  for (let i = 0; out.length < 26; i += 1) {
    hash ^= externalId.charCodeAt(i % Math.max(1, externalId.length)) + i;
    hash = Math.imul(hash, 16777619) >>> 0;
    out += alphabet[hash % 32];
  }
  return out;
}

/**
 * A demo customer's text message as LINE delivers it (`{"destination","events":[{"type":
 * "message","mode":"active","timestamp","source":{"type":"user","userId"},"webhookEventId",
 * "deliveryContext":{"isRedelivery":false},"replyToken"?,"message":{"id","type":"text","text"}}]}`),
 * signed, so the demo goes through the connector's verification and mapping. The demo's reply
 * token, when it gives one, goes with it. Files stay on the demo's own path (LINE's content
 * would be fetched from its data API).
 */
export function lineDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  const body = {
    destination: event.channelAccountId,
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: event.sentAt,
        source: { type: 'user', userId: event.customer.externalId },
        webhookEventId: eventIdOf(event.externalId),
        deliveryContext: { isRedelivery: false },
        ...(event.replyToken ? { replyToken: event.replyToken.token } : {}),
        message: {
          id: event.externalId,
          type: 'text',
          text: event.content.body,
          ...(event.replyToExternalId ? { quotedMessageId: event.replyToExternalId } : {}),
        },
      },
    ],
  };
  const raw = Buffer.from(JSON.stringify(body));
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-line-signature': signLineBody(raw, DEMO_CHANNEL_SECRET),
    },
    settings: { channelSecret: DEMO_CHANNEL_SECRET, channelAccessToken: '' },
  };
}
