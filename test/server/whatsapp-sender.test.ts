import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundRequest, SendResult } from '../../src/server/channels/types';
import {
  createWhatsAppSender,
  DEFAULT_GRAPH_API_VERSION,
  REENGAGEMENT_REASON,
} from '../../src/server/channels/whatsapp/graph-client';
import type { ChannelContent } from '../../src/shared/domain/model';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';

const TOKEN = 'EAAGtest-access-token-7f3a9c';
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '16505551234';

let graph: FakeGraphApi;
/** Every result of the suite, checked at the end for the token. */
const results: SendResult[] = [];

function request(
  content: ChannelContent,
  overrides: Partial<OutboundRequest> = {},
): OutboundRequest {
  return {
    messageId: 'msg_1',
    channel: 'whatsapp',
    channelAccountId: PHONE_NUMBER_ID,
    to: CUSTOMER,
    content,
    ...overrides,
  };
}

async function send(
  content: ChannelContent,
  options: { timeoutMs?: number; url?: string } = {},
): Promise<SendResult> {
  const sender = createWhatsAppSender({
    graphUrl: options.url ?? graph.url,
    apiVersion: DEFAULT_GRAPH_API_VERSION,
    accessToken: TOKEN,
    timeoutMs: options.timeoutMs ?? 5_000,
  });
  const result = await sender.send(request(content));
  results.push(result);
  return result;
}

const text: ChannelContent = { type: 'text', body: 'Your order #1001 ships today 📦' };

beforeEach(async () => {
  graph = await startFakeGraphApi({ accessToken: TOKEN, phoneNumberIds: [PHONE_NUMBER_ID] });
});

afterEach(async () => {
  await graph.close();
});

describe('WhatsApp sender: requests', () => {
  it('sends a text with the documented body, bearer token and JSON content type', async () => {
    const result = await send(text);

    expect(graph.requests).toHaveLength(1);
    const [sent] = graph.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.path).toBe(`/v23.0/${PHONE_NUMBER_ID}/messages`);
    expect(sent?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.rawBody).toBe(
      JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: CUSTOMER,
        biz_opaque_callback_data: 'msg_1',
        type: 'text',
        text: { preview_url: false, body: 'Your order #1001 ships today 📦' },
      }),
    );
    expect(sent?.response?.status).toBe(200);
    expect(result).toEqual({ ok: true, externalId: graph.sentMessageIds[0] });
    expect(graph.sentMessageIds[0]).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
  });

  it('sends a template with body parameters', async () => {
    const result = await send({
      type: 'template',
      name: 'order_shipped',
      language: 'en_US',
      category: 'utility',
      parameters: ['Sheena', '#1001'],
      renderedBody: 'Hi Sheena, your order #1001 has shipped.',
    });
    expect(result.ok).toBe(true);
    expect(graph.requests[0]?.body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      biz_opaque_callback_data: 'msg_1',
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sheena' },
              { type: 'text', text: '#1001' },
            ],
          },
        ],
      },
    });
  });

  it('omits components for a template without parameters', async () => {
    await send({
      type: 'template',
      name: 'hello_world',
      language: 'en_US',
      category: 'utility',
      parameters: [],
      renderedBody: 'Hello World',
    });
    expect(graph.requests[0]?.body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      biz_opaque_callback_data: 'msg_1',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
  });

  it('sends a reaction', async () => {
    const target = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
    const result = await send({ type: 'reaction', emoji: '👍', targetExternalId: target });
    expect(result.ok).toBe(true);
    expect(graph.requests[0]?.body).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER,
      biz_opaque_callback_data: 'msg_1',
      type: 'reaction',
      reaction: { message_id: target, emoji: '👍' },
    });
  });

  it('uses the configured version, base URL with a trailing slash, and phone number mapping', async () => {
    const sender = createWhatsAppSender({
      graphUrl: `${graph.url}/`,
      apiVersion: 'v24.0',
      accessToken: TOKEN,
      phoneNumberIdFor: (account) => (account === 'shop-main' ? PHONE_NUMBER_ID : account),
    });
    const result = await sender.send(request(text, { channelAccountId: 'shop-main' }));
    results.push(result);
    expect(result.ok).toBe(true);
    expect(graph.requests[0]?.path).toBe(`/v24.0/${PHONE_NUMBER_ID}/messages`);
  });

  it('refuses content it cannot send without calling the API', async () => {
    const result = await send({ type: 'location', latitude: 52.37, longitude: 4.9 });
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'unsupported_outbound',
      reason:
        'Replydesk cannot send location messages on WhatsApp yet; only text, templates, reactions and files.',
    });
    const long = await send({ type: 'text', body: 'x'.repeat(4097) });
    expect(long).toMatchObject({ ok: false, retryable: false, code: 'text_too_long' });
    expect(graph.requests).toHaveLength(0);
  });

  it('rejects a malformed API version when created', () => {
    expect(() =>
      createWhatsAppSender({ graphUrl: graph.url, apiVersion: '23', accessToken: TOKEN }),
    ).toThrow(/v23\.0/);
  });
});

