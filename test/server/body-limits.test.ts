import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_BODY_LIMIT } from '../../src/server/http/webhooks';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { ADMIN, login, startTestHub, WHATSAPP } from '../support/hub';
import {
  messagesWebhook,
  postSignedWebhook,
  signedWebhook,
  textMessage,
  type SignedWebhook,
} from '../support/whatsapp-webhooks';

/**
 * Issue #18: every request body is bounded while it streams (`http/body.ts`). Too large by its
 * Content-Length → 413 before a byte of it is read; too large as it arrives (chunked) → 413 as
 * soon as the count passes the limit, while the client is still sending; too slow → 408. Each
 * answer is JSON, the rest of the body is dropped and the connection cut (after `LINGER`), and
 * nothing of a refused body is stored. The requests go over raw sockets, so the test decides
 * exactly what was sent before the answer came.
 */
const KiB = 1024;
const MiB = 1024 * KiB;
const BODY_MS = 2_000;
const HEADERS_MS = 1_000;

let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    graphUrl: graph.url,
    httpTimeouts: { bodyMs: BODY_MS, headersMs: HEADERS_MS },
  });
  token = await login(hub.url);
});
afterAll(async () => {
  await hub.close();
  await graph.close();
});

interface RawResponse {
  /** Interim answers before it (`100 Continue`), by status. */
  readonly interim: readonly number[];
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** A raw HTTP/1.1 connection to the hub: the first final response parsed, and when it closes. */
function open(): {
  socket: Socket;
  write: (data: string | Buffer) => Promise<void>;
  response: Promise<RawResponse>;
  closed: Promise<void>;
} {
  const socket = connect(hub.port, '127.0.0.1');
  // Writes after the hub cut the connection fail (EPIPE, ECONNRESET): that is the point.
  socket.on('error', () => undefined);
  let received = Buffer.alloc(0);
  const interim: number[] = [];
  const response = new Promise<RawResponse>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      for (;;) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine = '', ...lines] = received
          .subarray(0, end)
          .toString('latin1')
          .split('\r\n');
        const status = Number(statusLine.split(' ')[1]);
        if (status < 200) {
          interim.push(status);
          received = received.subarray(end + 4);
          continue;
        }
        const headers = Object.fromEntries(
          lines.map((line) => {
            const colon = line.indexOf(':');
            return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
          }),
        );
        const length = Number(headers['content-length']);
        const body = received.subarray(end + 4);
        if (body.length < length) return;
        resolve({
          interim,
          status,
          headers,
          body: JSON.parse(body.subarray(0, length).toString('utf8')) as unknown,
        });
        return;
      }
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const write = (data: string | Buffer): Promise<void> =>
    new Promise((resolve) => socket.write(data, () => resolve()));
  return { socket, write, response, closed };
}

const head = (lines: readonly string[]): string =>
  [...lines, `Host: 127.0.0.1:${hub.port}`, '', ''].join('\r\n');
/** The request line and headers of a signed webhook delivery, with its framing header. */
const webhookHead = (signed: SignedWebhook, framing: string): string =>
  head([
    'POST /webhooks/whatsapp HTTP/1.1',
    'Content-Type: application/json',
    `X-Hub-Signature-256: ${signed.headers['x-hub-signature-256']}`,
    framing,
  ]);
const chunk = (bytes: Buffer): Buffer =>
  Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n')]);

/** A real, signed delivery of one text message of `size` characters: stored if it were read. */
function delivery(size: number) {
  const message = textMessage('x'.repeat(size));
  return signedWebhook(messagesWebhook(message), WHATSAPP.appSecret);
}

