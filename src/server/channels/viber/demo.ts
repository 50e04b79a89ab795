import { createHash } from 'node:crypto';
import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { signViberBody } from './signature';

/** The demo bot's auth token: its callbacks are signed and verified like Viber's. */
const DEMO_AUTH_TOKEN = 'replydesk-demo-viber-token';

/**
 * A demo customer's message as Viber would POST it (`{"event":"message","timestamp",
 * "message_token","sender":{…},"message":{"type":"text","text"}}`, CHANNEL-API.md §6.2), signed,
 * so the demo goes through the connector's verification and mapping. Viber's tokens are 64-bit
 * integers written as bare JSON numbers: the demo's message id becomes one (the first 8 bytes of
 * its SHA-256, so a repeated demo message is still deduplicated), above 2^53 as real ones are.
 */
export function viberDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  const token = /^\d{1,20}$/.test(event.externalId)
    ? event.externalId
    : (
        createHash('sha256').update(event.externalId).digest().readBigUInt64BE(0) |
        (1n << 62n)
      ).toString();
  const sender = {
    id: event.customer.externalId,
    name: event.customer.name ?? 'Viber user',
    ...(event.customer.country ? { country: event.customer.country } : {}),
    ...(event.customer.language ? { language: event.customer.language } : {}),
    api_version: 10,
  };
  const head = `{"event":"message","timestamp":${event.sentAt},"chat_hostname":"SN-CHAT-DEMO","message_token":${token},`;
  const tail = JSON.stringify({
    sender,
    message: { type: 'text', text: event.content.body },
    silent: false,
  }).slice(1);
  const raw = Buffer.from(head + tail);
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-viber-content-signature': signViberBody(raw, DEMO_AUTH_TOKEN),
    },
    settings: {
      authToken: DEMO_AUTH_TOKEN,
      senderName: 'Replydesk demo',
      accountId: event.channelAccountId,
    },
  };
}
