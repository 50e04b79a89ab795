import { settingOf, type ChannelConnector } from '../connector';
import { testWechatConnection } from './api';
import { wechatDemoDelivery } from './demo';
import { createWechatMedia } from './media';
import { createWechatSender } from './sender';
import { WECHAT_SETTINGS } from './settings';
import {
  decodeWechatPush,
  parseWechatPush,
  SUCCESS_ANSWER,
  wechatHandshake,
  wechatVerify,
} from './webhook';

/**
 * WeChat Official Account (公众号; CHANNEL-API.md §7; docs/channels/wechat.md). The folder's
 * parts: settings (settings.ts), signatures (signature.ts), safe mode's AES (crypto.ts), the XML
 * read safely (xml.ts), verification, decoding, schemas and mapping (webhook.ts), the access
 * token and API calls (api.ts), customer-service messages (sender.ts), temporary media
 * (media.ts), the demo's signed push (demo.ts). Its fake is test/support/fake-wechat-api.ts and
 * its signed pushes test/support/wechat-webhooks.ts. The 48 h window, its 5 messages and the
 * 1-minute allowance after a menu click, follow or QR scan are the reply-window engine's
 * (rules.ts `wechat`), fed by the entry points the mapping sets.
 */
export const wechatConnector: ChannelConnector = {
  channel: 'wechat',
  name: 'WeChat Official Account',
  provider: 'wechat_official_account',
  settings: WECHAT_SETTINGS,
  receives: (settings) => settingOf(settings, 'token') !== '',
  handshake: wechatHandshake,
  verify: wechatVerify,
  decode: decodeWechatPush,
  parse: parseWechatPush,
  // WeChat waits 5 s and retries without an answer: `success` once the events are committed.
  answer: () => SUCCESS_ANSWER,
  createSender: ({ settings, timeoutMs, fetch }) =>
    createWechatSender({
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createWechatMedia(deps),
  testConnection: testWechatConnection,
  // No registerWebhook: the server URL is set on the Official Accounts Platform, which then
  // checks it with the GET handshake (the Channels page shows when that last succeeded).
  demoDelivery: wechatDemoDelivery,
};