const count = async (table: string): Promise<number> =>
  Number((await hub.db.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n);

const tooLarge = (limit: number) => ({
  error: 'payload_too_large',
  message: `The body is larger than ${limit} bytes.`,
  details: { limit },
});

describe('bodies over their limit', () => {
  it('answers a 2 MB chunked webhook 413 at the 1 MB limit, while the client is still sending, and cuts the connection', async () => {
    const refused = delivery(2 * MiB);
    const bytes = Buffer.from(refused.body, 'utf8');
    expect(bytes.length).toBeGreaterThan(2 * MiB);
    const raw = open();
    await raw.write(webhookHead(refused, 'Transfer-Encoding: chunked'));
    // Just past the limit, then nothing more: a hub that waited for the whole body (or its end)
    // would never answer.
    const piece = 64 * KiB;
    let sent = 0;
    while (sent <= WEBHOOK_BODY_LIMIT) {
      await raw.write(chunk(bytes.subarray(sent, sent + piece)));
      sent += piece;
    }
    const response = await raw.response;
    expect(sent).toBe(WEBHOOK_BODY_LIMIT + piece);
    expect(bytes.length - sent).toBeGreaterThan(900 * KiB);
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toEqual(tooLarge(WEBHOOK_BODY_LIMIT));
    // The rest is never asked for: the hub closes the connection on its own.
    await raw.closed;
    expect(raw.socket.bytesWritten).toBeLessThan(bytes.length);
  });

  it('refuses a webhook whose Content-Length is over the limit before a byte of its body is sent', async () => {
    const refused = delivery(2 * MiB);
    const length = Buffer.byteLength(refused.body);
    const request = webhookHead(refused, `Content-Length: ${length}`);
    const raw = open();
    await raw.write(request);
    const response = await raw.response;
    expect(response.status).toBe(413);
    expect(response.body).toEqual(tooLarge(WEBHOOK_BODY_LIMIT));
    // Cut once the hub has waited a moment (`LINGER`) for a body it will not read.
    await raw.closed;
    expect(raw.socket.bytesWritten).toBe(Buffer.byteLength(request));
  });

  it('answers an Expect: 100-continue upload over the limit 413 without asking for its body', async () => {
    const request = head([
      'POST /api/media?channel=whatsapp HTTP/1.1',
      `Authorization: Bearer ${token}`,
      'Content-Type: image/png',
      `Content-Length: ${6 * MiB}`,
      'Expect: 100-continue',
    ]);
    const raw = open();
    await raw.write(request);
    const response = await raw.response;
    expect(response.interim).toEqual([]);
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      error: 'too_large',
      message: 'WhatsApp accepts images up to 5 MB; this file is 6 MB.',
      details: {
        limit: { kind: 'image', maxBytes: 5 * MiB, mimeTypes: ['image/jpeg', 'image/png'] },
      },
    });
    await raw.closed;
    expect(raw.socket.bytesWritten).toBe(Buffer.byteLength(request));
  });

  it('asks for an Expect: 100-continue body once the route reads it', async () => {
    const body = JSON.stringify(ADMIN);
    const answer = await new Promise<{ continued: boolean; status: number }>((resolve) => {
      let continued = false;
      const req = request(`${hub.url}/api/auth/login`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          expect: '100-continue',
        },
      });
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ continued, status: res.statusCode ?? 0 }));
      });
    });
    expect(answer).toEqual({ continued: true, status: 200 });
  });

  it('answers an API JSON body past 256 KiB with 413 while it is still arriving', async () => {
    const raw = open();
    await raw.write(
      head([
        'POST /api/auth/login HTTP/1.1',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ]),
    );
    const padding = Buffer.from(`{"email":"${'a'.repeat(300 * KiB)}`);
    await raw.write(chunk(padding));
    const response = await raw.response;
    expect(response.status).toBe(413);
    expect(response.body).toEqual(tooLarge(256 * KiB));
    await raw.closed;
  });

  it('refuses an upload whose first bytes are not its type before the rest is sent, and stores no file', async () => {
    const raw = open();
    await raw.write(
      head([
        'POST /api/media?channel=whatsapp HTTP/1.1',
        `Authorization: Bearer ${token}`,
        'Content-Type: image/png',
        'X-Filename: parcel.png',
        'Transfer-Encoding: chunked',
      ]),
    );
    // 4 KiB of a "PNG" that is not one, of an upload that would go on for 3 MiB.
    await raw.write(chunk(Buffer.alloc(4 * KiB, 0x4d)));
    const response = await raw.response;
    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      error: 'unsupported_media_type',
      message: "The file's bytes are not image/png: its content does not match its type.",
      details: { limit: null },
    });
    await raw.closed;
    expect(await count('media_files')).toBe(0);
  });
});

describe('slow requests', () => {
  it(`answers a body dripping a byte every 100 ms with 408 after ${BODY_MS / 1000} s and cuts the connection`, async () => {
    const refused = delivery(10);
    const raw = open();
    await raw.write(webhookHead(refused, 'Transfer-Encoding: chunked'));
    const started = Date.now();
    const bytes = Buffer.from(refused.body, 'utf8');
    let at = 0;
    const drip = setInterval(() => {
      if (at < bytes.length) void raw.write(chunk(bytes.subarray(at, (at += 1))));
    }, 100);
    try {
      const response = await raw.response;
      expect(Date.now() - started).toBeGreaterThanOrEqual(BODY_MS);
      expect(response.status).toBe(408);
      expect(response.body).toEqual({
        error: 'request_timeout',
        message: `The body did not arrive within ${BODY_MS / 1000} s; send it again, faster.`,
        details: { timeoutMs: BODY_MS },
      });
      // Still dripping: the hub cuts the connection rather than read on.
      await raw.closed;
      expect(at).toBeLessThan(bytes.length);
    } finally {
      clearInterval(drip);
    }
  });

  it(`answers headers dripping a line every 100 ms with 408 in JSON after ${HEADERS_MS / 1000} s`, async () => {
    const raw = open();
    await raw.write(`POST /webhooks/whatsapp HTTP/1.1\r\nHost: 127.0.0.1:${hub.port}\r\n`);
    let lines = 0;
    const drip = setInterval(() => void raw.write(`X-Drip-${(lines += 1)}: a\r\n`), 100);
    try {
      const response = await raw.response;
      expect(response.status).toBe(408);
      expect(response.headers['connection']).toBe('close');
      expect(response.body).toEqual({
        error: 'request_timeout',
        message: `The request did not arrive in time (headers within ${HEADERS_MS / 1000} s).`,
      });
      await raw.closed;
    } finally {
      clearInterval(drip);
    }
  });
});

describe('after the refusals', () => {
  it('takes a normal webhook, and nothing of the refused ones was stored', async () => {
    const hello = textMessage('Where is my order?');
    expect(await postSignedWebhook(hub.url, messagesWebhook(hello), WHATSAPP.appSecret)).toBe(200);
    const { rows } = await hub.db.query<{ external_id: string }>(
      'select external_id from messages order by external_id',
    );
    expect(rows.map((r) => r.external_id)).toEqual([hello.message.id]);
    expect(await count('conversations')).toBe(1);
    expect(await count('dead_letters')).toBe(0);
    expect(await count('media_files')).toBe(0);
  });
});
