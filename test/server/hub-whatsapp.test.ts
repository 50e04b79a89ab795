import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { connectClient } from '../support/realtime-client';
import {
  messagesWebhook,
  signedWebhook,
  statusesWebhook,
  statusUpdate,
  textMessage,
  TEST_CUSTOMER,
} from '../support/whatsapp-webhooks';
import { until } from '../support/until';

let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;
let clock = Date.parse('2026-11-21T12:00:00Z');

async function postWebhook(
  payload: unknown,
  options: { secret?: string; raw?: string; headers?: Record<string, string> } = {},
) {
  const signed = signedWebhook(options.raw ?? payload, options.secret ?? WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { ...signed.headers, ...options.headers },
    body: signed.body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function conversationOf(waId: string): Promise<Conversation & { window: { state: string } }> {
  const list = await api<{ conversations: (Conversation & { window: { state: string } })[] }>(
    hub.url,
    token,
    '/api/conversations?channel=whatsapp&limit=500',
  );
  const found = list.body.conversations.find((c) => c.customer.phone === `+${waId}`);
  if (!found) throw new Error(`no conversation for ${waId}`);
  return found;
}

async function messagesOf(conversationId: string): Promise<Message[]> {
  return (
    await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${conversationId}/messages`,
    )
  ).body.messages;
}

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({ graphUrl: graph.url, now: () => clock });
  token = await login(hub.url);
});

afterAll(async () => {
  await hub.close();
  await graph.close();
});

afterEach(() => {
  clock = Date.parse('2026-11-21T12:00:00Z');
});

describe('WhatsApp webhooks', () => {
  it('answers the verification handshake only with the right token', async () => {
    const ok = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`,
    );
    expect(bad.status).toBe(403);
  });

  it('delivers a signed webhook to connected apps with the right reply window', async () => {
    const client = await connectClient(hub.url, token);
    await client.waitFor((f) => f.type === 'hello');
    const result = await postWebhook(
      messagesWebhook(
        textMessage('Where is my order #1043?', {
          from: '31612345678',
          name: 'Anna de Vries',
          timestamp: new Date(clock - 2 * HOUR_MS),
        }),
      ),
    );
    expect(result).toEqual({
      status: 200,
      body: { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    });
    const events = await client.waitForEvents(2);
    const created = events.find((e) => e.event.type === 'message.created');
    expect(created?.event).toMatchObject({
      message: {
        direction: 'inbound',
        content: { type: 'text', body: 'Where is my order #1043?' },
      },
    });
    const conversation = await conversationOf('31612345678');
    expect(conversation.customer.name).toBe('Anna de Vries');
    expect(conversation.window).toMatchObject({
      state: 'open',
      remainingMs: 22 * HOUR_MS,
      allowed: { kind: 'free_form' },
    });
    await client.close();
  });

  it('refuses a forged or unsigned webhook with 401 and stores nothing', async () => {
    const payload = messagesWebhook(textMessage('forged', { from: '31699999999' }));
    expect((await postWebhook(payload, { secret: 'not-the-secret' })).status).toBe(401);
    const unsigned = await fetch(`${hub.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(unsigned.status).toBe(401);
    const list = await api<{ conversations: Conversation[] }>(
      hub.url,
      token,
      '/api/conversations?q=31699999999',
    );
    expect(list.body.conversations).toEqual([]);
  });

  it('stores the same webhook delivered twice as one message', async () => {
    const payload = messagesWebhook(textMessage('Hello twice', { from: '31622222222' }));
    expect((await postWebhook(payload)).body).toMatchObject({ stored: 1, duplicates: 0 });
    expect((await postWebhook(payload)).body).toMatchObject({ stored: 0, duplicates: 1 });
    const conversation = await conversationOf('31622222222');
    expect(
      (await messagesOf(conversation.id)).filter((m) => m.direction === 'inbound'),
    ).toHaveLength(1);
    expect(conversation.unreadCount).toBe(1);
  });

  it('answers malformed JSON with 400 and an oversized body with 413', async () => {
    expect(
      (await postWebhook(null, { raw: '{"object":"whatsapp_business_account",' })).status,
    ).toBe(400);
    expect((await postWebhook(null, { raw: '{"object":"instagram"}' })).status).toBe(400);
    const huge = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [],
      padding: 'x'.repeat(2 * 1024 * 1024),
    });
    expect((await postWebhook(null, { raw: huge })).status).toBe(413);
  });
});

describe('replies through the Graph API', () => {
  it('sends a free-form reply inside the window with the documented body, then shows its ticks', async () => {
    await postWebhook(
      messagesWebhook(
        textMessage('Can I change my address?', {
          from: '31633333333',
          timestamp: new Date(clock - HOUR_MS),
        }),
      ),
    );
    const conversation = await conversationOf('31633333333');
    const before = graph.requests.length;
    const sent = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
      {
        method: 'POST',
        body: {
          clientId: 'reply-inside-0001',
          content: { type: 'text', body: 'Yes — send me the new address.' },
        },
      },
    );
    expect(sent.status).toBe(202);
    const message = await until(
      () => messagesOf(conversation.id),
      (list) => list.some((m) => m.status === 'sent'),
    );
    const outbound = message.find((m) => m.direction === 'outbound');
    expect(outbound).toMatchObject({ status: 'sent', externalId: graph.sentMessageIds.at(-1) });
    expect(graph.requests.slice(before).map((r) => r.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '31633333333',
        biz_opaque_callback_data: outbound?.id,
        type: 'text',
        text: { preview_url: false, body: 'Yes — send me the new address.' },
      },
    ]);
    expect(graph.requests.at(-1)?.headers.authorization).toBe(`Bearer ${WHATSAPP.accessToken}`);

    await postWebhook(
      statusesWebhook([
        statusUpdate('delivered', { id: outbound?.externalId ?? '', recipientId: '31633333333' }),
      ]),
    );
    const delivered = await until(
      () => messagesOf(conversation.id),
      (list) => list.some((m) => m.status === 'delivered'),
    );
    expect(delivered.find((m) => m.direction === 'outbound')?.status).toBe('delivered');
    // A late `sent` never moves a delivered message back.
    await postWebhook(statusesWebhook([statusUpdate('sent', { id: outbound?.externalId ?? '' })]));
    expect(
      (await messagesOf(conversation.id)).find((m) => m.direction === 'outbound')?.status,
    ).toBe('delivered');
  });

  it('refuses a free-form reply after 24 h with 409 window_closed, naming templates', async () => {
    await postWebhook(
      messagesWebhook(
        textMessage('Hello?', { from: '31644444444', timestamp: new Date(clock - 30 * HOUR_MS) }),
      ),
    );
    const conversation = await conversationOf('31644444444');
    expect(conversation.window.state).toBe('closed');
    const before = graph.requests.length;
    const refused = await api<{
      error: string;
      message: string;
      details: { allowed: { kind: string } };
    }>(hub.url, token, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: { clientId: 'reply-late-0001', content: { type: 'text', body: 'Sorry for the wait!' } },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('window_closed');
    expect(refused.body.details.allowed.kind).toBe('template_only');
    expect(refused.body.message).toMatch(/Approved templates only/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(graph.requests.length).toBe(before);
    expect((await messagesOf(conversation.id)).filter((m) => m.direction === 'outbound')).toEqual(
      [],
    );
  });

  it('sends a template outside the window with the exact Graph API body and its cost', async () => {
    const template = await api<{ template: { id: string } }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'whatsapp',
        name: 'order_update',
        body: 'Hello {{1}}, your order {{2}} is {{3}}.',
        language: 'en_US',
        category: 'utility',
        channels: ['whatsapp'],
      },
    });
    await postWebhook(
      messagesWebhook(
        textMessage('Any news?', {
          from: '31655555555',
          timestamp: new Date(clock - 48 * HOUR_MS),
        }),
      ),
    );
    const conversation = await conversationOf('31655555555');
    const before = graph.requests.length;
    const sent = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${conversation.id}/messages`,
      {
        method: 'POST',
        body: {
          clientId: 'template-late-0001',
          content: {
            type: 'template',
            templateId: template.body.template.id,
            parameters: ['Anna', '#1043', 'shipped'],
          },
        },
      },
    );
    expect(sent.status).toBe(202);
    expect(sent.body.message.content).toMatchObject({
      type: 'template',
      renderedBody: 'Hello Anna, your order #1043 is shipped.',
    });
    expect(sent.body.message.cost).toMatchObject({ category: 'utility', currency: 'USD' });
    expect(sent.body.message.cost?.amount).toBeGreaterThan(0);
    await until(
      async () => graph.requests.length,
      (n) => n > before,
    );
    expect(graph.requests.slice(before).map((r) => r.body)).toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '31655555555',
        biz_opaque_callback_data: sent.body.message.id,
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'en_US' },
          components: [
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Anna' },
                { type: 'text', text: '#1043' },
                { type: 'text', text: 'shipped' },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('marks a message failed with a clear reason on 131047', async () => {
    await postWebhook(
      messagesWebhook(
        textMessage('Hi', { from: '31666666666', timestamp: new Date(clock - HOUR_MS) }),
      ),
    );
    const conversation = await conversationOf('31666666666');
    graph.failNext({ status: 400, code: 131047, message: 'Re-engagement message' });
    await api(hub.url, token, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: { clientId: 'reply-131047-01', content: { type: 'text', body: 'Hello!' } },
    });
    const list = await until(
      () => messagesOf(conversation.id),
      (l) => l.some((m) => m.status === 'failed'),
    );
    expect(list.find((m) => m.direction === 'outbound')).toMatchObject({
      status: 'failed',
      failureCode: '131047',
      failureReason: expect.stringMatching(/only a template can be sent/),
    });
  });

  it('retries a 429 from the durable queue and sends once', async () => {
    await postWebhook(
      messagesWebhook(
        textMessage('Hi', { from: '31677777777', timestamp: new Date(clock - HOUR_MS) }),
      ),
    );
    const conversation = await conversationOf('31677777777');
    const before = graph.requests.length;
    graph.failNext({ status: 429, code: 130429 });
    await api(hub.url, token, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: { clientId: 'reply-429-0001', content: { type: 'text', body: 'Coming up' } },
    });
    await until(
      async () => graph.requests.slice(before).filter((r) => r.response?.status === 429).length,
      (n) => n === 1,
    );
    await hub.outbound.runOnce();
    // The retry waits for its backoff on the hub's clock.
    clock += 60_000;
    hub.outbound.wake();
    const list = await until(
      () => messagesOf(conversation.id),
      (l) => l.some((m) => m.status === 'sent'),
    );
    expect(list.find((m) => m.direction === 'outbound')?.status).toBe('sent');
    const attempts = graph.requests.slice(before);
    expect(attempts.map((r) => r.response?.status)).toEqual([429, 200]);
  });

  it('shows a failed status that arrives after the send was accepted', async () => {
    await postWebhook(
      messagesWebhook(
        textMessage('Hi', { from: '31688888888', timestamp: new Date(clock - HOUR_MS) }),
      ),
    );
    const conversation = await conversationOf('31688888888');
    await api(hub.url, token, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: { clientId: 'reply-laterfail-1', content: { type: 'text', body: 'Hello' } },
    });
    const sent = await until(
      () => messagesOf(conversation.id),
      (l) => l.some((m) => m.status === 'sent'),
    );
    const id = sent.find((m) => m.direction === 'outbound')?.externalId ?? '';
    await postWebhook(
      statusesWebhook([
        statusUpdate('failed', { id, error: { code: 131026, title: 'Message undeliverable' } }),
      ]),
    );
    const failed = await until(
      () => messagesOf(conversation.id),
      (l) => l.some((m) => m.status === 'failed'),
    );
    expect(failed.find((m) => m.direction === 'outbound')).toMatchObject({
      status: 'failed',
      failureCode: '131026',
      failureReason: expect.stringMatching(/Message undeliverable/),
    });
  });
});

