import { createHash, randomBytes } from 'node:crypto';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for Meta's Graph API send endpoint, `POST /{version}/{phoneNumberId}/messages`,
 * served over real HTTP on 127.0.0.1 so the connector's fetch, headers, timeouts and error
 * handling are exercised end to end. It also serves WhatsApp's media endpoints (CHANNEL-API.md
 * §3.3): `GET /{version}/{media-id}` → `{messaging_product, url, mime_type, sha256 (hex),
 * file_size (a string), id}` (an unknown or expired id: 400, code 100, subcode 33, as Graph
 * answers for an object that does not exist), the file at that `url` (bearer token required,
 * like every path here), and `POST /{version}/{phoneNumberId}/media` (multipart
 * `messaging_product=whatsapp`, `type`, `file`) → `{"id"}`. Sends of `image`, `video`, `audio`,
 * `document` must name an uploaded id (400 error 100 otherwise). Media requests have their own
 * script (`failNextMedia`, `dropNextMedia`) so a test can fail a download or an upload without
 * touching the sends.
 *
 * It answers like the documented API: a bearer token is required (401 OAuthException 190
 * otherwise), the JSON body must have the documented shape (400 error 100 otherwise), and a valid
 * send returns `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid…"}]}`.
 * Tests can script the next answers (`failNext`, `delayNext`, `respondNext`) and inspect every
 * request received in `requests`.
 *
 * @example
 *   const graph = await startFakeGraphApi({ accessToken: 'test-access-token' });
 *   graph.failNext({ status: 400, code: 131047, message: 'Re-engagement message' });
 *   // … point the sender at graph.url, send, then:
 *   expect(graph.requests[0].body).toEqual({ messaging_product: 'whatsapp', … });
 *   await graph.close();
 */

export interface RecordedGraphRequest {
  readonly method: string;
  /** Path and query as received, e.g. `/v23.0/106540352242922/messages`. */
  readonly path: string;
  /** From the path, when it matched `/{version}/{phoneNumberId}/messages`. */
  readonly version: string | null;
  readonly phoneNumberId: string | null;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The parsed JSON body, or `undefined` when it was not JSON. */
  readonly body: unknown;
  /** What the fake answered (set once the answer has been written). */
  response: { readonly status: number; readonly body: unknown } | null;
}

/** A Graph-style error answer for the next request. */
export interface ScriptedFailure {
  readonly status: number;
  /** Graph error code; defaults by status (400 → 100, 401 → 190, 429 → 130429, 5xx → 1). */
  readonly code?: number;
  readonly message?: string;
  /** Sent as `error.error_data.details`. */
  readonly details?: string;
  readonly type?: string;
  readonly subcode?: number;
  /** Sets a `Retry-After` header (seconds). */
  readonly retryAfterSeconds?: number;
  /** Waits this long before answering. */
  readonly delayMs?: number;
}

/** Any answer for the next request: a JSON value, or a string sent as-is (e.g. broken JSON). */
export interface ScriptedResponse {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

export interface FakeGraphApiOptions {
  readonly accessToken: string;
  /** When given, sends from any other phone number id fail like Graph does (error 100/33). */
  readonly phoneNumberIds?: readonly string[];
}

export interface FakeGraphApi {
  /** Base URL to use as `graphUrl`, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  /** Every request received, in order, including refused ones. */
  readonly requests: RecordedGraphRequest[];
  /** The next valid request gets this Graph-style error (queued; one per call). */
  failNext(failure: ScriptedFailure): void;
  /** The next valid request succeeds normally, but only after `ms`. */
  delayNext(ms: number): void;
  /** The next valid request gets exactly this answer. */
  respondNext(response: ScriptedResponse): void;
  /**
   * The next valid request is accepted (the message "goes out": its wamid is in `sentMessageIds`
   * and `accepted`) but never answered, as when Meta's answer is lost.
   */
  acceptAndHang(): void;
  /** Sends accepted so far: our message id (`biz_opaque_callback_data`) and the wamid. */
  readonly accepted: { readonly ourId: string | null; readonly wamid: string }[];
  /** Message ids returned so far by successful sends, in order. */
  readonly sentMessageIds: string[];
  /** A file a customer "sent": Graph holds it under the returned media id (7 days, in Meta). */
  addMedia(file: {
    readonly bytes: Buffer;
    readonly mimeType: string;
    readonly id?: string;
  }): string;
  /** Graph forgets the id (a webhook media id older than 7 days). */
  expireMedia(id: string): void;
  /** The next media request (lookup, file or upload) gets this Graph-style error. */
  failNextMedia(failure: ScriptedFailure): void;
  /** The next media request's connection is dropped without an answer. */
  dropNextMedia(): void;
  /** Files received on `POST /{phoneNumberId}/media`, in order. */
  readonly uploads: FakeUpload[];
  close(): Promise<void>;
}

export interface FakeUpload {
  readonly id: string;
  readonly phoneNumberId: string;
  readonly type: string;
  readonly filename: string;
  readonly bytes: Buffer;
}

const DEFAULT_FAILURES: Readonly<Record<number, { code: number; message: string; type: string }>> =
  {
    400: { code: 100, message: '(#100) Invalid parameter', type: 'OAuthException' },
    401: {
      code: 190,
      message: 'Error validating access token: The session is invalid.',
      type: 'OAuthException',
    },
    429: { code: 130429, message: '(#130429) Rate limit hit', type: 'OAuthException' },
  };

const PATH = /^\/(v\d+\.\d+)\/([^/?]+)\/messages$/;

/** A reply to one of the customer's messages (`context.message_id`: its wamid). */
const contextSchema = z
  .object({ message_id: z.string().min(1) })
  .strict()
  .optional();

/** A media send: `{type, <type>: {id, …}}`, nothing else in the media object. */
function mediaSend<T extends 'image' | 'video' | 'document', S extends z.ZodObject>(
  type: T,
  media: S,
) {
  return z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    context: contextSchema,
    type: z.literal(type),
    [type]: media.strict(),
  } as {
    messaging_product: z.ZodLiteral<'whatsapp'>;
    recipient_type: z.ZodOptional<z.ZodEnum<{ individual: 'individual'; group: 'group' }>>;
    to: z.ZodString;
    context: typeof contextSchema;
    type: z.ZodLiteral<T>;
  } & Record<T, S>);
}

