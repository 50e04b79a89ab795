import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HttpError } from './errors';

/**
 * How long a request body may take to arrive, from when the hub starts reading it (docs/deploy.md,
 * "Body limits and timeouts"): past it the hub answers 408 and cuts the connection, so a client
 * dripping a byte a second holds a socket for a bounded time, not until it stops.
 */
export interface BodyTimeouts {
  /** API JSON and webhook bodies (default 30 s). */
  readonly bodyMs: number;
  /** A file an agent uploads (`POST /api/media`, up to 100 MB; default 300 s). */
  readonly uploadMs: number;
}

export const DEFAULT_BODY_TIMEOUTS: BodyTimeouts = { bodyMs: 30_000, uploadMs: 300_000 };

/**
 * After the answer to a request whose body is still coming (refused, too large, too slow, or a
 * route that never reads it): what more is read and thrown away, and for how long, before the
 * connection is cut. Reading a little on gives the client (or a proxy still sending) the time to
 * read the answer before the close; cutting at once would reset the connection under it.
 */
export const LINGER = { ms: 1_000, bytes: 1024 * 1024 } as const;

/**
 * Kept on the request itself: a WeakMap keyed by every request (short-lived keys, which every
 * young-generation GC must walk) cost a bare server about 20 µs of CPU per request, and the hub
 * about 10 % more CPU per webhook.
 */
const BODY = Symbol('replydesk.body');
interface WithBody {
  [BODY]?: { readonly timeouts: BodyTimeouts; readonly res: ServerResponse };
}

/** The hub, as each request arrives: the body timeouts in force for it, and its response. */
export function applyBodyTimeouts(
  req: IncomingMessage,
  res: ServerResponse,
  timeouts: BodyTimeouts,
): void {
  (req as IncomingMessage & WithBody)[BODY] = { timeouts, res };
}

/**
 * The hub, for every request: once the answer is sent, a body that is still arriving is read
 * and dropped for at most `LINGER`, then the connection is closed. Nothing of it is kept.
 */
export function closeAfterUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    const socket: Socket = req.socket;
    let dropped = 0;
    const cut = (): void => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(cut, LINGER.ms);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > LINGER.bytes) cut();
    });
    req.once('end', () => clearTimeout(timer));
    req.once('close', () => clearTimeout(timer));
    req.resume();
  });
}

const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`, { limit });

export interface ReadBodyOptions {
  /** Which timeout applies (`BodyTimeouts`): a JSON or webhook body, or an uploaded file. */
  readonly kind?: 'body' | 'upload';
  /**
   * Checked once the first `HEAD_BYTES` bytes are in (or the whole body, if shorter and not
   * empty): a refusal it throws (a file whose bytes are not its type) ends the read there.
   */
  readonly checkHead?: (head: Buffer) => void;
}

/** What `checkHead` is given: enough for every file signature the hub knows (`media/sniff.ts`). */
export const HEAD_BYTES = 16;

/**
 * Read a request body, refusing more than `limit` bytes with 413: at once, before any byte is
 * read, when its `Content-Length` says so; else as soon as the count passes the limit. A refused
 * body is never buffered whole: what was read is dropped, the answer goes out while the client
 * is still sending, and the rest is dropped too (`closeAfterUnreadBody`). A body that takes
 * longer than its timeout is refused with 408 the same way.
 */
export function readRawBody(
  req: IncomingMessage,
  limit: number,
  options: ReadBodyOptions = {},
): Promise<Buffer> {
  const known = (req as IncomingMessage & WithBody)[BODY];
  const timeouts = known?.timeouts ?? DEFAULT_BODY_TIMEOUTS;
  const timeoutMs = options.kind === 'upload' ? timeouts.uploadMs : timeouts.bodyMs;
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge(limit));
      return;
    }
    // `Expect: 100-continue` (curl's large uploads): the client sends the body only once told
    // to, which the hub does here, after the route's checks (`http/server.ts`). A refused
    // request gets its final answer instead, and the body is never sent.
    if (known && /^100-continue$/i.test(req.headers.expect ?? '')) known.res.writeContinue();
    let chunks: Buffer[] = [];
    let size = 0;
    let headChecked = options.checkHead === undefined;
    let settled = false;
    const stop = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      chunks = [];
      req.off('data', onData);
      // Keep the request flowing (dropped) until the answer is out; then it lingers or is cut.
      req.resume();
      reject(error);
    };
    const checkHead = (head: Buffer): void => {
      headChecked = true;
      try {
        options.checkHead?.(head);
      } catch (error) {
        stop(error);
      }
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return stop(tooLarge(limit));
      chunks.push(chunk);
      if (!headChecked && size >= HEAD_BYTES) checkHead(Buffer.concat(chunks, size));
    };
    const timer = setTimeout(() => {
      const seconds = timeoutMs / 1000;
      stop(
        new HttpError(
          408,
          'request_timeout',
          `The body did not arrive within ${seconds} s; send it again, faster.`,
          { timeoutMs },
        ),
      );
    }, timeoutMs);
    timer.unref();
    req.on('data', onData);
    req.once('end', () => {
      if (settled) return;
      // An empty body is the route's to judge (an empty file is 400, not a wrong type).
      if (!headChecked && size > 0) checkHead(Buffer.concat(chunks, size));
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(Buffer.concat(chunks, size));
    });
    // The client went away mid-body: nothing to answer, nothing kept.
    req.once('close', () => {
      if (!req.complete) stop(new HttpError(400, 'bad_request', 'The body was cut off.'));
    });
    req.once('error', (error) => stop(error));
  });
}
