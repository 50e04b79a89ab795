import type { UpdateChannel, UpdateStatus } from '../shared/desktop/settings';

/**
 * Auto-update with electron-updater (issue #21 item 5) against a generic feed: the URL the
 * packaged app was built with (electron-builder's `publish`, written to `app-update.yml`) or, for
 * a team hosting its own, `REPLYDESK_UPDATE_URL`. It checks at start and every few hours,
 * downloads in the background, and asks to restart only when no window has a reply in the outbox
 * or one being typed: a restart then interrupts nothing, and drafts and the outbox live in the
 * page's IndexedDB, which the new version opens as it was.
 */

/** The slice of electron-updater's `autoUpdater` used here. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowPrerelease: boolean;
  /** electron-updater turns it on whenever `channel` is set; this module decides it after. */
  allowDowngrade: boolean;
  channel: string | null;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update' | 'update-not-available', listener: () => void): unknown;
  on(
    event: 'update-available' | 'update-downloaded',
    listener: (info: { version: string }) => void,
  ): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Every few hours: updates are weekly, a check is one small request. */
export const UPDATE_CHECK_EVERY_MS = 4 * 60 * 60 * 1000;

/** What a window reported it has in flight (`app:activity`). */
export interface WindowActivity {
  readonly pendingReplies: number;
  readonly typing: boolean;
}

/** The activity of every open window, by web contents id. */
export function createActivityBoard() {
  const byWindow = new Map<number, WindowActivity>();
  const listeners: (() => void)[] = [];
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  return {
    report(windowId: number, activity: WindowActivity): void {
      byWindow.set(windowId, activity);
      changed();
    },
    /** A window closed: what it had is no longer in the way (its drafts are saved by then). */
    forget(windowId: number): void {
      if (byWindow.delete(windowId)) changed();
    },
    /** Nothing queued and nothing being typed in any window. */
    idle(): boolean {
      for (const activity of byWindow.values()) {
        if (activity.pendingReplies > 0 || activity.typing) return false;
      }
      return true;
    },
    onChange: (listener: () => void) => void listeners.push(listener),
  };
}
export type ActivityBoard = ReturnType<typeof createActivityBoard>;

export interface UpdateControllerOptions {
  readonly updater: UpdaterLike;
  /** `REPLYDESK_UPDATE_URL`; absent: the feed the app was built with. */
  readonly feedUrl: string | null;
  readonly channel: UpdateChannel;
  /** The running version (`app.getVersion()`): a pre-release one may go back to stable. */
  readonly currentVersion: string;
  readonly activity: ActivityBoard;
  /** Just before the app quits to install (the shell lets its windows close for real). */
  readonly beforeInstall?: () => void;
  /** Ask the agent to restart now (a native dialog); true for "Restart". */
  readonly ask: (version: string) => Promise<boolean>;
  /** `setInterval` in the app. */
  readonly every: (run: () => void, ms: number) => void;
  readonly onStatus?: (status: UpdateStatus) => void;
}

export interface UpdateController {
  status(): UpdateStatus;
  setChannel(channel: UpdateChannel): void;
  check(): Promise<void>;
  /** Settings' "Restart to update": refused while something is in flight. */
  restartNow(): { restarting: boolean; reason?: string };
}

const BUSY_REASON = 'A reply is still being typed or waiting in the outbox.';

export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const { updater, activity } = options;
  let status: UpdateStatus = { state: 'idle' };
  let asking = false;
  /** The version the agent said "Later" to: not asked again until the next check. */
  let declined: string | null = null;
  let installing = false;

  const set = (next: UpdateStatus): void => {
    status = next;
    options.onStatus?.(next);
  };

  const applyChannel = (channel: UpdateChannel): void => {
    // electron-updater reads `beta.yml` for the beta channel; a beta build may then come.
    updater.channel = channel === 'beta' ? 'beta' : 'latest';
    updater.allowPrerelease = channel === 'beta';
    // Setting the channel allows downgrades in electron-updater: only a beta build going back
    // to stable may install a lower version; a stable one never (a pulled release stays pulled).
    updater.allowDowngrade = channel === 'stable' && options.currentVersion.includes('-');
  };

  updater.autoDownload = true;
  // Quitting by hand also installs it: nothing is in flight once the agent quits.
  updater.autoInstallOnAppQuit = true;
  if (options.feedUrl !== null) updater.setFeedURL({ provider: 'generic', url: options.feedUrl });
  applyChannel(options.channel);

  const install = (): void => {
    installing = true;
    options.beforeInstall?.();
    updater.quitAndInstall(false, true);
  };

  const offer = async (): Promise<void> => {
    const version = status.version;
    if (status.state !== 'ready' || version === undefined || asking || installing) return;
    if (declined === version || !activity.idle()) return;
    asking = true;
    try {
      const restart = await options.ask(version);
      // Someone may have started typing while the dialog was up.
      if (restart && activity.idle()) install();
      else if (!restart) declined = version;
    } finally {
      asking = false;
    }
  };

  updater.on('checking-for-update', () => {
    if (status.state !== 'ready') set({ state: 'checking' });
  });
  updater.on('update-not-available', () => {
    if (status.state !== 'ready') set({ state: 'idle' });
  });
  updater.on('update-available', ({ version }) => set({ state: 'downloading', version }));
  updater.on('update-downloaded', ({ version }) => {
    set({ state: 'ready', version });
    void offer();
  });
  updater.on('error', (error) => {
    if (status.state !== 'ready') set({ state: 'error', message: error.message.slice(0, 500) });
  });
  activity.onChange(() => void offer());

  const check = async (): Promise<void> => {
    declined = null;
    try {
      await updater.checkForUpdates();
    } catch (error) {
      // Offline, or the feed is down: the next check tries again.
      if (status.state !== 'ready') {
        set({
          state: 'error',
          message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
        });
      }
    }
    void offer();
  };
  void check();
  options.every(() => void check(), UPDATE_CHECK_EVERY_MS);

  return {
    status: () => status,
    setChannel: applyChannel,
    check,
    restartNow() {
      if (status.state !== 'ready') return { restarting: false, reason: 'No update is ready yet.' };
      if (!activity.idle()) return { restarting: false, reason: BUSY_REASON };
      install();
      return { restarting: true };
    },
  };
}
