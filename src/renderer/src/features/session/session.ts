import { z } from 'zod';
import { userSchema } from '../../../../shared/domain/model';

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

/**
 * The token lives in `sessionStorage` for now: it survives a reload, not the closing of the tab.
 * The desktop app's safe credential storage replaces it later.
 */
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

/** This tab's `sessionStorage`, or a memory fallback where the browser refuses it. */
export function browserSessionStorage(): SessionStorageLike {
  try {
    const storage = window.sessionStorage;
    storage.getItem(SESSION_STORAGE_KEY);
    return storage;
  } catch {
    return memoryStorage();
  }
}

export function storeSession(storage: SessionStorageLike, session: Session | null): void {
  if (session === null) storage.removeItem(SESSION_STORAGE_KEY);
  else storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
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

export type EmbeddedResult =
  | { readonly kind: 'session'; readonly session: Session }
  /** A team hub: its users sign in with a password. */
  | { readonly kind: 'password_required' }
  | { readonly kind: 'unreachable'; readonly message: string };

/** `GET /api/auth/embedded`: the embedded hub signs the local admin in; other hubs answer 403. */
export async function requestEmbeddedSession(
  hubUrl: string,
  fetchFn: Fetch,
): Promise<EmbeddedResult> {
  let response: Response;
  try {
    response = await fetchFn(`${hubUrl}/api/auth/embedded`, { cache: 'no-store' });
  } catch {
    return { kind: 'unreachable', message: signInErrorMessage('network') };
  }
  if (response.status === 403) return { kind: 'password_required' };
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

export type SessionState =
  /** The page was not served by a hub (the Electron window without a configured hub). */
  | { readonly kind: 'no_hub' }
  /** Looking for a session; `notice` is shown if it ends on the sign-in page. */
  | { readonly kind: 'starting'; readonly notice: string | null }
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'signed_out'; readonly notice: string | null }
  | { readonly kind: 'signed_in'; readonly session: Session };

/**
 * Where a page load starts: the session kept from before the reload, else the embedded hub's
 * local admin, else the sign-in page. A kept token is not checked here: the inbox finds out on
 * its first request and ends the session if the hub no longer knows it.
 */
export async function resumeSession(
  hubUrl: string,
  storage: SessionStorageLike,
  fetchFn: Fetch,
  notice: string | null = null,
): Promise<SessionState> {
  const stored = readStoredSession(storage);
  if (stored) return { kind: 'signed_in', session: stored };
  const embedded = await requestEmbeddedSession(hubUrl, fetchFn);
  switch (embedded.kind) {
    case 'session':
      storeSession(storage, embedded.session);
      return { kind: 'signed_in', session: embedded.session };
    case 'password_required':
      return { kind: 'signed_out', notice };
    case 'unreachable':
      return { kind: 'unreachable', message: embedded.message };
  }
}
