import { settingOf, type ChannelConnector } from '../connector';
import { metaHandshake, metaReceives, metaVerify } from '../meta/auth';
import { metaDemoDelivery } from '../meta/demo';
import { createMetaMedia } from '../meta/media';
import { parseMetaMessaging } from '../meta/messaging';
import { createMetaSender } from '../meta/send-api';
import { HUMAN_AGENT_GRANTED, metaMessagingSettings } from '../meta/settings';

/**
 * Instagram Direct (Messenger API for Instagram, CHANNEL-API.md §2): the same Graph family as
 * Messenger (../meta/), with `object: "instagram"`, story replies and mentions, unsent messages
 * (`is_deleted`) and `read.mid` receipts. Sends go through the linked Facebook Page. Meta does not
 * document `metadata` on Instagram, so echoes of the hub's own sends are recognised by the app id
 * (required here) and by their mid.
 */
export const instagramConnector: ChannelConnector = {
  channel: 'instagram',
  name: 'Instagram Direct',
  provider: 'instagram_messaging',
  settings: metaMessagingSettings('INSTAGRAM', {
    appIdRequired: true,
    pageHelp: 'The id of the Facebook Page linked to the Instagram professional account.',
  }),
  receives: metaReceives,
  handshake: metaHandshake,
  verify: metaVerify,
  parse: (body, settings) =>
    parseMetaMessaging(body, {
      channel: 'instagram',
      object: 'instagram',
      label: 'Instagram',
      ourAppId: settingOf(settings, 'appId'),
    }),
  createSender: ({ settings, timeoutMs, fetch }) =>
    createMetaSender({
      channel: 'instagram',
      label: 'Instagram',
      textLimit: { max: 1000, unit: 'bytes' },
      metadata: false,
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createMetaMedia('Instagram', 'instagram', deps),
  demoDelivery: (event) => metaDemoDelivery('instagram', event),
  windowOptions: (settings) => ({
    humanAgentTag: settingOf(settings, 'humanAgent') === HUMAN_AGENT_GRANTED,
  }),
};
