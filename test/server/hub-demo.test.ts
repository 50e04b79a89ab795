import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message, Order } from '../../src/shared/domain/model';
import type { ReplyWindow } from '../../src/shared/reply-window';
import type { RunningHub } from '../../src/server/hub';
import { createHash } from 'node:crypto';
import { demoImage, demoPdf, demoVoiceNote } from '../../src/server/demo/demo-files';
import { toMessage, type MessageRow } from '../../src/server/store/messages';
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

  it('fills the inbox across nine channels with windows in every state', async () => {
    const conversations = await all();
    expect(new Set(conversations.map((c) => c.channel))).toEqual(
      new Set([
        'whatsapp',
        'messenger',
        'instagram',
        'telegram',
        'wechat',
        'line',
        'viber',
        'kakao',
        'sms',
      ]),
    );
    // The Korean KakaoTalk customer, through the connector's verify and parse.
    expect(
      conversations
        .filter((c) => c.channel === 'kakao')
        .map((c) => [c.customer.name, c.customer.language, c.window.basis]),
    ).toEqual([['이서연', 'ko', 'kakao.consultation_session_30d']]);
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

  it("stores the demo customers' photos, voice notes and PDFs through the download worker", async () => {
    await hub.downloads.runOnce();
    const { rows } = await hub.db.query<MessageRow>(
      `select * from messages where attachment is not null and direction = 'inbound'`,
    );
    const messages = rows.map(toMessage);
    expect(messages.filter((m) => m.attachment?.state !== 'ready')).toEqual([]);
    const types = new Set(messages.map((m) => m.attachment?.mimeType));
    expect([...types].sort()).toEqual(['application/pdf', 'audio/wav', 'image/png']);
    const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    const known = new Set(
      [
        ...(['parcel', 'damaged', 'wrongItem', 'tracking', 'payment', 'product'] as const).map(
          (s) => demoImage(s).bytes,
        ),
        ...(['receipt', 'bankStatement', 'returnForm', 'booking'] as const).map(
          (d) => demoPdf(d).bytes,
        ),
        demoVoiceNote().bytes,
      ].map(sha),
    );
    expect(messages.filter((m) => !known.has(m.attachment?.sha256 ?? ''))).toEqual([]);
    const voice = messages.find((m) => m.attachment?.mimeType === 'audio/wav');
    const res = await fetch(`${hub.url}/api/media/${voice?.attachment?.sha256}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).equals(demoVoiceNote().bytes)).toBe(true);
  });

  it("sends an agent's file to a demo customer through the upload and the queue", async () => {
    const conversation = (await all()).find(
      (c) => c.channel === 'whatsapp' && c.window.state === 'open',
    );
    const label = demoPdf('returnForm');
    const uploaded = await fetch(`${hub.url}/api/media?channel=whatsapp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/pdf',
        'x-filename': 'return-label.pdf',
      },
      body: new Uint8Array(label.bytes),
    });
    expect(uploaded.status).toBe(201);
    const sha256 = createHash('sha256').update(label.bytes).digest('hex');
    const sent = await api<{ message: Message }>(
      hub.url,
      token,
      `/api/conversations/${conversation?.id}/messages`,
      {
        method: 'POST',
        body: {
          content: {
            type: 'document',
            media: {
              mediaId: sha256,
              sha256,
              mimeType: 'application/pdf',
              filename: 'return-label.pdf',
            },
          },
        },
      },
    );
    expect(sent.status).toBe(202);
    await hub.outbound.runOnce();
    const { rows } = await hub.db.query<{ status: string; channel_media_id: string }>(
      `select m.status, u.channel_media_id from messages m
       join media_uploads u on u.sha256 = $2 and u.channel = 'whatsapp'
       where m.id = $1`,
      [sent.body.message.id, sha256],
    );
    expect(rows).toEqual([
      { status: 'sent', channel_media_id: `demo-upload.${sha256.slice(0, 16)}` },
    ]);
  });
});
