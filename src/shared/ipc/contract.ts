import { z } from 'zod';
import { userSchema } from '../domain/model';

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

export type HubUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };

/**
 * The WHATWG URL parser exists wherever this code runs (browser, Node, Electron), but src/shared
 * compiles without DOM or Node types: declare the slice used here rather than re-implement it.
 */
declare const URL: new (input: string) => {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
};

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/**
 * A team hub's address as typed by an agent, checked and reduced to its origin
 * (`https://hub.example.com`, `http://127.0.0.1:4477`): the hub serves its API and the app at
 * the root, and the window's CSP names hubs by origin. A missing scheme means https, or http on
 * loopback. Only http(s) passes; user names and passwords in the address are refused (they hide
 * the real host, and the password belongs in the sign-in form); a path or query is refused rather
 * than silently dropped. A `#fragment` (pasted from the browser's address bar) is ignored.
 */
export function normaliseHubUrl(raw: string): HubUrlCheck {
  const text = raw.trim();
  if (text === '') {
    return {
      ok: false,
      message: "Enter the address of your team's hub, e.g. https://hub.example.com.",
    };
  }
  if (text.length > 2048) return { ok: false, message: 'That address is too long.' };
  let withScheme = text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // `javascript:…`, `file:…`, `mailto:…` (but not `localhost:4477`, a host and a port).
    const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text)?.[1];
    if (scheme !== undefined) {
      return {
        ok: false,
        message: `Only http and https hub addresses are allowed, not ${scheme.toLowerCase()}:.`,
      };
    }
    withScheme = `${LOOPBACK_HOST.test(text.split(/[/?#]/, 1)[0] ?? '') ? 'http' : 'https'}://${text}`;
  }
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(withScheme);
  } catch {
    return {
      ok: false,
      message: 'That is not a valid address. Use the form https://hub.example.com.',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      message: `Only http and https hub addresses are allowed, not ${url.protocol}.`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: 'Remove the user name and password from the address; sign in with the form instead.',
    };
  }
  if (url.hostname === '') return { ok: false, message: 'The address has no host name.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    return {
      ok: false,
      message: `A hub's address has no path or query: use ${url.origin}.`,
    };
  }
  return { ok: true, url: url.origin };
}

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
  getCredentials(): Promise<IpcResponse<'credentials:get'>>;
  setCredentials(credentials: Credentials): Promise<IpcResponse<'credentials:set'>>;
  clearCredentials(): Promise<IpcResponse<'credentials:clear'>>;
  getEmbeddedSecret(): Promise<IpcResponse<'hub:embedded-secret'>>;
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
