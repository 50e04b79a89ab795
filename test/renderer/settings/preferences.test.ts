import { describe, expect, it, vi } from 'vitest';
import {
  closingAlertMs,
  createPreferencesStore,
  DEFAULT_PREFERENCES,
  parsePreferences,
  preferencesColorSchemeManager,
  type PreferencesStorage,
} from '../../../src/renderer/src/features/settings/preferences';

function memoryStorage(initial: Record<string, string> = {}): PreferencesStorage & {
  readonly data: Map<string, string>;
} {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** Stands in for `window`: delivers `storage` events as another window's writes would. */
function fakeWindow() {
  const target = new EventTarget();
  return {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    announce(key: string | null) {
      const event = new Event('storage') as Event & { key: string | null };
      Object.defineProperty(event, 'key', { value: key });
      target.dispatchEvent(event);
    },
  };
}

const KEY = 'replydesk.preferences.v1';

describe('parsePreferences', () => {
  it('gives the defaults when nothing is stored', () => {
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
  });

  it('gives the defaults for JSON that does not parse', () => {
    expect(parsePreferences('{"sendKey": "enter",')).toEqual(DEFAULT_PREFERENCES);
    expect(parsePreferences('not json')).toEqual(DEFAULT_PREFERENCES);
  });

  it('gives the defaults for JSON that is not an object', () => {
    for (const raw of ['null', '42', '"dark"', '[1,2]', 'true']) {
      expect(parsePreferences(raw)).toEqual(DEFAULT_PREFERENCES);
    }
  });

  it('merges a partial value with the defaults', () => {
    expect(parsePreferences('{"sendKey":"mod-enter"}')).toEqual({
      ...DEFAULT_PREFERENCES,
      sendKey: 'mod-enter',
    });
  });

  it('defaults only the invalid fields and keeps the valid ones', () => {
    const raw = JSON.stringify({
      sendKey: 'shift-enter',
      closingAlertMinutes: 30,
      desktopNotifications: 'yes',
      colorScheme: 'dark',
      confirmPaidTemplates: 'no',
    });
    expect(parsePreferences(raw)).toEqual({
      sendKey: 'enter',
      closingAlertMinutes: 30,
      desktopNotifications: true,
      colorScheme: 'dark',
      confirmPaidTemplates: true,
    });
  });

  it('asks before paid templates unless the agent turned it off', () => {
    expect(DEFAULT_PREFERENCES.confirmPaidTemplates).toBe(true);
    expect(parsePreferences('{"confirmPaidTemplates":false}')).toEqual({
      ...DEFAULT_PREFERENCES,
      confirmPaidTemplates: false,
    });
  });

  it('refuses thresholds outside 1 to 240 whole minutes', () => {
    for (const minutes of [0, -5, 241, 2.5, Number.MAX_SAFE_INTEGER]) {
      expect(parsePreferences(JSON.stringify({ closingAlertMinutes: minutes }))).toEqual(
        DEFAULT_PREFERENCES,
      );
    }
    expect(parsePreferences('{"closingAlertMinutes":240}').closingAlertMinutes).toBe(240);
  });

  it('drops unknown keys', () => {
    expect(parsePreferences('{"theme":"pink","colorScheme":"light"}')).toEqual({
      ...DEFAULT_PREFERENCES,
      colorScheme: 'light',
    });
  });

  it('defaults to an alert 15 minutes before closing', () => {
    expect(closingAlertMs(DEFAULT_PREFERENCES)).toBe(15 * 60_000);
  });
});

describe('createPreferencesStore', () => {
  it('returns the same snapshot until the stored value changes', () => {
    const store = createPreferencesStore(memoryStorage({ [KEY]: '{"sendKey":"mod-enter"}' }));
    const first = store.get();
    expect(store.get()).toBe(first);
    store.update({ colorScheme: 'dark' });
    expect(store.get()).not.toBe(first);
    expect(store.get()).toEqual({ ...first, colorScheme: 'dark' });
  });

  it('writes the full merged value and notifies listeners', () => {
    const storage = memoryStorage();
    const store = createPreferencesStore(storage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.update({ closingAlertMinutes: 30 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(JSON.parse(storage.data.get(KEY) ?? '')).toEqual({
      ...DEFAULT_PREFERENCES,
      closingAlertMinutes: 30,
    });
  });

  it('refuses an invalid update and writes nothing', () => {
    const storage = memoryStorage();
    const store = createPreferencesStore(storage);
    expect(() => store.update({ closingAlertMinutes: 0 })).toThrow();
    expect(storage.data.has(KEY)).toBe(false);
  });

  it('resets to the defaults', () => {
    const storage = memoryStorage({ [KEY]: '{"colorScheme":"dark"}' });
    const store = createPreferencesStore(storage);
    store.reset();
    expect(store.get()).toEqual(DEFAULT_PREFERENCES);
    expect(storage.data.has(KEY)).toBe(false);
  });

  it("follows another window's writes through the storage event", () => {
    const storage = memoryStorage();
    const win = fakeWindow();
    const store = createPreferencesStore(storage, win);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);

    storage.data.set(KEY, '{"sendKey":"mod-enter"}');
    win.announce('some.other.key');
    expect(listener).not.toHaveBeenCalled();
    win.announce(KEY);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.get().sendKey).toBe('mod-enter');

    unsubscribe();
    win.announce(KEY);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps a change for the session when storage refuses writes', () => {
    const store = createPreferencesStore({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    });
    store.update({ desktopNotifications: false });
    expect(store.get().desktopNotifications).toBe(false);
  });

  it('works without any storage', () => {
    const store = createPreferencesStore(null);
    expect(store.get()).toEqual(DEFAULT_PREFERENCES);
    store.update({ sendKey: 'mod-enter' });
    expect(store.get().sendKey).toBe('mod-enter');
  });
});

describe('preferencesColorSchemeManager', () => {
  it("shares the colour scheme with Mantine's provider", () => {
    const store = createPreferencesStore(memoryStorage());
    const manager = preferencesColorSchemeManager(store);
    expect(manager.get('light')).toBe('auto');
    const onUpdate = vi.fn();
    manager.subscribe(onUpdate);

    manager.set('dark');
    expect(store.get().colorScheme).toBe('dark');
    store.update({ sendKey: 'mod-enter' });
    store.update({ colorScheme: 'light' });
    expect(onUpdate.mock.calls).toEqual([['dark'], ['light']]);

    manager.unsubscribe();
    store.update({ colorScheme: 'auto' });
    expect(onUpdate).toHaveBeenCalledTimes(2);
  });
});
