import type { Page } from '@playwright/test';
import type { DesktopApi } from '../../src/shared/ipc/contract';

/**
 * A stand-in for the preload's `window.replydesk` in a plain browser (Playwright has no Electron
 * here): it answers as main does, in the contract's shapes, and records every call, so a test
 * proves what the page asks the desktop shell and drives what main would push (links, inline
 * replies, update states). Credentials live in localStorage, so a pop-out window (another page
 * of the same context) finds the session as it would in main.
 */

export interface FakeDesktopCall {
  readonly method: string;
  readonly args: unknown[];
}

export interface FakeDesktopControl {
  readonly calls: FakeDesktopCall[];
  /** Push an event as main would (`notification:reply`, `update:status`, …). */
  emit(channel: string, payload: unknown): void;
  /** The next answer of `deep-link:take`; then tell the page (`deep-link:available`). */
  offerLink(answer: unknown): void;
}

declare global {
  interface Window {
    __fakeDesktop?: FakeDesktopControl;
  }
}

/** Runs in the page before its scripts (`addInitScript`): must stand alone. */
function installFakeDesktop({ hubUrl }: { hubUrl: string }): void {
  const KEY = 'fake-desktop.credentials';
  const calls: FakeDesktopCall[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const links: unknown[] = [];
  let settings = {
    closeToTray: true,
    startAtLogin: false,
    spellcheckLanguages: ['en-US', 'pt-BR'],
    updateChannel: 'stable',
  };
  let update: Record<string, unknown> = { state: 'idle' };
  const record = (method: string, ...args: unknown[]): void => {
    calls.push({ method, args: JSON.parse(JSON.stringify(args)) as unknown[] });
  };
  const state = () => ({
    settings,
    supported: {
      closeToTray: true,
      startAtLogin: true,
      spellcheckLanguages: ['de', 'en-GB', 'en-US', 'es', 'fr', 'nb', 'pt-BR', 'pt-PT'],
    },
    update,
  });
  const on =
    (channel: string) =>
    (listener: (payload: unknown) => void): (() => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  const emit = (channel: string, payload: unknown): void => {
    if (channel === 'update:status') update = payload as Record<string, unknown>;
    for (const listener of listeners.get(channel) ?? []) listener(payload);
  };
  const credentials = () => {
    const stored = localStorage.getItem(KEY);
    return stored ? (JSON.parse(stored) as unknown) : { hubUrl, session: null };
  };
  const api = {
    getAppInfo: async () => {
      record('getAppInfo');
      return {
        name: 'Replydesk',
        version: '0.9.0',
        platform: 'win32',
        arch: 'x64',
        electron: '45.4.1',
        chrome: '146.0.0.0',
      };
    },
    openExternal: async (url: string) => {
      record('openExternal', url);
      return { opened: true };
    },
    showNotification: async (request: unknown) => {
      record('showNotification', request);
      return { shown: true };
    },
    setBadgeCount: async (count: number, closingSoon?: number) => {
      record('setBadgeCount', count, closingSoon);
      return { applied: true };
    },
    getCredentials: async () => ({ credentials: credentials(), storage: 'encrypted' }),
    setCredentials: async (value: unknown) => {
      localStorage.setItem(KEY, JSON.stringify(value));
      return { storage: 'encrypted', reloadRequired: false };
    },
    clearCredentials: async () => {
      const current = credentials() as { hubUrl: string };
      localStorage.setItem(KEY, JSON.stringify({ hubUrl: current.hubUrl, session: null }));
      return { cleared: true };
    },
    getEmbeddedSecret: async () => ({ embedded: null }),
    takeDeepLink: async () => {
      record('takeDeepLink');
      return links.shift() ?? { link: null };
    },
    popOutConversation: async (conversationId: string) => {
      record('popOutConversation', conversationId);
      return { opened: true };
    },
    getDesktopSettings: async () => state(),
    setDesktopSettings: async (patch: Record<string, unknown>) => {
      record('setDesktopSettings', patch);
      settings = { ...settings, ...patch };
      return state();
    },
    reportActivity: async (activity: unknown) => {
      record('reportActivity', activity);
      return { recorded: true };
    },
    showTrayAvailability: async (availability: unknown) => {
      record('showTrayAvailability', availability);
      return { recorded: true };
    },
    checkForUpdates: async () => {
      record('checkForUpdates');
      update = { state: 'idle' };
      return update;
    },
    restartToUpdate: async () => {
      record('restartToUpdate');
      return {
        restarting: false,
        reason: 'A reply is still being typed or waiting in the outbox.',
      };
    },
    openCrashReports: async () => {
      record('openCrashReports');
      return { opened: true };
    },
    resetLocalData: async () => {
      record('resetLocalData');
      return { restarting: true };
    },
    saveAttachment: async ({ filename, bytes }: { filename: string; bytes: Uint8Array }) => {
      record('saveAttachment', { filename, size: bytes.byteLength });
      return { saved: true };
    },
    onNotificationClicked: on('notification:clicked'),
    onNotificationReply: on('notification:reply'),
    onDeepLinkAvailable: on('deep-link:available'),
    onTrayAvailability: on('tray:set-availability'),
    onMenuCommand: on('menu:command'),
    onUpdateStatus: on('update:status'),
  };
  Object.defineProperty(window, 'replydesk', { value: api });
  window.__fakeDesktop = {
    calls,
    emit,
    offerLink(answer) {
      links.push(answer);
      emit('deep-link:available', {});
    },
  };
}

/** Every page of this page's context gets the fake desktop API before its own scripts. */
export async function useFakeDesktop(page: Page, hubUrl: string): Promise<void> {
  await page.context().addInitScript(installFakeDesktop, { hubUrl });
}

/** The calls the page made to one method, oldest first. */
export async function callsOf(page: Page, method: keyof DesktopApi): Promise<unknown[][]> {
  return page.evaluate(
    (name) =>
      (window.__fakeDesktop?.calls ?? []).filter((c) => c.method === name).map((c) => c.args),
    method,
  );
}

export async function emit(page: Page, channel: string, payload: unknown): Promise<void> {
  await page.evaluate(([c, p]) => window.__fakeDesktop?.emit(c as string, p), [channel, payload]);
}

export async function offerLink(page: Page, answer: unknown): Promise<void> {
  await page.evaluate((a) => window.__fakeDesktop?.offerLink(a), answer);
}
