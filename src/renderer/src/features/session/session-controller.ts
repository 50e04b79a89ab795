import { userSchema } from '../../../../shared/domain/model';
import {
  acceptCode as requestCode,
  checkHub,
  hostOf,
  normaliseHubUrl,
  requestEmbeddedSession,
  signIn as requestSignIn,
  signOut as requestSignOut,
  type Fetch,
  type Session,
  type SignInResult,
  type SessionPersistence,
  type SessionStore,
} from './session';

/**
 * The session of one window with one hub, as a small state machine without React (useSession
 * wraps it), so every path is tested in Node:
 *
 *   starting ──(remembered session)──────────────────────────────► signed_in
 *      │  checks the hub (GET /healthz), then asks it for the embedded session (with the
 *      │  desktop shell's launch secret or the tab's one-time sign-in token, if any)
 *      ├──(embedded hub)──────────────────────────────────────────► signed_in
 *      ├──(team hub: a password is needed)──► signed_out ──signIn──► signed_in
 *      └──(no answer / not a hub)──► unreachable ──retry──► starting
 *   signed_out ──chooseHub (desktop)──► starting, or a reload (the window's CSP must name the hub)
 *   signed_in ──signOut──► signed_out;  ──expire──► starting (with a notice)
 *
 * In a browser the hub is the page's own origin; in the desktop app it is the one the agent
 * chose, remembered by the desktop shell.
 */
export type SessionState =
  /** A browser page not served by a hub (no hub to sign in to, none can be chosen). */
  | { readonly kind: 'no_hub' }
  /**
   * Checking the hub at `hubUrl` ("Checking the hub…") and looking for a session; `hubUrl` is
   * null while the desktop shell is asked which hub was used last. `notice` is shown if this
   * ends on the sign-in page.
   */
  | { readonly kind: 'starting'; readonly hubUrl: string | null; readonly notice: string | null }
  | { readonly kind: 'unreachable'; readonly hubUrl: string; readonly message: string }
  /** The sign-in page; `hubUrl` null: the desktop app has no hub yet, the agent types one. */
  | { readonly kind: 'signed_out'; readonly hubUrl: string | null; readonly notice: string | null }
  | { readonly kind: 'signed_in'; readonly hubUrl: string; readonly session: Session };

export interface SessionSnapshot {
  readonly state: SessionState;
  /** Where the session is kept; null until the store has said. */
  readonly persistence: SessionPersistence | null;
}

export interface SessionControllerOptions {
  readonly store: SessionStore;
  /** The hub that served this page (a browser), else null (the desktop window, app://). */
  readonly pageHubUrl: string | null;
  readonly fetch: Fetch;
  /** Load the page again: the desktop window's CSP names a newly chosen hub only after that. */
  readonly reload: () => void;
}

export interface SessionController {
  getSnapshot(): SessionSnapshot;
  subscribe(listener: () => void): () => void;
  /** Run the `starting` state to its end; does nothing in any other state or if already running. */
  start(): Promise<void>;
  /**
   * Sign in with a password to `hubUrl` (default: the hub of the current state). Resolves to
   * `null` when signed in or on the way to the chosen hub, else to the sentence to show.
   */
  signIn(email: string, password: string, hubUrl?: string): Promise<string | null>;
  /** Set a password with an admin's invitation or reset code, and sign in; as `signIn`. */
  acceptCode(code: string, password: string, hubUrl?: string): Promise<string | null>;
  /** Desktop: use the hub at `hubUrl` (typed by the agent). `null`, or what is wrong with it. */
  chooseHub(hubUrl: string): Promise<string | null>;
  /** Back to the sign-in page from "unreachable", to type another hub's address. */
  changeHub(): void;
  signOut(): Promise<void>;
  /** The hub no longer accepts the token (revoked, expired, hub reset): look for a new session. */
  expire(): Promise<void>;
  /** Look for a session again after the hub could not be reached. */
  retry(): void;
}

export const SESSION_ENDED_NOTICE = 'Your session has ended. Sign in again to continue.';

/** The hub a state is about, if any. */
export function hubUrlOfState(state: SessionState): string | null {
  return state.kind === 'no_hub' ? null : state.hubUrl;
}

