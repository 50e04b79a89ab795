import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Attachment, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { toMessage, type MessageRow } from '../../src/server/store/messages';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { login, startTestHub, WHATSAPP } from '../support/hub';
import { until } from '../support/until';
import { imageMessage, messagesWebhook, postSignedWebhook } from '../support/whatsapp-webhooks';

/**
 * Issue #14, thumbnails: the hub makes one thumbnail per stored photo (at most 480 px on the
 * long side, WebP, EXIF orientation applied) before the attachment is `ready`, keeps it by its
 * own hash beside the original and serves it at `GET /api/media/<sha256>?size=thumb` with the
 * original's rules; a photo it cannot decode gets none, and its original is still served.
 */
let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A 2000×1500 JPEG (a gradient, so it is a real photo-sized encode), optionally EXIF-rotated. */
async function jpeg(orientation?: number, tint = 0): Promise<Buffer> {
  const width = 2000;
  const height = 1500;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = tint;
    }
  }
  const image = sharp(raw, { raw: { width, height, channels: 3 } });
  return (orientation === undefined ? image : image.withMetadata({ orientation }))
    .jpeg({ quality: 80 })
    .toBuffer();
}

let photo: Buffer;
let rotated: Buffer;

beforeAll(async () => {
  [photo, rotated] = await Promise.all([jpeg(), jpeg(6, 90)]);
  expect((await sharp(rotated).metadata()).orientation).toBe(6);
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

async function receive(bytes: Buffer, from: string): Promise<Message> {
  const id = graph.addMedia({ bytes, mimeType: 'image/jpeg' });
  const fixture = imageMessage({ mediaId: id, mimeType: 'image/jpeg', from, sha256: sha(bytes) });
  expect(await postSignedWebhook(hub.url, messagesWebhook(fixture), WHATSAPP.appSecret)).toBe(200);
  const read = async (): Promise<Message | null> => {
    const { rows } = await hub.db.query<MessageRow>(
      'select * from messages where external_id = $1',
      [fixture.message.id],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  };
  const message = await until(read, (m) => m !== null && m.attachment?.state !== 'pending', 20_000);
  if (!message) throw new Error(`no message ${fixture.message.id}`);
  return message;
}

const get = (
  path: string,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
): Promise<Response> => fetch(`${hub.url}${path}`, { headers });

const count = async (table: string): Promise<number> =>
  Number((await hub.db.query<{ n: number }>(`select count(*) as n from ${table}`)).rows[0]?.n);

describe('photo thumbnails', () => {
  it('makes a 480×360 WebP of a 2000×1500 JPEG before the photo is ready, and serves it', async () => {
    const message = await receive(photo, '31622220001');
    const res = await get(`/api/media/${sha(photo)}?size=thumb`);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    const expected: Attachment = {
      state: 'ready',
      sha256: sha(photo),
      mimeType: 'image/jpeg',
      size: photo.length,
      filename: null,
      error: null,
      thumbnail: { sha256: sha(bytes), mimeType: 'image/webp', width: 480, height: 360 },
    };
    expect(message.attachment).toEqual(expected);
    const meta = await sharp(bytes).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
      format: 'webp',
      width: 480,
      height: 360,
    });
    expect({
      type: res.headers.get('content-type'),
      length: res.headers.get('content-length'),
      disposition: res.headers.get('content-disposition'),
      cache: res.headers.get('cache-control'),
      etag: res.headers.get('etag'),
      nosniff: res.headers.get('x-content-type-options'),
    }).toEqual({
      type: 'image/webp',
      length: String(bytes.length),
      disposition: `inline; filename="thumb-${sha(photo).slice(0, 12)}.webp"; filename*=UTF-8''thumb-${sha(photo).slice(0, 12)}.webp`,
      cache: 'private, max-age=31536000, immutable',
      etag: `"${sha(bytes)}"`,
      nosniff: 'nosniff',
    });
    const again = await get(`/api/media/${sha(photo)}?size=thumb`, {
      authorization: `Bearer ${token}`,
      'if-none-match': `"${sha(bytes)}"`,
    });
    expect(again.status).toBe(304);
    // The lightbox's original is untouched.
    const original = await get(`/api/media/${sha(photo)}`);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(photo)).toBe(true);
  });

  it('applies the EXIF orientation: a photo taken sideways is a 360×480 thumbnail', async () => {
    const message = await receive(rotated, '31622220002');
    const res = await get(`/api/media/${sha(rotated)}?size=thumb`);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(message.attachment?.thumbnail).toEqual({
      sha256: sha(bytes),
      mimeType: 'image/webp',
      width: 360,
      height: 480,
    });
    const meta = await sharp(bytes).metadata();
    expect({ width: meta.width, height: meta.height, orientation: meta.orientation }).toEqual({
      width: 360,
      height: 480,
      orientation: undefined,
    });
  });

  it('keeps one thumbnail per photo, however many messages carry it', async () => {
    const [files, thumbnails] = [await count('media_files'), await count('media_thumbnails')];
    const first = await receive(photo, '31622220003');
    const second = await receive(photo, '31622220004');
    expect(second.attachment?.thumbnail).toEqual(first.attachment?.thumbnail);
    expect([await count('media_files'), await count('media_thumbnails')]).toEqual([
      files,
      thumbnails,
    ]);
    const { rows } = await hub.db.query<{ n: number }>(
      'select count(*) as n from media_thumbnails where sha256 = $1',
      [sha(photo)],
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('serves a thumbnail only with a session, and only of this workspace’s files', async () => {
    const path = `/api/media/${sha(photo)}?size=thumb`;
    expect((await get(path, {})).status).toBe(401);
    expect((await get(path, { authorization: 'Bearer not-a-session' })).status).toBe(401);
    expect((await get(`/api/media/${sha(photo)}?size=huge`)).status).toBe(400);
    // A photo and its thumbnail in the table that no message of this workspace references.
    const foreign = await jpeg(undefined, 200);
    const thumb = Buffer.from('RIFF....WEBPVP8 another workspace');
    await hub.db.query(
      `insert into media_files (sha256, bytes, mime_type, size, filename, created_at)
       values ($1, $2, 'image/jpeg', $3, null, 0), ($4, $5, 'image/webp', $6, null, 0)`,
      [sha(foreign), foreign, foreign.length, sha(thumb), thumb, thumb.length],
    );
    await hub.db.query(
      `insert into media_thumbnails (sha256, thumbnail_sha256, width, height, error, created_at)
       values ($1, $2, 480, 360, null, 0)`,
      [sha(foreign), sha(thumb)],
    );
    const res = await get(`/api/media/${sha(foreign)}?size=thumb`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: 'not_found',
      message: `No thumbnail of a file ${sha(foreign)} in this workspace.`,
    });
  });

  it('gives a photo it cannot decode no thumbnail, logs why, and still serves the original', async () => {
    const warn = vi.spyOn(console, 'warn');
    // JPEG's first bytes (so it passes the type check), then nothing a decoder can read.
    const corrupt = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('not really a photo '.repeat(100)),
    ]);
    try {
      const message = await receive(corrupt, '31622220005');
      expect(message.attachment).toEqual({
        state: 'ready',
        sha256: sha(corrupt),
        mimeType: 'image/jpeg',
        size: corrupt.length,
        filename: null,
        error: null,
        thumbnail: null,
      });
      const logged = warn.mock.calls
        .map((call) => String(call[0]))
        .filter((line) =>
          line.startsWith(`hub: media ${sha(corrupt).slice(0, 12)}: no thumbnail:`),
        );
      expect(logged.length).toBe(1);
    } finally {
      warn.mockRestore();
    }
    const { rows } = await hub.db.query<{ thumbnail_sha256: string | null; error: string }>(
      'select thumbnail_sha256, error from media_thumbnails where sha256 = $1',
      [sha(corrupt)],
    );
    expect(rows.map((r) => [r.thumbnail_sha256, r.error.startsWith('no thumbnail: ')])).toEqual([
      [null, true],
    ]);
    const thumb = await get(`/api/media/${sha(corrupt)}?size=thumb`);
    expect(thumb.status).toBe(404);
    const original = await get(`/api/media/${sha(corrupt)}`);
    expect(original.status).toBe(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(corrupt)).toBe(true);
  });
});
