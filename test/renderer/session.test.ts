import { describe, expect, it } from 'vitest';
import type { User } from '../../src/shared/domain/model';
import {
  memoryStorage,
  readStoredSession,
  resumeSession,
  SESSION_STORAGE_KEY,
  signIn,
  signInErrorMessage,
  storeSession,
  type Fetch,
  type Session,
} from '../../src/renderer/src/features/session/session';

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

describe('resuming a session', () => {
  it('keeps the stored session without asking the hub', async () => {
    const storage = memoryStorage();
    const session: Session = { token: 'kept', user, embedded: false };
    storeSession(storage, session);
    const { fetch, calls } = hub({});
    expect(await resumeSession(HUB, storage, fetch)).toEqual({ kind: 'signed_in', session });
    expect(calls).toEqual([]);
  });

  it('signs the local admin in on the embedded hub and stores the session', async () => {
    const storage = memoryStorage();
    const { fetch } = hub({ 'GET /api/auth/embedded': json(200, { token: 'local', user }) });
    const state = await resumeSession(HUB, storage, fetch);
    expect(state).toEqual({
      kind: 'signed_in',
      session: { token: 'local', user, embedded: true },
    });
    expect(readStoredSession(storage)?.token).toBe('local');
  });

  it('shows the sign-in page on a team hub, with the notice it was given', async () => {
    const { fetch } = hub({ 'GET /api/auth/embedded': json(403, { error: 'forbidden' }) });
    expect(await resumeSession(HUB, memoryStorage(), fetch, 'Session ended.')).toEqual({
      kind: 'signed_out',
      notice: 'Session ended.',
    });
  });

  it('says the hub is unreachable when it does not answer', async () => {
    const { fetch } = hub({ 'GET /api/auth/embedded': new TypeError('Failed to fetch') });
    const state = await resumeSession(HUB, memoryStorage(), fetch);
    expect(state.kind).toBe('unreachable');
  });

  it('forgets a stored session it cannot read', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_STORAGE_KEY, '{"token": 42}');
    expect(readStoredSession(storage)).toBeNull();
    expect(storage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });
});
