import { createHash, createHmac } from 'node:crypto';
import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { sha256Hex } from './jwt';

/** The demo account's Vonage signature secret: its callbacks are signed and checked like Vonage's. */
const DEMO_SIGNATURE_SECRET = 'replydesk-demo-vonage-signature-secret';

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A Vonage callback JWT (HS256, `payload_hash` of the body), as Vonage signs one. */
export function signVonageCallback(
  raw: Buffer,
  secret: string,
  claims: { readonly iat: number; readonly jti?: string },
): string {
  const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      iat: claims.iat,
      jti: claims.jti ?? createHash('sha256').update(raw).digest('hex').slice(0, 32),
      iss: 'Vonage',
      payload_hash: sha256Hex(raw),
      api_key: 'demo',
      application_id: '00000000-0000-4000-8000-000000000000',
    }),
  );
  const signature = createHmac('sha256', secret).update(`${head}.${payload}`).digest('base64url');
  return `${head}.${payload}.${signature}`;
}

/**
 * A demo customer's text as Vonage would POST it to the Inbound URL (`{"channel":"sms",
 * "message_uuid","to","from","timestamp","message_type":"text","text"}`, CHANNEL-API.md §9.1,
 * numbers without `+`), signed, so the demo goes through the connector's verification and
 * mapping. The JWT is issued now (its `iat` is checked against the clock); the message keeps its
 * own time. Non-text messages are handed to ingestion directly.
 */
export function smsDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text') return null;
  const raw = Buffer.from(
    JSON.stringify({
      channel: 'sms',
      message_uuid: event.externalId,
      to: '15550100000',
      from: event.customer.externalId.replace(/^\+/, ''),
      timestamp: new Date(event.sentAt).toISOString(),
      message_type: 'text',
      text: event.content.body,
      sms: { num_messages: '1' },
    }),
  );
  return {
    raw,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${signVonageCallback(raw, DEMO_SIGNATURE_SECRET, {
        iat: Math.floor(Date.now() / 1000),
      })}`,
    },
    settings: {
      provider: 'vonage',
      number: event.channelAccountId,
      vonageSignatureSecret: DEMO_SIGNATURE_SECRET,
    },
  };
}
