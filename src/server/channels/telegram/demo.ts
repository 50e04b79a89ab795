import { createHash } from 'node:crypto';
import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { SECRET_HEADER } from './webhook';

/** The demo bot's settings: its deliveries carry this secret and are verified like Telegram's. */
const DEMO_SECRET = 'replydesk-demo-telegram-secret';

/** A stable positive integer below 2^48 for a demo id (Telegram's ids are numbers). */
const numberOf = (id: string): number =>
  Number.parseInt(createHash('sha256').update(id).digest('hex').slice(0, 12), 16);

/**
 * A demo customer's text message as Telegram would deliver it (an Update with `message`, and
 * the secret header), so the demo goes through the connector's verification and mapping. Its
 * message id is `<chat>:<number of the demo id>`; Telegram's `date` is in seconds. Other content
 * is left to the demo's own path (its files have no Telegram file ids).
 */
export function telegramDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  // A private chat's id is the user's: a number (the demo's are digits).
  if (!/^[1-9]\d{0,14}$/.test(event.customer.externalId)) return null;
  const chatId = Number(event.customer.externalId);
  const firstName = event.customer.name ?? 'Customer';
  const body = {
    update_id: numberOf(`update:${event.externalId}`),
    message: {
      message_id: numberOf(event.externalId),
      date: Math.floor(event.sentAt / 1000),
      from: {
        id: chatId,
        is_bot: false,
        first_name: firstName,
        ...(event.customer.language ? { language_code: event.customer.language } : {}),
      },
      chat: { id: chatId, type: 'private', first_name: firstName },
      text: event.content.body,
    },
  };
  const raw = Buffer.from(JSON.stringify(body));
  return {
    raw,
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: DEMO_SECRET },
    settings: {
      botToken: `${event.channelAccountId}:replydesk-demo-bot-token-not-a-real-one`,
      webhookSecret: DEMO_SECRET,
    },
  };
}
