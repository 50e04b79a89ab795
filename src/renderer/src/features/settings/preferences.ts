import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import type { MantineColorScheme, MantineColorSchemeManager } from '@mantine/core';

/**
 * The agent's preferences for this app on this computer, kept in localStorage (they are not
 * workspace data, so the hub never sees them and "reset local data" keeps them).
 *
 * Stored JSON is parsed at the edge (DESIGN.md rule 7): each field falls back to its default on
 * its own, so an old or hand-edited value loses only what is wrong in it.
 */

export const MIN_CLOSING_ALERT_MINUTES = 1;
export const MAX_CLOSING_ALERT_MINUTES = 240;

const sendKeySchema = z.enum(['enter', 'mod-enter']);
const colorSchemeSchema = z.enum(['auto', 'light', 'dark']);
const closingAlertMinutesSchema = z
  .number()
  .int()
  .min(MIN_CLOSING_ALERT_MINUTES)
  .max(MAX_CLOSING_ALERT_MINUTES);

/** Valid preferences, exactly: what `update` accepts. */
export const preferencesSchema = z.strictObject({
  /** `enter`: Enter sends, Shift+Enter breaks the line. `mod-enter`: Ctrl/⌘+Enter sends. */
  sendKey: sendKeySchema,
  /** Minutes before a reply window closes at which one of my conversations raises an alert. */
  closingAlertMinutes: closingAlertMinutesSchema,
  /** Desktop (operating-system) notifications; in-app notifications always show. */
  desktopNotifications: z.boolean(),
  /** `auto` follows the operating system. */
  colorScheme: colorSchemeSchema,
  /** Ask (showing the price) before a template that costs money is sent. */
  confirmPaidTemplates: z.boolean(),
});

export type Preferences = Readonly<z.infer<typeof preferencesSchema>>;
export type SendKey = Preferences['sendKey'];
export type ColorSchemePreference = Preferences['colorScheme'];

export const DEFAULT_PREFERENCES: Preferences = Object.freeze({
  sendKey: 'enter',
  /*
   * 15 minutes: enough to finish the conversation at hand, read the history and send a
   * considered reply (handling a conversation takes a few minutes), yet late enough that the
   * alert is news. The inbox already colours a window "closing" an hour ahead
   * (DEFAULT_CLOSING_THRESHOLD_MS); alerting that early would fire for most conversations at
   * the end of every 24 h window and teach agents to ignore the alerts.
   */
  closingAlertMinutes: 15,
  desktopNotifications: true,
  colorScheme: 'auto',
  // A paid template cannot be taken back: ask until the agent says not to.
  confirmPaidTemplates: true,
});

/** What is stored, leniently: each missing or invalid field falls back to its default alone. */
const storedPreferencesSchema = z.object({
  sendKey: sendKeySchema.catch(DEFAULT_PREFERENCES.sendKey),
  closingAlertMinutes: closingAlertMinutesSchema.catch(DEFAULT_PREFERENCES.closingAlertMinutes),
  desktopNotifications: z.boolean().catch(DEFAULT_PREFERENCES.desktopNotifications),
  colorScheme: colorSchemeSchema.catch(DEFAULT_PREFERENCES.colorScheme),
  confirmPaidTemplates: z.boolean().catch(DEFAULT_PREFERENCES.confirmPaidTemplates),
});

export const PREFERENCES_STORAGE_KEY = 'replydesk.preferences.v1';

/**
 * Preferences from what is stored: defaults for nothing, for JSON that does not parse and for
 * anything but an object; otherwise each valid field kept and each missing or invalid one
 * defaulted.
 */
export function parsePreferences(raw: string | null): Preferences {
  if (raw === null) return DEFAULT_PREFERENCES;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return DEFAULT_PREFERENCES;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return DEFAULT_PREFERENCES;
  }
  return storedPreferencesSchema.parse(value);
}

/** The closing-alert threshold in milliseconds. */
export const closingAlertMs = (preferences: Preferences): number =>
  preferences.closingAlertMinutes * 60_000;

