import { describe, expect, it, vi } from 'vitest';
import {
  createSessionController,
  SESSION_ENDED_NOTICE,
  type SessionController,
  type SessionState,
} from '../../../src/renderer/src/features/session/session-controller';
import {
  browserSessionStore,
  desktopSessionStore,
  memoryStorage,
  persistenceNotice,
  readStoredSession,
  signInErrorMessage,
  storeSession,
  type Fetch,
  type SessionStorageLike,
} from '../../../src/renderer/src/features/session/session';
import type { Credentials } from '../../../src/shared/ipc/contract';
import { fakeDesktop, fakeHub, healthy, HUB, json, TEAM_HUB, user } from './fake-hub';

/** Every state the controller passes through, as `kind` or `kind@hub`. */
function track(controller: SessionController): string[] {
  const seen: string[] = [];
  let last: SessionState | null = null;
  const record = (): void => {
    const { state } = controller.getSnapshot();
    if (state === last) return; // a change of persistence only
    last = state;
    seen.push(
      state.kind === 'no_hub' || state.hubUrl === null
        ? state.kind
        : `${state.kind}@${state.hubUrl}`,
    );
  };
  record();
  controller.subscribe(record);
  return seen;
}

function browser(
  fetch: Fetch,
  storage: SessionStorageLike = memoryStorage(),
  page: string | null = HUB,
) {
  const reload = vi.fn();
  const controller = createSessionController({
    store: browserSessionStore(storage),
    pageHubUrl: page,
    fetch,
    reload,
  });
  return { controller, storage, reload, states: track(controller) };
}

function desktop(fetch: Fetch, api = fakeDesktop()) {
  const reload = vi.fn();
  const controller = createSessionController({
    store: desktopSessionStore(api),
    pageHubUrl: null,
    fetch,
    reload,
  });
  return { controller, api, reload, states: track(controller) };
}

const teamHub = (login: Response | Error = json(200, { token: 'tok', user })) =>
  fakeHub({
    'GET /healthz': healthy,
    'POST /api/auth/embedded': () =>
      json(403, { error: 'forbidden', message: 'This hub requires signing in.' }),
    'POST /api/auth/login': () => login,
    'POST /api/auth/logout': () => json(200, { ok: true }),
  });

