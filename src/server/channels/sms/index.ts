import { settingOf, type ChannelConnector, type ChannelSettings } from '../connector';
import { birdProvider } from './bird';
import { smsDemoDelivery } from './demo';
import type { SmsProvider } from './provider';
import { createSmsSender, DEFAULT_SEND_TIMEOUT_MS } from './sender';
import { providerOf, SMS_SETTINGS, type SmsProviderId } from './settings';
import { vonageProvider } from './vonage';
import { createVonageMedia } from './vonage/media';

/**
 * SMS (CHANNEL-API.md §9; docs/channels/sms.md): one number, connected through the provider the
 * `provider` setting names. The hub mounts one route per channel (/webhooks/sms), so this one
 * connector takes the deliveries and hands them to the provider's adapter: Vonage's Messages API
 * (vonage/) or Bird's Channels API (bird/), each with its signature check, schemas and mapping,
 * and sender. A third provider is one more folder and one more line in `PROVIDERS`.
 *
 * The parts shared by both: settings (settings.ts), E.164 numbers (phone.ts: the customer's id,
 * so a customer is the same through either), HMAC JWTs (jwt.ts), the mapping's common pieces
 * (mapping.ts), the sender's dispatch (sender.ts), the demo's signed Vonage callback (demo.ts).
 * SMS has no reply window and every message is billable: the reply-window engine's and the rate
 * card's (rules.ts `sms`), not the connector's; a status's `usage.price` replaces the quote.
 */

export const SMS_PROVIDERS: Readonly<Record<SmsProviderId, SmsProvider>> = {
  vonage: vonageProvider,
  bird: birdProvider,
};

/** The connector, with the clock its signature checks use (tests give theirs). */
export function createSmsConnector(deps: { readonly now?: () => number } = {}): ChannelConnector {
  const now = deps.now ?? Date.now;
  const clock = { now };
  const providerFor = (settings: ChannelSettings): SmsProvider =>
    SMS_PROVIDERS[providerOf(settings)];
  return {
    channel: 'sms',
    name: 'SMS (Vonage or Bird)',
    provider: 'sms',
    settings: SMS_SETTINGS,
    receives: (settings) =>
      settingOf(settings, 'number') !== '' && providerFor(settings).receives(settings),
    // No GET handshake: both providers just POST signed deliveries.
    verify: (delivery, settings) => providerFor(settings).verify(delivery, settings, clock),
    parse: (body, settings) => providerFor(settings).parse(body, settings),
    createSender: ({ settings, timeoutMs, fetch }) =>
      createSmsSender({
        settings,
        providers: SMS_PROVIDERS,
        now,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(fetch === undefined ? {} : { fetch }),
      }),
    // One harmless read with the chosen provider's credentials (vonage/ or bird/connection.ts).
    async testConnection(settings, deps) {
      const provider = providerFor(settings);
      const missing = provider.missingForSend(settings);
      if (missing.length > 0) {
        const said = `SMS through ${provider.name} needs ${missing.join(', ')} first: set them on the Channels page.`;
        return { ok: false, reason: said, message: said };
      }
      return provider.testConnection(settings, {
        fetch: deps.fetch ?? fetch,
        timeoutMs: deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
        now,
      });
    },
    // Only Vonage's MMS names files (Bird's inbound files are not read yet).
    createMedia: (deps) => createVonageMedia(deps, now),
    demoDelivery: smsDemoDelivery,
  };
}

export const smsConnector: ChannelConnector = createSmsConnector();
