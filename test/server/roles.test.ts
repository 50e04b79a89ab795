import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import type { AdminUser, Team } from '../../src/shared/protocol/admin';
import { CLOSE_CODES } from '../../src/shared/protocol/realtime';
import { api, login, startTestHub } from '../support/hub';
import { connectClient } from '../support/realtime-client';

/**
 * Every role rule of issue 5 is enforced by the hub: agents and leads get 403 on template, user,
 * team, channel and rate-card changes and nothing changes; a disabled user's token stops at once;
 * the last enabled admin cannot be removed.
 */

let hub: RunningHub;
let admin: string;
const tokens: Record<'agent' | 'lead', string> = { agent: '', lead: '' };
const ids: Record<'agent' | 'lead', string> = { agent: '', lead: '' };
let templateId: string;
let teamId: string;

const PASSWORD = 'a long enough password';

async function createUser(role: 'agent' | 'lead' | 'admin', email: string): Promise<AdminUser> {
  const res = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: { email, name: `${role} ${email}`, role, password: PASSWORD },
  });
  expect(res.status).toBe(201);
  return res.body.user;
}

/** What admins can see of everything a change could touch. */
async function snapshot(): Promise<unknown> {
  const parts = await Promise.all(
    [
      '/api/templates',
      '/api/admin/users',
      '/api/admin/teams',
      '/api/admin/channels',
      '/api/rate-card',
    ].map(async (path) => (await api(hub.url, admin, path)).body),
  );
  return parts;
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => Date.parse('2026-11-21T12:00:00Z') });
  admin = await login(hub.url);
  for (const role of ['agent', 'lead'] as const) {
    const user = await createUser(role, `${role}@shop.example`);
    ids[role] = user.id;
    tokens[role] = await login(hub.url, { email: `${role}@shop.example`, password: PASSWORD });
  }
  const template = await api<{ template: { id: string } }>(hub.url, admin, '/api/templates', {
    method: 'POST',
    body: {
      kind: 'quick_reply',
      name: 'Hello',
      shortcut: 'hello',
      body: 'Hi there',
      channels: ['whatsapp'],
    },
  });
  expect(template.status).toBe(201);
  templateId = template.body.template.id;
  const team = await api<{ team: Team }>(hub.url, admin, '/api/admin/teams', {
    method: 'POST',
    body: { name: 'Support', assignment: 'manual', channels: [], memberIds: [ids.agent] },
  });
  expect(team.status).toBe(201);
  teamId = team.body.team.id;
});

afterAll(async () => {
  await hub.close();
});

const CHANGES: { what: string; method: string; path: () => string; body: unknown }[] = [
  {
    what: 'create a template',
    method: 'POST',
    path: () => '/api/templates',
    body: { kind: 'quick_reply', name: 'X', body: 'x', channels: ['whatsapp'] },
  },
  {
    what: 'change a template',
    method: 'PUT',
    path: () => `/api/templates/${templateId}`,
    body: { kind: 'quick_reply', name: 'Changed', body: 'changed', channels: ['whatsapp'] },
  },
  {
    what: 'delete a template',
    method: 'DELETE',
    path: () => `/api/templates/${templateId}`,
    body: undefined,
  },
  {
    what: 'create a user',
    method: 'POST',
    path: () => '/api/admin/users',
    body: { email: 'new@shop.example', name: 'New', role: 'admin', password: PASSWORD },
  },
  {
    what: 'promote themselves',
    method: 'PUT',
    path: () => `/api/admin/users/${ids.agent}`,
    body: { role: 'admin' },
  },
  {
    what: 'disable a user',
    method: 'PUT',
    path: () => `/api/admin/users/${ids.lead}`,
    body: { disabled: true },
  },
  {
    what: "reset someone's password",
    method: 'POST',
    path: () => `/api/admin/users/${ids.lead}/password`,
    body: { password: 'an attacker password' },
  },
  {
    what: 'create a team',
    method: 'POST',
    path: () => '/api/admin/teams',
    body: { name: 'Mine', assignment: 'round_robin', channels: ['whatsapp'], memberIds: [] },
  },
  {
    what: 'change a team',
    method: 'PUT',
    path: () => `/api/admin/teams/${teamId}`,
    body: { name: 'Renamed', assignment: 'round_robin', channels: ['viber'], memberIds: [] },
  },
  {
    what: 'delete a team',
    method: 'DELETE',
    path: () => `/api/admin/teams/${teamId}`,
    body: undefined,
  },
  {
    what: 'write channel secrets',
    method: 'PUT',
    path: () => '/api/admin/channels/whatsapp',
    body: { appSecret: 'attacker-secret', verifyToken: 'attacker-token' },
  },
  {
    what: 'replace the rate card',
    method: 'PUT',
    path: () => '/api/admin/rate-card',
    body: { rateCard: {} },
  },
  {
    what: 'switch the reported 2026-10-01 rule set',
    method: 'PUT',
    path: () => '/api/admin/rate-card/rule-sets/meta-2026-10-01-reported',
    body: { enabled: true },
  },
];

