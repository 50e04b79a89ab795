import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { BrowserWindowConstructorOptions } from 'electron';
import { DEEP_LINK_SCHEME, deepLinkInArgv } from '../shared/desktop/deep-link';
import type { DesktopSettings, DesktopSettingsState } from '../shared/desktop/settings';
import type { Availability } from '../shared/protocol/admin';
import { normaliseHubUrl, type AppInfo } from '../shared/ipc/contract';
import { appMenuTemplate } from './app-menu';
import { attachContextMenu, type ContextMenuContents } from './context-menu';
import {
  createActivityBoard,
  createUpdateController,
  type ActivityBoard,
  type UpdateController,
  type UpdaterLike,
} from './auto-update';
import { createDeepLinkRouter, type DeepLinkRouter } from './deep-links';
import {
  DESKTOP_SETTINGS_FILE,
  openDesktopSettings,
  type DesktopSettingsStore,
} from './desktop-settings';
import {
  attachmentSaveDialog,
  saveAttachmentFile,
  type DownloadItemLike,
  type SaveDialogAnswer,
} from './downloads';
import { createNotifier, type NotificationClassLike, type Notifier } from './notifications';
import {
  applyOverlay,
  createNotificationPause,
  createTrayController,
  type OverlayWindow,
  type Schedule,
  type TrayController,
  type TrayElectron,
  type TrayFigures,
} from './tray';
import {
  placeWindow,
  readWindowState,
  trackWindowState,
  writeWindowState,
  WINDOW_STATE_FILE,
  type ScreenLike,
  type StatefulWindow,
} from './window-state';
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
  popOutHash,
  popOutWindowOptions,
  type HardenableWebContents,
} from './window';

/**
 * The slice of the `electron` module the shell uses. `src/main/index.ts` passes the real module;
 * tests pass a fake (test/main/fake-electron.ts), so all of this runs under Node.
 */
export interface ElectronLike extends TrayElectron {
  app: {
    whenReady(): Promise<unknown>;
    on(event: 'window-all-closed' | 'activate' | 'before-quit', listener: () => void): unknown;
    on(event: 'second-instance', listener: (event: unknown, argv: string[]) => void): unknown;
    /** macOS: a `replydesk:` link opened while the app runs or launches it. */
    on(
      event: 'open-url',
      listener: (event: { preventDefault(): void }, url: string) => void,
    ): unknown;
    on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
    /** Every web contents: windows, and any other the page may cause (a `<webview>`, a popup). */
    on(
      event: 'web-contents-created',
      listener: (event: unknown, contents: HardenableWebContents & ContextMenuContents) => void,
    ): unknown;
    quit(): void;
    exit(code?: number): void;
    relaunch(): void;
    getName(): string;
    getVersion(): string;
    /** The system's languages, most preferred first (`en-US`, `de-DE`). */
    getPreferredSystemLanguages(): string[];
    requestSingleInstanceLock(): boolean;
    setBadgeCount(count?: number): boolean;
    setAsDefaultProtocolClient(protocol: string): boolean;
    setLoginItemSettings(settings: { openAtLogin: boolean }): void;
    getPath(name: 'userData' | 'crashDumps' | 'downloads'): string;
  };
  safeStorage: SafeStorageLike;
  utilityProcess: UtilityProcessLike;
  dialog: {
    showErrorBox(title: string, content: string): void;
    showMessageBox(options: {
      type: 'info';
      buttons: string[];
      defaultId: number;
      cancelId: number;
      message: string;
      detail: string;
    }): Promise<{ response: number }>;
    showSaveDialog(options: {
      title: string;
      defaultPath: string;
      buttonLabel: string;
    }): Promise<SaveDialogAnswer>;
  };
  BrowserWindow: {
    new (options: BrowserWindowConstructorOptions): BrowserWindowLike;
    getAllWindows(): BrowserWindowLike[];
  };
  ipcMain: IpcMainLike;
  shell: { openExternal(url: string): Promise<void>; openPath(path: string): Promise<string> };
  Notification: NotificationClassLike;
  Menu: TrayElectron['Menu'] & { setApplicationMenu(menu: unknown): void };
  screen: ScreenLike;
  crashReporter: { start(options: { uploadToServer: boolean; compress: boolean }): void };
  protocol: {
    registerSchemesAsPrivileged(
      schemes: { scheme: string; privileges: Record<string, boolean> }[],
    ): void;
    handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
  };
  session: { defaultSession: SessionLike };
}

