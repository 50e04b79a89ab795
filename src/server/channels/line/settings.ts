import type { SettingSpec } from '../connector';

/** LINE's Messaging API and its data API (content downloads), CHANNEL-API.md §5.3–5.4. */
export const DEFAULT_LINE_API_URL = 'https://api.line.me';
export const DEFAULT_LINE_DATA_API_URL = 'https://api-data.line.me';

/**
 * The settings of a LINE Official Account's Messaging API channel, on the Channels page or from
 * `LINE_…` environment variables. The account the hub receives on is the webhook's
 * `destination` (the bot's user id), so there is no account id to type in.
 */
export const LINE_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'channelSecret',
    label: 'Channel secret',
    secret: true,
    required: true,
    env: 'LINE_CHANNEL_SECRET',
    pattern: {
      source: '^[0-9a-zA-Z_-]{8,128}$',
      message: 'letters and digits, as the console shows it',
    },
    help: 'LINE Developers console → your Messaging API channel → Basic settings. Checks the x-line-signature of every webhook delivery.',
  },
  {
    name: 'channelAccessToken',
    label: 'Channel access token',
    secret: true,
    required: true,
    env: 'LINE_CHANNEL_ACCESS_TOKEN',
    help: 'Messaging API tab → Channel access token (long-lived). Sends replies and pushes and downloads files.',
  },
  {
    name: 'apiUrl',
    label: 'Messaging API URL',
    secret: false,
    required: false,
    env: 'LINE_API_URL',
    default: DEFAULT_LINE_API_URL,
    envOnly: true,
  },
  {
    name: 'dataApiUrl',
    label: 'Data API URL',
    secret: false,
    required: false,
    env: 'LINE_DATA_API_URL',
    default: DEFAULT_LINE_DATA_API_URL,
    envOnly: true,
  },
];

/** A base URL setting without its trailing slashes. */
export const baseOf = (value: string): string => value.replace(/\/+$/, '');
