import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { normaliseHubUrl, type AppInfo, type IpcEventPayload } from '../shared/ipc/contract';
import { APP_ORIGIN, APP_SCHEME, createAppProtocolHandler } from './app-protocol';
import { CREDENTIALS_FILE, openCredentialStore, type SafeStorageLike } from './credentials';
import { HUB_SECRETS_KEY_FILE, loadHubSecretsKey } from './hub-secrets-key';
import {
  closeHubOnQuit,
  embeddedHubStarter,
  hubStartFailure,
  type EmbeddedHub,
  type EmbeddedHubStarter,
} from './embedded-hub';
import { createHubAccess, type HubAccess } from './hub-access';
import { startHubInUtilityProcess, type UtilityProcessLike } from './hub-process';
import { registerIpcHandlers, type DesktopServices, type IpcMainLike } from './ipc-handlers';
import {
  hardenWebContents,
  isSameOrigin,
  mainWindowOptions,
  type HardenableWebContents,
} from './window';

/**
 * The slice of the `electron` module the shell uses. `src/main/index.ts` passes the real module;
 * tests pass a fake (test/main/fake-electron.ts), so all of this runs under Node.
 */
export interface ElectronLike {
  app: {
    whenReady(): Promise<unknown>;
    on(event: 'window-all-closed' | 'activate' | 'second-instance', listener: () => void): unknown;
    on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
    /** Every web contents: windows, and any other the page may cause (a `<webview>`, a popup). */
    on(
      event: 'web-contents-created',
      listener: (event: unknown, contents: HardenableWebContents) => void,
    ): unknown;
    quit(): void;
    getName(): string;
    getVersion(): string;
    requestSingleInstanceLock(): boolean;
    setBadgeCount(count?: number): boolean;
    getPath(name: 'userData'): string;
  };
  safeStorage: SafeStorageLike;
  utilityProcess: UtilityProcessLike;
  dialog: { showErrorBox(title: string, content: string): void };
  BrowserWindow: {
    new (options: BrowserWindowConstructorOptions): BrowserWindowLike;
    getAllWindows(): BrowserWindowLike[];
  };
  ipcMain: IpcMainLike;
  shell: { openExternal(url: string): Promise<void> };
  Notification: {
    isSupported(): boolean;
    new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
  };
  protocol: {
    registerSchemesAsPrivileged(
      schemes: { scheme: string; privileges: Record<string, boolean> }[],
    ): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  session: {
    defaultSession: {
      setPermissionRequestHandler(
        handler: (
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string },
        ) => void,
      ): void;
      setPermissionCheckHandler(
        handler: (webContents: unknown, permission: string, requestingOrigin: string) => boolean,
      ): void;
    };
  };
}

export interface BrowserWindowLike {
  readonly webContents: HardenableWebContents & {
    send(channel: string, payload: unknown): void;
  };
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  focus(): void;
  isMinimized(): boolean;
  restore(): void;
}

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  show(): void;
}

export interface DesktopConfig {
  /** Folder holding the built renderer (`out/renderer`). */
  readonly rendererDir: string;
  /** The built preload script (`out/preload/index.cjs`). */
  readonly preloadPath: string;
  /** electron-vite's dev server during `electron-vite dev`; absent in a built app. */
  readonly devServerUrl?: string;
  /**
   * Team hubs configured at start (`REPLYDESK_HUB_URL`), as normalised origins: the page may
   * always connect to them, and no embedded hub is started. The hub an agent signs in to is added
   * at run time (src/main/hub-access.ts).
   */
  readonly hubOrigins: readonly string[];
  /**
   * Starts this computer's hub when no team hub is configured or remembered
   * (src/main/embedded-hub.ts); `null`: the app has none and always asks for a team hub.
   */
  readonly embeddedHub: EmbeddedHubStarter | null;
  readonly versions: { readonly electron: string; readonly chrome: string };
  readonly platform: AppInfo['platform'];
  readonly arch: string;
}

