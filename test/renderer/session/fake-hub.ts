import type { User } from '../../../src/shared/domain/model';
import type { Credentials, IpcResponse } from '../../../src/shared/ipc/contract';
import type { CredentialsApi, Fetch } from '../../../src/renderer/src/features/session/session';

export const HUB = 'http://127.0.0.1:4477';
export const TEAM_HUB = 'https://hub.shop.example';

export const user: User = {
  id: 'usr_1',
  email: 'anna@shop.example',
  name: 'Anna',
  role: 'agent',
  disabled: false,
};

export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status });

export const healthy = (): Response => json(200, { status: 'ok', time: '2026-11-21T12:00:00Z' });

type Answer = Response | Error | (() => Response | Error | Promise<Response | Error>);

/**
 * A hub answering `METHOD /path` (any origin: the key is the path) from a table; every call is
 * recorded with its origin. An unexpected call throws, so a test names every request it allows.
 */
export function fakeHub(answers: Record<string, Answer>): { fetch: Fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      const url = new URL(input);
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push(`${key} ${url.origin}`);
      const entry = answers[key];
      if (entry === undefined) throw new Error(`unexpected ${key}`);
      const answer = typeof entry === 'function' ? await entry() : entry;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

/**
 * The desktop shell's side of `credentials:*`, as src/main answers it: one remembered record,
 * `reloadRequired` when the hub is not the one the loaded page's CSP names.
 */
export function fakeDesktop(
  initial: Credentials | null = null,
  options: {
    storage?: 'encrypted' | 'memory';
    pageHubs?: string[];
    /** The embedded hub main started and its launch secret (`hub:embedded-secret`). */
    embedded?: { hubUrl: string; secret: string } | null;
  } = {},
): CredentialsApi & { remembered: Credentials | null; sets: Credentials[] } {
  const storage = options.storage ?? 'encrypted';
  const pageHubs = options.pageHubs ?? (initial ? [initial.hubUrl] : []);
  const api = {
    remembered: initial,
    sets: [] as Credentials[],
    getCredentials: async (): Promise<IpcResponse<'credentials:get'>> => ({
      credentials: api.remembered,
      storage,
    }),
    setCredentials: async (credentials: Credentials): Promise<IpcResponse<'credentials:set'>> => {
      api.sets.push(credentials);
      api.remembered = credentials;
      return { storage, reloadRequired: !pageHubs.includes(credentials.hubUrl) };
    },
    getEmbeddedSecret: async (): Promise<IpcResponse<'hub:embedded-secret'>> => ({
      embedded: options.embedded ?? null,
    }),
    clearCredentials: async (): Promise<IpcResponse<'credentials:clear'>> => {
      const had = (api.remembered?.session ?? null) !== null;
      if (api.remembered) api.remembered = { hubUrl: api.remembered.hubUrl, session: null };
      return { cleared: had };
    },
  };
  return api;
}
