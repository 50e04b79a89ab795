import { settingOf } from '../../connector';
import type { SmsProvider } from '../provider';
import { testBirdConnection } from './connection';
import { sendBirdText } from './sender';
import { verifyBird } from './signature';
import { parseBirdWebhook } from './webhook';

/**
 * Bird / MessageBird (CHANNEL-API.md §9.2): both signature forms (signature.ts), the Channels
 * API's message object (webhook.ts), sending through the Channels API (sender.ts). Its fake is
 * test/support/fake-bird-api.ts, its signed webhooks test/support/sms-webhooks.ts.
 */
export const birdProvider: SmsProvider = {
  id: 'bird',
  name: 'Bird',
  receives: (settings) => settingOf(settings, 'birdSigningKey') !== '',
  missingForSend: (settings) =>
    [
      ['birdAccessKey', 'Bird access key'],
      ['birdWorkspaceId', 'Bird workspace ID'],
      ['birdChannelId', 'Bird channel ID'],
    ].flatMap(([name, label]) => (settingOf(settings, name ?? '') === '' ? [label ?? ''] : [])),
  verify: verifyBird,
  parse: parseBirdWebhook,
  testConnection: testBirdConnection,
  sendText: sendBirdText,
};
