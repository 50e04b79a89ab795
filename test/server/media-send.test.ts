import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { demoImage, demoPdf } from '../../src/server/demo/demo-files';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { until } from '../support/until';
import {
  messagesWebhook,
  postSignedWebhook,
  statusesWebhook,
  statusUpdate,
  textMessage,
} from '../support/whatsapp-webhooks';

/**
 * Issue #14 items 5 and 6, media out: `POST /api/media` checks the channel's limits before any
 * byte goes anywhere and stores the file once; a send naming it is uploaded to WhatsApp
 * (`POST /{phone-number-id}/media`) then sent by the channel's id — the upload never repeated
 * once it succeeded, a send of unknown fate never repeated at all.
 */
let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;

const MiB = 1024 * 1024;
const PHOTO = demoImage('parcel');
const LABEL = demoPdf('returnForm');
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    graphUrl: graph.url,
    sendTimeoutMs: 1_000,
    outbound: { baseDelayMs: 20, pollMs: 20, reconcileMs: 10 * 60_000 },
  });
  token = await login(hub.url);
});
afterAll(async () => {
  await hub.close();
  await graph.close();
});

async function post(payload: unknown): Promise<void> {
  expect(await postSignedWebhook(hub.url, payload, WHATSAPP.appSecret)).toBe(200);
}

async function conversationWith(waId: string): Promise<string> {
  await post(messagesWebhook(textMessage('Can I send it back?', { from: waId })));
  const { rows } = await hub.db.query<{ id: string }>(
    `select v.id from conversations v join customers c on c.id = v.customer_id where c.phone = $1`,
    [`+${waId}`],
  );
  return rows[0]?.id ?? '';
}

async function upload(
  bytes: Buffer,
  headers: Record<string, string>,
  channel = 'whatsapp',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${hub.url}/api/media?channel=${channel}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function sendFile(
  conversationId: string,
  type: string,
  media: Record<string, unknown>,
): Promise<{ status: number; body: { message: Message } & Record<string, unknown> }> {
  return api(hub.url, token, `/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: { content: { type, media } },
  });
}

const fileCount = async (): Promise<number> =>
  Number((await hub.db.query<{ n: number }>('select count(*) as n from media_files')).rows[0]?.n);

const rowOf = async (id: string) =>
  (
    await hub.db.query<{
      status: string;
      external_id: string | null;
      failure_reason: string | null;
    }>('select status, external_id, failure_reason from messages where id = $1', [id])
  ).rows[0];

const sendsOf = (id: string): number => graph.accepted.filter((a) => a.ourId === id).length;

describe('POST /api/media', () => {
  it('stores a file once per hash and answers the same file again', async () => {
    const headers = {
      'content-type': 'image/png',
      'x-filename': encodeURIComponent('parcel box.png'),
    };
    const first = await upload(PHOTO.bytes, headers);
    expect(first).toEqual({
      status: 201,
      body: {
        sha256: sha(PHOTO.bytes),
        size: PHOTO.bytes.length,
        mimeType: 'image/png',
        filename: 'parcel box.png',
      },
    });
    const files = await fileCount();
    expect(await upload(PHOTO.bytes, headers)).toEqual(first);
    expect(await fileCount()).toBe(files);
    // Nothing reaches the channel before a send names the file.
    expect(graph.requests).toHaveLength(0);
  });

  it('refuses a file over the limit, or of a type the channel does not take, naming the limit; nothing stored or sent', async () => {
    const files = await fileCount();
    const big = Buffer.concat([PHOTO.bytes, Buffer.alloc(5 * MiB)]);
    expect(await upload(big, { 'content-type': 'image/png' })).toEqual({
      status: 413,
      body: {
        error: 'too_large',
        message: 'WhatsApp accepts images up to 5 MB; this file is 5.0 MB.',
        details: {
          limit: { kind: 'image', maxBytes: 5 * MiB, mimeTypes: ['image/jpeg', 'image/png'] },
        },
      },
    });
    const gif = await upload(Buffer.from('GIF89a....'), { 'content-type': 'image/gif' });
    expect(gif.status).toBe(415);
    expect(gif.body['error']).toBe('unsupported_media_type');
    expect(String(gif.body['message'])).toMatch(
      /^WhatsApp does not accept image\/gif files\. It accepts image \(image\/jpeg, image\/png\);/,
    );
    const liar = await upload(LABEL.bytes, { 'content-type': 'image/png' });
    expect(liar).toEqual({
      status: 415,
      body: {
        error: 'unsupported_media_type',
        message: "The file's bytes are not image/png: its content does not match its type.",
        details: { limit: null },
      },
    });
    expect(await fileCount()).toBe(files);
    expect(graph.requests).toHaveLength(0);
  });

  it('refuses a body without Content-Length once it outgrows the limit', async () => {
    const files = await fileCount();
    const big = Buffer.concat([PHOTO.bytes, Buffer.alloc(5 * MiB)]);
    const res = await fetch(`${hub.url}/api/media?channel=whatsapp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      // A stream: sent chunked, so the size is known only while reading.
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < big.length; at += 256 * 1024)
            controller.enqueue(new Uint8Array(big.subarray(at, at + 256 * 1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: 'too_large',
      message: 'WhatsApp accepts images up to 5 MB; this file is 5.0 MB.',
      details: {
        limit: { kind: 'image', maxBytes: 5 * MiB, mimeTypes: ['image/jpeg', 'image/png'] },
      },
    });
    expect(await fileCount()).toBe(files);
  });

  it('answers 401 without a session', async () => {
    const res = await fetch(`${hub.url}/api/media?channel=whatsapp`, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: new Uint8Array(PHOTO.bytes),
    });
    expect(res.status).toBe(401);
  });
});

