import { createHash } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelConnector } from '../../src/server/channels/connector';
import { createSmsConnector, smsConnector } from '../../src/server/channels/sms';
import { signBirdRequest } from '../../src/server/channels/sms/bird/signature';
import { e164 } from '../../src/server/channels/sms/phone';
import { normalisedPem } from '../../src/server/channels/sms/vonage/sender';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { InboundMessage, OutboundRequest } from '../../src/server/channels/types';
import { createDemoWorld } from '../../src/server/demo/simulator';
import { throughConnector } from '../../src/server/demo/through-connector';
import { startFakeBirdApi, type FakeBirdApi } from '../support/fake-bird-api';
import { startFakeVonageApi, type FakeVonageApi } from '../support/fake-vonage-api';
import {
  birdInbound,
  birdLegacyJwt,
  birdSettings,
  birdStatus,
  signedBird,
  SMS,
  vonageInbound,
  vonageJwt,
  vonageSettings,
  vonageStatus,
} from '../support/sms-webhooks';

/**
 * The SMS connector on its own (CHANNEL-API.md §9.1–9.2): Vonage's and Bird's signatures (the
 * computed Bird vector among them; tampered, stale, unsigned and wrong-algorithm deliveries
 * refused), every callback shape mapped to exact events with numbers in E.164, and the senders
 * of both providers against their local fakes.
 */

const T = Date.parse('2026-12-04T10:00:00Z');
let clock = T;
const connector: ChannelConnector = createSmsConnector({ now: () => clock });
let vonageApi: FakeVonageApi;
let birdApi: FakeBirdApi;
let vonage: Record<string, string>;
let bird: Record<string, string>;
const ACCOUNT = { channel: 'sms', channelAccountId: SMS.number } as const;
/** Text messages of SMS customers in the seed-7 demo history. */
const SMS_DEMO_TEXTS = 115;
const HUB_URL = new URL('http://hub.invalid/webhooks/sms');

beforeAll(async () => {
  vonageApi = await startFakeVonageApi({
    applicationId: SMS.vonage.applicationId,
    publicKey: SMS.vonage.publicKey,
  });
  birdApi = await startFakeBirdApi(SMS.bird);
  vonage = vonageSettings(vonageApi.url);
  bird = birdSettings(birdApi.url);
});
afterAll(async () => {
  await vonageApi.close();
  await birdApi.close();
});

const verify = (
  headers: Record<string, string>,
  raw: string | Buffer,
  settings: Record<string, string>,
  url: URL = HUB_URL,
) => connector.verify({ headers, raw: Buffer.from(raw), url }, settings);

const refusal = (message: string) => ({ ok: false, message });

describe('Vonage signed webhooks', () => {
  const raw = vonageInbound('aaaaaaaa-0000-4000-8000-00000000aaaa', '447700900123', 'Hi', T);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a JWT signed HS256 with the signature secret whose payload_hash is the body’s', async () => {
    expect(verify(bearer(await vonageJwt(raw, { iatMs: T })), raw, vonage)).toEqual({ ok: true });
    // Four minutes off either way is within the five allowed.
    expect(verify(bearer(await vonageJwt(raw, { iatMs: T - 240_000 })), raw, vonage)).toEqual({
      ok: true,
    });
    expect(verify(bearer(await vonageJwt(raw, { iatMs: T + 240_000 })), raw, vonage)).toEqual({
      ok: true,
    });
  });

  it('refuses unsigned, forged, tampered and stale callbacks', async () => {
    expect(verify({}, raw, vonage)).toMatchObject(
      refusal('The Authorization: Bearer <JWT> header is missing.'),
    );
    expect(verify({ authorization: 'Basic abc' }, raw, vonage)).toMatchObject(
      refusal('The Authorization header must be Bearer <JWT>.'),
    );
    const forged = await vonageJwt(raw, { iatMs: T, secret: 'another-accounts-secret' });
    expect(verify(bearer(forged), raw, vonage)).toMatchObject(
      refusal('The webhook’s JWT does not verify with the signature secret.'),
    );
    const token = await vonageJwt(raw, { iatMs: T });
    const tampered = raw.replace('"Hi"', '"Ho"');
    expect(verify(bearer(token), tampered, vonage)).toMatchObject(
      refusal('The body does not match the JWT’s payload_hash.'),
    );
    const stale = await vonageJwt(raw, { iatMs: T - 301_000 });
    expect(verify(bearer(stale), raw, vonage)).toEqual({
      ok: false,
      reason:
        'A Vonage delivery signed 301 s ago was refused (more than 5 minutes from the hub’s clock; replayed, or a clock is wrong).',
      message: 'The webhook’s JWT is stale (iat more than 5 minutes from now).',
    });
    const ahead = await vonageJwt(raw, { iatMs: T + 400_000 });
    expect(verify(bearer(ahead), raw, vonage)).toMatchObject(
      refusal('The webhook’s JWT is stale (iat more than 5 minutes from now).'),
    );
    // No payload_hash at all: nothing ties the token to this body.
    const unhashed = await new SignJWT({ api_key: 'abcd1234' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt(T / 1000)
      .sign(new TextEncoder().encode(SMS.vonage.signatureSecret));
    expect(verify(bearer(unhashed), raw, vonage)).toMatchObject(
      refusal('The body does not match the JWT’s payload_hash.'),
    );
    // Without a signature secret nothing verifies.
    expect(verify(bearer(token), raw, { ...vonage, vonageSignatureSecret: '' })).toMatchObject(
      refusal('The webhook’s JWT does not verify with the signature secret.'),
    );
  });

  it('refuses a token that picks another algorithm: none, RS256, HS512', async () => {
    const claims = {
      iat: T / 1000,
      payload_hash: createHash('sha256').update(raw).digest('hex'),
    };
    const none = new UnsecuredJWT(claims).encode();
    expect(verify(bearer(none), raw, vonage)).toMatchObject(
      refusal('The webhook’s JWT does not verify with the signature secret.'),
    );
    // `none` with a made-up signature part still names its algorithm.
    const [head, body] = none.split('.');
    const noneSigned = `${head}.${body}.c2lnbmF0dXJl`;
    const verdict = verify(bearer(noneSigned), raw, vonage);
    expect(verdict).toMatchObject({
      ok: false,
      reason:
        'A Vonage delivery was refused: the token is signed with none, not HS256 (forged, or signed with another account’s signature secret).',
    });
    const rs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .sign(SMS.vonage.privateKey);
    expect(verify(bearer(rs256), raw, vonage)).toMatchObject({
      ok: false,
      reason:
        'A Vonage delivery was refused: the token is signed with RS256, not HS256 (forged, or signed with another account’s signature secret).',
    });
    const hs512 = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode(SMS.vonage.signatureSecret));
    expect(verify(bearer(hs512), raw, vonage)).toMatchObject({
      ok: false,
      reason:
        'A Vonage delivery was refused: the token is signed with HS512, not HS256 (forged, or signed with another account’s signature secret).',
    });
  });
});

