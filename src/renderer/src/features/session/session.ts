import { z } from 'zod';
import { userSchema } from '../../../../shared/domain/model';
import {
  normaliseHubUrl,
  type CredentialStorage,
  type DesktopApi,
} from '../../../../shared/ipc/contract';

export { normaliseHubUrl };

/**
 * Signing in to the hub (docs/api.md, "Accounts"). Framework-free: `fetch` and the storage are
 * passed in, so every path is tested in Node.
 */

/** A signed-in session. `embedded`: the local hub signed us in, there is no password to go back to. */
export const sessionSchema = z.object({
  token: z.string().min(1),
  user: userSchema,
  embedded: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;

const authAnswerSchema = z.object({ token: z.string().min(1), user: userSchema });
const errorAnswerSchema = z.object({ message: z.string() });

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The part of `Storage` we use; `sessionStorage` in the app, a Map-backed fake in tests. */
export type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export const SESSION_STORAGE_KEY = 'replydesk.session';

export function readStoredSession(storage: SessionStorageLike): Session | null {
  const raw = storage.getItem(SESSION_STORAGE_KEY);
  if (raw === null) return null;
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through and forget it.
  }
  storage.removeItem(SESSION_STORAGE_KEY);
  return null;
}

/** A storage that forgets on reload, for browsers that refuse `sessionStorage` (privacy modes). */
export function memoryStorage(): SessionStorageLike {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export function storeSession(storage: SessionStorageLike, session: Session | null): void {
  if (session === null) storage.removeItem(SESSION_STORAGE_KEY);
  else storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
}

/**
 * Where a session is kept: `encrypted` and `memory` as the desktop shell answers
 * (`credentials:*`), `tab` in a browser (`sessionStorage`, until the tab closes).
 */
export type SessionPersistence = CredentialStorage | 'tab';

export interface RememberedSession {
  /** The hub last used; `null` in a browser, where the hub is always the page's own origin. */
  readonly hubUrl: string | null;
  readonly session: Session | null;
  readonly persistence: SessionPersistence;
}

export interface SavedSession {
  readonly persistence: SessionPersistence;
  /** The window must load again before it may connect to this hub (the desktop's CSP). */
  readonly reloadRequired: boolean;
}

/**
 * Where the session (and, in the desktop app, the hub) is remembered. The desktop and the
 * browser implementations below; `sessionStoreFor` picks one.
 */
export interface SessionStore {
  /** `desktop`: the agent picks the hub; `browser`: the hub is the page's origin. */
  readonly kind: 'desktop' | 'browser';
  /** The session at once, where the store can answer synchronously (a reload shows the inbox). */
  peek(): Session | null;
  load(): Promise<RememberedSession>;
  /** Remember `hubUrl`, and `session` on it (`null`: a hub chosen or signed out of). */
  save(hubUrl: string, session: Session | null): Promise<SavedSession>;
  /** Forget the session; the desktop keeps the hub's address to prefill the sign-in. */
  forget(): Promise<void>;
  /**
   * What to present to `hubUrl` for the embedded sign-in (`POST /api/auth/embedded`): the
   * desktop shell's launch secret for the hub it started, or the one-time token of the sign-in
   * link this browser tab was opened with; `null`: none (the hub then asks for a password).
   */
  embeddedSecret(hubUrl: string): Promise<string | null>;
}

/** The hash of `npm start`'s one-time sign-in link: `#/sign-in?token=…`. */
const SIGN_IN_HASH = /^#\/sign-in\?(.*)$/;

/**
 * The one-time token of the sign-in link this tab was opened with, taken out of the address at
 * once: it must not stay in the history, a bookmark or a shared screenshot (it works once anyway).
 */
export function takeSignInToken(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState'>,
): string | null {
  const match = SIGN_IN_HASH.exec(location.hash);
  if (!match) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}`);
  const token = new URLSearchParams(match[1]).get('token');
  return token && token.length <= 200 ? token : null;
}

/**
 * The browser keeps the token in `sessionStorage`, not `localStorage`: it survives a reload but
 * not the closing of the tab, so a shared desk computer (common in support teams) does not stay
 * signed in, and a token read by a rogue script dies with the tab. Where `sessionStorage` is
 * refused (privacy modes) it lives in memory until the reload.
 */
export function browserSessionStore(
  storage: SessionStorageLike,
  signInToken: string | null = null,
): SessionStore {
  let token = signInToken;
  return {
    kind: 'browser',
    peek: () => readStoredSession(storage),
    load: async () => ({ hubUrl: null, session: readStoredSession(storage), persistence: 'tab' }),
    save: async (_hubUrl, session) => {
      storeSession(storage, session);
      return { persistence: 'tab', reloadRequired: false };
    },
    forget: async () => storeSession(storage, null),
    // Presented once: the hub has used it up by then, whatever it answered.
    embeddedSecret: async () => {
      const presented = token;
      token = null;
      return presented;
    },
  };
}

let tabSignInToken: { readonly token: string | null } | undefined;

/** This tab's `sessionStorage` (see `browserSessionStore`), or memory where it is refused. */
export function browserSessionStorage(): SessionStore {
  let storage: SessionStorageLike;
  try {
    storage = window.sessionStorage;
    storage.getItem(SESSION_STORAGE_KEY);
  } catch {
    storage = memoryStorage();
  }
  // Taken out of the address once per page load (main.tsx asks for a store before App does).
  tabSignInToken ??= { token: takeSignInToken(window.location, window.history) };
  return browserSessionStore(storage, tabSignInToken.token);
}

export type CredentialsApi = Pick<
  DesktopApi,
  'getCredentials' | 'setCredentials' | 'clearCredentials' | 'getEmbeddedSecret'
>;

/**
 * The desktop app remembers the hub and the session in main, encrypted with the operating
 * system's key store, or in main's memory only where that would be plain text (src/main/
 * credentials.ts). Sessions the embedded hub hands out are not kept: it signs the local admin in
 * again on every start.
 */
export function desktopSessionStore(api: CredentialsApi): SessionStore {
  return {
    kind: 'desktop',
    peek: () => null,
    load: async () => {
      try {
        const { credentials, storage } = await api.getCredentials();
        return {
          hubUrl: credentials?.hubUrl ?? null,
          session: credentials?.session ? { ...credentials.session, embedded: false } : null,
          persistence: storage,
        };
      } catch {
        return { hubUrl: null, session: null, persistence: 'memory' };
      }
    },
    save: async (hubUrl, session) => {
      const remembered =
        session && !session.embedded ? { token: session.token, user: session.user } : null;
      const { storage, reloadRequired } = await api.setCredentials({ hubUrl, session: remembered });
      return { persistence: storage, reloadRequired };
    },
    forget: async () => {
      await api.clearCredentials();
    },
    // Only to the hub main started: a team hub never sees this computer's launch secret.
    embeddedSecret: async (hubUrl) => {
      try {
        const { embedded } = await api.getEmbeddedSecret();
        return embedded !== null && embedded.hubUrl === hubUrl ? embedded.secret : null;
      } catch {
        return null;
      }
    },
  };
}

/** The desktop store inside the Electron window, the browser one elsewhere. */
export function sessionStoreFor(desktop: CredentialsApi | null): SessionStore {
  return desktop ? desktopSessionStore(desktop) : browserSessionStorage();
}

/** A sentence for the sign-in page about where the session is kept, when it matters. */
export function persistenceNotice(persistence: SessionPersistence | null): string | null {
  if (persistence !== 'memory') return null;
  return 'This computer has no secure key store (such as GNOME Keyring or KWallet), so Replydesk will not remember your sign-in after you quit.';
}

/** What an agent reads when signing in fails, by the hub's answer (`'network'`: no answer). */
export function signInErrorMessage(failure: number | 'network' | 'malformed'): string {
  if (failure === 'network') {
    return 'The hub cannot be reached. Check your connection and that the hub is running, then try again.';
  }
  if (failure === 'malformed') return 'The hub gave an unexpected answer. Try again in a moment.';
  if (failure === 401) return 'The e-mail or password is wrong, or the account is disabled.';
  if (failure === 429) return 'Too many sign-in attempts from here. Wait a minute, then try again.';
  if (failure === 400) return 'Enter your e-mail address and password.';
  return `The hub could not sign you in (HTTP ${failure}). Try again in a moment.`;
}

export type SignInResult =
  | { readonly ok: true; readonly session: Session }
  | { readonly ok: false; readonly message: string };

async function readAuthAnswer(response: Response, embedded: boolean): Promise<SignInResult> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return { ok: false, message: signInErrorMessage('malformed') };
  }
  const parsed = authAnswerSchema.safeParse(body);
  if (!parsed.success) return { ok: false, message: signInErrorMessage('malformed') };
  return { ok: true, session: { ...parsed.data, embedded } };
}

export type HubCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

const healthSchema = z.object({ status: z.literal('ok'), time: z.string() });

/**
 * `GET /healthz`: is there a Replydesk hub at `hubUrl`? Tells apart nothing answering, a hub
 * refusing this app (its own sentence, e.g. an unknown public host name), and a server that is
 * something else.
 */
export async function checkHub(hubUrl: string, fetchFn: Fetch): Promise<HubCheck> {
  const host = hostOf(hubUrl);
  let response: Response;
  try {
    response = await fetchFn(`${hubUrl}/healthz`, { cache: 'no-store' });
  } catch {
    return {
      ok: false,
      message: `Nothing answers at ${host}. Check the address and your connection, and that the hub is running.`,
    };
  }
  if (response.status === 403) {
    return {
      ok: false,
      message: `The hub at ${host} refused this app: ${await hubErrorMessage(response)}`,
    };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || !healthSchema.safeParse(body).success) {
    return {
      ok: false,
      message: `${host} answered, but it is not a Replydesk hub. Check the address.`,
    };
  }
  return { ok: true };
}

/** `hub.example.com` out of `https://hub.example.com`, for sentences. */
export function hostOf(hubUrl: string): string {
  return hubUrl.replace(/^https?:\/\//, '');
}

/** `POST /api/auth/login`. */
export async function signIn(
  hubUrl: string,
  credentials: { readonly email: string; readonly password: string },
  fetchFn: Fetch,
): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetchFn(`${hubUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: credentials.email.trim(), password: credentials.password }),
    });
  } catch {
    return { ok: false, message: signInErrorMessage('network') };
  }
  if (!response.ok) return { ok: false, message: signInErrorMessage(response.status) };
  return readAuthAnswer(response, false);
}

/**
 * `POST /api/auth/accept-invite`: an invitation or password-reset code from an admin and the new
 * password; the hub answers a session, as a sign-in does.
 */
export async function acceptCode(
  hubUrl: string,
  input: { readonly code: string; readonly password: string },
  fetchFn: Fetch,
): Promise<SignInResult> {
  let response: Response;
  try {
    response = await fetchFn(`${hubUrl}/api/auth/accept-invite`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: input.code.trim(), password: input.password }),
    });
  } catch {
    return { ok: false, message: signInErrorMessage('network') };
  }
  if (response.status === 401) {
    return {
      ok: false,
      message: 'This code is unknown, used or expired. Ask an admin for a new one.',
    };
  }
  // 400: the hub names what is wrong (a password too short, a malformed code).
  if (!response.ok) return { ok: false, message: await hubErrorMessage(response) };
  return readAuthAnswer(response, false);
}

export type EmbeddedResult =
  | { readonly kind: 'session'; readonly session: Session }
  /** A team hub: its users sign in with a password. */
  | { readonly kind: 'password_required' }
  /** The embedded hub, without (or with a used) secret: a browser needs a new sign-in link. */
  | { readonly kind: 'link_required'; readonly message: string }
  | { readonly kind: 'unreachable'; readonly message: string };

export const SIGN_IN_LINK_NOTICE =
  'This is the hub on this computer: it signs you in only through the link it printed when it started (npm start). Each link works once; restart it for a new one.';

/**
 * `POST /api/auth/embedded` with the launch secret or one-time token (`secret`), if any: the
 * embedded hub signs the local admin in for it and answers 401 without it; other hubs answer 403.
 */
export async function requestEmbeddedSession(
  hubUrl: string,
  secret: string | null,
  fetchFn: Fetch,
): Promise<EmbeddedResult> {
  let response: Response;
  try {
    response = await fetchFn(`${hubUrl}/api/auth/embedded`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(secret === null ? {} : { secret }),
      cache: 'no-store',
    });
  } catch {
    return { kind: 'unreachable', message: signInErrorMessage('network') };
  }
  if (response.status === 403) return { kind: 'password_required' };
  if (response.status === 401) return { kind: 'link_required', message: SIGN_IN_LINK_NOTICE };
  if (!response.ok) {
    return { kind: 'unreachable', message: await hubErrorMessage(response) };
  }
  const answer = await readAuthAnswer(response, true);
  return answer.ok
    ? { kind: 'session', session: answer.session }
    : { kind: 'unreachable', message: answer.message };
}

/** `POST /api/auth/logout`. Best effort: signing out locally must never wait on the hub. */
export async function signOut(hubUrl: string, token: string, fetchFn: Fetch): Promise<void> {
  try {
    await fetchFn(`${hubUrl}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch {
    // The hub is unreachable: the token expires on its own (30 days) and is forgotten here.
  }
}

/** The hub's own sentence for a failed request (docs/api.md error shape), or the status. */
export async function hubErrorMessage(response: Response): Promise<string> {
  try {
    const parsed = errorAnswerSchema.safeParse(await response.json());
    if (parsed.success) return parsed.data.message;
  } catch {
    // Not JSON (a proxy's error page): use the status.
  }
  return `The hub answered HTTP ${response.status}.`;
}