export interface SessionLike {
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
  setSpellCheckerLanguages(languages: string[]): void;
  readonly availableSpellCheckerLanguages: string[];
  addWordToSpellCheckerDictionary(word: string): boolean;
  clearStorageData(): Promise<void>;
  clearCache(): Promise<void>;
  on(event: 'will-download', listener: (event: unknown, item: DownloadItemLike) => void): unknown;
}

export interface BrowserWindowLike extends StatefulWindow, OverlayWindow {
  readonly webContents: HardenableWebContents & {
    readonly id: number;
    send(channel: string, payload: unknown): void;
  };
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: (event: { preventDefault(): void }) => void): unknown;
  on(event: 'closed' | 'resize' | 'move', listener: () => void): unknown;
  show(): void;
  hide(): void;
  focus(): void;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  restore(): void;
  maximize(): void;
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
  /** The command line: on Windows and Linux a `replydesk:` link that launched the app. */
  readonly argv?: readonly string[];
  /** electron-updater's `autoUpdater` (packaged app only); `null`: no auto-update. */
  readonly updater?: (() => Promise<UpdaterLike>) | null;
  /** `REPLYDESK_UPDATE_URL`: a team's own update feed instead of the one built in. */
  readonly updateFeedUrl?: string | null;
  /** Timers, so tests can drive them; `setInterval` / `Date.now` in the app. */
  readonly every?: (run: () => void, ms: number) => void;
  /** A one-off timer (the end of a notification pause); `setTimeout` in the app. */
  readonly schedule?: Schedule;
  readonly now?: () => number;
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

/** What the services need from the rest of the shell, beyond Electron itself. */
export interface ShellParts {
  readonly hubAccess: Pick<HubAccess, 'credentials' | 'embeddedSecret'>;
  readonly notifier: Notifier;
  readonly deepLinks: DeepLinkRouter;
  readonly settings: DesktopSettingsStore;
  readonly activity: ActivityBoard;
  readonly updates: UpdateController | null;
  readonly onFigures: (figures: TrayFigures) => void;
  readonly onAvailability: (availability: Availability | null) => void;
  readonly popOut: (conversationId: string) => boolean;
  /** Forget the hub and session this computer remembers (credentials.enc). */
  readonly forgetCredentials: () => Promise<void>;
}

export function createDesktopServices(
  electron: ElectronLike,
  config: DesktopConfig,
  parts: ShellParts,
): DesktopServices {
  const { settings } = parts;
  const settingsState = (): DesktopSettingsState => ({
    settings: settings.get(),
    supported: {
      closeToTray: config.platform === 'win32',
      startAtLogin: config.platform === 'win32' || config.platform === 'darwin',
      // macOS spells with the system's own languages: nothing to choose.
      spellcheckLanguages:
        config.platform === 'darwin'
          ? []
          : electron.session.defaultSession.availableSpellCheckerLanguages.slice(0, 200),
    },
    update: parts.updates?.status() ?? { state: 'disabled' },
  });
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
    showNotification: (request) => parts.notifier.show(request),
    // Linux desktops without Unity support report false; the renderer shows counts itself.
    setBadgeCount: (count, closingSoon) => {
      parts.onFigures({ waiting: count, closingSoon: closingSoon ?? 0 });
      return electron.app.setBadgeCount(count);
    },
    credentials: parts.hubAccess.credentials,
    embeddedSecret: () => parts.hubAccess.embeddedSecret(),
    takeDeepLink: () => parts.deepLinks.take(),
    popOut: (conversationId) => parts.popOut(conversationId),
    desktopSettings: settingsState,
    setDesktopSettings: async (patch) => {
      await settings.update(patch);
      return settingsState();
    },
    reportActivity: (windowId, activity) => parts.activity.report(windowId, activity),
    showTrayAvailability: (availability) => parts.onAvailability(availability),
    checkForUpdates: async () => {
      if (!parts.updates) return { state: 'disabled' };
      await parts.updates.check();
      return parts.updates.status();
    },
    restartToUpdate: () =>
      parts.updates?.restartNow() ?? {
        restarting: false,
        reason: 'Updates are off in this build.',
      },
    openCrashReports: async () => {
      // `openPath` answers an error message, or '' once the folder is shown.
      const failure = await electron.shell.openPath(electron.app.getPath('crashDumps'));
      return failure === '' ? { opened: true } : { opened: false, reason: failure.slice(0, 300) };
    },
    saveAttachment: (request) =>
      saveAttachmentFile(request, {
        showSaveDialog: (options) => electron.dialog.showSaveDialog(options),
        writeFile: (filePath, bytes) => writeFile(filePath, bytes),
        downloadsDir: electron.app.getPath('downloads'),
      }),
    resetLocalData: async () => {
      // Everything the page stored (IndexedDB with the cache, outbox and drafts, localStorage,
      // the service worker's caches), the HTTP cache, and the remembered hub and session. The
      // embedded hub's own database is this computer's hub, not a cache: it stays.
      const session = electron.session.defaultSession;
      await session.clearStorageData();
      await session.clearCache();
      await parts.forgetCredentials();
      electron.app.relaunch();
      electron.app.exit(0);
      return { restarting: true };
    },
  };
}

