import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The desktop app's pages load from `app://replydesk` (src/main/app-protocol.ts), so every call
 * it makes to a hub — the embedded one on loopback or a team hub — is cross-origin. The hub lets
 * exactly that origin read its API; web pages keep the same-origin rule (and the request guard
 * refuses foreign origins before this runs). WebSockets are not subject to CORS: the guard checks
 * their Origin in the upgrade.
 */
export const DESKTOP_APP_ORIGIN = 'app://replydesk';

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type, idempotency-key';
/** Browsers cap this (Chromium at 2 h); 10 min keeps preflights rare without pinning old rules. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * Add the CORS headers the desktop app needs. Returns true when the request was a preflight and
 * has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, pathname: string): boolean {
  const isApi = pathname === '/healthz' || pathname.startsWith('/api/');
  if (!isApi) return false;
  res.setHeader('vary', 'Origin');
  if (req.headers.origin !== DESKTOP_APP_ORIGIN) return false;
  res.setHeader('access-control-allow-origin', DESKTOP_APP_ORIGIN);
  if (req.method !== 'OPTIONS') return false;
  res.writeHead(204, {
    'access-control-allow-methods': ALLOWED_METHODS,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
  });
  res.end();
  return true;
}
