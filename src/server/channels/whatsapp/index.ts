import { settingOf, type ChannelConnector } from '../connector';
import { createWhatsAppSender } from './graph-client';
import { createWhatsAppMedia } from './media';
import { WHATSAPP_SETTINGS } from './settings';
import { metaHandshake, metaReceives, metaVerify } from '../meta/auth';
import { parseWhatsAppWebhook } from './webhook';

/** Problems after which something the customer sent is not stored (webhook.ts's wording). */
const LOST = /\((message|change) skipped\)$/;

/**
 * WhatsApp Cloud API (CHANNELS.md): the folder's parts — handshake and signature (Meta's, in
 * ../meta/auth.ts), schemas and mapping (webhook.ts), sender (graph-client.ts), media download and
 * upload (media.ts), settings (settings.ts); its fakes are test/support/fake-graph-api.ts and
 * whatsapp-webhooks.ts.
 */
export const whatsappConnector: ChannelConnector = {
  channel: 'whatsapp',
  name: 'WhatsApp Cloud API',
  provider: 'whatsapp_cloud',
  settings: WHATSAPP_SETTINGS,
  receives: metaReceives,
  handshake: metaHandshake,
  verify: metaVerify,
  parse(body) {
    const { events, problems } = parseWhatsAppWebhook(body);
    return { events, problems, lost: problems.filter((problem) => LOST.test(problem)) };
  },
  createSender: ({ settings, timeoutMs, fetch }) =>
    createWhatsAppSender({
      graphUrl: () => settingOf(settings(), 'graphUrl'),
      apiVersion: () => settingOf(settings(), 'apiVersion'),
      accessToken: () => settingOf(settings(), 'accessToken'),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createWhatsAppMedia(deps),
};
