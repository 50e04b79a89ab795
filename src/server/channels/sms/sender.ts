import type { ChannelSettings } from '../connector';
import { failure } from '../meta/transport';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import { e164 } from './phone';
import type { SmsProvider } from './provider';
import { providerOf, type SmsProviderId } from './settings';

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;

/**
 * Sending an SMS through the provider in force at the time of the send (an admin may switch it):
 * text only (a template's rendered text too: SMS has no templates of its own), to the customer's
 * E.164 number. Every SMS is billable (CHANNELS.md); its price is the rate card's until the
 * provider's status says what it cost (`InboundStatus.price`).
 */
export function createSmsSender(deps: {
  readonly settings: () => ChannelSettings;
  readonly providers: Readonly<Record<SmsProviderId, SmsProvider>>;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => number;
}): ChannelSender {
  const options = {
    fetch: deps.fetch ?? fetch,
    timeoutMs: deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    now: deps.now ?? Date.now,
  };
  return {
    channel: 'sms',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'sms')
        return failure(false, 'wrong_channel', `A ${request.channel} message cannot go by SMS.`);
      const settings = deps.settings();
      const provider = deps.providers[providerOf(settings)];
      const missing = provider.missingForSend(settings);
      if (missing.length > 0)
        return failure(
          false,
          'not_configured',
          `SMS through ${provider.name} cannot send yet: set ${missing.join(', ')} on the Channels page.`,
        );
      if (e164(request.to) === null)
        return failure(
          false,
          'not_a_number',
          'This customer wrote from a sender name, not a phone number: SMS cannot answer it.',
        );
      const { content } = request;
      const text =
        content.type === 'text'
          ? content.body
          : content.type === 'template'
            ? content.renderedBody
            : null;
      if (text === null)
        return failure(
          false,
          'unsupported_outbound',
          `Replydesk cannot send ${content.type} messages by SMS; only text.`,
        );
      if (text.trim() === '')
        return failure(false, 'empty_text', 'An empty message cannot be sent.');
      return provider.sendText(request, text, settings, options);
    },
  };
}
