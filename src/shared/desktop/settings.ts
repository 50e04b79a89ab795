import { z } from 'zod';

/**
 * Settings of the desktop shell itself, kept by main in `userData/desktop-settings.json`: main
 * needs them before any page loads (closing to the tray, start at login, spellcheck, the update
 * channel). The renderer's own preferences stay in its localStorage (features/settings).
 */

export const updateChannelSchema = z.enum(['stable', 'beta']);
export type UpdateChannel = z.infer<typeof updateChannelSchema>;

/** BCP 47 tags as Chromium's spellchecker names them (`en-US`, `de`, `pt-BR`). */
const languageSchema = z.string().regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/);

/** At most this many spellcheck languages: each one is a dictionary loaded and consulted. */
export const MAX_SPELLCHECK_LANGUAGES = 5;

export const desktopSettingsSchema = z.strictObject({
  /** Windows: closing the window keeps Replydesk running in the tray. */
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  /** Empty: the system's language. Ignored on macOS, whose spellchecker follows the system. */
  spellcheckLanguages: z.array(languageSchema).max(MAX_SPELLCHECK_LANGUAGES),
  updateChannel: updateChannelSchema,
});
export type DesktopSettings = z.infer<typeof desktopSettingsSchema>;

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = Object.freeze({
  closeToTray: true,
  startAtLogin: false,
  spellcheckLanguages: [],
  updateChannel: 'stable',
});

/** Stored settings, leniently: each missing or invalid field falls back to its default alone. */
export const storedDesktopSettingsSchema = z.object({
  closeToTray: z.boolean().catch(DEFAULT_DESKTOP_SETTINGS.closeToTray),
  startAtLogin: z.boolean().catch(DEFAULT_DESKTOP_SETTINGS.startAtLogin),
  spellcheckLanguages: z
    .array(languageSchema)
    .max(MAX_SPELLCHECK_LANGUAGES)
    .catch(() => [...DEFAULT_DESKTOP_SETTINGS.spellcheckLanguages]),
  updateChannel: updateChannelSchema.catch(DEFAULT_DESKTOP_SETTINGS.updateChannel),
});

export const updateStatusSchema = z.object({
  state: z.enum(['disabled', 'idle', 'checking', 'downloading', 'ready', 'error']),
  /** The version downloaded or being downloaded. */
  version: z.string().max(100).optional(),
  message: z.string().max(500).optional(),
});
export type UpdateStatus = z.infer<typeof updateStatusSchema>;

export const desktopSettingsStateSchema = z.object({
  settings: desktopSettingsSchema,
  /** What this system supports: the renderer shows only these settings. */
  supported: z.object({
    closeToTray: z.boolean(),
    startAtLogin: z.boolean(),
    /** Languages the spellchecker has; empty where the system chooses (macOS). */
    spellcheckLanguages: z.array(z.string().max(20)).max(200),
  }),
  update: updateStatusSchema,
});
export type DesktopSettingsState = z.infer<typeof desktopSettingsStateSchema>;
