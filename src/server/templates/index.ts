import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { Template, User } from '../../shared/domain/model';
import { describeSchemaError } from '../../shared/ipc/contract';
import { templateUpdated, type HubEvent } from '../../shared/protocol/events';
import { fieldErrorsOf, plainWords } from '../../shared/protocol/field-errors';
import {
  inputOf,
  QUICK_REPLY_EXPORT_FORMAT,
  quickReplyImportSchema,
  restoreTemplateSchema,
  templateInputSchema,
  type ImportSummary,
  type QuickReplyExport,
  type TemplateInput,
} from '../../shared/protocol/templates';
import type { HubContext } from '../context';
import { badRequest, HttpError, notFound } from '../http/errors';
import { checkTemplateFile } from '../media/service';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { newId } from '../ids';
import type { Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import {
  deleteTemplate,
  getTemplate,
  insertTemplate,
  listTemplates,
  listTemplateVersions,
  quickReplyWithShortcut,
  updateTemplate,
} from '../store/templates';

/** Import files are bigger than one template: 1,000 quick replies of a few KB each. */
const IMPORT_LIMIT = 4 * 1024 * 1024;

/**
 * A template as submitted, or 400 naming every reason (the shared checks: unknown variables
 * with their line and column, WhatsApp's limits) in `message` and, one by one, in
 * `details.problems` (paths as arrays) and `details.fields` (dotted paths, as every form reads).
 */
function parseInput(raw: unknown): TemplateInput {
  const parsed = templateInputSchema.safeParse(raw, { error: plainWords });
  if (!parsed.success) {
    throw badRequest(describeSchemaError(parsed.error), {
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.message,
      })),
      fields: fieldErrorsOf(parsed.error),
    });
  }
  return parsed.data;
}

const conflict = (message: string, details?: unknown): HttpError =>
  new HttpError(409, 'conflict', message, details);

/** A quick reply's `/` shortcut picks one reply: two with the same one would be ambiguous. */
async function requireFreeShortcut(
  q: Queryable,
  input: TemplateInput,
  id: string | null,
): Promise<void> {
  if (input.kind !== 'quick_reply' || input.shortcut === null) return;
  const other = await quickReplyWithShortcut(q, input.shortcut, id);
  if (!other) return;
  // Named as a field error too, so the editor shows it beside the shortcut.
  const message = `Shortcut /${input.shortcut} is already used by ‘${other.name}’`;
  throw conflict(`${message}.`, { fields: [{ path: 'shortcut', message }] });
}

/** Routes of template editing, versions, import and export. Reading is for everyone, changes for admins. */
/** A template as the audit log names it. */
const templateTarget = (template: Template) => ({
  type: 'template',
  id: template.id,
  label: `${template.name} (${template.language})`,
});