/** Apply the settings main itself acts on: start at login, spellcheck languages. */
function applyDesktopSettings(
  electron: ElectronLike,
  config: DesktopConfig,
  settings: DesktopSettings,
): void {
  if (config.platform === 'win32' || config.platform === 'darwin') {
    electron.app.setLoginItemSettings({ openAtLogin: settings.startAtLogin });
  }
  // macOS ignores the list (its spellchecker follows the system's languages).
  if (config.platform !== 'darwin') {
    const available = electron.session.defaultSession.availableSpellCheckerLanguages;
    const chosen = settings.spellcheckLanguages.filter((language) => available.includes(language));
    // None chosen (or none of them installed): the system's own, also after clearing a choice,
    // which would otherwise keep spelling in the languages chosen before until a restart.
    const languages =
      chosen.length > 0
        ? chosen
        : systemSpellcheckLanguages(electron.app.getPreferredSystemLanguages(), available);
    if (languages.length > 0) electron.session.defaultSession.setSpellCheckerLanguages(languages);
  }
}

/**
 * The spellchecker's languages for the system's (`de-DE` → `de-DE` if there is one, else `de`
 * or the first `de-…`), most preferred first, at most three: each is a dictionary consulted.
 */
export function systemSpellcheckLanguages(
  preferred: readonly string[],
  available: readonly string[],
): string[] {
  const found: string[] = [];
  for (const tag of preferred) {
    const base = tag.split('-')[0]?.toLowerCase() ?? '';
    const match =
      available.find((language) => language.toLowerCase() === tag.toLowerCase()) ??
      available.find((language) => language.toLowerCase() === base) ??
      available.find((language) => language.toLowerCase().startsWith(`${base}-`));
    if (match !== undefined && !found.includes(match)) found.push(match);
    if (found.length === 3) break;
  }
  return found;
}

/** Attachments are saved where the agent chooses, through the system's own save dialog. */
export function saveDownloadsWithDialog(electron: ElectronLike): void {
  electron.session.defaultSession.on('will-download', (_event, item) => {
    item.setSaveDialogOptions(
      attachmentSaveDialog(item.getFilename(), electron.app.getPath('downloads')),
    );
  });
}

