import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Template } from '../../src/shared/domain/model';
import type {
  ImportSummary,
  QuickReplyExport,
  TemplateVersion,
} from '../../src/shared/protocol/templates';
import type { RunningHub } from '../../src/server/hub';
import { createUserService } from '../../src/server/auth/users';
import { openPglite } from '../../src/server/store/db';
import { MIGRATIONS } from '../../src/server/store/migrations';
import { listTemplateVersions } from '../../src/server/store/templates';
import { api, login, startTestHub } from '../support/hub';

let hub: RunningHub;
let admin: string;
let agent: string;
let clock = Date.parse('2026-11-21T12:00:00Z');

// A hub opens a real PGlite: slow on a loaded two-core machine.
beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  await createUserService(hub.db, () => clock).create({
    email: 'agent@shop.example',
    name: 'Sam Agent',
    role: 'agent',
    password: 'agent password 1',
  });
  agent = await login(hub.url, { email: 'agent@shop.example', password: 'agent password 1' });
}, 180_000);

afterAll(async () => {
  await hub?.close();
});

const quickReply = {
  kind: 'quick_reply',
  name: 'Where is my parcel',
  shortcut: 'parcel',
  body: 'Hi {{customer.first_name}}, order {{order.number}} is on its way.',
  language: 'en',
  channels: ['whatsapp', 'telegram'],
  folder: 'Shipping',
  tags: ['orders'],
};

const whatsapp = {
  kind: 'whatsapp',
  name: 'delivery_update',
  body: 'Hello {{1}}, your order {{2}} arrives today.',
  language: 'en',
  category: 'utility',
  channels: ['whatsapp'],
  status: 'draft',
  header: 'Delivery update',
  footer: 'Northwind Outfitters',
  buttons: [{ type: 'url', text: 'Track', url: 'https://track.example.com/1' }],
  examples: ['Ana', '100482'],
};

const templates = async (): Promise<Template[]> =>
  (await api<{ templates: Template[] }>(hub.url, agent, '/api/templates')).body.templates;

async function lastEvent(): Promise<{ type: string; payload: unknown }> {
  const { rows } = await hub.db.query<{ type: string; payload: unknown }>(
    'select type, payload from events order by seq desc limit 1',
  );
  const row = rows[0];
  if (!row) throw new Error('no events');
  return row;
}

async function create(body: unknown, token = admin) {
  return api<{ template: Template; message?: string }>(hub.url, token, '/api/templates', {
    method: 'POST',
    body,
  });
}

describe('template changes are for admins', () => {
  it('answers 403 to an agent creating, changing, deleting, restoring or importing, and changes nothing', async () => {
    const created = await create({ ...quickReply, name: 'Agent target', shortcut: 'target' });
    expect(created.status).toBe(201);
    const id = created.body.template.id;
    const before = await templates();
    const { rows: seqBefore } = await hub.db.query<{ seq: number }>('select seq from workspace');

    const attempts = [
      api(hub.url, agent, '/api/templates', { method: 'POST', body: quickReply }),
      api(hub.url, agent, `/api/templates/${id}`, {
        method: 'PUT',
        body: { ...quickReply, name: 'Changed by an agent', shortcut: 'target' },
      }),
      api(hub.url, agent, `/api/templates/${id}`, { method: 'DELETE' }),
      api(hub.url, agent, `/api/templates/${id}/restore`, { method: 'POST', body: { version: 1 } }),
      api(hub.url, agent, '/api/templates/import', {
        method: 'POST',
        body: { quickReplies: [{ ...quickReply, shortcut: 'agentmade', name: 'Agent made' }] },
      }),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({
        error: 'forbidden',
        message: 'Only admins may change templates.',
      });
    }
    expect(await templates()).toEqual(before);
    const { rows: seqAfter } = await hub.db.query<{ seq: number }>('select seq from workspace');
    expect(seqAfter).toEqual(seqBefore);
  });

  it('lets an agent read the templates and their history', async () => {
    const list = await templates();
    expect(list.length).toBeGreaterThan(0);
    const first = list[0];
    if (!first) throw new Error('no template');
    const versions = await api(hub.url, agent, `/api/templates/${first.id}/versions`);
    expect(versions.status).toBe(200);
  });
});

