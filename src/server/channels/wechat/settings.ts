import { settingOf, type ChannelSettings, type SettingSpec } from '../connector';

/** WeChat's API host (CHANNEL-API.md §7.4); a fake's URL in tests (`REPLYDESK_WECHAT_API_BASE_URL`). */
export const DEFAULT_WECHAT_API_URL = 'https://api.weixin.qq.com';

/**
 * The settings an Official Account is configured with, on the Channels page or from
 * `REPLYDESK_WECHAT_…` environment variables (docs/channels/wechat.md). The first three are on
 * the Official Accounts Platform (设置与开发 → 基本配置): AppID, AppSecret, and the server
 * configuration's Token and EncodingAESKey.
 */
export const WECHAT_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'appId',
    label: 'AppID',
    secret: false,
    required: true,
    env: 'REPLYDESK_WECHAT_APP_ID',
    pattern: { source: '^wx[0-9A-Za-z]{16}$', message: '"wx" and 16 letters or digits' },
    help: 'The Official Account’s AppID (开发者ID). It fetches the access token and is checked inside every safe-mode message.',
  },
  {
    name: 'appSecret',
    label: 'AppSecret',
    secret: true,
    required: true,
    env: 'REPLYDESK_WECHAT_APP_SECRET',
    pattern: { source: '^[0-9A-Za-z]{32}$', message: '32 letters or digits' },
    help: 'The AppSecret (开发者密码): with the AppID it fetches the access token for customer-service messages. Add the hub’s address to the IP whitelist.',
  },
  {
    name: 'token',
    label: 'Token',
    secret: true,
    required: true,
    env: 'REPLYDESK_WECHAT_TOKEN',
    pattern: { source: '^[0-9A-Za-z]{3,32}$', message: '3 to 32 letters or digits' },
    help: 'The server configuration’s Token (令牌): WeChat signs the URL check and every push with it.',
  },
  {
    name: 'encodingAESKey',
    label: 'EncodingAESKey',
    secret: true,
    required: false,
    env: 'REPLYDESK_WECHAT_ENCODING_AES_KEY',
    pattern: { source: '^[0-9A-Za-z]{43}$', message: '43 letters or digits' },
    help: 'The server configuration’s EncodingAESKey (消息加解密密钥), for safe or compatible mode. Without it only plaintext mode works.',
  },
  {
    name: 'apiBaseUrl',
    label: 'WeChat API URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_WECHAT_API_BASE_URL',
    default: DEFAULT_WECHAT_API_URL,
    envOnly: true,
  },
];

export const apiBase = (settings: ChannelSettings): string =>
  (settingOf(settings, 'apiBaseUrl') || DEFAULT_WECHAT_API_URL).replace(/\/+$/, '');

/**
 * The AppSecret, the access token and every `access_token=` in a URL as `[redacted]` in anything
 * an agent or admin reads; cut to `max` characters.
 */
export function scrubber(
  settings: ChannelSettings,
  accessToken: string | null = null,
  max = 1000,
): (text: string) => string {
  const secrets = [settingOf(settings, 'appSecret'), accessToken ?? ''].filter((s) => s !== '');
  return (text) => {
    let clean = text.replace(/(access_token|secret)=[^&\s"']*/gi, '$1=[redacted]');
    for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
}
