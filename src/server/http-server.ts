import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildContentSecurityPolicy } from '../shared/security/csp';
import { createRequestGuard } from './request-guard';
import { createStaticSite } from './static-files';

export interface HubServerOptions {
  /** Interface to bind; loopback unless a team hub is deliberately exposed. */
  readonly host: string;
  /** `0` picks a free port. */
  readonly port: number;
  /** The built renderer (`out/renderer`); absent → the hub serves its API only. */
  readonly rendererDir?: string;
  /** Extra `host[:port]` names clients may use to reach a team hub. */
  readonly publicHosts?: readonly string[];
  readonly now?: () => number;
}

export interface RunningHub {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

/**
 * The hub's HTTP front door. This first version answers health checks and serves the app to
 * browsers; the API, the realtime channel and the connectors attach here (issue "The hub").
 */
export async function startHubServer(options: HubServerOptions): Promise<RunningHub> {
  const now = options.now ?? Date.now;
  let port = options.port;
  const guard = createRequestGuard({ port: () => port, publicHosts: options.publicHosts });
  const site = options.rendererDir
    ? createStaticSite(options.rendererDir, buildContentSecurityPolicy({ hubOrigins: [] }))
    : null;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const verdict = guard.check(req.headers);
    if (!verdict.ok)
      return sendJson(res, 403, { error: 'forbidden_host', message: verdict.reason });
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    if (url.pathname === '/healthz') {
      return sendJson(res, 200, { status: 'ok', time: new Date(now()).toISOString() });
    }
    if (url.pathname.startsWith('/api/')) {
      return sendJson(res, 404, { error: 'not_found', message: `No API route ${url.pathname}.` });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendJson(res, 405, {
        error: 'method_not_allowed',
        message: 'Only GET is served here.',
      });
    }
    if (site && (await site.serve(url.pathname, res))) return undefined;
    return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${url.pathname}.` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('hub: request failed:', error instanceof Error ? error.message : error);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Internal error.' });
      else res.destroy();
    });
  });
  // Slow-loris protection: headers must arrive promptly, idle sockets are closed.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const displayHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  return {
    url: `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
