import { settingOf, type ChannelConnector } from '../connector';
import { answerTelegramCallbacks } from './callbacks';
import { telegramDemoDelivery } from './demo';
import { createTelegramMedia } from './media';
import { registerTelegramWebhook } from './register';
import { showTelegramTyping } from './typing';
import { createTelegramSender } from './sender';
import { TELEGRAM_SETTINGS } from './settings';
import { parseTelegramUpdate, telegramVerify } from './webhook';

/**
 * Telegram Bot API (CHANNEL-API.md §4; docs/channels/telegram.md). The folder's parts: settings
 * (settings.ts), the secret-token check and the Update schemas and mapping (webhook.ts), answering
 * button taps (callbacks.ts), the
 * Bot API call (bot-api.ts), sending with its flood-limit pacing (sender.ts, pacing.ts), files
 * (media.ts), setWebhook (register.ts) and the demo's deliveries (demo.ts); its fake is
 * test/support/fake-telegram-api.ts and its updates test/support/telegram-webhooks.ts.
 */
export const telegramConnector: ChannelConnector = {
  channel: 'telegram',
  name: 'Telegram',
  provider: 'telegram_bot_api',
  settings: TELEGRAM_SETTINGS,
  // The bot's id (the account) comes from the token, the check from the secret.
  receives: (settings) =>
    settingOf(settings, 'botToken') !== '' && settingOf(settings, 'webhookSecret') !== '',
  verify: telegramVerify,
  parse: parseTelegramUpdate,
  // Button taps, once stored: answered so the customer's button stops spinning.
  afterStored: answerTelegramCallbacks,
  createSender: ({ settings, timeoutMs, fetch }) =>
    createTelegramSender({
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createTelegramMedia(deps),
  registerWebhook: registerTelegramWebhook,
  showTyping: showTelegramTyping,
  demoDelivery: telegramDemoDelivery,
};
