import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_TYPES } from '../shared/content-types';
import { resolveAppFile } from '../server/static-files';

/** The app's own origin: pages load from `app://replydesk/`, never from `file://`. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'replydesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * Serve the built renderer for the `app:` scheme. A custom scheme (rather than `file://`) gives
 * the page a real origin to check IPC senders against, and lets us send the CSP as a header.
 * Paths are resolved inside `rootDir` only: `..` and encoded tricks get a 404. The CSP is asked
 * for on each HTML response: it names the hub the agent signed in to, which can change.
 */
export function createAppProtocolHandler(
  rootDir: string,
  contentSecurityPolicy: () => string,
): (request: { url: string }) => Promise<Response> {
  const root = path.resolve(rootDir);
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('Not found', { status: 404 });
    const target = resolveAppFile(root, url.pathname);
    if (!target.ok) {
      return new Response(target.status === 400 ? 'Bad request' : 'Not found', {
        status: target.status,
      });
    }
    const { file } = target;
    try {
      const body = await readFile(file);
      const headers: Record<string, string> = {
        'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'X-Content-Type-Options': 'nosniff',
      };
      if (path.extname(file) === '.html')
        headers['Content-Security-Policy'] = contentSecurityPolicy();
      return new Response(new Uint8Array(body), { status: 200, headers });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
