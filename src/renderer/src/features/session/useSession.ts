import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  createSessionController,
  hubUrlOfState,
  type SessionController,
  type SessionState,
} from './session-controller';
import {
  persistenceNotice,
  type Fetch,
  type SessionPersistence,
  type SessionStore,
} from './session';

export { SESSION_ENDED_NOTICE } from './session-controller';

export interface SessionControls {
  readonly state: SessionState;
  /**
   * The hub this window works with: the page's origin in a browser, the hub the agent chose in
   * the desktop app; `null` while there is none. Pass it to `useDataLayer` and `useHubStatus`.
   */
  readonly hubUrl: string | null;
  /** Desktop: the sign-in page lets the agent type another hub's address. */
  readonly canChangeHub: boolean;
  readonly persistence: SessionPersistence | null;
  /** Where the sign-in is kept, when the agent should know (no secure storage); else null. */
  readonly storageNotice: string | null;
  /** Resolves to `null` when signed in, else to the sentence to show under the form. */
  signIn(email: string, password: string, hubUrl?: string): Promise<string | null>;
  /** Set a password with an admin's invitation or reset code, and sign in. */
  acceptCode(code: string, password: string, hubUrl?: string): Promise<string | null>;
  /** Desktop: use another hub (reloads the window when its CSP must name it first). */
  chooseHub(hubUrl: string): Promise<string | null>;
  /** From "unreachable" back to the sign-in page, to type another hub's address. */
  changeHub(): void;
  /** Ends the session on the hub (`POST /api/auth/logout`) and forgets the token. */
  signOut(): void;
  /** The hub no longer accepts the token (revoked, expired, hub reset): look for a new session. */
  expire(): void;
  /** Look for a session again after the hub could not be reached. */
  retry(): void;
}

// Called through a wrapper: a detached `window.fetch` throws "Illegal invocation".
const browserFetch: Fetch = (input, init) => fetch(input, init);
const reloadPage = (): void => window.location.reload();

/**
 * The session of this window. `pageHubUrl`: the hub that served the page (`hubUrlOf(location)`),
 * `null` in the desktop window; `store`: `sessionStoreFor(desktopApi)`. Both are read once, for
 * the life of the window. The hub is asked for a session only once `needed` (the inbox is
 * shown): the Reply windows page works without signing in and causes no sign-in traffic.
 */
export function useSession(
  pageHubUrl: string | null,
  store: SessionStore,
  needed: boolean,
): SessionControls {
  const [controller] = useState<SessionController>(() =>
    createSessionController({ store, pageHubUrl, fetch: browserFetch, reload: reloadPage }),
  );
  const { state, persistence } = useSyncExternalStore(controller.subscribe, controller.getSnapshot);

  const starting = state.kind === 'starting';
  useEffect(() => {
    if (starting && needed) void controller.start();
  }, [controller, starting, needed]);

  // Stable functions: `expire` goes into `useDataLayer`, which makes a new data layer when it changes.
  const actions = useMemo(
    () => ({
      signIn: controller.signIn,
      acceptCode: controller.acceptCode,
      chooseHub: controller.chooseHub,
      changeHub: controller.changeHub,
      signOut: () => void controller.signOut(),
      expire: () => void controller.expire(),
      retry: controller.retry,
    }),
    [controller],
  );

  return useMemo(
    () => ({
      ...actions,
      state,
      hubUrl: hubUrlOfState(state),
      canChangeHub: store.kind === 'desktop',
      persistence,
      storageNotice: persistenceNotice(persistence),
    }),
    [actions, state, persistence, store.kind],
  );
}