describe('Bird signed webhooks', () => {
  it('matches the computed vector of CHANNEL-API.md §9.2', () => {
    const body = '{"event":"sms.inbound"}';
    const url = 'https://hub.example.com/webhooks/bird';
    expect(signBirdRequest('signing_key_test', '1700000000', url, body)).toBe(
      'lMTXWKVcvFMIM8zoMJM9NZOKTWgD08nr1daFsn5Ymko=',
    );
    clock = 1_700_000_000_000 + 2000;
    try {
      expect(
        verify(
          {
            'messagebird-signature': 'lMTXWKVcvFMIM8zoMJM9NZOKTWgD08nr1daFsn5Ymko=',
            'messagebird-request-timestamp': '1700000000',
          },
          body,
          {
            provider: 'bird',
            number: SMS.number,
            birdSigningKey: 'signing_key_test',
            webhookUrl: url,
          },
          new URL('http://10.0.0.5:4477/webhooks/bird'),
        ),
      ).toEqual({ ok: true });
    } finally {
      clock = T;
    }
  });

  const raw = birdInbound('b1rd0000-0000-4000-8000-000000000001', '+447700900123', 'Hi', T);

  it('checks the public URL Bird called: the webhookUrl setting, else the hub’s public address', () => {
    const signed = signedBird(raw, { atMs: T });
    expect(verify(signed.headers, raw, bird)).toEqual({ ok: true });
    const viaPublicUrl = { ...bird, webhookUrl: '', publicUrl: 'https://hub.example.com/' };
    expect(verify(signed.headers, raw, viaPublicUrl)).toEqual({ ok: true });
    // The query Bird called with is part of what it signed.
    const withQuery = signedBird(raw, { atMs: T, url: 'https://hub.example.com/webhooks/sms?x=1' });
    expect(
      verify(withQuery.headers, raw, viaPublicUrl, new URL('http://hub.invalid/webhooks/sms?x=1')),
    ).toEqual({ ok: true });
    // Signed for the address the hub sees behind its proxy, not the public one: refused.
    const internal = signedBird(raw, { atMs: T, url: 'http://10.0.0.5:4477/webhooks/sms' });
    expect(verify(internal.headers, raw, bird)).toMatchObject(
      refusal('The messagebird-signature does not match the request.'),
    );
    expect(verify(signed.headers, raw, { ...bird, webhookUrl: '' })).toMatchObject(
      refusal('The hub cannot check this signature: its public webhook URL is not configured.'),
    );
  });

  it('refuses unsigned, forged, tampered, malformed and stale deliveries', () => {
    const signed = signedBird(raw, { atMs: T });
    expect(verify({}, raw, bird)).toMatchObject(
      refusal('The messagebird-signature header is missing.'),
    );
    expect(
      verify(signedBird(raw, { atMs: T, key: 'not-the-key' }).headers, raw, bird),
    ).toMatchObject(refusal('The messagebird-signature does not match the request.'));
    expect(verify(signed.headers, raw.replace('"Hi"', '"Ho"'), bird)).toMatchObject(
      refusal('The messagebird-signature does not match the request.'),
    );
    expect(
      verify({ ...signed.headers, 'messagebird-signature': 'c2hvcnQ=' }, raw, bird),
    ).toMatchObject(refusal('The messagebird-signature is malformed.'));
    expect(
      verify({ 'messagebird-signature': signed.headers['messagebird-signature'] ?? '' }, raw, bird),
    ).toMatchObject(
      refusal('The messagebird-request-timestamp header is missing or not a number.'),
    );
    expect(verify(signedBird(raw, { atMs: T - 301_000 }).headers, raw, bird)).toEqual({
      ok: false,
      reason:
        'A Bird delivery timestamped 301 s ago was refused (more than 5 minutes from the hub’s clock; replayed, or a clock is wrong).',
      message: 'The messagebird-request-timestamp is stale (more than 5 minutes from now).',
    });
    expect(verify(signed.headers, raw, { ...bird, birdSigningKey: '' })).toMatchObject(
      refusal('No signing key is configured.'),
    );
  });

  it('accepts the legacy MessageBird-Signature-JWT in HS256, HS384 and HS512', async () => {
    for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
      const token = await birdLegacyJwt(raw, { alg, nowMs: T });
      expect(verify({ 'messagebird-signature-jwt': token }, raw, bird)).toEqual({ ok: true });
    }
    // Expired 3 s ago, or valid from 3 s on: inside the SDK's 5 s tolerance.
    const late = await birdLegacyJwt(raw, { nowMs: T - 63_000 });
    expect(verify({ 'messagebird-signature-jwt': late }, raw, bird)).toEqual({ ok: true });
    const early = await birdLegacyJwt(raw, { nowMs: T, nbfInS: 3 });
    expect(verify({ 'messagebird-signature-jwt': early }, raw, bird)).toEqual({ ok: true });
  });

  it('refuses legacy JWTs that are forged, expired, early, for another URL or body, or of another algorithm', async () => {
    const check = async (token: string | Promise<string>, body = raw) =>
      verify({ 'messagebird-signature-jwt': await token }, body, bird);
    expect(await check(birdLegacyJwt(raw, { nowMs: T, key: 'not-the-key' }))).toMatchObject(
      refusal('The MessageBird-Signature-JWT does not verify with the signing key.'),
    );
    expect(await check(birdLegacyJwt(raw, { nowMs: T, issuer: 'Mallory' }))).toMatchObject(
      refusal('The MessageBird-Signature-JWT has the wrong issuer.'),
    );
    expect(await check(birdLegacyJwt(raw, { nowMs: T - 66_000 }))).toMatchObject(
      refusal('The MessageBird-Signature-JWT has expired.'),
    );
    expect(await check(birdLegacyJwt(raw, { nowMs: T, nbfInS: 10 }))).toMatchObject(
      refusal('The MessageBird-Signature-JWT is not valid yet.'),
    );
    expect(
      await check(birdLegacyJwt(raw, { nowMs: T, url: 'https://evil.example/webhooks/sms' })),
    ).toMatchObject(refusal('The MessageBird-Signature-JWT was signed for another URL.'));
    expect(
      await check(birdLegacyJwt(raw, { nowMs: T }), raw.replace('"Hi"', '"Ho"')),
    ).toMatchObject(refusal('The body does not match the JWT’s payload_hash.'));
    const claims = {
      iss: 'MessageBird',
      exp: T / 1000 + 60,
      url_hash: createHash('sha256').update(SMS.bird.webhookUrl).digest('hex'),
      payload_hash: createHash('sha256').update(raw).digest('hex'),
    };
    const [head, body] = new UnsecuredJWT(claims).encode().split('.');
    expect(await check(`${head}.${body}.c2lnbmF0dXJl`)).toMatchObject({
      ok: false,
      reason:
        'A Bird delivery was refused: the token is signed with none, not HS256/HS384/HS512 (MessageBird-Signature-JWT; forged, or signed with another key).',
    });
    const rs256 = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .sign(SMS.vonage.privateKey);
    expect(await check(rs256)).toMatchObject({
      ok: false,
      reason:
        'A Bird delivery was refused: the token is signed with RS256, not HS256/HS384/HS512 (MessageBird-Signature-JWT; forged, or signed with another key).',
    });
  });
});

