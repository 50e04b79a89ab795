import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_TYPES } from '../shared/content-types';

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
  const inside = (file: string): boolean => file === root || file.startsWith(root + path.sep);

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
      let decoded: string;
      try {
        decoded = decodeURIComponent(pathname);
      } catch {
        return false;
      }
      if (decoded.includes('\0')) return false;
      const wanted = decoded === '/' ? '/index.html' : decoded;
      const file = path.resolve(root, `.${wanted}`);
      if (!inside(file)) return false;
      if (await send(file, res)) return true;
      // Client-side routes (`/inbox/123`) load the app shell; missing assets stay 404.
      if (path.extname(wanted) === '') return send(path.join(root, 'index.html'), res);
      return false;
    },
  };
}
