import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';

/** The demo dealer's webhook secret: its deliveries are verified like a real dealer's. */
const DEMO_WEBHOOK_SECRET = 'replydesk-demo-kakao-webhook-secret';

/**
 * A demo customer's text as the dealer's webhook would POST it (the HappyTalk-style shape
 * happytalk.ts assumes), with the shared secret, so the demo goes through `verify` and `parse`.
 */
export function kakaoDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  const raw = Buffer.from(
    JSON.stringify({
      event: 'message',
      sender_key: event.channelAccountId,
      user_key: event.customer.externalId,
      serial_number: event.externalId,
      message_type: 'TX',
      content: event.content.body,
      created_at: event.sentAt,
      ...(event.customer.name ? { nickname: event.customer.name } : {}),
    }),
  );
  return {
    raw,
    headers: { 'content-type': 'application/json', 'x-webhook-secret': DEMO_WEBHOOK_SECRET },
    settings: { webhookSecret: DEMO_WEBHOOK_SECRET, senderKey: event.channelAccountId },
  };
}