describe('WhatsApp sender: failures', () => {
  it('131047 outside the 24 h window: not retryable, with a reason the agent understands', async () => {
    graph.failNext({
      status: 400,
      code: 131047,
      message: '(#131047) Re-engagement message',
      details:
        'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    });
    expect(await send(text)).toEqual({
      ok: false,
      retryable: false,
      code: '131047',
      reason: REENGAGEMENT_REASON,
    });
    expect(REENGAGEMENT_REASON).toBe(
      'More than 24 hours have passed since the customer last replied; only a template can be sent (WhatsApp error 131047, re-engagement message).',
    );
  });

  it('HTTP 429 with Retry-After: retryable after that many seconds', async () => {
    graph.failNext({ status: 429, retryAfterSeconds: 1 });
    const result = await send(text);
    expect(result).toMatchObject({
      ok: false,
      retryable: true,
      code: '130429',
      retryAfterMs: 1000,
    });
  });

  it('pair rate limit 131056 (HTTP 400): retryable, no wait suggested without Retry-After', async () => {
    graph.failNext({
      status: 400,
      code: 131056,
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    });
    const result = await send(text);
    expect(result).toMatchObject({ ok: false, retryable: true, code: '131056' });
    expect(result).not.toHaveProperty('retryAfterMs');
  });

  it('Retry-After as an HTTP date', async () => {
    graph.respondNext({
      status: 429,
      headers: { 'Retry-After': new Date(Date.now() + 30_000).toUTCString() },
      body: { error: { message: 'Too many calls', type: 'OAuthException', code: 80007 } },
    });
    const result = await send(text);
    expect(result).toMatchObject({ ok: false, retryable: true, code: '80007' });
    const wait = result.ok ? 0 : (result.retryAfterMs ?? 0);
    expect(wait).toBeGreaterThan(25_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it('HTTP 500: retryable', async () => {
    graph.failNext({ status: 500 });
    expect(await send(text)).toMatchObject({ ok: false, retryable: true, code: '1' });
  });

  it('HTTP 503 with a non-JSON body: retryable', async () => {
    graph.respondNext({ status: 503, body: '<html>Service Unavailable</html>' });
    expect(await send(text)).toMatchObject({ ok: false, retryable: true, code: 'http_503' });
  });

  it.each([
    [131026, '(#131026) Message Undeliverable.', 'Unable to deliver message.'],
    [
      132000,
      '(#132000) Number of parameters does not match the expected number of params',
      'body: number of localizable_params (1) does not match the expected number of params (2)',
    ],
    [
      132001,
      '(#132001) Template name does not exist in the translation',
      'template name (order_shipped) does not exist in en_US',
    ],
    [
      132018,
      '(#132018) There was an issue with the parameters in your template.',
      'Param text cannot have new-line/tab characters or more than 4 consecutive spaces',
    ],
  ])(
    'other 4xx error %i: not retryable, with the API message, details and code',
    async (code, message, details) => {
      graph.failNext({ status: 400, code, message, details });
      expect(await send(text)).toEqual({
        ok: false,
        retryable: false,
        code: String(code),
        reason: `${message}: ${details}`,
      });
    },
  );

  it('a 4xx without details keeps the API message', async () => {
    graph.failNext({ status: 400, code: 100, message: '(#100) Invalid parameter' });
    expect(await send(text)).toEqual({
      ok: false,
      retryable: false,
      code: '100',
      reason: '(#100) Invalid parameter',
    });
  });

  it('a wrong or expired token (401, code 190): not retryable', async () => {
    const sender = createWhatsAppSender({
      graphUrl: graph.url,
      apiVersion: DEFAULT_GRAPH_API_VERSION,
      accessToken: 'expired-token',
    });
    const result = await sender.send(request(text));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: '190',
      reason: 'Invalid OAuth access token - Cannot parse access token',
    });
    expect(graph.requests[0]?.response?.status).toBe(401);
  });

  it('never repeats the token, even when the API echoes it', async () => {
    graph.respondNext({
      status: 400,
      body: {
        error: {
          message: `Malformed access token ${TOKEN}`,
          type: 'OAuthException',
          code: 190,
          error_data: { details: `token=${TOKEN}` },
        },
      },
    });
    const result = await send(text);
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: '190',
      reason: 'Malformed access token [redacted]: token=[redacted]',
    });
  });

  it('a 2xx without a message id: uncertain, never retried (it may have been sent)', async () => {
    graph.respondNext({ status: 200, body: { messaging_product: 'whatsapp', messages: [] } });
    expect(await send(text)).toMatchObject({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'bad_response',
    });
    graph.respondNext({ status: 200, body: 'OK' });
    expect(await send(text)).toMatchObject({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'bad_response',
    });
  });

  it('a network error before connecting (server gone): retryable, nothing was sent', async () => {
    const gone = await startFakeGraphApi({ accessToken: TOKEN });
    const url = gone.url;
    await gone.close();
    const result = await send(text, { url });
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
    expect(result.ok ? '' : result.reason).toMatch(/ECONNREFUSED/);
  });

  it('a timeout: uncertain, never retried (Meta may have accepted it)', async () => {
    graph.delayNext(2_000);
    const started = Date.now();
    const result = await send(text, { timeoutMs: 150 });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(result).toEqual({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'timeout',
      reason:
        'The WhatsApp API did not answer within 150 ms; waiting for WhatsApp to confirm whether it was sent.',
    });
  });

  it('a delayed answer within the timeout still succeeds', async () => {
    graph.delayNext(100);
    expect(await send(text, { timeoutMs: 2_000 })).toEqual({
      ok: true,
      externalId: graph.sentMessageIds[0],
    });
  });
});

describe('fake Graph API', () => {
  it('answers an invalid body with a Graph-style 400 (error 100)', async () => {
    const res = await fetch(`${graph.url}/v23.0/${PHONE_NUMBER_ID}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', type: 'text', text: { body: 'hi' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        message: '(#100) Invalid parameter',
        type: 'OAuthException',
        code: 100,
        error_data: { messaging_product: 'whatsapp', details: expect.stringContaining('to') },
      },
    });
  });

  it('answers an unknown phone number id like Graph (error 100, subcode 33)', async () => {
    const sender = createWhatsAppSender({ graphUrl: graph.url, accessToken: TOKEN });
    const result = await sender.send(request(text, { channelAccountId: '999' }));
    results.push(result);
    expect(result).toMatchObject({ ok: false, retryable: false, code: '100' });
  });
});

describe('secrets', () => {
  it('no result of this suite contains the access token', () => {
    expect(results.length).toBeGreaterThan(15);
    expect(JSON.stringify(results)).not.toContain(TOKEN);
  });
});
