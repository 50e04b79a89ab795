import { settingOf, type ChannelConnector } from '../connector';
import { metaHandshake, metaReceives, metaVerify } from '../meta/auth';
import { metaDemoDelivery } from '../meta/demo';
import { createMetaMedia } from '../meta/media';
import { parseMetaMessaging } from '../meta/messaging';
import { createMetaSender } from '../meta/send-api';
import { HUMAN_AGENT_GRANTED, metaMessagingSettings } from '../meta/settings';

/**
 * Facebook Messenger (Messenger Platform, CHANNEL-API.md §1). The folder's parts are Meta's,
 * shared with Instagram in ../meta/: handshake and signature (auth.ts), schemas and mapping
 * (messaging.ts), the Send API (send-api.ts), settings (settings.ts); its fake is
 * test/support/fake-messenger-api.ts and its signed webhooks test/support/meta-webhooks.ts.
 */
export const messengerConnector: ChannelConnector = {
  channel: 'messenger',
  name: 'Facebook Messenger',
  provider: 'messenger_platform',
  settings: metaMessagingSettings('MESSENGER', {
    appIdRequired: false,
    pageHelp: 'The Facebook Page’s id: Page settings → About, or Meta Business Suite.',
  }),
  receives: metaReceives,
  handshake: metaHandshake,
  verify: metaVerify,
  parse: (body, settings) =>
    parseMetaMessaging(body, {
      channel: 'messenger',
      object: 'page',
      label: 'Messenger',
      ourAppId: settingOf(settings, 'appId'),
    }),
  createSender: ({ settings, timeoutMs, fetch }) =>
    createMetaSender({
      channel: 'messenger',
      label: 'Messenger',
      textLimit: { max: 2000, unit: 'characters' },
      metadata: true,
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createMetaMedia('Messenger', 'messenger', deps),
  demoDelivery: (event) => metaDemoDelivery('page', event),
  windowOptions: (settings) => ({
    humanAgentTag: settingOf(settings, 'humanAgent') === HUMAN_AGENT_GRANTED,
  }),
};
