import { createHash, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeBirdApi, type FakeBirdApi } from '../support/fake-bird-api';
import { startFakeVonageApi, type FakeVonageApi } from '../support/fake-vonage-api';
import { api, login, startTestHub } from '../support/hub';
import {
  birdInbound,
  birdSettings,
  birdStatus,
  signedBird,
  signedVonage,
  SMS,
  vonageInbound,
  vonageMms,
  vonageSettings,
  vonageStatus,
} from '../support/sms-webhooks';
import { until } from '../support/until';

/**
 * Issue #16 item 2 end to end: signed Vonage and Bird webhooks through a real hub (HTTP, PGlite
 * or PostgreSQL) into messages and statuses, replies through the command API to each provider's
 * local fake, the provider's price as the message's recorded cost, and failures with their
 * reason. One number, first connected through Vonage, then switched to Bird on the Channels API:
 * the customer stays the same.
 */

let vonage: FakeVonageApi;
let bird: FakeBirdApi;
let hub: RunningHub;
let token: string;
const CUSTOMER = '+447700900123';

beforeAll(async () => {
  vonage = await startFakeVonageApi({
    applicationId: SMS.vonage.applicationId,
    publicKey: SMS.vonage.publicKey,
  });
  bird = await startFakeBirdApi(SMS.bird);
  hub = await startTestHub({
    sendTimeoutMs: 2000,
    // Both providers' settings, Vonage chosen: the test switches to Bird later.
    channels: { sms: { ...birdSettings(bird.url), ...vonageSettings(vonage.url) } },
  });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await vonage.close();
  await bird.close();
});