describe('checks before saving', () => {
  it('refuses an unknown variable with its line and column, in the message and the details', async () => {
    const answer = await api<{ error: string; message: string; details: unknown }>(
      hub.url,
      admin,
      '/api/templates',
      {
        method: 'POST',
        body: {
          ...quickReply,
          shortcut: 'typo',
          body: 'Hello,\nyour order {{order.nubmer}} left.',
        },
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toBe(
      'body: Unknown variable "order.nubmer" at line 2, column 12 (did you mean "order.number"?)',
    );
    expect(answer.body.details).toEqual({
      problems: [
        {
          path: ['body'],
          message:
            'Unknown variable "order.nubmer" at line 2, column 12 (did you mean "order.number"?)',
        },
      ],
      fields: [
        {
          path: 'body',
          message:
            'Unknown variable "order.nubmer" at line 2, column 12 (did you mean "order.number"?)',
        },
      ],
    });
  });

  it('refuses a WhatsApp body over 1,024 characters with the reason', async () => {
    const answer = await create({ ...whatsapp, body: `Hello {{1}}, ${'x'.repeat(1100)}` });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(
      'body: The body is 1113 characters; WhatsApp allows 1024',
    );
  });

  it("refuses WhatsApp's other rules with every reason at once", async () => {
    const answer = await create({
      ...whatsapp,
      body: '{{1}}{{3}} and more {{4}}',
      examples: ['Ana'],
      footer: 'f'.repeat(61),
      buttons: [
        { type: 'phone', text: 'Call us', phone: '+447700900123' },
        { type: 'phone', text: 'Call us again', phone: '+447700900124' },
      ],
    });
    expect(answer.status).toBe(400);
    const message = answer.body.message ?? '';
    expect(message).toContain('body: Placeholder {{3}} at line 1, column 6 skips {{2}}');
    expect(message).toContain('examples.3: Variable {{4}} needs an example value');
    expect(message).toContain('may not start with a variable');
    expect(message).toContain('may not end with a variable');
    expect(message).toContain('are side by side');
    expect(message).toContain('examples.1: Variable {{2}} needs an example value');
    expect(message).toContain('footer: The footer is 61 characters; WhatsApp allows 60');
    expect(message).toContain('buttons: 2 phone buttons; WhatsApp allows at most 1');
  });

  it('refuses a shortcut another quick reply already uses', async () => {
    expect((await create({ ...quickReply, name: 'Unique', shortcut: 'unique' })).status).toBe(201);
    const again = await create({ ...quickReply, name: 'Copy', shortcut: 'unique' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('Shortcut /unique is already used by ‘Unique’.');
  });

  it('saves a complete WhatsApp template with its header, footer, buttons and examples', async () => {
    const answer = await create(whatsapp);
    expect(answer.status).toBe(201);
    expect(answer.body.template).toMatchObject({
      name: 'delivery_update',
      header: 'Delivery update',
      footer: 'Northwind Outfitters',
      buttons: [{ type: 'url', text: 'Track', url: 'https://track.example.com/1' }],
      examples: ['Ana', '100482'],
      status: 'draft',
      rejectionReason: null,
    });
    expect(await lastEvent()).toMatchObject({
      type: 'template.updated',
      payload: { template: { id: answer.body.template.id } },
    });
  });
});

describe('version history', () => {
  it('stores every save with who and when, lists what changed, and restores as a new version', async () => {
    clock += 60_000;
    const created = await create({ ...quickReply, name: 'Returns', shortcut: 'returns' });
    const id = created.body.template.id;
    clock += 60_000;
    const edited = await api<{ template: Template }>(hub.url, admin, `/api/templates/${id}`, {
      method: 'PUT',
      body: {
        ...quickReply,
        name: 'Returns',
        shortcut: 'returns',
        body: 'Send it back within 30 days, {{customer.first_name}}.',
        tags: ['orders', 'returns'],
      },
    });
    expect(edited.body.template.version).toBe(2);

    const history = await api<{ versions: TemplateVersion[] }>(
      hub.url,
      admin,
      `/api/templates/${id}/versions`,
    );
    expect(history.status).toBe(200);
    expect(history.body.versions.map((v) => [v.version, v.action, v.changed])).toEqual([
      [2, 'updated', ['body', 'tags']],
      [1, 'created', []],
    ]);
    expect(history.body.versions[0]).toMatchObject({
      at: clock,
      by: { name: 'Administrator' },
      template: { body: 'Send it back within 30 days, {{customer.first_name}}.' },
    });

    clock += 60_000;
    const restored = await api<{ template: Template }>(
      hub.url,
      admin,
      `/api/templates/${id}/restore`,
      { method: 'POST', body: { version: 1 } },
    );
    expect(restored.status).toBe(200);
    expect(restored.body.template).toMatchObject({
      version: 3,
      body: quickReply.body,
      tags: ['orders'],
    });
    expect(await lastEvent()).toMatchObject({
      type: 'template.updated',
      payload: { template: { id, version: 3 } },
    });
    const after = await api<{ versions: TemplateVersion[] }>(
      hub.url,
      admin,
      `/api/templates/${id}/versions`,
    );
    expect(after.body.versions[0]).toMatchObject({
      version: 3,
      action: 'restored',
      restoredFrom: 1,
      changed: ['body', 'tags'],
    });
    const missing = await api(hub.url, admin, `/api/templates/${id}/restore`, {
      method: 'POST',
      body: { version: 9 },
    });
    expect(missing.status).toBe(404);
  });

  it('emits template.deleted when an admin deletes one', async () => {
    const created = await create({ ...quickReply, name: 'Short-lived', shortcut: 'gone' });
    const id = created.body.template.id;
    expect((await api(hub.url, admin, `/api/templates/${id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(await lastEvent()).toEqual({
      type: 'template.deleted',
      payload: { type: 'template.deleted', templateId: id },
    });
    expect((await templates()).some((t) => t.id === id)).toBe(false);
  });
});

describe('import and export of quick replies', () => {
  it('exports the quick replies as a file that imports back as updates', async () => {
    expect((await create(quickReply)).status).toBe(201);
    const exported = await api<QuickReplyExport>(hub.url, admin, '/api/templates/export');
    expect(exported.status).toBe(200);
    expect(exported.body.format).toBe('replydesk.quick-replies');
    const parcel = exported.body.quickReplies.find((q) => q.shortcut === 'parcel');
    expect(parcel).toMatchObject({ folder: 'Shipping', tags: ['orders'] });
    expect(exported.body.quickReplies.every((q) => q.body !== whatsapp.body)).toBe(true);

    const again = await api<ImportSummary>(hub.url, admin, '/api/templates/import', {
      method: 'POST',
      body: exported.body,
    });
    expect(again.status).toBe(200);
    expect(again.body.added).toEqual([]);
    expect(again.body.refused).toEqual([]);
    expect(again.body.updated.length).toBe(exported.body.quickReplies.length);
  });

  it('applies each valid entry whole, refuses each bad one with its reasons, and sums it up', async () => {
    const before = await templates();
    const answer = await api<ImportSummary>(hub.url, admin, '/api/templates/import', {
      method: 'POST',
      body: {
        quickReplies: [
          { ...quickReply, name: 'Imported hello', shortcut: 'ihello', body: 'Hello!' },
          { ...quickReply, name: 'Bad variable', shortcut: 'ibad', body: 'Hi {{customer.frist}}' },
          { ...quickReply, name: 'Where is my parcel', body: 'Updated: {{order.tracking_url}}' },
          { ...quickReply, name: 'Taken shortcut', shortcut: 'unique' },
          'not an object',
        ],
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.added.map((a) => [a.index, a.name])).toEqual([[0, 'Imported hello']]);
    expect(answer.body.updated.map((a) => [a.index, a.name])).toEqual([[2, 'Where is my parcel']]);
    expect(answer.body.refused).toEqual([
      {
        index: 1,
        name: 'Bad variable',
        reasons: ['body: Unknown variable "customer.frist" at line 1, column 4'],
      },
      {
        index: 3,
        name: 'Taken shortcut',
        reasons: ['shortcut: /unique is already used by "Unique"'],
      },
      { index: 4, name: null, reasons: expect.any(Array) as unknown as string[] },
    ]);
    const after = await templates();
    expect(after.length).toBe(before.length + 1);
    expect(after.some((t) => t.name === 'Bad variable' || t.name === 'Taken shortcut')).toBe(false);
    expect(after.find((t) => t.shortcut === 'parcel')?.body).toBe(
      'Updated: {{order.tracking_url}}',
    );
  });
});

describe('the template history migration', () => {
  it('starts the history of templates saved before it existed with their current state', async () => {
    const db = await openPglite(null);
    try {
      for (const m of MIGRATIONS.filter((m) => m.version < 200)) await db.exec(m.sql);
      await db.query(
        `insert into templates (id, kind, name, shortcut, body, language, category, channels,
           status, version, updated_at)
         values ('t1', 'quick_reply', 'Old', 'old', 'Hi {{customer.name}}', 'en', null,
           '{whatsapp}', 'approved', 3, 1000)`,
      );
      for (const m of MIGRATIONS.filter((m) => m.version >= 200 && m.version < 300))
        await db.exec(m.sql);
      const versions = await listTemplateVersions(db, 't1');
      expect(versions).toEqual([
        expect.objectContaining({
          version: 3,
          action: 'updated',
          at: 1000,
          by: null,
          template: expect.objectContaining({
            body: 'Hi {{customer.name}}',
            tags: [],
            folder: null,
          }),
        }),
      ]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
