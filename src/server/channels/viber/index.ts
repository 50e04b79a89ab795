import { settingOf, type ChannelConnector } from '../connector';
import { viberDemoDelivery } from './demo';
import { createViberMedia } from './media';
import { registerViberWebhook, testViberConnection } from './register';
import { createViberSender } from './sender';
import { VIBER_SETTINGS, welcomeAnswer } from './settings';
import { parseViberCallback, viberVerify } from './webhook';

/**
 * Viber (REST Bot API, CHANNEL-API.md §6; docs/channels/viber.md). The folder's parts: settings
 * (settings.ts), signature (signature.ts), callbacks' schemas and mapping (webhook.ts), 64-bit
 * tokens kept exact (exact-json.ts), send_message (sender.ts), files (media.ts), set_webhook
 * (register.ts), the demo's signed callback (demo.ts). Its fake is test/support/fake-viber-api.ts
 * and its signed callbacks test/support/viber-webhooks.ts. The 24 h session and its cost are the
 * reply-window engine's and the rate card's (rules.ts `viber`), not the connector's.
 */
export const viberConnector: ChannelConnector = {
  channel: 'viber',
  name: 'Viber',
  provider: 'viber_bot',
  settings: VIBER_SETTINGS,
  receives: (settings) => settingOf(settings, 'authToken') !== '',
  // No GET handshake: Viber checks the URL with a signed POST `event: "webhook"`.
  verify: viberVerify,
  parse: parseViberCallback,
  answer(_body, parsed, settings) {
    // Only a conversation_started that parse kept as a welcome (a user not yet subscribed).
    const welcomed = parsed.events.some(
      (e) => e.kind === 'echo' && e.externalId.startsWith('welcome:'),
    );
    const welcome = welcomed ? welcomeAnswer(settings) : null;
    return welcome ? { status: 200, contentType: 'application/json', body: welcome.body } : null;
  },
  createSender: ({ settings, timeoutMs, fetch }) =>
    createViberSender({
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createViberMedia(deps),
  registerWebhook: registerViberWebhook,
  testConnection: testViberConnection,
  demoDelivery: viberDemoDelivery,
};