describe('E.164 numbers', () => {
  it('normalises what the providers write, and refuses what is not a number', () => {
    expect(e164('447700900123')).toBe('+447700900123');
    expect(e164('+44 7700 900123')).toBe('+447700900123');
    expect(e164('0044 (7700) 900-123')).toBe('+447700900123');
    expect(e164('+31.6.12345678')).toBe('+31612345678');
    expect(e164('ACME')).toBeNull();
    expect(e164('12345')).toBeNull();
    expect(e164('0712345678')).toBeNull();
    expect(e164('+1234567890123456')).toBeNull();
  });

  it('makes a customer the same through Vonage and Bird', () => {
    const viaVonage = connector.parse(
      JSON.parse(vonageInbound('aaaaaaaa-0000-4000-8000-000000000001', '447700900123', 'a', T)),
      vonage,
    );
    const viaBird = connector.parse(
      JSON.parse(birdInbound('b1rd0000-0000-4000-8000-000000000001', '+447700900123', 'b', T)),
      bird,
    );
    const customers = [...viaVonage.events, ...viaBird.events].map((e) =>
      e.kind === 'message' ? e.customer : null,
    );
    expect(customers).toEqual([
      { externalId: '+447700900123', name: null, phone: '+447700900123' },
      { externalId: '+447700900123', name: null, phone: '+447700900123' },
    ]);
    expect([...viaVonage.events, ...viaBird.events].map((e) => e.channelAccountId)).toEqual([
      SMS.number,
      SMS.number,
    ]);
  });
});

