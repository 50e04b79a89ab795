import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  BrowserWindowConstructorOptions,
  MenuItemConstructorOptions,
  NativeImage,
} from 'electron';
import type { BrowserWindowLike, ElectronLike } from '../../src/main/app';
import type { ContextMenuParamsLike } from '../../src/main/context-menu';
import type { UpdaterLike } from '../../src/main/auto-update';
import type { DownloadItemLike } from '../../src/main/downloads';
import type { NotificationLike, NotificationOptionsLike } from '../../src/main/notifications';
import type { TrayLike } from '../../src/main/tray';
import type { DisplayLike, Rectangle, ScreenLike } from '../../src/main/window-state';
import {
  serveHubProcess,
  type HubProcessDeps,
  type ParentPortLike,
  type UtilityChildLike,
  type UtilityProcessLike,
} from '../../src/main/hub-process';
import type { InvokeEventLike } from '../../src/main/ipc-handlers';
import type { NavigationEventLike } from '../../src/main/window';

/**
 * A fake of the `electron` module's main-process surface that records what the shell does, so
 * the shell's logic runs and is checked under Node (the Electron runtime cannot run here).
 */

type InvokeListener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

export class FakeNavigationEvent implements NavigationEventLike {
  defaultPrevented = false;
  constructor(readonly url: string) {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  readonly sent: { channel: string; payload: unknown }[] = [];
  /** `replaceMisspelling` calls: the words put in place of a misspelt one. */
  readonly replacements: string[] = [];
  replaceMisspelling(text: string): void {
    this.replacements.push(text);
  }
  /** The agent right-clicks (`context-menu`) with these parameters. */
  rightClick(params: Partial<ContextMenuParamsLike> = {}): void {
    this.emit(
      'context-menu',
      {},
      {
        isEditable: false,
        selectionText: '',
        misspelledWord: '',
        dictionarySuggestions: [],
        editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true },
        ...params,
      },
    );
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  /** Simulate the page navigating; returns whether Electron would have let it happen. */
  navigate(url: string, kind: 'will-navigate' | 'will-redirect' = 'will-navigate'): boolean {
    const event = new FakeNavigationEvent(url);
    this.emit(kind, event);
    return !event.defaultPrevented;
  }
  /** Simulate `window.open(url)` from the page. */
  windowOpen(url: string): 'deny' | 'allow' {
    if (!this.windowOpenHandler) return 'allow';
    return this.windowOpenHandler({ url }).action;
  }
}

export class FakeBrowserWindow extends EventEmitter implements BrowserWindowLike {
  static readonly created: FakeBrowserWindow[] = [];
  /** Electron's `app` 'web-contents-created', as each window's contents come to exist. */
  static onWebContents: (contents: FakeWebContents) => void = () => undefined;
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.created;
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  visible = false;
  focused = 0;
  minimized = false;
  maximised = false;
  destroyed = false;
  bounds: Rectangle;
  /** `setOverlayIcon` calls: the description, or null when the overlay was removed. */
  readonly overlays: (string | null)[] = [];
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
    FakeBrowserWindow.created.push(this);
    FakeBrowserWindow.onWebContents(this.webContents);
  }
  hide(): void {
    this.visible = false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  maximize(): void {
    this.maximised = true;
  }
  isMaximized(): boolean {
    return this.maximised;
  }
  getNormalBounds(): Rectangle {
    return this.bounds;
  }
  setOverlayIcon(overlay: NativeImage | null, description: string): void {
    this.overlays.push(overlay === null ? null : description);
  }
  /** The user moves and resizes the window. */
  moveTo(bounds: Rectangle): void {
    this.bounds = bounds;
    this.emit('move');
  }
  /** The user closes the window: 'close' (which may be prevented), then 'closed'. */
  close(): boolean {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (prevented) return false;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
    return true;
  }
  /** Handlers registered with `protocol.handle`: a load of their scheme goes through them. */
  static protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  /** The CSP the loaded page got, as Chromium would enforce it for the page's lifetime. */
  loadedPolicy: string | null = null;
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    const handler = FakeBrowserWindow.protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (handler) {
      const response = await handler(new Request(url));
      this.loadedPolicy = response.headers.get('content-security-policy');
    }
    this.emit('ready-to-show');
  }
  /** `webContents.reload()` as the page's `location.reload()` does it. */
  reload(): Promise<void> {
    return this.loadURL(this.loadedUrl ?? 'about:blank');
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused += 1;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
}

export class FakeNotification extends EventEmitter implements NotificationLike {
  static supported = true;
  static readonly shown: FakeNotification[] = [];
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  closed = false;
  constructor(readonly options: NotificationOptionsLike) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
  click(): void {
    this.emit('click');
  }
  /** The agent types into the inline reply field (macOS) and presses Reply. */
  reply(text: string): void {
    this.emit('reply', { reply: text });
  }
}

/** A built menu: the template, whose items a test can click by label. */
export class FakeMenu {
  /** Context menus popped up, newest last. */
  static readonly popped: FakeMenu[] = [];
  constructor(readonly template: MenuItemConstructorOptions[]) {}
  popup(): void {
    FakeMenu.popped.push(this);
  }
  item(label: string | RegExp): MenuItemConstructorOptions {
    const all = (items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] =>
      items.flatMap((item) => [
        item,
        ...(Array.isArray(item.submenu) ? all(item.submenu as MenuItemConstructorOptions[]) : []),
      ]);
    const found = all(this.template).find((item) =>
      typeof label === 'string' ? item.label === label : label.test(item.label ?? ''),
    );
    if (!found) throw new Error(`No menu item ${String(label)}`);
    return found;
  }
  click(label: string | RegExp): void {
    const item = this.item(label);
    (item.click as (() => void) | undefined)?.();
  }
  labels(): string[] {
    return this.template.map((item) => item.label ?? `(${item.type ?? item.role ?? ''})`);
  }
}

export class FakeTray extends EventEmitter implements TrayLike {
  static readonly created: FakeTray[] = [];
  toolTip = '';
  title = '';
  images = 1;
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(readonly image: NativeImage) {
    super();
    FakeTray.created.push(this);
  }
  setImage(): void {
    this.images += 1;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu as FakeMenu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/** Displays as `screen` reports them; tests add and remove monitors. */
export class FakeScreen implements ScreenLike {
  displays: DisplayLike[] = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  getAllDisplays(): DisplayLike[] {
    return this.displays;
  }
  getPrimaryDisplay(): DisplayLike {
    const first = this.displays[0];
    if (!first) throw new Error('no display');
    return first;
  }
  getDisplayMatching(rect: Rectangle): DisplayLike {
    const centreX = rect.x + rect.width / 2;
    const centreY = rect.y + rect.height / 2;
    return (
      this.displays.find(
        ({ workArea: a }) =>
          centreX >= a.x && centreX < a.x + a.width && centreY >= a.y && centreY < a.y + a.height,
      ) ?? this.getPrimaryDisplay()
    );
  }
}

export class FakeDownloadItem implements DownloadItemLike {
  dialog: { title: string; defaultPath: string; buttonLabel?: string } | null = null;
  constructor(private readonly name: string) {}
  getFilename(): string {
    return this.name;
  }
  setSaveDialogOptions(options: {
    title: string;
    defaultPath: string;
    buttonLabel?: string;
  }): void {
    this.dialog = options;
  }
}

/**
 * Electron's `utilityProcess`: each fork runs the real `serveHubProcess` in this process, with
 * `deps` standing in for the hub and the data folder, messages passing as Electron passes them.
 */
export class FakeUtilityProcess implements UtilityProcessLike {
  readonly forks: { modulePath: string; args: string[] | undefined; options: unknown }[] = [];
  readonly messages: { to: unknown[]; from: unknown[] }[] = [];
  constructor(public deps: Omit<HubProcessDeps, 'exit'>) {}
  fork(modulePath: string, args?: string[], options?: unknown): UtilityChildLike {
    this.forks.push({ modulePath, args, options });
    const log = { to: [] as unknown[], from: [] as unknown[] };
    this.messages.push(log);
    const child = new EventEmitter();
    const port = new EventEmitter();
    let alive = true;
    const parentPort: ParentPortLike = {
      on: (event, listener) => port.on(event, listener),
      postMessage: (message) => {
        if (!alive) return;
        log.from.push(message);
        queueMicrotask(() => child.emit('message', message));
      },
    };
    const exit = (code: number): void => {
      if (!alive) return;
      alive = false;
      queueMicrotask(() => child.emit('exit', code));
    };
    serveHubProcess(parentPort, { ...this.deps, exit });
    return {
      postMessage: (message) => {
        log.to.push(message);
        queueMicrotask(() => port.emit('message', { data: message }));
      },
      on: (event: string, listener: (...args: never[]) => void) =>
        child.on(event, listener as (...args: unknown[]) => void),
      kill: () => {
        exit(15);
        return true;
      },
    };
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Invoke as a renderer frame at `frameUrl` would (from web contents `senderId`). */
  invoke(channel: string, frameUrl: string | null, ...args: unknown[]): Promise<unknown> {
    return this.invokeFrom(0, channel, frameUrl, ...args);
  }
  invokeFrom(
    senderId: number,
    channel: string,
    frameUrl: string | null,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    return handler(
      { senderFrame: frameUrl === null ? null : { url: frameUrl }, sender: { id: senderId } },
      ...args,
    );
  }
}

/**
 * A stand-in for the operating system's key store: "encrypts" by XOR with a key and a version
 * prefix, so a test can see that nothing readable reaches the disk, and refuses what it did not
 * encrypt, as the real one does.
 */
export class FakeSafeStorage {
  encryptionAvailable = true;
  /** What Linux reports; `basic_text` means a hard-coded password, i.e. plain text. */
  backend = 'gnome_libsecret';
  private static readonly prefix = Buffer.from('v11');
  private static xor(bytes: Buffer): Buffer {
    return Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  }
  isEncryptionAvailable(): boolean {
    return this.encryptionAvailable;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    if (!this.encryptionAvailable) throw new Error('Encryption is not available.');
    return Buffer.concat([FakeSafeStorage.prefix, FakeSafeStorage.xor(Buffer.from(plainText))]);
  }
  decryptString(encrypted: Buffer): string {
    if (!encrypted.subarray(0, 3).equals(FakeSafeStorage.prefix)) {
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    }
    return FakeSafeStorage.xor(encrypted.subarray(3)).toString();
  }
}

export interface FakeElectron extends ElectronLike {
  readonly safeStorage: FakeSafeStorage;
  /** `app.getPath('userData')`: a fresh temporary folder unless one is passed in. */
  readonly userDataDir: string;
  readonly ipcMain: FakeIpcMain;
  readonly opened: string[];
  readonly badgeCounts: number[];
  readonly appEvents: EventEmitter;
  readonly schemes: { scheme: string; privileges: Record<string, boolean> }[];
  readonly protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  readonly utilityProcess: FakeUtilityProcess;
  permissionRequest:
    | ((
        contents: unknown,
        permission: string,
        cb: (ok: boolean) => void,
        details: { requestingUrl?: string },
      ) => void)
    | null;
  permissionCheck:
    ((contents: unknown, permission: string, requestingOrigin: string) => boolean) | null;
  /** A web contents that is not a window's (a `<webview>`, a popup): 'web-contents-created'. */
  createWebContents(): FakeWebContents;
  quitCalls: number;
  singleInstance: boolean;
  /** `dialog.showErrorBox` calls, in order. */
  readonly errorBoxes: { title: string; content: string }[];
  /** Whether the app has really quit: a `will-quit` nobody prevented (see `app.quit`). */
  hasQuit: boolean;
  readonly screen: FakeScreen;
  /** The application menu set last. */
  applicationMenu: FakeMenu | null;
  readonly protocolClients: string[];
  readonly loginItems: { openAtLogin: boolean }[];
  readonly spellcheckLanguages: string[][];
  availableSpellCheckerLanguages: string[];
  /** `app.getPreferredSystemLanguages()`. */
  systemLanguages: string[];
  /** Words added to the spellchecker's dictionary. */
  readonly dictionaryWords: string[];
  readonly crashReporterStarts: { uploadToServer: boolean; compress: boolean }[];
  /** `dialog.showMessageBox` calls; answered with `messageBoxResponse`. */
  readonly messageBoxes: { message: string; buttons: string[] }[];
  messageBoxResponse: number;
  /** `dialog.showSaveDialog` calls; answered with `saveDialogAnswer`. */
  readonly saveDialogs: { title: string; defaultPath: string; buttonLabel: string }[];
  saveDialogAnswer: { canceled: boolean; filePath?: string };
  readonly openedPaths: string[];
  /** Wiped by "reset local data". */
  readonly cleared: ('storage' | 'cache')[];
  relaunched: number;
  readonly exitCodes: number[];
  /** The session's `will-download`: a download the page starts. */
  download(fileName: string): FakeDownloadItem;
  /** macOS opens a link: `open-url`; returns whether the default was prevented. */
  openUrl(url: string): boolean;
  /** A second launch with this command line. */
  secondInstance(argv: string[]): void;
}

const userDataDirs: string[] = [];

/** Delete the temporary `userData` folders the fakes made (call from `afterAll`). */
export function removeFakeUserData(): void {
  for (const dir of userDataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function temporaryUserData(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'replydesk-user-data-'));
  userDataDirs.push(dir);
  return dir;
}

export function createFakeElectron(
  options: { userDataDir?: string; safeStorage?: FakeSafeStorage } = {},
): FakeElectron {
  FakeBrowserWindow.created.length = 0;
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  FakeBrowserWindow.protocolHandlers = protocolHandlers;
  FakeNotification.shown.length = 0;
  FakeNotification.supported = true;
  FakeTray.created.length = 0;
  FakeMenu.popped.length = 0;
  const appEvents = new EventEmitter();
  const sessionEvents = new EventEmitter();
  FakeBrowserWindow.onWebContents = (contents) =>
    appEvents.emit('web-contents-created', {}, contents);
  const fake: FakeElectron = {
    utilityProcess: new FakeUtilityProcess({
      startHub: async () => ({
        url: 'http://127.0.0.1:45123',
        port: 45123,
        close: async () => undefined,
      }),
      initialise: async () => undefined,
    }),
    createWebContents: () => {
      const contents = new FakeWebContents();
      appEvents.emit('web-contents-created', {}, contents);
      return contents;
    },
    safeStorage: options.safeStorage ?? new FakeSafeStorage(),
    userDataDir: options.userDataDir ?? temporaryUserData(),
    ipcMain: new FakeIpcMain(),
    opened: [],
    badgeCounts: [],
    appEvents,
    schemes: [],
    protocolHandlers,
    permissionRequest: null,
    permissionCheck: null,
    quitCalls: 0,
    singleInstance: true,
    errorBoxes: [],
    hasQuit: false,
    screen: new FakeScreen(),
    applicationMenu: null,
    protocolClients: [],
    loginItems: [],
    spellcheckLanguages: [],
    availableSpellCheckerLanguages: ['en-US', 'en-GB', 'de', 'fr', 'nl'],
    systemLanguages: ['en-US'],
    dictionaryWords: [],
    crashReporterStarts: [],
    messageBoxes: [],
    messageBoxResponse: 0,
    saveDialogs: [],
    saveDialogAnswer: { canceled: true },
    openedPaths: [],
    cleared: [],
    relaunched: 0,
    exitCodes: [],
    download: (fileName) => {
      const item = new FakeDownloadItem(fileName);
      sessionEvents.emit('will-download', {}, item);
      return item;
    },
    openUrl: (url) => {
      let prevented = false;
      appEvents.emit('open-url', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    },
    secondInstance: (argv) => void appEvents.emit('second-instance', {}, argv),
    Tray: FakeTray,
    Menu: {
      buildFromTemplate: (template) => new FakeMenu(template),
      setApplicationMenu: (menu) => {
        fake.applicationMenu = menu as FakeMenu;
      },
    },
    nativeImage: {
      createFromBuffer: (buffer) =>
        ({ isEmpty: () => buffer.length === 0, bytes: buffer }) as unknown as NativeImage,
    },
    crashReporter: {
      start: (options) => void fake.crashReporterStarts.push(options),
    },
    app: {
      whenReady: async () => undefined,
      on: (event: string, listener: (...args: never[]) => void) =>
        appEvents.on(event, listener as (...args: unknown[]) => void),
      // As Electron does once the windows are closed: `will-quit`, whose listeners may prevent
      // the quit (and call `quit()` again later).
      quit: () => {
        fake.quitCalls += 1;
        let prevented = false;
        appEvents.emit('will-quit', { preventDefault: () => (prevented = true) });
        if (!prevented) fake.hasQuit = true;
      },
      getName: () => 'Replydesk',
      getVersion: () => '0.1.0',
      getPreferredSystemLanguages: () => fake.systemLanguages,
      requestSingleInstanceLock: () => fake.singleInstance,
      setBadgeCount: (count) => {
        fake.badgeCounts.push(count ?? 0);
        return true;
      },
      getPath: (name) =>
        name === 'userData' ? fake.userDataDir : path.join(fake.userDataDir, `(${name})`),
      setAsDefaultProtocolClient: (protocol) => {
        fake.protocolClients.push(protocol);
        return true;
      },
      setLoginItemSettings: (settings) => void fake.loginItems.push(settings),
      relaunch: () => {
        fake.relaunched += 1;
      },
      exit: (code) => void fake.exitCodes.push(code ?? 0),
    },
    dialog: {
      showErrorBox: (title, content) => {
        fake.errorBoxes.push({ title, content });
      },
      showMessageBox: async ({ message, buttons }) => {
        fake.messageBoxes.push({ message, buttons });
        return { response: fake.messageBoxResponse };
      },
      showSaveDialog: async (options) => {
        fake.saveDialogs.push(options);
        return fake.saveDialogAnswer;
      },
    },
    BrowserWindow: FakeBrowserWindow,
    shell: {
      openExternal: async (url) => {
        fake.opened.push(url);
      },
      openPath: async (target) => {
        fake.openedPaths.push(target);
        return '';
      },
    },
    Notification: FakeNotification,
    protocol: {
      registerSchemesAsPrivileged: (schemes) => {
        fake.schemes.push(...schemes);
      },
      handle: (scheme, handler) => {
        fake.protocolHandlers.set(scheme, handler);
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler) => {
          fake.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler) => {
          fake.permissionCheck = handler;
        },
        setSpellCheckerLanguages: (languages) => void fake.spellcheckLanguages.push(languages),
        get availableSpellCheckerLanguages() {
          return fake.availableSpellCheckerLanguages;
        },
        addWordToSpellCheckerDictionary: (word) => {
          fake.dictionaryWords.push(word);
          return true;
        },
        clearStorageData: async () => void fake.cleared.push('storage'),
        clearCache: async () => void fake.cleared.push('cache'),
        on: (event: string, listener: (...args: never[]) => void) =>
          sessionEvents.on(event, listener as (...args: unknown[]) => void),
      },
    },
  };
  return fake;
}

/**
 * electron-updater's `autoUpdater` as the controller uses it: a test emits its events
 * (`update-downloaded`, …) and decides what `quitAndInstall` does (`onInstall`: on macOS, as
 * Electron's own updater, the windows close first and the app quits after).
 */
export class FakeUpdater extends EventEmitter implements UpdaterLike {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowPrerelease = false;
  allowDowngrade = false;
  channel: string | null = null;
  readonly feeds: unknown[] = [];
  installs = 0;
  checks = 0;
  onInstall: () => void = () => undefined;
  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }
  async checkForUpdates(): Promise<unknown> {
    this.checks += 1;
    return null;
  }
  quitAndInstall(): void {
    this.installs += 1;
    this.onInstall();
  }
}

/** What Electron's autoUpdater does on macOS: close every window, then quit the app. */
export function closeWindowsThenQuit(electron: FakeElectron): void {
  for (const window of [...FakeBrowserWindow.created]) if (!window.destroyed) window.close();
  electron.appEvents.emit('before-quit');
  electron.app.quit();
}
