import { settingOf, type ChannelConnector } from '../connector';
import {
  readLineMemberName,
  readLineProfile,
  readLineQuota,
  registerLineWebhook,
  startLineLoading,
} from './account';
import { lineDemoDelivery } from './demo';
import { createLineMedia } from './media';
import { createLineSender } from './sender';
import { LINE_SETTINGS } from './settings';
import { verifyLineSignature } from './signature';
import { parseLineWebhook } from './webhook';

export { readLineQuota, startLineLoading, type LineQuota } from './account';

/** How long the typing relay leaves a group or room alone: LINE shows no animation there. */
const GROUP_TYPING_PAUSE_MS = 3_600_000;

/**
 * LINE Messaging API (CHANNEL-API.md §5): the signature (signature.ts), the webhook's schemas and
 * mapping (webhook.ts), reply and push (sender.ts), content download and URL-only files
 * (media.ts), the quota, the loading indicator and the webhook endpoint (account.ts). Its fake is
 * test/support/fake-line-api.ts and its signed webhooks test/support/line-webhooks.ts;
 * docs/channels/line.md is the admin's page.
 */
export const lineConnector: ChannelConnector = {
  channel: 'line',
  name: 'LINE Messaging API',
  provider: 'line_messaging_api',
  settings: LINE_SETTINGS,
  receives: (settings) => settingOf(settings, 'channelSecret') !== '',
  // No handshake: the console's Verify button sends a signed POST with `events: []`.
  verify: ({ headers, raw }, settings) => {
    const signature = headers['x-line-signature'];
    return verifyLineSignature(
      raw,
      typeof signature === 'string' ? signature : undefined,
      settingOf(settings, 'channelSecret'),
    )
      ? { ok: true }
      : {
          ok: false,
          reason: 'A delivery was refused: its x-line-signature was missing or wrong.',
          message: 'The x-line-signature signature is missing or wrong.',
        };
  },
  parse: (body) => parseLineWebhook(body),
  createSender: (deps) => createLineSender(deps),
  createMedia: (deps) => createLineMedia(deps),
  registerWebhook: (webhookUrl, settings, deps) => registerLineWebhook(webhookUrl, settings, deps),
  sendQuota: (settings, deps) => readLineQuota(settings, deps),
  customerProfile: (userId, settings, deps) => readLineProfile(userId, settings, deps),
  memberName: (chatId, userId, settings, deps) =>
    readLineMemberName(chatId, userId, settings, deps),
  // LINE's loading animation, 20 s at a time while an agent types (one-to-one chats only).
  async showTyping(to, settings, deps) {
    // Groups (`C…`) and rooms (`R…`) have none: not asked, and not again for an hour.
    if (!to.startsWith('U')) return GROUP_TYPING_PAUSE_MS;
    const shown = await startLineLoading(settings, deps, to, 20);
    if (!shown.ok) throw new Error(shown.reason);
    return shown.loadingSeconds * 1000;
  },
  demoDelivery: (event) => lineDemoDelivery(event),
};
