import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { parseExactJson } from '../../src/server/channels/viber/exact-json';

/**
 * A local stand-in for Viber's REST Bot API (CHANNEL-API.md §6.1, §6.3, §6.5) over real HTTP on
 * 127.0.0.1: `POST /pa/send_message`, `/pa/set_webhook`, `/pa/get_account_info`, and a media CDN
 * at `GET /cdn/<name>` (no auth, as Viber's).
 *
 * It answers as Viber does: HTTP 200 with `status` (0 ok; 2 without the right
 * `X-Viber-Auth-Token`; 3 badData for a body not of the documented shape), and a send's
 * `message_token` as a bare 64-bit JSON number above 2^53 (the first is 5098034272017990001).
 * `GET /cdn/http-<code>` answers that HTTP status. Tests script the next answers (`failNext` with
 * a Viber status, an HTTP status, or a hang) and read every
 * request (`requests`, bodies parsed with long integers exact).
 */

export interface RecordedViberRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  response: { readonly status: number; readonly text: string } | null;
}

export type ViberFailure =
  | { readonly status: number; readonly statusMessage: string }
  | { readonly http: number }
  /** Accepted (its token is in `sentTokens`) but never answered, as when the answer is lost. */
  | { readonly hang: true };

export interface FakeViberApi {
  readonly url: string;
  readonly requests: RecordedViberRequest[];
  /** The send answers' `message_token`s, as decimal strings, in order. */
  readonly sentTokens: string[];
  /** Serves `bytes` at `GET /cdn/<name>`; its URL. Other `/cdn/` paths are 404 (expired). */
  serveFile(name: string, bytes: Buffer, contentType: string): string;
  /** The next valid call to `method` gets this answer (queued, one per call). */
  failNext(method: 'send_message' | 'set_webhook', failure: ViberFailure): void;
  close(): Promise<void>;
}

const senderSchema = z.object({
  name: z.string().min(1).max(28),
  avatar: z.string().url().optional(),
});
const base = {
  receiver: z.string().min(1),
  min_api_version: z.number().int().min(1).optional(),
  sender: senderSchema,
  tracking_data: z.string().max(4000).optional(),
};
const sendSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('text'), text: z.string().min(1).max(7000) }).strict(),
  z
    .object({
      ...base,
      type: z.literal('picture'),
      text: z.string().max(768),
      media: z.string().url(),
      thumbnail: z.string().url().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('video'),
      media: z.string().url(),
      size: z.number().int().positive(),
      duration: z.number().int().max(180).optional(),
      thumbnail: z.string().url().optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('file'),
      media: z.string().url(),
      size: z.number().int().positive(),
      file_name: z.string().min(1).max(256),
    })
    .strict(),
]);
const setWebhookSchema = z
  .object({
    url: z.string(),
    event_types: z.array(z.string()).optional(),
    send_name: z.boolean().optional(),
    send_photo: z.boolean().optional(),
  })
  .strict();

const FIRST_TOKEN = 5098034272017990001n;

export async function startFakeViberApi(options: {
  readonly authToken: string;
}): Promise<FakeViberApi> {
  const requests: RecordedViberRequest[] = [];
  const sentTokens: string[] = [];
  const failures: Record<string, ViberFailure[]> = { send_message: [], set_webhook: [] };
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  let next = FIRST_TOKEN;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw === '' ? undefined : parseExactJson(raw);
      } catch {
        body = undefined;
      }
      const path = req.url ?? '';
      const record: RecordedViberRequest = {
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
        response: null,
      };
      requests.push(record);
      /** `text` is raw JSON: big integers are written bare. */
      const answer = (status: number, text: string) => {
        record.response = { status, text };
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(text);
      };
      const viber = (status: number, message: string, extra = '') =>
        answer(200, `{"status":${status},"status_message":${JSON.stringify(message)}${extra}}`);

      if (req.method === 'GET' && path.startsWith('/cdn/')) {
        const file = files.get(path);
        const code = /^\/cdn\/http-(\d{3})$/.exec(path)?.[1];
        if (code) {
          record.response = { status: Number(code), text: '' };
          res.writeHead(Number(code), { 'content-type': 'text/plain' });
          return res.end('error');
        }
        if (!file) {
          record.response = { status: 404, text: 'Not Found' };
          res.writeHead(404, { 'content-type': 'text/plain' });
          return res.end('Not Found');
        }
        record.response = { status: 200, text: '' };
        res.writeHead(200, {
          'content-type': file.contentType,
          'content-length': file.bytes.length,
        });
        return res.end(file.bytes);
      }
      const method = /^\/pa\/([a-z_]+)$/.exec(path)?.[1];
      if (req.method !== 'POST' || !method) return answer(404, '{"error":"not found"}');
      if (req.headers['x-viber-auth-token'] !== options.authToken) {
        return viber(2, 'invalidAuthToken');
      }
      const failure = failures[method]?.shift();
      if (method === 'get_account_info') {
        return viber(
          0,
          'ok',
          ',"id":"pa:5157413333638975483","name":"Replydesk Shop","uri":"replydeskshop","icon":"https://example.com/icon.jpg","category":"Shopping","country":"NL","webhook":"https://hub.example/webhooks/viber","event_types":["delivered","seen"],"subscribers_count":3',
        );
      }
      if (method === 'set_webhook') {
        const parsed = setWebhookSchema.safeParse(body);
        if (!parsed.success) return viber(3, 'badData');
        if (failure && 'http' in failure) return answer(failure.http, '');
        if (failure && 'status' in failure) return viber(failure.status, failure.statusMessage);
        if (!/^https:\/\//.test(parsed.data.url) && parsed.data.url !== '')
          return viber(
            1,
            'Result[HttpRequest[POST / HTTP/1.1]@1 > HttpResponse[null 0 null]@2] invalidUrl',
          );
        return viber(
          0,
          'ok',
          `,"event_types":${JSON.stringify(['delivered', 'seen', 'failed', 'subscribed', 'unsubscribed', 'conversation_started'].filter((t) => parsed.data.event_types?.includes(t) ?? true))}`,
        );
      }
      if (method === 'send_message') {
        const parsed = sendSchema.safeParse(body);
        if (!parsed.success) return viber(3, 'badData');
        if (failure && 'http' in failure) return answer(failure.http, 'Bad Gateway');
        if (failure && 'status' in failure) return viber(failure.status, failure.statusMessage);
        const token = (next++).toString();
        sentTokens.push(token);
        if (failure) return undefined; // a hang: accepted, never answered
        return viber(
          0,
          'ok',
          `,"message_token":${token},"chat_hostname":"SN-CHAT-07_","billing_status":0`,
        );
      }
      return viber(3, 'badData');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    sentTokens,
    serveFile: (name, bytes, contentType) => {
      files.set(`/cdn/${name}`, { bytes, contentType });
      return `${url}/cdn/${name}`;
    },
    failNext: (method, failure) => void failures[method]?.push(failure),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