describe('Vonage callbacks → events', () => {
  const parse = (raw: string) => connector.parse(JSON.parse(raw), vonage);

  it('maps an inbound SMS to the customer’s message', () => {
    expect(
      parse(
        vonageInbound(
          'aaaaaaaa-0000-4000-8000-000000000001',
          '447700900123',
          'Where is my order?',
          T,
        ),
      ),
    ).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: 'aaaaaaaa-0000-4000-8000-000000000001',
          customer: { externalId: '+447700900123', name: null, phone: '+447700900123' },
          sentAt: T,
          content: { type: 'text', body: 'Where is my order?' },
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps an MMS picture to an image named by the message, and keeps a sender name as the id', () => {
    const mms = {
      channel: 'mms',
      message_uuid: 'aaaaaaaa-0000-4000-8000-000000000002',
      to: '447700900001',
      from: 'ACME',
      timestamp: '2026-12-04T10:00:00.250Z',
      message_type: 'image',
      image: { url: 'https://api-us.nexmo.com/v3/media/abc', caption: 'the parcel' },
    };
    expect(connector.parse(mms, vonage)).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: 'aaaaaaaa-0000-4000-8000-000000000002',
          customer: { externalId: 'ACME', name: null, phone: null },
          sentAt: T + 250,
          content: {
            type: 'image',
            media: {
              mediaId: 'aaaaaaaa-0000-4000-8000-000000000002',
              url: 'https://api-us.nexmo.com/v3/media/abc',
              caption: 'the parcel',
            },
          },
        },
      ],
      problems: ['from: "ACME" is not a phone number; replies to it will fail.'],
      lost: [],
    });
    const video = { ...mms, message_type: 'video', from: '447700900123' };
    expect(connector.parse(video, vonage)).toMatchObject({
      events: [{ content: { type: 'unsupported', originalType: 'video' } }],
      problems: ['message_type: video messages are not read from SMS yet; kept as unsupported.'],
    });
  });

  it('maps submitted with its price, delivered, and rejected / undeliverable with the reason', () => {
    const uuid = 'aaaaaaaa-bbbb-4ccc-8ddd-000000000001';
    const status = {
      ...ACCOUNT,
      kind: 'status',
      externalId: uuid,
      at: T,
      recipientId: '+447700900123',
    };
    expect(
      parse(
        vonageStatus(uuid, 'submitted', '447700900123', T, {
          clientRef: 'msg_1',
          usage: { price: '0.0333', currency: 'EUR' },
        }),
      ),
    ).toEqual({
      events: [
        {
          ...status,
          status: 'sent',
          ourMessageId: 'msg_1',
          price: { amount: '0.0333', currency: 'EUR' },
        },
      ],
      problems: [],
      lost: [],
    });
    expect(parse(vonageStatus(uuid, 'delivered', '447700900123', T)).events).toEqual([
      { ...status, status: 'delivered' },
    ]);
    expect(
      parse(
        vonageStatus(uuid, 'rejected', '447700900123', T, {
          error: {
            type: 'https://developer.nexmo.com/api-errors/messages-olympus#1320',
            title: 'Message already sent',
            detail: 'The same client_ref was used.',
          },
        }),
      ).events,
    ).toEqual([
      {
        ...status,
        status: 'failed',
        error: {
          code: 'vonage_1320',
          title: 'Message already sent',
          detail: 'The same client_ref was used.',
        },
      },
    ]);
    expect(
      parse(
        vonageStatus(uuid, 'undeliverable', '447700900123', T, {
          error: {
            type: 'https://developer.nexmo.com/api-errors/messages-olympus#1330',
            title: 1330,
          },
        }),
      ).events,
    ).toEqual([
      {
        ...status,
        status: 'failed',
        error: { code: 'vonage_1330', title: 'The SMS could not be delivered' },
      },
    ]);
  });

  it('notes what it does not read, and refuses a body that is not Vonage’s', () => {
    const uuid = 'aaaaaaaa-bbbb-4ccc-8ddd-000000000001';
    expect(parse(vonageStatus(uuid, 'accepted', '447700900123', T))).toEqual({
      events: [],
      problems: ['status: "accepted" is not one Replydesk reads; nothing changed.'],
      lost: [],
    });
    expect(
      parse(
        vonageStatus(uuid, 'submitted', '447700900123', T, {
          usage: { price: 'free', currency: 'EUR' },
        }),
      ),
    ).toMatchObject({
      events: [{ kind: 'status', status: 'sent' }],
      problems: ['usage: the price "free EUR" is not readable; not recorded.'],
    });
    expect(
      connector.parse({ message_type: 'text', text: 'no uuid', from: '447700900123' }, vonage),
    ).toEqual({
      events: [],
      problems: [],
      lost: ['message: message_uuid: Invalid input: expected string, received undefined'],
    });
    expect(() => connector.parse({ hello: 'world' }, vonage)).toThrow(
      'Not a Vonage Messages callback: it has neither message_type (inbound) nor status.',
    );
  });
});

