import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WebhookPayloadError,
  type ChannelConnector,
  type SenderDeps,
} from '../../src/server/channels/connector';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { InboundEvent } from '../../src/server/channels/types';
import { readHubConfig } from '../../src/server/config';
import { demoImage } from '../../src/server/demo/demo-files';
import type { RunningHub } from '../../src/server/hub';
import { PUBLIC_LINK_TTL_MS } from '../../src/server/media/public-links';
import { api, login, startTestHub } from '../support/hub';
import { TEST_CHANNEL, withTestConnector } from '../support/test-connector';
import { until } from '../support/until';

/**
 * Issue #15: LINE and Viber fetch a message's file from an HTTPS link. The hub publishes the file
 * under its public address (`REPLYDESK_PUBLIC_URL`) at an unguessable link that expires; a
 * connector's `upload` asks for it through `SenderDeps.publishFile`. Here a test connector does
 * what LINE's and Viber's do, and the test fetches the link as the platform would.
 */
let clock = Date.parse('2026-12-02T09:00:00Z');
const links: string[] = [];

function connectorWith(name: string): ChannelConnector {
  let deps: SenderDeps | null = null;
  return {
    channel: TEST_CHANNEL,
    name,
    provider: 'link_test',
    settings: [],
    receives: () => true,
    verify: () => ({ ok: true }),
    parse(body) {
      if (!Array.isArray(body)) throw new WebhookPayloadError('Not a list.', '');
      return { events: body as InboundEvent[], problems: [], lost: [] };
    },
    createSender: () => ({
      channel: TEST_CHANNEL,
      send: (request) => Promise.resolve({ ok: true, externalId: `link-out-${request.messageId}` }),
    }),
    createMedia(given) {
      deps = given;
      return {
        download: () => Promise.reject(new Error('not used')),
        async upload(file) {
          const url = await (deps as SenderDeps).publishFile?.(file);
          if (!url) throw new Error('no publishFile');
          links.push(url);
          return { channelMediaId: url };
        },
      };
    },
  };
}

let hub: RunningHub;
let admin: string;

beforeAll(async () => {
  hub = await startTestHub({
    connectors: withTestConnector(CONNECTORS, connectorWith('Link channel')),
    now: () => clock,
    selfPublicUrl: true,
    outbound: { baseDelayMs: 20, pollMs: 20 },
  });
  admin = await login(hub.url);
});
afterAll(() => hub.close());

async function conversationFor(customer: string): Promise<string> {
  const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      {
        kind: 'message',
        channel: TEST_CHANNEL,
        channelAccountId: 'acct-links',
        externalId: `links-${customer}`,
        customer: { externalId: customer, name: customer, phone: null },
        sentAt: clock,
        content: { type: 'text', body: 'Photo please' },
      },
    ]),
  });
  expect(res.status).toBe(200);
  const { rows } = await hub.db.query<{ id: string }>(
    'select id from conversations where customer_external_id = $1',
    [customer],
  );
  return rows[0]?.id ?? '';
}

async function sendPhoto(conversationId: string): Promise<string> {
  const photo = demoImage('parcel');
  const sha256 = createHash('sha256').update(photo.bytes).digest('hex');
  const up = await fetch(`${hub.url}/api/media?channel=${TEST_CHANNEL}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${admin}`,
      'content-type': 'image/png',
      'x-filename': 'parcel photo.png',
    },
    body: new Uint8Array(photo.bytes),
  });
  expect(up.status).toBe(201);
  const sent = await api<{ message: { id: string } }>(
    hub.url,
    admin,
    `/api/conversations/${conversationId}/messages`,
    {
      method: 'POST',
      body: {
        content: {
          type: 'image',
          media: { mediaId: sha256, sha256, mimeType: 'image/png', filename: 'parcel photo.png' },
        },
      },
    },
  );
  expect(sent.status).toBe(202);
  return sent.body.message.id;
}

describe('public links to files', () => {
  it('serves the file at an unguessable link under the public address until it expires', async () => {
    const conversation = await conversationFor('link-ana');
    const id = await sendPhoto(conversation);
    await until(
      async () =>
        (await hub.db.query<{ status: string }>('select status from messages where id = $1', [id]))
          .rows[0]?.status,
      (status) => status === 'sent',
    );
    expect(links).toHaveLength(1);
    const link = links[0] as string;
    expect(link).toMatch(
      new RegExp(`^${hub.url}/media/public/[A-Za-z0-9_-]{43}/parcel%20photo\\.png$`),
    );
    const served = await fetch(link);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(demoImage('parcel').bytes)).toBe(true);

    // Another token, a malformed one, or the right one after it expired: 404, nothing served.
    const token = link.split('/')[5] as string;
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetch(link.replace(token, other))).status).toBe(404);
    expect((await fetch(`${hub.url}/media/public/short/parcel.png`)).status).toBe(404);
    clock += PUBLIC_LINK_TTL_MS;
    expect((await fetch(link)).status).toBe(404);
  });
});

describe('REPLYDESK_PUBLIC_URL', () => {
  const config = (value: string) =>
    readHubConfig({ PORT: '0', REPLYDESK_DATA_DIR: ':memory:', REPLYDESK_PUBLIC_URL: value }, '/');
  it('takes an https address, allows its host, and refuses what platforms could not fetch', () => {
    const parsed = config('https://hub.shop.example/');
    expect([parsed.publicUrl, parsed.publicHosts]).toEqual([
      'https://hub.shop.example',
      ['hub.shop.example'],
    ]);
    expect(config('http://127.0.0.1:8080').publicUrl).toBe('http://127.0.0.1:8080');
    expect(() => config('http://hub.shop.example')).toThrow(
      'REPLYDESK_PUBLIC_URL must be https:// (platforms fetch files only over HTTPS).',
    );
    expect(() => config('hub.shop.example')).toThrow(
      'REPLYDESK_PUBLIC_URL must be a URL such as https://hub.example.com, got "hub.shop.example".',
    );
    expect(() => config('https://hub.shop.example/?a=1')).toThrow(
      'REPLYDESK_PUBLIC_URL must not have a query, fragment or credentials.',
    );
  });
});

describe('without a public address', () => {
  it('fails the send with what to set, and serves nothing', async () => {
    const other = await startTestHub({
      connectors: withTestConnector(CONNECTORS, connectorWith('Link channel')),
      now: () => clock,
      outbound: { baseDelayMs: 20, pollMs: 20 },
    });
    try {
      const previous = { hub, admin };
      hub = other;
      admin = await login(other.url);
      const id = await sendPhoto(await conversationFor('link-bo'));
      const row = await until(
        async () =>
          (
            await other.db.query<{ status: string; failure_reason: string | null }>(
              'select status, failure_reason from messages where id = $1',
              [id],
            )
          ).rows[0],
        (r) => r?.status === 'failed',
      );
      expect(row).toEqual({
        status: 'failed',
        failure_reason:
          'Uploading the file to Telegram failed: This channel fetches files from a link, and the hub has no public address: set REPLYDESK_PUBLIC_URL to the HTTPS address the platform reaches the hub at.',
      });
      hub = previous.hub;
      admin = previous.admin;
    } finally {
      await other.close();
    }
  });
});
