import { useCallback, useEffect, useState } from 'react';
import {
  readStoredSession,
  resumeSession,
  signIn as requestSignIn,
  signOut as requestSignOut,
  storeSession,
  type Fetch,
  type SessionState,
  type SessionStorageLike,
} from './session';

export interface SessionControls {
  readonly state: SessionState;
  /** Resolves to `null` when signed in, else to the sentence to show under the form. */
  signIn(email: string, password: string): Promise<string | null>;
  signOut(): void;
  /** The hub no longer accepts the token (revoked, expired, hub reset): look for a new session. */
  expire(): void;
  /** Look for a session again after the hub could not be reached. */
  retry(): void;
}

// Called through a wrapper: a detached `window.fetch` throws "Illegal invocation".
const browserFetch: Fetch = (input, init) => fetch(input, init);

export const SESSION_ENDED_NOTICE = 'Your session has ended. Sign in again to continue.';

function initialState(hubUrl: string | null, storage: SessionStorageLike): SessionState {
  if (!hubUrl) return { kind: 'no_hub' };
  // A reload keeps the session without a round trip, so the inbox shows at once.
  const stored = readStoredSession(storage);
  return stored ? { kind: 'signed_in', session: stored } : { kind: 'starting', notice: null };
}

/**
 * The session of this window with the hub at `hubUrl` (`null`: no hub serves this page). The
 * hub is asked for one only once `needed` (the inbox is shown): the Reply windows page works
 * without signing in and causes no sign-in traffic.
 */
export function useSession(
  hubUrl: string | null,
  storage: SessionStorageLike,
  needed: boolean,
): SessionControls {
  const [state, setState] = useState<SessionState>(() => initialState(hubUrl, storage));

  const starting = state.kind === 'starting';
  const startingNotice = state.kind === 'starting' ? state.notice : null;
  useEffect(() => {
    if (!hubUrl || !starting || !needed) return undefined;
    let cancelled = false;
    void resumeSession(hubUrl, storage, browserFetch, startingNotice).then((next) => {
      if (!cancelled) setState(next);
    });
    return () => {
      cancelled = true;
    };
  }, [hubUrl, starting, startingNotice, storage, needed]);

  const signIn = useCallback(
    async (email: string, password: string): Promise<string | null> => {
      if (!hubUrl) return 'There is no hub to sign in to.';
      const result = await requestSignIn(hubUrl, { email, password }, browserFetch);
      if (!result.ok) return result.message;
      storeSession(storage, result.session);
      setState({ kind: 'signed_in', session: result.session });
      return null;
    },
    [hubUrl, storage],
  );

  const token = state.kind === 'signed_in' ? state.session.token : null;
  const signOut = useCallback(() => {
    if (!hubUrl || token === null) return;
    storeSession(storage, null);
    setState({ kind: 'signed_out', notice: null });
    void requestSignOut(hubUrl, token, browserFetch);
  }, [hubUrl, token, storage]);

  const expire = useCallback(() => {
    storeSession(storage, null);
    setState({ kind: 'starting', notice: SESSION_ENDED_NOTICE });
  }, [storage]);

  const retry = useCallback(() => setState({ kind: 'starting', notice: null }), []);

  return { state, signIn, signOut, expire, retry };
}
