import { createHash } from 'node:crypto';
import { settingOf, type ChannelSettings, type SettingSpec } from '../connector';

/** Viber's REST Bot API (CHANNEL-API.md §6.1); a fake's URL in tests (`VIBER_API_URL`). */
export const DEFAULT_VIBER_API_URL = 'https://chatapi.viber.com';

/** `sender.name` is limited to 28 characters (CHANNEL-API.md §6.3). */
export const MAX_SENDER_NAME = 28;

/**
 * The settings a Viber bot is configured with, on the Channels page or from `VIBER_…`
 * environment variables (docs/channels/viber.md).
 */
export const VIBER_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'authToken',
    label: 'Auth token',
    secret: true,
    required: true,
    env: 'VIBER_AUTH_TOKEN',
    help: 'The bot’s token (Viber Admin Panel → the bot → Info). It sends every request (X-Viber-Auth-Token) and checks every webhook (X-Viber-Content-Signature).',
  },
  {
    name: 'senderName',
    label: 'Sender name',
    secret: false,
    required: true,
    env: 'VIBER_SENDER_NAME',
    pattern: {
      source: '^\\S.{0,27}$',
      message: 'at most 28 characters, not starting with a space',
    },
    help: 'The name customers see on the bot’s messages (Viber’s sender.name, at most 28 characters).',
  },
  {
    name: 'senderAvatar',
    label: 'Sender avatar URL',
    secret: false,
    required: false,
    env: 'VIBER_SENDER_AVATAR',
    pattern: { source: '^https://\\S{1,2000}$', message: 'an https:// URL' },
    help: 'An image (at most 100 KB, 720×720 recommended) shown beside the bot’s messages.',
  },
  {
    name: 'welcomeMessage',
    label: 'Welcome message',
    secret: false,
    required: false,
    env: 'VIBER_WELCOME_MESSAGE',
    multiline: true,
    maxLength: 7000,
    help: 'Sent once, free, to a customer who opens the chat with the bot before subscribing (Viber’s conversation_started). It shows in the conversation as the business’s message. Remove it to send none.',
  },
  {
    name: 'accountId',
    label: 'Account name',
    secret: false,
    required: false,
    env: 'VIBER_ACCOUNT_ID',
    pattern: {
      source: '^[A-Za-z0-9._-]{1,100}$',
      message: 'letters, digits, dot, dash, underscore',
    },
    help: 'What the bot’s conversations are filed under; by default derived from the auth token. Set it (e.g. the bot’s URI) to keep conversations together across a new token.',
  },
  {
    name: 'apiUrl',
    label: 'Viber API URL',
    secret: false,
    required: false,
    env: 'VIBER_API_URL',
    default: DEFAULT_VIBER_API_URL,
    envOnly: true,
  },
];

/**
 * The account id conversations are filed under. Viber gives a bot no id in its callbacks (the
 * bot's `id` and `uri` come only from `get_account_info`, a network call that `parse` cannot
 * make), and a bot has exactly one token, so the account is named by the token's SHA-256: stable
 * while the token is, never the token itself, and the same in `parse` and in the sender. An
 * admin may name it instead (`accountId`), e.g. to keep conversations together across a new token.
 */
export function viberAccountId(settings: ChannelSettings): string {
  const configured = settingOf(settings, 'accountId');
  if (configured !== '') return configured;
  const token = settingOf(settings, 'authToken');
  return `bot-${createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 16)}`;
}

export const apiBase = (settings: ChannelSettings): string =>
  (settingOf(settings, 'apiUrl') || DEFAULT_VIBER_API_URL).replace(/\/+$/, '');

/**
 * Viber's welcome message (CHANNEL-API.md §6.2): the answer to `conversation_started` may be one
 * `send_message` body without `receiver`, delivered free before the user subscribes. Sent only to
 * a user not yet subscribed: a subscriber reopening the chat is not welcomed again.
 */
export function welcomeAnswer(
  settings: ChannelSettings,
): { readonly text: string; readonly body: string } | null {
  const text = settingOf(settings, 'welcomeMessage');
  if (text === '') return null;
  const avatar = settingOf(settings, 'senderAvatar');
  const body = JSON.stringify({
    min_api_version: 1,
    sender: {
      name: settingOf(settings, 'senderName').slice(0, MAX_SENDER_NAME),
      ...(avatar ? { avatar } : {}),
    },
    tracking_data: 'welcome',
    type: 'text',
    text,
  });
  return { text, body };
}
