import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetaSender } from '../../src/server/channels/meta/send-api';
import type { OutboundRequest } from '../../src/server/channels/types';
import { startFakeMessengerApi, type FakeMessengerApi } from '../support/fake-messenger-api';
import { MESSENGER, metaSettings } from '../support/meta-webhooks';

/** The Messenger / Instagram Send API sender against the local fake: bodies, limits, errors. */
let meta: FakeMessengerApi;
beforeAll(async () => {
  meta = await startFakeMessengerApi({
    pageAccessToken: MESSENGER.pageAccessToken,
    pageIds: [MESSENGER.pageId],
  });
});
afterAll(() => meta.close());

const sender = (
  channel: 'messenger' | 'instagram',
  humanAgent: 'yes' | 'no' = 'yes',
  graphUrl?: string,
) =>
  createMetaSender({
    channel,
    label: channel === 'messenger' ? 'Messenger' : 'Instagram',
    textLimit:
      channel === 'messenger' ? { max: 2000, unit: 'characters' } : { max: 1000, unit: 'bytes' },
    metadata: channel === 'messenger',
    settings: () => metaSettings(MESSENGER, graphUrl ?? meta.url, humanAgent),
    timeoutMs: 300,
  });

const request = (body: string, extra: Partial<OutboundRequest> = {}): OutboundRequest => ({
  messageId: 'msg_01',
  channel: 'messenger',
  channelAccountId: MESSENGER.pageId,
  to: '7000000000000099',
  content: { type: 'text', body },
  ...extra,
});

describe('Meta Send API sender', () => {
  it('refuses what the channel would refuse before any request: length, tag without permission', async () => {
    const before = meta.requests.length;
    expect(await sender('messenger').send(request('x'.repeat(2001)))).toEqual({
      ok: false,
      retryable: false,
      code: 'text_too_long',
      reason: 'Messenger text messages are limited to 2000 characters; this one has 2001.',
    });
    expect(
      await sender('instagram').send(request('é'.repeat(501), { channel: 'instagram' })),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'text_too_long',
      reason: 'Instagram text messages are limited to 1000 bytes; this one has 1002.',
    });
    expect(await sender('messenger', 'no').send(request('hi', { tag: 'HUMAN_AGENT' }))).toEqual({
      ok: false,
      retryable: false,
      code: 'tag_not_permitted',
      reason:
        'This Page has no Human Agent permission on Messenger: the HUMAN_AGENT tag cannot be used.',
    });
    expect(meta.requests.length).toBe(before);
  });

  it('maps a refused token, an unknown user and a rate limit with Retry-After', async () => {
    meta.failNext({ status: 401, code: 190, message: 'Error validating access token' });
    expect(await sender('messenger').send(request('a'))).toEqual({
      ok: false,
      retryable: false,
      code: '190',
      reason:
        'Messenger refused the Page access token (expired or revoked); save a new one on the Channels page. Error 190.',
    });
    meta.failNext({ status: 400, code: 100, subcode: 2018001, message: 'No matching user found' });
    expect(await sender('messenger').send(request('b'))).toEqual({
      ok: false,
      retryable: false,
      code: '100/2018001',
      reason:
        "Messenger found no matching user: the customer's id is not valid for this Page. Error 100/2018001.",
    });
    meta.failNext({
      status: 400,
      code: 32,
      message: 'Page request limit reached',
      retryAfterSeconds: 7,
    });
    expect(await sender('messenger').send(request('c'))).toEqual({
      ok: false,
      retryable: true,
      code: '32',
      reason: 'Messenger rate limit reached (Page request limit reached); will retry.',
      retryAfterMs: 7000,
    });
  });

  it('a timeout after the request went out is uncertain (never retried); no connection is retried', async () => {
    meta.acceptAndHang();
    expect(await sender('messenger').send(request('d'))).toEqual({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'timeout',
      reason:
        'The Messenger API did not answer within 300 ms; waiting for Messenger to confirm whether it was sent.',
    });
    // A port nothing listens on (one just closed).
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await sender('messenger', 'yes', `http://127.0.0.1:${port}`).send(request('e'));
    expect(refused).toEqual({
      ok: false,
      retryable: true,
      code: 'network_error',
      reason: 'Could not reach the Messenger API (ECONNREFUSED); will retry.',
    });
  });
});