describe('Bird webhooks → events', () => {
  const parse = (raw: string) => connector.parse(JSON.parse(raw), bird);
  const id = '3fa85f64-5717-4562-b3fc-000000000001';

  it('maps sms.inbound to the customer’s message', () => {
    expect(
      parse(birdInbound('b1rd0000-0000-4000-8000-000000000009', '+31612345678', 'Hallo', T)),
    ).toEqual({
      events: [
        {
          ...ACCOUNT,
          kind: 'message',
          externalId: 'b1rd0000-0000-4000-8000-000000000009',
          customer: { externalId: '+31612345678', name: null, phone: '+31612345678' },
          sentAt: T,
          content: { type: 'text', body: 'Hallo' },
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps outbound statuses: sent, delivered, delivery_failed with the reason; progress is nothing', () => {
    const status = {
      ...ACCOUNT,
      kind: 'status',
      externalId: id,
      at: T,
      recipientId: '+31612345678',
    };
    expect(parse(birdStatus(id, 'accepted', '+31612345678', T))).toEqual({
      events: [],
      problems: [],
      lost: [],
    });
    expect(parse(birdStatus(id, 'sent', '+31612345678', T, { reference: 'msg_2' })).events).toEqual(
      [{ ...status, status: 'sent', ourMessageId: 'msg_2' }],
    );
    expect(parse(birdStatus(id, 'delivered', '+31612345678', T)).events).toEqual([
      { ...status, status: 'delivered' },
    ]);
    expect(
      parse(
        birdStatus(id, 'delivery_failed', '+31612345678', T, {
          reason: 'details: unknown subscriber; reason: unknown_subscriber; code: 1',
          details: 'unknown_subscriber',
          failureCode: 15005,
        }),
      ).events,
    ).toEqual([
      {
        ...status,
        status: 'failed',
        error: {
          code: 'bird_15005',
          title: 'unknown subscriber',
          detail: 'details: unknown subscriber; reason: unknown_subscriber; code: 1',
        },
      },
    ]);
    expect(parse(birdStatus(id, 'skipped', '+31612345678', T))).toEqual({
      events: [],
      problems: ['payload.status: "skipped" is not one Replydesk reads; nothing changed.'],
      lost: [],
    });
  });

  it('refuses a body that is not Bird’s, and keeps an unreadable inbound as lost', () => {
    expect(() => connector.parse({ message_uuid: 'x', status: 'delivered' }, bird)).toThrow(
      'Not a Bird webhook: event: Invalid input: expected string, received undefined; payload: Invalid input: expected object, received undefined',
    );
    expect(
      connector.parse({ event: 'sms.inbound', payload: { direction: 'incoming' } }, bird),
    ).toEqual({
      events: [],
      problems: [],
      lost: ['payload: id: Invalid input: expected string, received undefined'],
    });
  });
});

const request = (overrides: Partial<OutboundRequest> = {}): OutboundRequest => ({
  messageId: 'msg_0001',
  channel: 'sms',
  channelAccountId: SMS.number,
  to: '+447700900123',
  content: { type: 'text', body: 'Your order shipped' },
  ...overrides,
});

describe('sending through Vonage', () => {
  const sender = (settings: () => Record<string, string>) =>
    smsConnector.createSender({ settings, timeoutMs: 2000 });

  it('posts the text with an RS256 application JWT and answers the message_uuid', async () => {
    const before = vonageApi.requests.length;
    const result = await sender(() => vonage).send(request());
    expect(result).toEqual({ ok: true, externalId: vonageApi.sent.at(-1) });
    const sent = vonageApi.requests.slice(before);
    expect(sent.map((r) => [r.method, r.path, r.response?.status])).toEqual([
      ['POST', '/v1/messages', 202],
    ]);
    expect(sent[0]?.body).toEqual({
      message_type: 'text',
      text: 'Your order shipped',
      to: '447700900123',
      from: '447700900001',
      channel: 'sms',
      client_ref: 'msg_0001',
    });
    const claims = sent[0]?.claims ?? {};
    expect(claims['application_id']).toBe(SMS.vonage.applicationId);
    expect(Number(claims['exp']) - Number(claims['iat'])).toBe(300);
    expect(typeof claims['jti']).toBe('string');
  });

  it('reads a private key whose newlines were written as \\n or lost in a one-line field', async () => {
    const escaped = SMS.vonage.privateKeyPem.replace(/\n/g, '\\n');
    const oneLine = SMS.vonage.privateKeyPem.replace(/\n/g, '');
    expect(normalisedPem(oneLine)).toBe(SMS.vonage.privateKeyPem);
    for (const key of [escaped, oneLine]) {
      const result = await sender(() => ({ ...vonage, vonagePrivateKey: key })).send(request());
      expect(result).toEqual({ ok: true, externalId: vonageApi.sent.at(-1) });
    }
    expect(
      await sender(() => ({ ...vonage, vonagePrivateKey: 'not a key' })).send(request()),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'bad_private_key',
      reason:
        'The Vonage private key is not a readable RSA private key (PEM): paste the key file the application gave.',
    });
  });

  it('maps refusals: 401 final with the reason, 429 after Retry-After, 5xx retried', async () => {
    vonageApi.failNext({ status: 401, title: 'Unauthorized', detail: 'Invalid Token' });
    expect(await sender(() => vonage).send(request())).toEqual({
      ok: false,
      retryable: false,
      code: 'vonage_401',
      reason:
        'Vonage refused the application’s credentials (HTTP 401) (Unauthorized: Invalid Token): check the application ID and private key on the Channels page.',
    });
    vonageApi.failNext({ status: 429, title: 'Rate Limit Hit', retryAfter: '7' });
    expect(await sender(() => vonage).send(request())).toEqual({
      ok: false,
      retryable: true,
      code: 'vonage_429',
      reason: 'Vonage is rate limiting this account (Rate Limit Hit); will retry.',
      retryAfterMs: 7000,
    });
    vonageApi.failNext({ status: 503, title: 'Service Unavailable' });
    expect(await sender(() => vonage).send(request())).toEqual({
      ok: false,
      retryable: true,
      code: 'vonage_503',
      reason:
        'The Vonage Messages API is temporarily unavailable (HTTP 503) (Service Unavailable); will retry.',
    });
    // A wrong application: the fake's own 401 for a JWT that does not verify.
    expect(
      await sender(() => ({
        ...vonage,
        vonageApplicationId: 'bbbbbbbb-0000-4000-8000-000000000002',
      })).send(request()),
    ).toMatchObject({ ok: false, retryable: false, code: 'vonage_unauthorized' });
  });

  it('refuses before sending what SMS cannot carry or whom it cannot reach', async () => {
    const before = vonageApi.requests.length;
    const send = sender(() => vonage);
    expect(await send.send(request({ to: 'ACME' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'not_a_number',
      reason: 'This customer wrote from a sender name, not a phone number: SMS cannot answer it.',
    });
    expect(
      await send.send(request({ content: { type: 'location', latitude: 1, longitude: 2 } })),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'unsupported_outbound',
      reason: 'Replydesk cannot send location messages by SMS; only text.',
    });
    expect(await send.send(request({ content: { type: 'text', body: 'x'.repeat(1001) } }))).toEqual(
      {
        ok: false,
        retryable: false,
        code: 'text_too_long',
        reason: 'Vonage takes at most 1000 characters in one SMS; this one has 1001.',
      },
    );
    expect(await sender(() => ({ ...vonage, vonagePrivateKey: '' })).send(request())).toEqual({
      ok: false,
      retryable: false,
      code: 'not_configured',
      reason: 'SMS through Vonage cannot send yet: set Vonage private key on the Channels page.',
    });
    expect(vonageApi.requests.length).toBe(before);
  });
});

describe('sending through Bird', () => {
  const sender = (settings: () => Record<string, string>) =>
    smsConnector.createSender({ settings, timeoutMs: 2000 });

  it('posts to the channel’s messages with the AccessKey and answers the message id', async () => {
    const before = birdApi.requests.length;
    expect(await sender(() => bird).send(request())).toEqual({
      ok: true,
      externalId: birdApi.sent.at(-1),
    });
    const sent = birdApi.requests.slice(before);
    expect(
      sent.map((r) => [r.method, r.path, r.headers.authorization, r.response?.status]),
    ).toEqual([
      [
        'POST',
        `/workspaces/${SMS.bird.workspaceId}/channels/${SMS.bird.channelId}/messages`,
        `AccessKey ${SMS.bird.accessKey}`,
        202,
      ],
    ]);
    expect(sent[0]?.body).toEqual({
      receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: '+447700900123' }] },
      body: { type: 'text', text: { text: 'Your order shipped' } },
      reference: 'msg_0001',
    });
  });

  it('maps refusals: a wrong key final, 429 and 5xx retried', async () => {
    expect(
      await sender(() => ({ ...bird, birdAccessKey: 'wrong-key-0123456789' })).send(request()),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'http_401',
      reason:
        'Bird refused the access key (HTTP 401) (Unauthorized: Invalid access key): check the access key, workspace and channel on the Channels page.',
    });
    birdApi.failNext({
      status: 429,
      code: 'TooManyRequests',
      message: 'Slow down',
      retryAfter: '2',
    });
    expect(await sender(() => bird).send(request())).toEqual({
      ok: false,
      retryable: true,
      code: 'http_429',
      reason: 'Bird is rate limiting this workspace (TooManyRequests: Slow down); will retry.',
      retryAfterMs: 2000,
    });
    birdApi.failNext({ status: 502 });
    expect(await sender(() => bird).send(request())).toEqual({
      ok: false,
      retryable: true,
      code: 'http_502',
      reason: 'The Bird Channels API is temporarily unavailable (HTTP 502) (Error); will retry.',
    });
    expect(
      await sender(() => ({ ...bird, birdWorkspaceId: '', birdChannelId: '' })).send(request()),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'not_configured',
      reason:
        'SMS through Bird cannot send yet: set Bird workspace ID, Bird channel ID on the Channels page.',
    });
  });
});