export function registerTemplateApi(router: Router, context: HubContext): void {
  const { db, bus, now, auth, audit } = context;
  const requireAdmin = (req: IncomingMessage): Promise<User> =>
    auth.requireRole(req, ['admin'], 'change templates');

  /** Run a change in one transaction, log its events, then tell the connected apps. */
  async function change<T>(
    work: (tx: Queryable, at: number) => Promise<{ result: T; events: HubEvent[] }>,
  ): Promise<T> {
    const at = now();
    const { result, sequenced } = await db.transaction(async (tx) => {
      const done = await work(tx, at);
      return { result: done.result, sequenced: await appendEvents(tx, done.events, at) };
    });
    bus.publish(sequenced);
    return result;
  }

  router.get('/api/templates', async ({ req, res }) => {
    await auth.requireUser(req);
    sendJson(res, 200, { templates: await listTemplates(db) });
  });

  router.post('/api/templates', async ({ req, res }) => {
    const user = await requireAdmin(req);
    const input = parseInput(await readJson(req, z.unknown()));
    const template = await change(async (tx, at) => {
      await requireFreeShortcut(tx, input, null);
      const attachment = await checkTemplateFile(tx, input.attachment, input.channels);
      const saved = await insertTemplate(
        tx,
        newId('tpl', at),
        { ...input, attachment },
        user.id,
        at,
      );
      return { result: saved, events: [templateUpdated(saved)] };
    });
    sendJson(res, 201, { template });
  });

  router.put('/api/templates/:id', async ({ req, res, params }) => {
    const user = await requireAdmin(req);
    const id = params['id'] ?? '';
    const input = parseInput(await readJson(req, z.unknown()));
    const template = await change(async (tx, at) => {
      await requireFreeShortcut(tx, input, id);
      const attachment = await checkTemplateFile(tx, input.attachment, input.channels);
      const before = await getTemplate(tx, id);
      const saved = await updateTemplate(tx, id, { ...input, attachment }, user.id, at);
      if (!saved) throw notFound(`No template ${id}.`);
      if (saved.status === 'approved' && before?.status !== 'approved')
        await audit.record(
          {
            req,
            action: 'template.approved',
            actor: { id: user.id, name: user.name },
            target: templateTarget(saved),
            detail: `was ${before?.status ?? 'new'}`,
          },
          tx,
        );
      return { result: saved, events: [templateUpdated(saved)] };
    });
    sendJson(res, 200, { template });
  });

  router.delete('/api/templates/:id', async ({ req, res, params }) => {
    const user = await requireAdmin(req);
    const id = params['id'] ?? '';
    await change(async (tx, at) => {
      const before = await getTemplate(tx, id);
      if (!before || !(await deleteTemplate(tx, id, user.id, at)))
        throw notFound(`No template ${id}.`);
      await audit.record(
        {
          req,
          action: 'template.deleted',
          actor: { id: user.id, name: user.name },
          target: templateTarget(before),
          detail: before.status,
        },
        tx,
      );
      return { result: null, events: [{ type: 'template.deleted', templateId: id }] };
    });
    sendJson(res, 200, { deleted: id });
  });

  router.get('/api/templates/:id/versions', async ({ req, res, params }) => {
    await auth.requireUser(req);
    const id = params['id'] ?? '';
    if (!(await getTemplate(db, id))) throw notFound(`No template ${id}.`);
    sendJson(res, 200, { versions: await listTemplateVersions(db, id) });
  });

  // Restoring writes a new version equal to the old one: history only grows, so a restore can
  // itself be undone by restoring the version before it.
  router.post('/api/templates/:id/restore', async ({ req, res, params }) => {
    const user = await requireAdmin(req);
    const id = params['id'] ?? '';
    const { version } = await readJson(req, restoreTemplateSchema);
    const template = await change(async (tx, at) => {
      const versions = await listTemplateVersions(tx, id);
      if (versions.length === 0) throw notFound(`No template ${id}.`);
      const old = versions.find((v) => v.version === version);
      if (!old) throw notFound(`Template ${id} has no version ${version}.`);
      const input = parseInput(inputOf(old.template));
      await requireFreeShortcut(tx, input, id);
      const saved = await updateTemplate(tx, id, input, user.id, at, 'restored', version);
      if (!saved) throw notFound(`No template ${id}.`);
      return { result: saved, events: [templateUpdated(saved)] };
    });
    sendJson(res, 200, { template });
  });

  router.get('/api/templates/export', async ({ req, res }) => {
    const admin = await requireAdmin(req);
    const quickReplies = (await listTemplates(db)).filter((t) => t.kind === 'quick_reply');
    await audit.record({
      req,
      action: 'export.quick_replies',
      actor: { id: admin.id, name: admin.name },
      detail: `${quickReplies.length} quick replies`,
    });
    const file: QuickReplyExport = {
      format: QUICK_REPLY_EXPORT_FORMAT,
      version: 1,
      exportedAt: new Date(now()).toISOString(),
      quickReplies: quickReplies.map((t) => ({
        id: t.id,
        name: t.name,
        shortcut: t.shortcut,
        body: t.body,
        language: t.language,
        channels: t.channels,
        status: t.status,
        folder: t.folder,
        tags: t.tags,
        attachment: t.attachment ?? null,
      })),
    };
    sendJson(res, 200, file);
  });

  // Each entry is checked on its own and applied whole or not at all; all the applied entries
  // commit in one transaction, so the summary is exactly what the hub now holds.
  router.post('/api/templates/import', async ({ req, res }) => {
    const user = await requireAdmin(req);
    const { quickReplies } = await readJson(req, quickReplyImportSchema, IMPORT_LIMIT);
    const summary = await change<ImportSummary>(async (tx, at) => {
      const result: ImportSummary = { added: [], updated: [], refused: [] };
      const events: HubEvent[] = [];
      const existing = (await listTemplates(tx)).filter((t) => t.kind === 'quick_reply');
      const byId = new Map(existing.map((t) => [t.id, t]));
      const byName = new Map(existing.map((t) => [t.name.toLowerCase(), t]));
      const shortcuts = new Map(
        existing.flatMap((t): [string, Template][] => (t.shortcut ? [[t.shortcut, t]] : [])),
      );
      for (const [index, entry] of quickReplies.entries()) {
        const record = typeof entry === 'object' && entry !== null ? entry : {};
        const name = 'name' in record && typeof record.name === 'string' ? record.name : null;
        const parsed = templateInputSchema.safeParse({ ...record, kind: 'quick_reply' });
        if (!parsed.success) {
          result.refused.push({
            index,
            name,
            reasons: parsed.error.issues.map(
              (i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`,
            ),
          });
          continue;
        }
        const id = 'id' in record && typeof record.id === 'string' ? record.id : null;
        const target =
          (id === null ? undefined : byId.get(id)) ?? byName.get(parsed.data.name.toLowerCase());
        // The file travels by reference: an entry without `attachment` (an older export) keeps
        // the file of the reply it updates; one naming a file this hub lacks is refused.
        const named =
          'attachment' in record ? parsed.data.attachment : (target?.attachment ?? null);
        let input: TemplateInput;
        try {
          input = {
            ...parsed.data,
            attachment: await checkTemplateFile(tx, named, parsed.data.channels),
          };
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          result.refused.push({
            index,
            name: parsed.data.name,
            reasons: [`attachment: ${error.message}`],
          });
          continue;
        }
        const taken = input.shortcut === null ? undefined : shortcuts.get(input.shortcut);
        if (taken && taken.id !== target?.id) {
          result.refused.push({
            index,
            name: input.name,
            reasons: [`shortcut: /${input.shortcut} is already used by "${taken.name}"`],
          });
          continue;
        }
        const saved = target
          ? await updateTemplate(tx, target.id, input, user.id, at, 'imported')
          : await insertTemplate(tx, newId('tpl', at), input, user.id, at, 'imported');
        if (!saved) continue;
        (target ? result.updated : result.added).push({ index, id: saved.id, name: saved.name });
        events.push(templateUpdated(saved));
        if (target?.shortcut) shortcuts.delete(target.shortcut);
        if (saved.shortcut) shortcuts.set(saved.shortcut, saved);
        byId.set(saved.id, saved);
        byName.set(saved.name.toLowerCase(), saved);
      }
      return { result, events };
    });
    sendJson(res, 200, summary);
  });
}