/** The embedded hub's utility process, built beside `index.js` (electron.vite.config.ts). */
export const HUB_PROCESS_FILE = 'hub-process.js';

/**
 * Permissions the app's own page may have: desktop notifications of new messages. Everything
 * else (camera, geolocation, clipboard reads, …) and every request from another origin is denied.
 */
const ALLOWED_PERMISSIONS = new Set(['notifications']);

/** Must run before `app.whenReady()`: the app scheme needs its privileges registered early. */
export function registerAppScheme(electron: ElectronLike): void {
  electron.protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

export function createDesktopServices(
  electron: ElectronLike,
  config: DesktopConfig,
  hubAccess: Pick<HubAccess, 'credentials' | 'embeddedSecret'>,
  onNotificationClick: (payload: IpcEventPayload<'notification:clicked'>) => void,
): DesktopServices {
  return {
    appInfo: () => ({
      name: electron.app.getName(),
      version: electron.app.getVersion(),
      platform: config.platform,
      arch: config.arch,
      electron: config.versions.electron,
      chrome: config.versions.chrome,
    }),
    openExternal: (url) => electron.shell.openExternal(url),
    showNotification: ({ title, body, conversationId, silent }) => {
      if (!electron.Notification.isSupported()) return false;
      const notification = new electron.Notification({ title, body, silent: silent ?? false });
      if (conversationId !== undefined) {
        notification.on('click', () => onNotificationClick({ conversationId }));
      }
      notification.show();
      return true;
    },
    // Linux desktops without Unity support report false; the renderer shows counts itself.
    setBadgeCount: (count) => electron.app.setBadgeCount(count),
    credentials: hubAccess.credentials,
    embeddedSecret: () => hubAccess.embeddedSecret(),
  };
}

/**
 * Start the desktop shell: the embedded hub when no team hub is configured or remembered, then
 * one hardened window on the app's own origin, the IPC contract, and a single instance (a second
 * launch focuses the first window: two copies must never open one hub's data folder).
 *
 * Which hub the window uses, first match wins:
 * 1. `REPLYDESK_HUB_URL` (`config.hubOrigins`): a team hub; no embedded hub is started;
 * 2. the team hub the agent chose or signed in to last (kept in `credentials.enc`, also after
 *    signing out, to prefill the sign-in): no embedded hub is started;
 * 3. otherwise the embedded hub, started here before the window loads.
 * Going back from a remembered team hub to this computer's hub needs an explicit choice that
 * forgets the team hub; the renderer has no such control yet (docs/configuration.md).
 */
export async function startDesktopApp(
  electron: ElectronLike,
  config: DesktopConfig,
): Promise<BrowserWindowLike | null> {
  if (!electron.app.requestSingleInstanceLock()) {
    electron.app.quit();
    return null;
  }
  const appOrigins = [
    APP_ORIGIN,
    ...(config.devServerUrl ? [new URL(config.devServerUrl).origin] : []),
  ];
  const isAppUrl = (url: string): boolean => isSameOrigin(url, appOrigins);
  // Every web contents, not only the main window's: whatever else comes to exist (a popup, a
  // `<webview>`, a future window) can navigate nowhere, open nothing and attach no webview.
  electron.app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, {
      isAppUrl,
      openExternal: (url) => void electron.shell.openExternal(url),
    }),
  );

  let window: BrowserWindowLike | null = null;
  // Registered at once: a second launch while the hub is still starting must not be lost.
  electron.app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  await electron.app.whenReady();

  // After `ready`: safeStorage answers only then. Read before the page loads, so its CSP already
  // names the remembered hub.
  const userDataDir = electron.app.getPath('userData');
  const store = await openCredentialStore({
    safeStorage: electron.safeStorage,
    platform: config.platform,
    filePath: path.join(userDataDir, CREDENTIALS_FILE),
  });

  let embedded: EmbeddedHub | null = null;
  // A new one per launch, known to main, the hub and (over IPC) the app's own window only.
  const secret = randomBytes(32).toString('base64url');
  if (config.hubOrigins.length === 0 && store.get() === null && config.embeddedHub) {
    try {
      const secretsKey = await loadHubSecretsKey({
        safeStorage: electron.safeStorage,
        platform: config.platform,
        filePath: path.join(userDataDir, HUB_SECRETS_KEY_FILE),
      });
      embedded = await config.embeddedHub({ userDataDir, secret, secretsKey });
    } catch (error) {
      const { title, content } = hubStartFailure(error, userDataDir);
      electron.dialog.showErrorBox(title, content);
      electron.app.quit();
      return null;
    }
    closeHubOnQuit(electron.app, embedded);
  }
  // Listening by now: the first page's CSP names the embedded hub, and the page can reach it.
  const hubAccess = createHubAccess(
    config.hubOrigins,
    store,
    embedded?.url ?? null,
    embedded ? secret : null,
  );
  electron.protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler(config.rendererDir, hubAccess.contentSecurityPolicy),
  );

  const session = electron.session.defaultSession;
  const allowed = (permission: string, requestingUrl: string | undefined): boolean =>
    ALLOWED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    allowed(permission, requestingOrigin),
  );

  const services = createDesktopServices(electron, config, hubAccess, (payload) => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
    window.webContents.send('notification:clicked', payload);
  });
  registerIpcHandlers(electron.ipcMain, services, isAppUrl);

  // Hardened by `web-contents-created` above, as it is created.
  window = new electron.BrowserWindow(mainWindowOptions(config.preloadPath));
  const shown = window;
  shown.once('ready-to-show', () => shown.show());
  electron.app.on('window-all-closed', () => electron.app.quit());

  await shown.loadURL(config.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return shown;
}