describe('MMS pictures from Vonage', () => {
  const media = () => {
    const part = smsConnector.createMedia?.({ settings: () => vonage });
    if (!part) throw new Error('no media part');
    return part;
  };
  const signal = () => AbortSignal.timeout(2000);

  it('downloads the file from Vonage’s media server with the application JWT', async () => {
    const bytes = Buffer.from('GIF89a-parcel');
    const url = vonageApi.serveMedia('1b456509-974c-458b-aef9-3b6b5ea1a4b1', bytes, 'image/gif');
    const got = await media().download({ mediaId: 'm1', url }, SMS.number, signal());
    expect([got.bytes.toString(), got.mimeType]).toEqual(['GIF89a-parcel', 'image/gif']);
    const asked = vonageApi.requests.at(-1);
    expect([asked?.method, asked?.claims?.['application_id']]).toEqual([
      'GET',
      SMS.vonage.applicationId,
    ]);
  });

  it('refuses a URL elsewhere, a file gone, and one over the limit', async () => {
    const before = vonageApi.requests.length;
    await expect(
      media().download(
        { mediaId: 'm2', url: 'https://evil.example/v3/media/x' },
        SMS.number,
        signal(),
      ),
    ).rejects.toMatchObject({ retryable: false, code: 'untrusted_url' });
    expect(vonageApi.requests.length).toBe(before);
    await expect(
      media().download(
        { mediaId: 'm3', url: `${vonageApi.url}/v3/media/gone` },
        SMS.number,
        signal(),
      ),
    ).rejects.toMatchObject({
      retryable: false,
      code: 'http_404',
      message: 'Vonage no longer has this file (HTTP 404).',
    });
    const url = vonageApi.serveMedia('big', Buffer.alloc(2048), 'image/jpeg');
    await expect(
      media().download({ mediaId: 'm4', url }, SMS.number, signal(), { maxBytes: 1024 }),
    ).rejects.toMatchObject({ retryable: false, code: 'too_large' });
    await expect(
      media().upload(
        { bytes: Buffer.from('x'), mimeType: 'image/png', filename: 'x.png' },
        SMS.number,
        signal(),
      ),
    ).rejects.toMatchObject({ retryable: false, code: 'unsupported_outbound' });
  });
});

