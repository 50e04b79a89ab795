import { settingOf } from '../../connector';
import type { SmsProvider } from '../provider';
import { testVonageConnection } from './connection';
import { sendVonageText } from './sender';
import { verifyVonage } from './signature';
import { parseVonageCallback } from './webhook';

/**
 * Vonage's Messages API (CHANNEL-API.md §9.1): signed callbacks (signature.ts), their schemas and
 * mapping (webhook.ts), sending with the application JWT (sender.ts). Its fake is
 * test/support/fake-vonage-api.ts, its signed callbacks test/support/sms-webhooks.ts.
 */
export const vonageProvider: SmsProvider = {
  id: 'vonage',
  name: 'Vonage',
  receives: (settings) => settingOf(settings, 'vonageSignatureSecret') !== '',
  missingForSend: (settings) =>
    [
      ['vonageApplicationId', 'Vonage application ID'],
      ['vonagePrivateKey', 'Vonage private key'],
    ].flatMap(([name, label]) => (settingOf(settings, name ?? '') === '' ? [label ?? ''] : [])),
  verify: verifyVonage,
  parse: parseVonageCallback,
  testConnection: testVonageConnection,
  sendText: sendVonageText,
};
