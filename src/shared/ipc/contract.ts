import { z } from 'zod';
import { userSchema } from '../domain/model';
import { normaliseHubUrl } from './hub-url';
import { availabilitySchema } from '../protocol/admin';
import { conversationIdSchema, deepLinkSchema } from '../desktop/deep-link';
import {
  desktopSettingsSchema,
  desktopSettingsStateSchema,
  updateStatusSchema,
  type DesktopSettings,
  type DesktopSettingsState,
  type UpdateStatus,
} from '../desktop/settings';

// Requests are strict objects: an unexpected key is an error, not something silently dropped.

/**
 * The one contract between the renderer and the Electron main process.
 *
 * Every invoke channel declares its request and response schema; the preload exposes exactly
 * these as methods of `window.replydesk`, validating what it passes, and main validates again
 * (with the sender frame) before handling. Nothing else crosses the boundary.
 */

/** The largest attachment the desktop app saves: the largest any channel delivers (100 MB). */
export const MAX_SAVED_FILE_BYTES = 100 * 1024 * 1024;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.enum(['darwin', 'win32', 'linux', 'freebsd', 'openbsd', 'sunos', 'aix', 'android']),
  arch: z.string(),
  electron: z.string(),
  chrome: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Plain `http:`, `https:` and `mailto:` links only; checked again in main after parsing. */
export const openExternalRequestSchema = z.strictObject({
  url: z.string().min(1).max(2048),
});

export const openExternalResponseSchema = z.object({
  opened: z.boolean(),
  /** Why a link was not opened, in words an agent can act on. */
  reason: z.string().optional(),
});

export const showNotificationRequestSchema = z.strictObject({
  title: z.string().min(1).max(120),
  body: z.string().max(500),
  /** Conversation to open when the notification is clicked. */
  conversationId: z.string().min(1).max(100).optional(),
  silent: z.boolean().optional(),
  /**
   * The conversation's reply window allows a free-form reply now: where the system has inline
   * replies (macOS), the notification offers one (`notification:reply`).
   */
  replyable: z.boolean().optional(),
});

export const showNotificationResponseSchema = z.object({
  shown: z.boolean(),
  reason: z.string().optional(),
});

export const setBadgeCountRequestSchema = z.strictObject({
  /** My conversations waiting for my reply: the dock / taskbar badge and the tray. */
  count: z.number().int().min(0).max(99_999),
  /** Of those, windows closing within the hour: the tray says it too. */
  closingSoon: z.number().int().min(0).max(99_999).optional(),
});

export const setBadgeCountResponseSchema = z.object({ applied: z.boolean() });

const emptyRequestSchema = z.strictObject({});

export { normaliseHubUrl, type HubUrlCheck } from './hub-url';

/** A hub address exactly as `normaliseHubUrl` produces it: the IPC refuses anything else. */
export const hubUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (value) => {
      const check = normaliseHubUrl(value);
      return check.ok && check.url === value;
    },
    {
      error:
        'must be a hub origin such as https://hub.example.com (http or https, no credentials, no path)',
    },
  );

/** A session on a team hub as the desktop app remembers it. */
export const rememberedSessionSchema = z.strictObject({
  token: z.string().min(1).max(512),
  user: userSchema,
});

/**
 * What the desktop app remembers: the hub last used and, once signed in, the session on it.
 * `session: null` is a hub chosen (or signed out of) without a session.
 */
