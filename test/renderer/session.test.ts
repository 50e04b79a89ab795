import { describe, expect, it } from 'vitest';
import type { User } from '../../src/shared/domain/model';
import {
  browserSessionStore,
  desktopSessionStore,
  memoryStorage,
  readStoredSession,
  SESSION_STORAGE_KEY,
  sessionStoreFor,
  signIn,
  signInErrorMessage,
  storeSession,
  type Fetch,
  type Session,
} from '../../src/renderer/src/features/session/session';
import { fakeDesktop } from './session/fake-hub';

const HUB = 'http://127.0.0.1:4477';
const user: User = {
  id: 'usr_1',
  email: 'anna@shop.example',
  name: 'Anna',
  role: 'agent',
  disabled: false,
};

function hub(answers: Record<string, Response | Error>): { fetch: Fetch; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (input, init) => {
      const key = `${init?.method ?? 'GET'} ${input.replace(HUB, '')}`;
      calls.push(key);
      const answer = answers[key];
      if (answer === undefined) throw new Error(`unexpected ${key}`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('signing in', () => {
  it('returns the session with the token and user the hub answered', async () => {
    const { fetch } = hub({ 'POST /api/auth/login': json(200, { token: 'tok', user }) });
    const result = await signIn(HUB, { email: ' anna@shop.example ', password: 'pw' }, fetch);
    expect(result).toEqual({ ok: true, session: { token: 'tok', user, embedded: false } });
  });

  it('explains a wrong password, throttling and an unreachable hub in words', async () => {
    const wrong = hub({ 'POST /api/auth/login': json(401, { error: 'unauthorized' }) });
    expect(await signIn(HUB, { email: 'a', password: 'b' }, wrong.fetch)).toEqual({
      ok: false,
      message: 'The e-mail or password is wrong, or the account is disabled.',
    });
    const throttled = hub({ 'POST /api/auth/login': json(429, { error: 'rate_limited' }) });
    expect(await signIn(HUB, { email: 'a', password: 'b' }, throttled.fetch)).toEqual({
      ok: false,
      message: signInErrorMessage(429),
    });
    expect(signInErrorMessage(429)).toMatch(/Wait a minute/);
    const down = hub({ 'POST /api/auth/login': new TypeError('Failed to fetch') });
    expect(await signIn(HUB, { email: 'a', password: 'b' }, down.fetch)).toEqual({
      ok: false,
      message: signInErrorMessage('network'),
    });
  });

  it('refuses an answer that does not match the schema', async () => {
    const { fetch } = hub({ 'POST /api/auth/login': json(200, { token: 'tok' }) });
    expect(await signIn(HUB, { email: 'a', password: 'b' }, fetch)).toEqual({
      ok: false,
      message: signInErrorMessage('malformed'),
    });
  });
});

describe('the browser session store (sessionStorage)', () => {
  it('keeps the session for the tab and answers at once', async () => {
    const storage = memoryStorage();
    const store = browserSessionStore(storage);
    const session: Session = { token: 'kept', user, embedded: false };
    await expect(store.save(HUB, session)).resolves.toEqual({
      persistence: 'tab',
      reloadRequired: false,
    });
    expect(store.peek()).toEqual(session);
    await expect(store.load()).resolves.toEqual({ hubUrl: null, session, persistence: 'tab' });
    await store.forget();
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('forgets a stored session it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, '{"token": 42}');
    expect(readStoredSession(storage)).toBeNull();
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
    storeSession(storage, { token: 'ok', user, embedded: true });
    expect(readStoredSession(storage)?.embedded).toBe(true);
  });
});

describe('the desktop session store (credentials:* through the preload)', () => {
  it('is chosen when the desktop API is there', () => {
    expect(sessionStoreFor(fakeDesktop()).kind).toBe('desktop');
  });

  it('sends the hub and the token and user, never the embedded flag', async () => {
    const api = fakeDesktop();
    const store = desktopSessionStore(api);
    await store.save('https://hub.shop.example', { token: 'tok', user, embedded: false });
    expect(api.sets).toEqual([
      { hubUrl: 'https://hub.shop.example', session: { token: 'tok', user } },
    ]);
    await expect(store.load()).resolves.toEqual({
      hubUrl: 'https://hub.shop.example',
      session: { token: 'tok', user, embedded: false },
      persistence: 'encrypted',
    });
  });

  it('treats a shell that does not answer as remembering nothing', async () => {
    const api = fakeDesktop();
    api.getCredentials = () => Promise.reject(new Error('Refused credentials:get'));
    await expect(desktopSessionStore(api).load()).resolves.toEqual({
      hubUrl: null,
      session: null,
      persistence: 'memory',
    });
  });
});
