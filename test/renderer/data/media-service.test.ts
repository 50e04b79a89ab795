import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMediaService,
  MediaUnavailableError,
  previewKey,
  sha256Hex,
  type Uploader,
} from '../../../src/renderer/src/data/media';
import { createMediaCache, MediaDb } from '../../../src/renderer/src/data/media-cache';
import { UploadRefusedError } from '../../../src/renderer/src/data/outbox';
import type { OutboxEntry } from '../../../src/renderer/src/data/types';
import { newIndexedDb } from './support';

/**
 * The app's media client against a local HTTP fake of the hub's media routes as docs/api.md
 * "Media" writes them: GET /api/media/<sha256> (Bearer token, 401/404) and POST
 * /api/media?channel= (raw body, X-Filename, 201 / 413 with the limit named / 503).
 */

const TOKEN = 'session-token-1';
const PHOTO = Buffer.from('\xff\xd8\xff\xe0 a small jpeg', 'latin1');
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');
const THUMB = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 a smaller photo', 'latin1');
const THUMB_SHA = createHash('sha256').update(THUMB).digest('hex');

interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

let server: Server;
let hubUrl: string;
const received: Received[] = [];
let uploadAnswer: { status: number; body: unknown } | null = null;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'unauthorized', message: 'Sign in again.' }));
        return;
      }
      if (req.method === 'GET' && req.url === `/api/media/${PHOTO_SHA}`) {
        res.writeHead(200, {
          'content-type': 'image/jpeg',
          'content-length': PHOTO.length,
          'cache-control': 'private, max-age=31536000, immutable',
          etag: `"${PHOTO_SHA}"`,
        });
        res.end(PHOTO);
        return;
      }
      if (req.method === 'GET' && req.url === `/api/media/${PHOTO_SHA}?size=thumb`) {
        res.writeHead(200, { 'content-type': 'image/webp', etag: `"${THUMB_SHA}"` });
        res.end(THUMB);
        return;
      }
      if (req.method === 'POST' && req.url?.startsWith('/api/media?')) {
        const answer = uploadAnswer ?? {
          status: 201,
          body: {
            sha256: createHash('sha256').update(body).digest('hex'),
            size: body.length,
            mimeType: req.headers['content-type'],
            filename: decodeURIComponent(String(req.headers['x-filename'])),
          },
        };
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found', message: 'No such file.' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The browser's XHR upload, done with fetch here (node has no XMLHttpRequest): same request. */
const fetchUploader: Uploader = async (request) => {
  const response = await fetch(request.url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${request.token}`,
      'content-type': request.mimeType,
      'x-filename': encodeURIComponent(request.filename),
    },
    body: new Uint8Array(await request.blob.arrayBuffer()),
    signal: request.signal,
  });
  request.onProgress({ loaded: request.blob.size, total: request.blob.size });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
};

function service(name: string, options: { token?: string; online?: () => boolean } = {}) {
  const cache = createMediaCache(new MediaDb(name, newIndexedDb()), () => 1_000);
  let ended = 0;
  const media = createMediaService({
    hubUrl,
    token: options.token ?? TOKEN,
    cache,
    fetch: async (input, init) => {
      if (options.online && !options.online()) throw new TypeError('Failed to fetch');
      return fetch(input, init);
    },
    uploader: fetchUploader,
    onSessionEnded: () => (ended += 1),
  });
  return { media, cache, ended: () => ended };
}

function entry(clientId: string, sha256: string, size: number): OutboxEntry {
  return {
    clientId,
    conversationId: 'conv-1',
    command: {
      type: 'send_message',
      conversationId: 'conv-1',
      content: {
        type: 'document',
        media: {
          mediaId: sha256,
          sha256,
          mimeType: 'application/pdf',
          filename: 'Return label.pdf',
        },
      },
    },
    createdAt: 1,
    state: 'queued',
    error: null,
    attempts: 0,
    upload: {
      sha256,
      channel: 'whatsapp',
      filename: 'Return label.pdf',
      mimeType: 'application/pdf',
      size,
      done: false,
    },
  };
}

describe('media service: downloads', () => {
  it('downloads with the session token in the header, then reads the cache offline', async () => {
    let online = true;
    const { media, cache } = service('media-download', { online: () => online });
    received.length = 0;
    const blob = await media.load(PHOTO_SHA, 'image/jpeg');
    expect(Buffer.from(await blob.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect(blob.type).toBe('image/jpeg');
    expect(received.map((r) => [r.path, r.headers.authorization])).toEqual([
      [`/api/media/${PHOTO_SHA}`, `Bearer ${TOKEN}`],
    ]);
    // The token never goes in the URL.
    expect(received[0]?.path.includes(TOKEN)).toBe(false);
    online = false;
    const again = await media.load(PHOTO_SHA, 'image/jpeg');
    expect(again.size).toBe(PHOTO.length);
    expect(received.length).toBe(1);
    expect(await cache.usage()).toMatchObject({ bytes: PHOTO.length, files: 1 });
    cache.close();
  });

  it('says why a file cannot be shown: offline and never seen, unknown to the hub, bad address', async () => {
    const offline = service('media-offline', { online: () => false });
    await expect(offline.media.load('a'.repeat(64), 'image/png')).rejects.toEqual(
      new MediaUnavailableError(
        'Not available offline: this file was not opened on this computer before.',
        0,
      ),
    );
    const online = service('media-404');
    const missing = await online.media.load('b'.repeat(64), 'image/png').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MediaUnavailableError);
    expect((missing as MediaUnavailableError).message).toBe('The hub does not have this file.');
    expect((missing as MediaUnavailableError).status).toBe(404);
    const bad = await online.media.load('../etc', null).catch((e: unknown) => e);
    expect((bad as MediaUnavailableError).status).toBe(400);
    offline.cache.close();
    online.cache.close();
  });

  it('a 401 ends the session', async () => {
    const signedOut = service('media-401', { token: 'expired' });
    const failure = await signedOut.media.load(PHOTO_SHA, null).catch((e: unknown) => e);
    expect((failure as MediaUnavailableError).status).toBe(401);
    expect(signedOut.ended()).toBe(1);
    signedOut.cache.close();
  });
});

describe('media service: uploads', () => {
  const pdf = new Blob([new TextEncoder().encode('%PDF-1.4 a return label')], {
    type: 'application/pdf',
  });

  it('sends the raw bytes with their type and name, then keeps them as a cached file', async () => {
    const { media, cache } = service('media-upload');
    const sha256 = await sha256Hex(pdf);
    await cache.keepOutgoing({
      clientId: 'c_upload_1',
      blob: pdf,
      filename: 'Return label.pdf',
      mimeType: 'application/pdf',
    });
    received.length = 0;
    uploadAnswer = null;
    const seen: number[] = [];
    const unsubscribe = media.subscribeProgress(() => {
      seen.push(media.progress('c_upload_1')?.loaded ?? -1);
    });
    await media.uploadEntry(entry('c_upload_1', sha256, pdf.size), new AbortController().signal);
    unsubscribe();
    expect(received).toHaveLength(1);
    const [request] = received;
    if (!request) throw new Error('no upload');
    expect(request.path).toBe('/api/media?channel=whatsapp');
    expect(request.headers['content-type']).toBe('application/pdf');
    expect(request.headers['x-filename']).toBe('Return%20label.pdf');
    expect(request.body.toString()).toBe('%PDF-1.4 a return label');
    // Started at 0, reported the whole file, then cleared when done.
    expect(seen).toEqual([0, pdf.size, -1]);
    expect(await cache.outgoing('c_upload_1')).toBeUndefined();
    expect((await cache.get(sha256))?.size).toBe(pdf.size);
    cache.close();
  });

  it('a refusal is final with the hub words; a 5xx is retried later; the file stays', async () => {
    const { media, cache } = service('media-refused');
    const sha256 = await sha256Hex(pdf);
    await cache.keepOutgoing({
      clientId: 'c_upload_2',
      blob: pdf,
      filename: 'Return label.pdf',
      mimeType: 'application/pdf',
    });
    uploadAnswer = {
      status: 413,
      body: {
        error: 'too_large',
        message: 'WhatsApp accepts documents up to 100 MB; this file is 120 MB.',
      },
    };
    const refused = await media
      .uploadEntry(entry('c_upload_2', sha256, pdf.size), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(refused).toEqual(
      new UploadRefusedError(
        'WhatsApp accepts documents up to 100 MB; this file is 120 MB.',
        'payload_too_large',
      ),
    );
    uploadAnswer = { status: 503, body: { error: 'internal', message: 'Try again.' } };
    const later = await media
      .uploadEntry(entry('c_upload_2', sha256, pdf.size), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(later).not.toBeInstanceOf(UploadRefusedError);
    expect((later as Error).message).toBe('Try again.');
    expect((await cache.outgoing('c_upload_2'))?.filename).toBe('Return label.pdf');
    uploadAnswer = null;
    cache.close();
  });

  it('refuses an answer naming other bytes than were sent', async () => {
    const { media, cache } = service('media-mismatch');
    await cache.keepOutgoing({
      clientId: 'c_upload_3',
      blob: pdf,
      filename: 'x.pdf',
      mimeType: 'application/pdf',
    });
    const failure = await media
      .uploadEntry(entry('c_upload_3', 'f'.repeat(64), pdf.size), new AbortController().signal)
      .catch((e: unknown) => e);
    expect(failure).toEqual(
      new UploadRefusedError(
        'The hub stored different bytes than this app sent; attach the file again.',
        'bad_request',
      ),
    );
    cache.close();
  });
});

describe('thumbnails', () => {
  it("loads a photo's thumbnail once from ?size=thumb, keeps it by its own hash, and reads it offline", async () => {
    let online = true;
    const { media, cache } = service('media-thumbnail', { online: () => online });
    const before = received.length;
    const thumbnail = { sha256: THUMB_SHA, mimeType: 'image/webp' };
    const [a, b] = await Promise.all([
      media.loadThumbnail(PHOTO_SHA, thumbnail),
      media.loadThumbnail(PHOTO_SHA, thumbnail),
    ]);
    expect(Buffer.from(await a.arrayBuffer()).equals(THUMB)).toBe(true);
    expect([a.type, b.type]).toEqual(['image/webp', 'image/webp']);
    expect(received.slice(before).map((r) => r.path)).toEqual([
      `/api/media/${PHOTO_SHA}?size=thumb`,
    ]);
    expect((await cache.get(THUMB_SHA))?.size).toBe(THUMB.length);
    expect(await cache.get(PHOTO_SHA)).toBe(null);
    online = false;
    const offline = await media.loadThumbnail(PHOTO_SHA, thumbnail);
    expect(Buffer.from(await offline.arrayBuffer()).equals(THUMB)).toBe(true);
  });

  it('shows the photo itself when only that is here (sent from this computer), asking nothing', async () => {
    const { media, cache } = service('media-thumbnail-original');
    await cache.put(PHOTO_SHA, new Blob([PHOTO], { type: 'image/jpeg' }), 'image/jpeg');
    const before = received.length;
    const blob = await media.loadThumbnail(PHOTO_SHA, {
      sha256: THUMB_SHA,
      mimeType: 'image/webp',
    });
    expect(Buffer.from(await blob.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect(received.length).toBe(before);
  });
});

describe("a quick reply's photo (its thumbnail's hash unknown)", () => {
  it('loads the hub’s thumbnail once, keeps it beside the photo’s key, and reads it offline', async () => {
    let online = true;
    const { media, cache } = service('media-preview', { online: () => online });
    const before = received.length;
    const [a, b] = await Promise.all([media.loadPreview(PHOTO_SHA), media.loadPreview(PHOTO_SHA)]);
    expect(Buffer.from(await a.arrayBuffer()).equals(THUMB)).toBe(true);
    expect([a.type, b.type]).toEqual(['image/webp', 'image/webp']);
    expect(received.slice(before).map((r) => r.path)).toEqual([
      `/api/media/${PHOTO_SHA}?size=thumb`,
    ]);
    expect((await cache.get(previewKey(PHOTO_SHA)))?.size).toBe(THUMB.length);
    // The photo's own key still means the photo.
    expect(await cache.get(PHOTO_SHA)).toBe(null);
    online = false;
    const offline = await media.loadPreview(PHOTO_SHA);
    expect(Buffer.from(await offline.arrayBuffer()).equals(THUMB)).toBe(true);
    expect(received.length).toBe(before + 1);
    cache.close();
  });

  it('shows the photo itself when it is here (uploaded from this computer), asking nothing', async () => {
    const { media, cache } = service('media-preview-original');
    await cache.put(PHOTO_SHA, new Blob([PHOTO], { type: 'image/jpeg' }), 'image/jpeg');
    const before = received.length;
    const blob = await media.loadPreview(PHOTO_SHA);
    expect(Buffer.from(await blob.arrayBuffer()).equals(PHOTO)).toBe(true);
    expect(received.length).toBe(before);
    cache.close();
  });

  it('refuses an address that is no hash, and names a file the hub has no thumbnail of', async () => {
    const { media, cache } = service('media-preview-missing');
    expect(await media.loadPreview('not-a-hash').catch((e: unknown) => e)).toEqual(
      new MediaUnavailableError('This file has no valid address.', 400),
    );
    expect(await media.loadPreview('e'.repeat(64)).catch((e: unknown) => e)).toEqual(
      new MediaUnavailableError('The hub does not have this file.', 404),
    );
    cache.close();
  });
});

describe("media service: a quick reply's file uploaded from the editor", () => {
  it('answers what the hub stored and keeps the bytes in the cache', async () => {
    const { media, cache } = service('media-upload-1');
    const pdf = Buffer.from('%PDF-1.4 returns label');
    const sha = createHash('sha256').update(pdf).digest('hex');
    const before = received.length;
    const stored = await media.upload(
      new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }),
      {
        channel: 'messenger',
        filename: 'Rücksendeetikett.pdf',
        mimeType: 'application/pdf',
      },
    );
    expect(stored).toEqual({
      sha256: sha,
      size: pdf.length,
      mimeType: 'application/pdf',
      filename: 'Rücksendeetikett.pdf',
    });
    const request = received.slice(before);
    expect(request.map((r) => [r.path, r.headers['x-filename'], r.body.equals(pdf)])).toEqual([
      ['/api/media?channel=messenger', encodeURIComponent('Rücksendeetikett.pdf'), true],
    ]);
    expect(Buffer.from(await ((await cache.get(sha)) as Blob).arrayBuffer()).equals(pdf)).toBe(
      true,
    );
  });

  it("rejects with the hub's words when it refuses the file", async () => {
    const { media } = service('media-upload-2');
    uploadAnswer = {
      status: 415,
      body: {
        error: 'unsupported_media_type',
        message: 'Messenger does not accept application/zip files.',
      },
    };
    try {
      await expect(
        media.upload(new Blob(['PK']), {
          channel: 'messenger',
          filename: 'a.zip',
          mimeType: 'application/zip',
        }),
      ).rejects.toThrow(
        new MediaUnavailableError('Messenger does not accept application/zip files.', 415),
      );
    } finally {
      uploadAnswer = null;
    }
  });
});