describe('testing the connection', () => {
  const test = (settings: Record<string, string>) => {
    // The real clock: the fake checks the application JWT's exp against it.
    if (!smsConnector.testConnection) throw new Error('no testConnection');
    return smsConnector.testConnection(settings, { timeoutMs: 2000 });
  };
  const refused = (said: string) => ({ ok: false, reason: said, message: said });

  it('reads Vonage’s media list with the application JWT and names the application, account and number', async () => {
    const before = vonageApi.requests.length;
    expect(await test(vonage)).toEqual({
      ok: true,
      detail: `Vonage accepts application ${SMS.vonage.applicationId} and its private key (account abcd1234); +447700900001 sends through it.`,
    });
    const asked = vonageApi.requests.slice(before);
    expect(asked.map((r) => [r.method, r.path, r.response?.status])).toEqual([
      ['GET', '/v3/media?page_size=1', 200],
    ]);
    expect(asked[0]?.claims?.['application_id']).toBe(SMS.vonage.applicationId);
  });

  it('says Vonage’s reason when it refuses the credentials, and never shows the key', async () => {
    const other = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('rsa', { modulusLength: 2048 }),
    );
    const pem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const answer = await test({ ...vonage, vonagePrivateKey: pem });
    expect(answer).toEqual(
      refused(
        `Vonage refused application ${SMS.vonage.applicationId} and its private key (HTTP 401: Unauthorized: Invalid Token.).`,
      ),
    );
    expect(JSON.stringify(answer)).not.toContain('PRIVATE KEY');
    vonageApi.failNext({ status: 403, title: 'Forbidden', detail: 'Application suspended.' });
    expect(await test(vonage)).toEqual(
      refused(
        `Vonage refused application ${SMS.vonage.applicationId} and its private key (HTTP 403: Forbidden: Application suspended.).`,
      ),
    );
    expect(await test({ ...vonage, vonagePrivateKey: 'not a key' })).toEqual(
      refused(
        'The Vonage private key is not a readable RSA private key (PEM): paste the key file the application gave.',
      ),
    );
    expect(await test({ ...vonage, vonagePrivateKey: '' })).toEqual(
      refused('SMS through Vonage needs Vonage private key first: set them on the Channels page.'),
    );
  });

  it('reads the Bird channel with the access key and names it, its number and status', async () => {
    const before = birdApi.requests.length;
    expect(await test(bird)).toEqual({
      ok: true,
      detail: `Bird accepts the access key: channel “SMS” (sms, +447700900001) in workspace ${SMS.bird.workspaceId}, active.`,
    });
    expect(
      birdApi.requests
        .slice(before)
        .map((r) => [r.method, r.path, r.headers.authorization, r.response?.status]),
    ).toEqual([
      [
        'GET',
        `/workspaces/${SMS.bird.workspaceId}/channels/${SMS.bird.channelId}`,
        `AccessKey ${SMS.bird.accessKey}`,
        200,
      ],
    ]);
  });

  it('says Bird’s reason for a wrong key or channel, the key never in it, and when Bird is unreachable', async () => {
    const wrong = await test({ ...bird, birdAccessKey: 'wrong-key-0123456789' });
    expect(wrong).toEqual(
      refused('Bird refused the access key (HTTP 401: Unauthorized: Invalid access key).'),
    );
    expect(JSON.stringify(wrong)).not.toContain('wrong-key-0123456789');
    const elsewhere = '66666666-7777-4888-8999-000000000001';
    expect(await test({ ...bird, birdChannelId: elsewhere })).toEqual(
      refused(
        `Bird has no channel ${elsewhere} in workspace ${SMS.bird.workspaceId} (HTTP 404: NotFound: Channel not found).`,
      ),
    );
    expect(await test({ ...bird, birdApiUrl: 'http://127.0.0.1:9' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Could not reach the Bird API \(/) as string,
    });
    expect(await test({ ...bird, birdWorkspaceId: '' })).toEqual(
      refused('SMS through Bird needs Bird workspace ID first: set them on the Channels page.'),
    );
  });
});

