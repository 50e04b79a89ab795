import { settingOf, type ChannelConnector } from '../connector';
import { createWhatsAppSender } from './graph-client';
import { createWhatsAppMedia } from './media';
import { WHATSAPP_SETTINGS } from './settings';
import { verifyWebhookSignature } from './signature';
import { answerSubscription } from './verify';
import { parseWhatsAppWebhook } from './webhook';

/** Problems after which something the customer sent is not stored (webhook.ts's wording). */
const LOST = /\((message|change) skipped\)$/;

/**
 * WhatsApp Cloud API (CHANNELS.md): the folder's parts — handshake and signature (verify.ts,
 * signature.ts), schemas and mapping (webhook.ts), sender (graph-client.ts), media download and
 * upload (media.ts), settings (settings.ts); its fakes are test/support/fake-graph-api.ts and whatsapp-webhooks.ts.
 */
export const whatsappConnector: ChannelConnector = {
  channel: 'whatsapp',
  name: 'WhatsApp Cloud API',
  provider: 'whatsapp_cloud',
  settings: WHATSAPP_SETTINGS,
  receives: (settings) =>
    settingOf(settings, 'appSecret') !== '' && settingOf(settings, 'verifyToken') !== '',
  handshake(url, settings) {
    const answer = answerSubscription(url.searchParams, settingOf(settings, 'verifyToken'));
    return answer.ok
      ? { ok: true, body: answer.challenge }
      : {
          ok: false,
          reason: 'Webhook verification refused: the verify token did not match.',
          message: 'The verify token does not match.',
        };
  },
  verify({ headers, raw }, settings) {
    const signature = headers['x-hub-signature-256'];
    return verifyWebhookSignature(
      raw,
      typeof signature === 'string' ? signature : undefined,
      settingOf(settings, 'appSecret'),
    )
      ? { ok: true }
      : {
          ok: false,
          reason: 'A delivery was refused: its X-Hub-Signature-256 was missing or wrong.',
          message: 'The X-Hub-Signature-256 signature is missing or wrong.',
        };
  },
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
