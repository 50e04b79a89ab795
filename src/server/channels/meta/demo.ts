import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { signWebhookBody } from './signature';

/** The demo Page's app secret: its deliveries are signed and verified like Meta's. */
const DEMO_APP_SECRET = 'replydesk-demo-app-secret';

/**
 * A demo customer's text message as Meta would deliver it to a Messenger / Instagram webhook
 * (`{"object","entry":[{"id","time","messaging":[{"sender","recipient","timestamp","message":
 * {"mid","text"}}]}]}`), signed, so the demo goes through the connector's verification and
 * mapping. Other content is left to the demo's own path (Meta puts no captions on files).
 */
export function metaDemoDelivery(
  object: 'page' | 'instagram',
  event: InboundMessage,
): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  const body = {
    object,
    entry: [
      {
        id: event.channelAccountId,
        time: event.sentAt,
        messaging: [
          {
            sender: { id: event.customer.externalId },
            recipient: { id: event.channelAccountId },
            timestamp: event.sentAt,
            message: { mid: event.externalId, text: event.content.body },
          },
        ],
      },
    ],
  };
  const raw = Buffer.from(JSON.stringify(body));
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(raw, DEMO_APP_SECRET),
    },
    settings: { appSecret: DEMO_APP_SECRET, verifyToken: 'replydesk-demo', appId: '' },
  };
}
