import type { SettingSpec } from '../connector';
import { DEFAULT_GRAPH_URL, DEFAULT_GRAPH_VERSION } from '../whatsapp/settings';

/** What the Human Agent setting holds when Meta granted the permission (App Review). */
export const HUMAN_AGENT_GRANTED = 'yes';

/**
 * The settings a Meta messaging channel (Messenger, Instagram Direct) is configured with, on the
 * Channels page or from `<PREFIX>_…` environment variables (docs/configuration.md).
 */
export function metaMessagingSettings(
  prefix: 'MESSENGER' | 'INSTAGRAM',
  options: { readonly appIdRequired: boolean; readonly pageHelp: string },
): readonly SettingSpec[] {
  return [
    {
      name: 'pageId',
      label: 'Page ID',
      secret: false,
      required: true,
      env: `${prefix}_PAGE_ID`,
      pattern: { source: '^\\d{5,30}$', message: 'digits only, as Meta shows it' },
      help: options.pageHelp,
    },
    {
      name: 'pageAccessToken',
      label: 'Page access token',
      secret: true,
      required: true,
      env: `${prefix}_PAGE_ACCESS_TOKEN`,
      help: 'A Page token with the MESSAGE task (pages_messaging / instagram_manage_messages).',
    },
    {
      name: 'appSecret',
      label: 'App secret',
      secret: true,
      required: true,
      env: `${prefix}_APP_SECRET`,
      help: 'Checks the X-Hub-Signature-256 of every webhook delivery.',
    },
    {
      name: 'verifyToken',
      label: 'Verify token',
      secret: true,
      required: true,
      env: `${prefix}_VERIFY_TOKEN`,
      help: 'The token you typed in the app’s webhook settings.',
    },
    {
      name: 'appId',
      label: 'App ID',
      secret: false,
      required: options.appIdRequired,
      env: `${prefix}_APP_ID`,
      pattern: { source: '^\\d{5,30}$', message: 'digits only, as Meta shows it' },
      help: 'Echoes of messages sent by this app are recognised as the hub’s own, not stored twice.',
    },
    {
      name: 'humanAgent',
      label: 'Human Agent permission',
      secret: false,
      required: false,
      env: `${prefix}_HUMAN_AGENT`,
      default: 'no',
      pattern: { source: '^(yes|no)$', message: 'yes or no' },
      help: '“yes” once App Review granted Human Agent: agents may then reply up to 7 days with the HUMAN_AGENT tag.',
    },
    {
      name: 'graphUrl',
      label: 'Graph API URL',
      secret: false,
      required: false,
      env: `${prefix}_GRAPH_URL`,
      default: DEFAULT_GRAPH_URL,
      envOnly: true,
    },
    {
      name: 'apiVersion',
      label: 'Graph API version',
      secret: false,
      required: false,
      env: `${prefix}_GRAPH_VERSION`,
      default: DEFAULT_GRAPH_VERSION,
      envOnly: true,
    },
  ];
}
