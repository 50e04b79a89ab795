import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for WeChat's Official Account API (CHANNEL-API.md §7.4–7.5) over real HTTP on
 * 127.0.0.1:
 *
 * - `GET /cgi-bin/token?grant_type=client_credential&appid&secret` → `{"access_token",
 *   "expires_in":7200}` (tokens `fake-token-1`, `-2`, …), 40013 / 40125 for a wrong AppID or
 *   AppSecret. Tests count the calls (`tokenCalls`), hold answers back (`holdTokens`), and end
 *   every token given so far (`expireTokens`: 42001 from then on).
 * - `POST /cgi-bin/message/custom/send?access_token` with the documented text / image / voice /
 *   video bodies (strict), 40001 for an unknown token, 40007 for a media_id never uploaded, 47001
 *   for a body of another shape; `failNext` queues an errcode, an HTTP status or a hang.
 * - `POST /cgi-bin/media/upload?access_token&type=image|voice|video` multipart field `media` →
 *   `{"type","media_id","created_at"}`.
 * - `GET /cgi-bin/media/get?access_token&media_id` → the bytes served (`serveMedia`) with their
 *   Content-Type and Content-disposition; for a video (`serveVideo`) JSON `{"video_url"}` to
 *   `GET /video/<id>`; otherwise `{"errcode":40007}` as text/plain, as WeChat answers it.
 *
 * Errors are HTTP 200 with `{"errcode","errmsg"}`, as WeChat's.
 */

export interface RecordedWechatRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  response: { readonly status: number; readonly text: string } | null;
}

export type WechatFailure =
  | { readonly errcode: number; readonly errmsg: string }
  | { readonly http: number }
  /** Accepted (recorded in `sent`) but never answered, as when the answer is lost. */
  | { readonly hang: true };

export interface SentMessage {
  readonly touser: string;
  readonly msgtype: string;
  readonly body: Record<string, unknown>;
  readonly token: string;
}

export interface UploadedMedia {
  readonly type: string;
  readonly mediaId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

export interface FakeWechatApi {
  readonly url: string;
  readonly requests: RecordedWechatRequest[];
  /** Every custom/send WeChat accepted, in order. */
  readonly sent: SentMessage[];
  readonly uploads: UploadedMedia[];
  /** `/cgi-bin/token` calls so far (refused ones included). */
  tokenCalls(): number;
  /** Every token given so far is expired from now on (42001). */
  expireTokens(): void;
  /** Token answers wait until the returned function is called. */
  holdTokens(): () => void;
  failNext(api: 'send' | 'upload' | 'token', failure: WechatFailure): void;
  /** Answers customer/send for this OpenID with an errcode until cleared (null). */
  refuseFor(openid: string, failure: { errcode: number; errmsg: string } | null): void;
  serveMedia(mediaId: string, bytes: Buffer, contentType: string, filename?: string): void;
  serveVideo(mediaId: string, bytes: Buffer): void;
  close(): Promise<void>;
}

const mediaRef = z.object({ media_id: z.string().min(1) }).strict();
const base = {
  touser: z.string().min(1),
  customservice: z.object({ kf_account: z.string() }).strict().optional(),
};
const sendSchema = z.discriminatedUnion('msgtype', [
  z
    .object({
      ...base,
      msgtype: z.literal('text'),
      text: z.object({ content: z.string().min(1) }).strict(),
    })
    .strict(),
  z.object({ ...base, msgtype: z.literal('image'), image: mediaRef }).strict(),
  z.object({ ...base, msgtype: z.literal('voice'), voice: mediaRef }).strict(),
  z
    .object({
      ...base,
      msgtype: z.literal('video'),
      video: z
        .object({
          media_id: z.string().min(1),
          thumb_media_id: z.string().optional(),
          title: z.string().optional(),
          description: z.string().optional(),
        })
        .strict(),
    })
    .strict(),
]);

export async function startFakeWechatApi(options: {
  readonly appId: string;
  readonly appSecret: string;
}): Promise<FakeWechatApi> {
  const requests: RecordedWechatRequest[] = [];
  const sent: SentMessage[] = [];
  const uploads: UploadedMedia[] = [];
  const failures: Record<'send' | 'upload' | 'token', WechatFailure[]> = {
    send: [],
    upload: [],
    token: [],
  };
  const refusals = new Map<string, { errcode: number; errmsg: string }>();
  const valid = new Set<string>();
  const expired = new Set<string>();
  const served = new Map<string, { bytes: Buffer; contentType: string; filename: string }>();
  const videos = new Map<string, Buffer>();
  let tokens = 0;
  let tokenCalls = 0;
  let media = 0;
  let held: Promise<void> | null = null;
  let url = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const target = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(target.searchParams);
    let body: unknown = null;
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/json')) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
    }
    const record: RecordedWechatRequest = {
      method: req.method ?? '',
      path: target.pathname,
      query,
      body,
      response: null,
    };
    requests.push(record);
    const answer = (
      status: number,
      text: string,
      contentType = 'application/json; encoding=utf-8',
    ) => {
      record.response = { status, text };
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    };
    const wechat = (errcode: number, errmsg: string, contentType?: string) =>
      answer(200, JSON.stringify({ errcode, errmsg }), contentType);
    /** The token's errcode, or null when it is good. */
    const tokenProblem = (): [number, string] | null => {
      const token = query['access_token'] ?? '';
      if (expired.has(token))
        return [42001, 'access_token expired rid: 6571a1b2-0d3c8a4f-1e2d3c4b'];
      if (!valid.has(token))
        return [40001, 'invalid credential, access_token is invalid or not latest rid: 6571a1b2-1'];
      return null;
    };