/** The slice of `Storage` the store needs (tests pass a Map-backed one). */
export type PreferencesStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface PreferencesStore {
  /** The current preferences; the same object until they change (a stable snapshot). */
  get(): Preferences;
  /** Change some preferences; invalid values are refused with an error, nothing is written. */
  update(patch: Partial<Preferences>): Preferences;
  /** Back to the defaults. */
  reset(): void;
  /** Listen to changes, from this window or (through the `storage` event) another one. */
  subscribe(listener: () => void): () => void;
}

/**
 * A preferences store over `storage`. `events` is where other windows' writes are announced
 * (`window`); without it only this store's own writes notify. A storage that throws (private
 * mode, quota, disabled) leaves the defaults in effect for this session.
 */
export function createPreferencesStore(
  storage: PreferencesStorage | null,
  events: Pick<Window, 'addEventListener' | 'removeEventListener'> | null = null,
  key: string = PREFERENCES_STORAGE_KEY,
): PreferencesStore {
  const listeners = new Set<() => void>();
  // A session-only value when storage refuses writes, so the change still takes effect.
  let memory: string | null = null;
  let cachedRaw: string | null | undefined;
  let cached: Preferences = DEFAULT_PREFERENCES;

  const readRaw = (): string | null => {
    try {
      return storage?.getItem(key) ?? memory;
    } catch {
      return memory;
    }
  };

  const get = (): Preferences => {
    const raw = readRaw();
    if (raw !== cachedRaw) {
      cachedRaw = raw;
      cached = parsePreferences(raw);
    }
    return cached;
  };

  const notify = (): void => {
    for (const listener of listeners) listener();
  };

  const write = (raw: string | null): void => {
    memory = raw;
    try {
      if (raw === null) storage?.removeItem(key);
      else storage?.setItem(key, raw);
    } catch {
      // Kept in memory above: the preference applies until the app restarts.
    }
    notify();
  };

  const onStorage = (event: Event): void => {
    const changedKey = (event as StorageEvent).key;
    // `key === null` means another window cleared the whole storage.
    if (changedKey === key || changedKey === null) notify();
  };

  return {
    get,
    update(patch) {
      // Strict: a bad value is the caller's bug, refused rather than quietly defaulted.
      const next = preferencesSchema.parse({ ...get(), ...patch });
      write(JSON.stringify(next));
      return get();
    },
    reset() {
      write(null);
    },
    subscribe(listener) {
      if (listeners.size === 0) events?.addEventListener('storage', onStorage);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) events?.removeEventListener('storage', onStorage);
      };
    },
  };
}

function browserStorage(): PreferencesStorage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The app's preferences store (localStorage, other windows through the `storage` event). */
export const preferencesStore: PreferencesStore = createPreferencesStore(
  browserStorage(),
  typeof window !== 'undefined' ? window : null,
);

export interface PreferencesControls {
  readonly preferences: Preferences;
  readonly update: (patch: Partial<Preferences>) => void;
  readonly reset: () => void;
}

/** The preferences, re-rendering when they change here or in another window. */
export function usePreferences(store: PreferencesStore = preferencesStore): PreferencesControls {
  const preferences = useSyncExternalStore(store.subscribe, store.get, store.get);
  return { preferences, update: store.update, reset: store.reset };
}

/**
 * Mantine's colour scheme kept in the preferences, so the settings, the dark-mode shortcut and
 * Mantine's own `setColorScheme` share one value: pass it to `MantineProvider`'s
 * `colorSchemeManager`.
 */
export function preferencesColorSchemeManager(
  store: PreferencesStore = preferencesStore,
): MantineColorSchemeManager {
  let unsubscribe: (() => void) | null = null;
  return {
    get: () => store.get().colorScheme,
    set: (value: MantineColorScheme) => {
      if (store.get().colorScheme !== value) store.update({ colorScheme: value });
    },
    subscribe: (onUpdate) => {
      unsubscribe?.();
      let last = store.get().colorScheme;
      unsubscribe = store.subscribe(() => {
        const next = store.get().colorScheme;
        if (next !== last) {
          last = next;
          onUpdate(next);
        }
      });
    },
    unsubscribe: () => {
      unsubscribe?.();
      unsubscribe = null;
    },
    clear: () => {
      if (store.get().colorScheme !== DEFAULT_PREFERENCES.colorScheme) {
        store.update({ colorScheme: DEFAULT_PREFERENCES.colorScheme });
      }
    },
  };
}
