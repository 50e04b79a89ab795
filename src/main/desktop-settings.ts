import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  DEFAULT_DESKTOP_SETTINGS,
  desktopSettingsSchema,
  storedDesktopSettingsSchema,
  type DesktopSettings,
} from '../shared/desktop/settings';

/** `userData/desktop-settings.json`: the shell's own settings (src/shared/desktop/settings.ts). */
export const DESKTOP_SETTINGS_FILE = 'desktop-settings.json';

export interface DesktopSettingsStore {
  get(): DesktopSettings;
  /** Validate, keep, write; listeners hear the new settings. */
  update(patch: Partial<DesktopSettings>): Promise<DesktopSettings>;
  onChange(listener: (settings: DesktopSettings) => void): void;
}

export async function openDesktopSettings(filePath: string): Promise<DesktopSettingsStore> {
  let current: DesktopSettings = DEFAULT_DESKTOP_SETTINGS;
  try {
    current = storedDesktopSettingsSchema.parse(JSON.parse(await readFile(filePath, 'utf8')));
  } catch {
    // Missing or not JSON: the defaults.
  }
  const listeners: ((settings: DesktopSettings) => void)[] = [];
  return {
    get: () => current,
    async update(patch) {
      const next = desktopSettingsSchema.parse({ ...current, ...patch });
      const temporary = `${filePath}.tmp`;
      await writeFile(temporary, JSON.stringify(next));
      await rename(temporary, filePath);
      current = next;
      for (const listener of listeners) listener(next);
      return next;
    },
    onChange: (listener) => void listeners.push(listener),
  };
}
