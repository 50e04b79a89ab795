import { createHash, createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * SMS webhooks as Vonage and Bird send them (CHANNEL-API.md §9.1, §9.2), signed the way each
 * signs them — with jose for the JWTs, independently of the connector's own checking code:
 *
 * - Vonage: `Authorization: Bearer <JWT>` HS256 with the signature secret, `payload_hash` = hex
 *   SHA-256 of the body, `iat` now;
 * - Bird: `messagebird-signature` = Base64(HMAC-SHA256(key, ts + "\n" + url + "\n" +
 *   SHA-256(body) bytes)) with `messagebird-request-timestamp`, or the legacy
 *   `MessageBird-Signature-JWT` (HS256/384/512, `iss`, `url_hash`, `payload_hash`, `nbf`, `exp`).
 */

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const SMS = {
  /** The business's number. */
  number: '+447700900001',
  vonage: {
    applicationId: 'aaaaaaaa-0000-4000-8000-000000000001',
    signatureSecret: 'vonage-signature-secret-0123456789',
    privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
  },
  bird: {
    accessKey: 'bird-access-key-0123456789abcdef',
    signingKey: 'bird-signing-key-0123456789abcdef',
    workspaceId: '11111111-2222-4333-8444-555555555555',
    channelId: '66666666-7777-4888-8999-000000000000',
    /** The public URL Bird calls (behind a proxy the hub sees another host). */
    webhookUrl: 'https://hub.example.com/webhooks/sms',
  },
};

export function vonageSettings(apiUrl: string): Record<string, string> {
  return {
    provider: 'vonage',
    number: SMS.number,
    vonageApplicationId: SMS.vonage.applicationId,
    vonagePrivateKey: SMS.vonage.privateKeyPem,
    vonageSignatureSecret: SMS.vonage.signatureSecret,
    vonageApiUrl: apiUrl,
  };
}

export function birdSettings(apiUrl: string): Record<string, string> {
  return {
    provider: 'bird',
    number: SMS.number,
    birdAccessKey: SMS.bird.accessKey,
    birdSigningKey: SMS.bird.signingKey,
    birdWorkspaceId: SMS.bird.workspaceId,
    birdChannelId: SMS.bird.channelId,
    birdApiUrl: apiUrl,
    webhookUrl: SMS.bird.webhookUrl,
  };
}

const iso = (at: number): string => new Date(at).toISOString().replace('.000Z', 'Z');

/** Vonage's inbound SMS (numbers without `+`, as Vonage writes them). */
export function vonageInbound(uuid: string, from: string, text: string, at: number): string {
  return JSON.stringify({
    channel: 'sms',
    message_uuid: uuid,
    to: SMS.number.slice(1),
    from,
    timestamp: iso(at),
    message_type: 'text',
    text,
    sms: { num_messages: '1' },
  });
}

/** Vonage's inbound MMS picture (US/CA), its file on Vonage's media server. */
export function vonageMms(
  uuid: string,
  from: string,
  url: string,
  caption: string,
  at: number,
): string {
  return JSON.stringify({
    channel: 'mms',
    message_uuid: uuid,
    to: SMS.number.slice(1),
    from,
    timestamp: iso(at),
    message_type: 'image',
    image: { url, caption },
  });
}

export function vonageStatus(
  uuid: string,
  status: 'submitted' | 'delivered' | 'read' | 'rejected' | 'undeliverable' | string,
  to: string,
  at: number,
  extra: {
    readonly clientRef?: string;
    readonly usage?: { readonly price: string; readonly currency: string };
    readonly error?: {
      readonly type: string;
      readonly title: string | number;
      readonly detail?: string;
    };
  } = {},
): string {
  return JSON.stringify({
    message_uuid: uuid,
    to,
    from: SMS.number.slice(1),
    timestamp: iso(at),
    status,
    ...(extra.usage ? { usage: extra.usage } : {}),
    ...(extra.error ? { error: extra.error } : {}),
    channel: 'sms',
    ...(extra.clientRef ? { client_ref: extra.clientRef } : {}),
  });
}

/** Vonage's signed callback JWT for `raw`, issued at `iatMs` (now by default). */
export function vonageJwt(
  raw: string,
  options: {
    readonly secret?: string;
    readonly iatMs?: number;
    readonly payloadHash?: string;
  } = {},
): Promise<string> {
  return new SignJWT({
    iss: 'Vonage',
    api_key: 'abcd1234',
    application_id: SMS.vonage.applicationId,
    payload_hash: options.payloadHash ?? createHash('sha256').update(raw).digest('hex'),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(Math.floor((options.iatMs ?? Date.now()) / 1000))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.secret ?? SMS.vonage.signatureSecret));
}

export async function signedVonage(
  raw: string,
  options: Parameters<typeof vonageJwt>[1] = {},
): Promise<{ headers: Record<string, string>; body: string }> {
  return {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await vonageJwt(raw, options)}`,
    },
    body: raw,
  };
}

/** Bird's inbound SMS (a Channels API message object, `direction: "incoming"`). */
export function birdInbound(id: string, from: string, text: string, at: number): string {
  return JSON.stringify({
    service: 'channels',
    event: 'sms.inbound',
    payload: {
      id,
      channelId: SMS.bird.channelId,
      sender: {
        contact: {
          id: 'c0ffee00-0000-4000-8000-000000000001',
          identifierKey: 'phonenumber',
          identifierValue: from,
        },
      },
      receiver: { connector: { id: '0c8b2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f' } },
      body: { type: 'text', text: { text } },
      parts: [{ platformReference: 'mb-ref-1' }],
      status: 'delivered',
      direction: 'incoming',
      createdAt: new Date(at).toISOString(),
      updatedAt: new Date(at).toISOString(),
    },
  });
}

/** A status of one of our messages (`direction: "outgoing"`). */
export function birdStatus(
  id: string,
  status: string,
  to: string,
  at: number,
  extra: {
    readonly reference?: string;
    readonly reason?: string;
    readonly details?: string;
    readonly failureCode?: number;
  } = {},
): string {
  return JSON.stringify({
    service: 'channels',
    event: 'sms.outbound',
    payload: {
      id,
      channelId: SMS.bird.channelId,
      receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: to }] },
      body: { type: 'text', text: { text: 'sent text' } },
      ...(extra.reference ? { reference: extra.reference } : {}),
      status,
      ...(extra.reason ? { reason: extra.reason } : {}),
      ...(extra.details ? { details: extra.details } : {}),
      ...(extra.failureCode === undefined
        ? {}
        : { failure: { code: extra.failureCode, source: { name: 'sms-messagebird', code: '1' } } }),
      direction: 'outgoing',
      createdAt: new Date(at - 1000).toISOString(),
      updatedAt: new Date(at).toISOString(),
      lastStatusAt: new Date(at).toISOString(),
    },
  });
}

/** Bird's new signature over the timestamp, the URL and the body's SHA-256 bytes. */
export function birdSignature(
  key: string,
  timestamp: string,
  url: string,
  raw: string | Buffer,
): string {
  const bodyHash = createHash('sha256').update(raw).digest();
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(`${timestamp}\n${url}\n`), bodyHash]))
    .digest('base64');
}

export function signedBird(
  raw: string,
  options: { readonly key?: string; readonly url?: string; readonly atMs?: number } = {},
): { headers: Record<string, string>; body: string } {
  const timestamp = String(Math.floor((options.atMs ?? Date.now()) / 1000));
  return {
    headers: {
      'content-type': 'application/json',
      'messagebird-signature': birdSignature(
        options.key ?? SMS.bird.signingKey,
        timestamp,
        options.url ?? SMS.bird.webhookUrl,
        raw,
      ),
      'messagebird-request-timestamp': timestamp,
    },
    body: raw,
  };
}

/** The legacy MessageBird-Signature-JWT for `raw` posted to `url`. */
export function birdLegacyJwt(
  raw: string,
  options: {
    readonly key?: string;
    readonly url?: string;
    readonly alg?: 'HS256' | 'HS384' | 'HS512';
    readonly nowMs?: number;
    readonly expInS?: number;
    readonly nbfInS?: number;
    readonly issuer?: string;
  } = {},
): Promise<string> {
  const now = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const sha = (data: string) => createHash('sha256').update(data).digest('hex');
  return new SignJWT({
    url_hash: sha(options.url ?? SMS.bird.webhookUrl),
    ...(raw === '' ? {} : { payload_hash: sha(raw) }),
  })
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? 'MessageBird')
    .setIssuedAt(now)
    .setNotBefore(now + (options.nbfInS ?? 0))
    .setExpirationTime(now + (options.expInS ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(options.key ?? SMS.bird.signingKey));
}
