import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

// Meta's tokens expire or get rotated: an admin replaces the token on the Channels page, and the
// next reply must go out with it, without restarting the hub.
const NEW_TOKEN = 'EAAG-rotated-access-token-0042';

let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;
const clock = Date.parse('2026-11-21T12:00:00Z');

beforeAll(async () => {
  graph = await startFakeGraphApi({
    accessToken: NEW_TOKEN,
    phoneNumberIds: [WHATSAPP.phoneNumberId],
  });
  hub = await startTestHub({ graphUrl: graph.url, now: () => clock });
  token = await login(hub.url);
}, 120_000);

afterAll(async () => {
  await hub.close();
  await graph.close();
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('timed out');
}

describe('the WhatsApp access token an admin saves', () => {
  it('is the one the next reply is sent with', async () => {
    const signed = signedWebhook(
      messagesWebhook(
        textMessage('Where is my order?', {
          from: '31644444444',
          timestamp: new Date(clock - HOUR_MS),
        }),
      ),
      WHATSAPP.appSecret,
    );
    expect(
      (await fetch(`${hub.url}/webhooks/whatsapp`, { method: 'POST', ...signed })).status,
    ).toBe(200);
    const list = await api<{ conversations: Conversation[] }>(
      hub.url,
      token,
      '/api/conversations?channel=whatsapp',
    );
    const conversation = list.body.conversations.find(
      (c) => c.customer.phone?.endsWith('31644444444') ?? false,
    );
    expect(conversation).toBeDefined();
    const id = conversation?.id ?? '';

    const saved = await api(hub.url, token, '/api/admin/channels/whatsapp', {
      method: 'PUT',
      body: { accessToken: NEW_TOKEN },
    });
    expect(saved.status).toBe(200);

    const before = graph.requests.length;
    const sent = await api(hub.url, token, `/api/conversations/${id}/messages`, {
      method: 'POST',
      body: { clientId: 'rotated-token-0001', content: { type: 'text', body: 'On its way.' } },
    });
    expect(sent.status).toBe(202);
    const messages = await until(
      async () =>
        (await api<{ messages: Message[] }>(hub.url, token, `/api/conversations/${id}/messages`))
          .body.messages,
      (found) => found.some((m) => m.direction === 'outbound' && m.status === 'sent'),
    );
    expect(messages.find((m) => m.direction === 'outbound')?.status).toBe('sent');
    const requests = graph.requests.slice(before);
    expect(requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${NEW_TOKEN}`]);
  }, 60_000);
});
