import { describe, expect, it } from 'vitest';
import { createSessionController } from '../../../src/renderer/src/features/session/session-controller';
import {
  browserSessionStore,
  desktopSessionStore,
  memoryStorage,
  SIGN_IN_LINK_NOTICE,
  takeSignInToken,
  type Fetch,
  type SessionStore,
} from '../../../src/renderer/src/features/session/session';
import { fakeDesktop, healthy, HUB, json, TEAM_HUB, user } from './fake-hub';

/**
 * The embedded hub signs the local admin in only for the desktop shell's launch secret or the
 * one-time token of `npm start`'s sign-in link (issue #13, item 5): the page presents what it
 * has, to that hub alone, and a refusal ends on the sign-in page saying where the link is.
 */
const SECRET = 'launch-secret-0123456789abcdefghijklmnopqrstuv';

/** A hub that admits exactly `accepted` (once when `oneTime`), recording what was presented. */
function embeddedHub(accepted: string, oneTime = false) {
  const presented: { origin: string; body: unknown }[] = [];
  let used = false;
  const fetch: Fetch = async (input, init) => {
    const url = new URL(input);
    if (url.pathname === '/healthz') return healthy();
    if (url.pathname !== '/api/auth/embedded' || init?.method !== 'POST')
      throw new Error(`unexpected ${init?.method} ${url.pathname}`);
    const body = JSON.parse(String(init.body)) as { secret?: string };
    presented.push({ origin: url.origin, body });
    if (body.secret === accepted && !(oneTime && used)) {
      used = oneTime;
      return json(200, { token: 'local', user });
    }
    return json(401, { error: 'unauthorized', message: 'used or wrong' });
  };
  return { fetch, presented };
}

function controllerOf(store: SessionStore, fetch: Fetch, pageHubUrl: string | null) {
  return createSessionController({ store, pageHubUrl, fetch, reload: () => undefined });
}

describe('the desktop window and the embedded hub', () => {
  it('presents the launch secret main gave it, and is signed in', async () => {
    const hub = embeddedHub(SECRET);
    const api = fakeDesktop(
      { hubUrl: HUB, session: null },
      { embedded: { hubUrl: HUB, secret: SECRET } },
    );
    const controller = controllerOf(desktopSessionStore(api), hub.fetch, null);
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_in',
      hubUrl: HUB,
      session: { token: 'local', user, embedded: true },
    });
    expect(hub.presented).toEqual([{ origin: HUB, body: { secret: SECRET } }]);
  });

  it('never shows the launch secret to another hub', async () => {
    const hub = embeddedHub(SECRET);
    const api = fakeDesktop(
      { hubUrl: TEAM_HUB, session: null },
      { embedded: { hubUrl: HUB, secret: SECRET } },
    );
    await expect(desktopSessionStore(api).embeddedSecret(TEAM_HUB)).resolves.toBeNull();
    const controller = controllerOf(desktopSessionStore(api), hub.fetch, null);
    await controller.start();
    expect(hub.presented).toEqual([{ origin: TEAM_HUB, body: {} }]);
  });

  it('asks for nothing when main refuses the secret', async () => {
    const api = fakeDesktop(null, { embedded: { hubUrl: HUB, secret: SECRET } });
    api.getEmbeddedSecret = () => Promise.reject(new Error('Refused hub:embedded-secret'));
    await expect(desktopSessionStore(api).embeddedSecret(HUB)).resolves.toBeNull();
  });
});

describe('a browser tab and the embedded hub (npm start)', () => {
  it("takes the sign-in link's token out of the address", () => {
    const replaced: unknown[][] = [];
    const token = takeSignInToken(
      { hash: '#/sign-in?token=one-time-abc', pathname: '/', search: '' },
      { replaceState: (...args: unknown[]) => void replaced.push(args) },
    );
    expect(token).toBe('one-time-abc');
    expect(replaced).toEqual([[null, '', '/']]);
    expect(
      takeSignInToken(
        { hash: '#/inbox', pathname: '/', search: '' },
        { replaceState: () => expect.fail('nothing to replace') },
      ),
    ).toBeNull();
  });

  it('is signed in once by the link, then keeps its session in the tab', async () => {
    const hub = embeddedHub('one-time-abc', true);
    const storage = memoryStorage();
    const controller = controllerOf(browserSessionStore(storage, 'one-time-abc'), hub.fetch, HUB);
    await controller.start();
    expect(controller.getSnapshot().state).toMatchObject({ kind: 'signed_in', hubUrl: HUB });
    expect(hub.presented).toEqual([{ origin: HUB, body: { secret: 'one-time-abc' } }]);
    // A reload: the tab's session, no second use of the link.
    const reloaded = controllerOf(browserSessionStore(storage, null), hub.fetch, HUB);
    expect(reloaded.getSnapshot().state).toMatchObject({ kind: 'signed_in', hubUrl: HUB });
    expect(hub.presented).toHaveLength(1);
  });

  it('without the link, ends on the sign-in page saying where the link is', async () => {
    const hub = embeddedHub('one-time-abc', true);
    const controller = controllerOf(browserSessionStore(memoryStorage(), null), hub.fetch, HUB);
    await controller.start();
    expect(controller.getSnapshot().state).toEqual({
      kind: 'signed_out',
      hubUrl: HUB,
      notice: SIGN_IN_LINK_NOTICE,
    });
    expect(hub.presented).toEqual([{ origin: HUB, body: {} }]);
  });
});
