import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  applyBodyTimeouts,
  closeAfterUnreadBody,
  DEFAULT_BODY_TIMEOUTS,
  type BodyTimeouts,
} from './body';

/** The hub's HTTP timeouts (docs/deploy.md, "Body limits and timeouts"). */
export interface HttpTimeouts extends BodyTimeouts {
  /** The request line and headers (default 10 s; Node's `headersTimeout`). */
  readonly headersMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, ...DEFAULT_BODY_TIMEOUTS };

/** The response last begun on a connection (a symbol on the socket: no per-request map). */
const ANSWERING = Symbol('replydesk.answering');
interface Answering {
  [ANSWERING]?: ServerResponse;
}

/** What a connection Node's parser gave up on is answered with, as JSON like every other error. */
function clientErrorAnswer(
  code: string | undefined,
  timeouts: HttpTimeouts,
): { status: number; reason: string; body: { error: string; message: string } } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        body: {
          error: 'request_timeout',
          message: `The request did not arrive in time (headers within ${timeouts.headersMs / 1000} s).`,
        },
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        body: { error: 'payload_too_large', message: 'The request headers are too large.' },
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        body: { error: 'bad_request', message: 'The request is not valid HTTP.' },
      };
  }
}

/**
 * The hub's HTTP server: headers within `headersMs` (Node answers 408 past it, here as JSON);
 * `100 Continue` only when a route reads the body;
 * every request's body bounded in time (`readRawBody`) and a body still arriving after the answer
 * dropped and its connection closed (`closeAfterUnreadBody`). Node's own `requestTimeout` is a
 * backstop behind them, longer than the longest body may take.
 */
export function createHubServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  timeouts: HttpTimeouts = DEFAULT_HTTP_TIMEOUTS,
): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    (req.socket as Duplex & Answering)[ANSWERING] = res;
    applyBodyTimeouts(req, res, timeouts);
    closeAfterUnreadBody(req, res);
    handle(req, res);
  };
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.headersMs + Math.max(timeouts.bodyMs, timeouts.uploadMs) + 5_000,
      // How often Node checks those two (its default, 30 s, would let a header drip run 40 s).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersMs),
      keepAliveTimeout: 5_000,
    },
    onRequest,
  );
  // Node would answer `100 Continue` before the route saw the request; `readRawBody` does, once
  // the body is wanted.
  server.on('checkContinue', onRequest);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A response under way, or a client that is gone: nothing more can be said on this socket.
    const answering = (socket as Duplex & Answering)[ANSWERING];
    const midAnswer = answering !== undefined && answering.headersSent && !answering.writableEnded;
    if (error.code === 'ECONNRESET' || !socket.writable || midAnswer) {
      socket.destroy();
      return;
    }
    const { status, reason, body } = clientErrorAnswer(error.code, timeouts);
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\n` +
        `Connection: close\r\n\r\n${text}`,
    );
  });
  return server;
}