function initialState(store: SessionStore, pageHubUrl: string | null): SessionState {
  if (store.kind === 'browser') {
    if (pageHubUrl === null) return { kind: 'no_hub' };
    // A reload keeps the session without a round trip, so the inbox shows at once.
    const kept = store.peek();
    return kept
      ? { kind: 'signed_in', hubUrl: pageHubUrl, session: kept }
      : { kind: 'starting', hubUrl: pageHubUrl, notice: null };
  }
  return { kind: 'starting', hubUrl: null, notice: null };
}

export function createSessionController(options: SessionControllerOptions): SessionController {
  const { store, pageHubUrl, fetch, reload } = options;
  let snapshot: SessionSnapshot = {
    state: initialState(store, pageHubUrl),
    persistence: store.kind === 'browser' ? 'tab' : null,
  };
  const listeners = new Set<() => void>();
  // Bumped on every transition: an answer that arrives after the state moved on is dropped.
  let generation = 0;
  let running: Promise<void> | null = null;
  // A session being forgotten must be gone before `starting` looks for a remembered one.
  let forgetting: Promise<void> = Promise.resolve();
  const forget = (): Promise<void> => {
    forgetting = store.forget().catch(() => undefined);
    return forgetting;
  };

  function update(next: Partial<SessionSnapshot>): void {
    if (next.state) generation += 1;
    snapshot = { ...snapshot, ...next };
    for (const listener of listeners) listener();
  }

  const setState = (state: SessionState): void => update({ state });

  async function runStart(): Promise<void> {
    const { state } = snapshot;
    if (state.kind !== 'starting') return;
    const notice = state.notice;
    let started = generation;
    await forgetting;
    const remembered = await store.load();
    if (generation !== started) return;
    const hubUrl = store.kind === 'browser' ? pageHubUrl : remembered.hubUrl;
    update({ persistence: remembered.persistence });
    if (hubUrl === null) return setState({ kind: 'signed_out', hubUrl: null, notice });
    if (remembered.session) {
      setState({ kind: 'signed_in', hubUrl, session: remembered.session });
      void refreshUser(hubUrl, remembered.session);
      return undefined;
    }
    if (state.hubUrl !== hubUrl) setState({ kind: 'starting', hubUrl, notice });
    started = generation;
    const hub = await checkHub(hubUrl, fetch);
    if (generation !== started) return;
    if (!hub.ok) return setState({ kind: 'unreachable', hubUrl, message: hub.message });
    const secret = await store.embeddedSecret(hubUrl);
    if (generation !== started) return;
    const embedded = await requestEmbeddedSession(hubUrl, secret, fetch);
    if (generation !== started) return;
    switch (embedded.kind) {
      case 'session':
        await saveQuietly(hubUrl, embedded.session);
        return setState({ kind: 'signed_in', hubUrl, session: embedded.session });
      case 'password_required':
        return setState({ kind: 'signed_out', hubUrl, notice });
      case 'link_required':
        return setState({ kind: 'signed_out', hubUrl, notice: embedded.message });
      case 'unreachable':
        return setState({ kind: 'unreachable', hubUrl, message: embedded.message });
    }
  }

  /**
   * A remembered session is shown at once; `GET /api/me` then confirms it in the background:
   * the hub no longer knowing the token ends it, a renamed agent gets the new name. Without an
   * answer it stays (offline): the inbox finds out on its own when the hub is back.
   */
  async function refreshUser(hubUrl: string, session: Session): Promise<void> {
    const started = generation;
    let response: Response;
    try {
      response = await fetch(`${hubUrl}/api/me`, {
        headers: { authorization: `Bearer ${session.token}` },
        cache: 'no-store',
      });
    } catch {
      return;
    }
    if (generation !== started) return;
    if (response.status === 401) return controller.expire();
    if (!response.ok) return;
    const body: unknown = await response.json().catch(() => null);
    const user = userSchema.safeParse((body as { user?: unknown } | null)?.user);
    if (!user.success || generation !== started) return;
    if (JSON.stringify(user.data) === JSON.stringify(session.user)) return;
    const updated = { ...session, user: user.data };
    setState({ kind: 'signed_in', hubUrl, session: updated });
    await saveQuietly(hubUrl, updated);
  }

  /** Remember; a store that fails (IPC refused) costs only the remembering, never the sign-in. */
  async function saveQuietly(hubUrl: string, session: Session | null): Promise<boolean> {
    try {
      const saved = await store.save(hubUrl, session);
      update({ persistence: saved.persistence });
      return saved.reloadRequired;
    } catch {
      update({ persistence: 'memory' });
      return false;
    }
  }

  /** Sign in to `hubUrl` (default: the hub of the current state) with `request`'s answer. */
  async function signInWith(
    hubUrl: string | undefined,
    request: (target: string) => Promise<SignInResult>,
  ): Promise<string | null> {
    const current = hubUrlOfState(snapshot.state);
    const typed = hubUrl === undefined ? null : normaliseHubUrl(hubUrl);
    if (typed && !typed.ok) return typed.message;
    const target = typed?.url ?? current;
    if (target === null) return 'Enter the address of your team\u2019s hub.';
    if (target !== current) {
      if (store.kind === 'browser') {
        return `This page signs in to its own hub, ${current === null ? 'none' : hostOf(current)}. To use another hub, open its address in your browser.`;
      }
      return controller.chooseHub(target);
    }
    const started = generation;
    const hub = await checkHub(target, fetch);
    if (!hub.ok) return hub.message;
    const result = await request(target);
    if (!result.ok) return result.message;
    if (generation !== started) return null;
    await saveQuietly(target, result.session);
    setState({ kind: 'signed_in', hubUrl: target, session: result.session });
    return null;
  }

  const controller: SessionController = {
    getSnapshot: () => snapshot,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start: () => {
      running ??= (async () => {
        try {
          // A run cut short by a new `starting` (a session expiring meanwhile) runs again.
          while (snapshot.state.kind === 'starting') {
            const before = generation;
            await runStart();
            if (generation === before) break;
          }
        } finally {
          running = null;
        }
      })();
      return running;
    },

    signIn(email, password, hubUrl) {
      return signInWith(hubUrl, (target) => requestSignIn(target, { email, password }, fetch));
    },

    acceptCode(code, password, hubUrl) {
      return signInWith(hubUrl, (target) => requestCode(target, { code, password }, fetch));
    },

    async chooseHub(raw) {
      const checked = normaliseHubUrl(raw);
      if (!checked.ok) return checked.message;
      if (store.kind === 'browser') {
        const current = hubUrlOfState(snapshot.state);
        return checked.url === current
          ? null
          : `This page signs in to its own hub. To use ${hostOf(checked.url)}, open its address in your browser.`;
      }
      let reloadRequired: boolean;
      try {
        ({ reloadRequired } = await store.save(checked.url, null));
      } catch (error) {
        return `This hub cannot be used: ${error instanceof Error ? error.message : String(error)}`;
      }
      if (reloadRequired) {
        // The page stays as it is until the reload replaces it.
        reload();
        return null;
      }
      setState({ kind: 'starting', hubUrl: checked.url, notice: null });
      void controller.start();
      return null;
    },

    changeHub() {
      const { state } = snapshot;
      if (state.kind !== 'unreachable' || store.kind === 'browser') return;
      setState({ kind: 'signed_out', hubUrl: state.hubUrl, notice: null });
    },

    async signOut() {
      const { state } = snapshot;
      if (state.kind !== 'signed_in') return;
      setState({ kind: 'signed_out', hubUrl: state.hubUrl, notice: null });
      // Forget here first: signing out must never wait on the hub.
      await Promise.all([forget(), requestSignOut(state.hubUrl, state.session.token, fetch)]);
    },

    async expire() {
      const hubUrl = hubUrlOfState(snapshot.state);
      const forgotten = forget();
      setState({ kind: 'starting', hubUrl, notice: SESSION_ENDED_NOTICE });
      await forgotten;
    },

    retry() {
      const { state } = snapshot;
      if (state.kind !== 'unreachable') return;
      setState({ kind: 'starting', hubUrl: state.hubUrl, notice: null });
    },
  };
  return controller;
}
