import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_TYPES } from '../shared/content-types';

/**
 * The file a URL path names inside `rootDir` (`/` is `index.html`), or why there is none:
 * 400 for an undecodable path, 404 for one that leaves the folder. Shared by the hub and the
 * desktop app's `app:` protocol so both refuse `..` and encoded tricks the same way.
 */
export function resolveAppFile(
  rootDir: string,
  pathname: string,
): { ok: true; file: string; wanted: string } | { ok: false; status: 400 | 404 } {
  const root = path.resolve(rootDir);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (decoded.includes('\0')) return { ok: false, status: 404 };
  const wanted = decoded === '/' || decoded === '' ? '/index.html' : decoded;
  const file = path.resolve(root, `.${wanted}`);
  if (file !== root && !file.startsWith(root + path.sep)) return { ok: false, status: 404 };
  return { ok: true, file, wanted };
}

export interface StaticSite {
  /** Answer `pathname` from the built renderer; false when the folder has no such file. */
  serve(pathname: string, res: ServerResponse): Promise<boolean>;
}

/**
 * Serve the built renderer so the app also runs in a browser pointed at the hub. Paths resolve
 * inside `rootDir` only; unknown paths without an extension get `index.html` (client routes).
 * Hashed assets are cached for a year, `index.html` never, so a new build shows at once.
 */
export function createStaticSite(rootDir: string, contentSecurityPolicy: string): StaticSite {
  const root = path.resolve(rootDir);

  async function send(file: string, res: ServerResponse): Promise<boolean> {
    let body: Buffer;
    try {
      if (!(await stat(file)).isFile()) return false;
      body = await readFile(file);
    } catch {
      return false;
    }
    const ext = path.extname(file);
    res.setHeader('Content-Type', CONTENT_TYPES[ext] ?? 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (ext === '.html') {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Frame-Options', 'DENY');
    } else if (file.includes(`${path.sep}assets${path.sep}`)) {
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    }
    res.writeHead(200);
    res.end(body);
    return true;
  }

  return {
    async serve(pathname, res) {
      const target = resolveAppFile(root, pathname);
      if (!target.ok) return false;
      const { file, wanted } = target;
      if (await send(file, res)) return true;
      // Client-side routes (`/inbox/123`) load the app shell; missing assets stay 404.
      if (path.extname(wanted) === '') return send(path.join(root, 'index.html'), res);
      return false;
    },
  };
}