/** The documented Cloud API send body, for the types Replydesk sends (others: shape only). */
const textParameterSchema = z.object({ type: z.literal('text'), text: z.string().min(1) });
const payloadParameterSchema = z.object({
  type: z.literal('payload'),
  payload: z.string().min(1).max(1000),
});
/** Interactive reply buttons (1–3, titles ≤ 20) or a list (rows ≤ 10, titles ≤ 24). */
const interactiveSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('button'),
    body: z.object({ text: z.string().min(1).max(1024) }),
    action: z.object({
      buttons: z
        .array(
          z.object({
            type: z.literal('reply'),
            reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
          }),
        )
        .min(1)
        .max(3),
    }),
  }),
  z.object({
    type: z.literal('list'),
    body: z.object({ text: z.string().min(1).max(4096) }),
    action: z.object({
      button: z.string().min(1).max(20),
      sections: z
        .array(
          z.object({
            title: z.string().max(24).optional(),
            rows: z
              .array(z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24) }))
              .min(1),
          }),
        )
        .min(1)
        .max(10),
    }),
  }),
]);
const sendBodySchema = z.discriminatedUnion('type', [
  z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    context: contextSchema,
    type: z.literal('interactive'),
    interactive: interactiveSchema,
  }),
  z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    context: contextSchema,
    type: z.literal('text'),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }),
  }),
  z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    context: contextSchema,
    type: z.literal('template'),
    template: z.object({
      name: z.string().min(1).max(512),
      language: z.object({ code: z.string().min(2) }),
      components: z
        .array(
          z.object({
            type: z.enum(['header', 'body', 'button', 'footer']),
            // A quick-reply button's parameter is its payload (sub_type quick_reply).
            parameters: z.array(z.union([textParameterSchema, payloadParameterSchema])).min(1),
            sub_type: z.string().optional(),
            index: z.union([z.string(), z.number()]).optional(),
          }),
        )
        .min(1)
        .optional(),
    }),
  }),
  z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    type: z.literal('reaction'),
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string() }),
  }),
  mediaSend('image', z.object({ id: z.string().min(1), caption: z.string().max(1024).optional() })),
  mediaSend('video', z.object({ id: z.string().min(1), caption: z.string().max(1024).optional() })),
  mediaSend(
    'document',
    z.object({
      id: z.string().min(1),
      caption: z.string().max(1024).optional(),
      filename: z.string().optional(),
    }),
  ),
  z.object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.enum(['individual', 'group']).optional(),
    to: z.string().min(1),
    context: contextSchema,
    type: z.literal('audio'),
    audio: z.object({ id: z.string().min(1) }).strict(),
  }),
]);

const MEDIA_PATH = /^\/(v\d+\.\d+)\/([^/?]+)(\?.*)?$/;
const UPLOAD_PATH = /^\/(v\d+\.\d+)\/([^/?]+)\/media$/;
const FILE_PATH = /^\/cdn\/([^/?]+)$/;

