import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for the Send API of Messenger and Instagram Direct (CHANNEL-API.md §1.4, §2.3):
 * `POST /{version}/{PAGE_ID}/messages` and `POST /{version}/{PAGE_ID}/message_attachments`, over
 * real HTTP on 127.0.0.1.
 *
 * It answers as documented: the Page token as a bearer token (else 401, OAuthException 190); a
 * body `{"recipient":{"id"},"messaging_type","tag"?,"message":{"text"|"attachment",…}}` (else 400,
 * code 100); `MESSAGE_TAG` needs a `tag` (400, code 100); a send returns
 * `{"recipient_id","message_id":"m_…"}`, an upload `{"attachment_id"}`. Tests script the next
 * answers (`failNext`) and read every request (`requests`).
 */

export interface RecordedSendRequest {
  readonly path: string;
  readonly pageId: string | null;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  response: { readonly status: number; readonly body: unknown } | null;
}

export interface MetaFailure {
  readonly status: number;
  readonly code: number;
  readonly subcode?: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

export interface FakeMessengerApi {
  readonly url: string;
  readonly requests: RecordedSendRequest[];
  /** Files its CDN serves at `GET /cdn/<name>` (inbound attachments' `payload.url`). */
  serveFile(name: string, bytes: Buffer, contentType: string): string;
  /** The `message_id`s answered, in order. */
  readonly sentMessageIds: string[];
  /** The next valid send gets this error (queued, one per call). */
  failNext(failure: MetaFailure): void;
  /**
   * The next valid send is accepted (its `message_id` is in `sentMessageIds`) but never
   * answered, as when Meta's answer is lost.
   */
  acceptAndHang(): void;
  close(): Promise<void>;
}

const PATH = /^\/(v\d+\.\d+)\/(\d+)\/(messages|message_attachments)$/;

const attachmentSchema = z.object({
  type: z.enum(['image', 'video', 'audio', 'file', 'template']),
  payload: z.union([
    z.object({ url: z.string().url(), is_reusable: z.boolean().optional() }),
    z.object({ attachment_id: z.string().min(1) }),
    z.object({ is_reusable: z.boolean() }),
  ]),
});
const sendSchema = z
  .object({
    recipient: z.object({ id: z.string().min(1) }),
    messaging_type: z.enum(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']),
    tag: z
      .enum(['HUMAN_AGENT', 'CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'])
      .optional(),
    message: z
      .object({
        text: z.string().min(1).max(2000).optional(),
        attachment: attachmentSchema.optional(),
        // Quick replies (Messenger Platform reference, "Quick replies"; Instagram the same):
        // at most 13; a `text` one needs a title of at most 20 characters and a payload of at
        // most 1,000. Meta answers a wrong one with error 100 (its exact wording is assumed).
        quick_replies: z
          .array(
            z
              .object({
                content_type: z.enum(['text', 'user_phone_number', 'user_email']),
                title: z
                  .string()
                  .refine((t) => [...t].length <= 20, 'param title must be at most 20 characters')
                  .optional(),
                payload: z
                  .string()
                  .max(1000, 'param payload must be at most 1000 characters')
                  .optional(),
                image_url: z.string().url().optional(),
              })
              .strict()
              .refine(
                (q) => q.content_type !== 'text' || (!!q.title && q.payload !== undefined),
                'Quick replies of content_type text need a title and a payload',
              ),
          )
          .min(1, 'param message[quick_replies] must be a non-empty array')
          .max(13, 'param message[quick_replies] must have at most 13 elements')
          .optional(),
        metadata: z.string().max(1000).optional(),
      })
      .strict()
      .refine((m) => (m.text === undefined) !== (m.attachment === undefined), {
        message: 'Must send either text or attachment',
      }),
  })
  .strict()
  .refine((b) => (b.messaging_type === 'MESSAGE_TAG') === (b.tag !== undefined), {
    message: 'A tag goes with messaging_type MESSAGE_TAG, and only there',
  });

export async function startFakeMessengerApi(options: {
  readonly pageAccessToken: string;
  readonly pageIds: readonly string[];
}): Promise<FakeMessengerApi> {
  const requests: RecordedSendRequest[] = [];
  const sentMessageIds: string[] = [];
  const failures: MetaFailure[] = [];
  let hangs = 0;
  const files = new Map<string, { bytes: Buffer; contentType: string }>();
  let counter = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const match = PATH.exec(req.url ?? '');
      const record: RecordedSendRequest = {
        path: req.url ?? '',
        pageId: match?.[2] ?? null,
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
      const error = (status: number, code: number, message: string, subcode?: number) =>
        answer(status, {
          error: {
            message,
            type: 'OAuthException',
            code,
            ...(subcode ? { error_subcode: subcode } : {}),
            fbtrace_id: 'AbCdEfGh123',
          },
        });

      const file = req.method === 'GET' ? files.get(req.url ?? '') : undefined;
      if (file) {
        record.response = { status: 200, body: null };
        res.writeHead(200, {
          'content-type': file.contentType,
          'content-length': file.bytes.length,
        });
        return res.end(file.bytes);
      }
      if (req.url?.startsWith('/cdn/')) {
        record.response = { status: 403, body: null };
        res.writeHead(403, { 'content-type': 'text/plain' });
        return res.end('URL signature expired');
      }
      if (req.method !== 'POST' || !match) return error(404, 803, 'Unknown path components');
      if (req.headers.authorization !== `Bearer ${options.pageAccessToken}`) {
        return error(401, 190, 'Error validating access token: The session is invalid.');
      }
      if (!options.pageIds.includes(match[2] ?? '')) {
        return error(400, 100, '(#100) Unsupported post request.', 33);
      }
      if (match[3] === 'message_attachments') {
        const type = req.headers['content-type'] ?? '';
        if (!type.startsWith('multipart/form-data') || !raw.includes('name="filedata"')) {
          return error(400, 100, '(#100) Upload attachment failure: filedata is required');
        }
        counter += 1;
        return answer(200, { attachment_id: `${1857777774821032 + counter}` });
      }
      const parsed = sendSchema.safeParse(body);
      if (!parsed.success) {
        return error(400, 100, `(#100) ${parsed.error.issues[0]?.message ?? 'Invalid parameter'}`);
      }
      const failure = failures.shift();
      if (failure) {
        return answer(
          failure.status,
          {
            error: {
              message: failure.message,
              type: 'OAuthException',
              code: failure.code,
              ...(failure.subcode ? { error_subcode: failure.subcode } : {}),
              fbtrace_id: 'AbCdEfGh123',
            },
          },
          failure.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(failure.retryAfterSeconds) },
        );
      }
      counter += 1;
      const messageId = `m_fake${String(counter).padStart(4, '0')}`;
      sentMessageIds.push(messageId);
      if (hangs > 0) {
        hangs -= 1;
        return undefined;
      }
      return answer(200, { recipient_id: parsed.data.recipient.id, message_id: messageId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sentMessageIds,
    failNext: (failure) => void failures.push(failure),
    serveFile: (name, bytes, contentType) => {
      files.set(`/cdn/${name}`, { bytes, contentType });
      return `http://127.0.0.1:${port}/cdn/${name}`;
    },
    acceptAndHang: () => {
      hangs += 1;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
