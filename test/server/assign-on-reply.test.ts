import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../src/shared/domain/model';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub } from '../support/hub';
import { connectClient } from '../support/realtime-client';

/**
 * Assign on reply (issue 12, item 13): replying to an unassigned conversation did not assign it,
 * so two agents could answer the same customer.
 */

let hub: RunningHub;
let admin: string;
let agent: { id: string; token: string };
const clock = Date.parse('2026-11-21T12:00:00Z');
let counter = 0;

function inbound(customer: string): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-1',
    externalId: `tg.${counter}`,
    customer: { externalId: `tg-${customer}`, name: customer, phone: null },
    sentAt: clock,
    content: { type: 'text', body: `Hello ${counter}` },
  };
}

async function conversationOf(customer: string): Promise<Conversation> {
  await hub.ingestor.ingest(inbound(customer));
  const list = await api<{ conversations: Conversation[] }>(
    hub.url,
    admin,
    '/api/conversations?limit=100',
  );
  const found = list.body.conversations.find((c) => c.customer.name === customer);
  if (!found) throw new Error(`no conversation of ${customer}`);
  return found;
}

async function reply(token: string, conversationId: string, body = 'On it!') {
  counter += 1;
  return api<{ message: { authorId: string } }>(
    hub.url,
    token,
    `/api/conversations/${conversationId}/messages`,
    {
      method: 'POST',
      body: { clientId: `reply-${counter}-xxxx`, content: { type: 'text', body } },
    },
  );
}

async function assigneeOf(conversationId: string): Promise<string | null> {
  const answer = await api<{ conversation: Conversation }>(
    hub.url,
    admin,
    `/api/conversations/${conversationId}`,
  );
  return answer.body.conversation.assigneeId;
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  const created = await api<{ user: { id: string } }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: {
      email: 'ana@shop.example',
      name: 'Ana Lima',
      role: 'agent',
      password: 'ana password 1',
    },
  });
  agent = {
    id: created.body.user.id,
    token: await login(hub.url, { email: 'ana@shop.example', password: 'ana password 1' }),
  };
});

afterAll(async () => {
  await hub.close();
});

describe('assign on reply', () => {
  it('is on by default, and everyone may read the setting', async () => {
    const read = await api(hub.url, agent.token, '/api/workspace-settings');
    expect(read).toEqual({ status: 200, body: { settings: { assignOnReply: true } } });
  });

  it('assigns an unassigned conversation to the agent who replies, in the reply’s own event', async () => {
    const conversation = await conversationOf('Sheena Patel');
    expect(conversation.assigneeId).toBeNull();
    const watcher = await connectClient(hub.url, admin);
    await watcher.waitFor((frame) => frame.type === 'hello');

    const sent = await reply(agent.token, conversation.id);
    expect(sent.status).toBe(202);
    expect(await assigneeOf(conversation.id)).toBe(agent.id);

    // One commit: the message, the conversation, now assigned, and the assignment's activity
    // line (issue #20 item 3), in one events frame.
    const frame = await watcher.waitFor((f) => f.type === 'events');
    if (frame.type !== 'events') throw new Error('not events');
    expect(frame.events.map((e) => e.event.type)).toEqual([
      'message.created',
      'conversation.updated',
      'activity.created',
    ]);
    const updated = frame.events[1]?.event;
    expect(updated?.type === 'conversation.updated' && updated.conversation.assigneeId).toBe(
      agent.id,
    );
    await watcher.close();
  });

  it('keeps a conversation that is someone else’s with them', async () => {
    const conversation = await conversationOf('Bram de Boer');
    await reply(agent.token, conversation.id);
    expect(await assigneeOf(conversation.id)).toBe(agent.id);
    // The admin answers too: it stays Ana's.
    await reply(admin, conversation.id, 'Adding to what Ana said.');
    expect(await assigneeOf(conversation.id)).toBe(agent.id);
  });

  it('is the admin’s to switch off: agents get 403, and then replies leave conversations unassigned', async () => {
    const refused = await api(hub.url, agent.token, '/api/workspace-settings', {
      method: 'PUT',
      body: { assignOnReply: false },
    });
    expect(refused.status).toBe(403);
    const bad = await api(hub.url, admin, '/api/workspace-settings', {
      method: 'PUT',
      body: { assignOnReply: 'no' },
    });
    expect(bad.status).toBe(400);

    const saved = await api(hub.url, admin, '/api/workspace-settings', {
      method: 'PUT',
      body: { assignOnReply: false },
    });
    expect(saved).toEqual({ status: 200, body: { settings: { assignOnReply: false } } });
    expect((await api(hub.url, agent.token, '/api/workspace-settings')).body).toEqual({
      settings: { assignOnReply: false },
    });

    const conversation = await conversationOf('Chloé Martin');
    expect((await reply(agent.token, conversation.id)).status).toBe(202);
    expect(await assigneeOf(conversation.id)).toBeNull();

    await api(hub.url, admin, '/api/workspace-settings', {
      method: 'PUT',
      body: { assignOnReply: true },
    });
    await reply(agent.token, conversation.id, 'And again.');
    expect(await assigneeOf(conversation.id)).toBe(agent.id);
  });
});