describe('the connector', () => {
  it('receives once the chosen provider can check its webhooks', () => {
    expect(connector.receives(vonage)).toBe(true);
    expect(connector.receives(bird)).toBe(true);
    expect(connector.receives({ ...vonage, vonageSignatureSecret: '' })).toBe(false);
    expect(connector.receives({ ...bird, birdSigningKey: '' })).toBe(false);
    expect(connector.receives({ ...vonage, number: '' })).toBe(false);
    // Vonage's deliveries are not checked with Bird's key, nor the other way round.
    expect(connector.receives({ ...bird, provider: 'vonage' })).toBe(false);
  });

  it('takes the demo’s SMS through its signed Vonage callback and its mapping', () => {
    const event = {
      kind: 'message' as const,
      channel: 'sms' as const,
      channelAccountId: 'demo-sms',
      externalId: 'demo-sms-1',
      customer: {
        externalId: '+447700900555',
        name: 'Ada Demo',
        phone: '+447700900555',
        country: 'GB',
      },
      sentAt: T,
      content: { type: 'text' as const, body: 'Is my parcel on its way?' },
    };
    expect(throughConnector([smsConnector], event)).toEqual([event]);
  });
});

describe('the demo’s SMS customers', () => {
  it('go through the signed Vonage callback and come out as the simulator meant them', () => {
    const world = createDemoWorld({ seed: 7, now: Date.parse('2026-12-01T12:00:00Z') });
    const texts = world.backfill.filter(
      (e): e is InboundMessage =>
        e.kind === 'message' && e.channel === 'sms' && e.content.type === 'text',
    );
    expect(texts.length).toBe(SMS_DEMO_TEXTS);
    for (const event of texts) {
      expect(smsConnector.demoDelivery?.(event)).not.toBeNull();
      expect(throughConnector(CONNECTORS, event)).toEqual([event]);
    }
  });
});
