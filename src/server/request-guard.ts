import type { IncomingHttpHeaders } from 'node:http';
import { DESKTOP_APP_ORIGIN } from './http/cors';

/**
 * DNS-rebinding and cross-site protection. A web page the user visits can make the browser send
 * requests to a hub on loopback; the browser then puts the page's own host in `Host` (after a
 * DNS rebind) or its origin in `Origin`. Only the hub's own names pass.
 */
export interface RequestGuard {
  check(headers: IncomingHttpHeaders): { ok: true } | { ok: false; reason: string };
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function createRequestGuard(options: {
  /** Port the hub listens on; filled in once it is known (port 0 picks one). */
  port: () => number;
  /** Extra `host[:port]` names the hub is reachable at (a team hub's public name). */
  publicHosts?: readonly string[];
}): RequestGuard {
  const allowedHosts = (): Set<string> => {
    const port = options.port();
    const hosts = new Set<string>();
    for (const name of LOOPBACK_NAMES) hosts.add(`${name}:${port}`);
    for (const host of options.publicHosts ?? []) hosts.add(host.toLowerCase());
    return hosts;
  };
  return {
    check(headers) {
      const hosts = allowedHosts();
      const host = (headers.host ?? '').toLowerCase();
      if (!hosts.has(host)) return { ok: false, reason: `Host "${host}" is not this hub.` };
      const origin = headers.origin;
      if (origin !== undefined && origin !== DESKTOP_APP_ORIGIN) {
        const match = /^https?:\/\/([^/]+)$/i.exec(origin);
        if (!match || !hosts.has((match[1] ?? '').toLowerCase())) {
          return { ok: false, reason: `Origin "${origin}" may not use this hub.` };
        }
      }
      return { ok: true };
    },
  };
}
