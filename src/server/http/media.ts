import { channelKindSchema } from '../../shared/domain/channels';
import { baseMimeType } from '../../shared/media/limits';
import type { HubContext } from '../context';
import { largestUpload } from '../media/limits';
import {
  acceptUpload,
  checkFileType,
  sendableLimit,
  serveFile,
  serveThumbnail,
} from '../media/service';
import type { PublicLinks } from '../media/public-links';
import { badRequest, HttpError, notFound } from './errors';
import { readRawBody } from './body';
import { sendJson } from './io';
import type { Router } from './router';

/** `inline` types: shown or played in the app; everything else is saved. */
const INLINE = /^(image|audio|video)\//;
const SHA256 = /^[0-9a-f]{64}$/;

/** RFC 6266 / 8187: the name percent-encoded as UTF-8, with an ASCII fallback. */
function contentDisposition(mimeType: string, filename: string): string {
  const type = INLINE.test(mimeType) ? 'inline' : 'attachment';
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/**
 * Files of messages (docs/api.md, "Media"): `GET /api/media/<sha256>` serves a file of this
 * hub's messages to signed-in users; `POST /api/media?channel=<kind>` takes an agent's file to
 * send, its type and size checked against the channel's limits on the headers before any byte
 * of the body is read.
 */
export function registerMediaApi(router: Router, context: HubContext, links?: PublicLinks): void {
  const { db, now, auth } = context;

  // A file sent by link (LINE, Viber): anyone with the unguessable link, until it expires.
  router.get('/media/public/:token/:name', async ({ req, res, params }) => {
    const file = links ? await links.resolve(params['token'] ?? '') : null;
    if (!file) throw notFound('No such file, or its link has expired.');
    res.writeHead(200, {
      'Content-Type': file.mimeType,
      'Content-Length': file.bytes.length,
      'Content-Disposition': contentDisposition(file.mimeType, file.filename),
      'Cache-Control': 'public, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  });

  // `?size=thumb`: the photo's thumbnail (media/thumbnails.ts), with the same rules.
  router.get('/api/media/:hash', async ({ req, res, params, url }) => {
    await auth.requireUser(req);
    const sha256 = params['hash'] ?? '';
    if (!SHA256.test(sha256))
      throw badRequest('A file is addressed by its lower-case hex SHA-256 (64 digits).');
    const size = url.searchParams.get('size');
    if (size !== null && size !== 'thumb') throw badRequest('size: thumb, or leave it out.');
    const file = size === 'thumb' ? await serveThumbnail(db, sha256) : await serveFile(db, sha256);
    const etag = `"${file.sha256}"`;
    const headers = {
      'Content-Type': file.mimeType,
      'Content-Disposition': contentDisposition(
        file.mimeType,
        file.filename ??
          (size === 'thumb' ? `thumb-${sha256.slice(0, 12)}.webp` : `file-${sha256.slice(0, 12)}`),
      ),
      'Cache-Control': 'private, max-age=31536000, immutable',
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    const match = headerValue(req.headers['if-none-match']);
    if (match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': file.size });
    res.end(req.method === 'HEAD' ? undefined : file.bytes);
  });

  router.post('/api/media', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const channel = channelKindSchema.safeParse(url.searchParams.get('channel'));
    if (!channel.success)
      throw badRequest(`channel: one of ${channelKindSchema.options.join(', ')}.`);
    const mimeType = baseMimeType(headerValue(req.headers['content-type']));
    let filename: string;
    try {
      filename = decodeURIComponent(headerValue(req.headers['x-filename'])).trim();
    } catch {
      throw badRequest('X-Filename must be URI-encoded.');
    }
    if (filename.length > 255 || filename.includes('\u0000'))
      throw badRequest('X-Filename: at most 255 characters, no NUL.');
    const declared = Number(headerValue(req.headers['content-length']) || Number.NaN);
    // Refused on the headers, before the body is read: nothing stored, nothing sent. The body of
    // a refused request is dropped, not read (http/body.ts).
    const limit = sendableLimit(channel.data, mimeType, Number.isFinite(declared) ? declared : 0);
    let bytes: Buffer;
    try {
      // Counted and its first bytes checked against its type as it arrives: a file too large or
      // not what it claims is refused there, the rest never read.
      bytes = await readRawBody(req, Math.min(limit.maxBytes, largestUpload(channel.data)), {
        kind: 'upload',
        checkHead: (head) => checkFileType(head, mimeType),
      });
    } catch (error) {
      // A body without Content-Length that outgrows the limit.
      if (error instanceof HttpError && error.status === 413)
        sendableLimit(channel.data, mimeType, limit.maxBytes + 1);
      throw error;
    }
    const stored = await acceptUpload(
      db,
      channel.data,
      { bytes, mimeType, filename: filename || `upload.${mimeType.split('/')[1] ?? 'bin'}` },
      now(),
    );
    sendJson(res, 201, {
      sha256: stored.sha256,
      size: stored.size,
      mimeType: stored.mimeType,
      filename: stored.filename,
    });
  });
}
