import { settingOf, type ChannelSettings, type SettingSpec } from '../connector';

/**
 * KakaoTalk's settings (docs/channels/kakao.md), on the Channels page or from `REPLYDESK_KAKAO_…`.
 * Two routes share the channel (CHANNEL-API.md §8): a BizMessage dealer's consultation talk
 * (상담톡, agents' replies) and an Open Builder skill (automated answers). What a dealer decides
 * (its base URL, its header names, its result codes) is a setting, not a constant: the first
 * adapter follows HappyTalk's published shape [partner], and another dealer's contract may differ.
 */

/** HappyTalk's consultation-talk API (CHANNEL-API.md §8.2, [partner]). */
export const DEFAULT_DEALER_URL = 'https://kakao-api.happytalk.io';

/** How long the skill may spend looking up an order before it answers without it (ms). */
export const DEFAULT_SKILL_LOOKUP_MS = 3000;

const HEADER_NAME = {
  source: '^[A-Za-z0-9-]{1,100}$',
  message: 'an HTTP header name: letters, digits and dashes',
};

const DEALER_PATH = {
  source: '^/[A-Za-z0-9/_.-]{0,200}$',
  message: 'a path starting with /, e.g. /v1/chat/end',
};

export const KAKAO_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'dealer',
    label: 'Dealer API',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_DEALER',
    default: 'happytalk',
    pattern: { source: '^happytalk$', message: 'one of: happytalk' },
    help: 'Which consultation-talk dealer API the channel speaks. A dealer contract is needed: Kakao offers 상담톡 only through its BizMessage dealers.',
  },
  {
    name: 'dealerUrl',
    label: 'Dealer API base URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_DEALER_URL',
    default: DEFAULT_DEALER_URL,
    pattern: { source: '^https?://\\S{1,500}$', message: 'an http(s):// URL' },
    help: 'The base URL your dealer gave you; messages go to <this>/v1/chat/write.',
  },
  {
    name: 'clientId',
    label: 'Client id',
    secret: false,
    required: true,
    env: 'REPLYDESK_KAKAO_CLIENT_ID',
    help: 'The API client id from your dealer (HappyTalk: HT-Client-Id).',
  },
  {
    name: 'clientSecret',
    label: 'Client secret',
    secret: true,
    required: true,
    env: 'REPLYDESK_KAKAO_CLIENT_SECRET',
    help: 'The API client secret from your dealer (HappyTalk: HT-Client-Secret).',
  },
  {
    name: 'senderKey',
    label: 'Sender key (발신프로필 키)',
    secret: false,
    required: true,
    env: 'REPLYDESK_KAKAO_SENDER_KEY',
    pattern: { source: '^[A-Za-z0-9_-]{1,40}$', message: 'at most 40 letters, digits, - or _' },
    help: 'The sender profile key your dealer issued for the Kakao Talk Channel; conversations are filed under it.',
  },
  {
    name: 'webhookSecret',
    label: 'Dealer webhook secret',
    secret: true,
    required: false,
    env: 'REPLYDESK_KAKAO_WEBHOOK_SECRET',
    help: 'The shared secret the dealer sends with every webhook, in the header named below. Deliveries without it are refused.',
  },
  {
    name: 'skillSecret',
    label: 'Open Builder skill secret',
    secret: true,
    required: false,
    env: 'REPLYDESK_KAKAO_SKILL_SECRET',
    help: 'The value you set as the skill’s header in Kakao i Open Builder (skill → headers), in the header named below. Skill calls without it are refused.',
  },
  {
    name: 'clientIdHeader',
    label: 'Client id header',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_CLIENT_ID_HEADER',
    default: 'HT-Client-Id',
    envOnly: true,
    pattern: HEADER_NAME,
  },
  {
    name: 'clientSecretHeader',
    label: 'Client secret header',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_CLIENT_SECRET_HEADER',
    default: 'HT-Client-Secret',
    envOnly: true,
    pattern: HEADER_NAME,
  },
  {
    name: 'webhookSecretHeader',
    label: 'Dealer webhook secret header',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_WEBHOOK_SECRET_HEADER',
    default: 'X-Webhook-Secret',
    envOnly: true,
    pattern: HEADER_NAME,
  },
  {
    name: 'skillSecretHeader',
    label: 'Skill secret header',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_SKILL_SECRET_HEADER',
    default: 'X-Skill-Secret',
    envOnly: true,
    pattern: HEADER_NAME,
  },
  {
    name: 'endSessionPath',
    label: 'Dealer end-session path',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_END_SESSION_PATH',
    default: '/v1/chat/end',
    envOnly: true,
    pattern: DEALER_PATH,
    help: 'Where the agent’s “End chat session” goes, under the base URL: POST {user_key, sender_key} (assumed; not in the appendix).',
  },
  {
    name: 'profilePath',
    label: 'Dealer sender-profile path',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_PROFILE_PATH',
    default: '/v1/profile',
    envOnly: true,
    pattern: DEALER_PATH,
    help: 'What “Test connection” reads, under the base URL: GET ?sender_key=… answered with the sender profile’s name and status (assumed; not in the appendix).',
  },
  {
    name: 'sessionEndedCodes',
    label: 'Dealer codes for an ended session',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_SESSION_ENDED_CODES',
    default: '3005,3006',
    envOnly: true,
    pattern: {
      source: '^[A-Za-z0-9_-]{1,20}(,[A-Za-z0-9_-]{1,20}){0,19}$',
      message: 'codes, comma-separated',
    },
    help: 'The dealer’s result codes meaning “no open session” (assumed; take them from your dealer’s error table).',
  },
  {
    name: 'skillLookupMs',
    label: 'Skill order lookup budget (ms)',
    secret: false,
    required: false,
    env: 'REPLYDESK_KAKAO_SKILL_LOOKUP_MS',
    default: String(DEFAULT_SKILL_LOOKUP_MS),
    envOnly: true,
    pattern: { source: '^[1-9][0-9]{1,3}$', message: 'milliseconds, 10 to 9999' },
  },
];

/** A setting with its default when unset. */
export function kakaoSetting(settings: ChannelSettings, name: string): string {
  const value = settingOf(settings, name);
  if (value !== '') return value;
  return KAKAO_SETTINGS.find((spec) => spec.name === name)?.default ?? '';
}

export const dealerBase = (settings: ChannelSettings): string =>
  kakaoSetting(settings, 'dealerUrl').replace(/\/+$/, '');

/** The dealer's result codes that mean the customer has no open session. */
export const sessionEndedCodes = (settings: ChannelSettings): ReadonlySet<string> =>
  new Set(
    kakaoSetting(settings, 'sessionEndedCodes')
      .split(',')
      .map((code) => code.trim())
      .filter((code) => code !== ''),
  );

export function skillLookupMs(settings: ChannelSettings): number {
  const ms = Number(kakaoSetting(settings, 'skillLookupMs'));
  return Number.isInteger(ms) && ms > 0 && ms < 5000 ? ms : DEFAULT_SKILL_LOOKUP_MS;
}

/** Secrets as `[redacted]` in anything an agent or admin reads. */
export function kakaoScrubber(settings: ChannelSettings, max = 1000): (text: string) => string {
  const secrets = ['clientSecret', 'webhookSecret', 'skillSecret']
    .map((name) => settingOf(settings, name))
    .filter((value) => value.length > 0);
  return (text) => {
    let clean = text;
    for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
}
