import { settingOf, type ChannelConnector } from '../connector';
import { verifyWebhookSignature } from './signature';
import { answerSubscription } from './verify';

/**
 * The webhook handshake and signature check every Meta channel shares (WhatsApp, Messenger,
 * Instagram: CHANNEL-API.md §1.1, §2.1, §3.1): `GET ?hub.mode=subscribe&hub.verify_token=…&
 * hub.challenge=…` answered with the challenge when the `verifyToken` setting matches, and
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body, appSecret)>` compared in constant time.
 */
export const metaHandshake: NonNullable<ChannelConnector['handshake']> = (url, settings) => {
  const answer = answerSubscription(url.searchParams, settingOf(settings, 'verifyToken'));
  return answer.ok
    ? { ok: true, body: answer.challenge }
    : {
        ok: false,
        reason: 'Webhook verification refused: the verify token did not match.',
        message: 'The verify token does not match.',
      };
};

export const metaVerify: ChannelConnector['verify'] = ({ headers, raw }, settings) => {
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
};

/** Webhooks can be received once the app secret and the verify token are set. */
export const metaReceives: ChannelConnector['receives'] = (settings) =>
  settingOf(settings, 'appSecret') !== '' && settingOf(settings, 'verifyToken') !== '';
