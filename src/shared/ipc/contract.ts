import { z } from 'zod';

// Requests are strict objects: an unexpected key is an error, not something silently dropped.

/**
 * The one contract between the renderer and the Electron main process.
 *
 * Every invoke channel declares its request and response schema; the preload exposes exactly
 * these as methods of `window.replydesk`, validating what it passes, and main validates again
 * (with the sender frame) before handling. Nothing else crosses the boundary.
 */

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
});

export const showNotificationResponseSchema = z.object({
  shown: z.boolean(),
  reason: z.string().optional(),
});

export const setBadgeCountRequestSchema = z.strictObject({
  count: z.number().int().min(0).max(99_999),
});

export const setBadgeCountResponseSchema = z.object({ applied: z.boolean() });

const emptyRequestSchema = z.strictObject({});

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
} as const;

export type IpcInvokeChannel = keyof typeof ipcInvokeContract;
export type IpcRequest<C extends IpcInvokeChannel> = z.infer<
  (typeof ipcInvokeContract)[C]['request']
>;
export type IpcResponse<C extends IpcInvokeChannel> = z.infer<
  (typeof ipcInvokeContract)[C]['response']
>;

/** Events main pushes to the renderer. */
export const ipcEventContract = {
  'notification:clicked': z.object({ conversationId: z.string().min(1).max(100) }),
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
  setBadgeCount(count: number): Promise<IpcResponse<'badge:set-count'>>;
  /** Subscribe; returns the function that unsubscribes. */
  onNotificationClicked(
    listener: (payload: IpcEventPayload<'notification:clicked'>) => void,
  ): () => void;
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
