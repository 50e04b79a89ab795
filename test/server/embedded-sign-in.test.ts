import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import { api, signInTokenOf, startTestHub } from '../support/hub';

/**
 * The embedded hub hands the local admin's token only to whoever presents the desktop shell's
 * launch secret or a one-time sign-in token: every process of every user on the computer can
 * reach 127.0.0.1 (issue #13, item 5).
 */
const LAUNCH_SECRET = 'launch-secret-0123456789abcdefghijklmnopqrstuv';
let hub: RunningHub;

beforeAll(async () => {
  hub = await startTestHub({ embedded: true, embeddedSecret: LAUNCH_SECRET });
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const askFor = (body: unknown) =>
  api<{ token?: string; user?: { role: string; name: string }; error?: string }>(
    hub.url,
    null,
    '/api/auth/embedded',
    { method: 'POST', body },
  );

describe('the embedded sign-in', () => {
  it('refuses a request without a secret, and issues nothing', async () => {
    const asked = await askFor({});
    expect(asked.status).toBe(401);
    expect(asked.body.token).toBeUndefined();
    expect(asked.body.error).toBe('unauthorized');
  });

  it('no longer answers the old GET without credentials', async () => {
    const asked = await api<{ token?: string }>(hub.url, null, '/api/auth/embedded');
    expect(asked.status).toBe(405);
    expect(asked.body.token).toBeUndefined();
  });

  it('refuses a wrong secret, an empty one and one of another length', async () => {
    for (const secret of [`${LAUNCH_SECRET.slice(0, -1)}w`, '', 'x', `${LAUNCH_SECRET}x`]) {
      const asked = await askFor({ secret });
      expect(asked.status).toBe(401);
      expect(asked.body.token).toBeUndefined();
    }
  });

  it("issues the local admin's token for the launch secret, on every start of the window", async () => {
    for (let i = 0; i < 2; i += 1) {
      const asked = await askFor({ secret: LAUNCH_SECRET });
      expect(asked.status).toBe(200);
      expect(asked.body.user).toMatchObject({ role: 'admin', name: 'Local admin' });
      const me = await api<{ user: { role: string } }>(hub.url, asked.body.token ?? '', '/api/me');
      expect(me.status).toBe(200);
      expect(me.body.user.role).toBe('admin');
    }
  });

  it('accepts a one-time sign-in token once; the session it opened lives on', async () => {
    const url = hub.signInUrl();
    expect(url).toMatch(new RegExp(`^${hub.url}/#/sign-in\\?token=[A-Za-z0-9_-]{43}$`));
    const token = signInTokenOf(url);
    const first = await askFor({ secret: token });
    expect(first.status).toBe(200);
    const again = await askFor({ secret: token });
    expect(again.status).toBe(401);
    expect(again.body.token).toBeUndefined();
    expect((await api(hub.url, first.body.token ?? '', '/api/me')).status).toBe(200);
  });

  it('mints a different one-time token for each sign-in link', () => {
    expect(signInTokenOf(hub.signInUrl())).not.toBe(signInTokenOf(hub.signInUrl()));
  });
});

describe('an embedded hub without a launch secret (npm start in a browser)', () => {
  it('accepts only its one-time tokens', async () => {
    const browserHub = await startTestHub({ embedded: true });
    try {
      const refused = await api(browserHub.url, null, '/api/auth/embedded', {
        method: 'POST',
        body: { secret: LAUNCH_SECRET },
      });
      expect(refused.status).toBe(401);
      const admitted = await api(browserHub.url, null, '/api/auth/embedded', {
        method: 'POST',
        body: { secret: signInTokenOf(browserHub.signInUrl()) },
      });
      expect(admitted.status).toBe(200);
    } finally {
      await browserHub.close();
    }
  });
});
