/**
 * Whether this page gets the offline shell's service worker (`service-worker.ts`): only the
 * browser build served over http(s) by a hub. Never the desktop window (`app://`, whose files
 * are on disk already), nor a page opened from a file.
 */
export function wantsShellWorker(page: {
  readonly protocol: string;
  readonly desktop: boolean;
  readonly serviceWorkers: boolean;
}): boolean {
  return (
    !page.desktop &&
    page.serviceWorkers &&
    (page.protocol === 'http:' || page.protocol === 'https:')
  );
}

/**
 * Register `sw.js` beside `index.html` once the page has loaded (its install downloads the
 * whole build: never before the inbox's first requests). A browser that refuses it (private
 * mode, a dev server without the file) only loses the offline shell.
 */
export function registerShellWorker(desktop: boolean): void {
  if (
    !wantsShellWorker({
      protocol: window.location.protocol,
      desktop,
      serviceWorkers: 'serviceWorker' in navigator,
    })
  ) {
    return;
  }
  const register = (): void => {
    // Spelled out, not imported from shell-cache.ts: the worker's code must share no chunk with
    // the page's, or the worker would need imports.
    navigator.serviceWorker.register('./sw.js').catch((error: unknown) => {
      console.warn('Replydesk: no offline shell:', error instanceof Error ? error.message : error);
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
