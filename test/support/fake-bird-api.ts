import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A local stand-in for Bird's Channels API (CHANNEL-API.md §9.2) over real HTTP on 127.0.0.1:
 * `POST /workspaces/{workspaceId}/channels/{channelId}/messages` with `Authorization: AccessKey
 * <key>` (401 `{code, message}` otherwise; another workspace or channel is 404). A body of the
 * documented text shape answers 202 with the message object (`id` the first
 * 3fa85f64-5717-4562-b3fc-000000000001, status `accepted`, the `reference` given); another is
 * 422. `GET /workspaces/{workspaceId}/channels/{channelId}` answers the channel object (`id`,
 * `name`, `platformId: "sms"`, `identifier` the number, `status: "active"`: the connection test's
 * read). Tests script the next answers (`failNext`) and read every request.
 */

export interface RecordedBirdRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  response: { readonly status: number; readonly text: string } | null;
}

export type BirdFailure =
  | {
      readonly status: number;
      readonly code?: string;
      readonly message?: string;
      readonly retryAfter?: string;
    }
  | { readonly hang: true };

export interface FakeBirdApi {
  readonly url: string;
  readonly requests: RecordedBirdRequest[];
  /** The ids of the messages accepted, in order. */
  readonly sent: string[];
  failNext(failure: BirdFailure): void;
  close(): Promise<void>;
}

const sendSchema = z
  .object({
    receiver: z
      .object({
        contacts: z
          .array(
            z
              .object({
                identifierKey: z.literal('phonenumber'),
                identifierValue: z.string().regex(/^\+[1-9]\d{6,14}$/),
              })
              .strict(),
          )
          .length(1),
      })
      .strict(),
    body: z
      .object({ type: z.literal('text'), text: z.object({ text: z.string().min(1) }).strict() })
      .strict(),
    reference: z.string().max(200).optional(),
  })
  .strict();

export async function startFakeBirdApi(options: {
  readonly accessKey: string;
  readonly workspaceId: string;
  readonly channelId: string;
  /** The channel's name and number, as Bird's channel object gives them. */
  readonly channelName?: string;
  readonly number?: string;
}): Promise<FakeBirdApi> {
  const requests: RecordedBirdRequest[] = [];
  const sent: string[] = [];
  const failures: BirdFailure[] = [];
  let next = 1;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const record: RecordedBirdRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        response: null,
      };
      requests.push(record);
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        const text = JSON.stringify(json);
        record.response = { status, text };
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(text);
      };
      const channel = /^\/workspaces\/([^/]+)\/channels\/([^/]+)$/.exec(record.path);
      if (req.method === 'GET' && channel) {
        if (req.headers.authorization !== `AccessKey ${options.accessKey}`)
          return answer(401, { code: 'Unauthorized', message: 'Invalid access key' });
        if (channel[1] !== options.workspaceId || channel[2] !== options.channelId)
          return answer(404, { code: 'NotFound', message: 'Channel not found' });
        return answer(200, {
          id: options.channelId,
          platformId: 'sms',
          name: options.channelName ?? 'SMS',
          connectorId: '0c8b2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f',
          identifier: options.number ?? '+447700900001',
          status: 'active',
          createdAt: '2026-11-02T09:00:00.000Z',
          updatedAt: '2026-11-02T09:00:00.000Z',
        });
      }
      const route = /^\/workspaces\/([^/]+)\/channels\/([^/]+)\/messages$/.exec(record.path);
      if (req.method !== 'POST' || !route)
        return answer(404, { code: 'NotFound', message: 'Not found' });
      if (req.headers.authorization !== `AccessKey ${options.accessKey}`)
        return answer(401, { code: 'Unauthorized', message: 'Invalid access key' });
      if (route[1] !== options.workspaceId || route[2] !== options.channelId)
        return answer(404, { code: 'NotFound', message: 'Channel not found' });
      const parsed = sendSchema.safeParse(body);
      if (!parsed.success)
        return answer(422, { code: 'InvalidPayload', message: 'Invalid request body' });
      const failure = failures.shift();
      if (failure && 'status' in failure)
        return answer(
          failure.status,
          { code: failure.code ?? 'Error', message: failure.message ?? '' },
          failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter },
        );
      const id = `3fa85f64-5717-4562-b3fc-${String(next++).padStart(12, '0')}`;
      sent.push(id);
      if (failure) return undefined;
      const now = new Date().toISOString();
      return answer(202, {
        id,
        channelId: options.channelId,
        sender: { connector: { id: '0c8b2d4e-1f3a-4b5c-8d9e-0a1b2c3d4e5f' } },
        receiver: parsed.data.receiver,
        body: parsed.data.body,
        ...(parsed.data.reference === undefined ? {} : { reference: parsed.data.reference }),
        status: 'accepted',
        direction: 'outgoing',
        createdAt: now,
        updatedAt: now,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    failNext: (failure) => void failures.push(failure),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