    if (req.method === 'GET' && target.pathname.startsWith('/video/')) {
      const bytes = videos.get(target.pathname.slice('/video/'.length));
      if (!bytes) return answer(404, 'Not Found', 'text/plain');
      record.response = { status: 200, text: '' };
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': bytes.length });
      return res.end(bytes);
    }

    if (req.method === 'GET' && target.pathname === '/cgi-bin/token') {
      tokenCalls += 1;
      if (held) await held;
      const failure = failures.token.shift();
      if (failure && 'http' in failure) return answer(failure.http, 'Bad Gateway', 'text/html');
      if (failure && 'errcode' in failure) return wechat(failure.errcode, failure.errmsg);
      if (query['grant_type'] !== 'client_credential') return wechat(40002, 'invalid grant_type');
      if (query['appid'] !== options.appId) return wechat(40013, 'invalid appid');
      if (query['secret'] !== options.appSecret) return wechat(40125, 'invalid appsecret');
      tokens += 1;
      const token = `fake-token-${tokens}`;
      valid.add(token);
      return answer(200, JSON.stringify({ access_token: token, expires_in: 7200 }));
    }

    if (req.method === 'POST' && target.pathname === '/cgi-bin/message/custom/send') {
      const problem = tokenProblem();
      if (problem) return wechat(...problem);
      const parsed = sendSchema.safeParse(body);
      if (!parsed.success) return wechat(47001, 'data format error');
      const message = parsed.data;
      const mediaId =
        message.msgtype === 'image'
          ? message.image.media_id
          : message.msgtype === 'voice'
            ? message.voice.media_id
            : message.msgtype === 'video'
              ? message.video.media_id
              : null;
      if (mediaId !== null && !uploads.some((u) => u.mediaId === mediaId))
        return wechat(40007, 'invalid media_id');
      const refused = refusals.get(message.touser);
      if (refused) return wechat(refused.errcode, refused.errmsg);
      const failure = failures.send.shift();
      if (failure && 'http' in failure) return answer(failure.http, 'Bad Gateway', 'text/html');
      if (failure && 'errcode' in failure) return wechat(failure.errcode, failure.errmsg);
      sent.push({
        touser: message.touser,
        msgtype: message.msgtype,
        body: message as Record<string, unknown>,
        token: query['access_token'] ?? '',
      });
      if (failure) return undefined; // a hang: accepted, never answered
      return wechat(0, 'ok');
    }

    if (req.method === 'POST' && target.pathname === '/cgi-bin/media/upload') {
      const problem = tokenProblem();
      if (problem) return wechat(...problem);
      const failure = failures.upload.shift();
      if (failure && 'http' in failure) return answer(failure.http, 'Bad Gateway', 'text/html');
      if (failure && 'errcode' in failure) return wechat(failure.errcode, failure.errmsg);
      const kind = query['type'] ?? '';
      if (!['image', 'voice', 'video', 'thumb'].includes(kind))
        return wechat(40004, 'invalid media type');
      let form: FormData;
      try {
        form = await new Response(new Uint8Array(raw), {
          headers: { 'content-type': type },
        }).formData();
      } catch {
        return wechat(41005, 'media data missing');
      }
      const file = form.get('media');
      if (!(file instanceof File)) return wechat(41005, 'media data missing');
      media += 1;
      const mediaId = `fake-media-${kind}-${media}`;
      uploads.push({
        type: kind,
        mediaId,
        filename: file.name,
        contentType: file.type,
        bytes: Buffer.from(await file.arrayBuffer()),
      });
      return answer(200, JSON.stringify({ type: kind, media_id: mediaId, created_at: 1764763200 }));
    }

    if (req.method === 'GET' && target.pathname === '/cgi-bin/media/get') {
      const problem = tokenProblem();
      if (problem) return wechat(...problem, 'text/plain');
      const id = query['media_id'] ?? '';
      const video = videos.get(id);
      if (video)
        return answer(200, JSON.stringify({ video_url: `${url}/video/${id}` }), 'text/plain');
      const file = served.get(id);
      if (!file) return wechat(40007, 'invalid media_id hint: [abc]', 'text/plain');
      record.response = { status: 200, text: '' };
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.filename}"`,
        'content-length': file.bytes.length,
      });
      return res.end(file.bytes);
    }

    return answer(404, JSON.stringify({ errcode: 404, errmsg: 'not found' }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    sent,
    uploads,
    tokenCalls: () => tokenCalls,
    expireTokens: () => {
      for (const token of valid) expired.add(token);
      valid.clear();
    },
    holdTokens: () => {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
    failNext: (api, failure) => void failures[api].push(failure),
    refuseFor: (openid, failure) => {
      if (failure) refusals.set(openid, failure);
      else refusals.delete(openid);
    },
    serveMedia: (mediaId, bytes, contentType, filename = 'file') =>
      void served.set(mediaId, { bytes, contentType, filename }),
    serveVideo: (mediaId, bytes) => void videos.set(mediaId, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
