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
  /** The embedded hub and this launch's secret for it (`hub:embedded-secret`), if main runs one. */
  embeddedSecret(): IpcResponse<'hub:embedded-secret'>;
  /** The CSP for the page being served now (the app's HTML); remembers which hubs it names. */
  contentSecurityPolicy(): string;
  readonly credentials: CredentialServices;
}

/**
 * Which hubs the window may connect to. The CSP's `connect-src` names the hubs configured at
 * start (`REPLYDESK_HUB_URL`), the embedded hub when main runs one, plus the one team hub the
 * agent chose last, and no other: choosing another hub replaces it. Everything else stays as the
 * policy builder makes it, from `default-src 'none'`.
 *
 * The embedded hub is never remembered: its port is picked afresh on every start, and an app
 * without a remembered hub is what makes main start it. Naming it in `credentials:set` (the
 * renderer does so after the embedded hub signed it in) therefore forgets any team hub chosen
 * earlier in this run: the hub last used is this computer's again.
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
  embeddedHubUrl: string | null = null,
  embeddedSecret: string | null = null,
): HubAccess {
  // Hubs named by the CSP of the last page served; null until one is (the dev server's page
  // does not come through the app: protocol, and has no such policy).
  let served: readonly string[] | null = null;
  const startHubs = [...configuredHubs, ...(embeddedHubUrl === null ? [] : [embeddedHubUrl])];

  const allowedHubs = (): string[] => {
    const chosen = store.get()?.hubUrl;
    return [...new Set([...startHubs, ...(chosen ? [chosen] : [])])];
  };

  return {
    embeddedSecret: () => ({
      embedded:
        embeddedHubUrl !== null && embeddedSecret !== null
          ? { hubUrl: embeddedHubUrl, secret: embeddedSecret }
          : null,
    }),
    contentSecurityPolicy: () => {
      served = allowedHubs();
      return buildContentSecurityPolicy({ hubOrigins: served });
    },
    credentials: {
      get: () => ({
        // Nothing remembered: offer the embedded hub (which signs the local admin in by itself)
        // or the configured team hub, if any, to sign in to.
        credentials:
          store.get() ??
          (startHubs[0] !== undefined ? { hubUrl: startHubs[0], session: null } : null),
        storage: store.storage,
      }),
      set: async (credentials) => {
        if (credentials.hubUrl === embeddedHubUrl) await store.forget();
        else await store.set(credentials);
        return {
          storage: store.storage,
          reloadRequired: served !== null && !served.includes(credentials.hubUrl),
        };
      },
      clear: async () => ({ cleared: await store.clearSession() }),
    },
  };
}
