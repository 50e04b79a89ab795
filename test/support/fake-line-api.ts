import { randomUUID } from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { signLineBody } from '../../src/server/channels/line/signature';

/**
 * A local stand-in for LINE's Messaging API and data API (CHANNEL-API.md §5.3–5.6), over real
 * HTTP on 127.0.0.1, answering as LINE documents:
 *
 * - every call needs `Authorization: Bearer <channel access token>` (else 401);
 * - `POST /v2/bot/message/reply {replyToken, messages[1..5]}` → 200 `{"sentMessages":[{id,
 *   quoteToken}]}`; only tokens it issued (`issueReplyToken`), once each and within their life
 *   (`replyTokenLifeMs` on its clock), else 400 `{"message":"Invalid reply token"}`;
 * - `POST /v2/bot/message/push {to, messages}` with an optional `X-Line-Retry-Key` (a UUID, else
 *   400): a key it accepted before → 409 `{"message":"The retry key is already accepted",
 *   "sentMessages"}` with `x-line-accepted-request-id`; each accepted push counts one against
 *   the quota;
 * - `GET /v2/bot/message/quota` → `{"type","value"?}`, `…/quota/consumption` → `{"totalUsage"}`;
 * - `GET /v2/bot/message/{id}/content` (and `/content/transcoding`) for what `serveContent` holds
 *   (else 404), and `GET /files/<name>` for external files (`serveFile`);
 * - `PUT /v2/bot/channel/webhook/endpoint {endpoint}` and `POST /v2/bot/channel/webhook/test`,
 *   which really POSTs a signed `{"destination","events":[]}` to the endpoint and reports it;
 * - `POST /v2/bot/chat/loading/start {chatId, loadingSeconds}` → 202 `{}` (user ids only: LINE
 *   shows it in one-to-one chats);
 * - groups and rooms (`groups`, `rooms`): `GET /v2/bot/group/{groupId}/summary` → `{groupId,
 *   groupName}`, `GET /v2/bot/group/{groupId}/member/{userId}` and `GET
 *   /v2/bot/room/{roomId}/member/{userId}` → `{displayName, userId}`; 404 for a chat or member
 *   it does not hold. A reply token issued for a group id replies to the group.
 *
 * Tests script failures (`failNext`: a 429 rate limit, the monthly limit, a 5xx), a send accepted
 * but never answered (`acceptAndHang`), and read every request (`requests`).
 */

export interface RecordedLineRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  response: { readonly status: number; readonly body: unknown } | null;
}

export interface LineFailure {
  readonly status: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
  /** Which calls it applies to (default: the next reply or push). */
  readonly on?: 'send' | 'content';
}

export interface FakeLineApi {
  readonly url: string;
  readonly requests: RecordedLineRequest[];
  /** Profiles `GET /v2/bot/profile/{userId}` answers (others: 404, not a friend). */
  readonly profiles: Map<string, { displayName: string; language?: string }>;
  /** Group chats the account is in: their names and members' display names. */
  readonly groups: Map<string, { groupName: string; members: Map<string, string> }>;
  /** Multi-person chats (rooms, no name) and their members' display names. */
  readonly rooms: Map<string, { members: Map<string, string> }>;
  /** The messages LINE sent (reply or push), in order, with how. */
  readonly sent: {
    readonly via: 'reply' | 'push';
    readonly to: string;
    readonly id: string;
    readonly messages: unknown[];
  }[];
  /**
   * A reply token as a webhook would carry it, valid for `replyTokenLifeMs` from now, for the
   * chat it replies to (a user, group or room id).
   */
  issueReplyToken(userId: string): string;
  /** Content of a message the customer sent (`contentProvider.type: "line"`). */
  serveContent(
    messageId: string,
    bytes: Buffer,
    contentType: string,
    transcoding?: 'processing' | 'succeeded' | 'failed',
  ): void;
  /** An external file at `GET /files/<name>`; its URL. */
  serveFile(name: string, bytes: Buffer, contentType: string): string;
  failNext(failure: LineFailure): void;
  /** The next valid push or reply is accepted (counted, in `sent`) but never answered. */
  acceptAndHang(): void;
  /** The account's quota (`limited` with a value, or `none`) and what was used before. */
  setQuota(quota: { type: 'none' } | { type: 'limited'; value: number }, usedBefore?: number): void;
  /** The endpoint set with PUT /v2/bot/channel/webhook/endpoint. */
  readonly webhookEndpoint: () => string | null;
  close(): Promise<void>;
}

