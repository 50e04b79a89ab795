import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for a HappyTalk-style consultation-talk dealer (CHANNEL-API.md §8.2 [partner],
 * with the assumptions src/server/channels/kakao/happytalk.ts writes down) over real HTTP on
 * 127.0.0.1:
 *
 * - `POST /v1/chat/write` `{user_key, sender_key, serial_number, message_type, message |
 *   image_url | file_url}` → `{"code":"0000","message":"success"}`;
 * - `POST /v1/upload` multipart `type` + `file` → `{"code":"0000","url":"<base>/files/<n>"}`;
 * - `POST /v1/chat/end` `{user_key, sender_key}` → `{"code":"0000"}`;
 * - `GET /v1/profile?sender_key=…` → `{"code":"0000","sender_key","name","status":"active"}` for
 *   the sender key it was started with (another: `{"code":"3001","message":"unknown sender key"}`);
 * - `GET /files/<n>` (and files served with `serveFile`): the bytes, no credentials.
 *
 * Every POST (and the profile GET) needs `HT-Client-Id` and `HT-Client-Secret` (else HTTP 401 `{"code":"1001"}`), and a
 * body of the documented shape (else HTTP 400 `{"code":"2001"}`: text over 1,000 characters too).
 * Sessions: a user with no open session (`endSession`, or never `openSession` when
 * `requireSession`) is answered `{"code":"3005","message":"session is not open"}`. Tests also
 * queue answers (`failNext`) and read every request (`requests`).
 */

export interface RecordedDealerRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** JSON bodies parsed; an upload as `{ type, filename, mimeType, size }`. */
  readonly body: unknown;
}

export type DealerFailure =
  | { readonly http: number; readonly code?: string; readonly message?: string }
  | { readonly code: string; readonly message: string };

export interface FakeKakaoDealer {
  readonly url: string;
  readonly requests: RecordedDealerRequest[];
  /** Only the accepted `chat/write` bodies, in order. */
  readonly sent: unknown[];
  /** Users whose session the dealer holds open (`requireSession`), by user key. */
  openSession(userKey: string): void;
  endSession(userKey: string): void;
  serveFile(name: string, bytes: Buffer, contentType: string): string;
  failNext(path: '/v1/chat/write' | '/v1/upload' | '/v1/chat/end', failure: DealerFailure): void;
  close(): Promise<void>;
}

const writeSchema = z.discriminatedUnion('message_type', [
  z
    .object({
      user_key: z.string().min(1).max(20),
      sender_key: z.string().min(1).max(40),
      serial_number: z.string().min(1),
      message_type: z.literal('TX'),
      message: z.string().min(1).max(1000),
    })
    .strict(),
  z
    .object({
      user_key: z.string().min(1).max(20),
      sender_key: z.string().min(1).max(40),
      serial_number: z.string().min(1),
      message_type: z.literal('IM'),
      image_url: z.string().url(),
    })
    .strict(),
  z
    .object({
      user_key: z.string().min(1).max(20),
      sender_key: z.string().min(1).max(40),
      serial_number: z.string().min(1),
      message_type: z.literal('FI'),
      file_url: z.string().url(),
    })
    .strict(),
]);
const endSchema = z
  .object({ user_key: z.string().min(1).max(20), sender_key: z.string().min(1).max(40) })
  .strict();

