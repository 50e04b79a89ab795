import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { demoImage, demoPdf } from '../../src/server/demo/demo-files';
import { toMessage, type MessageRow } from '../../src/server/store/messages';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { login, startTestHub, WHATSAPP } from '../support/hub';
import { until } from '../support/until';
import {
  documentMessage,
  imageMessage,
  messagesWebhook,
  postSignedWebhook,
} from '../support/whatsapp-webhooks';

/**
 * Issue #14 item 4, media in: the hub downloads each inbound file once through the Graph API's
 * two steps (GET /{media-id}, then the URL with the token), checks it, stores it once per hash
 * and serves it only to signed-in users; failures are retried or final with the reason.
 */
let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;

const PHOTO = demoImage('damaged');
const INVOICE = demoPdf('receipt');
const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    graphUrl: graph.url,
    media: { baseDelayMs: 20, maxDelayMs: 40, pollMs: 20, maxAttempts: 3 },
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

/** The stored message of a webhook's wamid, once its download is over. */
async function settled(wamid: string): Promise<Message> {
  const read = async (): Promise<Message | null> => {
    const { rows } = await hub.db.query<MessageRow>(
      'select * from messages where external_id = $1',
      [wamid],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  };
  const message = await until(read, (m) => m !== null && m.attachment?.state !== 'pending', 10_000);
  if (!message) throw new Error(`no message ${wamid}`);
  return message;
}

const mediaRequests = (id: string): string[] =>
  graph.requests
    .filter((r) => r.path.startsWith(`/v23.0/${id}`) || r.path === `/cdn/${id}`)
    .map((r) => `${r.method} ${r.path}`);

const fileCount = async (): Promise<number> =>
  Number((await hub.db.query<{ n: number }>('select count(*) as n from media_files')).rows[0]?.n);

async function getFile(
  hash: string,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<Response> {
  return fetch(`${hub.url}/api/media/${hash}`, { headers });
}

describe('inbound media', () => {
  it('downloads a photo once, stores it by its sha256 and serves it with the right headers', async () => {
    const id = graph.addMedia({ bytes: PHOTO.bytes, mimeType: 'image/png' });
    const photo = imageMessage({
      mediaId: id,
      mimeType: 'image/png',
      caption: 'Arrived like this',
    });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    // Its thumbnail is made before it is ready (test/server/media-thumbnails.test.ts).
    const thumb = await getFile(`${sha(PHOTO.bytes)}?size=thumb`);
    const expected: Attachment = {
      state: 'ready',
      sha256: sha(PHOTO.bytes),
      mimeType: 'image/png',
      size: PHOTO.bytes.length,
      filename: null,
      error: null,
      thumbnail: {
        sha256: sha(Buffer.from(await thumb.arrayBuffer())),
        mimeType: 'image/webp',
        width: 480,
        height: 360,
      },
    };
    expect(message.attachment).toEqual(expected);
    // GET /{media-id}?phone_number_id=…, then the URL, each once, both with the token.
    expect(mediaRequests(id)).toEqual([
      `GET /v23.0/${id}?phone_number_id=${WHATSAPP.phoneNumberId}`,
      `GET /cdn/${id}`,
    ]);
    const withToken = graph.requests.filter((r) => r.path === `/cdn/${id}`);
    expect(withToken.map((r) => r.headers.authorization)).toEqual([
      `Bearer ${WHATSAPP.accessToken}`,
    ]);

    const res = await getFile(sha(PHOTO.bytes));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(PHOTO.bytes)).toBe(true);
    expect({
      type: res.headers.get('content-type'),
      length: res.headers.get('content-length'),
      disposition: res.headers.get('content-disposition'),
      cache: res.headers.get('cache-control'),
      etag: res.headers.get('etag'),
      nosniff: res.headers.get('x-content-type-options'),
    }).toEqual({
      type: 'image/png',
      length: String(PHOTO.bytes.length),
      disposition: `inline; filename="file-${sha(PHOTO.bytes).slice(0, 12)}"; filename*=UTF-8''file-${sha(PHOTO.bytes).slice(0, 12)}`,
      cache: 'private, max-age=31536000, immutable',
      etag: `"${sha(PHOTO.bytes)}"`,
      nosniff: 'nosniff',
    });
    const again = await getFile(sha(PHOTO.bytes), {
      authorization: `Bearer ${token}`,
      'if-none-match': `"${sha(PHOTO.bytes)}"`,
    });
    expect(again.status).toBe(304);
  });

  it('stores the same bytes once, however many messages carry them', async () => {
    const before = await fileCount();
    const a = graph.addMedia({ bytes: PHOTO.bytes, mimeType: 'image/png' });
    const b = graph.addMedia({ bytes: PHOTO.bytes, mimeType: 'image/png' });
    const first = imageMessage({ mediaId: a, mimeType: 'image/png', from: '31611110001' });
    const second = imageMessage({ mediaId: b, mimeType: 'image/png', from: '31611110002' });
    await post(messagesWebhook([first, second]));
    const [one, two] = [await settled(first.message.id), await settled(second.message.id)];
    expect([one.attachment?.sha256, two.attachment?.sha256]).toEqual([
      sha(PHOTO.bytes),
      sha(PHOTO.bytes),
    ]);
    expect(await fileCount()).toBe(before);
    expect(mediaRequests(a)).toHaveLength(2);
    expect(mediaRequests(b)).toHaveLength(2);
  });

  it('serves a document as an attachment with its filename, UTF-8 encoded', async () => {
    const id = graph.addMedia({ bytes: INVOICE.bytes, mimeType: 'application/pdf' });
    const doc = documentMessage({ mediaId: id, filename: 'Rechnung März.pdf' });
    await post(messagesWebhook(doc));
    const message = await settled(doc.message.id);
    expect(message.attachment).toMatchObject({ state: 'ready', filename: 'Rechnung März.pdf' });
    const res = await getFile(sha(INVOICE.bytes));
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`,
    );
  });

  it('retries a 5xx and a dropped connection, then stores the file', async () => {
    const bytes = demoImage('parcel').bytes;
    const id = graph.addMedia({ bytes, mimeType: 'image/png' });
    graph.failNextMedia({ status: 503, message: 'Service temporarily unavailable' });
    graph.dropNextMedia();
    const photo = imageMessage({ mediaId: id, mimeType: 'image/png', from: '31611110003' });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    expect(message.attachment).toMatchObject({ state: 'ready', sha256: sha(bytes), error: null });
    // Two failed lookups, then the lookup and the file.
    expect(mediaRequests(id)).toEqual([
      `GET /v23.0/${id}?phone_number_id=${WHATSAPP.phoneNumberId}`,
      `GET /v23.0/${id}?phone_number_id=${WHATSAPP.phoneNumberId}`,
      `GET /v23.0/${id}?phone_number_id=${WHATSAPP.phoneNumberId}`,
      `GET /cdn/${id}`,
    ]);
  });

  it('fails an expired media id at once, with the reason, without retrying', async () => {
    const id = graph.addMedia({ bytes: PHOTO.bytes, mimeType: 'image/png' });
    graph.expireMedia(id);
    const photo = imageMessage({ mediaId: id, mimeType: 'image/png', from: '31611110004' });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    expect(message.attachment).toEqual({
      state: 'failed',
      sha256: null,
      mimeType: 'image/png',
      size: null,
      filename: null,
      error: `WhatsApp no longer has this file (the media id is unknown or expired after 7 days) (HTTP 400: Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.)`,
    });
    await hub.downloads.runOnce();
    expect(mediaRequests(id)).toHaveLength(1);
  });

  it('gives up after the attempts with the last reason', async () => {
    const id = graph.addMedia({ bytes: PHOTO.bytes, mimeType: 'image/png' });
    for (let i = 0; i < 3; i++) graph.failNextMedia({ status: 500 });
    const photo = imageMessage({ mediaId: id, mimeType: 'image/png', from: '31611110005' });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    expect(message.attachment?.error).toBe(
      'Gave up after 3 attempts: WhatsApp could not look up the file now; will retry (HTTP 500: An unknown error has occurred.)',
    );
    expect(mediaRequests(id)).toHaveLength(3);
  });

  it('refuses a file over the limit from its declared size, without fetching it', async () => {
    const big = Buffer.concat([PHOTO.bytes, Buffer.alloc(5 * 1024 * 1024)]);
    const id = graph.addMedia({ bytes: big, mimeType: 'image/png' });
    const photo = imageMessage({ mediaId: id, mimeType: 'image/png', from: '31611110006' });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    expect(message.attachment).toMatchObject({
      state: 'failed',
      error: "The file is 5.0 MB, over WhatsApp's 5 MB for its kind; it was not downloaded.",
    });
    expect(mediaRequests(id)).toEqual([
      `GET /v23.0/${id}?phone_number_id=${WHATSAPP.phoneNumberId}`,
    ]);
  });

  it('refuses bytes that are not the type they claim', async () => {
    const id = graph.addMedia({ bytes: INVOICE.bytes, mimeType: 'image/jpeg' });
    const photo = imageMessage({ mediaId: id, from: '31611110007' });
    await post(messagesWebhook(photo));
    const message = await settled(photo.message.id);
    expect(message.attachment).toMatchObject({
      state: 'failed',
      error: 'The file is not the image/jpeg it claims to be; it was not kept.',
    });
  });
});

describe('GET /api/media/<sha256>', () => {
  it('answers 401 without a session, 400 for a bad address, 404 for a file of no message here', async () => {
    const hash = sha(PHOTO.bytes);
    expect((await getFile(hash, {})).status).toBe(401);
    expect((await getFile(hash, { authorization: 'Bearer not-a-session' })).status).toBe(401);
    expect((await getFile('ABC')).status).toBe(400);
    expect((await getFile('0'.repeat(64))).status).toBe(404);
    // Bytes in the table that no message of this workspace references (another hub's file).
    const foreign = Buffer.from('%PDF-1.4 another workspace');
    await hub.db.query(
      `insert into media_files (sha256, bytes, mime_type, size, filename, created_at)
       values ($1, $2, 'application/pdf', $3, 'theirs.pdf', 0)`,
      [sha(foreign), foreign, foreign.length],
    );
    const res = await getFile(sha(foreign));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      message: `No file ${sha(foreign)} in this workspace.`,
    });
  });
});