describe('restarts', () => {
  it('loses nothing when the hub is killed and restarted on the same data folder', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-restart-'));
    const port = 0;
    try {
      const first = await startTestHub({ graphUrl: graph.url, dataDir, port });
      const firstToken = await login(first.url);
      const client = await connectClient(first.url, firstToken);
      const hello = await client.waitFor(
        (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
      );
      const post = async (url: string, payload: unknown) => {
        const signed = signedWebhook(payload, WHATSAPP.appSecret);
        return (
          await fetch(`${url}/webhooks/whatsapp`, {
            method: 'POST',
            headers: signed.headers,
            body: signed.body,
          })
        ).status;
      };
      expect(
        await post(
          first.url,
          messagesWebhook(textMessage('before the crash', { from: TEST_CUSTOMER.waId })),
        ),
      ).toBe(200);
      await client.waitForEvents(2);
      // A reply is queued while the Graph API answers 500: it must survive the restart.
      graph.failNext({ status: 500 });
      const list = await api<{ conversations: Conversation[] }>(
        first.url,
        firstToken,
        '/api/conversations',
      );
      const conversationId = list.body.conversations[0]?.id ?? '';
      await api(first.url, firstToken, `/api/conversations/${conversationId}/messages`, {
        method: 'POST',
        body: {
          clientId: 'reply-restart-01',
          content: { type: 'text', body: 'survives restarts' },
        },
      });
      await client.waitForEvents(4);
      const lastSeen = client.events().at(-1)?.seq ?? 0;
      await client.close();
      await first.close();

      const second = await startTestHub({ graphUrl: graph.url, dataDir, port });
      const secondToken = await login(second.url);
      expect(
        await post(
          second.url,
          messagesWebhook(textMessage('after the restart', { from: TEST_CUSTOMER.waId })),
        ),
      ).toBe(200);
      const resumed = await connectClient(second.url, secondToken, { since: lastSeen });
      const helloAgain = await resumed.waitFor(
        (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
      );
      expect(helloAgain.resume).toBe('resumed');
      const messages = await until(
        async () =>
          (
            await api<{ messages: Message[] }>(
              second.url,
              secondToken,
              `/api/conversations/${conversationId}/messages`,
            )
          ).body.messages,
        (l) => l.some((m) => m.direction === 'outbound' && m.status === 'sent'),
      );
      // WhatsApp timestamps have 1 s resolution, so compare each direction's order on its own.
      const bodies = (direction: string): string[] =>
        messages
          .filter((m) => m.direction === direction)
          .map((m) => (m.content.type === 'text' ? m.content.body : m.content.type));
      expect(bodies('inbound')).toEqual(['before the crash', 'after the restart']);
      expect(bodies('outbound')).toEqual(['survives restarts']);
      expect(messages.find((m) => m.direction === 'outbound')?.status).toBe('sent');
      const events = await resumed.waitForEvents(3);
      expect(events[0]?.seq).toBe(lastSeen + 1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => lastSeen + 1 + i));
      expect(hello.headSeq).toBeLessThan(lastSeen);
      await resumed.close();
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
