import { settingOf, type ChannelSettings, type SettingSpec } from '../connector';

/** Vonage's Messages API (CHANNEL-API.md §9.1); a fake's URL in tests. */
export const DEFAULT_VONAGE_API_URL = 'https://api.nexmo.com';
/** Bird's Channels API (CHANNEL-API.md §9.2); a fake's URL in tests. */
export const DEFAULT_BIRD_API_URL = 'https://api.bird.com';

export const SMS_PROVIDERS = ['vonage', 'bird'] as const;
export type SmsProviderId = (typeof SMS_PROVIDERS)[number];

const E164_PATTERN = {
  source: '^\\+[1-9]\\d{6,14}$',
  message: 'an E.164 number, e.g. +447700900001',
};
const UUID_PATTERN = {
  source: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
  message: 'a UUID as the provider’s dashboard shows it',
};

/**
 * One SMS number, connected through the provider the admin chooses (`provider`): Vonage's
 * Messages API or Bird's Channels API. Each provider's settings are named by it; only the chosen
 * one's are needed (`receives`, and the sender says which is missing). The number is the one
 * setting both need, so it is the channel's only `required` one: conversations are filed under it,
 * and stay together when the number moves to the other provider. Env: `REPLYDESK_SMS_…`
 * (docs/channels/sms.md).
 */
export const SMS_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'provider',
    label: 'Provider',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_PROVIDER',
    default: 'vonage',
    pattern: { source: '^(vonage|bird)$', message: 'vonage or bird' },
    help: 'Who connects the number: vonage (Messages API) or bird (Bird / MessageBird Channels API).',
  },
  {
    name: 'number',
    label: 'SMS number',
    secret: false,
    required: true,
    env: 'REPLYDESK_SMS_NUMBER',
    pattern: E164_PATTERN,
    help: 'The business’s number in E.164 (+447700900001): Vonage sends from it; conversations are filed under it.',
  },
  {
    name: 'vonageApplicationId',
    label: 'Vonage application ID',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_VONAGE_APPLICATION_ID',
    pattern: UUID_PATTERN,
    help: 'The Messages application the number is linked to (Vonage dashboard → Applications).',
  },
  {
    name: 'vonagePrivateKey',
    label: 'Vonage private key',
    secret: true,
    required: false,
    env: 'REPLYDESK_SMS_VONAGE_PRIVATE_KEY',
    multiline: true,
    // An RSA-4096 PKCS#8 PEM is about 3,300 characters.
    maxLength: 4000,
    help: 'The application’s private key (PEM, as downloaded; newlines may be written as \\n). It signs the application JWT of every send.',
  },
  {
    name: 'vonageSignatureSecret',
    label: 'Vonage signature secret',
    secret: true,
    required: false,
    env: 'REPLYDESK_SMS_VONAGE_SIGNATURE_SECRET',
    help: 'The account’s signature secret (Dashboard → Settings): it checks the JWT on every inbound and status webhook.',
  },
  {
    name: 'vonageApiUrl',
    label: 'Vonage API URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_VONAGE_API_URL',
    default: DEFAULT_VONAGE_API_URL,
    envOnly: true,
  },
  {
    name: 'birdAccessKey',
    label: 'Bird access key',
    secret: true,
    required: false,
    env: 'REPLYDESK_SMS_BIRD_ACCESS_KEY',
    help: 'An access key of the workspace (Bird → Settings → Security → Access keys), sent as `Authorization: AccessKey …`.',
  },
  {
    name: 'birdSigningKey',
    label: 'Bird webhook signing key',
    secret: true,
    required: false,
    env: 'REPLYDESK_SMS_BIRD_SIGNING_KEY',
    help: 'The webhook subscription’s signing key: it checks messagebird-signature (and the legacy MessageBird-Signature-JWT).',
  },
  {
    name: 'birdWorkspaceId',
    label: 'Bird workspace ID',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_BIRD_WORKSPACE_ID',
    pattern: UUID_PATTERN,
  },
  {
    name: 'birdChannelId',
    label: 'Bird channel ID',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_BIRD_CHANNEL_ID',
    pattern: UUID_PATTERN,
    help: 'The SMS channel of the number in the workspace.',
  },
  {
    name: 'birdApiUrl',
    label: 'Bird API URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_BIRD_API_URL',
    default: DEFAULT_BIRD_API_URL,
    envOnly: true,
  },
  {
    name: 'webhookUrl',
    label: 'Public webhook URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_SMS_WEBHOOK_URL',
    pattern: { source: '^https?://\\S{1,2000}$', message: 'an http(s):// URL' },
    help: 'The URL exactly as given to Bird, which signs it. By default the hub’s public address (REPLYDESK_PUBLIC_URL) and /webhooks/sms.',
  },
  {
    // The hub's public address, read again here: Bird signs the URL it called, and behind a
    // proxy the hub sees another host. Not on the page (it is the hub's, not the channel's).
    name: 'publicUrl',
    label: 'Hub public URL',
    secret: false,
    required: false,
    env: 'REPLYDESK_PUBLIC_URL',
    envOnly: true,
  },
];

/** The provider in force: the setting, else Vonage (the default). */
export function providerOf(settings: ChannelSettings): SmsProviderId {
  return settingOf(settings, 'provider') === 'bird' ? 'bird' : 'vonage';
}

const trimmed = (url: string): string => url.replace(/\/+$/, '');

export const vonageApiBase = (settings: ChannelSettings): string =>
  trimmed(settingOf(settings, 'vonageApiUrl') || DEFAULT_VONAGE_API_URL);

export const birdApiBase = (settings: ChannelSettings): string =>
  trimmed(settingOf(settings, 'birdApiUrl') || DEFAULT_BIRD_API_URL);

/**
 * The account conversations are filed under: the business's number in E.164, the same through
 * either provider.
 */
export const smsAccountId = (settings: ChannelSettings): string => settingOf(settings, 'number');

/**
 * The public URL a delivery was made to, as the platform signed it: the `webhookUrl` setting, else
 * the hub's public address with the path and query received; null when the hub knows neither.
 */
export function publicWebhookUrl(settings: ChannelSettings, received: URL): string | null {
  const configured = settingOf(settings, 'webhookUrl');
  if (configured !== '') return configured;
  const publicUrl = settingOf(settings, 'publicUrl');
  if (publicUrl === '') return null;
  return `${trimmed(publicUrl)}${received.pathname}${received.search}`;
}

/** Every secret of the settings, redacted from anything an agent or admin reads. */
export function smsScrubber(settings: ChannelSettings, max = 1000): (text: string) => string {
  const secrets = SMS_SETTINGS.filter((spec) => spec.secret)
    .map((spec) => settingOf(settings, spec.name))
    .filter((value) => value.length >= 4);
  return (text) => {
    let clean = text;
    for (const secret of secrets) clean = clean.split(secret).join('[redacted]');
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
}
