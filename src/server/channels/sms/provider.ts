import type {
  ChannelSettings,
  ParsedDelivery,
  Refusal,
  WebhookDelivery,
  WebhookRegistration,
} from '../connector';
import type { OutboundRequest, SendResult } from '../types';
import type { SmsProviderId } from './settings';

/** What the SMS connector lends its providers: the clock signatures are checked against. */
export interface SmsClock {
  readonly now: () => number;
}

export interface SmsSendOptions {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * One way of connecting an SMS number (Vonage, Bird): the parts of a connector that differ by
 * provider. The SMS connector (index.ts) picks one by the `provider` setting; a third provider is
 * one more of these in its own folder.
 */
export interface SmsProvider {
  readonly id: SmsProviderId;
  /** What the admin and the agent read ("Vonage", "Bird"). */
  readonly name: string;
  /** Its webhooks can be checked with these settings. */
  receives(settings: ChannelSettings): boolean;
  /** The settings a send needs that are missing (their labels), empty when it can send. */
  missingForSend(settings: ChannelSettings): string[];
  verify(
    delivery: WebhookDelivery,
    settings: ChannelSettings,
    clock: SmsClock,
  ): { ok: true } | Refusal;
  /** @throws WebhookPayloadError when the body is not this provider's webhook. */
  parse(body: unknown, settings: ChannelSettings): ParsedDelivery;
  /** Send one text to `request.to` (E.164). */
  sendText(
    request: OutboundRequest,
    text: string,
    settings: ChannelSettings,
    options: SmsSendOptions,
  ): Promise<SendResult>;
  /**
   * The Channels page's "Test connection": one harmless read with the credentials a send uses,
   * naming what they open, or the provider's reason when they open nothing.
   */
  testConnection(settings: ChannelSettings, options: SmsSendOptions): Promise<WebhookRegistration>;
}

/** A refusal of a delivery: `reason` for the channel's status, `message` for the caller. */
export const refused = (reason: string, message: string): Refusal => ({
  ok: false,
  reason,
  message,
});