describe('sending a file', () => {
  it('uploads it to WhatsApp, then sends it by the channel id with its caption', async () => {
    const conversation = await conversationWith('31622220001');
    const sent = await sendFile(conversation, 'document', {
      mediaId: sha(LABEL.bytes),
      sha256: sha(LABEL.bytes),
      mimeType: 'application/pdf',
      filename: 'return-label.pdf',
      caption: 'Your return label',
    });
    // Not uploaded yet: 404 naming what to do.
    expect(sent.status).toBe(404);
    expect(sent.body['message']).toBe(
      `No file ${sha(LABEL.bytes)}: upload it with POST /api/media first.`,
    );
    expect(
      (
        await upload(LABEL.bytes, {
          'content-type': 'application/pdf',
          'x-filename': 'return-label.pdf',
        })
      ).status,
    ).toBe(201);
    const queued = await sendFile(conversation, 'document', {
      mediaId: sha(LABEL.bytes),
      sha256: sha(LABEL.bytes),
      mimeType: 'application/pdf',
      filename: 'return-label.pdf',
      caption: 'Your return label',
    });
    expect(queued.status).toBe(202);
    expect(queued.body.message.attachment).toEqual({
      state: 'ready',
      sha256: sha(LABEL.bytes),
      mimeType: 'application/pdf',
      size: LABEL.bytes.length,
      filename: 'return-label.pdf',
      error: null,
    });
    const id = queued.body.message.id;
    const row = await until(
      () => rowOf(id),
      (r) => r?.status === 'sent',
    );
    expect(row?.status).toBe('sent');
    expect(
      graph.uploads.map((u) => ({
        phone: u.phoneNumberId,
        type: u.type,
        name: u.filename,
        sha: sha(u.bytes),
      })),
    ).toEqual([
      {
        phone: WHATSAPP.phoneNumberId,
        type: 'application/pdf',
        name: 'return-label.pdf',
        sha: sha(LABEL.bytes),
      },
    ]);
    const send = graph.requests.find(
      (r) => r.path.endsWith('/messages') && r.response?.status === 200,
    );
    expect(send?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '31622220001',
      biz_opaque_callback_data: id,
      type: 'document',
      document: {
        id: graph.uploads[0]?.id,
        caption: 'Your return label',
        filename: 'return-label.pdf',
      },
    });
  });

  it('refuses a caption where the channel takes none, and the wrong kind for the type', async () => {
    const conversation = await conversationWith('31622220002');
    const voice = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(200, 1)]);
    expect((await upload(voice, { 'content-type': 'audio/ogg' })).status).toBe(201);
    const media = {
      mediaId: sha(voice),
      sha256: sha(voice),
      mimeType: 'audio/ogg',
      filename: 'note.ogg',
    };
    const captioned = await sendFile(conversation, 'audio', { ...media, caption: 'Listen' });
    expect(captioned.status).toBe(400);
    expect(captioned.body['message']).toBe(
      'WhatsApp takes no caption with audio; send the text as its own message.',
    );
    const wrongKind = await sendFile(conversation, 'image', media);
    expect(wrongKind.body['message']).toBe('WhatsApp sends a audio/ogg file as audio, not image.');
    const { rows } = await hub.db.query(
      `select 1 from messages where conversation_id = $1 and direction = 'outbound'`,
      [conversation],
    );
    expect(rows).toHaveLength(0);
  });

  it('does not upload again when the send is retried after a 5xx', async () => {
    const conversation = await conversationWith('31622220003');
    const uploadsBefore = graph.uploads.length;
    graph.failNext({ status: 503, message: 'Service temporarily unavailable' });
    const queued = await sendFile(conversation, 'image', {
      mediaId: sha(PHOTO.bytes),
      sha256: sha(PHOTO.bytes),
      mimeType: 'image/png',
      filename: 'parcel.png',
      caption: 'As it left us',
    });
    expect(queued.status).toBe(202);
    const id = queued.body.message.id;
    await until(
      () => rowOf(id),
      (r) => r?.status === 'sent',
    );
    const uploads = graph.uploads.slice(uploadsBefore);
    expect(uploads.map((u) => sha(u.bytes))).toEqual([sha(PHOTO.bytes)]);
    const sends = graph.requests.filter(
      (r) =>
        r.path.endsWith('/messages') &&
        (r.body as { biz_opaque_callback_data?: string }).biz_opaque_callback_data === id,
    );
    expect(
      sends.map((r) => [r.response?.status, (r.body as { image: { id: string } }).image.id]),
    ).toEqual([
      [503, uploads[0]?.id],
      [200, uploads[0]?.id],
    ]);
    expect(sendsOf(id)).toBe(1);

    // The same file to the same account later: WhatsApp's id is reused, not uploaded again.
    const later = await sendFile(conversation, 'image', {
      mediaId: sha(PHOTO.bytes),
      sha256: sha(PHOTO.bytes),
      mimeType: 'image/png',
      filename: 'parcel.png',
    });
    await until(
      () => rowOf(later.body.message.id),
      (r) => r?.status === 'sent',
    );
    expect(graph.uploads.length - uploadsBefore).toBe(1);
  });

  it('retries an upload that failed, and sends once', async () => {
    const conversation = await conversationWith('31622220004');
    const bytes = demoImage('product').bytes;
    await upload(bytes, { 'content-type': 'image/png' });
    graph.failNextMedia({ status: 500 });
    const queued = await sendFile(conversation, 'image', {
      mediaId: sha(bytes),
      sha256: sha(bytes),
      mimeType: 'image/png',
      filename: 'product.png',
    });
    const id = queued.body.message.id;
    await until(
      () => rowOf(id),
      (r) => r?.status === 'sent',
    );
    const attempts = graph.requests.filter((r) => r.path.endsWith('/media'));
    expect(attempts.slice(-2).map((r) => r.response?.status)).toEqual([500, 200]);
    expect(sendsOf(id)).toBe(1);
  });

  it('a send that times out after WhatsApp accepted it is delivered exactly once', async () => {
    const conversation = await conversationWith('31622220005');
    const bytes = demoImage('tracking').bytes;
    await upload(bytes, { 'content-type': 'image/png' });
    const uploadsBefore = graph.uploads.length;
    graph.acceptAndHang();
    const queued = await sendFile(conversation, 'image', {
      mediaId: sha(bytes),
      sha256: sha(bytes),
      mimeType: 'image/png',
      filename: 'tracking.png',
    });
    const id = queued.body.message.id;
    // The timeout passes: not sent again, waiting for WhatsApp's status.
    const waiting = await until(
      async () =>
        (
          await hub.db.query<{ uncertain_since: string | null; channel_media_id: string | null }>(
            'select uncertain_since, channel_media_id from outbound_queue where message_id = $1',
            [id],
          )
        ).rows[0],
      (row) => row?.uncertain_since !== null && row?.uncertain_since !== undefined,
    );
    expect(waiting?.channel_media_id).toBe(graph.uploads[uploadsBefore]?.id);
    await hub.outbound.runOnce();
    expect(sendsOf(id)).toBe(1);
    expect((await rowOf(id))?.status).toBe('sending');

    const wamid = graph.accepted.find((a) => a.ourId === id)?.wamid ?? '';
    await post(
      statusesWebhook(
        statusUpdate('delivered', { id: wamid, callbackData: id, recipientId: '31622220005' }),
      ),
    );
    expect(await rowOf(id)).toEqual({
      status: 'delivered',
      external_id: wamid,
      failure_reason: null,
    });
    await hub.outbound.runOnce();
    expect(sendsOf(id)).toBe(1);
    expect(graph.uploads.length - uploadsBefore).toBe(1);
  });
});