export const credentialsSchema = z.strictObject({
  hubUrl: hubUrlSchema,
  session: rememberedSessionSchema.nullable(),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/**
 * `encrypted`: kept in a file encrypted with the operating system's key store (safeStorage).
 * `memory`: this system has no secure key store (Linux without a keyring), so nothing is written
 * and the sign-in is forgotten when the app quits.
 */
export const credentialStorageSchema = z.enum(['encrypted', 'memory']);
export type CredentialStorage = z.infer<typeof credentialStorageSchema>;

export const getCredentialsResponseSchema = z.object({
  /**
   * The remembered hub and session; else, with `session: null`, the embedded hub main runs (it
   * signs the local admin in for this launch's secret: `hub:embedded-secret`) or the team hub configured at start.
   */
  credentials: credentialsSchema.nullable(),
  storage: credentialStorageSchema,
});

export const setCredentialsResponseSchema = z.object({
  storage: credentialStorageSchema,
  /**
   * The page already loaded may not connect to this hub: its CSP was fixed when it loaded, and
   * only pages loaded from now on name the new hub. The renderer reloads.
   */
  reloadRequired: z.boolean(),
});

export const clearCredentialsResponseSchema = z.object({ cleared: z.boolean() });

/**
 * The embedded hub main started and this launch's secret for it: presented to that hub alone
 * (`POST /api/auth/embedded`), it signs the local admin in. `null`: main runs no hub.
 */
export const embeddedSecretResponseSchema = z.object({
  embedded: z
    .strictObject({ hubUrl: hubUrlSchema, secret: z.string().min(32).max(200) })
    .nullable(),
});

export const ipcInvokeContract = {
  'app:get-info': { request: emptyRequestSchema, response: appInfoSchema },
  'shell:open-external': {
    request: openExternalRequestSchema,
    response: openExternalResponseSchema,
  },
  'notification:show': {
    request: showNotificationRequestSchema,
    response: showNotificationResponseSchema,
  },
  'badge:set-count': { request: setBadgeCountRequestSchema, response: setBadgeCountResponseSchema },
  'credentials:get': { request: emptyRequestSchema, response: getCredentialsResponseSchema },
  'credentials:set': { request: credentialsSchema, response: setCredentialsResponseSchema },
  /** Forget the session (token and user); the hub's address stays, to prefill the sign-in. */
  'credentials:clear': { request: emptyRequestSchema, response: clearCredentialsResponseSchema },
  'hub:embedded-secret': { request: emptyRequestSchema, response: embeddedSecretResponseSchema },
  /**
   * The link main was asked to open and the page has not taken yet (`deep-link:available`);
   * `refused`: why the last link was not opened (malformed or foreign), for the page to say.
   */
  'deep-link:take': {
    request: emptyRequestSchema,
    response: z.object({
      link: deepLinkSchema.nullable(),
      refused: z.string().max(300).optional(),
    }),
  },
  /** Open a conversation in a window of its own (or focus the one it already has). */
  'window:pop-out': {
    request: z.strictObject({ conversationId: conversationIdSchema }),
    response: z.object({ opened: z.boolean() }),
  },
  'desktop-settings:get': { request: emptyRequestSchema, response: desktopSettingsStateSchema },
  'desktop-settings:set': {
    request: desktopSettingsSchema.partial().strict(),
    response: desktopSettingsStateSchema,
  },
  /**
   * What this window has that a restart would interrupt: replies in the outbox and a reply
   * being typed. An update is installed only when every window reports neither.
   */
  'app:activity': {
    request: z.strictObject({
      pendingReplies: z.number().int().min(0).max(1_000_000),
      typing: z.boolean(),
    }),
    response: z.object({ recorded: z.boolean() }),
  },
  /**
   * The agent's availability as the page knows it, for the tray's menu to show (checked) and to
   * offer at all: `null` where the hub has none to set (this computer's own hub, offline).
   */
  'tray:availability': {
    request: z.strictObject({ availability: availabilitySchema.nullable() }),
    response: z.object({ recorded: z.boolean() }),
  },
  /** Check the update feed now (Settings' "Check for updates"); answers the status after it. */
  'update:check': { request: emptyRequestSchema, response: updateStatusSchema },
  /** Install the update now (the agent clicked Restart in Settings). */
  'update:restart': {
    request: emptyRequestSchema,
    response: z.object({ restarting: z.boolean(), reason: z.string().optional() }),
  },
  /** Show the folder the crash reports are written to (nothing is uploaded). */
  'app:open-crash-reports': {
    request: emptyRequestSchema,
    response: z.object({ opened: z.boolean(), reason: z.string().optional() }),
  },
  /**
   * Save an attachment (a customer's PDF) through the system's save dialog: the page gives the
   * file's name and bytes, never a path; main writes where the agent chose (main/downloads.ts).
   */
  'attachment:save': {
    request: z.strictObject({
      filename: z.string().min(1).max(255),
      bytes: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_SAVED_FILE_BYTES, {
        message: `at most ${MAX_SAVED_FILE_BYTES} bytes`,
      }),
    }),
    response: z.union([
      z.object({ saved: z.literal(true) }),
      z.object({ saved: z.literal(false), reason: z.string().max(300) }),
    ]),
  },
  /** Erase this computer's cache, storage and remembered credentials, then start again. */
  'app:reset-local-data': {
    request: emptyRequestSchema,
    response: z.object({ restarting: z.boolean() }),
  },
} as const;

export type IpcInvokeChannel = keyof typeof ipcInvokeContract;
export type IpcRequest<C extends IpcInvokeChannel> = z.infer<
  (typeof ipcInvokeContract)[C]['request']
>;
export type IpcResponse<C extends IpcInvokeChannel> = z.infer<
  (typeof ipcInvokeContract)[C]['response']
>;

/**
 * Shortcut commands the application menu offers (features/shortcuts/keymap.ts ids): the menu
 * shows their keys, the page runs them, so a key and its menu item do one thing.
 */
export const MENU_COMMANDS = [
  'commandPalette',
  'settings',
  'shortcutsHelp',
  'toggleColorScheme',
  'nextConversation',
  'previousConversation',
  'goToMine',
  'goToUnassigned',
  'goToAll',
  'focusComposer',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Events main pushes to the renderer. */
export const ipcEventContract = {
  'notification:clicked': z.object({ conversationId: z.string().min(1).max(100) }),
  /** The agent answered from the notification itself (macOS inline reply). */
  'notification:reply': z.object({
    conversationId: conversationIdSchema,
    text: z.string().min(1).max(4096),
  }),
  /** Main holds a link to open: take it with `deep-link:take`. */
  'deep-link:available': z.object({}),
  /** The tray menu's availability choice. */
  'tray:set-availability': z.object({ availability: availabilitySchema }),
  /** An application menu item that runs one of the page's own commands. */
  'menu:command': z.object({ command: z.enum(MENU_COMMANDS) }),
  /** The updater's state changed (checking, downloading, ready to restart, …). */
  'update:status': updateStatusSchema,
} as const;

export type IpcEventChannel = keyof typeof ipcEventContract;
export type IpcEventPayload<C extends IpcEventChannel> = z.infer<(typeof ipcEventContract)[C]>;

export const IPC_INVOKE_CHANNELS = Object.keys(ipcInvokeContract) as IpcInvokeChannel[];
export const IPC_EVENT_CHANNELS = Object.keys(ipcEventContract) as IpcEventChannel[];

/**
 * The object the preload exposes as `window.replydesk`. Absent when the app runs in a browser,
 * so renderer code must treat it as optional.
 */
export interface DesktopApi {
  getAppInfo(): Promise<AppInfo>;
  openExternal(url: string): Promise<IpcResponse<'shell:open-external'>>;
  showNotification(
    request: IpcRequest<'notification:show'>,
  ): Promise<IpcResponse<'notification:show'>>;
  /** `closingSoon`: of those, windows closing within the hour (the tray says it). */
  setBadgeCount(count: number, closingSoon?: number): Promise<IpcResponse<'badge:set-count'>>;
  getCredentials(): Promise<IpcResponse<'credentials:get'>>;
  setCredentials(credentials: Credentials): Promise<IpcResponse<'credentials:set'>>;
  clearCredentials(): Promise<IpcResponse<'credentials:clear'>>;
  getEmbeddedSecret(): Promise<IpcResponse<'hub:embedded-secret'>>;
  takeDeepLink(): Promise<IpcResponse<'deep-link:take'>>;
  popOutConversation(conversationId: string): Promise<IpcResponse<'window:pop-out'>>;
  getDesktopSettings(): Promise<DesktopSettingsState>;
  setDesktopSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettingsState>;
  reportActivity(activity: IpcRequest<'app:activity'>): Promise<IpcResponse<'app:activity'>>;
  showTrayAvailability(
    availability: IpcRequest<'tray:availability'>['availability'],
  ): Promise<IpcResponse<'tray:availability'>>;
  checkForUpdates(): Promise<UpdateStatus>;
  restartToUpdate(): Promise<IpcResponse<'update:restart'>>;
  openCrashReports(): Promise<IpcResponse<'app:open-crash-reports'>>;
  resetLocalData(): Promise<IpcResponse<'app:reset-local-data'>>;
  saveAttachment(request: IpcRequest<'attachment:save'>): Promise<IpcResponse<'attachment:save'>>;
  /** Subscribe; returns the function that unsubscribes. */
  onNotificationClicked(
    listener: (payload: IpcEventPayload<'notification:clicked'>) => void,
  ): () => void;
  onNotificationReply(
    listener: (payload: IpcEventPayload<'notification:reply'>) => void,
  ): () => void;
  onDeepLinkAvailable(listener: () => void): () => void;
  onTrayAvailability(
    listener: (payload: IpcEventPayload<'tray:set-availability'>) => void,
  ): () => void;
  onMenuCommand(listener: (payload: IpcEventPayload<'menu:command'>) => void): () => void;
  onUpdateStatus(listener: (status: UpdateStatus) => void): () => void;
}

/** The name of the single global the preload defines. */
export const DESKTOP_API_GLOBAL = 'replydesk';

/** Turn a zod failure into one readable sentence naming the offending fields. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(value)'}: ${issue.message}`)
    .join('; ');
}

/** Parse `value` against a channel's request schema or throw an Error with a clear message. */
export function parseIpcRequest<C extends IpcInvokeChannel>(
  channel: C,
  value: unknown,
): IpcRequest<C> {
  const result = ipcInvokeContract[channel].request.safeParse(value);
  if (!result.success) {
    throw new Error(`Invalid arguments for ${channel}: ${describeSchemaError(result.error)}`);
  }
  return result.data as IpcRequest<C>;
}

/** Parse a handler's response against the contract, so main can never leak extra fields. */
export function parseIpcResponse<C extends IpcInvokeChannel>(
  channel: C,
  value: unknown,
): IpcResponse<C> {
  const result = ipcInvokeContract[channel].response.safeParse(value);
  if (!result.success) {
    throw new Error(`Invalid response from ${channel}: ${describeSchemaError(result.error)}`);
  }
  return result.data as IpcResponse<C>;
}