export async function startFakeKakaoDealer(options: {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Refuse sends to users whose session was not opened with `openSession`. Default false. */
  readonly requireSession?: boolean;
  /** The sender profile `GET /v1/profile` knows, and its channel's name. */
  readonly senderKey?: string;
  readonly channelName?: string;
}): Promise<FakeKakaoDealer> {
  const requests: RecordedDealerRequest[] = [];
  const sent: unknown[] = [];
  const open = new Set<string>();
  const ended = new Set<string>();
  const failures = new Map<string, DealerFailure[]>();
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  let uploads = 0;
  let url = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const path = req.url ?? '';
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'GET' && path.startsWith('/files/')) {
          requests.push({ method: 'GET', path, headers: req.headers, body: undefined });
          const file = files.get(path);
          if (!file) return answer(404, { code: '4040', message: 'no such file' });
          res.writeHead(200, {
            'content-type': file.contentType,
            'content-length': file.bytes.length,
          });
          return res.end(file.bytes);
        }
        let body: unknown;
        if (path === '/v1/upload') {
          const form = await new Request('http://fake.invalid/', {
            method: 'POST',
            headers: { 'content-type': req.headers['content-type'] ?? '' },
            body: raw,
          })
            .formData()
            .catch(() => null);
          const file = form?.get('file');
          body =
            form && file instanceof File
              ? {
                  type: form.get('type'),
                  filename: file.name,
                  mimeType: file.type,
                  size: file.size,
                }
              : undefined;
          if (file instanceof File) {
            uploads += 1;
            files.set(`/files/${uploads}`, {
              bytes: Buffer.from(await file.arrayBuffer()),
              contentType: file.type,
            });
          }
        } else {
          try {
            body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
          } catch {
            body = undefined;
          }
        }
        requests.push({ method: req.method ?? '', path, headers: req.headers, body });
        const profile = new URL(path, 'http://fake.invalid');
        const isProfile = req.method === 'GET' && profile.pathname === '/v1/profile';
        if (req.method !== 'POST' && !isProfile)
          return answer(404, { code: '4040', message: 'not found' });
        if (
          req.headers['ht-client-id'] !== options.clientId ||
          req.headers['ht-client-secret'] !== options.clientSecret
        )
          return answer(401, { code: '1001', message: 'invalid client' });
        if (isProfile) {
          const key = profile.searchParams.get('sender_key');
          if (!key || key !== options.senderKey)
            return answer(200, { code: '3001', message: 'unknown sender key' });
          return answer(200, {
            code: '0000',
            sender_key: key,
            name: options.channelName ?? 'Replydesk Shop',
            status: 'active',
          });
        }
        const failure = failures.get(path)?.shift();
        if (failure && 'http' in failure)
          return answer(failure.http, {
            code: failure.code ?? '9999',
            message: failure.message ?? 'error',
          });
        if (failure) return answer(200, { code: failure.code, message: failure.message });

        if (path === '/v1/chat/write') {
          const parsed = writeSchema.safeParse(body);
          if (!parsed.success) return answer(400, { code: '2001', message: 'invalid parameter' });
          const userKey = parsed.data.user_key;
          if (ended.has(userKey) || (options.requireSession && !open.has(userKey)))
            return answer(200, { code: '3005', message: 'session is not open' });
          sent.push(parsed.data);
          return answer(200, { code: '0000', message: 'success' });
        }
        if (path === '/v1/upload') {
          if (body === undefined)
            return answer(400, { code: '2001', message: 'invalid parameter' });
          return answer(200, { code: '0000', url: `${url}/files/${uploads}` });
        }
        if (path === '/v1/chat/end') {
          const parsed = endSchema.safeParse(body);
          if (!parsed.success) return answer(400, { code: '2001', message: 'invalid parameter' });
          if (ended.has(parsed.data.user_key))
            return answer(200, { code: '3005', message: 'session is not open' });
          ended.add(parsed.data.user_key);
          open.delete(parsed.data.user_key);
          return answer(200, { code: '0000', message: 'success' });
        }
        return answer(404, { code: '4040', message: 'not found' });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    sent,
    openSession: (userKey) => {
      open.add(userKey);
      ended.delete(userKey);
    },
    endSession: (userKey) => {
      ended.add(userKey);
      open.delete(userKey);
    },
    serveFile: (name, bytes, contentType) => {
      files.set(`/files/${name}`, { bytes, contentType });
      return `${url}/files/${name}`;
    },
    failNext: (path, failure) => {
      const queue = failures.get(path) ?? [];
      queue.push(failure);
      failures.set(path, queue);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
