import type { BrowserWindowConstructorOptions } from 'electron';
import { checkExternalUrl } from './external-links';
import { MIN_WINDOW } from './window-state';

export { popOutHash } from '../shared/desktop/pop-out';

/**
 * Secure defaults for every window, in one place (Signal's `handleCommonWindowEvents`): the
 * page runs sandboxed with context isolation and without Node, and cannot enable any of it.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Replydesk',
    width: 1360,
    height: 860,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    backgroundColor: '#1f2430',
    autoHideMenuBar: true,
    webPreferences: securePreferences(preloadPath),
  };
}

/**
 * A popped-out conversation: smaller, the same page, preload and session (so the same cache and
 * sign-in), and exactly the same web preferences as the main window.
 */
export function popOutWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'Replydesk',
    width: 720,
    height: 760,
    minWidth: 480,
    minHeight: 480,
    show: false,
    backgroundColor: '#1f2430',
    autoHideMenuBar: true,
    webPreferences: securePreferences(preloadPath),
  };
}

function securePreferences(preloadPath: string): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
  };
}

/** The parts of an Electron navigation event this module uses. */
export interface NavigationEventLike {
  readonly url: string;
  preventDefault(): void;
}

/** The parts of `webContents` that window hardening touches, so tests can pass a fake. */
export interface HardenableWebContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: NavigationEventLike) => void,
  ): unknown;
  on(
    event: 'will-attach-webview',
    listener: (event: { preventDefault(): void }, ...rest: unknown[]) => void,
  ): unknown;
  setWindowOpenHandler(
    handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' },
  ): void;
}

export interface HardeningPolicy {
  /** True for URLs that belong to the app itself (its own origin). */
  isAppUrl(url: string): boolean;
  /** Hand a checked http(s)/mailto link to the operating system. */
  openExternal(url: string): void;
}

/**
 * Deny navigation away from the app and every `window.open`. A link to the web that the page
 * tries to open goes to the system browser instead, after the same check as `openExternal`.
 */
export function hardenWebContents(contents: HardenableWebContents, policy: HardeningPolicy): void {
  const keepInApp = (event: NavigationEventLike): void => {
    if (policy.isAppUrl(event.url)) return;
    event.preventDefault();
    const check = checkExternalUrl(event.url);
    if (check.ok) policy.openExternal(check.url);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const check = checkExternalUrl(url);
    if (check.ok) policy.openExternal(check.url);
    return { action: 'deny' };
  });
}

/** Same origin as one of `appOrigins` (for `app://replydesk` and the dev server). */
export function isSameOrigin(url: string, appOrigins: readonly string[]): boolean {
  let origin: string;
  try {
    const parsed = new URL(url);
    // Custom schemes report origin "null"; compare scheme and host instead.
    origin = parsed.origin !== 'null' ? parsed.origin : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return false;
  }
  return appOrigins.includes(origin);
}