describe('role rules', () => {
  for (const role of ['agent', 'lead'] as const) {
    it(`answers ${role === 'agent' ? 'an' : 'a'} ${role} 403 on every template, user, team, channel and rate-card change, and nothing changes`, async () => {
      const before = await snapshot();
      for (const change of CHANGES) {
        const res = await api<{ error: string; message: string }>(
          hub.url,
          tokens[role],
          change.path(),
          { method: change.method, body: change.body },
        );
        expect({ what: change.what, status: res.status }).toEqual({
          what: change.what,
          status: 403,
        });
        expect(res.body.error).toBe('forbidden');
        expect(res.body.message).toMatch(/^Only admins may /);
      }
      expect(await snapshot()).toEqual(before);
    });

    it(`refuses ${role === 'agent' ? 'an' : 'a'} ${role} the admin lists of users and channel connections`, async () => {
      expect((await api(hub.url, tokens[role], '/api/admin/users')).status).toBe(403);
      expect((await api(hub.url, tokens[role], '/api/admin/channels')).status).toBe(403);
    });
  }

  it('lets an agent read templates, teammates and the rate card', async () => {
    for (const path of ['/api/templates', '/api/users', '/api/rate-card'])
      expect((await api(hub.url, tokens.agent, path)).status).toBe(200);
  });

  it('lets leads (not agents) see the teams', async () => {
    expect((await api(hub.url, tokens.lead, '/api/admin/teams')).status).toBe(200);
    expect((await api(hub.url, tokens.agent, '/api/admin/teams')).status).toBe(403);
  });

  it("ends a disabled user's sessions at once: HTTP 401 and their WebSocket closed", async () => {
    await createUser('agent', 'leaving@shop.example');
    const token = await login(hub.url, { email: 'leaving@shop.example', password: PASSWORD });
    const { body } = await api<{ user: { id: string } }>(hub.url, token, '/api/me');
    const client = await connectClient(hub.url, token);
    await client.waitFor((frame) => frame.type === 'hello');
    const closed = new Promise<number>((resolve) => client.socket.once('close', resolve));

    const res = await api<{ user: AdminUser }>(hub.url, admin, `/api/admin/users/${body.user.id}`, {
      method: 'PUT',
      body: { disabled: true },
    });
    expect(res.status).toBe(200);
    expect(res.body.user.disabled).toBe(true);
    expect(await closed).toBe(CLOSE_CODES.sessionEnded);
    expect((await api(hub.url, token, '/api/me')).status).toBe(401);
    expect((await api(hub.url, token, '/api/conversations')).status).toBe(401);
    await expect(
      login(hub.url, { email: 'leaving@shop.example', password: PASSWORD }),
    ).rejects.toThrow(/401/);
    // Enabled again, they sign in anew (the old token stays dead).
    await api(hub.url, admin, `/api/admin/users/${body.user.id}`, {
      method: 'PUT',
      body: { disabled: false },
    });
    const fresh = await login(hub.url, { email: 'leaving@shop.example', password: PASSWORD });
    expect((await api(hub.url, fresh, '/api/me')).status).toBe(200);
    expect((await api(hub.url, token, '/api/me')).status).toBe(401);
  });

  it('refuses to disable or demote the last enabled admin with 409, and allows it once there is another', async () => {
    const me = (await api<{ user: { id: string } }>(hub.url, admin, '/api/me')).body.user;
    for (const change of [{ disabled: true }, { role: 'lead' }, { role: 'agent' }]) {
      const res = await api<{ error: string; message: string }>(
        hub.url,
        admin,
        `/api/admin/users/${me.id}`,
        { method: 'PUT', body: change },
      );
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('conflict');
      expect(res.body.message).toMatch(/last enabled admin/);
    }
    expect((await api(hub.url, admin, '/api/me')).status).toBe(200);

    const second = await createUser('admin', 'second-admin@shop.example');
    const secondToken = await login(hub.url, {
      email: 'second-admin@shop.example',
      password: PASSWORD,
    });
    // A disabled admin does not count: disabling the second leaves the first the last again.
    expect(
      (
        await api(hub.url, admin, `/api/admin/users/${second.id}`, {
          method: 'PUT',
          body: { disabled: true },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api(hub.url, admin, `/api/admin/users/${me.id}`, {
          method: 'PUT',
          body: { role: 'lead' },
        })
      ).status,
    ).toBe(409);
    await api(hub.url, admin, `/api/admin/users/${second.id}`, {
      method: 'PUT',
      body: { disabled: false },
    });
    const fresh = await login(hub.url, { email: 'second-admin@shop.example', password: PASSWORD });
    const demoted = await api<{ user: AdminUser }>(hub.url, fresh, `/api/admin/users/${me.id}`, {
      method: 'PUT',
      body: { role: 'lead' },
    });
    expect(demoted.status).toBe(200);
    expect(demoted.body.user.role).toBe('lead');
    // The demoted admin's session ended with the role change.
    expect((await api(hub.url, admin, '/api/me')).status).toBe(401);
    // Disabling the second admin had ended their session too.
    expect((await api(hub.url, secondToken, '/api/me')).status).toBe(401);
  });
});