/**
 * Where the packaged app keeps its editable data (`resources/` in the source tree; electron-builder
 * copies `resources/pricing` to `<resources>/pricing`, outside the asar archive).
 */
export interface AppLocation {
  readonly isPackaged: boolean;
  /** Electron's `process.resourcesPath`. */
  readonly resourcesPath: string;
  /** The working directory: relative paths in the environment resolve against it. */
  readonly cwd: string;
}

export function defaultDesktopConfig(
  mainDir: string,
  env: Record<string, string | undefined>,
  proc: { versions: Record<string, string | undefined>; platform: string; arch: string },
  location: AppLocation = { isPackaged: false, resourcesPath: '', cwd: process.cwd() },
  /**
   * Electron's `utilityProcess`: the embedded hub runs in one (src/main/hub-process.ts). Only
   * tests leave it out, to run the hub in their own process.
   */
  utilityProcess?: UtilityProcessLike,
): DesktopConfig {
  const hub = env['REPLYDESK_HUB_URL'];
  const hubCheck = hub ? normaliseHubUrl(hub) : null;
  if (hubCheck && !hubCheck.ok) throw new Error(`REPLYDESK_HUB_URL: ${hubCheck.message}`);
  const rendererDir = path.join(mainDir, '../renderer');
  const pricingDir = location.isPackaged
    ? path.join(location.resourcesPath, 'pricing')
    : path.join(mainDir, '../../resources/pricing');
  return {
    rendererDir,
    preloadPath: path.join(mainDir, '../preload/index.cjs'),
    devServerUrl: env['ELECTRON_RENDERER_URL'],
    hubOrigins: hubCheck ? [hubCheck.url] : [],
    embeddedHub: hubCheck
      ? null
      : embeddedHubStarter(
          {
            env,
            cwd: location.cwd,
            rendererDir,
            defaultRateCard: path.join(pricingDir, 'rate-card.example.json'),
          },
          utilityProcess
            ? startHubInUtilityProcess(utilityProcess, path.join(mainDir, HUB_PROCESS_FILE))
            : undefined,
        ),
    versions: { electron: proc.versions['electron'] ?? '', chrome: proc.versions['chrome'] ?? '' },
    platform: proc.platform as AppInfo['platform'],
    arch: proc.arch,
  };
}
