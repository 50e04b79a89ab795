import type { Credentials, IpcResponse } from '../shared/ipc/contract';
import { buildContentSecurityPolicy } from '../shared/security/csp';
import type { CredentialStore } from './credentials';

/** The `credentials:*` IPC channels, answered from the store. */
export interface CredentialServices {
  get(): IpcResponse<'credentials:get'>;
  set(credentials: Credentials): Promise<IpcResponse<'credentials:set'>>;
  clear(): Promise<IpcResponse<'credentials:clear'>>;
}

export interface HubAccess {
  /** The CSP for the page being served now (the app's HTML); remembers which hubs it names. */
  contentSecurityPolicy(): string;
  readonly credentials: CredentialServices;
}

/**
 * Which hubs the window may connect to. The CSP's `connect-src` names the hubs configured at
 * start (`REPLYDESK_HUB_URL`, the embedded hub) plus the one team hub the agent chose last, and
 * no other: choosing another hub replaces it. Everything else stays as the policy builder makes it,
 * from `default-src 'none'`.
 *
 * Why it is safe for the page to name a hub through `credentials:set`:
 * - a document's CSP is fixed when it loads; what main serves from now on applies only to pages
 *   loaded later. A script running in the current page cannot widen its own policy: the new hub is
 *   reachable only after a reload, by a fresh page that runs only the app's own scripts
 *   (`script-src 'self'`). `reloadRequired` tells the renderer when that is needed;
 * - the sender frame is checked and the address parsed by the contract before this runs: only the
 *   app's own page can name a hub, and only as a normalised http(s) origin, which cannot carry a
 *   `;`, a space, a wildcard or a keyword into the header.
 */
export function createHubAccess(
  configuredHubs: readonly string[],
  store: CredentialStore,
): HubAccess {
  // Hubs named by the CSP of the last page served; null until one is (the dev server's page
  // does not come through the app: protocol, and has no such policy).
  let served: readonly string[] | null = null;

  const allowedHubs = (): string[] => {
    const chosen = store.get()?.hubUrl;
    return [...new Set([...configuredHubs, ...(chosen ? [chosen] : [])])];
  };

  return {
    contentSecurityPolicy: () => {
      served = allowedHubs();
      return buildContentSecurityPolicy({ hubOrigins: served });
    },
    credentials: {
      get: () => ({
        // Nothing remembered: offer the configured team hub, if any, to sign in to.
        credentials:
          store.get() ??
          (configuredHubs[0] !== undefined ? { hubUrl: configuredHubs[0], session: null } : null),
        storage: store.storage,
      }),
      set: async (credentials) => {
        await store.set(credentials);
        return {
          storage: store.storage,
          reloadRequired: served !== null && !served.includes(credentials.hubUrl),
        };
      },
      clear: async () => ({ cleared: await store.clearSession() }),
    },
  };
}
