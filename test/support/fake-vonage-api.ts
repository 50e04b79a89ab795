import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { z } from 'zod';

/**
 * A local stand-in for Vonage's Messages API (CHANNEL-API.md §9.1) over real HTTP on 127.0.0.1:
 * `POST /v1/messages`, inbound MMS files at `GET /v3/media/<id>` (secured: the same JWT), and the
 * Media API's list `GET /v3/media?page_size=…` (the connection test's read: `{page_size,
 * page_index, _links: {self: {href}}, count, _embedded: {media}}`, the href naming `account_id`).
 * Like Vonage it takes only an application JWT signed RS256 with the
 * application's private key: it verifies the token with the public key (algorithm pinned), and
 * checks `application_id`, `iat`, `jti` and `exp`; anything else is 401 with an RFC 7807 body.
 * A body not of the documented SMS shape is 422. A valid send answers 202 `{message_uuid}` (the
 * first is aaaaaaaa-bbbb-4ccc-8ddd-000000000001). Tests script the next answers (`failNext`) and
 * read every request (`requests`, with the verified JWT claims).
 */

export interface RecordedVonageRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The application JWT's claims, when it verified. */
  claims: Record<string, unknown> | null;
  response: { readonly status: number; readonly text: string } | null;
}

export type VonageFailure =
  | {
      readonly status: number;
      readonly title?: string;
      readonly detail?: string;
      readonly retryAfter?: string;
    }
  /** Accepted (its uuid is in `sent`) but never answered, as when the answer is lost. */
  | { readonly hang: true };

export interface FakeVonageApi {
  readonly url: string;
  readonly requests: RecordedVonageRequest[];
  /** The uuids of the messages accepted, in order. */
  readonly sent: string[];
  failNext(failure: VonageFailure): void;
  /** Serves `bytes` at `GET /v3/media/<id>` to a valid application JWT; its URL. */
  serveMedia(id: string, bytes: Buffer, contentType: string): string;
  close(): Promise<void>;
}

const digits = z.string().regex(/^[1-9]\d{6,14}$/);
const sendSchema = z
  .object({
    message_type: z.literal('text'),
    text: z.string().min(1).max(1000),
    to: digits,
    from: z.union([digits, z.string().regex(/^[A-Za-z0-9 ]{1,11}$/)]),
    channel: z.literal('sms'),
    client_ref: z.string().max(100).optional(),
    webhook_url: z.string().url().optional(),
  })
  .strict();

export async function startFakeVonageApi(options: {
  readonly applicationId: string;
  readonly publicKey: KeyObject;
  /** The account the application belongs to (its API key), named in the media list. */
  readonly accountId?: string;
}): Promise<FakeVonageApi> {
  const requests: RecordedVonageRequest[] = [];
  const sent: string[] = [];
  const failures: VonageFailure[] = [];
  const media = new Map<string, { bytes: Buffer; contentType: string }>();
  let next = 1;

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
        const record: RecordedVonageRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body,
          claims: null,
          response: null,
        };
        requests.push(record);
        const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
          const text = JSON.stringify(json);
          record.response = { status, text };
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(text);
        };
        const problem = (status: number, title: string, detail: string) =>
          answer(status, {
            type: `https://developer.vonage.com/api-errors#${status === 401 ? 'unauthorized' : 'invalid-params'}`,
            title,
            detail,
            instance: 'bf0ca0bf927b3b52e3cb03217e1a1ddf',
          });

        const mediaId = /^\/v3\/media\/([\w-]+)$/.exec(record.path)?.[1];
        const isMedia = req.method === 'GET' && mediaId !== undefined;
        const listed = new URL(record.path, 'http://fake.invalid');
        const isList = req.method === 'GET' && listed.pathname === '/v3/media';
        if (!isMedia && !isList && (req.method !== 'POST' || record.path !== '/v1/messages'))
          return problem(404, 'Not found', 'No such endpoint.');
        const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (!token) return problem(401, 'Unauthorized', 'Missing Authorization Bearer JWT.');
        try {
          const { payload } = await jwtVerify(token, options.publicKey, { algorithms: ['RS256'] });
          if (
            payload['application_id'] !== options.applicationId ||
            typeof payload.iat !== 'number' ||
            typeof payload.exp !== 'number' ||
            typeof payload.jti !== 'string'
          )
            return problem(401, 'Unauthorized', 'Invalid Token: wrong claims.');
          record.claims = payload as Record<string, unknown>;
        } catch {
          return problem(401, 'Unauthorized', 'Invalid Token.');
        }
        if (isList) {
          const failure = failures.shift();
          if (failure && 'status' in failure)
            return problem(failure.status, failure.title ?? 'Error', failure.detail ?? '');
          const pageSize = Number(listed.searchParams.get('page_size') ?? '20');
          const account = options.accountId ?? 'abcd1234';
          return answer(200, {
            page_size: pageSize,
            page_index: 0,
            _links: {
              self: {
                href: `/v3/media?page_size=${pageSize}&account_id=${account}&order=descending`,
              },
            },
            count: media.size,
            _embedded: {
              media: [...media.keys()].slice(0, pageSize).map((id) => ({
                id,
                account_id: account,
                mime_type: media.get(id)?.contentType,
              })),
            },
          });
        }
        if (isMedia) {
          const file = media.get(mediaId);
          if (!file) return problem(404, 'Not found', 'No such media.');
          record.response = { status: 200, text: '' };
          res.writeHead(200, {
            'content-type': file.contentType,
            'content-length': file.bytes.length,
          });
          return res.end(file.bytes);
        }
        const parsed = sendSchema.safeParse(body);
        if (!parsed.success)
          return problem(422, 'Invalid params', 'The value of one or more parameters is invalid.');
        const failure = failures.shift();
        if (failure && 'status' in failure) {
          return answer(
            failure.status,
            {
              type: `https://developer.vonage.com/api-errors#${failure.status}`,
              title: failure.title ?? 'Error',
              detail: failure.detail ?? '',
              instance: 'bf0ca0bf927b3b52e3cb03217e1a1ddf',
            },
            failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter },
          );
        }
        const uuid = `aaaaaaaa-bbbb-4ccc-8ddd-${String(next++).padStart(12, '0')}`;
        sent.push(uuid);
        if (failure) return undefined; // a hang: accepted, never answered
        return answer(202, { message_uuid: uuid });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    failNext: (failure) => void failures.push(failure),
    serveMedia: (id, bytes, contentType) => {
      media.set(id, { bytes, contentType });
      return `http://127.0.0.1:${port}/v3/media/${id}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
