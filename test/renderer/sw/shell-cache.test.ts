import { describe, expect, it } from 'vitest';
import {
  answer,
  dropOldShells,
  precacheShell,
  routeOf,
  type CacheLike,
  type CacheStorageLike,
  type FetchLike,
  type ShellManifest,
} from '../../../src/renderer/src/sw/shell-cache';
import { wantsShellWorker } from '../../../src/renderer/src/sw/register';

const SCOPE = 'http://127.0.0.1:4477/';
const get = (path: string, mode = 'cors') => ({ method: 'GET', url: `${SCOPE}${path}`, mode });

/** The Cache API in memory: caches by name, responses by URL. */
function fakeCaches(
  fetch: FetchLike,
): CacheStorageLike & { stored: Map<string, Map<string, Response>> } {
  const stored = new Map<string, Map<string, Response>>();
  const keyOf = (request: Request | string): string =>
    typeof request === 'string' ? request : request.url;
  const open = async (name: string): Promise<CacheLike> => {
    const entries = stored.get(name) ?? new Map<string, Response>();
    stored.set(name, entries);
    return {
      match: async (request) => entries.get(keyOf(request))?.clone(),
      put: async (request, response) => void entries.set(keyOf(request), response),
      addAll: async (requests) => {
        const answers = await Promise.all(requests.map((request) => fetch(request)));
        if (answers.some((response) => !response.ok)) throw new TypeError('addAll: not ok');
        requests.forEach((request, i) => entries.set(request.url, answers[i] as Response));
      },
    };
  };
  return {
    stored,
    open,
    keys: async () => [...stored.keys()],
    delete: async (name) => stored.delete(name),
  };
}

const manifest: ShellManifest = {
  version: 'b2',
  files: ['index.html', 'assets/index-b2.js', 'favicon.svg'],
};
const html = (body: string) =>
  new Response(body, { headers: { 'content-type': 'text/html; charset=utf-8' } });
const down: FetchLike = async () => {
  throw new TypeError('Failed to fetch');
};

describe('what the offline shell answers', () => {
  it('keeps the page and its files, and never the API, webhooks, the realtime channel or the health check', () => {
    expect(routeOf(get('', 'navigate'), SCOPE)).toBe('shell');
    expect(routeOf(get('index.html'), SCOPE)).toBe('shell');
    expect(routeOf(get('inbox/c1', 'navigate'), SCOPE)).toBe('shell');
    expect(routeOf(get('assets/index-b2.js'), SCOPE)).toBe('asset');
    expect(routeOf(get('favicon.svg'), SCOPE)).toBe('file');
    for (const path of ['api/sync', 'api/me', 'webhooks/whatsapp', 'ws', 'healthz', 'sw.js']) {
      expect(routeOf(get(path), SCOPE)).toBe('network');
    }
    // Opened in a tab, the API is still the API.
    expect(routeOf(get('api/me', 'navigate'), SCOPE)).toBe('network');
    expect(routeOf({ method: 'POST', url: `${SCOPE}index.html` }, SCOPE)).toBe('network');
    expect(routeOf({ method: 'GET', url: 'https://cdn.example/x.js' }, SCOPE)).toBe('network');
  });

  it('answers the page from the hub while it is up (a new build shows at once), from the cache while it is down', async () => {
    const caches = fakeCaches(down);
    const page = new Request(`${SCOPE}inbox`);
    const up: FetchLike = async () => html('build 2');
    const online = await answer('shell', page, { caches, manifest, scope: SCOPE, fetch: up });
    expect(await online.text()).toBe('build 2');
    const offline = await answer('shell', page, { caches, manifest, scope: SCOPE, fetch: down });
    expect(await offline.text()).toBe('build 2');
    expect([...(caches.stored.get('replydesk-shell-b2')?.keys() ?? [])]).toEqual([
      `${SCOPE}index.html`,
    ]);
  });

  it('answers hashed files from the cache without asking the hub', async () => {
    const asked: string[] = [];
    const fetch: FetchLike = async (request) => {
      asked.push(request.url);
      return new Response('code', { headers: { 'content-type': 'text/javascript' } });
    };
    const caches = fakeCaches(fetch);
    const request = new Request(`${SCOPE}assets/index-b2.js`);
    await answer('asset', request, { caches, manifest, scope: SCOPE, fetch });
    const again = await answer('asset', request, { caches, manifest, scope: SCOPE, fetch: down });
    expect(await again.text()).toBe('code');
    expect(asked).toEqual([`${SCOPE}assets/index-b2.js`]);
  });

  it('keeps no error answer, and fails as the network does when nothing is kept', async () => {
    const caches = fakeCaches(down);
    const missing: FetchLike = async () => new Response('gone', { status: 404 });
    const request = new Request(`${SCOPE}assets/old-a1.js`);
    expect(
      (await answer('asset', request, { caches, manifest, scope: SCOPE, fetch: missing })).status,
    ).toBe(404);
    await expect(
      answer('asset', request, { caches, manifest, scope: SCOPE, fetch: down }),
    ).rejects.toThrow('Failed to fetch');
  });
});

describe('a new build replaces the old shell', () => {
  it('installs every file of the build into its own cache, and on activation drops the older ones', async () => {
    const fetch: FetchLike = async (request) => new Response(new URL(request.url).pathname);
    const caches = fakeCaches(fetch);
    await precacheShell(
      caches,
      { version: 'a1', files: ['index.html', 'assets/index-a1.js'] },
      SCOPE,
    );
    await caches.open('another-app');
    await precacheShell(caches, manifest, SCOPE);
    expect(await dropOldShells(caches, manifest)).toEqual(['replydesk-shell-a1']);
    expect(await caches.keys()).toEqual(['another-app', 'replydesk-shell-b2']);
    expect([...(caches.stored.get('replydesk-shell-b2')?.keys() ?? [])].sort()).toEqual([
      `${SCOPE}assets/index-b2.js`,
      `${SCOPE}favicon.svg`,
      `${SCOPE}index.html`,
    ]);
  });
});

describe('where the worker is registered', () => {
  it('only in a browser page a hub serves over http(s), never in the desktop window', () => {
    const page = { protocol: 'http:', desktop: false, serviceWorkers: true };
    expect(wantsShellWorker(page)).toBe(true);
    expect(wantsShellWorker({ ...page, protocol: 'https:' })).toBe(true);
    expect(wantsShellWorker({ ...page, protocol: 'app:', desktop: true })).toBe(false);
    expect(wantsShellWorker({ ...page, desktop: true })).toBe(false);
    expect(wantsShellWorker({ ...page, protocol: 'file:' })).toBe(false);
    expect(wantsShellWorker({ ...page, serviceWorkers: false })).toBe(false);
  });
});
