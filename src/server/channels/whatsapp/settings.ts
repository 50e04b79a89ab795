import type { SettingSpec } from '../connector';

/** Meta's Graph API, with a pinned version so a new default never changes payloads under us. */
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v23.0';

/** What the WhatsApp Cloud API connector is configured with (docs/configuration.md). */
export const WHATSAPP_SETTINGS: readonly SettingSpec[] = [
  {
    name: 'phoneNumberId',
    label: 'Phone number ID',
    secret: false,
    required: true,
    env: 'WHATSAPP_PHONE_NUMBER_ID',
    pattern: { source: '^\\d{5,30}$', message: 'digits only, as Meta shows it' },
    help: 'WhatsApp Manager → API Setup.',
  },
  {
    name: 'appSecret',
    label: 'App secret',
    secret: true,
    required: true,
    env: 'WHATSAPP_APP_SECRET',
    help: 'Checks the X-Hub-Signature-256 of every webhook delivery.',
  },
  {
    name: 'verifyToken',
    label: 'Verify token',
    secret: true,
    required: true,
    env: 'WHATSAPP_VERIFY_TOKEN',
    help: 'The token you typed in the app’s webhook settings.',
  },
  {
    name: 'accessToken',
    label: 'Access token',
    secret: true,
    required: true,
    env: 'WHATSAPP_ACCESS_TOKEN',
    help: 'A system user token with whatsapp_business_messaging.',
  },
  {
    name: 'graphUrl',
    label: 'Graph API URL',
    secret: false,
    required: false,
    env: 'WHATSAPP_GRAPH_URL',
    default: DEFAULT_GRAPH_URL,
    envOnly: true,
  },
  {
    name: 'apiVersion',
    label: 'Graph API version',
    secret: false,
    required: false,
    env: 'WHATSAPP_GRAPH_VERSION',
    default: DEFAULT_GRAPH_VERSION,
    envOnly: true,
  },
];