/** The id a send names, for the media types. */
function sentMediaId(body: unknown): string | null {
  const record = body as Record<string, { id?: unknown } | undefined>;
  const type = (body as { type?: unknown }).type;
  if (typeof type !== 'string' || !['image', 'video', 'audio', 'document'].includes(type))
    return null;
  const id = record[type]?.id;
  return typeof id === 'string' ? id : null;
}

function graphError(
  status: number,
  init: { code?: number; message?: string; type?: string; subcode?: number; details?: string },
): unknown {
  const fallback = DEFAULT_FAILURES[status] ?? {
    code: 1,
    message: 'An unknown error has occurred.',
    type: 'OAuthException',
  };
  const code = init.code ?? fallback.code;
  return {
    error: {
      message: init.message ?? fallback.message,
      type: init.type ?? fallback.type,
      code,
      ...(init.subcode !== undefined ? { error_subcode: init.subcode } : {}),
      ...(init.details !== undefined
        ? { error_data: { messaging_product: 'whatsapp', details: init.details } }
        : {}),
      fbtrace_id: `A${randomBytes(8).toString('base64url')}`,
    },
  };
}

/** Looks like a real wamid: `wamid.` + base64 of an opaque binary id. */
function newWamid(to: string): string {
  const opaque = Buffer.concat([
    Buffer.from([0x1c, 0x18, to.length & 0xff]),
    Buffer.from(to),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(randomBytes(9).toString('hex').toUpperCase()),
    Buffer.from([0x00]),
  ]);
  return `wamid.${opaque.toString('base64')}`;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startFakeGraphApi(options: FakeGraphApiOptions): Promise<FakeGraphApi> {
  const requests: RecordedGraphRequest[] = [];
  const sentMessageIds: string[] = [];
  const script: (ScriptedResponse | 'hang')[] = [];
  const accepted: { ourId: string | null; wamid: string }[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const media = new Map<string, { bytes: Buffer; mimeType: string }>();
  const uploads: FakeUpload[] = [];
  const mediaScript: (ScriptedFailure | 'drop')[] = [];
  let baseUrl = '';
  let mediaCounter = 0;
  const newMediaId = (): string => String(1_479_537_139_650_000 + (mediaCounter += 1));

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const answer = (
    res: ServerResponse,
    record: RecordedGraphRequest,
    status: number,
    body: unknown,
    headers: Readonly<Record<string, string>> = {},
  ): void => {
    record.response = { status, body };
    // The client may have given up already (timeout tests): nothing left to answer.
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const rawBytes = await readBody(req);
    const rawBody = rawBytes.toString('utf8');
    const path = req.url ?? '/';
    const match = PATH.exec(path);
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      body = undefined;
    }
    const record: RecordedGraphRequest = {
      method: req.method ?? 'GET',
      path,
      version: match?.[1] ?? null,
      phoneNumberId: match?.[2] !== undefined ? decodeURIComponent(match[2]) : null,
      headers: req.headers,
      rawBody,
      body,
      response: null,
    };
    requests.push(record);

    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      const message = req.headers.authorization
        ? 'Invalid OAuth access token - Cannot parse access token'
        : 'An active access token must be used to query information about the current user.';
      answer(res, record, 401, graphError(401, { code: 190, message }), {
        'WWW-Authenticate': 'OAuth "Facebook Platform" "invalid_token"',
      });
      return;
    }
    if (await handleMedia(req, res, record, rawBytes)) return;
    if (req.method !== 'POST' || !match) {
      answer(res, record, 400, graphError(400, { message: `Unknown path components: ${path}` }));
      return;
    }
    if (options.phoneNumberIds && !options.phoneNumberIds.includes(record.phoneNumberId ?? '')) {
      answer(
        res,
        record,
        400,
        graphError(400, {
          subcode: 33,
          message: `Unsupported post request. Object with ID '${record.phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        }),
      );
      return;
    }
    const contentType = req.headers['content-type'] ?? '';
    const parsed = sendBodySchema.safeParse(body);
    if (!contentType.startsWith('application/json') || !parsed.success) {
      const details = parsed.success
        ? 'Content-Type must be application/json'
        : parsed.error.issues
            .map((issue) => `${issue.path.map(String).join('.') || 'body'}: ${issue.message}`)
            .join('; ');
      answer(res, record, 400, graphError(400, { details }));
      return;
    }

    const mediaId = sentMediaId(body);
    if (mediaId !== null && !uploads.some((u) => u.id === mediaId)) {
      answer(
        res,
        record,
        400,
        graphError(400, { details: `Media id ${mediaId} was not uploaded to this number.` }),
      );
      return;
    }

    const next = script.shift();
    const ourId =
      typeof (body as { biz_opaque_callback_data?: unknown }).biz_opaque_callback_data === 'string'
        ? (body as { biz_opaque_callback_data: string }).biz_opaque_callback_data
        : null;
    if (next === 'hang') {
      const wamid = newWamid(parsed.data.to);
      sentMessageIds.push(wamid);
      accepted.push({ ourId, wamid });
      return; // never answered; closed with the server
    }
    if (next) {
      if (next.delayMs) await sleep(next.delayMs);
      if (next.status !== undefined && (next.status < 200 || next.status >= 300)) {
        answer(res, record, next.status, next.body, next.headers);
        return;
      }
      if (next.body !== undefined) {
        answer(res, record, next.status ?? 200, next.body, next.headers);
        return;
      }
    }

    const to = parsed.data.to;
    const id = newWamid(to);
    sentMessageIds.push(id);
    accepted.push({ ourId, wamid: id });
    answer(res, record, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to }],
      messages: [{ id }],
    });
  };

  /** The media endpoints; false when the request is not one of them. */
  const handleMedia = async (
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedGraphRequest,
    raw: Buffer,
  ): Promise<boolean> => {
    const path = record.path;
    const upload = req.method === 'POST' ? UPLOAD_PATH.exec(path) : null;
    const file = req.method === 'GET' ? FILE_PATH.exec(path) : null;
    const lookup = req.method === 'GET' && !file ? MEDIA_PATH.exec(path) : null;
    if (!upload && !file && !lookup) return false;
    const scripted = mediaScript.shift();
    if (scripted === 'drop') {
      record.response = { status: 0, body: 'dropped' };
      res.destroy();
      return true;
    }
    if (scripted) {
      if (scripted.delayMs) await sleep(scripted.delayMs);
      answer(res, record, scripted.status, graphError(scripted.status, scripted));
      return true;
    }
    const missing = (id: string): void =>
      answer(
        res,
        record,
        400,
        graphError(400, {
          subcode: 33,
          message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        }),
      );
    if (lookup) {
      const id = decodeURIComponent(lookup[2] ?? '');
      const found = media.get(id);
      if (!found) {
        missing(id);
        return true;
      }
      answer(res, record, 200, {
        messaging_product: 'whatsapp',
        url: `${baseUrl}/cdn/${encodeURIComponent(id)}`,
        mime_type: found.mimeType,
        sha256: createHash('sha256').update(found.bytes).digest('hex'),
        file_size: String(found.bytes.length),
        id,
      });
      return true;
    }
    if (file) {
      const found = media.get(decodeURIComponent(file[1] ?? ''));
      if (!found) {
        answer(res, record, 404, 'Not Found');
        return true;
      }
      record.response = { status: 200, body: `<${found.bytes.length} bytes>` };
      res.writeHead(200, {
        'Content-Type': found.mimeType,
        'Content-Length': found.bytes.length,
      });
      res.end(found.bytes);
      return true;
    }
    // POST /{phoneNumberId}/media, multipart/form-data.
    const phoneNumberId = decodeURIComponent(upload?.[2] ?? '');
    const contentType = req.headers['content-type'] ?? '';
    let form: FormData | null = null;
    if (contentType.startsWith('multipart/form-data')) {
      form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } })
        .formData()
        .catch(() => null);
    }
    const part = form?.get('file');
    const type = form?.get('type');
    if (
      !form ||
      form.get('messaging_product') !== 'whatsapp' ||
      typeof type !== 'string' ||
      !(part instanceof Blob)
    ) {
      answer(
        res,
        record,
        400,
        graphError(400, {
          details: 'A multipart body with messaging_product=whatsapp, type and file is required.',
        }),
      );
      return true;
    }
    const bytes = Buffer.from(await part.arrayBuffer());
    const id = newMediaId();
    media.set(id, { bytes, mimeType: type });
    uploads.push({
      id,
      phoneNumberId,
      type,
      filename: part instanceof File ? part.name : '',
      bytes,
    });
    answer(res, record, 200, { id });
    return true;
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sentMessageIds,
    failNext(failure) {
      script.push({
        status: failure.status,
        delayMs: failure.delayMs,
        headers:
          failure.retryAfterSeconds !== undefined
            ? { 'Retry-After': String(failure.retryAfterSeconds) }
            : {},
        body: graphError(failure.status, failure),
      });
    },
    delayNext(ms) {
      // No body: answered by the normal success path once the delay is over.
      script.push({ delayMs: ms, body: undefined });
    },
    respondNext(response) {
      script.push(response);
    },
    acceptAndHang() {
      script.push('hang');
    },
    accepted,
    uploads,
    addMedia(file) {
      const id = file.id ?? newMediaId();
      media.set(id, { bytes: file.bytes, mimeType: file.mimeType });
      return id;
    },
    expireMedia(id) {
      media.delete(id);
    },
    failNextMedia(failure) {
      mediaScript.push(failure);
    },
    dropNextMedia() {
      mediaScript.push('drop');
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