describe('a quick reply with a file', () => {
  it('keeps an uploaded file every channel of the reply takes, and serves it', async () => {
    const bytes = demoPdf('booking').bytes;
    const attachment = { sha256: sha(bytes), mimeType: 'application/pdf', filename: 'label.pdf' };
    const reply = {
      kind: 'quick_reply',
      name: 'Returns label',
      body: 'Here is your returns label.',
      channels: ['whatsapp'],
      attachment,
    };
    const early = await api<{ message: string }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: reply,
    });
    expect(early).toEqual({
      status: 404,
      body: {
        error: 'not_found',
        message: `No file ${sha(bytes)} (label.pdf) on this hub: upload it with POST /api/media first.`,
      },
    });
    expect((await upload(bytes, { 'content-type': 'application/pdf' })).status).toBe(201);
    // Uploaded, referenced by nothing yet: not served.
    const unreferenced = await fetch(`${hub.url}/api/media/${sha(bytes)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(unreferenced.status).toBe(404);
    const sms = await api<{ error: string; message: string }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: { ...reply, channels: ['whatsapp', 'sms'] },
    });
    expect([sms.status, sms.body.error, sms.body.message]).toEqual([
      415,
      'unsupported_media_type',
      'SMS does not accept attachments from Replydesk.',
    ]);
    const saved = await api<{ template: { id: string; attachment: unknown } }>(
      hub.url,
      token,
      '/api/templates',
      { method: 'POST', body: reply },
    );
    expect(saved.status).toBe(201);
    // The size is the stored file's.
    expect(saved.body.template.attachment).toEqual({ ...attachment, size: bytes.length });
    const listed = await api<{ templates: { id: string; attachment: unknown }[] }>(
      hub.url,
      token,
      '/api/templates',
    );
    expect(listed.body.templates.find((t) => t.id === saved.body.template.id)?.attachment).toEqual({
      ...attachment,
      size: bytes.length,
    });
    const served = await fetch(`${hub.url}/api/media/${sha(bytes)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

describe('an agent using a quick reply with a file', () => {
  it('sends one upload and one message with the reply as caption, exactly once', async () => {
    const bytes = demoPdf('receipt').bytes;
    expect(
      (await upload(bytes, { 'content-type': 'application/pdf', 'x-filename': 'receipt.pdf' }))
        .status,
    ).toBe(201);
    const saved = await api<{ template: { id: string } }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'quick_reply',
        name: 'Your receipt',
        shortcut: 'receipt',
        body: 'Here is your receipt.',
        channels: ['whatsapp'],
        attachment: { sha256: sha(bytes), mimeType: 'application/pdf', filename: 'receipt.pdf' },
      },
    });
    expect(saved.status).toBe(201);
    // What the agent's app reads, and sends with the reply's file (no second hub upload).
    const listed = await api<{
      templates: {
        id: string;
        body: string;
        attachment: { sha256: string; mimeType: string; filename: string; size: number };
      }[];
    }>(hub.url, token, '/api/templates');
    const reply = listed.body.templates.find((t) => t.id === saved.body.template.id);
    expect(reply?.attachment).toEqual({
      sha256: sha(bytes),
      mimeType: 'application/pdf',
      filename: 'receipt.pdf',
      size: bytes.length,
    });
    const conversation = await conversationWith('31622220077');
    const uploadsBefore = graph.uploads.length;
    const queued = await sendFile(conversation, 'document', {
      mediaId: reply?.attachment.sha256,
      sha256: reply?.attachment.sha256,
      mimeType: reply?.attachment.mimeType,
      filename: reply?.attachment.filename,
      caption: reply?.body,
    });
    expect(queued.status).toBe(202);
    const id = queued.body.message.id;
    await until(
      () => rowOf(id),
      (r) => r?.status === 'sent',
    );
    // Another pass of the queue finds nothing more to do.
    await hub.outbound.runOnce();
    expect(graph.uploads.slice(uploadsBefore).map((u) => [u.filename, sha(u.bytes)])).toEqual([
      ['receipt.pdf', sha(bytes)],
    ]);
    expect(sendsOf(id)).toBe(1);
    const send = graph.requests.find(
      (r) =>
        r.path.endsWith('/messages') &&
        (r.body as { biz_opaque_callback_data?: string } | undefined)?.biz_opaque_callback_data ===
          id,
    );
    expect(send?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '31622220077',
      biz_opaque_callback_data: id,
      type: 'document',
      document: {
        id: graph.uploads[uploadsBefore]?.id,
        caption: 'Here is your receipt.',
        filename: 'receipt.pdf',
      },
    });
  });
});