/**
 * Start the desktop shell: the embedded hub when no team hub is configured or remembered, then
 * one hardened window on the app's own origin, the IPC contract, and a single instance (a second
 * launch focuses the first window, and opens the link it was given: two copies must never open
 * one hub's data folder). Then what makes it a desktop app (issue #21): the tray, links,
 * notifications that act, remembered window state, pop-out windows, the menu, auto-update.
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
  // Crashes are written to `crashDumps` for support to ask for; nothing is ever uploaded.
  electron.crashReporter.start({ uploadToServer: false, compress: true });
  const now = config.now ?? Date.now;
  const appOrigins = [
    APP_ORIGIN,
    ...(config.devServerUrl ? [new URL(config.devServerUrl).origin] : []),
  ];
  const pageUrl = (hash = ''): string =>
    `${config.devServerUrl ?? `${APP_ORIGIN}/index.html`}${hash}`;
  const isAppUrl = (url: string): boolean => isSameOrigin(url, appOrigins);
  // Every web contents, not only the main window's: whatever else comes to exist (a popup, a
  // `<webview>`, a future window) can navigate nowhere, open nothing and attach no webview.
  electron.app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      isAppUrl,
      openExternal: (url) => void electron.shell.openExternal(url),
    });
    // Spelling suggestions and the edit items on right click: Electron shows no menu itself.
    attachContextMenu(contents, {
      buildMenu: (template) => electron.Menu.buildFromTemplate(template),
      addToDictionary: (word) =>
        void electron.session.defaultSession.addWordToSpellCheckerDictionary(word),
    });
  });

  let window: BrowserWindowLike | null = null;
  let quitting = false;
  electron.app.on('before-quit', () => {
    quitting = true;
  });
  const bringForward = (): BrowserWindowLike | null => {
    if (!window || window.isDestroyed()) return null;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };
  const deepLinks = createDeepLinkRouter({
    deliver: () => bringForward()?.webContents.send('deep-link:available', {}),
  });
  // Registered at once: a link or a second launch while the hub is still starting must not be
  // lost (macOS sends `open-url` before `ready` when a link launches the app).
  electron.app.on('open-url', (event, url) => {
    event.preventDefault();
    deepLinks.handle(url);
  });
  electron.app.on('second-instance', (_event, argv) => {
    const link = deepLinkInArgv(argv);
    if (link !== null) deepLinks.handle(link);
    else bringForward();
  });
  await electron.app.whenReady();
  electron.app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);

  // After `ready`: safeStorage answers only then. Read before the page loads, so its CSP already
  // names the remembered hub.
  const userDataDir = electron.app.getPath('userData');
  const store = await openCredentialStore({
    safeStorage: electron.safeStorage,
    platform: config.platform,
    filePath: path.join(userDataDir, CREDENTIALS_FILE),
  });
  const settings = await openDesktopSettings(path.join(userDataDir, DESKTOP_SETTINGS_FILE));

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
  saveDownloadsWithDialog(electron);
  applyDesktopSettings(electron, config, settings.get());

  const activity = createActivityBoard();
  const popOuts = new Map<string, BrowserWindowLike>();
  const popOut = (conversationId: string): boolean => {
    const open = popOuts.get(conversationId);
    if (open && !open.isDestroyed()) {
      open.show();
      open.focus();
      return true;
    }
    const popped = new electron.BrowserWindow(popOutWindowOptions(config.preloadPath));
    const id = popped.webContents.id;
    popOuts.set(conversationId, popped);
    popped.once('ready-to-show', () => popped.show());
    popped.on('closed', () => {
      popOuts.delete(conversationId);
      activity.forget(id);
    });
    void popped.loadURL(pageUrl(popOutHash(conversationId)));
    return true;
  };

  const pause = createNotificationPause(now, () => tray?.refresh(), config.schedule);
  let tray: TrayController | null = null;
  const notifier = createNotifier({
    Notification: electron.Notification,
    platform: config.platform,
    pausedUntil: pause.pausedUntil,
    onClick: (conversationId) =>
      bringForward()?.webContents.send('notification:clicked', { conversationId }),
    // The page decides: it knows the reply window, and sends through its outbox.
    onReply: (conversationId, text) =>
      window?.webContents.send('notification:reply', { conversationId, text }),
  });

  const updates = config.updater
    ? createUpdateController({
        updater: await config.updater(),
        feedUrl: config.updateFeedUrl ?? null,
        channel: settings.get().updateChannel,
        currentVersion: electron.app.getVersion(),
        activity,
        // macOS installs through Electron's autoUpdater, which closes the windows before
        // `before-quit`: without this the close handler would keep the app in the dock and the
        // install would never happen.
        beforeInstall: () => {
          quitting = true;
        },
        ask: async (version) => {
          const { response } = await electron.dialog.showMessageBox({
            type: 'info',
            buttons: ['Restart now', 'Later'],
            defaultId: 0,
            cancelId: 1,
            message: `Replydesk ${version} is ready`,
            detail:
              'Restart to finish updating. Nothing is being typed or waiting to send, so nothing is interrupted.',
          });
          return response === 0;
        },
        every: config.every ?? ((run, ms) => void setInterval(run, ms).unref()),
        // Every window hears it: Settings and the "Restart to update" button follow.
        onStatus: (status) => {
          for (const open of [window, ...popOuts.values()]) {
            if (open && !open.isDestroyed()) open.webContents.send('update:status', status);
          }
        },
      })
    : null;
  settings.onChange((next) => {
    applyDesktopSettings(electron, config, next);
    updates?.setChannel(next.updateChannel);
  });

  const services = createDesktopServices(electron, config, {
    hubAccess,
    notifier,
    deepLinks,
    settings,
    activity,
    updates,
    popOut,
    onFigures: (figures) => {
      tray?.update(figures);
      if (config.platform === 'win32' && window)
        applyOverlay(window, figures, electron.nativeImage);
    },
    onAvailability: (availability) => tray?.showAvailability(availability),
    forgetCredentials: () => store.forget(),
  });
  registerIpcHandlers(electron.ipcMain, services, isAppUrl);

  // Hardened by `web-contents-created` above, as it is created; placed where it was last.
  const statePath = path.join(userDataDir, WINDOW_STATE_FILE);
  const placement = placeWindow(await readWindowState(statePath), electron.screen);
  window = new electron.BrowserWindow({
    ...mainWindowOptions(config.preloadPath),
    ...(placement.bounds ?? {}),
  });
  const shown = window;
  if (placement.maximised) shown.maximize();
  trackWindowState(shown, electron.screen, (state) => writeWindowState(statePath, state));
  shown.once('ready-to-show', () => shown.show());
  shown.on('close', (event) => {
    // macOS apps stay in the dock, and on Windows the tray keeps Replydesk (a setting): the
    // window hides, its page keeps syncing and notifying.
    const keep =
      config.platform === 'darwin' || (config.platform === 'win32' && settings.get().closeToTray);
    if (keep && !quitting) {
      event.preventDefault();
      shown.hide();
    }
  });
  shown.on('closed', () => activity.forget(shown.webContents.id));
  electron.app.on('activate', () => void bringForward());
  electron.app.on('window-all-closed', () => {
    if (config.platform !== 'darwin') electron.app.quit();
  });

  tray = createTrayController(electron, pause, {
    open: () => void bringForward(),
    setAvailability: (availability) =>
      window?.webContents.send('tray:set-availability', { availability }),
    quit: () => electron.app.quit(),
  });
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate(
      appMenuTemplate(config.platform, electron.app.getName(), {
        command: (command) => {
          // The focused pop-out has no inbox: the menu acts on the main window.
          bringForward()?.webContents.send('menu:command', { command });
        },
        openCrashReports: () => void electron.shell.openPath(electron.app.getPath('crashDumps')),
        quit: () => electron.app.quit(),
      }),
    ),
  );

  await shown.loadURL(pageUrl());
  // Windows and Linux: the link that launched the app is on its command line.
  const launchLink = deepLinkInArgv(config.argv ?? []);
  if (launchLink !== null) deepLinks.handle(launchLink);
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
  proc: {
    versions: Record<string, string | undefined>;
    platform: string;
    arch: string;
    argv?: readonly string[];
  },
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
  const updateFeedUrl = env['REPLYDESK_UPDATE_URL']
    ? checkUpdateFeedUrl(env['REPLYDESK_UPDATE_URL'])
    : null;
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
    argv: proc.argv ?? [],
    updateFeedUrl,
  };
}

/**
 * `REPLYDESK_UPDATE_URL`, a team's own update feed: the folder holding `latest.yml` (and
 * `beta.yml`) and the installers. https only (plain http on this computer, for testing): the
 * feed decides what code runs next.
 */
export function checkUpdateFeedUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('REPLYDESK_UPDATE_URL: not a valid address.');
  }
  const loopback = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error('REPLYDESK_UPDATE_URL: the update feed must be an https address.');
  }
  if (url.username !== '' || url.password !== '') {
    throw new Error('REPLYDESK_UPDATE_URL: no user name or password in the address.');
  }
  return url.toString().replace(/\/$/, '');
}

/** The configuration with electron-updater's updater, or none (`null`: no auto-update). */
export function withUpdater(
  config: DesktopConfig,
  updater: (() => Promise<UpdaterLike>) | null,
): DesktopConfig {
  return { ...config, updater };
}