async function post(signed: {
  headers: Record<string, string>;
  body: string;
}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${hub.url}/webhooks/sms`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const conversations = async (): Promise<Conversation[]> =>
  (await api<{ conversations: Conversation[] }>(hub.url, token, '/api/conversations?channel=sms'))
    .body.conversations;

async function conversationOf(phone: string): Promise<Conversation> {
  const found = (await conversations()).find((c) => c.customer.phone === phone);
  if (!found) throw new Error(`no SMS conversation with ${phone}`);
  return found;
}

async function messagesOf(phone: string): Promise<Message[]> {
  const conversation = await conversationOf(phone);
  return (
    await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
    )
  ).body.messages;
}

const count = async (): Promise<number> =>
  Number(
    (
      await hub.db.query<{ n: number }>(
        "select count(*)::int as n from messages where channel = 'sms'",
      )
    ).rows[0]?.n,
  );

/** An agent's reply, queued; its id. */
async function replyQueued(phone: string, body: string): Promise<string> {
  const conversation = await conversationOf(phone);
  const queued = await api<{ message: Message }>(
    hub.url,
    token,
    `/api/conversations/${conversation.id}/messages`,
    { method: 'POST', body: { content: { type: 'text', body } } },
  );
  expect(queued.status).toBe(202);
  return queued.body.message.id;
}

/** An agent's reply, sent by the queue; the message once it is sent. */
async function replied(phone: string, body: string): Promise<Message> {
  const id = await replyQueued(phone, body);
  await hub.outbound.runOnce();
  const sent = await until(
    async () => (await messagesOf(phone)).find((m) => m.id === id),
    (m) => m?.status === 'sent',
  );
  if (!sent) throw new Error('the reply was not sent');
  return sent;
}

const messageById = async (phone: string, id: string): Promise<Message | undefined> =>
  (await messagesOf(phone)).find((m) => m.id === id);

describe('SMS through Vonage', () => {
  it('refuses unsigned, forged and stale callbacks with 401 and stores nothing', async () => {
    const raw = vonageInbound(
      'aaaaaaaa-0000-4000-8000-000000000000',
      '447700900123',
      'hi',
      Date.now(),
    );
    expect(
      (await post({ headers: { 'content-type': 'application/json' }, body: raw })).status,
    ).toBe(401);
    expect((await post(await signedVonage(raw, { secret: 'another-secret-value' }))).status).toBe(
      401,
    );
    expect((await post(await signedVonage(raw, { iatMs: Date.now() - 10 * 60_000 }))).status).toBe(
      401,
    );
    const signed = await signedVonage(raw);
    expect((await post({ ...signed, body: raw.replace('"hi"', '"ho"') })).status).toBe(401);
    expect(await count()).toBe(0);
  });

  it('stores an inbound SMS once, under the sender’s E.164 number, when Vonage redelivers it', async () => {
    const at = Date.now() - 60_000;
    const raw = vonageInbound(
      'aaaaaaaa-0000-4000-8000-000000000001',
      '447700900123',
      'Where is my order?',
      Math.floor(at / 1000) * 1000,
    );
    expect(await post(await signedVonage(raw))).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await post(await signedVonage(raw))).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    const conversation = await conversationOf(CUSTOMER);
    expect([conversation.channelAccountId, conversation.customer.phone]).toEqual([
      SMS.number,
      CUSTOMER,
    ]);
    expect((await messagesOf(CUSTOMER)).map((m) => [m.direction, m.externalId, m.content])).toEqual(
      [
        [
          'inbound',
          'aaaaaaaa-0000-4000-8000-000000000001',
          { type: 'text', body: 'Where is my order?' },
        ],
      ],
    );
  });

  it('downloads an MMS picture into the hub’s media store', async () => {
    const gif = Buffer.from(
      '47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b',
      'hex',
    );
    const url = vonage.serveMedia('1b456509-974c-458b-aef9-3b6b5ea1a4b1', gif, 'image/gif');
    const raw = vonageMms(
      'aaaaaaaa-0000-4000-8000-000000000077',
      '14155550100',
      url,
      'the box',
      Date.now(),
    );
    expect((await post(await signedVonage(raw))).body).toEqual({
      received: 1,
      stored: 1,
      duplicates: 0,
      deadLettered: 0,
    });
    const [message] = await until(
      () => messagesOf('+14155550100'),
      (list) => list.every((m) => m.attachment?.state !== 'pending'),
    );
    expect([message?.content, message?.attachment]).toEqual([
      {
        type: 'image',
        media: { mediaId: 'aaaaaaaa-0000-4000-8000-000000000077', url, caption: 'the box' },
      },
      {
        state: 'ready',
        sha256: createHash('sha256').update(gif).digest('hex'),
        mimeType: 'image/gif',
        size: gif.length,
        filename: null,
        error: null,
        // A real 1 × 1 GIF: its thumbnail is a 1 × 1 WebP (never enlarged).
        thumbnail: {
          sha256: '624cbfa8ef131d7a5c7be83ab2e83e88590170a722acf1e3090c0d71b47a981f',
          mimeType: 'image/webp',
          width: 1,
          height: 1,
        },
      },
    ]);
  });

  it('sends a reply once; submitted with usage.price records that price as its cost; delivered moves it on', async () => {
    const before = vonage.requests.length;
    const ours = await replied(CUSTOMER, 'It ships today.');
    const sends = vonage.requests.slice(before);
    expect(sends.map((r) => [r.path, r.response?.status, r.body])).toEqual([
      [
        '/v1/messages',
        202,
        {
          message_type: 'text',
          text: 'It ships today.',
          to: '447700900123',
          from: '447700900001',
          channel: 'sms',
          client_ref: ours.id,
        },
      ],
    ]);
    const uuid = vonage.sent.at(-1) as string;
    expect(ours.externalId).toBe(uuid);

    const submitted = vonageStatus(uuid, 'submitted', '447700900123', Date.now(), {
      clientRef: ours.id,
      usage: { price: '0.0333', currency: 'EUR' },
    });
    expect((await post(await signedVonage(submitted))).status).toBe(200);
    const priced = await messageById(CUSTOMER, ours.id);
    expect([priced?.status, priced?.cost]).toEqual([
      'sent',
      { amount: 0.0333, currency: 'EUR', category: 'sms', label: 'Charged by the provider' },
    ]);
    // Redelivered: the same price, nothing else changes.
    expect((await post(await signedVonage(submitted))).status).toBe(200);
    await post(await signedVonage(vonageStatus(uuid, 'delivered', '447700900123', Date.now())));
    const delivered = await messageById(CUSTOMER, ours.id);
    expect([delivered?.status, delivered?.cost?.amount, delivered?.cost?.currency]).toEqual([
      'delivered',
      0.0333,
      'EUR',
    ]);
    await hub.outbound.runOnce();
    expect(vonage.requests.length - before).toBe(1);
  });

  it('records the price of a status that moves the message on (delivered with usage)', async () => {
    const ours = await replied(CUSTOMER, 'Here is your tracking link.');
    const uuid = vonage.sent.at(-1) as string;
    const delivered = vonageStatus(uuid, 'delivered', '447700900123', Date.now(), {
      clientRef: ours.id,
      usage: { price: '0.0710', currency: 'USD' },
    });
    expect((await post(await signedVonage(delivered))).status).toBe(200);
    const priced = await messageById(CUSTOMER, ours.id);
    expect([priced?.status, priced?.cost]).toEqual([
      'delivered',
      { amount: 0.071, currency: 'USD', category: 'sms', label: 'Charged by the provider' },
    ]);
  });

  it('takes the private key as a multi-line PEM on the Channels API, and signs sends with it', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const saved = await api<{
      channel: { secrets: Record<string, { set: boolean; source: string }> };
    }>(hub.url, token, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { vonagePrivateKey: pem },
    });
    expect([saved.status, saved.body.channel.secrets['vonagePrivateKey']?.source]).toEqual([
      200,
      'settings',
    ]);
    // The fake knows the application's public key only: a send signed with another key is 401.
    const refused = await replyQueued(CUSTOMER, 'Signed with the new key?');
    await hub.outbound.runOnce();
    const failed = await until(
      () => messageById(CUSTOMER, refused),
      (m) => m?.status === 'failed',
    );
    expect([failed?.failureCode, vonage.requests.at(-1)?.response?.status]).toEqual([
      'vonage_unauthorized',
      401,
    ]);
    const restored = await api(hub.url, token, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { vonagePrivateKey: SMS.vonage.privateKeyPem },
    });
    expect(restored.status).toBe(200);
  });

  it('tests the Vonage credentials from the Channels API, naming the application and number', async () => {
    const tested = await api(hub.url, token, '/api/admin/channels/sms/test', {
      method: 'POST',
      body: {},
    });
    expect([tested.status, tested.body]).toEqual([
      200,
      {
        ok: true,
        detail: `Vonage accepts application ${SMS.vonage.applicationId} and its private key (account abcd1234); +447700900001 sends through it.`,
      },
    ]);
    expect(vonage.requests.at(-1)?.path).toBe('/v3/media?page_size=1');
    const list = await api<{ channels: { id: string; connectionTest?: boolean }[] }>(
      hub.url,
      token,
      '/api/admin/channels',
    );
    expect(list.body.channels.find((c) => c.id === 'sms')?.connectionTest).toBe(true);
  });

  it('marks an undeliverable SMS failed with Vonage’s reason', async () => {
    const ours = await replied(CUSTOMER, 'Are you there?');
    const uuid = vonage.sent.at(-1) as string;
    const undeliverable = vonageStatus(uuid, 'undeliverable', '447700900123', Date.now(), {
      clientRef: ours.id,
      error: {
        type: 'https://developer.nexmo.com/api-errors/messages-olympus#1340',
        title: 'Unknown subscriber',
        detail: 'The number is not in use.',
      },
    });
    expect((await post(await signedVonage(undeliverable))).status).toBe(200);
    const failed = await messageById(CUSTOMER, ours.id);
    expect([failed?.status, failed?.failureCode, failed?.failureReason]).toEqual([
      'failed',
      'vonage_1340',
      'Unknown subscriber: The number is not in use.',
    ]);
  });
});

describe('the same number through Bird', () => {
  it('switches the provider on the Channels API; the customer stays the same', async () => {
    const saved = await api(hub.url, token, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { provider: 'bird' },
    });
    expect(saved.status).toBe(200);
    // Vonage's deliveries are now refused: the number's webhooks are Bird's.
    const raw = vonageInbound(
      'aaaaaaaa-0000-4000-8000-000000000009',
      '447700900123',
      'x',
      Date.now(),
    );
    expect((await post(await signedVonage(raw))).status).toBe(401);

    const before = (await conversations()).length;
    const inbound = birdInbound(
      'b1rd0000-0000-4000-8000-000000000001',
      CUSTOMER,
      'Any news?',
      Date.now(),
    );
    // Signed for the public URL Bird called; the hub sees its own loopback address.
    expect(await post(signedBird(inbound))).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    expect((await post(signedBird(inbound))).body).toEqual({
      received: 1,
      stored: 0,
      duplicates: 1,
      deadLettered: 0,
    });
    expect((await conversations()).length).toBe(before);
    expect(
      (await messagesOf(CUSTOMER))
        .filter((m) => m.externalId === 'b1rd0000-0000-4000-8000-000000000001')
        .map((m) => [m.direction, m.content]),
    ).toEqual([['inbound', { type: 'text', body: 'Any news?' }]]);
    const forged = signedBird(inbound, { key: 'not-the-signing-key' });
    expect((await post(forged)).status).toBe(401);
  });

  it('tests the Bird access key from the Channels API, and says Bird’s reason when it is refused', async () => {
    const test = () =>
      api(hub.url, token, '/api/admin/channels/sms/test', { method: 'POST', body: {} });
    expect((await test()).body).toEqual({
      ok: true,
      detail: `Bird accepts the access key: channel “SMS” (sms, +447700900001) in workspace ${SMS.bird.workspaceId}, active.`,
    });
    const saved = await api(hub.url, token, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { birdAccessKey: 'revoked-key-0123456789' },
    });
    expect(saved.status).toBe(200);
    const refused = await test();
    expect([refused.status, refused.body]).toEqual([
      200,
      {
        ok: false,
        reason: 'Bird refused the access key (HTTP 401: Unauthorized: Invalid access key).',
      },
    ]);
    expect(JSON.stringify(refused.body)).not.toContain('revoked-key');
    const restored = await api(hub.url, token, '/api/admin/channels/sms', {
      method: 'PUT',
      body: { birdAccessKey: SMS.bird.accessKey },
    });
    expect(restored.status).toBe(200);
  });

  it('sends a reply once through the Channels API; delivered and delivery_failed map', async () => {
    const before = bird.requests.length;
    const ours = await replied(CUSTOMER, 'Tomorrow before noon.');
    const sends = bird.requests.slice(before);
    expect(sends.map((r) => [r.path, r.headers.authorization, r.response?.status, r.body])).toEqual(
      [
        [
          `/workspaces/${SMS.bird.workspaceId}/channels/${SMS.bird.channelId}/messages`,
          `AccessKey ${SMS.bird.accessKey}`,
          202,
          {
            receiver: { contacts: [{ identifierKey: 'phonenumber', identifierValue: CUSTOMER }] },
            body: { type: 'text', text: { text: 'Tomorrow before noon.' } },
            reference: ours.id,
          },
        ],
      ],
    );
    const id = bird.sent.at(-1) as string;
    expect(ours.externalId).toBe(id);
    await post(
      signedBird(birdStatus(id, 'delivered', CUSTOMER, Date.now(), { reference: ours.id })),
    );
    expect((await messageById(CUSTOMER, ours.id))?.status).toBe('delivered');

    const second = await replied(CUSTOMER, 'Shall I call you?');
    const secondId = bird.sent.at(-1) as string;
    await post(
      signedBird(
        birdStatus(secondId, 'delivery_failed', CUSTOMER, Date.now(), {
          reference: second.id,
          reason: 'details: unknown subscriber; reason: unknown_subscriber; code: 1',
          details: 'unknown_subscriber',
          failureCode: 15005,
        }),
      ),
    );
    const failed = await messageById(CUSTOMER, second.id);
    expect([failed?.status, failed?.failureCode, failed?.failureReason]).toEqual([
      'failed',
      'bird_15005',
      'unknown subscriber: details: unknown subscriber; reason: unknown_subscriber; code: 1',
    ]);
    await hub.outbound.runOnce();
    expect(bird.requests.length - before).toBe(2);
  });
});