describe('quick replies with a file, exported and imported', () => {
  it('exports the file by reference; an import keeps it, and refuses one this hub lacks', async () => {
    const bytes = demoPdf('bankStatement').bytes;
    await upload(bytes, { 'content-type': 'application/pdf', 'x-filename': 'statement.pdf' });
    const attachment = {
      sha256: sha(bytes),
      mimeType: 'application/pdf',
      filename: 'statement.pdf',
      size: bytes.length,
    };
    const saved = await api<{ template: { id: string } }>(hub.url, token, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'quick_reply',
        name: 'Statement',
        body: 'Your statement.',
        channels: ['whatsapp'],
        attachment,
      },
    });
    const id = saved.body.template.id;
    const exported = await api<{ quickReplies: Record<string, unknown>[] }>(
      hub.url,
      token,
      '/api/templates/export',
    );
    const entry = exported.body.quickReplies.find((q) => q['id'] === id);
    expect(entry?.['attachment']).toEqual(attachment);

    const missing = 'f'.repeat(64);
    const { attachment: _dropped, ...older } = entry ?? {};
    const imported = await api(hub.url, token, '/api/templates/import', {
      method: 'POST',
      body: {
        quickReplies: [
          // An older export without the field: the reply keeps its file.
          { ...older, body: 'Your statement, as asked.' },
          {
            name: 'Missing file',
            body: 'Here it is.',
            language: 'en',
            channels: ['whatsapp'],
            attachment: { sha256: missing, mimeType: 'application/pdf', filename: 'gone.pdf' },
          },
        ],
      },
    });
    expect(imported).toEqual({
      status: 200,
      body: {
        added: [],
        updated: [{ index: 0, id, name: 'Statement' }],
        refused: [
          {
            index: 1,
            name: 'Missing file',
            reasons: [
              `attachment: No file ${missing} (gone.pdf) on this hub: upload it with POST /api/media first.`,
            ],
          },
        ],
      },
    });
    const listed = await api<{ templates: { id: string; body: string; attachment: unknown }[] }>(
      hub.url,
      token,
      '/api/templates',
    );
    const after = listed.body.templates.find((t) => t.id === id);
    expect([after?.body, after?.attachment]).toEqual(['Your statement, as asked.', attachment]);
    expect(listed.body.templates.some((t) => t.body === 'Here it is.')).toBe(false);
  });
});
