import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, Order } from '../../src/shared/domain/model';
import type { ReplyWindow } from '../../src/shared/reply-window';
import type { RunningHub } from '../../src/server/hub';
import { api, embeddedLogin, startTestHub } from '../support/hub';

type View = Conversation & { window: ReplyWindow };
let hub: RunningHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub({ demo: true, embedded: true, demoSeed: 7 });
  token = await embeddedLogin(hub);
}, 60_000);

afterAll(async () => {
  await hub.close();
});

async function all(): Promise<View[]> {
  return (await api<{ conversations: View[] }>(hub.url, token, '/api/conversations?limit=500')).body
    .conversations;
}

describe('the demo hub', () => {
  it('signs the local app in as the local admin in embedded mode', async () => {
    const me = await api<{ user: { role: string } }>(hub.url, token, '/api/me');
    expect(me.body.user.role).toBe('admin');
  });

  it('fills the inbox across five channels with windows in every state', async () => {
    const conversations = await all();
    expect(new Set(conversations.map((c) => c.channel))).toEqual(
      new Set(['whatsapp', 'messenger', 'instagram', 'telegram', 'wechat']),
    );
    const states = new Set(conversations.map((c) => c.window.state));
    for (const state of ['open', 'closing', 'closed', 'unlimited']) expect(states).toContain(state);
    expect(new Set(conversations.map((c) => c.customer.language)).size).toBeGreaterThanOrEqual(4);
  });

  it('finds the orders of a demo customer from the conversation', async () => {
    const conversations = await all();
    let found: Order[] = [];
    for (const conversation of conversations) {
      found = (
        await api<{ orders: Order[] }>(
          hub.url,
          token,
          `/api/orders?conversation=${conversation.id}`,
        )
      ).body.orders;
      // One on its way or delivered: it has a carrier's tracking link.
      if (found.some((order) => order.status !== 'processing')) break;
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.find((order) => order.status !== 'processing')).toMatchObject({
      provider: 'demo',
      trackingUrl: expect.stringMatching(/^https:\/\//),
    });
  });

  it('offers the starter templates', async () => {
    const templates = await api<{ templates: { kind: string; shortcut: string | null }[] }>(
      hub.url,
      token,
      '/api/templates',
    );
    expect(
      templates.body.templates.some((t) => t.kind === 'quick_reply' && t.shortcut === 'status'),
    ).toBe(true);
    expect(templates.body.templates.some((t) => t.kind === 'whatsapp')).toBe(true);
  });

  it('delivers an agent reply on a demo channel and reports delivered and read', async () => {
    const open = (await all()).find((c) => c.channel === 'telegram');
    if (!open) throw new Error('no telegram conversation');
    await api(hub.url, token, `/api/conversations/${open.id}/messages`, {
      method: 'POST',
      body: { clientId: 'demo-reply-0001', content: { type: 'text', body: 'On its way!' } },
    });
    const deadline = Date.now() + 45_000;
    let reply: Message | undefined;
    while (Date.now() < deadline) {
      const messages = (
        await api<{ messages: Message[] }>(hub.url, token, `/api/conversations/${open.id}/messages`)
      ).body.messages;
      reply = messages.find((m) => m.clientId === 'demo-reply-0001');
      if (reply && (reply.status === 'delivered' || reply.status === 'read')) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(['delivered', 'read']).toContain(reply?.status);
  }, 60_000);
});
