/**
 * The browser build's offline shell: what the service worker (`service-worker.ts`) keeps and how
 * it answers, without the worker's globals so it is tested in Node. The worker caches the app's
 * own files only. The inbox's data is in IndexedDB (src/renderer/src/data), which the page reads
 * itself once it has loaded: so a reload while the hub is down opens the cached inbox, offline,
 * instead of the browser's "This site can't be reached".
 */

/** Written into the built `sw.js` by the build (scripts/shell-worker-plugin.ts). */
export interface ShellManifest {
  /** Changes with every build whose files differ: names the cache. */
  readonly version: string;
  /** The build's files, relative to the worker's folder (`index.html`, `assets/…`). */
  readonly files: readonly string[];
}

export const SHELL_CACHE_PREFIX = 'replydesk-shell-';
export const SHELL_WORKER_FILE = 'sw.js';

export function shellCacheName(manifest: ShellManifest): string {
  return `${SHELL_CACHE_PREFIX}${manifest.version}`;
}

/**
 * - `shell`: the page itself (a navigation, `/`, `index.html`): network first, so a new build
 *   shows as soon as the hub serves it; the cached copy when the hub cannot be reached.
 * - `asset`: `assets/…`, whose names carry a hash of their content: cache first.
 * - `file`: other files of the build (the icon): network first, the cache as fallback.
 * - `network`: not the worker's business: the API, webhooks, the realtime channel, the health
 *   check, the worker's own script, other origins, anything but GET. Never cached: answers of
 *   the API are the data layer's (IndexedDB), and a stale one would be wrong.
 */
export type ShellRoute = 'shell' | 'asset' | 'file' | 'network';

const HUB_PATHS = /^(api|webhooks|ws|healthz)(\/|$)/;

export function routeOf(
  request: { readonly method: string; readonly url: string; readonly mode?: string },
  scope: string,
): ShellRoute {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return 'network';
  const path = url.pathname.slice(base.pathname.length);
  if (HUB_PATHS.test(path) || path === SHELL_WORKER_FILE) return 'network';
  if (request.mode === 'navigate' || path === '' || path === 'index.html') return 'shell';
  if (path.startsWith('assets/')) return 'asset';
  return 'file';
}

/** The parts of the Cache API the worker uses (the DOM's `Cache` and `CacheStorage`). */
export interface CacheLike {
  match(request: Request | string): Promise<Response | undefined>;
  put(request: Request | string, response: Response): Promise<void>;
  addAll(requests: Request[]): Promise<void>;
}
export interface CacheStorageLike {
  open(name: string): Promise<CacheLike>;
  keys(): Promise<string[]>;
  delete(name: string): Promise<boolean>;
}
export type FetchLike = (request: Request) => Promise<Response>;

/** On install: every file of the build, fetched past the HTTP cache, or none (install fails). */
export async function precacheShell(
  caches: CacheStorageLike,
  manifest: ShellManifest,
  scope: string,
): Promise<void> {
  const cache = await caches.open(shellCacheName(manifest));
  await cache.addAll(
    manifest.files.map((file) => new Request(new URL(file, scope), { cache: 'reload' })),
  );
}

/** On activate: the caches of earlier builds go, so a new build replaces the old shell. */
export async function dropOldShells(
  caches: CacheStorageLike,
  manifest: ShellManifest,
): Promise<string[]> {
  const current = shellCacheName(manifest);
  const old = (await caches.keys()).filter(
    (name) => name.startsWith(SHELL_CACHE_PREFIX) && name !== current,
  );
  await Promise.all(old.map((name) => caches.delete(name)));
  return old;
}

/** Only complete answers from the hub itself are kept (no errors, no redirects, no opaque ones). */
function cacheable(response: Response): boolean {
  return (
    response.ok &&
    response.status === 200 &&
    (response.type === 'basic' || response.type === 'default')
  );
}

/**
 * The answer to `request` on `route` (not `network`). A failing network with nothing cached
 * rejects, as the network would have: the browser then shows its own error.
 */
export async function answer(
  route: Exclude<ShellRoute, 'network'>,
  request: Request,
  options: {
    readonly caches: CacheStorageLike;
    readonly manifest: ShellManifest;
    readonly scope: string;
    readonly fetch: FetchLike;
  },
): Promise<Response> {
  const cache = await options.caches.open(shellCacheName(options.manifest));
  // Every route of the app is the same page (`/#/inbox`, a client route): one cached copy.
  const key = route === 'shell' ? new URL('index.html', options.scope).href : request.url;
  if (route === 'asset') {
    const cached = await cache.match(key);
    if (cached) return cached;
  }
  let response: Response;
  try {
    response = await options.fetch(request);
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
  const isPage =
    route !== 'shell' || (response.headers.get('content-type') ?? '').startsWith('text/html');
  if (cacheable(response) && isPage) await cache.put(key, response.clone());
  return response;
}