const httpsUrl = z
  .string()
  .max(2000)
  .regex(/^https:\/\//, 'must be an HTTPS URL');
const messageSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('text'),
      text: z.string().min(1).max(5000),
      quoteToken: z.string().optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('image'), originalContentUrl: httpsUrl, previewImageUrl: httpsUrl })
    .strict(),
  z
    .object({ type: z.literal('video'), originalContentUrl: httpsUrl, previewImageUrl: httpsUrl })
    .strict(),
  z
    .object({
      type: z.literal('audio'),
      originalContentUrl: httpsUrl,
      duration: z.number().int().positive(),
    })
    .strict(),
  z
    .object({
      type: z.literal('location'),
      title: z.string().min(1).max(100),
      address: z.string().min(1).max(100),
      latitude: z.number(),
      longitude: z.number(),
    })
    .strict(),
  z.object({ type: z.literal('sticker'), packageId: z.string(), stickerId: z.string() }).strict(),
]);
const messagesSchema = z.array(messageSchema).min(1).max(5);
const replySchema = z
  .object({
    replyToken: z.string().min(1),
    messages: messagesSchema,
    notificationDisabled: z.boolean().optional(),
  })
  .strict();
const pushSchema = z
  .object({
    to: z.string().regex(/^[URC][0-9a-f]{32}$/, 'must be a user, group or room id'),
    messages: messagesSchema,
    notificationDisabled: z.boolean().optional(),
  })
  .strict();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startFakeLineApi(options: {
  readonly channelAccessToken: string;
  readonly channelSecret: string;
  readonly botUserId: string;
  /** The fake's clock for reply tokens (default Date.now). */
  readonly now?: () => number;
  /** How long an issued reply token is accepted (default 60 s, LINE's "within one minute"). */
  readonly replyTokenLifeMs?: number;
}): Promise<FakeLineApi> {
  const now = options.now ?? Date.now;
  const life = options.replyTokenLifeMs ?? 60_000;
  const requests: RecordedLineRequest[] = [];
  const profiles = new Map<string, { displayName: string; language?: string }>();
  const groups: FakeLineApi['groups'] = new Map();
  const rooms: FakeLineApi['rooms'] = new Map();
  const sent: FakeLineApi['sent'] = [];
  const failures: LineFailure[] = [];
  const tokens = new Map<string, { issuedAt: number; used: boolean; userId: string }>();
  const acceptedKeys = new Map<string, { requestId: string; ids: string[] }>();
  const contents = new Map<string, { bytes: Buffer; contentType: string; transcoding: string }>();
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  let quota: { type: 'none' } | { type: 'limited'; value: number } = {
    type: 'limited',
    value: 200,
  };
  let used = 0;
  let hangs = 0;
  let counter = 0;
  let endpoint: string | null = null;

  const nextId = (): string => {
    counter += 1;
    return `5900${String(counter).padStart(14, '0')}`;
  };

  async function webhookTest(target: string): Promise<Record<string, unknown>> {
    const raw = JSON.stringify({ destination: options.botUserId, events: [] });
    const timestamp = new Date(now()).toISOString();
    try {
      const res = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'x-line-signature': signLineBody(raw, options.channelSecret),
          'user-agent': 'LineBotWebhook/2.0',
        },
        body: raw,
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      return res.status === 200
        ? { success: true, timestamp, statusCode: 200, reason: 'OK', detail: '200' }
        : {
            success: false,
            timestamp,
            statusCode: res.status,
            reason: 'ERROR_STATUS_CODE',
            detail: `The webhook returned an HTTP status code other than 200.(${res.status})`,
          };
    } catch {
      return {
        success: false,
        timestamp,
        statusCode: 0,
        reason: 'COULD_NOT_CONNECT',
        detail: 'Connection failed',
      };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          body = undefined;
        }
        const path = req.url ?? '';
        const method = req.method ?? 'GET';
        const record: RecordedLineRequest = {
          method,
          path,
          headers: req.headers,
          body,
          response: null,
        };
        requests.push(record);
        const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
          record.response = { status, body: json };
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(JSON.stringify(json));
        };
        const invalid = (error: z.ZodError) =>
          answer(400, {
            message: 'The request body has 1 error(s)',
            details: error.issues.slice(0, 3).map((issue) => ({
              message: issue.message,
              property: issue.path.join('.'),
            })),
          });

        const file = method === 'GET' ? files.get(path) : undefined;
        if (file) {
          record.response = { status: 200, body: null };
          res.writeHead(200, {
            'content-type': file.contentType,
            'content-length': file.bytes.length,
          });
          return res.end(file.bytes);
        }
        if (path.startsWith('/files/')) return answer(404, { message: 'Not found' });
        if (req.headers.authorization !== `Bearer ${options.channelAccessToken}`)
          return answer(401, {
            message:
              'Authentication failed. Confirm that the access token in the authorization header is valid.',
          });

        const content = /^\/v2\/bot\/message\/([^/]+)\/content(\/transcoding)?$/.exec(path);
        if (method === 'GET' && content) {
          const failure = failures[0]?.on === 'content' ? failures.shift() : undefined;
          if (failure) return answer(failure.status, { message: failure.message });
          const item = contents.get(content[1] ?? '');
          if (!item) return answer(404, { message: 'Not found' });
          if (content[2]) return answer(200, { status: item.transcoding });
          record.response = { status: 200, body: null };
          res.writeHead(200, {
            'content-type': item.contentType,
            'content-length': item.bytes.length,
          });
          return res.end(item.bytes);
        }
        if (method === 'GET' && path === '/v2/bot/message/quota') return answer(200, quota);
        if (method === 'GET' && path === '/v2/bot/message/quota/consumption')
          return answer(200, { totalUsage: used });
        if (method === 'PUT' && path === '/v2/bot/channel/webhook/endpoint') {
          const parsed = z
            .object({ endpoint: z.string().url().max(500) })
            .strict()
            .safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          endpoint = parsed.data.endpoint;
          return answer(200, {});
        }
        if (method === 'POST' && path === '/v2/bot/channel/webhook/test') {
          const parsed = z
            .object({ endpoint: z.string().url().max(500).optional() })
            .strict()
            .safeParse(body ?? {});
          if (!parsed.success) return invalid(parsed.error);
          const target = parsed.data.endpoint ?? endpoint;
          if (!target) return answer(400, { message: 'The webhook URL is not set' });
          return answer(200, await webhookTest(target));
        }
        const profile = /^\/v2\/bot\/profile\/(U[0-9a-f]{32})$/.exec(path);
        if (method === 'GET' && profile) {
          const known = profiles.get(profile[1] as string);
          return known
            ? answer(200, { userId: profile[1], ...known })
            : answer(404, { message: 'Not found' });
        }
        const summary = /^\/v2\/bot\/group\/(C[0-9a-f]{32})\/summary$/.exec(path);
        if (method === 'GET' && summary) {
          const known = groups.get(summary[1] as string);
          return known
            ? answer(200, { groupId: summary[1], groupName: known.groupName })
            : answer(404, { message: 'Not found' });
        }
        const member =
          /^\/v2\/bot\/(group|room)\/([CR][0-9a-f]{32})\/member\/(U[0-9a-f]{32})$/.exec(path);
        if (method === 'GET' && member) {
          const chat = (member[1] === 'group' ? groups : rooms).get(member[2] as string);
          const name = chat?.members.get(member[3] as string);
          return name === undefined
            ? answer(404, { message: 'Not found' })
            : answer(200, { displayName: name, userId: member[3] });
        }
        if (method === 'POST' && path === '/v2/bot/chat/loading/start') {
          const parsed = z
            .object({
              chatId: z.string().regex(/^U[0-9a-f]{32}$/, 'must be a user id'),
              loadingSeconds: z.number().int().min(5).max(60).multipleOf(5).optional(),
            })
            .strict()
            .safeParse(body);
          if (!parsed.success) return invalid(parsed.error);
          return answer(202, {});
        }

        const via =
          path === '/v2/bot/message/reply'
            ? 'reply'
            : path === '/v2/bot/message/push'
              ? 'push'
              : null;
        if (method !== 'POST' || via === null) return answer(404, { message: 'Not found' });
        const parsed = (via === 'reply' ? replySchema : pushSchema).safeParse(body);
        if (!parsed.success) return invalid(parsed.error);
        const messages = parsed.data.messages;
        let to: string;
        let key: string | null = null;
        if (via === 'reply') {
          const token = tokens.get((parsed.data as z.infer<typeof replySchema>).replyToken);
          if (!token || token.used || now() - token.issuedAt > life)
            return answer(400, { message: 'Invalid reply token' });
          to = token.userId;
        } else {
          to = (parsed.data as z.infer<typeof pushSchema>).to;
          const header = req.headers['x-line-retry-key'];
          if (header !== undefined) {
            if (typeof header !== 'string' || !UUID.test(header))
              return answer(400, {
                message: 'The value of the X-Line-Retry-Key header is invalid',
              });
            key = header.toLowerCase();
            const before = acceptedKeys.get(key);
            if (before)
              return answer(
                409,
                {
                  message: 'The retry key is already accepted',
                  sentMessages: before.ids.map((id) => ({ id, quoteToken: `q-${id}` })),
                },
                { 'x-line-accepted-request-id': before.requestId },
              );
          }
        }
        const failure = failures[0]?.on !== 'content' ? failures.shift() : undefined;
        if (failure)
          return answer(
            failure.status,
            { message: failure.message },
            failure.retryAfterSeconds === undefined
              ? {}
              : { 'retry-after': String(failure.retryAfterSeconds) },
          );
        if (via === 'push' && quota.type === 'limited' && used >= quota.value)
          return answer(429, { message: 'You have reached your monthly limit.' });
        if (via === 'reply') {
          const token = tokens.get((parsed.data as z.infer<typeof replySchema>).replyToken);
          if (token) token.used = true;
        } else used += 1;
        const ids = messages.map(() => nextId());
        const requestId = randomUUID();
        if (key) acceptedKeys.set(key, { requestId, ids });
        sent.push({ via, to, id: ids[0] ?? '', messages });
        if (hangs > 0) {
          hangs -= 1;
          return undefined;
        }
        return answer(
          200,
          { sentMessages: ids.map((id) => ({ id, quoteToken: `q-${id}` })) },
          { 'x-line-request-id': requestId },
        );
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    requests,
    profiles,
    groups,
    rooms,
    sent,
    issueReplyToken: (userId) => {
      const token = `rt${randomUUID().replace(/-/g, '')}`;
      tokens.set(token, { issuedAt: now(), used: false, userId });
      return token;
    },
    serveContent: (messageId, bytes, contentType, transcoding = 'succeeded') =>
      void contents.set(messageId, { bytes, contentType, transcoding }),
    serveFile: (name, bytes, contentType) => {
      files.set(`/files/${name}`, { bytes, contentType });
      return `${url}/files/${name}`;
    },
    failNext: (failure) => void failures.push(failure),
    acceptAndHang: () => {
      hangs += 1;
    },
    setQuota: (next, usedBefore = 0) => {
      quota = next;
      used = usedBefore;
    },
    webhookEndpoint: () => endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
