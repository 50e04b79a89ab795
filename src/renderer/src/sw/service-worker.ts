import {
  answer,
  dropOldShells,
  precacheShell,
  routeOf,
  type CacheStorageLike,
  type ShellManifest,
} from './shell-cache';

/**
 * The service worker of the browser build (`sw.js`, registered by `register.ts`): keeps the app's
 * files so the page opens while the hub is down (`shell-cache.ts` says how). Built as its own
 * entry, a classic script with no imports at run time; the build replaces `__REPLYDESK_SHELL__`
 * with this build's manifest (scripts/shell-worker-plugin.ts), so every build is a new worker.
 */
declare const __REPLYDESK_SHELL__: ShellManifest;

// The DOM library's types, not the WebWorker library's (one tsconfig for the renderer): the few
// parts of the worker's global scope used here.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  readonly caches: CacheStorageLike;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  fetch(request: Request): Promise<Response>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

const worker = self as unknown as WorkerScope;
const manifest = __REPLYDESK_SHELL__;
const scope = worker.registration.scope;

worker.addEventListener('install', (event) => {
  // A new build takes over at once: the page it serves is the one the hub serves now.
  event.waitUntil(precacheShell(worker.caches, manifest, scope).then(() => worker.skipWaiting()));
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(dropOldShells(worker.caches, manifest).then(() => worker.clients.claim()));
});

worker.addEventListener('fetch', (event) => {
  const route = routeOf(event.request, scope);
  if (route === 'network') return;
  event.respondWith(
    answer(route, event.request, {
      caches: worker.caches,
      manifest,
      scope,
      fetch: (request) => worker.fetch(request),
    }),
  );
});
