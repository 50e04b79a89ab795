import { settingOf, type ChannelSettings, type SettingSpec } from '../connector';

/** The Bot API's public address; tests point `TELEGRAM_API_URL` at their fake. */
export const DEFAULT_TELEGRAM_API_URL = 'https://api.telegram.org';

/** `123456789:AA…`: the bot's id, a colon, and the secret part (BotFather's format). */
export const BOT_TOKEN_PATTERN = '^\\d{1,20}:[A-Za-z0-9_-]{30,100}$';
/** setWebhook's `secret_token`: 1–256 characters of `A-Z a-z 0-9 _ -` (CHANNEL-API.md §4.1). */
export const WEBHOOK_SECRET_PATTERN = '^[A-Za-z0-9_-]{1,256}$';

/** What the Telegram connector is configured with, on the Channels page or from `TELEGRAM_…`. */
export const TELEGRAM_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'botToken',
    label: 'Bot token',
    secret: true,
    required: true,
    env: 'TELEGRAM_BOT_TOKEN',
    pattern: {
      source: BOT_TOKEN_PATTERN,
      message: 'the token BotFather gave, like 123456789:AAH…',
    },
    help: 'From @BotFather (/newbot or /token). The number before the colon is the bot’s id.',
  },
  {
    name: 'webhookSecret',
    label: 'Webhook secret token',
    secret: true,
    required: true,
    env: 'TELEGRAM_WEBHOOK_SECRET',
    pattern: {
      source: WEBHOOK_SECRET_PATTERN,
      message: '1–256 characters: letters, digits, _ and -',
    },
    help: 'Sent to Telegram with setWebhook (“register webhook”); every delivery must carry it in X-Telegram-Bot-Api-Secret-Token.',
  },
  {
    name: 'callbackAnswerText',
    label: 'Button tap answer',
    secret: false,
    required: false,
    env: 'TELEGRAM_CALLBACK_ANSWER_TEXT',
    maxLength: 200,
    help: 'Shown briefly to a customer who taps one of the bot’s buttons (answerCallbackQuery), e.g. “Thanks, an agent will answer”. Empty: the button just stops spinning.',
  },
  {
    name: 'apiUrl',
    label: 'Bot API URL',
    secret: false,
    required: false,
    env: 'TELEGRAM_API_URL',
    default: DEFAULT_TELEGRAM_API_URL,
    envOnly: true,
  },
];

/** The bot's id: the token's numeric part before the colon ('' without a token). */
export function botIdOf(settings: ChannelSettings): string {
  const token = settingOf(settings, 'botToken');
  const colon = token.indexOf(':');
  return colon > 0 ? token.slice(0, colon) : '';
}

/** `<api>/bot<token>/<method>`. The token is in the path: never log or show this URL. */
export function methodUrl(settings: ChannelSettings, method: string): string {
  return `${apiBase(settings)}/bot${settingOf(settings, 'botToken')}/${method}`;
}

/** `<api>/file/bot<token>/<file_path>` (getFile's download link, valid at least an hour). */
export function fileUrl(settings: ChannelSettings, filePath: string): string {
  const path = filePath.split('/').map(encodeURIComponent).join('/');
  return `${apiBase(settings)}/file/bot${settingOf(settings, 'botToken')}/${path}`;
}

function apiBase(settings: ChannelSettings): string {
  return (settingOf(settings, 'apiUrl') || DEFAULT_TELEGRAM_API_URL).replace(/\/+$/, '');
}

/** Replaces the bot token wherever it appears (URLs in errors), and bounds the length. */
export function scrubber(settings: ChannelSettings, max = 1000): (text: string) => string {
  const token = settingOf(settings, 'botToken');
  return (text) => {
    const clean = token.length > 0 ? text.split(token).join('[redacted]') : text;
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
}