describe('the session in a browser (the hub is the page’s origin)', () => {
  it('has no hub when the page was not served by one', () => {
    const { controller } = browser(teamHub().fetch, memoryStorage(), null);
    expect(controller.getSnapshot().state).toEqual({ kind: 'no_hub' });
  });

  it('goes signed out → checking the hub → signed in, and remembers the session in the tab', async () => {
    const hub = teamHub();
    const { controller, storage, states } = browser(hub.fetch);
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: HUB,
      notice: null,
    });

    await expect(controller.signIn(' anna@shop.example ', 'pw')).resolves.toBeNull();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_in',
      hubUrl: HUB,
      session: { token: 'tok', user, embedded: false },
    });
    expect(states).toEqual([`starting@${HUB}`, `signed_out@${HUB}`, `signed_in@${HUB}`]);
    expect(hub.calls).toEqual([
      `GET /healthz ${HUB}`,
      `POST /api/auth/embedded ${HUB}`,
      `GET /healthz ${HUB}`,
      `POST /api/auth/login ${HUB}`,
    ]);
    expect(readStoredSession(storage)?.token).toBe('tok');
    expect(controller.getSnapshot().persistence).toBe('tab');
  });

  it('restores the session kept in the tab at once, without asking the hub', () => {
    const storage = memoryStorage();
    storeSession(storage, { token: 'kept', user, embedded: false });
    const hub = fakeHub({});
    const { controller } = browser(hub.fetch, storage);
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_in',
      hubUrl: HUB,
      session: { token: 'kept', user, embedded: false },
    });
    expect(hub.calls).toEqual([]);
  });

  it('is signed in by the embedded hub without the sign-in page', async () => {
    const hub = fakeHub({
      'GET /healthz': healthy(),
      'POST /api/auth/embedded': json(200, { token: 'local', user }),
    });
    const { controller, storage, states } = browser(hub.fetch);
    await controller.start();
    expect(states).toEqual([`starting@${HUB}`, `signed_in@${HUB}`]);
    expect(controller.getSnapshot().state).toMatchObject({ session: { embedded: true } });
    expect(readStoredSession(storage)?.token).toBe('local');
  });

  it('keeps the sign-in page with the wrong-password sentence', async () => {
    const { controller } = browser(
      teamHub(
        json(401, {
          error: 'unauthorized',
          message: 'The e-mail or password is wrong, or the account is disabled.',
        }),
      ).fetch,
    );
    await controller.start();
    await expect(controller.signIn('anna@shop.example', 'nope')).resolves.toBe(
      'The e-mail or password is wrong, or the account is disabled.',
    );
    expect(controller.getSnapshot().state.kind).toBe('signed_out');
  });

  it('asks to wait after too many attempts (429)', async () => {
    const { controller } = browser(teamHub(json(429, { error: 'rate_limited' })).fetch);
    await controller.start();
    const message = await controller.signIn('anna@shop.example', 'pw');
    expect(message).toBe(signInErrorMessage(429));
    expect(message).toMatch(/Too many sign-in attempts.*Wait a minute/);
  });

  it('says the hub cannot be reached when signing in, before trying the password', async () => {
    let up = true;
    const hub = fakeHub({
      'GET /healthz': () => (up ? healthy() : new TypeError('Failed to fetch')),
      'POST /api/auth/embedded': () => json(403, { error: 'forbidden' }),
    });
    const { controller } = browser(hub.fetch);
    await controller.start();
    up = false;
    await expect(controller.signIn('anna@shop.example', 'pw')).resolves.toMatch(
      /^Nothing answers at 127\.0\.0\.1:4477/,
    );
    expect(hub.calls.filter((call) => call.startsWith('POST /api/auth/login'))).toEqual([]);
  });

  it('shows "unreachable" when the hub does not answer at start, and tries again', async () => {
    let up = false;
    const hub = fakeHub({
      'GET /healthz': () => (up ? healthy() : new TypeError('Failed to fetch')),
      'POST /api/auth/embedded': () => json(403, { error: 'forbidden' }),
    });
    const { controller, states } = browser(hub.fetch);
    await controller.start();
    expect(controller.getSnapshot().state).toMatchObject({ kind: 'unreachable', hubUrl: HUB });
    up = true;
    controller.retry();
    await controller.start();
    expect(states).toEqual([
      `starting@${HUB}`,
      `unreachable@${HUB}`,
      `starting@${HUB}`,
      `signed_out@${HUB}`,
    ]);
  });

  it('signs out: ends the session on the hub and forgets the token', async () => {
    const hub = teamHub();
    const fetch = vi.fn(hub.fetch);
    const { controller, storage } = browser(fetch);
    await controller.start();
    await controller.signIn('anna@shop.example', 'pw');
    await controller.signOut();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: HUB,
      notice: null,
    });
    expect(readStoredSession(storage)).toBeNull();
    expect(fetch).toHaveBeenLastCalledWith(`${HUB}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok' },
    });
  });

  it('signs out locally even when the hub cannot be reached', async () => {
    const storage = memoryStorage();
    storeSession(storage, { token: 'kept', user, embedded: false });
    const hub = fakeHub({ 'POST /api/auth/logout': new TypeError('Failed to fetch') });
    const { controller } = browser(hub.fetch, storage);
    await controller.signOut();
    expect(controller.getSnapshot().state.kind).toBe('signed_out');
    expect(readStoredSession(storage)).toBeNull();
  });

  it('ends an expired session with a notice on the sign-in page', async () => {
    const storage = memoryStorage();
    storeSession(storage, { token: 'revoked', user, embedded: false });
    const { controller } = browser(teamHub().fetch, storage);
    await controller.expire();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'starting',
      hubUrl: HUB,
      notice: SESSION_ENDED_NOTICE,
    });
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: HUB,
      notice: SESSION_ENDED_NOTICE,
    });
    expect(readStoredSession(storage)).toBeNull();
  });

  it('refuses to sign in to another hub from a page served by this one', async () => {
    const { controller } = browser(teamHub().fetch);
    await controller.start();
    await expect(controller.signIn('anna@shop.example', 'pw', TEAM_HUB)).resolves.toMatch(
      /signs in to its own hub, 127\.0\.0\.1:4477.*open its address in your browser/,
    );
    await expect(controller.chooseHub(TEAM_HUB)).resolves.toMatch(/open its address/);
  });
});

describe('the session in the desktop app (the agent chooses the hub)', () => {
  const rememberedHub: Credentials = { hubUrl: TEAM_HUB, session: null };

  it('starts on an empty sign-in page when no hub was ever used', async () => {
    const { controller, states } = desktop(fakeHub({}).fetch);
    await controller.start();
    expect(states).toEqual(['starting', 'signed_out']);
    expect(controller.getSnapshot()).toEqual({
      state: { kind: 'signed_out', hubUrl: null, notice: null },
      persistence: 'encrypted',
    });
  });

  it('refuses a hub address that is not http(s) without contacting anything', async () => {
    const { controller, api, reload } = desktop(fakeHub({}).fetch);
    await controller.start();
    await expect(controller.chooseHub('file:///etc/passwd')).resolves.toMatch(/not file:/);
    await expect(controller.chooseHub('https://a:b@hub.shop.example')).resolves.toMatch(
      /user name and password/,
    );
    expect(api.sets).toEqual([]);
    expect(reload).not.toHaveBeenCalled();
  });

  it('remembers a newly chosen hub and reloads, so the window’s CSP names it', async () => {
    const { controller, api, reload } = desktop(fakeHub({}).fetch);
    await controller.start();
    await expect(controller.chooseHub('Hub.Shop.Example/')).resolves.toBeNull();
    expect(api.sets).toEqual([{ hubUrl: TEAM_HUB, session: null }]);
    expect(reload).toHaveBeenCalledOnce();
  });

  it('after the reload: checks the hub, signs in, and remembers the session in the shell', async () => {
    const hub = teamHub();
    const { controller, api, states } = desktop(hub.fetch, fakeDesktop(rememberedHub));
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: TEAM_HUB,
      notice: null,
    });
    await expect(controller.signIn('anna@shop.example', 'pw', TEAM_HUB)).resolves.toBeNull();
    expect(states).toEqual([
      'starting',
      `starting@${TEAM_HUB}`,
      `signed_out@${TEAM_HUB}`,
      `signed_in@${TEAM_HUB}`,
    ]);
    expect(api.remembered).toEqual({ hubUrl: TEAM_HUB, session: { token: 'tok', user } });
    expect(hub.calls).toEqual([
      `GET /healthz ${TEAM_HUB}`,
      `POST /api/auth/embedded ${TEAM_HUB}`,
      `GET /healthz ${TEAM_HUB}`,
      `POST /api/auth/login ${TEAM_HUB}`,
    ]);
  });

  it('says when the address is not a Replydesk hub', async () => {
    const hub = fakeHub({ 'GET /healthz': new Response('<html>Shop</html>') });
    const { controller } = desktop(hub.fetch, fakeDesktop(rememberedHub));
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'unreachable',
      hubUrl: TEAM_HUB,
      message: 'hub.shop.example answered, but it is not a Replydesk hub. Check the address.',
    });
    controller.changeHub();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: TEAM_HUB,
      notice: null,
    });
  });

  it('checks a hub the page may already reach without a reload (the configured hub)', async () => {
    const hub = teamHub();
    const api = fakeDesktop(null, { pageHubs: [TEAM_HUB] });
    const { controller, reload } = desktop(hub.fetch, api);
    await controller.start();
    await expect(controller.chooseHub(TEAM_HUB)).resolves.toBeNull();
    await controller.start();
    expect(reload).not.toHaveBeenCalled();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: TEAM_HUB,
      notice: null,
    });
  });

  it('restores a remembered session at once and confirms it with GET /api/me', async () => {
    const renamed = { ...user, name: 'Anna de Vries' };
    const hub = fakeHub({ 'GET /api/me': json(200, { user: renamed, hubTime: 0 }) });
    const api = fakeDesktop({ hubUrl: TEAM_HUB, session: { token: 'kept', user } });
    const { controller, states } = desktop(hub.fetch, api);
    await controller.start();
    expect(states).toEqual(['starting', `signed_in@${TEAM_HUB}`]);
    await vi.waitFor(() =>
      expect(controller.getSnapshot().state).toMatchObject({ session: { user: renamed } }),
    );
    expect(api.remembered?.session?.user.name).toBe('Anna de Vries');
    expect(hub.calls).toEqual([`GET /api/me ${TEAM_HUB}`]);
  });

  it('ends a remembered session the hub no longer knows, and forgets it', async () => {
    const hub = fakeHub({
      'GET /api/me': json(401, { error: 'unauthorized' }),
      'GET /healthz': healthy,
      'POST /api/auth/embedded': () => json(403, { error: 'forbidden' }),
    });
    const api = fakeDesktop({ hubUrl: TEAM_HUB, session: { token: 'revoked', user } });
    const { controller } = desktop(hub.fetch, api);
    await controller.start();
    await vi.waitFor(() => expect(controller.getSnapshot().state.kind).not.toBe('signed_in'));
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: TEAM_HUB,
      notice: SESSION_ENDED_NOTICE,
    });
    expect(api.remembered).toEqual({ hubUrl: TEAM_HUB, session: null });
  });

  it('keeps a remembered session when the hub cannot be reached (offline)', async () => {
    const hub = fakeHub({ 'GET /api/me': new TypeError('Failed to fetch') });
    const api = fakeDesktop({ hubUrl: TEAM_HUB, session: { token: 'kept', user } });
    const { controller } = desktop(hub.fetch, api);
    await controller.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(controller.getSnapshot().state.kind).toBe('signed_in');
  });

  it('signs out: ends the hub session, forgets the token, keeps the hub address', async () => {
    const hub = fakeHub({
      'GET /api/me': json(200, { user, hubTime: 0 }),
      'POST /api/auth/logout': json(200, { ok: true }),
    });
    const api = fakeDesktop({ hubUrl: TEAM_HUB, session: { token: 'kept', user } });
    const { controller } = desktop(hub.fetch, api);
    await controller.start();
    await controller.signOut();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: TEAM_HUB,
      notice: null,
    });
    expect(api.remembered).toEqual({ hubUrl: TEAM_HUB, session: null });
    expect(hub.calls).toContain(`POST /api/auth/logout ${TEAM_HUB}`);
  });

  it('does not keep the embedded hub’s token: it signs the local admin in again each start', async () => {
    const hub = fakeHub({
      'GET /healthz': healthy(),
      'POST /api/auth/embedded': json(200, { token: 'local', user }),
    });
    const api = fakeDesktop({ hubUrl: HUB, session: null });
    const { controller } = desktop(hub.fetch, api);
    await controller.start();
    expect(controller.getSnapshot().state).toMatchObject({
      kind: 'signed_in',
      session: { embedded: true },
    });
    expect(api.sets).toEqual([{ hubUrl: HUB, session: null }]);
  });

  it('says when the sign-in will not outlive the app (no secure storage)', async () => {
    const api = fakeDesktop(rememberedHub, { storage: 'memory' });
    const { controller } = desktop(teamHub().fetch, api);
    await controller.start();
    expect(controller.getSnapshot().persistence).toBe('memory');
    expect(persistenceNotice('memory')).toMatch(/will not remember your sign-in after you quit/);
    expect(persistenceNotice('encrypted')).toBeNull();
    expect(persistenceNotice('tab')).toBeNull();
  });

  it('still signs in when the shell refuses to remember', async () => {
    const api = fakeDesktop(rememberedHub);
    api.setCredentials = async () => {
      throw new Error('Invalid arguments for credentials:set');
    };
    const { controller } = desktop(teamHub().fetch, api);
    await controller.start();
    await expect(controller.signIn('anna@shop.example', 'pw')).resolves.toBeNull();
    expect(controller.getSnapshot()).toMatchObject({
      state: { kind: 'signed_in' },
      persistence: 'memory',
    });
  });
});
