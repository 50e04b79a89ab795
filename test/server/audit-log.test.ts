import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import type { AdminUser } from '../../src/shared/protocol/admin';
import type { AuditEntry, AuditPage } from '../../src/shared/protocol/audit';
import { ADMIN, api, login, startTestHub } from '../support/hub';
import { testShopAt, testShopKind } from '../support/test-shop';

/**
 * The audit log (issue #20 item 3): sign-ins, user, channel, shop and template changes and
 * exports are recorded with who, when and from where, in the change's own transaction; admins
 * read it filtered and paged, and export it as CSV.
 */

const T0 = Date.parse('2026-12-06T09:00:00Z');
const PASSWORD = 'a long enough password';
const BROWSER = 'Mozilla/5.0 (Replydesk test)';

let hub: RunningHub;
let clock = T0;
let admin: string;
let adminId: string;

const tick = () => (clock += 1_000);

async function audit(query = ''): Promise<AuditPage> {
  const res = await api<AuditPage>(hub.url, admin, `/api/admin/audit${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** The entries from `since` on, oldest first, as compact lines a reader can compare at a glance. */
async function linesSince(since: number): Promise<string[]> {
  const { entries } = await audit(`?from=${since}&limit=500`);
  return entries
    .slice()
    .reverse()
    .map(
      (e) =>
        `${e.action} | ${e.actor?.name ?? '-'} | ${e.target ? `${e.target.type}:${e.target.label}` : '-'} | ${e.detail}`,
    );
}

async function createUser(email: string, role: 'agent' | 'lead'): Promise<AdminUser> {
  tick();
  const res = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: { email, name: email.split('@')[0], role, password: PASSWORD },
  });
  expect(res.status).toBe(201);
  return res.body.user;
}

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock, shops: { kinds: [testShopKind] } });
  admin = await login(hub.url);
  const me = await api<{ user: { id: string } }>(hub.url, admin, '/api/me');
  adminId = me.body.user.id;
});

afterAll(async () => {
  await hub?.close();
});

describe('sign-ins', () => {
  it('records a sign-in, a failed one and a sign-out with the address and the browser', async () => {
    const since = tick();
    const signIn = (email: string, password: string) =>
      fetch(`${hub.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': BROWSER },
        body: JSON.stringify({ email, password }),
      });
    expect((await signIn(` ${ADMIN.email.toUpperCase()} `, 'wrong password')).status).toBe(401);
    tick();
    const ok = await signIn(ADMIN.email, ADMIN.password);
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    tick();
    const out = await fetch(`${hub.url}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'user-agent': BROWSER },
    });
    expect(out.status).toBe(200);
    const { entries } = await audit(`?from=${since}`);
    expect(
      entries.map((e) => [e.action, e.actor?.id ?? null, e.detail, e.address, e.userAgent, e.at]),
    ).toEqual([
      ['auth.signed_out', adminId, '', '127.0.0.1', BROWSER, since + 2_000],
      ['auth.signed_in', adminId, '', '127.0.0.1', BROWSER, since + 1_000],
      // Nobody was signed in: the e-mail that was tried is the detail (as the hub compares it).
      ['auth.sign_in_failed', null, ADMIN.email, '127.0.0.1', BROWSER, since],
    ]);
  });
});

describe('changes by admins', () => {
  it('records users added, roles changed, disabled, enabled and passwords reset', async () => {
    const since = clock + 1;
    const user = await createUser('mia@shop.example', 'agent');
    const put = async (body: Record<string, unknown>) => {
      tick();
      const res = await api(hub.url, admin, `/api/admin/users/${user.id}`, {
        method: 'PUT',
        body,
      });
      expect(res.status).toBe(200);
    };
    await put({ role: 'lead' });
    await put({ disabled: true });
    await put({ disabled: false, name: 'Mia Jansen' });
    // A rename alone is not security-relevant: no entry.
    await put({ name: 'Mia J.' });
    tick();
    const reset = await api(hub.url, admin, `/api/admin/users/${user.id}/password`, {
      method: 'POST',
      body: {},
    });
    expect(reset.status).toBe(200);
    expect(await linesSince(since)).toEqual([
      'user.invited | Administrator | user:mia <mia@shop.example> | as agent, with a password',
      'user.role_changed | Administrator | user:mia <mia@shop.example> | agent → lead',
      'user.disabled | Administrator | user:mia <mia@shop.example> | ',
      'user.enabled | Administrator | user:Mia Jansen <mia@shop.example> | ',
      'user.password_reset | Administrator | user:Mia J. <mia@shop.example> | a reset link was made',
    ]);
  });

  it('records nothing for a change the hub refuses', async () => {
    const since = tick();
    const demote = await api(hub.url, admin, `/api/admin/users/${adminId}`, {
      method: 'PUT',
      body: { role: 'agent' },
    });
    expect(demote.status).toBe(409);
    expect(await linesSince(since)).toEqual([]);
  });

  it('records channel credentials by name, never their values', async () => {
    const since = tick();
    const secret = 'EAAG-very-secret-token-value';
    const saved = await api(hub.url, admin, '/api/admin/channels/whatsapp', {
      method: 'PUT',
      body: { accessToken: secret, phoneNumberId: '106540352242922' },
    });
    expect(saved.status).toBe(200);
    tick();
    const replaced = await api(hub.url, admin, '/api/admin/channels/whatsapp', {
      method: 'PUT',
      body: { accessToken: `${secret}-2` },
    });
    expect(replaced.status).toBe(200);
    expect(await linesSince(since)).toEqual([
      'channel.credentials_changed | Administrator | channel:WhatsApp Cloud API | phoneNumberId set, accessToken set',
      'channel.credentials_changed | Administrator | channel:WhatsApp Cloud API | accessToken set',
    ]);
    const { rows } = await hub.db.query<{ row: string }>('select a::text as row from audit_log a');
    expect(rows.filter((r) => r.row.includes(secret))).toEqual([]);
  });

  it('records shops connected, changed and removed', async () => {
    testShopAt('https://audit.shop.test', 'Audit Shop', 'tok-audit');
    const since = tick();
    const created = await api<{ shop: { id: string } }>(hub.url, admin, '/api/admin/shops', {
      method: 'POST',
      body: {
        kind: 'shopify',
        name: 'Main shop',
        url: 'https://audit.shop.test',
        credentials: { accessToken: 'tok-audit' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.shop.id;
    tick();
    const patched = await api(hub.url, admin, `/api/admin/shops/${id}`, {
      method: 'PATCH',
      body: { enabled: false, credentials: { accessToken: 'tok-audit-2' } },
    });
    expect(patched.status).toBe(200);
    tick();
    const deleted = await api(hub.url, admin, `/api/admin/shops/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await linesSince(since)).toEqual([
      'shop.connected | Administrator | shop:Main shop | shopify at https://audit.shop.test',
      'shop.changed | Administrator | shop:Main shop | enabled, accessToken set',
      'shop.removed | Administrator | shop:Main shop | shopify at https://audit.shop.test',
    ]);
  });

  it('records templates approved and deleted, and quick replies exported', async () => {
    const since = tick();
    const template = {
      kind: 'whatsapp',
      name: 'delivery_update',
      body: 'Hello {{1}}, your order {{2}} arrives today.',
      language: 'en',
      category: 'utility',
      channels: ['whatsapp'],
      status: 'draft',
      examples: ['Ana', '100482'],
    };
    const created = await api<{ template: { id: string } }>(hub.url, admin, '/api/templates', {
      method: 'POST',
      body: template,
    });
    expect(created.status).toBe(201);
    const id = created.body.template.id;
    for (const status of ['approved', 'approved']) {
      tick();
      const res = await api(hub.url, admin, `/api/templates/${id}`, {
        method: 'PUT',
        body: { ...template, status },
      });
      expect(res.status).toBe(200);
    }
    tick();
    expect((await api(hub.url, admin, '/api/templates/export')).status).toBe(200);
    tick();
    expect((await api(hub.url, admin, `/api/templates/${id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const quickReplies = (
      await api<{ templates: { kind: string }[] }>(hub.url, admin, '/api/templates')
    ).body.templates.filter((t) => t.kind === 'quick_reply').length;
    // Approved once (saving it approved again is no new approval).
    expect(await linesSince(since)).toEqual([
      'template.approved | Administrator | template:delivery_update (en) | was draft',
      `export.quick_replies | Administrator | - | ${quickReplies} quick replies`,
      'template.deleted | Administrator | template:delivery_update (en) | approved',
    ]);
  });
});

describe('reading the log', () => {
  it('filters by action, person and time, and pages newest first', async () => {
    const all = await audit('?limit=500');
    const byAction = await audit('?action=user.disabled,user.enabled&limit=500');
    expect(byAction.entries.map((e) => e.action)).toEqual(['user.enabled', 'user.disabled']);
    // A failed sign-in by the e-mail tried; a person by their id or part of their name.
    const tried = await audit(`?actor=${encodeURIComponent('ADMIN@SHOP')}&limit=500`);
    expect(tried.entries.map((e) => [e.action, e.detail])).toEqual([
      ['auth.sign_in_failed', ADMIN.email],
    ]);
    const byId = await audit(`?actor=${adminId}&limit=500`);
    const byName = await audit('?actor=administ&limit=500');
    expect(byId.entries.map((e) => e.id)).toEqual(
      all.entries.filter((e) => e.actor !== null).map((e) => e.id),
    );
    expect(byName.entries.map((e) => e.id)).toEqual(byId.entries.map((e) => e.id));
    expect(byId.entries.length).toBe(all.entries.length - 1);
    // Pages of 4 walk the same entries, in the same order, without repeats.
    const walked: AuditEntry[] = [];
    let next: string | null = null;
    do {
      const page: AuditPage = await audit(`?limit=4${next ? `&before=${next}` : ''}`);
      walked.push(...page.entries);
      next = page.next;
    } while (next);
    expect(walked.map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
    const window = await audit(`?from=${T0}&to=${T0 + 3_000}`);
    // The suite's own sign-in at T0, then the first case's two.
    expect(window.entries.map((e) => [e.action, e.at])).toEqual([
      ['auth.signed_in', T0 + 2_000],
      ['auth.sign_in_failed', T0 + 1_000],
      ['auth.signed_in', T0],
    ]);
  });

  it('refuses what it cannot read, and anyone but an admin', async () => {
    const bad = await Promise.all(
      ['?action=user.deleted', '?before=not-a-cursor', `?from=${T0 + 5}&to=${T0}`].map(
        async (query) => {
          const res = await api<{ message: string }>(hub.url, admin, `/api/admin/audit${query}`);
          return [res.status, res.body.message];
        },
      ),
    );
    expect(bad).toEqual([
      [400, 'action: Unknown action "user.deleted".'],
      [400, 'The cursor is not valid; start again without it.'],
      [400, 'from must be before to.'],
    ]);
    await createUser('lead@shop.example', 'lead');
    const lead = await login(hub.url, { email: 'lead@shop.example', password: PASSWORD });
    const asLead = await api<{ message: string }>(hub.url, lead, '/api/admin/audit');
    expect([asLead.status, asLead.body.message]).toEqual([
      403,
      'Only admins may read the audit log.',
    ]);
    expect((await api(hub.url, null, '/api/admin/audit/export')).status).toBe(401);
  });

  it('exports the filtered log as CSV, spreadsheet formulas made inert, and records the export', async () => {
    // createUser moves the clock a second first.
    const since = clock + 1_000;
    const user = await createUser('eve@shop.example', 'agent');
    tick();
    await api(hub.url, admin, `/api/admin/users/${user.id}`, {
      method: 'PUT',
      body: { name: '=HYPERLINK("https://evil.example")' },
    });
    tick();
    await api(hub.url, admin, `/api/admin/users/${user.id}`, {
      method: 'PUT',
      body: { disabled: true },
    });
    const disabledAt = clock;
    tick();
    const res = await fetch(
      `${hub.url}/api/admin/audit/export?action=user.disabled,user.invited&from=${since}`,
      { headers: { authorization: `Bearer ${admin}`, 'user-agent': BROWSER } },
    );
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="replydesk-audit-2026-12-06.csv"',
    );
    const bytes = Buffer.from(await res.arrayBuffer());
    // A byte-order mark first, so spreadsheets read the names as UTF-8.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines).toEqual([
      '"time (UTC)","action","who","who (id)","target","target (id)","detail","address","user agent"',
      `"${new Date(disabledAt).toISOString()}","User disabled","Administrator","${adminId}","'=HYPERLINK(""https://evil.example"") <eve@shop.example>","user:${user.id}","","127.0.0.1","node"`,
      `"${new Date(since).toISOString()}","User added","Administrator","${adminId}","eve <eve@shop.example>","user:${user.id}","as agent, with a password","127.0.0.1","node"`,
      '',
    ]);
    const [latest] = (await audit('?limit=1')).entries;
    expect([latest?.action, latest?.detail, latest?.userAgent]).toEqual([
      'export.audit_log',
      `actions: User disabled, User added; from ${new Date(since).toISOString()}`,
      BROWSER,
    ]);
  });
});
